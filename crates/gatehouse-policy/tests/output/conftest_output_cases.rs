//! Conftest's own outputter test cases (`output/*_test.go`, v0.69), replayed against our
//! renderers: same input, same expected bytes. Conftest names stdin `-`; we name it `""`.

use gatehouse_policy::conftest::output::{OutputFormat, RenderOptions, render};
use gatehouse_policy::conftest::result::{CheckResult, Outcome, ResultLocation};
use serde_json::{Value, json};

const SERVICE: &str = "examples/kubernetes/service.yaml";

fn outcomes(messages: &[&str]) -> Vec<Outcome> {
    messages
        .iter()
        .map(|m| Outcome {
            message: (*m).to_owned(),
            ..Outcome::default()
        })
        .collect()
}

fn result(file: &str) -> CheckResult {
    CheckResult {
        filename: file.into(),
        namespace: "namespace".into(),
        ..CheckResult::default()
    }
}

fn warning_and_failure(file: &str) -> CheckResult {
    CheckResult {
        warnings: outcomes(&["first warning"]),
        failures: outcomes(&["first failure"]),
        ..result(file)
    }
}

fn failure_and_skipped(file: &str) -> CheckResult {
    CheckResult {
        failures: outcomes(&["first failure"]),
        skipped: outcomes(&["first skipped"]),
        ..result(file)
    }
}

fn lines(lines: &[&str]) -> String {
    lines.join("\n")
}

fn plain() -> RenderOptions {
    RenderOptions::default()
}

fn check(format: OutputFormat, options: &RenderOptions, input: Vec<CheckResult>, expected: &str) {
    assert_eq!(
        render(format, &input, options),
        expected,
        "{} output",
        format.name()
    );
}

/// `output/standard_test.go`.
#[test]
fn standard() {
    let verify = RenderOptions {
        verify: true,
        ..plain()
    };
    let with_skipped = CheckResult {
        skipped: outcomes(&["first skipped"]),
        ..warning_and_failure("foo.yaml")
    };
    let cases = [
        (
            plain(),
            warning_and_failure("foo.yaml"),
            lines(&[
                "WARN - foo.yaml - namespace - first warning",
                "FAIL - foo.yaml - namespace - first failure",
                "",
                "2 tests, 0 passed, 1 warning, 1 failure, 0 exceptions",
                "",
            ]),
        ),
        (
            plain(),
            warning_and_failure(""),
            lines(&[
                "WARN - - namespace - first warning",
                "FAIL - - namespace - first failure",
                "",
                "2 tests, 0 passed, 1 warning, 1 failure, 0 exceptions",
                "",
            ]),
        ),
        (
            verify.clone(),
            with_skipped,
            lines(&[
                "WARN - foo.yaml - namespace - first warning",
                "FAIL - foo.yaml - namespace - first failure",
                "",
                "3 tests, 0 passed, 1 warning, 1 failure, 0 exceptions, 1 skipped",
                "",
            ]),
        ),
        (
            verify,
            warning_and_failure(""),
            lines(&[
                "WARN - - namespace - first warning",
                "FAIL - - namespace - first failure",
                "",
                "2 tests, 0 passed, 1 warning, 1 failure, 0 exceptions, 0 skipped",
                "",
            ]),
        ),
    ];
    for (options, input, expected) in cases {
        check(OutputFormat::Stdout, &options, vec![input], &expected);
    }
}

