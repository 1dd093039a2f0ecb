//! `TFSec Scan`: tfsec's JSON report (`tfsec --format json`).
//!
//! As in DefectDojo: passed results are skipped; CRITICAL/HIGH/ERROR/MEDIUM/WARNING/LOW/INFO map
//! to the five levels (unknown → Low); repeats of provider+rule+file+lines raise `nb_occurences`.

use gatehouse_model::{Finding, Severity};
use serde_json::Value;

use crate::dojo::{self, DojoFinding, Dupes};
use crate::json::{self, ValueExt};
use crate::{IngestError, Parser};

/// The `TFSec Scan` scan type.
#[derive(Debug, Clone, Copy, Default)]
pub struct TfSec;

const HINT: &str = "is this the output of `tfsec --format json`?";

impl Parser for TfSec {
    fn parse(&self, bytes: &[u8]) -> Result<Vec<Finding>, IngestError> {
        let report = json::parse(bytes, HINT)?;
        let results = match report.get("results") {
            None => {
                return Err(IngestError::shape(
                    "$.results",
                    format!("incorrect TFSec scan, missing attribute `results`; {HINT}"),
                ));
            }
            Some(Value::Null) => return Ok(Vec::new()),
            Some(Value::Array(results)) => results,
            Some(_) => return Err(IngestError::shape("$.results", "expected an array")),
        };
        let mut dupes = Dupes::default();
        for item in results {
            if item.get("passed").and_then(Value::as_bool) == Some(true) {
                continue;
            }
            let text = |key: &str| item.text_of(key).unwrap_or_default();
            let location = item.get("location");
            let file = location
                .and_then(|l| l.text_of("filename"))
                .unwrap_or_default();
            let start = location.and_then(|l| l.int_of("start_line"));
            let end = location.and_then(|l| l.int_of("end_line"));
            let word = text("severity");
            let severity = match word.to_ascii_uppercase().as_str() {
                "CRITICAL" => Severity::Critical,
                "HIGH" | "ERROR" => Severity::High,
                "MEDIUM" | "WARNING" => Severity::Medium,
                "LOW" => Severity::Low,
                "INFO" => Severity::Info,
                _ => Severity::Low,
            };
            let rule_id = text("rule_id");
            let mut finding = DojoFinding::new(text("rule_description"), severity);
            finding.tool_severity = Some(word);
            finding.description = format!("Rule ID: {rule_id}\n{}", text("description"));
            finding.mitigation = item.text_of("resolution");
            finding.references = match item.get("links").and_then(Value::as_array) {
                Some(links) => Some(
                    links
                        .iter()
                        .filter_map(json::as_text)
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
                None => item.text_of("link"),
            };
            finding.set_opt(dojo::IMPACT, item.text_of("impact"));
            finding.file_path = Some(file.clone());
            finding.line = start.and_then(|l| u32::try_from(l).ok());
            // tfsec 1.x names rules by `long_id` (`aws-vpc-no-excessive-port-access`).
            finding.vuln_id_from_tool = item.text_of("long_id").or_else(|| Some(rule_id.clone()));
            finding.set(dojo::STATIC_FINDING, true);
            finding.set(dojo::DYNAMIC_FINDING, false);
            let key = format!(
                "{}\u{0}{rule_id}\u{0}{file}\u{0}{start:?}\u{0}{end:?}",
                text("rule_provider")
            );
            dupes.add(key, finding);
        }
        Ok(dojo::finish(dupes.into_vec(), "tfsec", None))
    }
}
