//! The Tableau corpus (tableau-sql-corpus.sql in the project's Tableau notes) against the
//! engine: the escape shapes escapes.rs's own tests leave out, rewritten text for text, then
//! every statement shape that applies to our tables, with the corpus's table and column names
//! put onto ours, planned (no API call) with its result columns named exactly as written.
//! The results themselves are checked against the fake server in tests/odbc_api/tableau_session.rs.

use super::escapes::rewrite;
use super::test_support::engine;

/// Corpus statements verbatim (by entry number) and their rewritten text.
const ESCAPES: &[(u32, &str, &str)] = &[
    (
        4,
        "SELECT SUM((CASE WHEN `Custom_SQL_Query`.`z` > 0 THEN {fn LOG10(`Custom_SQL_Query`.`z`)} ELSE NULL END)) AS `sum_Calculation_1621295916296810500_ok`,\n  SUM({fn CONVERT(`Custom_SQL_Query`.`x`, SQL_BIGINT)}) AS `sum_x_ok`",
        "SELECT SUM((CASE WHEN `Custom_SQL_Query`.`z` > 0 THEN LOG10(`Custom_SQL_Query`.`z`) ELSE NULL END)) AS `sum_Calculation_1621295916296810500_ok`,\n  SUM(CAST(`Custom_SQL_Query`.`x` AS BIGINT)) AS `sum_x_ok`",
    ),
    (
        5,
        "SELECT SUM({fn CONVERT(`MY_TEST`.`Q 2`, SQL_BIGINT)}) AS `sum_Q_2_ok` FROM `MY_TEST` HAVING (COUNT(1) > 0)",
        "SELECT SUM(CAST(`MY_TEST`.`Q 2` AS BIGINT)) AS `sum_Q_2_ok` FROM `MY_TEST` HAVING (COUNT(1) > 0)",
    ),
    (
        6,
        "SUM({fn CONVERT((CASE WHEN (`new`.`ie` = '网赚') THEN 1 ELSE 0 END), SQL_BIGINT)})",
        "SUM(CAST((CASE WHEN (`new`.`ie` = '网赚') THEN 1 ELSE 0 END) AS BIGINT))",
    ),
    (
        10,
        "SELECT {fn DAYOFWEEK(`Custom_SQL_Query`.`date`)} AS `dw_sentDate_ok`",
        "SELECT DAYOFWEEK(`Custom_SQL_Query`.`date`) AS `dw_sentDate_ok`",
    ),
    (
        18,
        "select sum({fn DEGREES((CASE WHEN (\"T\".\"PRICE\" + 2) = 0 THEN {fn CONVERT(NULL, SQL_DOUBLE)} ELSE \"T\".\"PRICE\" / (\"T\".\"PRICE\" + 2) END))}) from T",
        "select sum(DEGREES((CASE WHEN (\"T\".\"PRICE\" + 2) = 0 THEN CAST(NULL AS DOUBLE) ELSE \"T\".\"PRICE\" / (\"T\".\"PRICE\" + 2) END))) from T",
    ),
    (
        15,
        "GROUP BY {fn LTRIM({fn CONVERT({fn CONVERT({fn TRUNCATE((6 + {fn DAYOFYEAR(CAL_DT)}),0)}, SQL_BIGINT)}, SQL_VARCHAR)})}",
        "GROUP BY LTRIM(odbc_varchar(CAST(TRUNCATE((6 + DAYOFYEAR(CAL_DT)),0) AS BIGINT)))",
    ),
    (
        15,
        "{fn CONVERT( CAL_DT, SQL_DATE)}, {fn CONVERT(x, SQL_WVARCHAR)}",
        "CAST(CAL_DT AS DATE), odbc_varchar(x)",
    ),
    (
        47,
        "WHERE (CAST('2016-07-15 10:11:12.123' AS TIMESTAMP) = {ts '2016-07-15 10:11:12.123'})",
        "WHERE (CAST('2016-07-15 10:11:12.123' AS TIMESTAMP) = CAST('2016-07-15 10:11:12.123' AS TIMESTAMP(6)))",
    ),
];

