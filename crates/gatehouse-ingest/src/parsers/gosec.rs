//! `Gosec Scanner`: gosec's JSON report (`gosec -fmt=json`).
//!
//! As in DefectDojo: title `<details> - rule <rule_id>`, severity title-cased, a line range
//! points at its first line, the CWE's MITRE page (or the gosec rule page) as reference;
//! repeats of title+file+line are dropped.

use gatehouse_model::Finding;
use serde_json::Value;

use crate::dojo::{self, DojoFinding};
use crate::json::{self, ValueExt};
use crate::{IngestError, Parser};

/// The `Gosec Scanner` scan type.
#[derive(Debug, Clone, Copy, Default)]
pub struct Gosec;

const HINT: &str = "is this the output of `gosec -fmt=json`?";

impl Parser for Gosec {
    fn parse(&self, bytes: &[u8]) -> Result<Vec<Finding>, IngestError> {
        let report = json::parse(bytes, HINT)?;
        let Some(issues) = report.get("Issues").and_then(Value::as_array) else {
            return Err(IngestError::shape(
                "$.Issues",
                format!("expected an array of issues; {HINT}"),
            ));
        };
        let version = report.text_of("GosecVersion");
        let mut seen = Vec::new();
        let mut out = Vec::new();
        for (index, item) in issues.iter().enumerate() {
            let path = format!("$.Issues[{index}]");
            let text = |key: &str| item.text_of(key).unwrap_or_default();
            let word = text("severity");
            let severity = dojo::severity_sanitized(&word).ok_or_else(|| {
                IngestError::shape(
                    format!("{path}.severity"),
                    format!("unknown severity `{word}`"),
                )
            })?;
            let title = format!("{} - rule {}", text("details"), text("rule_id"));
            let raw_line = text("line");
            let first = raw_line.split('-').next().unwrap_or_default();
            let line = first.parse::<u32>().ok();
            let key = format!("{title}\u{0}{}\u{0}{line:?}", text("file"));
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            let confidence = item.text_of("confidence");
            let mut finding = DojoFinding::new(title, severity);
            finding.tool_severity = Some(word);
            finding.description = format!(
                "Filename: {}\n\nLine number: {raw_line}\n\nIssue Confidence: {}\n\nCode:\n\n```{}```",
                text("file"),
                confidence.clone().unwrap_or_else(|| "None".to_owned()),
                text("code")
            );
            let cwe = item.get("cwe");
            if let Some(number) = cwe
                .and_then(|c| c.get("id"))
                .and_then(json::as_int)
                .and_then(|n| u32::try_from(n).ok())
            {
                finding.add_cwe(number);
            }
            finding.references = cwe.and_then(|c| c.text_of("url")).or_else(|| {
                Some(
                    format!("https://securego.io/docs/rules/{}.html", text("rule_id"))
                        .to_lowercase(),
                )
            });
            finding.file_path = item.text_of("file");
            finding.line = line;
            finding.vuln_id_from_tool = item.text_of("rule_id");
            finding.set_opt("scanner_confidence", confidence);
            finding.set(dojo::STATIC_FINDING, true);
            finding.set(dojo::DYNAMIC_FINDING, false);
            out.push(finding);
        }
        Ok(dojo::finish(out, "gosec", version.as_deref()))
    }
}
