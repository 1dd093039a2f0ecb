//! The SARIF types serialize to documents the official SARIF 2.1.0 schema accepts, omit what was
//! not set, and read back what they wrote.

use std::collections::BTreeMap;

use gatehouse_model::report::sarif::{
    self, ArtifactContent, ArtifactLocation, Invocation, Level, LogicalLocation, Message,
    MultiformatMessageString, Notification, PhysicalLocation, Region, ReportingConfiguration,
    ReportingDescriptor, ResultKind, Run, RunAutomationDetails, SarifLog, Suppression,
    SuppressionKind, SuppressionStatus, Tool, ToolComponent,
};
use serde_json::{Value, json};

mod common;

/// A log that exercises every struct: two rules, a file finding, a resource finding with a
/// logical location, a waived finding, and an invocation with a notification.
fn representative_log() -> SarifLog {
    let mut rule_props = sarif::PropertyBag::new();
    rule_props.insert("security-severity".into(), json!("8.0"));
    rule_props.insert("tags".into(), json!(["security", "CWE-732"]));

    let rules = vec![
        ReportingDescriptor {
            id: "GH-TF-S3-001".into(),
            name: Some("S3BucketPublicRead".into()),
            short_description: Some(MultiformatMessageString::text(
                "S3 bucket allows public read",
            )),
            full_description: Some(MultiformatMessageString::text(
                "The bucket ACL grants READ to AllUsers.",
            )),
            help: Some(MultiformatMessageString {
                text: "Set `acl = \"private\"`.".into(),
                markdown: Some("Set `acl = \"private\"`.".into()),
            }),
            help_uri: Some("https://docs.gatehouse.dev/rules/GH-TF-S3-001".into()),
            default_configuration: Some(ReportingConfiguration {
                level: Some(Level::Error),
                ..ReportingConfiguration::default()
            }),
            properties: rule_props,
        },
        ReportingDescriptor {
            id: "GH-DOCKER-001".into(),
            ..ReportingDescriptor::default()
        },
    ];

    let file_location = sarif::Location {
        physical_location: Some(PhysicalLocation {
            artifact_location: Some(ArtifactLocation {
                uri: Some("infra/main.tf".into()),
                uri_base_id: Some("%SRCROOT%".into()),
                ..ArtifactLocation::default()
            }),
            region: Some(Region {
                start_line: Some(12),
                start_column: Some(3),
                end_line: Some(14),
                end_column: Some(4),
                snippet: Some(ArtifactContent {
                    text: Some("acl = \"public-read\"".into()),
                }),
                ..Region::default()
            }),
            context_region: None,
        }),
        logical_locations: vec![LogicalLocation {
            fully_qualified_name: Some("module.storage.aws_s3_bucket.logs".into()),
            kind: Some("resource".into()),
            ..LogicalLocation::default()
        }],
        message: None,
    };

    let mut fingerprints = BTreeMap::new();
    fingerprints.insert("gatehouse/v1".into(), "3f2a".repeat(16));

    let public_bucket = sarif::Result {
        rule_id: "GH-TF-S3-001".into(),
        rule_index: Some(0),
        level: Some(Level::Error),
        kind: Some(ResultKind::Fail),
        message: Message::text("aws_s3_bucket.logs is publicly readable"),
        locations: vec![file_location],
        partial_fingerprints: fingerprints,
        ..sarif::Result::default()
    };

    let waived = sarif::Result {
        rule_id: "GH-DOCKER-001".into(),
        rule_index: Some(1),
        level: Some(Level::Warning),
        message: Message::text("Image runs as root"),
        locations: vec![sarif::Location {
            physical_location: Some(PhysicalLocation {
                artifact_location: Some(ArtifactLocation {
                    uri: Some("Dockerfile".into()),
                    ..ArtifactLocation::default()
                }),
                region: Some(Region {
                    start_line: Some(1),
                    ..Region::default()
                }),
                context_region: None,
            }),
            ..sarif::Location::default()
        }],
        suppressions: vec![Suppression {
            kind: SuppressionKind::External,
            status: Some(SuppressionStatus::Accepted),
            justification: Some("Base image needs root until INFRA-42 lands".into()),
            properties: sarif::PropertyBag::new(),
        }],
        ..sarif::Result::default()
    };

    let mut base_ids = BTreeMap::new();
    base_ids.insert(
        "%SRCROOT%".into(),
        ArtifactLocation {
            uri: Some("file:///src/".into()),
            ..ArtifactLocation::default()
        },
    );

    SarifLog::new(vec![Run {
        tool: Tool {
            driver: ToolComponent {
                name: "gatehouse".into(),
                version: Some("0.1.0".into()),
                information_uri: Some("https://github.com/gatehouse-dev/gatehouse".into()),
                rules,
                ..ToolComponent::default()
            },
            extensions: Vec::new(),
        },
        results: vec![public_bucket, waived],
        invocations: vec![Invocation {
            execution_successful: true,
            exit_code: Some(1),
            exit_code_description: Some("gate failed".into()),
            tool_execution_notifications: vec![Notification {
                message: Message::text("skipped vendor/ (excluded)"),
                level: Some(Level::Note),
                ..Notification::default()
            }],
            ..Invocation::default()
        }],
        original_uri_base_ids: base_ids,
        automation_details: Some(RunAutomationDetails {
            id: Some("gatehouse/policy/".into()),
            guid: None,
        }),
        column_kind: Some("unicodeCodePoints".into()),
        properties: sarif::PropertyBag::new(),
    }])
}

