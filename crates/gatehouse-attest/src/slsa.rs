//! SLSA provenance v1 predicates (`https://slsa.dev/provenance/v1`): built from a GitHub Actions
//! environment (the `buildtypes/workflow/v1` layout GitHub's own attestations use) or from
//! explicit values, and checked against a policy (builder id, source repository).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

pub const PROVENANCE_V1: &str = "https://slsa.dev/provenance/v1";
/// GitHub Actions workflow build type (as in `actions/attest-build-provenance`).
pub const GITHUB_WORKFLOW_BUILD_TYPE: &str = "https://actions.github.io/buildtypes/workflow/v1";

#[derive(Debug, thiserror::Error)]
pub enum SlsaError {
    #[error(
        "{0} is not set: is this running in GitHub Actions? Elsewhere pass --builder-id (and --source-repo/--source-commit)"
    )]
    MissingEnv(&'static str),
    #[error("{0}")]
    Invalid(String),
    #[error("provenance policy: {0}")]
    Policy(String),
}

/// The provenance v1 predicate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Provenance {
    pub build_definition: BuildDefinition,
    pub run_details: RunDetails,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BuildDefinition {
    pub build_type: String,
    pub external_parameters: Map<String, Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_parameters: Option<Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resolved_dependencies: Vec<ResourceDescriptor>,
}

/// An artifact by URI and digests (`sha256`, `gitCommit`, ...).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceDescriptor {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub digest: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunDetails {
    pub builder: Builder,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<BuildMetadata>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Builder {
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BuildMetadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invocation_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_on: Option<String>,
}

/// Explicit values for builds outside GitHub Actions.
#[derive(Debug, Clone, Default)]
pub struct ProvenanceInput {
    pub builder_id: String,
    /// Defaults to gatehouse's generic build type.
    pub build_type: Option<String>,
    /// Source repository URI (e.g. `https://git.example.com/team/app`).
    pub source_repo: Option<String>,
    pub source_commit: Option<String>,
    pub source_ref: Option<String>,
    pub external_parameters: Map<String, Value>,
    pub dependencies: Vec<ResourceDescriptor>,
    pub invocation_id: Option<String>,
    pub started_on: Option<String>,
    pub finished_on: Option<String>,
}

/// Build type for provenance made from explicit flags.
pub const GENERIC_BUILD_TYPE: &str = "https://gatehouse.dev/buildtypes/generic/v1";

impl Provenance {
    /// From explicit values.
    pub fn from_input(input: ProvenanceInput) -> Result<Self, SlsaError> {
        if input.builder_id.trim().is_empty() {
            return Err(SlsaError::Invalid(
                "the builder id must not be empty".into(),
            ));
        }
        let mut external = input.external_parameters;
        let mut deps = Vec::new();
        if let Some(repo) = &input.source_repo {
            let mut source = Map::new();
            source.insert("repository".into(), json!(repo));
            if let Some(r) = &input.source_ref {
                source.insert("ref".into(), json!(r));
            }
            external.insert("source".into(), Value::Object(source));
            let at = input.source_ref.as_ref().or(input.source_commit.as_ref());
            deps.push(ResourceDescriptor {
                uri: Some(match at {
                    Some(at) => format!("git+{repo}@{at}"),
                    None => format!("git+{repo}"),
                }),
                digest: input
                    .source_commit
                    .iter()
                    .map(|c| ("gitCommit".to_string(), c.clone()))
                    .collect(),
                name: None,
            });
        } else if input.source_commit.is_some() {
            return Err(SlsaError::Invalid(
                "--source-commit needs --source-repo".into(),
            ));
        }
        deps.extend(input.dependencies);
        let metadata = BuildMetadata {
            invocation_id: input.invocation_id,
            started_on: input.started_on,
            finished_on: input.finished_on,
        };
        Ok(Self {
            build_definition: BuildDefinition {
                build_type: input
                    .build_type
                    .unwrap_or_else(|| GENERIC_BUILD_TYPE.to_string()),
                external_parameters: external,
                internal_parameters: None,
                resolved_dependencies: deps,
            },
            run_details: RunDetails {
                builder: Builder {
                    id: input.builder_id,
                },
                metadata: (metadata != BuildMetadata::default()).then_some(metadata),
            },
        })
    }