#[test]
fn corpus_escape_shapes() {
    for (n, sql, want) in ESCAPES {
        assert_eq!(rewrite(sql).unwrap(), *want, "corpus entry {n}");
    }
}

/// Corpus statements on our tables: (entry, statement, result column names).
const SHAPES: &[(u32, &str, &[&str])] = &[
    (
        1,
        "SELECT SUM({fn CONVERT(PullRequests.CommentCount, SQL_BIGINT)}) AS sum_i_ok FROM PullRequests HAVING (COUNT(1) > 0)",
        &["sum_i_ok"],
    ),
    (
        2,
        "SELECT `PullRequests`.`State` AS `State`,\n  COUNT(DISTINCT `PullRequests`.`AuthorUuid`) AS `usr_Calculation_683139814283419648_ok`\nFROM `PullRequests`\nWHERE ((`PullRequests`.`CreatedOn` >= {fn TIMESTAMPADD(SQL_TSI_DAY,-9,CAST({fn CURRENT_TIMESTAMP(0)} AS DATE))}) AND (`PullRequests`.`CreatedOn` < {fn TIMESTAMPADD(SQL_TSI_DAY,1,CAST({fn CURRENT_TIMESTAMP(0)} AS DATE))}))\nGROUP BY `PullRequests`.`State`",
        &["State", "usr_Calculation_683139814283419648_ok"],
    ),
    (
        3,
        "SELECT `p`.`RepositorySlug` AS `municipality`,\n  `p`.`State` AS `region`,\n  SUM((CASE WHEN ({fn TIMESTAMPADD(SQL_TSI_DAY,CAST({fn TRUNCATE((-1 * (EXTRACT(DAY FROM {fn TIMESTAMPADD(SQL_TSI_DAY,-1,`p`.`CreatedOn`)}) - 1)),0)} AS INTEGER),CAST({fn TIMESTAMPADD(SQL_TSI_DAY,-1,`p`.`CreatedOn`)} AS DATE))} = {ts '2018-08-01 00:00:00'}) THEN (COALESCE(`p`.`CommentCount`, 0) * COALESCE(`p`.`TaskCount`, 0)) ELSE NULL END)) AS `sum_Calculation_437975098872115206_ok`\nFROM `PullRequests` `p`\nGROUP BY `municipality`,\n  `region`",
        &["municipality", "region", "sum_Calculation_437975098872115206_ok"],
    ),
    (
        4,
        "SELECT SUM((CASE WHEN `Custom_SQL_Query`.`z` > 0 THEN {fn LOG10(`Custom_SQL_Query`.`z`)} ELSE NULL END)) AS `sum_Calculation_1621295916296810500_ok`,\n  SUM({fn CONVERT(`Custom_SQL_Query`.`x`, SQL_BIGINT)}) AS `sum_x_ok`\nFROM (\n  select CommentCount+1 as x, CommentCount+2 as y, CommentCount as z from PullRequests\n) `Custom_SQL_Query`\nHAVING (COUNT(1) > 0)",
        &["sum_Calculation_1621295916296810500_ok", "sum_x_ok"],
    ),
    (
        5,
        "SELECT SUM({fn CONVERT(`MY_TEST`.`Q 2`, SQL_BIGINT)}) AS `sum_Q_2_ok` FROM (SELECT TaskCount AS `Q 2` FROM PullRequests) `MY_TEST` HAVING (COUNT(1) > 0)",
        &["sum_Q_2_ok"],
    ),
    (
        6,
        "SELECT `t0`.`date` AS `date`, SUM({fn CONVERT((CASE WHEN (`new`.`State` = 'MERGED') THEN 1 ELSE 0 END), SQL_BIGINT)}) AS `sum_Calculation_41236099892379657_ok` FROM `PullRequests` `new` INNER JOIN ( SELECT `new`.`RepositorySlug` AS `ce`,\nCAST(`r`.`CreatedOn` AS DATE) AS `date` FROM `PullRequests` `new` INNER JOIN `Repositories` `r` ON (`new`.`RepositorySlug` = `r`.`Slug`) WHERE ((CAST(`r`.`CreatedOn` AS DATE) >= {d '2001-09-02'}) AND (CAST(`r`.`CreatedOn` AS DATE\n) <= {d '2031-10-17'}) AND (`r`.`Language` = 'rust')) GROUP BY `ce`, `date` ) `t0` ON (`new`.`RepositorySlug` = `t0`.`ce`) GROUP BY `date`",
        &["date", "sum_Calculation_41236099892379657_ok"],
    ),
    (
        7,
        "SELECT {fn TIMESTAMPDIFF(SQL_TSI_DAY,CAST(`p`.`CreatedOn` AS DATE),CAST(`p`.`UpdatedOn` AS DATE))} AS `Calculation_503558746242125826`, SUM({fn CONVERT(1, SQL_BIGINT)}) AS `sum_Number_of_Records_ok` FROM `PullRequests` `p` GROUP BY 1",
        &["Calculation_503558746242125826", "sum_Number_of_Records_ok"],
    ),
    (
        8,
        "SELECT CAST({fn TRUNCATE(EXTRACT(YEAR FROM `PullRequests`.`CreatedOn`),0)} AS INTEGER) AS `yr_date_ok` FROM `Information`.`PullRequests`",
        &["yr_date_ok"],
    ),
    (
        9,
        "SELECT {fn QUARTER(`Custom_SQL_Query`.`date`)} AS `qr_sentDate_ok`, {fn DAYOFWEEK(`Custom_SQL_Query`.`date`)} AS `dw_sentDate_ok` FROM (SELECT CreatedOn AS `date` FROM PullRequests) `Custom_SQL_Query`",
        &["qr_sentDate_ok", "dw_sentDate_ok"],
    ),
    (
        11,
        "SELECT COUNT({fn ABS(`p`.`CommentCount`)}) AS `TEMP_Calculation_559572257702191122__2716881070__0_` FROM `PullRequests` `p`",
        &["TEMP_Calculation_559572257702191122__2716881070__0_"],
    ),
    (
        12,
        "SELECT CAST({fn TRUNCATE(EXTRACT(YEAR FROM {fn TIMESTAMPADD(SQL_TSI_DAY,(-1 * ({fn DAYOFWEEK(`E`.`CreatedOn`)} - 1)),CAST(`E`.`CreatedOn` AS DATE))}),0)} AS INTEGER) AS `yr_Calculation_ok` FROM `PullRequests` `E`",
        &["yr_Calculation_ok"],
    ),
    (
        13,
        "SELECT\n  \"P\".\"State\" AS \"State\",\n  SUM(\n    { fn DEGREES(\n      (\n        CASE\n          WHEN (\"P\".\"CommentCount\" + 2) = 0 THEN { fn CONVERT(NULL, SQL_DOUBLE) }\n          ELSE \"P\".\"CommentCount\" / (\"P\".\"CommentCount\" + 2)\n        END\n      )\n    ) }\n  ) AS \"sum_Calculation_4185251491127156773_ok\"\nFROM\n  \"Information\".\"PullRequests\" \"P\"\n    INNER JOIN \"Information\".\"Repositories\" \"R\" ON (\n      (\n        \"P\".\"RepositorySlug\" = \"R\".\"Slug\"\n      )\n      AND (\n        \"P\".\"RepositorySlug\" = \"R\".\"Name\"\n      )\n    )\n    INNER JOIN \"Information\".\"Projects\" \"J\" ON (\n      \"R\".\"ProjectKey\" = \"J\".\"Key\"\n    )\nGROUP BY\n  \"P\".\"State\"",
        &["State", "sum_Calculation_4185251491127156773_ok"],
    ),
    (
        14,
        "SELECT\n  SUM(\n    { fn CONVERT({ fn SIGN(\"P\".\"TaskCount\") }, SQL_BIGINT) }\n  ) AS \"sum_Calculation_4185251491172913201_ok\",\n  SUM({ fn CONVERT(1, SQL_BIGINT) }) AS \"sum_Number_of_Records_ok\"\nFROM\n  \"PullRequests\" \"P\"\n  INNER JOIN \"Repositories\" \"R\" ON (\n    (\n      \"P\".\"RepositorySlug\" = \"R\".\"Slug\"\n    )\n  )\nHAVING\n  (COUNT(1) > 0)",
        &["sum_Calculation_4185251491172913201_ok", "sum_Number_of_Records_ok"],
    ),
    (
        15,
        "SELECT {fn LTRIM( {fn CONVERT( {fn CONVERT( {fn TRUNCATE( ( 6 + {fn DAYOFYEAR(CreatedOn)} + ( {fn MOD( ( 7 + {fn DAYOFWEEK( {fn TIMESTAMPADD( SQL_TSI_DAY, {fn CONVERT( {fn TRUNCATE( (-1 * ({fn DAYOFYEAR(CreatedOn)} - 1)), 0)}, SQL_BIGINT)}, {fn CONVERT( CreatedOn, SQL_DATE)} )} )} - 2), 7)} ) ) / 7, 0)}, SQL_BIGINT)}, SQL_VARCHAR)})} AS \"TEMP_Test__499182808__0_\"\nFROM PullRequests\nGROUP BY {fn LTRIM({fn CONVERT({fn CONVERT({fn TRUNCATE((6 + {fn DAYOFYEAR(CreatedOn)} + ({fn MOD((7 + {fn DAYOFWEEK({fn TIMESTAMPADD(SQL_TSI_DAY,{fn CONVERT({fn TRUNCATE((-1 * ({fn DAYOFYEAR(CreatedOn)} - 1)),0)}, SQL_BIGINT)},{fn CONVERT(CreatedOn, SQL_DATE)})})} - 2), 7)})) / 7,0)}, SQL_BIGINT)}, SQL_VARCHAR)})}",
        &["TEMP_Test__499182808__0_"],
    ),
    (
        16,
        "SELECT {fn DAYOFYEAR({fn TIMESTAMPADD(SQL_TSI_DAY, CAST(NULL AS BIGINT), CAST('1900-01-01' AS DATE))})} AS col1\nFROM PullRequests",
        &["col1"],
    ),
    (
        17,
        "SELECT (CASE WHEN (CASE WHEN 4 = 0 THEN NULL ELSE \"P\".\"CommentCount\" / 4 END) <> 0 THEN {fn COT((CASE WHEN 4 = 0 THEN NULL ELSE \"P\".\"CommentCount\" / 4 END))} ELSE NULL END) AS \"Calculation_4185251491127037988\",\n\"P\".\"State\" AS \"State\",\n\"P\".\"CommentCount\" AS \"CommentCount\"\nFROM \"Information\".\"PullRequests\" \"P\"\nwhere CreatedOn>=date'2014-01-01'",
        &["Calculation_4185251491127037988", "State", "CommentCount"],
    ),
    (
        18,
        "select sum({fn DEGREES((CASE WHEN (\"PullRequests\".\"TaskCount\" + 2) = 0 THEN {fn CONVERT(NULL, SQL_DOUBLE)} ELSE \"PullRequests\".\"TaskCount\" / (\"PullRequests\".\"TaskCount\" + 2) END))}) AS s from PullRequests",
        &["s"],
    ),
    (
        19,
        "SELECT SUM(1) AS \"COL\",\n 2 AS \"COL2\"\n FROM (\n select p.State, r.Language, sum(p.CommentCount) as GMV\n , count(*) as TRANS_CNT\n from PullRequests p\n inner JOIN Repositories as r\n ON p.RepositorySlug = r.Slug\n where r.CreatedOn between DATE '2013-05-01' and DATE '2033-08-01'\n group by p.State, r.Language\n having sum(p.CommentCount)>5\n ) \"TableauSQL\"\n GROUP BY 2\n HAVING COUNT(1)>0",
        &["COL", "COL2"],
    ),
    (
        20,
        "SELECT \"TableauSQL\".\"Language\" AS \"none_Language_nk\"\n FROM (\n SELECT r.Language, p.State, sum(p.CommentCount) as GMV, count(*) as TRANS_CNT\n FROM PullRequests p\n inner JOIN Repositories r ON p.RepositorySlug = r.Slug\n group by r.Language, p.State\n ) \"TableauSQL\"\n GROUP BY \"TableauSQL\".\"Language\"",
        &["none_Language_nk"],
    ),
    (
        21,
        "SELECT SUM(\"TableauSQL\".\"GMV\") AS \"sum_GMV_ok\",\n SUM(\"TableauSQL\".\"TRANS_CNT\") AS \"sum_TRANS_CNT_ok\"\n FROM (\n SELECT r.Language, sum(p.CommentCount) as GMV, count(*) as TRANS_CNT\n FROM PullRequests p inner JOIN Repositories r ON p.RepositorySlug = r.Slug\n group by r.Language\n ) \"TableauSQL\"\n HAVING (COUNT(1) > 0)",
        &["sum_GMV_ok", "sum_TRANS_CNT_ok"],
    ),
    (
        22,
        "SELECT \"TableauSQL\".\"State\" AS \"none_State_nk\", SUM(\"TableauSQL\".\"TRANS_CNT\") AS \"sum_TRANS_CNT_qk\"\n FROM ( select PullRequests.State, sum(CommentCount) as GMV, count(AuthorUuid) as TRANS_CNT\n from PullRequests where PullRequests.State > 'ab'\n group by PullRequests.State having count(AuthorUuid) > 2 ) \"TableauSQL\"\n GROUP BY \"TableauSQL\".\"State\"",
        &["none_State_nk", "sum_TRANS_CNT_qk"],
    ),
    (
        23,
        "SELECT \"PullRequests\".\"RepositorySlug\" AS \"NONE_RepositorySlug_OK\"\nFROM \"PullRequests\" \"PullRequests\"\nGROUP BY \"PullRequests\".\"RepositorySlug\"",
        &["NONE_RepositorySlug_OK"],
    ),
    (
        24,
        "SELECT \"PullRequests\".\"RepositorySlug\", SUM(\"PullRequests\".\"CommentCount\") AS \"sum_CommentCount_ok\"\n\tFROM \"PullRequests\"\n    INNER JOIN \"Information\".\"Repositories\" AS \"R\" ON (\"PullRequests\".\"RepositorySlug\" = \"R\".\"Slug\")\n    INNER JOIN (\n     SELECT COUNT(1) AS \"XTableau_join_flag\",\n      SUM(\"PullRequests\".\"CommentCount\") AS \"X__alias__A\",\n       \"PullRequests\".\"RepositorySlug\" AS \"none_RepositorySlug_ok\"   FROM \"PullRequests\"\n         INNER JOIN \"Information\".\"Repositories\" AS \"R\" ON (\"PullRequests\".\"RepositorySlug\" = \"R\".\"Slug\")\n     GROUP BY \"PullRequests\".\"RepositorySlug\"   ORDER BY 2 DESC   LIMIT 10  ) \"t0\" ON (\"PullRequests\".\"RepositorySlug\" = \"t0\".\"none_RepositorySlug_ok\")\n    GROUP BY \"PullRequests\".\"RepositorySlug\"",
        &["RepositorySlug", "sum_CommentCount_ok"],
    ),
    (
        25,
        "SELECT (CASE \"PullRequests\".\"State\" WHEN 'MERGED' THEN '111' ELSE '222' END) AS \"State__group_\",\n  SUM(\"PullRequests\".\"CommentCount\") AS \"sum_CommentCount_ok\"\nFROM \"PullRequests\" \"PullRequests\"\ngroup by (CASE \"PullRequests\".\"State\" WHEN 'MERGED' THEN '111' ELSE '222' END)  ORDER BY 1 ASC",
        &["State__group_", "sum_CommentCount_ok"],
    ),
    (26, "SELECT * FROM Information.Projects", &["Uuid", "Key", "Name", "Description", "IsPrivate", "HasPubliclyVisibleRepos", "CreatedOn", "UpdatedOn"]),
    (27, "SELECT * FROM Information.Projects WHERE 1=0", &["Uuid", "Key", "Name", "Description", "IsPrivate", "HasPubliclyVisibleRepos", "CreatedOn", "UpdatedOn"]),
    (28, "SELECT * FROM Information.Projects LIMIT 0", &["Uuid", "Key", "Name", "Description", "IsPrivate", "HasPubliclyVisibleRepos", "CreatedOn", "UpdatedOn"]),
    (
        29,
        "SELECT *\nFROM (\n    SELECT Key, Name\n    FROM `acme`.`Information`.`Projects`\n) AS `custom_sql_query`\nLIMIT 0",
        &["Key", "Name"],
    ),
    (30, "SELECT * FROM (SELECT Key, Name FROM \"Information\".\"Projects\") \"TableauSQL\" WHERE (0 = 1)", &["Key", "Name"]),
    (31, "SELECT * FROM (SELECT Key, Name FROM Information.\"Projects\") \"カスタム SQL クエリー\" WHERE (0 = 1)", &["Key", "Name"]),
    (32, "SELECT 1", &["Int64(1)"]),
    (33, "select Name from Repositories where CreatedOn > {d '1987-12-29'}", &["Name"]),
    (
        34,
        "SELECT CAST(\"Calcs\".\"CommentCount\" AS TEXT) AS \"TEMP(Test)(2617331766)(0)\"\nFROM \"Information\".\"PullRequests\" \"Calcs\"\nGROUP BY 1",
        &["TEMP(Test)(2617331766)(0)"],
    ),
    (
        35,
        "SELECT (CASE\n\tWHEN \"Calcs\".\"IsPrivate\" THEN '1'\n\tWHEN NOT \"Calcs\".\"IsPrivate\" THEN '0'\n\tELSE NULL END) AS \"TEMP(Test)(3200082645)(0)\"\nFROM \"Information\".\"Repositories\" \"Calcs\"\nGROUP BY 1",
        &["TEMP(Test)(3200082645)(0)"],
    ),
    (36, "SELECT \"Staples\".\"Language\" AS \"Ship Priority\"\nFROM \"Repositories\" \"Staples\"\nGROUP BY 1", &["Ship Priority"]),
    (
        37,
        "SELECT (select MAX(Size) from Repositories) AS \"TEMP(Test)(4103485166)(0)\"\nFROM \"Repositories\"\nHAVING (COUNT(1) > 0)",
        &["TEMP(Test)(4103485166)(0)"],
    ),
    (
        38,
        "SELECT AVG(\"Calcs\".\"Size\") AS \"TEMP(Test)(3952218057)(0)\"\nFROM \"Repositories\" \"Calcs\"\nHAVING (COUNT(1) > 0)",
        &["TEMP(Test)(3952218057)(0)"],
    ),
    (
        41,
        "SELECT `Calcs`.`Slug` AS `key`\nFROM `Information`.`Repositories` `Calcs`\nWHERE `Calcs`.`CreatedOn` IN (CAST('1972-07-04 00:00:00' AS TIMESTAMP), CAST('1975-11-12 00:00:00' AS TIMESTAMP), CAST('2004-06-19 00:00:00' AS TIMESTAMP))\nGROUP BY 1",
        &["key"],
    ),
    (
        42,
        "SELECT `Calcs`.`RepositorySlug` AS `key`,\n  SUM(`Calcs`.`CommentCount`) AS `sum_num2_ok`\nFROM `Information`.`PullRequests` `Calcs`\nGROUP BY 1\nORDER BY `sum_num2_ok` ASC\nLIMIT 10",
        &["key", "sum_num2_ok"],
    ),
    (
        43,
        "SELECT `Calcs`.`State` AS `str0`,\n  SUM(`Calcs`.`TaskCount`) AS `sum_int2_ok`\nFROM `Information`.`PullRequests` `Calcs`\n  JOIN (\n  SELECT `Calcs`.`State` AS `str0`,\n    SUM(`Calcs`.`TaskCount`) AS `x__alias__0`\n  FROM `Information`.`PullRequests` `Calcs`\n  GROUP BY 1\n  ORDER BY `x__alias__0` DESC\n  LIMIT 2\n) `t0` ON (`Calcs`.`State` = `t0`.`str0`)\nWHERE (((`Calcs`.`RepositorySlug` >= 'a') AND (`Calcs`.`RepositorySlug` <= 'c')) OR ((`Calcs`.`RepositorySlug` >= 'm') AND (`Calcs`.`RepositorySlug` <= 'z')))\nGROUP BY 1",
        &["str0", "sum_int2_ok"],
    ),
    (
        44,
        "SELECT `t0`.`x_measure__0` AS `calculation_845269395859349504`,\n  `Calcs`.`Language` AS `int1`,\n  SUM(`Calcs`.`Size`) AS `sum_num1_ok`\nFROM `Information`.`Repositories` `Calcs`\n  JOIN (\n  SELECT `Calcs`.`Language` AS `int1`,\n    `Calcs`.`Slug` AS `key`,\n    SUM(`Calcs`.`Size`) AS `x_measure__0`\n  FROM `Information`.`Repositories` `Calcs`\n  GROUP BY 1,\n    2\n) `t0` ON ((`Calcs`.`Language` IS NOT DISTINCT FROM `t0`.`int1`) AND (`Calcs`.`Slug` IS NOT DISTINCT FROM `t0`.`key`))\nGROUP BY 1,\n  2",
        &["calculation_845269395859349504", "int1", "sum_num1_ok"],
    ),
    (
        45,
        "SELECT `Staples`.`Slug` AS `customer_name`,\n  CAST((12 * YEAR(`Staples`.`CreatedOn`) + MONTH(`Staples`.`CreatedOn`)) - (12 * YEAR(`t0`.`x_measure__0`) + MONTH(`t0`.`x_measure__0`)) AS BIGINT) AS `lod___fixed___2__copy_`,\n  SUM(`Staples`.`Size`) AS `sum_sales_total_ok`\nFROM `Information`.`Repositories` `Staples`\n  JOIN (\n  SELECT MIN(`Staples`.`CreatedOn`) AS `x_measure__0`\n  FROM `Information`.`Repositories` `Staples`\n  GROUP BY 1.1000000000000001\n) `t0`\nGROUP BY 1,\n  2",
        &["customer_name", "lod___fixed___2__copy_", "sum_sales_total_ok"],
    ),
    (
        46,
        "SELECT COUNT(DISTINCT (CASE WHEN `calcs`.`IsPrivate` THEN 1 WHEN NOT `calcs`.`IsPrivate` THEN 0 ELSE NULL END)) AS `temp_test__1408008556__0_`\nFROM `Information`.`Repositories` `calcs`\nGROUP BY 1.1000000000000001",
        &["temp_test__1408008556__0_"],
    ),
    (
        47,
        "SELECT CAST('2016-07-15 10:11:12.123' AS TIMESTAMP) AS `calculation_958703807427547136`\nFROM `Information`.`Repositories` `Calcs`\nWHERE (CAST('2016-07-15 10:11:12.123' AS TIMESTAMP) = CAST('2016-07-15 10:11:12.123' AS TIMESTAMP))\nGROUP BY 1.1000000000000001",
        &["calculation_958703807427547136"],
    ),
    (
        48,
        "SELECT `Calcs`.`ParentFullName` AS `str2`,\n  SUM(`Calcs`.`Size`) AS `sum_num3_ok`\nFROM `Information`.`Repositories` `Calcs`\nWHERE (`Calcs`.`ParentFullName` IS NULL)\nGROUP BY 1",
        &["str2", "sum_num3_ok"],
    ),
    (
        49,
        "SELECT (CASE WHEN `calcs`.`TaskCount` = 0 THEN NULL ELSE CAST(`calcs`.`CommentCount` AS DOUBLE) / `calcs`.`TaskCount` END) AS `temp_test__2402101080__0_`\nFROM `Information`.`PullRequests` `calcs`\nGROUP BY 1",
        &["temp_test__2402101080__0_"],
    ),
    (
        50,
        "SELECT `PullRequests`.`RepositorySlug` AS `DestCityName`,   SUM(`PullRequests`.`CommentCount`) AS `$__alias__0` FROM `PullRequests` GROUP BY 1 ORDER BY `$__alias__0` DESC,   `DestCityName` ASC LIMIT 10",
        &["DestCityName", "$__alias__0"],
    ),
    (
        51,
        "SELECT SUM(`PullRequests`.`TaskCount`) AS `TEMP(TEMP(TC_)(4001152001)(0))(105357904)(0)`,   COUNT(`PullRequests`.`TaskCount`) AS `TEMP(TEMP(TC_)(4001152001)(0))(2584840543)(0)` FROM `PullRequests` GROUP BY 1.1000000000000001",
        &["TEMP(TEMP(TC_)(4001152001)(0))(105357904)(0)", "TEMP(TEMP(TC_)(4001152001)(0))(2584840543)(0)"],
    ),
    (
        52,
        "SELECT (CASE WHEN 3 >= 0 THEN LEFT(`Repositories`.`Slug`,3) ELSE NULL END) AS `Calculation_462181953493630977` FROM `Repositories` GROUP BY 1",
        &["Calculation_462181953493630977"],
    ),
    (53, "SELECT 1 AS `empty` FROM `Repositories`", &["empty"]),
    (
        55,
        "SELECT r.Language AS Language, SUM(r.Size) AS \"sum:Size:ok\" FROM \"Information\".\"Repositories\" \"r\" WHERE (CASE WHEN (r.Language = 'go') THEN FALSE WHEN (r.Language = 'rust') THEN FALSE ELSE TRUE END) GROUP BY 1",
        &["Language", "sum:Size:ok"],
    ),
    (
        56,
        "SELECT CAST(TRUNC(EXTRACT(YEAR FROM r.CreatedOn)) AS INTEGER) AS \"yr:CreatedOn:ok\" FROM \"Information\".\"Repositories\" \"r\" GROUP BY 1",
        &["yr:CreatedOn:ok"],
    ),
    (
        57,
        "SELECT COUNT(DISTINCT \"r\".\"IsPrivate\") AS \"ctd:IsPrivate:ok\", \"r\".\"IsPrivate\" AS \"IsPrivate\" FROM \"Information\".\"Repositories\" \"r\" GROUP BY 2",
        &["ctd:IsPrivate:ok", "IsPrivate"],
    ),
];

