//! `KICS Scan`: KICS's JSON report (`kics scan --report-formats json`).
//!
//! As in DefectDojo: one finding per query file result, titled `<category>: <query name>`;
//! KICS's upper-case severities map 1:1 (unknown → Medium); the platform is the component;
//! repeats of platform+category+issue type+file+line (+ KICS's `similarity_id`) raise
//! `nb_occurences`.

use gatehouse_model::{Finding, Severity};
use serde_json::Value;

use crate::dojo::{self, DojoFinding};
use crate::json::{self, ValueExt};
use crate::{IngestError, Parser};

/// The `KICS Scan` scan type.
#[derive(Debug, Clone, Copy, Default)]
pub struct Kics;

const HINT: &str = "is this KICS's `results.json` (`--report-formats json`)?";

impl Parser for Kics {
    fn parse(&self, bytes: &[u8]) -> Result<Vec<Finding>, IngestError> {
        let report = json::parse(bytes, HINT)?;
        let Some(queries) = report.get("queries").and_then(Value::as_array) else {
            return Err(IngestError::shape(
                "$.queries",
                format!("expected an array of queries; {HINT}"),
            ));
        };
        let version = report.text_of("kics_version");
        let mut out = Vec::new();
        for query in queries {
            let text = |key: &str| query.text_of(key).unwrap_or_default();
            let word = text("severity");
            let severity = match word.as_str() {
                "CRITICAL" => Severity::Critical,
                "HIGH" => Severity::High,
                "MEDIUM" => Severity::Medium,
                "LOW" => Severity::Low,
                "INFO" => Severity::Info,
                _ => Severity::Medium,
            };
            let (platform, category) = (text("platform"), text("category"));
            for item in query.arr("files") {
                let file = item.text_of("file_name").unwrap_or_default();
                let line = item.int_of("line").and_then(|l| u32::try_from(l).ok());
                let issue_type = item.text_of("issue_type").unwrap_or_default();
                let mut description = format!("{}\n", text("description"));
                if !platform.is_empty() {
                    description += &format!("**Platform:** {platform}\n");
                }
                if !category.is_empty() {
                    description += &format!("**Category:** {category}\n");
                }
                if !issue_type.is_empty() {
                    description += &format!("**Issue type:** {issue_type}\n");
                }
                if let Some(actual) = item.text_of("actual_value").filter(|a| !a.is_empty()) {
                    description += &format!("**Actual value:** {actual}\n");
                }
                let description = description
                    .strip_suffix('\n')
                    .unwrap_or(&description)
                    .to_owned();
                let mut finding =
                    DojoFinding::new(format!("{category}: {}", text("query_name")), severity);
                finding.tool_severity = Some(word.clone());
                finding.description = description;
                finding.set(dojo::ACTIVE, true);
                finding.set(dojo::VERIFIED, false);
                finding.mitigation = item.text_of("expected_value");
                finding.file_path = Some(file.clone());
                finding.line = line;
                finding.component_name = Some(platform.clone()).filter(|p| !p.is_empty());
                finding.references = query.text_of("query_url");
                finding.vuln_id_from_tool = query.text_of("query_id");
                if let Some(cwe) = query.text_of("cwe").and_then(|c| c.trim().parse().ok()) {
                    finding.add_cwe(cwe);
                }
                finding.set(dojo::STATIC_FINDING, true);
                finding.set(dojo::DYNAMIC_FINDING, false);
                finding.unique_id_from_tool = item.text_of("similarity_id");
                finding.set(dojo::NB_OCCURENCES, 1);
                out.push(finding);
            }
        }
        Ok(dojo::finish(out, "KICS", version.as_deref()))
    }
}
