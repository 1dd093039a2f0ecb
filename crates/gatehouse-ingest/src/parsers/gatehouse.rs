//! `Gatehouse JSON`: gatehouse's own JSON report (`--format json`), read back losslessly.

use gatehouse_model::Finding;
use gatehouse_model::report::json::{JsonReport, JsonReportError};

use crate::json;
use crate::{IngestError, Parser};

/// The `Gatehouse JSON` scan type.
#[derive(Debug, Clone, Copy, Default)]
pub struct GatehouseJson;

const HINT: &str = "is this the output of `gatehouse … --format json`?";

impl Parser for GatehouseJson {
    fn parse(&self, bytes: &[u8]) -> Result<Vec<Finding>, IngestError> {
        // Syntax errors with their position first; then the report's own shape checks.
        json::parse(bytes, HINT)?;
        let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
            .map_err(|e| {
                IngestError::shape("$", format!("invalid UTF-8 at byte {}", e.valid_up_to()))
            })?;
        match JsonReport::parse(text) {
            Ok(report) => Ok(report.findings),
            Err(JsonReportError::Json(error)) => Err(json::syntax(&error, HINT)),
            Err(other) => Err(IngestError::shape("$.schema_version", other.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use gatehouse_model::{Location, Severity};

    use super::*;

    #[test]
    fn round_trips_the_json_report() {
        let finding = Finding::new("GH-TF-S3-001", Severity::High, "bucket `logs` is public")
            .with_title("S3 bucket allows public read")
            .with_location(Location::file("infra/main.tf").with_line(12))
            .with_cwe(732)
            .with_tool("gatehouse", Some("0.1.0"));
        let text = gatehouse_model::report::json::render(std::slice::from_ref(&finding));
        let parsed = GatehouseJson.parse(text.as_bytes()).unwrap_or_default();
        assert_eq!(parsed.len(), 1);
        assert_eq!(
            parsed.first().map(|f| f.rule_id.as_str()),
            Some("GH-TF-S3-001")
        );
        assert_eq!(parsed.first().map(|f| f.severity), Some(Severity::High));
        assert!(parsed.first().is_some_and(|f| f.fingerprint.is_some()));
    }

    #[test]
    fn rejects_newer_schema_versions() {
        let error = GatehouseJson
            .parse(br#"{"schema_version": 99, "summary": {"critical":0,"high":0,"medium":0,"low":0,"info":0,"suppressed":0}, "findings": []}"#)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("schema_version"), "{error}");
    }
}
