//! Conftest's evaluation semantics, one behaviour per test: policy and input in, results out.

use std::path::PathBuf;

use gatehouse_policy::conftest::inputs::{InputFile, combine};
use gatehouse_policy::conftest::result::{CheckResult, Totals};
use gatehouse_policy::conftest::test::{self, TestOptions};
use gatehouse_policy::conftest::verify;
use gatehouse_policy::parser::Parser;
use gatehouse_policy::{EngineOptions, Policies, PolicyError, RegoVersion};

fn policies(modules: &[(&str, &str)]) -> Policies {
    try_policies(modules, &EngineOptions::default()).expect("policies load")
}

fn try_policies(
    modules: &[(&str, &str)],
    options: &EngineOptions,
) -> Result<Policies, PolicyError> {
    let sources = modules
        .iter()
        .map(|(f, t)| (f.to_string(), t.to_string()))
        .collect();
    Policies::from_sources(sources, &[], options)
}

fn input(name: &str, json: &str) -> InputFile {
    InputFile {
        name: name.to_string(),
        path: Some(PathBuf::from(name)),
        parser: Parser::Json,
        bytes: json.as_bytes().to_vec(),
    }
}

fn run(p: &Policies, files: &[InputFile], options: &TestOptions) -> Vec<CheckResult> {
    test::run(p, files, options).expect("evaluation succeeds")
}

fn messages(r: &CheckResult) -> Vec<&str> {
    r.failures.iter().map(|o| o.message.as_str()).collect()
}

const K8S: &str = r#"package main
import rego.v1

deny contains msg if {
	input.kind == "Deployment"
	not input.runAsNonRoot
	msg := sprintf("%s runs as root", [input.name])
}

deny_latest contains {"msg": "latest tag", "severity": "high", "_loc": {"file": "x.yaml", "line": 3}} if {
	endswith(input.image, ":latest")
}

warn contains "no labels" if not input.labels
"#;

#[test]
fn each_rule_definition_is_a_test_and_empty_rules_count_as_passed() {
    let p = policies(&[("k8s.rego", K8S)]);
    let r = run(
        &p,
        &[input(
            "a.json",
            r#"{"kind":"Deployment","name":"a","image":"x:latest"}"#,
        )],
        &TestOptions::default(),
    );
    assert_eq!(r.len(), 1);
    let totals = Totals::of(&r);
    assert_eq!(
        (
            totals.tests,
            totals.passed,
            totals.warnings,
            totals.failures
        ),
        (3, 0, 1, 2)
    );
    assert_eq!(messages(&r[0]), vec!["a runs as root", "latest tag"]);
}

