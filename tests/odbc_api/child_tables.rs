//! Child and settings tables (comments, participants, activity, PR commits and diffstats,
//! statuses, steps, permissions, webhooks, branch rules): one repository through its schema,
//! the whole workspace through the Information schema, against the generator's data.

use super::repo_tables::{assert_both_schemas, core_api, num, sorted, ts, warnings_of, Rows};
use crate::common::*;
use fake_bitbucket::data::{PrActivity, Repository};
use fake_bitbucket::Dataset;

fn b(v: bool) -> Option<String> {
    Some(if v { "1" } else { "0" }.to_string())
}

fn opt_num(n: Option<u64>) -> Option<String> {
    n.map(|n| n.to_string())
}

/// Columns selected from a repository-scoped table and the generator's rows for one repository.
type Spec = (&'static str, &'static str, fn(&Dataset, &Repository) -> Rows);

const REPO_SPECS: &[Spec] = &[
    (
        "PullRequestComments",
        "RepositorySlug, PullRequestId, Id, ContentRaw, ParentId, InlinePath, InlineTo, Pending, CreatedOn",
        |ds, r| {
            ds.pull_requests(&r.uuid)
                .iter()
                .flat_map(|p| ds.pr_comments(&r.uuid, p.id))
                .filter(|c| !c.deleted)
                .map(|c| {
                    vec![
                        s(&r.slug),
                        opt_num(c.pr_id),
                        num(c.id),
                        s(&c.raw),
                        opt_num(c.parent_id),
                        c.inline.as_ref().map(|i| i.path.clone()),
                        c.inline.as_ref().and_then(|i| opt_num(i.to)),
                        b(c.pending),
                        Some(ts(&c.created_on)),
                    ]
                })
                .collect()
        },
    ),
    (
        "PullRequestParticipants",
        "RepositorySlug, PullRequestId, UserUuid, Role, Approved, State",
        |ds, r| {
            ds.pull_requests(&r.uuid)
                .iter()
                .flat_map(|p| {
                    p.participants.iter().map(move |x| {
                        vec![
                            s(&r.slug),
                            num(p.id),
                            s(&x.user_uuid),
                            s(x.role.as_str()),
                            b(x.approved),
                            x.state.clone(),
                        ]
                    })
                })
                .collect()
        },
    ),
    (
        "PullRequestActivity",
        "RepositorySlug, PullRequestId, Kind, Date, UserUuid, State, CommentId",
        |ds, r| {
            ds.repo_pr_activity(&r.uuid)
                .iter()
                .map(|a| {
                    let (user, state, comment) = match a {
                        PrActivity::Update { state, author_uuid, .. } => (s(author_uuid), s(state.as_str()), None),
                        PrActivity::Approval { user_uuid, .. } | PrActivity::ChangesRequested { user_uuid, .. } => {
                            (s(user_uuid), None, None)
                        }
                        PrActivity::Comment { comment, .. } => (s(&comment.user_uuid), None, num(comment.id)),
                    };
                    vec![s(&r.slug), num(a.pr().id), s(a.kind()), Some(ts(&a.date())), user, state, comment]
                })
                .collect()
        },
    ),
    (
        "PullRequestCommits",
        "RepositorySlug, PullRequestId, Hash, Date, AuthorRaw",
        |ds, r| {
            ds.pull_requests(&r.uuid)
                .iter()
                .flat_map(|p| {
                    ds.pr_commits(&r.uuid, p.id)
                        .into_iter()
                        .map(move |c| vec![s(&r.slug), num(p.id), s(&c.hash), Some(ts(&c.date)), s(&c.author.raw)])
                })
                .collect()
        },
    ),
    (
        "PullRequestDiffStats",
        "RepositorySlug, PullRequestId, Status, OldPath, NewPath, LinesAdded, LinesRemoved",
        |ds, r| {
            ds.pull_requests(&r.uuid)
                .iter()
                .flat_map(|p| {
                    ds.pr_diffstat(&r.uuid, p.id).into_iter().map(move |d| {
                        vec![
                            s(&r.slug),
                            num(p.id),
                            s(&d.status),
                            d.old_path.clone(),
                            d.new_path.clone(),
                            num(d.lines_added),
                            num(d.lines_removed),
                        ]
                    })
                })
                .collect()
        },
    ),
    (
        "CommitStatuses",
        "RepositorySlug, CommitHash, Key, State, Name, RefName, UpdatedOn",
        |ds, r| {
            ds.commits(&r.uuid)
                .iter()
                .flat_map(|c| ds.commit_statuses(&r.uuid, &c.hash))
                .map(|x| {
                    vec![
                        s(&r.slug),
                        s(&x.commit_hash),
                        s(&x.key),
                        s(&x.state),
                        s(&x.name),
                        x.refname.clone(),
                        Some(ts(&x.updated_on)),
                    ]
                })
                .collect()
        },
    ),
    (
        "CommitComments",
        "RepositorySlug, CommitHash, Id, ContentRaw, ParentId, Deleted",
        |ds, r| {
            ds.commits(&r.uuid)
                .iter()
                .flat_map(|c| ds.commit_comments(&r.uuid, &c.hash))
                .filter(|c| !c.deleted)
                .map(|c| {
                    vec![
                        s(&r.slug),
                        c.commit_hash.clone(),
                        num(c.id),
                        s(&c.raw),
                        opt_num(c.parent_id),
                        b(c.deleted),
                    ]
                })
                .collect()
        },
    ),
    (
        "PipelineSteps",
        "RepositorySlug, PipelineUuid, Uuid, Name, StateName, ResultName, StartedOn",
        |ds, r| {
            ds.pipelines(&r.uuid)
                .iter()
                .flat_map(|p| ds.pipeline_steps(&r.uuid, &p.uuid))
                .map(|x| {
                    vec![
                        s(&r.slug),
                        s(&x.pipeline_uuid),
                        s(&x.uuid),
                        s(&x.name),
                        s(&x.state),
                        x.result.clone(),
                        x.started_on.as_ref().map(ts),
                    ]
                })
                .collect()
        },
    ),
    (
        "IssueComments",
        "RepositorySlug, IssueId, Id, ContentRaw, UserUuid, UpdatedOn",
        |ds, r| {
            ds.issues(&r.uuid)
                .iter()
                .flat_map(|i| ds.issue_comments(&r.uuid, i.id))
                .map(|c| {
                    vec![
                        s(&r.slug),
                        num(c.issue_id),
                        num(c.id),
                        s(&c.raw),
                        c.user_uuid.clone(),
                        c.updated_on.as_ref().map(ts),
                    ]
                })
                .collect()
        },
    ),
    (
        "BranchRestrictions",
        "RepositorySlug, Id, Kind, BranchMatchKind, Pattern, BranchType, Value",
        |ds, r| {
            ds.branch_restrictions(&r.uuid)
                .iter()
                .map(|x| {
                    vec![
                        s(&r.slug),
                        num(x.id),
                        s(&x.kind),
                        s(&x.branch_match_kind),
                        s(&x.pattern),
                        x.branch_type.clone(),
                        opt_num(x.value),
                    ]
                })
                .collect()
        },
    ),
    ("DefaultReviewers", "RepositorySlug, UserUuid, ReviewerType", |ds, r| {
        ds.default_reviewers(&r.uuid)
            .iter()
            .map(|u| vec![s(&r.slug), s(u), s("repository")])
            .collect()
    }),
];

