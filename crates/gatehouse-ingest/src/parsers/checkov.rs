//! `Checkov Scan`: Checkov's JSON report (`checkov -o json`), one object or a list of them
//! (one per check type).
//!
//! As in DefectDojo: one finding per failed check; severity capitalized when Checkov sets one
//! (the open-source edition rarely does), else Medium; the resource is the component.

use gatehouse_model::{Finding, Severity};
use serde_json::Value;

use crate::dojo::{self, DojoFinding};
use crate::json::{self, ValueExt};
use crate::{IngestError, Parser};

/// The `Checkov Scan` scan type.
#[derive(Debug, Clone, Copy, Default)]
pub struct Checkov;

const HINT: &str = "is this the output of `checkov -o json`?";

impl Parser for Checkov {
    fn parse(&self, bytes: &[u8]) -> Result<Vec<Finding>, IngestError> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Vec::new());
        }
        let report = json::parse(bytes, HINT)?;
        let trees: Vec<&Value> = match &report {
            Value::Array(trees) => trees.iter().collect(),
            Value::Object(_) => vec![&report],
            _ => {
                return Err(IngestError::shape(
                    "$",
                    format!("expected an object or a list; {HINT}"),
                ));
            }
        };
        let mut out = Vec::new();
        let mut version = None;
        for tree in trees {
            let check_type = tree.text_of("check_type").unwrap_or_default();
            version = version.or_else(|| {
                tree.at(&["summary", "checkov_version"])
                    .and_then(json::as_text)
            });
            let failed = tree
                .get("results")
                .map(|r| r.arr("failed_checks"))
                .unwrap_or_default();
            out.extend(failed.iter().map(|check| check_finding(check, &check_type)));
        }
        Ok(dojo::finish(out, "Checkov", version.as_deref()))
    }
}

fn check_finding(check: &Value, check_type: &str) -> DojoFinding {
    let title = check
        .text_of("check_name")
        .unwrap_or_else(|| "check_name not found".to_owned());
    let severity_word = check.text_of("severity");
    let severity = severity_word
        .as_deref()
        .and_then(dojo::severity_sanitized)
        .unwrap_or(Severity::Medium);
    let mut finding = DojoFinding::new(title, severity);
    finding.tool_severity = severity_word;
    let mut description = format!("Check Type: {check_type}\n");
    if let Some(id) = check.text_of("check_id") {
        description += &format!("Check Id: {id}\n");
    }
    if let Some(name) = check.text_of("check_name") {
        description += &format!("{name}\n");
    }
    finding.description = description;
    finding.file_path = check.text_of("file_path");
    finding.line = check
        .arr("file_line_range")
        .first()
        .and_then(json::as_int)
        .and_then(|l| u32::try_from(l).ok());
    finding.component_name = check.text_of("resource");
    finding.references = check.text_of("guideline");
    finding.vuln_id_from_tool = check.text_of("check_id");
    finding.set(dojo::STATIC_FINDING, true);
    finding.set(dojo::DYNAMIC_FINDING, false);
    finding
}
