//! `Bandit Scan`: Bandit's JSON report (`bandit -f json`).
//!
//! As in DefectDojo: one finding per result, severity `issue_severity` title-cased,
//! `vuln_id_from_tool` = `<test_name>:<test_id>`, the report's `generated_at` as date.

use gatehouse_model::Finding;
use serde_json::Value;

use crate::dojo::{self, DojoFinding};
use crate::json::{self, ValueExt};
use crate::{IngestError, Parser};

/// The `Bandit Scan` scan type.
#[derive(Debug, Clone, Copy, Default)]
pub struct Bandit;

const HINT: &str = "is this the output of `bandit -f json`?";

impl Parser for Bandit {
    fn parse(&self, bytes: &[u8]) -> Result<Vec<Finding>, IngestError> {
        let report = json::parse(bytes, HINT)?;
        let Some(results) = report.get("results").and_then(Value::as_array) else {
            return Err(IngestError::shape(
                "$.results",
                format!("expected an array of results; {HINT}"),
            ));
        };
        let date = report
            .str_of("generated_at")
            .and_then(|d| dojo::iso_datetime(d).or_else(|| naive_date(d)));
        let mut out = Vec::new();
        for (index, item) in results.iter().enumerate() {
            let path = format!("$.results[{index}]");
            let word = item
                .text_of("issue_severity")
                .ok_or_else(|| IngestError::shape(format!("{path}.issue_severity"), "missing"))?;
            let severity = dojo::severity_sanitized(&word).ok_or_else(|| {
                IngestError::shape(
                    format!("{path}.issue_severity"),
                    format!("unknown severity `{word}`"),
                )
            })?;
            let field = |key: &str| item.text_of(key).unwrap_or_default();
            let mut finding = DojoFinding::new(field("issue_text"), severity);
            finding.tool_severity = Some(word);
            let code = item
                .get("code")
                .and_then(json::as_text)
                .unwrap_or_else(|| "None".to_owned())
                .replace("```", "\\`\\`\\`");
            finding.description = [
                format!("**Test Name:** `{}`", field("test_name")),
                format!("**Test ID:** `{}`", field("test_id")),
                format!("**Filename:** `{}`", field("filename")),
                format!("**Line number:** `{}`", field("line_number")),
                format!("**Issue Confidence:** `{}`", field("issue_confidence")),
                "**Code:**".to_owned(),
                format!("```\n{code}\n```"),
            ]
            .join("\n");
            finding.file_path = item.text_of("filename");
            finding.line = item
                .int_of("line_number")
                .and_then(|l| u32::try_from(l).ok());
            finding.vuln_id_from_tool =
                Some(format!("{}:{}", field("test_name"), field("test_id")));
            finding.references = item.text_of("more_info");
            if let Some(cwe) = item.at(&["issue_cwe", "id"]).and_then(json::as_int) {
                finding.add_cwe(u32::try_from(cwe).unwrap_or(0));
            }
            finding.set_opt(dojo::DATE, date.clone());
            finding.set_opt("scanner_confidence", item.text_of("issue_confidence"));
            finding.set(dojo::STATIC_FINDING, true);
            finding.set(dojo::DYNAMIC_FINDING, false);
            out.push(finding);
        }
        Ok(dojo::finish(out, "Bandit", None))
    }
}

/// `2020-12-30T10:03:39` without an offset (Bandit's older form), read as UTC.
fn naive_date(raw: &str) -> Option<String> {
    let parsed = chrono::NaiveDateTime::parse_from_str(raw.trim(), "%Y-%m-%dT%H:%M:%S%.f").ok()?;
    Some(parsed.format("%Y-%m-%dT%H:%M:%S+00:00").to_string())
}