#[test]
fn object_results_carry_metadata_query_and_location() {
    let p = policies(&[("k8s.rego", K8S)]);
    let r = run(
        &p,
        &[input("a.json", r#"{"image":"x:latest","labels":{}}"#)],
        &TestOptions::default(),
    );
    let f = &r[0].failures[0];
    let meta = f.metadata.as_ref().expect("metadata");
    assert_eq!(meta["severity"], "high");
    assert_eq!(meta["query"], "data.main.deny_latest");
    assert_eq!(
        f.location.as_ref().map(|l| (l.file.as_str(), l.line)),
        Some(("x.yaml", 3))
    );
}

#[test]
fn an_object_result_without_msg_is_an_error() {
    let p = policies(&[(
        "p.rego",
        "package main\nimport rego.v1\ndeny contains {\"message\": \"x\"} if true\n",
    )]);
    let err =
        test::run(&p, &[input("a.json", "{}")], &TestOptions::default()).expect_err("must fail");
    assert!(
        err.to_string()
            .contains("\"msg\" field must be present and a string"),
        "{err}"
    );
}

#[test]
fn exceptions_drop_the_rule_results_and_are_counted() {
    let policy = r#"package main
import rego.v1

deny_run_as_root contains "root" if input.root
deny_other contains "other" if input.other

exception contains rules if {
	input.name == "trusted"
	rules := ["run_as_root"]
}
"#;
    let p = policies(&[("p.rego", policy)]);
    let r = run(
        &p,
        &[input(
            "a.json",
            r#"{"root":true,"other":true,"name":"trusted"}"#,
        )],
        &TestOptions::default(),
    );
    assert_eq!(messages(&r[0]), vec!["other"]);
    assert_eq!(r[0].exceptions.len(), 1);
    assert_eq!(
        r[0].exceptions[0].message,
        r#"data.main.exception[_][_] == "run_as_root""#
    );
    let r = run(
        &p,
        &[input("a.json", r#"{"root":true,"name":"other"}"#)],
        &TestOptions::default(),
    );
    assert_eq!(messages(&r[0]), vec!["root"]);
    assert!(r[0].exceptions.is_empty());
}

#[test]
fn top_level_arrays_are_evaluated_element_by_element_under_one_file() {
    let p = policies(&[("k8s.rego", K8S)]);
    let r = run(
        &p,
        &[input(
            "list.json",
            r#"[{"kind":"Deployment","name":"a","labels":{}},{"kind":"Deployment","name":"b","runAsNonRoot":true,"labels":{}}]"#,
        )],
        &TestOptions::default(),
    );
    assert_eq!(r.len(), 1);
    assert_eq!(messages(&r[0]), vec!["a runs as root"]);
    assert_eq!(Totals::of(&r).tests, 6, "3 rules x 2 documents");
}

#[test]
fn namespaces_are_literal_or_glob_and_unknown_ones_test_nothing() {
    let a = "package group.a\nimport rego.v1\ndeny contains \"a\" if true\n";
    let b = "package group.b\nimport rego.v1\ndeny contains \"b\" if true\n";
    let p = policies(&[("a.rego", a), ("b.rego", b)]);
    let files = [input("x.json", "{}")];
    let ns = |n: &[&str]| TestOptions {
        namespaces: n.iter().map(|s| s.to_string()).collect(),
        ..TestOptions::default()
    };
    let got = |o: &TestOptions| -> Vec<String> {
        run(&p, &files, o)
            .iter()
            .flat_map(|r| r.failures.iter().map(|f| f.message.clone()))
            .collect()
    };
    assert_eq!(got(&ns(&["group.*"])), vec!["a", "b"]);
    assert_eq!(got(&ns(&["group.b"])), vec!["b"]);
    assert!(got(&ns(&["nothere"])).is_empty());
    assert_eq!(Totals::of(&run(&p, &files, &ns(&["nothere"]))).tests, 0);
    let all = TestOptions {
        all_namespaces: true,
        ..TestOptions::default()
    };
    assert_eq!(got(&all), vec!["a", "b"]);
}

#[test]
fn combine_evaluates_all_files_once_as_path_contents_pairs() {
    let policy = r#"package main
import rego.v1

deny contains msg if {
	names := [c.contents.name | some c in input]
	count(names) != count({n | some n in names})
	msg := sprintf("duplicate names across %d files", [count(input)])
}
"#;
    let p = policies(&[("p.rego", policy)]);
    let options = TestOptions {
        combine: true,
        ..TestOptions::default()
    };
    let r = run(
        &p,
        &[
            input("b.json", r#"{"name":"x"}"#),
            input("a.json", r#"[{"name":"x"},{"name":"y"}]"#),
        ],
        &options,
    );
    assert_eq!(r[0].filename, "Combined");
    assert_eq!(messages(&r[0]), vec!["duplicate names across 3 files"]);
    let combined = combine(vec![
        ("b".into(), serde_json::json!(1)),
        ("a".into(), serde_json::json!([2, 3])),
    ]);
    assert_eq!(
        combined,
        serde_json::json!([{"path":"a","contents":2},{"path":"a","contents":3},{"path":"b","contents":1}])
    );
}

#[test]
fn rego_v0_modules_run_with_a_warning_and_v1_is_the_default() {
    let v0 = "package main\nimport future.keywords.in\ndeny[msg] { input.x == 1; msg := \"x\" }\n";
    let p = policies(&[("v0.rego", v0)]);
    assert_eq!(p.warnings.len(), 1);
    assert!(p.warnings[0].contains("--rego-version v0"));
    let r = run(
        &p,
        &[input("a.json", r#"{"x":1}"#)],
        &TestOptions::default(),
    );
    assert_eq!(messages(&r[0]), vec!["x"]);

    let strict_v1 = EngineOptions {
        rego_version: RegoVersion::V1,
        ..EngineOptions::default()
    };
    let err = try_policies(&[("v0.rego", v0)], &strict_v1)
        .err()
        .expect("v1 rejects v0 syntax");
    assert!(err.to_string().starts_with("v0.rego:3:"), "{err}");
    assert!(err.help().is_some_and(|h| h.contains("--rego-version v0")));

    let v1 = EngineOptions {
        rego_version: RegoVersion::V0,
        ..EngineOptions::default()
    };
    let err = try_policies(
        &[("v1.rego", K8S.replace("import rego.v1\n", "").as_str())],
        &v1,
    )
    .err()
    .expect("v0 rejects bare if");
    assert!(err.to_string().contains("keyword"), "{err}");
}

#[test]
fn deny_with_a_key_but_no_contains_is_rejected_and_boolean_deny_is_allowed() {
    let err = try_policies(
        &[(
            "p.rego",
            "package main\nimport rego.v1\ndeny[msg] if { msg := \"x\" }\n",
        )],
        &EngineOptions::default(),
    )
    .err()
    .expect("rejected");
    assert!(
        err.to_string()
            .contains("'if' keyword without 'contains' keyword"),
        "{err}"
    );
    let p = policies(&[("p.rego", "package main\nimport rego.v1\ndeny if { true }\n")]);
    let r = run(&p, &[input("a.json", "{}")], &TestOptions::default());
    assert_eq!((r[0].successes, r[0].failures.len()), (1, 0));
}

#[test]
fn strict_mode_reports_every_unused_variable_and_argument() {
    let policy = "package main\nimport rego.v1\nf(x, y) := x\ndeny contains \"d\" if {\n\ta := 1\n\tb := 2\n\ta == 1\n}\n";
    let options = EngineOptions {
        strict: true,
        ..EngineOptions::default()
    };
    let err = try_policies(&[("p.rego", policy)], &options)
        .err()
        .expect("strict errors")
        .to_string();
    assert!(err.contains("2 errors occurred"), "{err}");
    assert!(
        err.contains("p.rego:3:6: rego_compile_error: unused argument y"),
        "{err}"
    );
    assert!(
        err.contains("p.rego:6:") && err.contains("rego_compile_error: assigned var b unused"),
        "{err}"
    );
}

#[test]
fn print_output_is_gathered_per_file() {
    let p = policies(&[(
        "p.rego",
        "package main\nimport rego.v1\ndeny contains \"d\" if {\n\tprint(\"checking\", input.name)\n}\n",
    )]);
    let r = run(
        &p,
        &[input("a.json", r#"{"name":"web"}"#)],
        &TestOptions::default(),
    );
    assert_eq!(r[0].outputs, vec!["p.rego:4: checking web"]);
}

#[test]
fn conftest_builtins_parse_config_and_file_name_are_available() {
    let policy = r#"package main
import rego.v1

deny contains msg if {
	cfg := parse_config("yaml", "replicas: 3")
	cfg.replicas == 3
	msg := sprintf("%s has %d replicas", [data.conftest.file.name, cfg.replicas])
}
"#;
    let p = policies(&[("p.rego", policy)]);
    let r = run(&p, &[input("dir/app.json", "{}")], &TestOptions::default());
    assert_eq!(messages(&r[0]), vec!["app.json has 3 replicas"]);
}

#[test]
fn verify_runs_test_rules_and_skips_todo() {
    let tests = r#"package main
import rego.v1

test_denies_root if { count(deny) == 1 with input as {"kind": "Deployment", "name": "a", "labels": {}} }
test_wrong if { count(deny) == 0 with input as {"kind": "Deployment", "name": "a", "labels": {}} }
todo_test_later if false
"#;
    let p = policies(&[("k8s.rego", K8S), ("k8s_test.rego", tests)]);
    let cases = verify::run(&p, &[], false).expect("verify");
    let status: Vec<(&str, &verify::Status)> =
        cases.iter().map(|c| (c.name.as_str(), &c.status)).collect();
    assert_eq!(
        status,
        vec![
            ("test_denies_root", &verify::Status::Pass),
            ("test_wrong", &verify::Status::Fail),
            ("todo_test_later", &verify::Status::Skip),
        ]
    );
    let report = verify::render_report(&cases, verify::Report::Fails);
    assert!(
        report.contains("FAILURES") && report.contains("FAIL: 1/3") && report.contains("PASS: 1/3"),
        "{report}"
    );
}
