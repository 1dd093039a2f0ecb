//! The fixture harness: DefectDojo's expectations (count and fields) and one snapshot per fixture.

// Shared by several test binaries; each uses only part of it.
#![allow(dead_code)]

use gatehouse_ingest::dojo;
use gatehouse_model::Finding;
use serde_json::{Value, json};

/// DefectDojo's asserted results, copied from `fixtures/scans/expectations.jsonl`.
const EXPECTATIONS: &str = include_str!("../fixtures/expectations.jsonl");

/// Parses `bytes` with the parser for `scan_type`, checks the expectations for `fixture`
/// (`<parser>/<file>`) if DefectDojo has any, snapshots a compact projection, and feeds
/// truncated prefixes to the parser (none may panic).
pub fn check_fixture(scan_type: &str, fixture: &str, bytes: &[u8]) {
    let parser = gatehouse_ingest::parser_for(scan_type)
        .unwrap_or_else(|| panic!("no parser registered for {scan_type:?}"));
    let expectation = expectation(fixture);
    let result = parser.parse(bytes);

    if let Some(expected) = &expectation {
        if expected.get("expect_error").is_some_and(|e| !e.is_null()) {
            let error = result.expect_err("DefectDojo rejects this file; so must we");
            assert!(!error.to_string().is_empty());
            snapshot(fixture, &json!({ "error": error.to_string() }));
            truncations(parser, bytes);
            return;
        }
    }
    let findings = result.unwrap_or_else(|error| panic!("{fixture}: {error}"));
    if let Some(expected) = &expectation {
        let count = expected["findings"].as_u64().expect("findings count");
        assert_eq!(findings.len() as u64, count, "{fixture}: finding count");
        let checks = expected["checks"].as_array().into_iter().flatten();
        let extra = expected["extra_checks"].as_array().into_iter().flatten();
        for check in checks.chain(extra) {
            let index = check["index"].as_u64().expect("index") as usize;
            let field = check["field"].as_str().expect("field");
            let finding = findings.get(index).expect("finding at index");
            let actual = dojo_field(finding, field);
            assert!(
                same(&actual, &check["value"], field),
                "{fixture}: finding {index} field {field}: expected {}, got {}",
                check["value"],
                actual
            );
        }
    }
    snapshot(
        fixture,
        &Value::Array(findings.iter().map(projection).collect()),
    );
    truncations(parser, bytes);
}

/// Asserts DefectDojo's expected count and fields for one fixture's findings.
pub fn assert_expected(fixture: &str, expected: &Value, findings: &[Finding]) {
    let count = expected["findings"].as_u64().expect("findings count");
    assert_eq!(findings.len() as u64, count, "{fixture}: finding count");
    let checks = expected["checks"].as_array().into_iter().flatten();
    let extra = expected["extra_checks"].as_array().into_iter().flatten();
    for check in checks.chain(extra) {
        let index = check["index"].as_u64().expect("index") as usize;
        let field = check["field"].as_str().expect("field");
        let finding = findings.get(index).expect("finding at index");
        let actual = dojo_field(finding, field);
        assert!(
            same(&actual, &check["value"], field),
            "{fixture}: finding {index} field {field}: expected {}, got {}",
            check["value"],
            actual
        );
    }
}

/// Every line of `expectations.jsonl`, parsed.
pub fn expectations() -> Vec<Value> {
    EXPECTATIONS
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str::<Value>(line).expect("expectations line"))
        .collect()
}

fn expectation(fixture: &str) -> Option<Value> {
    let wanted = format!("scans/{fixture}");
    EXPECTATIONS
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str::<Value>(line).expect("expectations line"))
        .find(|value| value["fixture"] == wanted.as_str())
}

fn snapshot(fixture: &str, value: &Value) {
    let name = fixture.replace(['/', '.'], "__");
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_input_file(fixture);
    settings.bind(|| insta::assert_json_snapshot!(name, value));
}

/// Every prefix at ~64 cut points (and the first 32 bytes one by one) must parse or fail
/// cleanly: no panic.
fn truncations(parser: &dyn gatehouse_ingest::Parser, bytes: &[u8]) {
    let step = (bytes.len() / 64).max(1);
    let cuts = (0..bytes.len().min(32)).chain((0..bytes.len()).step_by(step));
    for cut in cuts {
        let _ = parser.parse(&bytes[..cut]);
    }
}

