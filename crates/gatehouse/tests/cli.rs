//! End-to-end tests of the `gatehouse` binary: fixture in, output and exit code out.
//!
//! `gatehouse policy` follows Conftest's exit codes: 0 pass, 1 failures (or any error), and with
//! `--fail-on-warn` 2 failures / 1 warnings only; `--no-fail` always 0.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `gatehouse ARGS` run inside `tests/fixtures`, with no CONFTEST_* leaking in from the caller.
fn gatehouse(args: &[&str]) -> Command {
    let mut cmd = Command::cargo_bin("gatehouse").expect("binary built");
    cmd.current_dir(fixtures()).args(args);
    for (key, _) in std::env::vars() {
        if key.starts_with("CONFTEST_") || key.starts_with("GATEHOUSE_") {
            cmd.env_remove(key);
        }
    }
    cmd
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("gatehouse runs");
    let run = Run {
        code: out.status.code().expect("exited normally"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "gatehouse panicked:\n{}",
        run.stderr
    );
    run
}

#[test]
fn readme_example_fails_the_plan_and_suggests_rego_v1() {
    let r = run(gatehouse(&[
        "policy",
        "test",
        "--no-color",
        "--policy",
        "examples/policy",
        "examples/tfplan.json",
    ])
    .current_dir(repo_root()));
    assert_eq!(r.code, 1);
    insta::assert_snapshot!(r.stdout);
    assert_eq!(
        r.stderr
            .lines()
            .filter(|l| l.starts_with("warning:"))
            .count(),
        1,
        "exactly one v0 warning:\n{}",
        r.stderr
    );
    assert!(r.stderr.contains("--rego-version v0"));
}

#[test]
fn explicit_rego_version_v0_runs_the_brief_policy_silently() {
    let r = run(gatehouse(&[
        "policy",
        "test",
        "--rego-version",
        "v0",
        "-p",
        "examples/policy",
        "examples/tfplan.json",
    ])
    .current_dir(repo_root()));
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr, "");
}

#[test]
fn multi_document_yaml_is_evaluated_document_by_document() {
    let r = run(&mut gatehouse(&[
        "policy",
        "test",
        "--no-color",
        "-p",
        "policy-v1",
        "service-and-deployment.yaml",
    ]));
    assert_eq!(r.code, 1);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn fail_on_warn_and_no_fail_follow_conftest_exit_codes() {
    let code = |args: &[&str]| run(&mut gatehouse(args)).code;
    let base = ["policy", "test", "-p"];
    let with = |policy: &str, extra: &[&str]| {
        let mut a: Vec<&str> = base.to_vec();
        a.push(policy);
        a.push("service-and-deployment.yaml");
        a.extend_from_slice(extra);
        code(&a.to_vec())
    };
    assert_eq!(with("policy-v1", &[]), 1, "failure");
    assert_eq!(
        with("policy-v1", &["--fail-on-warn"]),
        2,
        "failure with --fail-on-warn"
    );
    assert_eq!(with("policy-warn", &[]), 0, "warning only");
    assert_eq!(
        with("policy-warn", &["--fail-on-warn"]),
        1,
        "warning with --fail-on-warn"
    );
    assert_eq!(with("policy-v1", &["--no-fail"]), 0, "--no-fail");
}

#[test]
fn directories_are_evaluated_in_parallel_with_sorted_deterministic_output() {
    let args = ["policy", "test", "-p", "policy-v1", "-o", "json", "many"];
    let first = run(&mut gatehouse(&args));
    assert_eq!(first.code, 1);
    let results: serde_json::Value = serde_json::from_str(&first.stdout).expect("json output");
    let names: Vec<&str> = results
        .as_array()
        .expect("array")
        .iter()
        .map(|r| r["filename"].as_str().expect("filename"))
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert_eq!(names.len(), 40);
    let failures: usize = results
        .as_array()
        .expect("array")
        .iter()
        .map(|r| r["failures"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(
        failures, 13,
        "every third of 40 deployments violates runAsNonRoot"
    );
    for _ in 0..3 {
        assert_eq!(run(&mut gatehouse(&args)).stdout, first.stdout);
    }
}

#[test]
fn stdin_is_read_with_dash_and_named_with_stdin_filename() {
    let input = std::fs::read(fixtures().join("service-and-deployment.yaml")).expect("fixture");
    let r = run(gatehouse(&[
        "policy",
        "test",
        "--no-color",
        "-p",
        "policy-v1",
        "--stdin-filename",
        "manifests/web.yaml",
        "-",
    ])
    .write_stdin(input));
    assert_eq!(r.code, 1);
    assert!(
        r.stdout
            .contains("FAIL - manifests/web.yaml - main - Deployment web")
    );
}

#[test]
fn conftest_toml_and_environment_configure_the_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("conftest.toml"),
        "policy = \"policies\"\nnamespace = \"nothere\"\n",
    )
    .expect("write config");
    std::fs::create_dir(dir.path().join("policies")).expect("mkdir");
    std::fs::copy(
        fixtures().join("policy-v1/k8s.rego"),
        dir.path().join("policies/k8s.rego"),
    )
    .expect("copy policy");
    let input = fixtures().join("service-and-deployment.yaml");
    let input = input.to_str().expect("utf-8 path");
    // The config file's namespace matches nothing: 0 tests, exit 0.
    let r = run(gatehouse(&["policy", "test", input]).current_dir(dir.path()));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    // The environment beats the file, and a flag beats the environment.
    let r = run(gatehouse(&["policy", "test", input])
        .current_dir(dir.path())
        .env("CONFTEST_NAMESPACE", "main"));
    assert_eq!(r.code, 1);
    let r = run(gatehouse(&["policy", "test", "-n", "nothere", input])
        .current_dir(dir.path())
        .env("CONFTEST_NAMESPACE", "main"));
    assert_eq!(r.code, 0);
}

/// One clear error line naming the file and position, a non-zero exit, no panic.
fn assert_input_error(args: &[&str], expected: &str) {
    let r = run(&mut gatehouse(args));
    assert_eq!(r.code, 1, "{args:?}: {}", r.stderr);
    let first = r.stderr.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("Error: ") && first.contains(expected),
        "{args:?}: expected an error line containing {expected:?}, got:\n{}",
        r.stderr
    );
    assert_eq!(r.stdout, "", "{args:?}: nothing on stdout");
}

