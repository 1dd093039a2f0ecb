//! The registry: every scan type the findings hub must accept, exactly DefectDojo's names.

use std::collections::HashSet;

/// DefectDojo `scan_type` strings the hub must accept (issue #4), plus gatehouse's own.
const REQUIRED: &[&str] = &[
    "SARIF",
    "Checkov Scan",
    "Trivy Scan",
    "Semgrep JSON Report",
    "Bandit Scan",
    "ZAP Scan",
    "Gitleaks Scan",
    "Trufflehog Scan",
    "Trufflehog3 Scan",
    "Anchore Grype",
    "NPM Audit Scan",
    "NPM Audit v7+ Scan",
    "Dependency Check Scan",
    "Snyk Scan",
    "Gosec Scanner",
    "KICS Scan",
    "TFSec Scan",
    "Terrascan Scan",
    "Nuclei Scan",
    "Hadolint Dockerfile check",
    "OSV Scan",
    "CycloneDX Scan",
    "Generic Findings Import",
    "Gatehouse JSON",
];

#[test]
fn every_required_scan_type_has_a_parser() {
    for scan_type in REQUIRED {
        assert!(
            gatehouse_ingest::parser_for(scan_type).is_some(),
            "{scan_type}"
        );
    }
}

#[test]
fn scan_types_are_unique() {
    let mut seen = HashSet::new();
    for scan_type in gatehouse_ingest::scan_types() {
        assert!(seen.insert(scan_type), "{scan_type} registered twice");
    }
}

#[test]
fn lookup_is_exact() {
    assert!(gatehouse_ingest::parser_for("sarif").is_none());
    assert!(gatehouse_ingest::parser_for("Trivy Scan ").is_none());
}

#[test]
fn garbage_is_an_error_with_a_position_for_every_parser() {
    for scan_type in gatehouse_ingest::scan_types() {
        let parser = gatehouse_ingest::parser_for(scan_type).expect("registered");
        let error = parser.parse(b"{\n  \"a\": tru").expect_err(scan_type);
        let message = error.to_string();
        assert!(message.contains("line 2"), "{scan_type}: {message}");
    }
}