    /// From GitHub Actions' default environment variables, read through `env`.
    pub fn from_github_actions(env: &dyn Fn(&str) -> Option<String>) -> Result<Self, SlsaError> {
        let need = |name: &'static str| {
            env(name)
                .filter(|v| !v.is_empty())
                .ok_or(SlsaError::MissingEnv(name))
        };
        let server = need("GITHUB_SERVER_URL")?;
        let repository = need("GITHUB_REPOSITORY")?;
        let sha = need("GITHUB_SHA")?;
        let git_ref = need("GITHUB_REF")?;
        let workflow_ref = need("GITHUB_WORKFLOW_REF")?;
        let run_id = need("GITHUB_RUN_ID")?;
        let attempt = need("GITHUB_RUN_ATTEMPT")?;
        // `owner/repo/.github/workflows/build.yml@refs/heads/main` → `.github/workflows/build.yml`.
        let path = workflow_ref
            .strip_prefix(&format!("{repository}/"))
            .and_then(|rest| rest.split('@').next())
            .ok_or_else(|| {
                SlsaError::Invalid(format!(
                    "GITHUB_WORKFLOW_REF `{workflow_ref}` does not start with GITHUB_REPOSITORY `{repository}/`"
                ))
            })?;
        let repo_url = format!("{server}/{repository}");
        let mut external = Map::new();
        external.insert(
            "workflow".into(),
            json!({"ref": git_ref, "repository": repo_url, "path": path}),
        );
        let mut github = Map::new();
        for (key, var) in [
            ("event_name", "GITHUB_EVENT_NAME"),
            ("repository_id", "GITHUB_REPOSITORY_ID"),
            ("repository_owner_id", "GITHUB_REPOSITORY_OWNER_ID"),
            ("runner_environment", "RUNNER_ENVIRONMENT"),
        ] {
            if let Some(v) = env(var).filter(|v| !v.is_empty()) {
                github.insert(key.into(), json!(v));
            }
        }
        let hosted = env("RUNNER_ENVIRONMENT").as_deref() != Some("self-hosted");
        Ok(Self {
            build_definition: BuildDefinition {
                build_type: GITHUB_WORKFLOW_BUILD_TYPE.to_string(),
                external_parameters: external,
                internal_parameters: Some(json!({ "github": github })),
                resolved_dependencies: vec![ResourceDescriptor {
                    uri: Some(format!("git+{repo_url}@{git_ref}")),
                    digest: BTreeMap::from([("gitCommit".to_string(), sha)]),
                    name: None,
                }],
            },
            run_details: RunDetails {
                builder: Builder {
                    id: format!(
                        "{server}/actions/runner/{}",
                        if hosted {
                            "github-hosted"
                        } else {
                            "self-hosted"
                        }
                    ),
                },
                metadata: Some(BuildMetadata {
                    invocation_id: Some(format!(
                        "{repo_url}/actions/runs/{run_id}/attempts/{attempt}"
                    )),
                    started_on: None,
                    finished_on: None,
                }),
            },
        })
    }

    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// The source repository: `externalParameters.workflow.repository` (GitHub) or
    /// `externalParameters.source.repository` (flags).
    pub fn source_repository(&self) -> Option<&str> {
        let ext = &self.build_definition.external_parameters;
        ext.get("workflow")
            .or_else(|| ext.get("source"))
            .and_then(|v| v.get("repository"))
            .and_then(Value::as_str)
    }

    /// Checks the predicate against `policy`; every field set in the policy must match exactly.
    pub fn check(&self, policy: &ProvenancePolicy) -> Result<(), SlsaError> {
        if let Some(want) = &policy.builder_id {
            let got = &self.run_details.builder.id;
            if got != want {
                return Err(SlsaError::Policy(format!(
                    "builder id is `{got}`, the policy requires `{want}`"
                )));
            }
        }
        if let Some(want) = &policy.source_repo {
            match self.source_repository() {
                Some(got) if got == want => {}
                Some(got) => {
                    return Err(SlsaError::Policy(format!(
                        "source repository is `{got}`, the policy requires `{want}`"
                    )));
                }
                None => {
                    return Err(SlsaError::Policy(format!(
                        "the provenance names no source repository, the policy requires `{want}`"
                    )));
                }
            }
        }
        Ok(())
    }
}

