//! Stored procedures of contract section 5, as data: SQLProcedures, SQLProcedureColumns,
//! sys_procedures and sys_procedureparameters all read this list.

use super::defs::ColType::{self, *};

/// An input parameter or a column of the result set a procedure returns.
#[derive(Debug)]
pub struct ProcColumn {
    pub name: &'static str,
    pub ty: ColType,
    pub required: bool,
    pub desc: &'static str,
}

const fn input(name: &'static str, ty: ColType, required: bool, desc: &'static str) -> ProcColumn {
    ProcColumn { name, ty, required, desc }
}
const fn output(name: &'static str, ty: ColType, desc: &'static str) -> ProcColumn {
    ProcColumn {
        name,
        ty,
        required: false,
        desc,
    }
}

#[derive(Debug)]
pub struct ProcDef {
    pub name: &'static str,
    pub desc: &'static str,
    pub inputs: &'static [ProcColumn],
    pub outputs: &'static [ProcColumn],
}

const REPO: ProcColumn = input("RepositorySlug", Text, true, "Slug of the repository.");
const PR: ProcColumn = input("PullRequestId", Int, true, "Number of the pull request.");
const ACCESS_TOKEN: ProcColumn = output("OAuthAccessToken", Text, "The access token.");
const REFRESH_TOKEN: ProcColumn = output(
    "OAuthRefreshToken",
    Text,
    "The refresh token (Bitbucket rotates it on every refresh).",
);
const EXPIRES_IN: ProcColumn = output("ExpiresIn", Int, "Seconds until the access token expires.");
const PR_STATE: ProcColumn = output("State", Text, "State of the pull request afterwards.");

pub const PROCEDURES: &[ProcDef] = &[
    ProcDef {
        name: "GetOAuthAuthorizationURL",
        desc: "Returns the URL where a user signs in and grants the consumer access (headless sign-in, step 1).",
        inputs: &[
            input(
                "CallbackURL",
                Text,
                false,
                "Redirect URL registered on the consumer; defaults to CallbackURL.",
            ),
            input("State", Text, false, "Opaque value Bitbucket returns with the code."),
        ],
        outputs: &[output("URL", Text, "The authorization URL to open in a browser.")],
    },
    ProcDef {
        name: "GetOAuthAccessToken",
        desc: "Exchanges an authorization code (the verifier) for tokens and stores them (headless sign-in, step 2).",
        inputs: &[
            input("Verifier", Text, true, "The code Bitbucket appended to the callback URL."),
            input("CallbackURL", Text, false, "The redirect URL used to obtain the code."),
        ],
        outputs: &[ACCESS_TOKEN, REFRESH_TOKEN, EXPIRES_IN],
    },
    ProcDef {
        name: "RefreshOAuthAccessToken",
        desc: "Exchanges a refresh token for a new access token and stores both.",
        inputs: &[input("OAuthRefreshToken", Text, true, "The refresh token to exchange.")],
        outputs: &[ACCESS_TOKEN, REFRESH_TOKEN, EXPIRES_IN],
    },
    ProcDef {
        name: "MergePullRequest",
        desc: "Merges a pull request.",
        inputs: &[
            REPO,
            PR,
            input(
                "MergeStrategy",
                Text,
                false,
                "merge_commit, squash or fast_forward; the repository's default otherwise.",
            ),
            input("Message", Text, false, "Message of the merge commit."),
            input("CloseSourceBranch", Bool, false, "Delete the source branch after merging."),
        ],
        outputs: &[PR_STATE, output("MergeCommitHash", Text, "Hash of the merge commit.")],
    },
    ProcDef {
        name: "DeclinePullRequest",
        desc: "Declines a pull request.",
        inputs: &[REPO, PR],
        outputs: &[PR_STATE],
    },
    ProcDef {
        name: "ApprovePullRequest",
        desc: "Approves a pull request as the connected user.",
        inputs: &[REPO, PR],
        outputs: &[output("Approved", Bool, "Whether the connected user now approves it.")],
    },
    ProcDef {
        name: "UnapprovePullRequest",
        desc: "Withdraws the connected user's approval of a pull request.",
        inputs: &[REPO, PR],
        outputs: &[output("Success", Bool, "Whether the approval was withdrawn.")],
    },
    ProcDef {
        name: "RunPipeline",
        desc: "Starts a pipeline on a branch, tag or commit.",
        inputs: &[
            REPO,
            input("RefType", Text, false, "branch (default), tag or commit."),
            input("RefName", Text, true, "Name of the branch or tag, or the commit hash."),
            input(
                "Pattern",
                Text,
                false,
                "Custom pipeline to run (a selector of bitbucket-pipelines.yml).",
            ),
        ],
        outputs: &[
            output("Uuid", Text, "UUID of the new pipeline."),
            output("BuildNumber", Int, "Build number of the new pipeline."),
        ],
    },
    ProcDef {
        name: "StopPipeline",
        desc: "Stops a running pipeline.",
        inputs: &[REPO, input("PipelineUuid", Text, true, "UUID of the pipeline.")],
        outputs: &[output("Success", Bool, "Whether the pipeline was asked to stop.")],
    },
];

pub fn find_procedure(name: &str) -> Option<&'static ProcDef> {
    PROCEDURES.iter().find(|p| p.name.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn procedures_are_well_formed() {
        let mut names = HashSet::new();
        for p in PROCEDURES {
            assert!(names.insert(p.name), "duplicate procedure {}", p.name);
            assert!(!p.outputs.is_empty(), "{} returns a result set", p.name);
            let mut cols = HashSet::new();
            for c in p.inputs.iter().chain(p.outputs) {
                assert!(!c.desc.is_empty(), "{}.{} has a description", p.name, c.name);
                assert!(
                    cols.insert((c.name, p.inputs.iter().any(|i| std::ptr::eq(i, c)))),
                    "{}.{}",
                    p.name,
                    c.name
                );
            }
        }
        assert_eq!(PROCEDURES.len(), 9, "contract section 5 lists nine procedures");
    }
}
