//! End-to-end tests of `gatehouse check`: severity gate, waivers and owners.
//! Exit codes: 0 pass, 1 gate failed, 2 usage/input/configuration error.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use chrono::{Days, Local};

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check")
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn check(args: &[&str], waivers: Option<&str>) -> Run {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut cmd = Command::cargo_bin("gatehouse").expect("binary");
    cmd.current_dir(fixture_dir()).arg("check").args(args);
    if let Some(text) = waivers {
        let path = dir.path().join("waivers.yaml");
        std::fs::write(&path, text).expect("write waivers");
        cmd.arg("--waivers").arg(&path);
    }
    let out = cmd.output().expect("runs");
    let run = Run {
        code: out.status.code().expect("exit code"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

fn in_days(days: u64) -> String {
    (Local::now().date_naive() + Days::new(days)).to_string()
}

fn days_ago(days: u64) -> String {
    (Local::now().date_naive() - Days::new(days)).to_string()
}

fn waiver(rule: &str, target: &str, expires: &str) -> String {
    format!(
        "waivers:\n  - rule: {rule}\n    target: {target}\n    reason: Accepted for the migration window\n    approved_by: \"@acme/security\"\n    expires: {expires}\n"
    )
}

#[test]
fn the_gate_fails_on_high_and_passes_when_the_threshold_is_critical() {
    let r = check(&["infra/tfplan.json"], None);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("GH-AZR-001"));
    assert_eq!(
        check(&["infra/tfplan.json", "--fail-on", "critical"], None).code,
        0
    );
    assert_eq!(
        check(&["infra/tfplan.json", "--hard-fail-on", "medium"], None).code,
        1
    );
    assert_eq!(check(&["infra/tfplan.json", "--soft-fail"], None).code, 0);
    assert_eq!(
        check(
            &[
                "infra/tfplan.json",
                "--soft-fail-on",
                "CKV_AZURE_59,GH-AWS-011"
            ],
            None
        )
        .code,
        0,
        "both high findings are soft-failed, one by Checkov id and one by gatehouse id"
    );
    assert_eq!(
        check(
            &["infra/tfplan.json", "--soft-fail-on", "CKV_AZURE_59"],
            None
        )
        .code,
        1
    );
}

#[test]
fn findings_carry_owners_from_codeowners_last_match_wins() {
    let r = check(&["infra/tfplan.json", "-o", "json"], None);
    let report: serde_json::Value = serde_json::from_str(&r.stdout).expect("json report");
    let text = report.to_string();
    assert!(
        text.contains("@acme/cloud") && text.contains("@alice"),
        "{text}"
    );
    assert!(
        !text.contains("@acme/platform"),
        "the /infra/ rule wins over *"
    );
}

#[test]
fn a_valid_waiver_suppresses_the_finding_and_keeps_it_in_the_report() {
    let w = format!(
        "{}{}",
        waiver(
            "GH-AZR-001",
            "azurerm_storage_account.sa_00005",
            &in_days(30),
        ),
        waiver("GH-AWS-011", "aws_db_instance.db_00002", &in_days(60)).replace("waivers:\n", "")
    );
    let r = check(&["infra/tfplan.json", "-o", "sarif"], Some(&w));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let sarif: serde_json::Value = serde_json::from_str(&r.stdout).expect("sarif");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let waived: Vec<&serde_json::Value> = results
        .iter()
        .filter(|r| r["suppressions"].is_array())
        .collect();
    assert_eq!(
        waived.len(),
        2,
        "both high findings are waived, and still reported"
    );
    assert_eq!(
        waived[0]["suppressions"][0]["justification"],
        "Accepted for the migration window"
    );
}

#[test]
fn an_expired_waiver_stops_applying_and_is_reported() {
    let w = waiver(
        "GH-AZR-001",
        "azurerm_storage_account.sa_00005",
        &days_ago(1),
    );
    let r = check(&["infra/tfplan.json"], Some(&w));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("expired on"), "{}", r.stderr);
}

#[test]
fn a_waiver_that_matches_nothing_is_reported() {
    let w = waiver(
        "GH-AZR-001",
        "azurerm_storage_account.nothere",
        &in_days(10),
    );
    let r = check(&["infra/tfplan.json"], Some(&w));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("matched no finding"), "{}", r.stderr);
}

#[test]
fn waivers_without_reason_or_too_far_out_are_configuration_errors_at_their_line() {
    let missing = "waivers:\n  - rule: GH-AZR-003\n    target: azurerm_storage_account.sa_00004\n    expires: 2030-01-01\n    approved_by: bob\n";
    let r = check(&["infra/tfplan.json"], Some(missing));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("waivers.yaml:2:"), "{}", r.stderr);
    let far = waiver(
        "GH-AZR-003",
        "azurerm_storage_account.sa_00004",
        &in_days(400),
    );
    let r = check(&["infra/tfplan.json"], Some(&far));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("waivers.yaml:2:"), "{}", r.stderr);
    let no_expiry = "waivers:\n  - rule: GH-AZR-003\n    reason: x\n    approved_by: bob\n";
    let r = check(&["infra/tfplan.json"], Some(no_expiry));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no `expires` date"), "{}", r.stderr);
}

#[test]
fn a_malformed_waivers_file_names_file_and_position() {
    let r = check(
        &["infra/tfplan.json"],
        Some("waivers:\n  - rule: [unclosed\n"),
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("waivers.yaml:"), "{}", r.stderr);
}

#[test]
fn rule_docs_and_listing() {
    let mut cmd = Command::cargo_bin("gatehouse").expect("binary");
    let out = cmd
        .args(["policy", "doc", "CKV_AZURE_59"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("# GH-AZR-001: Storage account allows public network access"));
    assert!(text.contains("Mirrors Checkov: CKV_AZURE_59") && text.contains("After:"));
    let mut cmd = Command::cargo_bin("gatehouse").expect("binary");
    let out = cmd
        .args(["check", "--list-rules", "-o", "json"])
        .output()
        .expect("runs");
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(rules.as_array().is_some_and(|r| !r.is_empty()));
}