/// What a verifier requires of SLSA provenance.
#[derive(Debug, Clone, Default)]
pub struct ProvenancePolicy {
    pub builder_id: Option<String>,
    pub source_repo: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn github_env(name: &str) -> Option<String> {
        let v = match name {
            "GITHUB_SERVER_URL" => "https://github.com",
            "GITHUB_REPOSITORY" => "acme/app",
            "GITHUB_SHA" => "0123456789abcdef0123456789abcdef01234567",
            "GITHUB_REF" => "refs/heads/main",
            "GITHUB_WORKFLOW_REF" => "acme/app/.github/workflows/release.yml@refs/heads/main",
            "GITHUB_RUN_ID" => "42",
            "GITHUB_RUN_ATTEMPT" => "1",
            "GITHUB_EVENT_NAME" => "push",
            "RUNNER_ENVIRONMENT" => "github-hosted",
            _ => return None,
        };
        Some(v.to_string())
    }

    #[test]
    fn github_actions_environment_gives_the_workflow_build_type() {
        let p = Provenance::from_github_actions(&github_env).unwrap();
        let v = p.to_value();
        assert_eq!(
            v["buildDefinition"]["buildType"],
            GITHUB_WORKFLOW_BUILD_TYPE
        );
        assert_eq!(
            v["buildDefinition"]["externalParameters"]["workflow"],
            json!({"ref": "refs/heads/main", "repository": "https://github.com/acme/app", "path": ".github/workflows/release.yml"})
        );
        assert_eq!(
            v["buildDefinition"]["resolvedDependencies"][0],
            json!({"uri": "git+https://github.com/acme/app@refs/heads/main", "digest": {"gitCommit": "0123456789abcdef0123456789abcdef01234567"}})
        );
        assert_eq!(
            v["runDetails"]["builder"]["id"],
            "https://github.com/actions/runner/github-hosted"
        );
        assert_eq!(
            v["runDetails"]["metadata"]["invocationId"],
            "https://github.com/acme/app/actions/runs/42/attempts/1"
        );
        let back: Provenance = serde_json::from_value(v).unwrap();
        assert_eq!(back, p);
    }

    #[test]
    fn missing_github_variables_are_named() {
        let env = |n: &str| {
            if n == "GITHUB_SHA" {
                None
            } else {
                github_env(n)
            }
        };
        let err = Provenance::from_github_actions(&env).unwrap_err();
        assert!(
            err.to_string().starts_with("GITHUB_SHA is not set"),
            "{err}"
        );
    }

    #[test]
    fn policy_on_builder_and_source() {
        let p = Provenance::from_input(ProvenanceInput {
            builder_id: "https://ci.example.com/builders/linux".into(),
            source_repo: Some("https://git.example.com/team/app".into()),
            source_commit: Some("abc123".into()),
            ..Default::default()
        })
        .unwrap();
        let ok = ProvenancePolicy {
            builder_id: Some("https://ci.example.com/builders/linux".into()),
            source_repo: Some("https://git.example.com/team/app".into()),
        };
        p.check(&ok).unwrap();
        let bad_builder = ProvenancePolicy {
            builder_id: Some("https://ci.example.com/builders/other".into()),
            ..Default::default()
        };
        assert!(
            p.check(&bad_builder)
                .unwrap_err()
                .to_string()
                .contains("builder id is")
        );
        let bad_repo = ProvenancePolicy {
            source_repo: Some("https://git.example.com/team/fork".into()),
            ..Default::default()
        };
        assert!(
            p.check(&bad_repo)
                .unwrap_err()
                .to_string()
                .contains("source repository is")
        );
        assert!(Provenance::from_input(ProvenanceInput::default()).is_err());
    }
}