/// `output/json_test.go`.
#[test]
fn json() {
    let cases = [
        (
            vec![result(SERVICE)],
            lines(&[
                "[",
                "\t{",
                "\t\t\"filename\": \"examples/kubernetes/service.yaml\",",
                "\t\t\"namespace\": \"namespace\",",
                "\t\t\"successes\": 0",
                "\t}",
                "]",
                "",
            ]),
        ),
        (
            vec![CheckResult {
                failures: outcomes(&["first failure"]),
                ..result(SERVICE)
            }],
            lines(&[
                "[",
                "\t{",
                "\t\t\"filename\": \"examples/kubernetes/service.yaml\",",
                "\t\t\"namespace\": \"namespace\",",
                "\t\t\"successes\": 0,",
                "\t\t\"failures\": [",
                "\t\t\t{",
                "\t\t\t\t\"msg\": \"first failure\"",
                "\t\t\t}",
                "\t\t]",
                "\t}",
                "]",
                "",
            ]),
        ),
        (
            vec![CheckResult {
                warnings: outcomes(&["first warning"]),
                ..failure_and_skipped(SERVICE)
            }],
            lines(&[
                "[",
                "\t{",
                "\t\t\"filename\": \"examples/kubernetes/service.yaml\",",
                "\t\t\"namespace\": \"namespace\",",
                "\t\t\"successes\": 0,",
                "\t\t\"skipped\": [",
                "\t\t\t{",
                "\t\t\t\t\"msg\": \"first skipped\"",
                "\t\t\t}",
                "\t\t],",
                "\t\t\"warnings\": [",
                "\t\t\t{",
                "\t\t\t\t\"msg\": \"first warning\"",
                "\t\t\t}",
                "\t\t],",
                "\t\t\"failures\": [",
                "\t\t\t{",
                "\t\t\t\t\"msg\": \"first failure\"",
                "\t\t\t}",
                "\t\t]",
                "\t}",
                "]",
                "",
            ]),
        ),
        (
            vec![CheckResult {
                failures: outcomes(&["first failure"]),
                ..result("")
            }],
            lines(&[
                "[",
                "\t{",
                "\t\t\"filename\": \"\",",
                "\t\t\"namespace\": \"namespace\",",
                "\t\t\"successes\": 0,",
                "\t\t\"failures\": [",
                "\t\t\t{",
                "\t\t\t\t\"msg\": \"first failure\"",
                "\t\t\t}",
                "\t\t]",
                "\t}",
                "]",
                "",
            ]),
        ),
        (
            vec![
                result(SERVICE),
                result("examples/kubernetes/deployment.yaml"),
            ],
            lines(&[
                "[",
                "\t{",
                "\t\t\"filename\": \"examples/kubernetes/service.yaml\",",
                "\t\t\"namespace\": \"namespace\",",
                "\t\t\"successes\": 0",
                "\t},",
                "\t{",
                "\t\t\"filename\": \"examples/kubernetes/deployment.yaml\",",
                "\t\t\"namespace\": \"namespace\",",
                "\t\t\"successes\": 0",
                "\t}",
                "]",
                "",
            ]),
        ),
    ];
    for (input, expected) in cases {
        check(OutputFormat::Json, &plain(), input, &expected);
    }
}

/// `output/tap_test.go`.
#[test]
fn tap() {
    let cases = [
        (result(SERVICE), String::new()),
        (
            warning_and_failure(SERVICE),
            lines(&[
                "1..2",
                "not ok 1 - examples/kubernetes/service.yaml - namespace - first failure",
                "# warnings",
                "not ok 2 - examples/kubernetes/service.yaml - namespace - first warning",
                "",
            ]),
        ),
        (
            failure_and_skipped(SERVICE),
            lines(&[
                "1..2",
                "not ok 1 - examples/kubernetes/service.yaml - namespace - first failure",
                "# skip",
                "ok 2 - examples/kubernetes/service.yaml - namespace - first skipped",
                "",
            ]),
        ),
        (
            CheckResult {
                failures: outcomes(&["first failure"]),
                ..result("")
            },
            lines(&["1..1", "not ok 1 - - namespace - first failure", ""]),
        ),
    ];
    for (input, expected) in cases {
        check(OutputFormat::Tap, &plain(), vec![input], &expected);
    }
}

