//! The one table of parsers, keyed by DefectDojo's exact `scan_type` strings.
//!
//! Adding a format: one module under `parsers/`, one line in [`REGISTRY`], one fixture folder.

use gatehouse_model::Finding;

use crate::IngestError;
use crate::parsers;

/// A scanner-format parser: a pure function from a report's bytes to findings.
///
/// Implementations never panic and never do I/O; a report they cannot read is an
/// [`IngestError`] naming the position. Ready to be driven by a fuzz target:
/// `parser_for(scan_type)?.parse(data)`.
pub trait Parser: Sync {
    /// Parses one report.
    fn parse(&self, bytes: &[u8]) -> Result<Vec<Finding>, IngestError>;
}

/// `(DefectDojo scan_type, parser)`, one line per format. The place in this table is the scan
/// type's Test_Type id in the hub's API (`found_by`, `test_type`), which clients keep: new
/// formats go last (the test `test_type_ids_never_move` holds the order).
static REGISTRY: &[(&str, &dyn Parser)] = &[
    ("SARIF", &parsers::sarif::Sarif),
    ("Trivy Scan", &parsers::trivy::Trivy),
    ("Anchore Grype", &parsers::anchore_grype::AnchoreGrype),
    ("Checkov Scan", &parsers::checkov::Checkov),
    ("Semgrep JSON Report", &parsers::semgrep::Semgrep),
    ("Gitleaks Scan", &parsers::gitleaks::Gitleaks),
    ("Bandit Scan", &parsers::bandit::Bandit),
    ("OSV Scan", &parsers::osv_scanner::OsvScanner),
    ("Snyk Scan", &parsers::snyk::Snyk),
    ("Generic Findings Import", &parsers::generic::Generic),
    ("NPM Audit Scan", &parsers::npm_audit::NpmAudit),
    ("NPM Audit v7+ Scan", &parsers::npm_audit::NpmAudit7Plus),
    ("Gosec Scanner", &parsers::gosec::Gosec),
    ("KICS Scan", &parsers::kics::Kics),
    ("TFSec Scan", &parsers::tfsec::TfSec),
    ("Terrascan Scan", &parsers::terrascan::Terrascan),
    ("Nuclei Scan", &parsers::nuclei::Nuclei),
    ("Hadolint Dockerfile check", &parsers::hadolint::Hadolint),
    ("Trufflehog Scan", &parsers::trufflehog::Trufflehog),
    ("Trufflehog3 Scan", &parsers::trufflehog::Trufflehog3),
    (
        "Dependency Check Scan",
        &parsers::dependency_check::DependencyCheck,
    ),
    ("ZAP Scan", &parsers::zap::Zap),
    ("CycloneDX Scan", &parsers::cyclonedx::CycloneDx),
    // Gatehouse's own report; not a DefectDojo scan type.
    ("Gatehouse JSON", &parsers::gatehouse::GatehouseJson),
];

/// The parser for a DefectDojo `scan_type` (exact, case-sensitive, as DefectDojo matches it).
pub fn parser_for(scan_type: &str) -> Option<&'static dyn Parser> {
    REGISTRY
        .iter()
        .find(|(name, _)| *name == scan_type)
        .map(|(_, parser)| *parser)
}

/// Every supported `scan_type`, in registration order.
pub fn scan_types() -> impl Iterator<Item = &'static str> {
    REGISTRY.iter().map(|(name, _)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hub serves each scan type's place here as its Test_Type id, and clients store those
    /// ids: a format may be added at the end, never inserted, moved or removed.
    #[test]
    fn test_type_ids_never_move() {
        let shipped = [
            "SARIF",
            "Trivy Scan",
            "Anchore Grype",
            "Checkov Scan",
            "Semgrep JSON Report",
            "Gitleaks Scan",
            "Bandit Scan",
            "OSV Scan",
            "Snyk Scan",
            "Generic Findings Import",
            "NPM Audit Scan",
            "NPM Audit v7+ Scan",
            "Gosec Scanner",
            "KICS Scan",
            "TFSec Scan",
            "Terrascan Scan",
            "Nuclei Scan",
            "Hadolint Dockerfile check",
            "Trufflehog Scan",
            "Trufflehog3 Scan",
            "Dependency Check Scan",
            "ZAP Scan",
            "CycloneDX Scan",
            "Gatehouse JSON",
        ];
        let now: Vec<&str> = scan_types().take(shipped.len()).collect();
        assert_eq!(
            now, shipped,
            "a shipped scan type moved: append new formats at the end"
        );
    }
}