#[test]
fn representative_log_is_valid_sarif_2_1_0() {
    let value = serde_json::to_value(representative_log()).unwrap();
    common::assert_valid_sarif(&value);
}

#[test]
fn unset_options_and_empty_collections_are_omitted() {
    let log = SarifLog::new(vec![Run {
        tool: Tool {
            driver: ToolComponent {
                name: "gatehouse".into(),
                ..ToolComponent::default()
            },
            extensions: Vec::new(),
        },
        ..Run::default()
    }]);
    let value = serde_json::to_value(&log).unwrap();
    // `results` stays: an empty array means "ran and found nothing".
    assert_eq!(
        value,
        json!({
            "$schema": sarif::SCHEMA_URI,
            "version": "2.1.0",
            "runs": [{ "tool": { "driver": { "name": "gatehouse" } }, "results": [] }]
        })
    );
    common::assert_valid_sarif(&value);
}

#[test]
fn round_trips_through_json() {
    let log = representative_log();
    let text = serde_json::to_string(&log).unwrap();
    let back: SarifLog = serde_json::from_str(&text).unwrap();
    assert_eq!(back, log);
}

#[test]
fn reads_a_minimal_foreign_log_and_resolves_defaults() {
    // A CodeQL-style result: no `level`, rule reached through `rule.index`.
    let text = r#"{
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": { "name": "CodeQL", "rules": [
                { "id": "js/xss", "defaultConfiguration": { "level": "error" } }
            ] } },
            "results": [
                { "rule": { "id": "js/xss", "index": 0 }, "message": { "text": "XSS" } },
                { "ruleId": "js/unknown", "message": { "id": "default" } }
            ]
        }]
    }"#;
    let log: SarifLog = serde_json::from_str(text).unwrap();
    let run = &log.runs[0];
    assert_eq!(run.results[0].rule_id(), Some("js/xss"));
    assert_eq!(run.results[0].effective_level(run), Level::Error);
    assert_eq!(run.results[1].effective_level(run), Level::Warning);
    assert_eq!(run.results[1].message.text, "");
    assert_eq!(run.results[1].message.id.as_deref(), Some("default"));
}

#[test]
fn the_schema_rejects_what_it_should() {
    // Guards the validator itself: a result without a message is not SARIF.
    let mut value: Value = serde_json::to_value(representative_log()).unwrap();
    value["runs"][0]["results"][0]
        .as_object_mut()
        .unwrap()
        .remove("message");
    assert!(
        common::sarif_errors(&value)
            .iter()
            .any(|e| e.contains("message"))
    );
}

#[test]
fn the_schema_checks_uri_formats() {
    // Why the writer percent-encodes paths: a raw space is not a valid `uri-reference`.
    let mut value: Value = serde_json::to_value(representative_log()).unwrap();
    value["runs"][0]["tool"]["driver"]["informationUri"] = json!("not a uri");
    assert!(
        common::sarif_errors(&value)
            .iter()
            .any(|e| e.contains("informationUri"))
    );

    let mut value: Value = serde_json::to_value(representative_log()).unwrap();
    value["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        json!("web/app v2/index.js");
    assert!(!common::sarif_errors(&value).is_empty());
}
