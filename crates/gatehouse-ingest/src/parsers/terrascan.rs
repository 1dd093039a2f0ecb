//! `Terrascan Scan`: Terrascan's JSON report (`terrascan scan -o json`).
//!
//! As in DefectDojo: one finding per violation, titled `<category>: <rule name>`; HIGH/MEDIUM/LOW
//! map 1:1 (else Info); `<resource type>/<resource name>` is the component; repeats raise
//! `nb_occurences`.

use gatehouse_model::{Finding, Severity};

use crate::dojo::{self, DojoFinding, Dupes};
use crate::json::{self, ValueExt};
use crate::{IngestError, Parser};

/// The `Terrascan Scan` scan type.
#[derive(Debug, Clone, Copy, Default)]
pub struct Terrascan;

const HINT: &str = "is this the output of `terrascan scan -o json`?";

impl Parser for Terrascan {
    fn parse(&self, bytes: &[u8]) -> Result<Vec<Finding>, IngestError> {
        let report = json::parse(bytes, HINT)?;
        let Some(results) = report.get("results").filter(|r| r.is_object()) else {
            return Err(IngestError::shape(
                "$.results",
                format!("missing mandatory attribute `results`; {HINT}"),
            ));
        };
        let mut dupes = Dupes::default();
        for item in results.arr("violations") {
            let text = |key: &str| item.text_of(key).unwrap_or_default();
            let word = text("severity");
            let severity = match word.as_str() {
                "HIGH" => Severity::High,
                "MEDIUM" => Severity::Medium,
                "LOW" => Severity::Low,
                _ => Severity::Info,
            };
            let (rule_id, rule_name) = (text("rule_id"), text("rule_name"));
            let (resource_name, resource_type) = (text("resource_name"), text("resource_type"));
            let (file, line) = (text("file"), item.int_of("line"));
            let mut finding =
                DojoFinding::new(format!("{}: {rule_name}", text("category")), severity);
            finding.tool_severity = Some(word);
            finding.description = text("description");
            finding.file_path = Some(file.clone());
            finding.line = line.and_then(|l| u32::try_from(l).ok());
            finding.component_name = Some(format!("{resource_type}/{resource_name}"));
            finding.vuln_id_from_tool = Some(rule_id.clone());
            finding.set(dojo::STATIC_FINDING, true);
            finding.set(dojo::DYNAMIC_FINDING, false);
            let key = format!(
                "{rule_id}\u{0}{rule_name}\u{0}{resource_name}\u{0}{resource_type}\u{0}{file}\u{0}{line:?}"
            );
            dupes.add(key, finding);
        }
        Ok(dojo::finish(dupes.into_vec(), "Terrascan", None))
    }
}