/// `output/table_test.go`.
#[test]
fn table() {
    let empty = CheckResult {
        namespace: String::new(),
        ..result(SERVICE)
    };
    check(OutputFormat::Table, &plain(), vec![empty], "");

    let input = CheckResult {
        warnings: outcomes(&["first warning"]),
        ..failure_and_skipped(SERVICE)
    };
    let expected = lines(&[
        "┌─────────┬──────────────────────────────────┬───────────┬───────────────┐",
        "│ RESULT  │               FILE               │ NAMESPACE │    MESSAGE    │",
        "├─────────┼──────────────────────────────────┼───────────┼───────────────┤",
        "│ warning │ examples/kubernetes/service.yaml │ namespace │ first warning │",
        "│ skipped │ examples/kubernetes/service.yaml │ namespace │ first skipped │",
        "│ failure │ examples/kubernetes/service.yaml │ namespace │ first failure │",
        "└─────────┴──────────────────────────────────┴───────────┴───────────────┘",
        "",
    ]);
    check(OutputFormat::Table, &plain(), vec![input], &expected);
}

/// `output/junit_test.go` (its `%s` is the Go version, here `junit_go_version`).
#[test]
fn junit() {
    let go = RenderOptions {
        junit_go_version: "go1.24.4".into(),
        ..plain()
    };
    let hide = RenderOptions {
        junit_hide_message: true,
        ..go.clone()
    };
    let long =
        "failure with long message\n\nThis is the rest of the description of the failed test";
    let long_failure = CheckResult {
        failures: outcomes(&[long]),
        ..result(SERVICE)
    };
    let head = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<testsuites>"];
    let properties = [
        "\t\t<properties>",
        "\t\t\t<property name=\"go.version\" value=\"go1.24.4\"></property>",
        "\t\t</properties>",
    ];
    let tail = ["\t</testsuite>", "</testsuites>", ""];
    let long_body = "\t\t\t<failure message=\"Failed\" type=\"\">failure with long message&#xA;&#xA;This is the rest of the description of the failed test</failure>";

    let mut three = head.to_vec();
    three.push(
        "\t<testsuite tests=\"3\" failures=\"2\" time=\"0.000\" name=\"conftest.namespace\">",
    );
    three.extend(properties);
    three.extend([
        "\t\t<testcase classname=\"conftest.namespace\" name=\"examples/kubernetes/service.yaml - first warning\" time=\"0.000\">",
        "\t\t\t<failure message=\"Failed\" type=\"\">first warning</failure>",
        "\t\t</testcase>",
        "\t\t<testcase classname=\"conftest.namespace\" name=\"examples/kubernetes/service.yaml - first failure\" time=\"0.000\">",
        "\t\t\t<failure message=\"Failed\" type=\"\">first failure</failure>",
        "\t\t</testcase>",
        "\t\t<testcase classname=\"conftest.namespace\" name=\"examples/kubernetes/service.yaml - first skipped\" time=\"0.000\">",
        "\t\t\t<skipped message=\"first skipped\"></skipped>",
        "\t\t</testcase>",
    ]);
    three.extend(tail);

    let long_case = |name: &'static str| {
        let mut case = head.to_vec();
        case.push(
            "\t<testsuite tests=\"1\" failures=\"1\" time=\"0.000\" name=\"conftest.namespace\">",
        );
        case.extend(properties);
        case.extend([name, long_body, "\t\t</testcase>"]);
        case.extend(tail);
        lines(&case)
    };

    let cases = [
        (
            go.clone(),
            result(SERVICE),
            lines(&[head[0], "<testsuites></testsuites>", ""]),
        ),
        (
            go.clone(),
            CheckResult {
                warnings: outcomes(&["first warning"]),
                ..failure_and_skipped(SERVICE)
            },
            lines(&three),
        ),
        (
            go,
            long_failure.clone(),
            long_case(
                "\t\t<testcase classname=\"conftest.namespace\" name=\"examples/kubernetes/service.yaml - failure with long message\" time=\"0.000\">",
            ),
        ),
        (
            hide,
            long_failure,
            long_case(
                "\t\t<testcase classname=\"conftest.namespace\" name=\"examples/kubernetes/service.yaml\" time=\"0.000\">",
            ),
        ),
    ];
    for (options, input, expected) in cases {
        check(OutputFormat::Junit, &options, vec![input], &expected);
    }
}

