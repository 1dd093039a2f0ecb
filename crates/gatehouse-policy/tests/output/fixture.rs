//! The results every output format renders: a `test` run over four files (stdin among them) and
//! a `verify` run, already sorted by file name and namespace as the runner hands them over.

use std::path::PathBuf;

use gatehouse_policy::conftest::output::RenderOptions;
use gatehouse_policy::conftest::result::{CheckResult, Outcome, ResultLocation};
use serde_json::{Map, Value, json};

/// The working directory `github` output makes absolute `_loc` files relative to.
pub const WORKING_DIR: &str = "/work/repo";

fn outcome(message: &str) -> Outcome {
    Outcome {
        message: message.to_owned(),
        ..Outcome::default()
    }
}

fn metadata(value: Value) -> Option<Map<String, Value>> {
    match value {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

/// A `conftest test` run:
/// - stdin: one warning, two passes;
/// - `deploy/deployment.yaml`, namespace `kubernetes.security`: a failure located in another
///   file (an absolute `_loc`) with metadata and characters every format must escape;
/// - `deploy/deployment.yaml`, namespace `main`: two failures (one with a `_loc` in the file,
///   one with a two-line message, both carrying the same `print()` output), a warning, an
///   exception, three passes and trace lines;
/// - `k8s/app:v1,rendered.yaml` (a name GitHub properties must escape): a warning, one pass;
/// - `service.yaml`: four passes and nothing else.
pub fn test_results() -> Vec<CheckResult> {
    let printed = vec!["policy/deny.rego:9: checking container app".to_owned()];
    vec![
        CheckResult {
            filename: String::new(),
            namespace: "main".into(),
            successes: 2,
            warnings: vec![Outcome {
                metadata: metadata(json!({"query": "data.main.warn"})),
                ..outcome("Service type should not be NodePort")
            }],
            ..CheckResult::default()
        },
        CheckResult {
            filename: "deploy/deployment.yaml".into(),
            namespace: "kubernetes.security".into(),
            successes: 1,
            failures: vec![Outcome {
                location: Some(ResultLocation {
                    file: format!("{WORKING_DIR}/charts/app/values.yaml"),
                    line: 4,
                }),
                metadata: metadata(json!({
                    "query": "data.kubernetes.security.deny_latest_tag",
                    "id": "K8S-012",
                    "severity": "high",
                })),
                ..outcome("image \"nginx:latest\" uses the <latest> tag & has no digest")
            }],
            ..CheckResult::default()
        },
        CheckResult {
            filename: "deploy/deployment.yaml".into(),
            namespace: "main".into(),
            successes: 3,
            failures: vec![
                Outcome {
                    location: Some(ResultLocation {
                        file: "deploy/deployment.yaml".into(),
                        line: 21,
                    }),
                    metadata: metadata(json!({
                        "query": "data.main.deny",
                        "details": {"container": "app", "runAsNonRoot": false, "uid": 0},
                    })),
                    outputs: printed.clone(),
                    ..outcome("Containers must not run as root")
                },
                Outcome {
                    metadata: metadata(json!({"query": "data.main.deny"})),
                    outputs: printed.clone(),
                    ..outcome(
                        "Memory limit is missing\nSet resources.limits.memory on every container.",
                    )
                },
            ],
            warnings: vec![Outcome {
                metadata: metadata(json!({"query": "data.main.warn_pdb"})),
                ..outcome("Deployment has no PodDisruptionBudget")
            }],
            exceptions: vec![outcome(r#"data.main.exception[_][_] == "run_as_root""#)],
            outputs: printed.clone(),
            traces: vec![
                "Enter data.main.deny = _".into(),
                "| Eval data.main.deny = _".into(),
                "| Exit data.main.deny = _".into(),
            ],
            ..CheckResult::default()
        },
        CheckResult {
            filename: "k8s/app:v1,rendered.yaml".into(),
            namespace: "main".into(),
            successes: 1,
            warnings: vec![outcome(
                "Label \"team\" is missing; 100% of pods are unowned",
            )],
            ..CheckResult::default()
        },
        CheckResult {
            filename: "service.yaml".into(),
            namespace: "main".into(),
            successes: 4,
            ..CheckResult::default()
        },
    ]
}

/// A `conftest verify` run: each Rego test is one result named after its `.rego` file.
pub fn verify_results() -> Vec<CheckResult> {
    let file = "policy/deny_test.rego";
    let test = |successes, failures: Vec<Outcome>, skipped: Vec<Outcome>| CheckResult {
        filename: file.into(),
        namespace: "main".into(),
        successes,
        failures,
        skipped,
        ..CheckResult::default()
    };
    vec![
        test(1, vec![], vec![]),
        test(0, vec![outcome("data.main.test_denies_root")], vec![]),
        test(0, vec![], vec![outcome("data.main.todo_test_latest_tag")]),
        test(1, vec![], vec![]),
    ]
}

/// Options for the snapshots: no colour, the SARIF exit code Conftest would report for
/// [`test_results`], and fixed version strings.
pub fn options() -> RenderOptions {
    RenderOptions {
        exit_code: 1,
        tool_version: "0.0.0-test".into(),
        junit_go_version: "go-test".into(),
        working_dir: Some(PathBuf::from(WORKING_DIR)),
        ..RenderOptions::default()
    }
}
