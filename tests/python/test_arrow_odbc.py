"""arrow-odbc (PyPI), a bulk reader: it binds every column column-wise into block cursors of
`batch_size` rows (SQL_ATTR_ROW_ARRAY_SIZE, SQL_ATTR_ROWS_FETCHED_PTR) and reads the IRD /
SQLDescribeCol metadata to pick Arrow types. Values are checked against pyodbc's row-by-row
SQLGetData read of the same query."""

import datetime
import decimal

import pyarrow as pa
import pytest
from arrow_odbc import read_arrow_batches_from_odbc

from conftest import DSN

COMMITS = "SELECT RepositorySlug, Hash, Message, Date FROM Commits ORDER BY RepositorySlug, Hash"
TYPED = (
    "SELECT Hash, CAST(CAST(LENGTH(Message) AS DOUBLE) / 8 AS DECIMAL(10, 3)) AS Dec, "
    "CAST(Date AS DATE) AS Day, Date, CAST(LENGTH(Message) AS BIGINT) AS Len, "
    "CAST(LENGTH(Message) AS DOUBLE) / 4 AS Quarter, LENGTH(Message) > 30 AS Long "
    "FROM Commits ORDER BY Hash"
)
BATCH = 100


def read(sql: str, batch_size: int = BATCH):
    reader = read_arrow_batches_from_odbc(query=sql, connection_string=f"DSN={DSN}", batch_size=batch_size)
    return reader.schema, list(reader)


def test_commits_in_batches_match_pyodbc(cnxn):
    expected = [tuple(r) for r in cnxn.cursor().execute(COMMITS).fetchall()]
    assert len(expected) > 3 * BATCH, f"enough commits for several batches: {len(expected)}"
    schema, batches = read(COMMITS)
    assert [b.num_rows for b in batches[:-1]] == [BATCH] * (len(batches) - 1)
    assert len(batches) == -(-len(expected) // BATCH)
    assert schema.field("Hash").type == pa.string()
    assert schema.field("Date").type == pa.timestamp("us")
    table = pa.Table.from_batches(batches, schema=schema)
    got = list(zip(*(table.column(i).to_pylist() for i in range(table.num_columns))))
    assert got == expected


def test_decimal_date_timestamp_and_numbers(cnxn):
    expected = [tuple(r) for r in cnxn.cursor().execute(TYPED).fetchall()]
    schema, batches = read(TYPED, 1000)
    assert schema.field("Dec").type == pa.decimal128(10, 3)
    assert schema.field("Day").type == pa.date32()
    assert schema.field("Date").type == pa.timestamp("us")
    assert schema.field("Len").type == pa.int64()
    assert schema.field("Quarter").type == pa.float64()
    assert schema.field("Long").type == pa.bool_()
    table = pa.Table.from_batches(batches, schema=schema)
    got = list(zip(*(table.column(i).to_pylist() for i in range(table.num_columns))))
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert g == e
        assert isinstance(g[1], decimal.Decimal)
        assert isinstance(g[2], datetime.date) and isinstance(g[3], datetime.datetime)
        assert g[1] == (decimal.Decimal(g[4]) / 8).quantize(decimal.Decimal("0.001"), rounding=decimal.ROUND_HALF_UP)


def test_small_batches_end_with_a_partial_batch(cnxn):
    # Text arrives whole whatever the batch size, including in the last, partial, batch.
    sql = "SELECT Slug, Name FROM Repositories ORDER BY Slug"
    expected = [tuple(r) for r in cnxn.cursor().execute(sql).fetchall()]
    schema, batches = read(sql, 5)
    assert [b.num_rows for b in batches] == [5] * (len(expected) // 5) + ([len(expected) % 5] if len(expected) % 5 else [])
    table = pa.Table.from_batches(batches, schema=schema)
    assert list(zip(table.column(0).to_pylist(), table.column(1).to_pylist())) == expected


@pytest.mark.parametrize("sql", ["SELECT Slug FROM Repositories WHERE 1 = 0"])
def test_empty_result_has_a_schema(fake, sql):
    schema, batches = read(sql)
    assert schema.names == ["Slug"]
    assert sum(b.num_rows for b in batches) == 0