#[test]
fn child_tables_equal_the_generated_rows() {
    let conn = connect();
    let ds = dataset();
    let core = core_api(&ds);
    let repos = acme_repos(&ds);
    for (table, cols, rows_of) in REPO_SPECS {
        assert_both_schemas(&conn, &ds, &core, &repos, table, cols, *rows_of);
    }
}

#[test]
fn workspace_settings_tables_equal_the_generated_rows() {
    let conn = connect();
    let ds = dataset();
    let acme = ds.find_workspace("acme").expect("acme").clone();
    let repos = acme_repos(&ds);
    let slug_of = |uuid: &str| repos.iter().find(|r| r.uuid == uuid).map(|r| r.slug.clone());

    let expected: Rows = ds
        .members_of(&acme.uuid)
        .map(|m| vec![s(&m.user_uuid), s(m.permission.as_str()), m.added_on.as_ref().map(ts)])
        .collect();
    let got = query_text(&conn, "SELECT UserUuid, Permission, AddedOn FROM WorkspacePermissions");
    assert_eq!(sorted(got), sorted(expected), "WorkspacePermissions");

    let expected: Rows = ds
        .repo_permissions(&acme.uuid)
        .iter()
        .map(|p| vec![slug_of(&p.repo_uuid), s(&p.user_uuid), s(p.permission.as_str())])
        .collect();
    assert!(!expected.is_empty());
    let got = query_text(&conn, "SELECT RepositorySlug, UserUuid, Permission FROM RepositoryPermissions");
    assert_eq!(sorted(got), sorted(expected), "RepositoryPermissions");

    let expected: Rows = ds
        .projects_in(&acme.uuid)
        .flat_map(|p| {
            let users = ds
                .project_user_permissions(&p.uuid)
                .into_iter()
                .map(move |x| (p, "user", x.user_uuid.clone(), x));
            let groups = ds
                .project_group_permissions(&p.uuid)
                .into_iter()
                .map(move |x| (p, "group", x.group_slug.clone(), x));
            users.chain(groups)
        })
        .map(|(p, kind, id, x)| vec![s(&p.key), s(kind), id, s(&x.permission)])
        .collect();
    assert!(expected.iter().any(|r| r[1].as_deref() == Some("group")), "groups in the fake");
    let got = query_text(
        &conn,
        "SELECT ProjectKey, PrincipalType, PrincipalId, Permission FROM ProjectPermissions",
    );
    assert_eq!(sorted(got), sorted(expected), "ProjectPermissions");

    let hook = |h: &fake_bitbucket::data::Webhook| {
        vec![
            s(&h.uuid),
            h.repo_uuid.as_deref().and_then(slug_of),
            s(&h.url),
            b(h.active),
            Some(h.events.join(",")),
            Some(ts(&h.created_at)),
        ]
    };
    let mut expected: Rows = ds.workspace_hooks(&acme.uuid).into_iter().map(hook).collect();
    expected.extend(repos.iter().flat_map(|r| ds.repo_hooks(&r.uuid)).map(hook));
    assert!(expected.iter().any(|r| r[1].is_none()) && expected.iter().any(|r| r[1].is_some()));
    let got = query_text(&conn, "SELECT Uuid, RepositorySlug, Url, Active, Events, CreatedAt FROM Webhooks");
    assert_eq!(sorted(got), sorted(expected), "Webhooks");
}