/// `output/github_test.go`, plus the file-name escaping of Conftest PR #1399 and the
/// `--github-hide-passed` cases of PR #1355.
#[test]
fn github() {
    let group = |file: &str, n: usize, ns: &str| {
        format!("::group::Testing \"{file}\" against {n} policies in namespace \"{ns}\"")
    };
    let located = |file: &str| CheckResult {
        filename: "foo.json".into(),
        namespace: "main".into(),
        failures: vec![Outcome {
            message: "first failure".into(),
            location: Some(ResultLocation {
                file: file.into(),
                line: 10,
            }),
            ..Outcome::default()
        }],
        ..CheckResult::default()
    };
    let cases = [
        (result(SERVICE), vec![
            group(SERVICE, 0, "namespace"),
            "::notice file=examples/kubernetes/service.yaml,line=1::Number of successful checks: 0".into(),
            "::endgroup::".into(),
            "0 tests, 0 passed, 0 warnings, 0 failures, 0 exceptions".into(),
            String::new(),
        ]),
        (warning_and_failure(SERVICE), vec![
            group(SERVICE, 2, "namespace"),
            "::error file=examples/kubernetes/service.yaml,line=1::first failure".into(),
            "::warning file=examples/kubernetes/service.yaml,line=1::first warning".into(),
            "::notice file=examples/kubernetes/service.yaml,line=1::Number of successful checks: 0".into(),
            "::endgroup::".into(),
            "2 tests, 0 passed, 1 warning, 1 failure, 0 exceptions".into(),
            String::new(),
        ]),
        (CheckResult { successes: 10, ..failure_and_skipped(SERVICE) }, vec![
            group(SERVICE, 12, "namespace"),
            "::error file=examples/kubernetes/service.yaml,line=1::first failure".into(),
            "::notice file=examples/kubernetes/service.yaml,line=1::Test was skipped: first skipped".into(),
            "::notice file=examples/kubernetes/service.yaml,line=1::Number of successful checks: 10".into(),
            "::endgroup::".into(),
            "12 tests, 10 passed, 0 warnings, 1 failure, 0 exceptions".into(),
            String::new(),
        ]),
        (CheckResult { failures: outcomes(&["first failure"]), ..result("") }, vec![
            group("-", 1, "namespace"),
            "::error file=-,line=1::first failure".into(),
            "::notice file=-,line=1::Number of successful checks: 0".into(),
            "::endgroup::".into(),
            "1 test, 0 passed, 0 warnings, 1 failure, 0 exceptions".into(),
            String::new(),
        ]),
        (located("foo.json"), vec![
            group("foo.json", 1, "main"),
            "::error file=foo.json,line=10::first failure".into(),
            "::notice file=foo.json,line=1::Number of successful checks: 0".into(),
            "::endgroup::".into(),
            "1 test, 0 passed, 0 warnings, 1 failure, 0 exceptions".into(),
            String::new(),
        ]),
        (located("../other_file.json"), vec![
            group("foo.json", 1, "main"),
            "::error file=../other_file.json,line=10::first failure".into(),
            "::error file=foo.json,line=1::(ORIGINATING FROM ../other_file.json L10) first failure".into(),
            "::notice file=foo.json,line=1::Number of successful checks: 0".into(),
            "::endgroup::".into(),
            "1 test, 0 passed, 0 warnings, 1 failure, 0 exceptions".into(),
            String::new(),
        ]),
        (CheckResult { failures: outcomes(&["bad thing"]), ..result("a,b.json") }, vec![
            group("a,b.json", 1, "namespace"),
            "::error file=a%2Cb.json,line=1::bad thing".into(),
            "::notice file=a%2Cb.json,line=1::Number of successful checks: 0".into(),
            "::endgroup::".into(),
            "1 test, 0 passed, 0 warnings, 1 failure, 0 exceptions".into(),
            String::new(),
        ]),
    ];
    for (input, expected) in cases {
        check(
            OutputFormat::Github,
            &plain(),
            vec![input],
            &expected.join("\n"),
        );
    }

    let hide = RenderOptions {
        github_hide_passed: true,
        ..plain()
    };
    let passed = CheckResult {
        successes: 3,
        ..result("pass.yaml")
    };
    let skipped_only = CheckResult {
        skipped: outcomes(&["skip me"]),
        ..result("skip.yaml")
    };
    let expected = [
        group("skip.yaml", 1, "namespace"),
        "::notice file=skip.yaml,line=1::Test was skipped: skip me".into(),
        "::notice file=skip.yaml,line=1::Number of successful checks: 0".into(),
        "::endgroup::".into(),
        "4 tests, 3 passed, 0 warnings, 0 failures, 0 exceptions".into(),
        String::new(),
    ];
    check(
        OutputFormat::Github,
        &hide,
        vec![passed, skipped_only],
        &expected.join("\n"),
    );
}

