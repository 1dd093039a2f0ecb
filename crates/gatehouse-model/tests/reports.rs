//! Every report writer renders the same fixture findings (`tests/common`), snapshot-tested;
//! the SARIF is also validated against the official schema.

use gatehouse_model::report::json::{JsonReport, SCHEMA_VERSION};
use gatehouse_model::report::sarif::{self, Invocation, SarifOptions};
use gatehouse_model::report::{self, Format, Summary};
use gatehouse_model::{Finding, Severity};

mod common;

use common::fixture_findings;

#[test]
fn table() {
    insta::assert_snapshot!(report::table::render(&fixture_findings()));
}

#[test]
fn json() {
    insta::assert_snapshot!(report::json::render(&fixture_findings()));
}

#[test]
fn junit() {
    insta::assert_snapshot!(report::junit::render(&fixture_findings()));
}

#[test]
fn github() {
    insta::assert_snapshot!(report::github::render(&fixture_findings()));
}

#[test]
fn sarif() {
    insta::assert_snapshot!(sarif::render(&fixture_findings(), &SarifOptions::default()));
}

#[test]
fn sarif_of_the_fixture_is_valid_sarif_2_1_0() {
    let log = sarif::to_sarif(&fixture_findings(), &SarifOptions::default());
    common::assert_valid_sarif(&serde_json::to_value(&log).unwrap());
}

#[test]
fn sarif_with_every_option_is_valid_sarif_2_1_0() {
    let options = SarifOptions {
        tool_version: Some("0.1.0".into()),
        category: Some("gatehouse/policy/".into()),
        src_root: Some("file:///home/runner/work/repo/".into()),
        invocation: Some(Invocation {
            execution_successful: true,
            exit_code: Some(1),
            exit_code_description: Some("gate failed".into()),
            ..Invocation::default()
        }),
        ..SarifOptions::default()
    };
    let log = sarif::to_sarif(&fixture_findings(), &options);
    common::assert_valid_sarif(&serde_json::to_value(&log).unwrap());
    let run = &log.runs[0];
    assert_eq!(
        run.automation_details.as_ref().unwrap().id.as_deref(),
        Some("gatehouse/policy/")
    );
    assert!(run.original_uri_base_ids.contains_key("%SRCROOT%"));
}

#[test]
fn sarif_has_one_run_per_tool_and_one_rule_per_rule_id() {
    let log = sarif::to_sarif(&fixture_findings(), &SarifOptions::default());
    let tools: Vec<&str> = log
        .runs
        .iter()
        .map(|r| r.tool.driver.name.as_str())
        .collect();
    assert_eq!(tools, ["gatehouse", "gosec", "grype", "semgrep"]);
    let gatehouse = &log.runs[0];
    let rules: Vec<&str> = gatehouse
        .tool
        .driver
        .rules
        .iter()
        .map(|r| r.id.as_str())
        .collect();
    // Two GH-TF-S3-001 findings share one rule; the tool-less K8s finding joins `gatehouse`.
    assert_eq!(rules, ["GH-DOCKER-002", "GH-K8S-010", "GH-TF-S3-001"]);
    for result in &gatehouse.results {
        let index = result.rule_index.unwrap();
        assert_eq!(gatehouse.tool.driver.rules[index].id, result.rule_id);
    }
}

#[test]
fn sarif_for_no_findings_is_one_empty_run() {
    let log = sarif::to_sarif(&[], &SarifOptions::default());
    assert_eq!(log.runs.len(), 1);
    assert!(log.runs[0].results.is_empty());
    common::assert_valid_sarif(&serde_json::to_value(&log).unwrap());
}

#[test]
fn every_format_is_deterministic_whatever_the_input_order() {
    let findings = fixture_findings();
    let mut reversed = findings.clone();
    reversed.reverse();
    for format in Format::ALL {
        assert_eq!(
            format.render(&findings),
            format.render(&reversed),
            "{format}"
        );
    }
}

#[test]
fn every_format_renders_no_findings() {
    insta::assert_snapshot!(
        Format::ALL
            .iter()
            .map(|format| format!("--- {format}\n{}", format.render(&[])))
            .collect::<String>()
    );
}

#[test]
fn format_names_round_trip() {
    for format in Format::ALL {
        assert_eq!(format.name().parse::<Format>().unwrap(), format);
    }
    assert_eq!("SARIF".parse::<Format>().unwrap(), Format::Sarif);
    let error = "html".parse::<Format>().unwrap_err();
    assert_eq!(
        error.to_string(),
        "unknown report format `html`: expected one of table, json, sarif, junit, github"
    );
}

#[test]
fn report_order_is_severity_then_path_then_line_then_rule() {
    let findings = fixture_findings();
    let order: Vec<(Severity, String)> = report::sorted(&findings)
        .iter()
        .map(|f| (f.severity, f.location.display_short()))
        .collect();
    let order: Vec<(Severity, &str)> = order.iter().map(|(s, l)| (*s, l.as_str())).collect();
    assert_eq!(
        order,
        [
            (Severity::Critical, "services/api/pom.xml"),
            (Severity::High, "infra/main.tf:12:3"),
            (Severity::High, "infra/main.tf:30"),
            (Severity::Medium, "Dockerfile:1"),
            (Severity::Medium, "cmd/gate/main.go:40"),
            (Severity::Low, "web/app, v2/index.js:7"),
            (Severity::Info, "Deployment/default/web"),
        ]
    );
}

#[test]
fn json_reads_back_with_fingerprints_and_summary() {
    let text = report::json::render(&fixture_findings());
    let parsed = JsonReport::parse(&text).unwrap();
    assert_eq!(parsed.schema_version, SCHEMA_VERSION);
    assert_eq!(parsed.findings.len(), 7);
    assert!(parsed.findings.iter().all(|f| f.fingerprint.is_some()));
    assert_eq!(parsed.summary.suppressed, 2);
    assert_eq!(parsed.summary.critical, 1);
}

#[test]
fn json_from_a_newer_gatehouse_is_refused_with_advice() {
    let error = JsonReport::parse(r#"{"schema_version": 99, "summary": {}, "findings": []}"#);
    let message = error.unwrap_err().to_string();
    assert!(message.contains("upgrade gatehouse"), "{message}");
}

#[test]
fn summary_line() {
    assert_eq!(Summary::of(&[]).to_string(), "no findings");
    assert_eq!(
        Summary::of(&fixture_findings()).to_string(),
        "5 findings: 1 critical, 2 high, 1 low, 1 info (2 suppressed)"
    );
    let one = [Finding::new("R", Severity::Low, "m")];
    assert_eq!(Summary::of(&one).to_string(), "1 finding: 1 low");
}

#[test]
fn github_escapes_properties_and_data_like_actions_core() {
    use report::github::{escape_data, escape_property};
    assert_eq!(escape_data("100%\r\nnext::x"), "100%25%0D%0Anext::x");
    assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
}