#[test]
fn deleted_comments_only_with_include_deleted() {
    let ds = dataset();
    let core = core_api(&ds);
    let all: Vec<_> = ds
        .pull_requests(&core.uuid)
        .iter()
        .flat_map(|p| ds.pr_comments(&core.uuid, p.id))
        .collect();
    let deleted = all.iter().filter(|c| c.deleted).count();
    assert!(deleted > 0, "core-api has deleted comments in the fake");
    let sql = r#"SELECT Id, Deleted FROM "acme"."core-api"."PullRequestComments""#;
    assert_eq!(query_text(&connect(), sql).len(), all.len() - deleted);
    let with = env()
        .connect_with_connection_string(&format!("{}IncludeDeleted=true;", conn_string()), Default::default())
        .unwrap();
    let rows = query_text(&with, sql);
    assert_eq!(rows.len(), all.len());
    assert_eq!(rows.iter().filter(|r| r[1].as_deref() == Some("1")).count(), deleted);
}

#[test]
fn pinned_parent_keys_read_only_those_parents() {
    let srv = fake_bitbucket::FakeServer::start(Default::default()).unwrap();
    let conn = env()
        .connect_with_connection_string(&conn_string_for(&srv.base_url(), TOKEN), Default::default())
        .unwrap();
    let ds = srv.dataset();
    let core = core_api(&ds);
    let ids: Vec<u64> = ds.pull_requests(&core.uuid).iter().map(|p| p.id).take(2).collect();
    let expected: usize = ids
        .iter()
        .map(|id| ds.pr_comments(&core.uuid, *id).iter().filter(|c| !c.deleted).count())
        .sum();
    let before = srv.request_count();
    let sql = format!(
        "SELECT Id FROM PullRequestComments WHERE RepositorySlug = 'core-api' AND PullRequestId IN ({}, {})",
        ids[0], ids[1]
    );
    assert_eq!(query_text(&conn, &sql).len(), expected);
    let paths: Vec<String> = srv.requests().into_iter().skip(before).map(|r| r.path).collect();
    // No repository list, no pull-request list: one comments list per pinned pull request.
    assert_eq!(paths.len(), 2, "{paths:#?}");
    assert!(
        paths
            .iter()
            .all(|p| p.contains("/core-api/pullrequests/") && p.ends_with("/comments")),
        "{paths:#?}"
    );
}

