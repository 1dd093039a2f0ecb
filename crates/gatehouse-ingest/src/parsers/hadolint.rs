//! `Hadolint Dockerfile check`: hadolint's JSON report (`hadolint -f json`).
//!
//! As in DefectDojo: `error`→Critical, `warning`→High, anything else Info; title
//! `<code>: <message>`; one finding per line+column+code+file (the last one wins).

use gatehouse_model::{Finding, Severity};

use crate::dojo::{self, DojoFinding};
use crate::json::{self, ValueExt};
use crate::{IngestError, Parser};

/// The `Hadolint Dockerfile check` scan type.
#[derive(Debug, Clone, Copy, Default)]
pub struct Hadolint;

const HINT: &str = "is this the output of `hadolint -f json`?";

impl Parser for Hadolint {
    fn parse(&self, bytes: &[u8]) -> Result<Vec<Finding>, IngestError> {
        let report = json::parse(bytes, HINT)?;
        let Some(items) = report.as_array() else {
            return Err(IngestError::shape(
                "$",
                format!("expected a list of results; {HINT}"),
            ));
        };
        let mut out: Vec<(String, DojoFinding)> = Vec::new();
        for item in items {
            let text = |key: &str| item.text_of(key).unwrap_or_default();
            let level = item.text_of("level");
            let severity = match level.as_deref() {
                Some("error") => Severity::Critical,
                Some("warning") => Severity::High,
                _ => Severity::Info,
            };
            let (code, message) = (text("code"), text("message"));
            let mut finding = DojoFinding::new(format!("{code}: {message}"), severity);
            finding.tool_severity = level;
            finding.description = format!("Vulnerability ID: {code}\nDetails: {message}");
            finding.file_path = item.text_of("file");
            finding.line = item.int_of("line").and_then(|l| u32::try_from(l).ok());
            finding.vuln_id_from_tool = Some(code.clone());
            finding.references = code
                .starts_with("DL")
                .then(|| format!("https://github.com/hadolint/hadolint/wiki/{code}"));
            finding.set(dojo::STATIC_FINDING, true);
            finding.set(dojo::DYNAMIC_FINDING, false);
            let key = format!("{}-{}{code}{}", text("line"), text("column"), text("file"));
            match out.iter_mut().find(|(k, _)| *k == key) {
                Some(slot) => slot.1 = finding,
                None => out.push((key, finding)),
            }
        }
        Ok(dojo::finish(
            out.into_iter().map(|(_, f)| f).collect(),
            "hadolint",
            None,
        ))
    }
}
