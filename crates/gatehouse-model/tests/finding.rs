//! Building findings and locations, and their JSON shape.

use gatehouse_model::location::normalize_path;
use gatehouse_model::{Finding, Location, Severity};

mod common;

#[test]
fn builder_sets_every_field() {
    let finding = Finding::new("GH-TF-S3-001", Severity::High, "bucket is public")
        .with_title("S3 bucket allows public read")
        .with_description("Buckets must not be public.")
        .with_tool_severity("HIGH")
        .with_location(
            Location::file(r".\infra\\main.tf")
                .with_lines(3, 5)
                .with_columns(1, 9),
        )
        .with_cwe(732)
        .with_vulnerability_id("CVE-0000-0000")
        .with_tool("gatehouse", Some("0.1.0"))
        .with_owner("@acme/infra")
        .with_reference("https://example.com/rule")
        .with_remediation("Make it private.")
        .with_tag("terraform")
        .with_property("checkov_id", "CKV_AWS_20");
    assert_eq!(finding.location.path.as_deref(), Some("infra/main.tf"));
    assert_eq!(finding.location.display_short(), "infra/main.tf:3:1");
    assert_eq!(finding.display_title(), "S3 bucket allows public read");
    assert_eq!(finding.properties["checkov_id"], "CKV_AWS_20");
    assert!(!finding.is_suppressed());
}

#[test]
fn a_finding_without_title_is_shown_by_rule_id() {
    assert_eq!(
        Finding::new("R-1", Severity::Low, "m").display_title(),
        "R-1"
    );
}

#[test]
fn minimal_json_shape() {
    let finding = Finding::new("R-1", Severity::Low, "m");
    assert_eq!(
        serde_json::to_value(&finding).unwrap(),
        serde_json::json!({ "rule_id": "R-1", "message": "m", "severity": "low" })
    );
}

#[test]
fn every_fixture_finding_round_trips_through_json() {
    for finding in common::fixture_findings() {
        let text = serde_json::to_string(&finding).unwrap();
        assert_eq!(serde_json::from_str::<Finding>(&text).unwrap(), finding);
    }
}

#[test]
fn location_short_forms() {
    assert_eq!(
        Location::resource("aws_s3_bucket.b").display_short(),
        "aws_s3_bucket.b"
    );
    assert_eq!(
        Location::package("pkg:npm/lodash", "4.17.20").display_short(),
        "pkg:npm/lodash@4.17.20"
    );
    assert_eq!(
        Location::package("pkg:npm/lodash@4.17.20", "4.17.20").display_short(),
        "pkg:npm/lodash@4.17.20"
    );
    assert_eq!(
        Location::default()
            .with_image_digest("sha256:ab")
            .display_short(),
        "sha256:ab"
    );
    assert_eq!(Location::default().display_short(), "");
}

#[test]
fn path_normalization() {
    assert_eq!(normalize_path("./a//b/./c.tf"), "a/b/c.tf");
    assert_eq!(normalize_path(r"a\b\c.tf"), "a/b/c.tf");
    assert_eq!(normalize_path("../up/x"), "../up/x");
    assert_eq!(normalize_path("/abs/x"), "/abs/x");
}