#[test]
fn issue_comments_skip_a_repository_without_tracker_with_a_warning() {
    let conn = connect();
    let ds = dataset();
    let expected: usize = acme_repos(&ds)
        .iter()
        .flat_map(|r| ds.issues(&r.uuid).into_iter().map(move |i| (r, i)))
        .map(|(r, i)| ds.issue_comments(&r.uuid, i.id).len())
        .sum();
    let (rows, diags) = warnings_of(&conn, "SELECT RepositorySlug, Id FROM IssueComments");
    assert_eq!(rows, expected);
    assert!(
        diags.iter().any(|(st, m)| st == "01000" && m.contains("legacy-tracker")),
        "{diags:?}"
    );
}

#[test]
fn revision_lists_the_history_of_one_branch() {
    let conn = connect();
    let ds = dataset();
    let core = core_api(&ds);
    let branch = ds
        .branches(&core.uuid)
        .into_iter()
        .find(|b| b.name.contains('/'))
        .expect("a branch with a slash");
    let expected = ds
        .commits_between(&core.uuid, &[branch.name.as_str()], &[])
        .expect("history of the branch");
    let sql = format!(
        r#"SELECT Hash, Revision FROM "acme"."core-api"."Commits" WHERE Revision = '{}'"#,
        branch.name
    );
    let got = query_text(&conn, &sql);
    assert_eq!(got.len(), expected.len());
    assert!(got.len() < ds.commits(&core.uuid).len(), "a branch's history is not every commit");
    assert!(got.iter().all(|r| r[1].as_deref() == Some(branch.name.as_str())));
}

#[test]
fn warnings_belong_to_the_statement_that_raised_them() {
    use odbc_api::handles::{Record, SqlResult, SqlText, Statement};
    let conn = connect();
    let diags_of = |stmt: &odbc_api::handles::StatementImpl<'_>| {
        let (mut rec, mut n, mut out) = (Record::default(), 1, Vec::new());
        while rec.fill_from(stmt, n) {
            out.push(String::from_utf8_lossy(&rec.message).into_owned());
            n += 1;
        }
        out
    };
    // Statement A reads Issues workspace-wide (legacy-tracker warns) and stays open.
    let mut a = conn.preallocate().unwrap().into_handle();
    // SAFETY: fresh statement handles, nothing bound.
    let res = unsafe { a.exec_direct(&SqlText::new("SELECT RepositorySlug FROM Issues")) };
    let mut a_diags = diags_of(&a);
    assert!(matches!(res, SqlResult::Success(()) | SqlResult::SuccessWithInfo(())));
    // Statement B on the same connection sees none of A's warnings.
    let (_, b_diags) = warnings_of(&conn, r#"SELECT Name FROM "acme"."core-api"."Branches""#);
    assert!(b_diags.is_empty(), "{b_diags:?}");
    loop {
        match unsafe { a.fetch() } {
            SqlResult::Success(()) => {}
            SqlResult::SuccessWithInfo(()) => a_diags.extend(diags_of(&a)),
            SqlResult::NoData => break,
            _ => panic!("fetch failed: {:?}", diags_of(&a)),
        }
    }
    assert!(a_diags.iter().any(|m| m.contains("legacy-tracker")), "{a_diags:?}");
}