#[test]
fn malformed_inputs_name_file_line_and_column() {
    let cases = [
        ("bad/plan.json", "bad/plan.json:3:21: key must be a string"),
        ("bad/pod.yaml", "bad/pod.yaml:5:9:"),
        ("bad/main.tf", "bad/main.tf:3:9:"),
        (
            "bad/Dockerfile",
            "bad/Dockerfile:3: unknown instruction: FROMM",
        ),
        ("bad/config.toml", "bad/config.toml:2:10:"),
    ];
    for (file, expected) in cases {
        assert_input_error(&["policy", "test", "-p", "policy-v1", file], expected);
    }
}

#[test]
fn a_terraform_plan_parse_error_says_what_to_check() {
    let r = run(&mut gatehouse(&[
        "policy",
        "test",
        "-p",
        "policy-v1",
        "bad/plan.json",
    ]));
    assert!(
        r.stderr
            .contains("help: is this the output of `terraform show -json`?")
    );
}

#[test]
fn missing_files_unknown_types_and_unknown_parsers_are_clear_errors() {
    assert_input_error(
        &["policy", "test", "-p", "policy-v1", "missing.json"],
        "missing.json: no such file or directory",
    );
    assert_input_error(
        &["policy", "test", "-p", "policy-v1", "bad/notes.unknownext"],
        "unknown parser for bad/notes.unknownext",
    );
    assert_input_error(
        &[
            "policy",
            "test",
            "-p",
            "policy-v1",
            "--parser",
            "nope",
            "many",
        ],
        "unknown parser `nope`",
    );
    assert_input_error(
        &["policy", "test", "-p", "no-such-policy-dir", "many"],
        "no-such-policy-dir: no such file or directory",
    );
}

#[test]
fn rego_syntax_errors_name_the_module_line_and_column() {
    assert_input_error(
        &["policy", "test", "-p", "policy-bad", "many"],
        "policy-bad/broken.rego:6:9:",
    );
}

#[test]
fn a_runaway_policy_is_stopped_by_the_time_limit() {
    assert_input_error(
        &[
            "policy",
            "test",
            "-p",
            "policy-runaway",
            "--timeout",
            "1",
            "service-and-deployment.yaml",
        ],
        "exceeded the time limit of 1000 ms",
    );
}

#[test]
fn a_policy_that_allocates_without_bound_is_stopped_by_the_memory_limit() {
    assert_input_error(
        &[
            "policy",
            "test",
            "-p",
            "policy-memory",
            "--memory-limit",
            "64",
            "service-and-deployment.yaml",
        ],
        "exceeded the memory limit of 64 MiB",
    );
}

#[test]
fn help_lists_conftest_flags() {
    let r = run(&mut gatehouse(&["policy", "test", "--help"]));
    assert_eq!(r.code, 0);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn usage_errors_exit_1_under_policy_like_conftest() {
    let r = run(&mut gatehouse(&["policy", "test", "--no-such-flag", "x"]));
    assert_eq!(r.code, 1);
    let r = run(&mut gatehouse(&["no-such-command"]));
    assert_eq!(r.code, 2);
}

#[test]
fn verify_runs_rego_unit_tests() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(
        fixtures().join("policy-v1/k8s.rego"),
        dir.path().join("k8s.rego"),
    )
    .expect("copy");
    std::fs::write(
        dir.path().join("k8s_test.rego"),
        r#"package main

import rego.v1

test_root_deployment_denied if {
	count(deny) == 1 with input as {"kind": "Deployment", "metadata": {"name": "a"}, "spec": {}}
}

test_service_is_fine_wrongly if {
	count(warn) == 0 with input as {"kind": "Service", "metadata": {"name": "s"}, "spec": {"type": "LoadBalancer"}}
}

todo_test_later if false
"#,
    )
    .expect("write tests");
    let dir_str = dir.path().to_str().expect("utf-8");
    let r = run(&mut gatehouse(&[
        "policy",
        "verify",
        "--no-color",
        "-p",
        dir_str,
    ]));
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("data.main.test_service_is_fine_wrongly"));
    assert!(
        r.stdout
            .contains("3 tests, 1 passed, 0 warnings, 1 failure, 0 exceptions, 1 skipped"),
        "{}",
        r.stdout
    );
}

#[test]
fn parse_prints_the_loaded_json() {
    let r = run(&mut gatehouse(&[
        "policy",
        "parse",
        "service-and-deployment.yaml",
    ]));
    assert_eq!(r.code, 0);
    insta::assert_snapshot!(r.stdout);
}