/// `output/azuredevops_test.go`.
#[test]
fn azuredevops() {
    let section = |n: usize, file: &str| {
        format!("##[section]Testing '{file}' against {n} policies in namespace 'namespace'")
    };
    let cases = [
        (result(SERVICE), vec![
            section(0, SERVICE),
            "##[group]See conftest results".into(),
            "##[endgroup]".into(),
            "0 tests, 0 passed, 0 warnings, 0 failures, 0 exceptions".into(),
            String::new(),
        ]),
        (warning_and_failure(SERVICE), vec![
            section(2, SERVICE),
            "##[group]See conftest results".into(),
            "##vso[task.logissue type=error] file=examples/kubernetes/service.yaml --> first failure".into(),
            "##vso[task.logissue type=warning] file=examples/kubernetes/service.yaml --> first warning".into(),
            "##[endgroup]".into(),
            "2 tests, 0 passed, 1 warning, 1 failure, 0 exceptions".into(),
            String::new(),
        ]),
        (failure_and_skipped(SERVICE), vec![
            section(2, SERVICE),
            "##[group]See conftest results".into(),
            "##vso[task.logissue type=error] file=examples/kubernetes/service.yaml --> first failure".into(),
            "skipped file=examples/kubernetes/service.yaml first skipped".into(),
            "##[endgroup]".into(),
            "2 tests, 0 passed, 0 warnings, 1 failure, 0 exceptions".into(),
            String::new(),
        ]),
        (CheckResult { failures: outcomes(&["first failure"]), ..result("") }, vec![
            section(1, "-"),
            "##[group]See conftest results".into(),
            "##vso[task.logissue type=error] file=- --> first failure".into(),
            "##[endgroup]".into(),
            "1 test, 0 passed, 0 warnings, 1 failure, 0 exceptions".into(),
            String::new(),
        ]),
    ];
    for (input, expected) in cases {
        check(
            OutputFormat::AzureDevops,
            &plain(),
            vec![input],
            &expected.join("\n"),
        );
    }
}