/// A compact, readable projection for snapshots.
fn projection(finding: &Finding) -> Value {
    let mut out = serde_json::Map::new();
    out.insert("title".into(), json!(finding.title));
    out.insert("severity".into(), json!(finding.severity));
    out.insert("rule_id".into(), json!(finding.rule_id));
    let location = &finding.location;
    if let Some(path) = &location.path {
        out.insert("path".into(), json!(path));
    }
    if let Some(line) = location.start_line {
        out.insert("line".into(), json!(line));
    }
    if let Some(purl) = &location.purl {
        out.insert("purl".into(), json!(purl));
    }
    if !finding.cwe_ids.is_empty() {
        out.insert("cwe".into(), json!(finding.cwe_ids));
    }
    if !finding.vulnerability_ids.is_empty() {
        out.insert("ids".into(), json!(finding.vulnerability_ids));
    }
    for key in [
        dojo::UNIQUE_ID_FROM_TOOL,
        dojo::COMPONENT_NAME,
        dojo::COMPONENT_VERSION,
        dojo::FIX_VERSION,
    ] {
        if let Some(value) = finding.properties.get(key) {
            out.insert(key.into(), value.clone());
        }
    }
    if finding.is_suppressed() {
        out.insert("suppressed".into(), json!(true));
    }
    out.insert("tool".into(), json!(finding.tool));
    Value::Object(out)
}

/// A DefectDojo field as our finding represents it.
fn dojo_field(finding: &Finding, field: &str) -> Value {
    let property = |key: &str| finding.properties.get(key).cloned().unwrap_or(Value::Null);
    match field {
        "title" => json!(finding.title),
        "severity" => json!(dojo::severity_name(finding.severity)),
        "description" => json!(finding.message),
        "mitigation" => json!(finding.remediation),
        "references" => {
            if let Some(text) = finding.properties.get(dojo::REFERENCES) {
                text.clone()
            } else if finding.references.is_empty() {
                Value::Null
            } else {
                json!(finding.references.join("\n"))
            }
        }
        "file_path" => finding
            .properties
            .get(dojo::FILE_PATH)
            .cloned()
            .unwrap_or_else(|| json!(finding.location.path)),
        "line" => json!(finding.location.start_line),
        "cwe" => json!(finding.cwe_ids.first()),
        "unsaved_cwes" => json!(finding.cwe_ids),
        "cve" => json!(
            finding
                .vulnerability_ids
                .iter()
                .find(|id| id.starts_with("CVE-"))
        ),
        "unsaved_vulnerability_ids" => json!(finding.vulnerability_ids),
        "len(unsaved_vulnerability_ids)" => json!(finding.vulnerability_ids.len()),
        "unsaved_tags" => json!(finding.tags),
        "len(unsaved_tags)" => json!(finding.tags.len()),
        "active" => finding
            .properties
            .get(dojo::ACTIVE)
            .cloned()
            .unwrap_or(json!(true)),
        "verified" | "duplicate" | "is_mitigated" | "false_p" => finding
            .properties
            .get(field)
            .cloned()
            .unwrap_or(json!(false)),
        "nb_occurences" => finding
            .properties
            .get(dojo::NB_OCCURENCES)
            .cloned()
            .unwrap_or(json!(1)),
        other => {
            if let Some(index) = other
                .strip_prefix("unsaved_vulnerability_ids[")
                .and_then(|rest| rest.strip_suffix(']'))
            {
                let index: usize = index.parse().expect("index");
                return json!(finding.vulnerability_ids.get(index));
            }
            property(other)
        }
    }
}

/// Equality with DefectDojo's loose typing: missing/empty ≈ null, CWE strings ≈ numbers,
/// floats compared numerically, tag lists as sets.
fn same(actual: &Value, expected: &Value, field: &str) -> bool {
    if actual == expected {
        return true;
    }
    match (actual, expected) {
        (Value::Array(_), Value::Null) if items_empty(actual) => true,
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (_, Value::String(text)) if field.contains("cwe") => {
            actual.as_u64().map(|n| n as u32) == cwe_of(text)
        }
        (Value::Array(a), Value::Array(b)) if field.contains("cwe") => {
            let b: Vec<Option<u32>> = b
                .iter()
                .map(|v| {
                    v.as_u64()
                        .map(|n| n as u32)
                        .or_else(|| v.as_str().and_then(cwe_of))
                })
                .collect();
            let a: Vec<Option<u32>> = a.iter().map(|v| v.as_u64().map(|n| n as u32)).collect();
            a == b
        }
        (Value::Array(a), Value::Array(b)) if field == "unsaved_tags" => {
            let mut a = a.clone();
            let mut b = b.clone();
            a.sort_by_key(Value::to_string);
            b.sort_by_key(Value::to_string);
            a == b
        }
        // DefectDojo's "no value" spellings: cwe 0, line 0, empty text.
        (Value::Null, Value::Number(n)) if field == "cwe" || field == "line" => {
            n.as_u64() == Some(0)
        }
        (Value::Null, Value::String(text)) => text.is_empty(),
        (Value::String(a), Value::String(b)) if field == "date" => a.starts_with(b.as_str()),
        _ => false,
    }
}

fn items_empty(value: &Value) -> bool {
    value.as_array().is_some_and(Vec::is_empty)
}

fn cwe_of(text: &str) -> Option<u32> {
    dojo::cwe_number(text).or_else(|| text.trim().parse().ok())
}