/// Entries left out of SHAPES, and why.
const NOT_APPLICABLE: &[(u32, &str)] = &[
    (10, "DAYOFWEEK over Custom SQL: in entry 9's shape"),
    (
        39,
        "SQL Server dialect ([..] quoting, COUNT_BIG, GROUP BY ()): Tableau's ODBC dialect writes HAVING (COUNT(1) > 0)",
    ),
    (40, "RAWSQL correlated scalar subquery in GROUP BY: user SQL, not generated"),
    (
        54,
        "ISNULL(x) is the OpenSearch connector's dialect; Tableau's ODBC dialect writes (x IS NULL)",
    ),
];

#[test]
fn corpus_shapes_plan_on_our_tables() {
    let e = engine();
    let mut failed = Vec::new();
    for (n, sql, names) in SHAPES {
        match crate::runtime::block_on(e.prepare(sql, None)) {
            Ok(p) => {
                let got: Vec<&str> = p.schema.fields().iter().map(|f| f.name().as_str()).collect();
                if got != *names {
                    failed.push(format!("[{n}] columns {got:?}, want {names:?}"));
                }
            }
            Err(err) => failed.push(format!("[{n}] {err}\n{sql}")),
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
}

#[test]
fn every_corpus_entry_is_accounted_for() {
    for n in 1..=57u32 {
        let covered = SHAPES.iter().any(|(k, _, _)| *k == n) || NOT_APPLICABLE.iter().any(|(k, _)| *k == n);
        assert!(covered, "corpus entry {n} has no shape on our tables");
    }
}