/// `output/sarif_test.go`, compared as JSON values as Conftest compares them. Two deliberate
/// differences are normalized away: our `$schema` is the OASIS errata-01 id, and our typed SARIF
/// structs leave out an empty `rules` array where Conftest writes `[]`.
#[test]
fn sarif() {
    let rule = |id: &str, text: &str, properties: Value| json!({"id": id, "shortDescription": {"text": text}, "properties": properties});
    let result = |id: &str, index: usize, level: &str, text: &str, uri: &str| {
        json!({
            "ruleId": id, "ruleIndex": index, "level": level, "message": {"text": text},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}],
        })
    };
    let log = |rules: Vec<Value>, exit_code: i32, description: &str, results: Vec<Value>| {
        json!({
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {
                    "informationUri": "https://github.com/open-policy-agent/conftest",
                    "name": "conftest",
                    "rules": rules,
                }},
                "invocations": [{
                    "executionSuccessful": true,
                    "exitCode": exit_code,
                    "exitCodeDescription": description,
                }],
                "results": results,
            }],
        })
    };
    let with_metadata = |file: &str, kind: &str, messages: &[&str], metadata: Value| {
        let list: Vec<Outcome> = messages
            .iter()
            .map(|m| Outcome {
                message: (*m).to_owned(),
                metadata: metadata.as_object().cloned(),
                ..Outcome::default()
            })
            .collect();
        let base = CheckResult {
            filename: file.into(),
            namespace: "main".into(),
            ..CheckResult::default()
        };
        match kind {
            "failures" => CheckResult {
                failures: list,
                ..base
            },
            "warnings" => CheckResult {
                warnings: list,
                ..base
            },
            _ => CheckResult {
                exceptions: list,
                ..base
            },
        }
    };
    let pkg = json!({"package": "test", "rule": "rule1"});
    let success = "Policy was satisfied successfully";
    let skipped = "Policy check was skipped";

    let cases = [
        (
            vec![],
            0,
            log(vec![], 0, "No policy violations found", vec![]),
        ),
        (
            vec![with_metadata(
                "test.yaml",
                "failures",
                &["test failure"],
                pkg.clone(),
            )],
            1,
            log(
                vec![rule("main/deny", "Policy violation", pkg.clone())],
                1,
                "Policy violations found",
                vec![result("main/deny", 0, "error", "test failure", "test.yaml")],
            ),
        ),
        (
            vec![with_metadata(
                "test.yaml",
                "warnings",
                &["test warning"],
                json!({"foo": "bar"}),
            )],
            0,
            log(
                vec![rule("main/warn", "Policy warning", json!({"foo": "bar"}))],
                0,
                "Policy warnings found",
                vec![result(
                    "main/warn",
                    0,
                    "warning",
                    "test warning",
                    "test.yaml",
                )],
            ),
        ),
        (
            vec![with_metadata(
                "test.yaml",
                "exceptions",
                &["test exception"],
                json!({"description": "test exception description"}),
            )],
            0,
            log(
                vec![
                    rule(
                        "main/allow",
                        "Policy exception",
                        json!({"description": "test exception description"}),
                    ),
                    rule("main/success", success, json!({"description": success})),
                ],
                0,
                "No policy violations found",
                vec![
                    result("main/allow", 0, "note", "test exception", "test.yaml"),
                    result("main/success", 1, "none", success, "test.yaml"),
                ],
            ),
        ),
        (
            vec![CheckResult {
                filename: "test.yaml".into(),
                namespace: "main".into(),
                ..CheckResult::default()
            }],
            0,
            log(
                vec![rule("main/skip", skipped, json!({"description": skipped}))],
                0,
                "No policy violations found",
                vec![result("main/skip", 0, "none", skipped, "test.yaml")],
            ),
        ),
        (
            vec![with_metadata(
                "test1.yaml",
                "failures",
                &["test failure 1", "test failure 2"],
                pkg.clone(),
            )],
            1,
            log(
                vec![rule("main/deny", "Policy violation", pkg)],
                1,
                "Policy violations found",
                vec![
                    result("main/deny", 0, "error", "test failure 1", "test1.yaml"),
                    result("main/deny", 0, "error", "test failure 2", "test1.yaml"),
                ],
            ),
        ),
        (
            vec![CheckResult {
                filename: "test.yaml".into(),
                namespace: "main".into(),
                successes: 1,
                ..CheckResult::default()
            }],
            0,
            log(
                vec![rule(
                    "main/success",
                    success,
                    json!({"description": success}),
                )],
                0,
                "No policy violations found",
                vec![result("main/success", 0, "none", success, "test.yaml")],
            ),
        ),
    ];
    for (input, exit_code, expected) in cases {
        let options = RenderOptions {
            exit_code,
            ..plain()
        };
        let output = render(OutputFormat::Sarif, &input, &options);
        let mut actual: Value = serde_json::from_str(&output).expect("SARIF output is JSON");
        actual.as_object_mut().map(|log| log.remove("$schema"));
        let driver = &mut actual["runs"][0]["tool"]["driver"];
        if driver.get("rules").is_none() {
            driver["rules"] = json!([]);
        }
        assert_eq!(actual, expected);
    }
}
