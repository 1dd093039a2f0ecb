//! Properties of `gatehouse-ingest`'s scanner-report parsers (`registry::parser_for`).

use gatehouse_ingest::{IngestError, parser_for, scan_types};

/// The `scan_type` the first input byte selects (modulo the number of registered parsers).
pub fn scan_type(selector: u8) -> &'static str {
    let types: Vec<&'static str> = scan_types().collect();
    types[usize::from(selector) % types.len()]
}

/// Runs the parser of `scan_type` on `bytes` and checks:
/// - no panic (errors are values), and the same result twice (parsers are pure functions);
/// - a syntax error's line and column are 1-based, and every error has a message;
/// - every finding serializes to JSON and has a fingerprint.
pub fn check_report(scan_type: &str, bytes: &[u8]) {
    let parser =
        parser_for(scan_type).unwrap_or_else(|| panic!("scan_types() lists {scan_type:?}"));
    let first = parser.parse(bytes);
    let again = parser.parse(bytes);
    assert!(
        first == again,
        "{scan_type}: two runs on the same input differ"
    );
    match first {
        Ok(findings) => {
            for f in &findings {
                if let Err(e) = serde_json::to_string(f) {
                    panic!("{scan_type}: a finding does not serialize: {e}: {f:?}");
                }
                let _ = f.fingerprint_or_compute();
            }
        }
        Err(e) => {
            let shown = e.to_string();
            assert!(!shown.trim().is_empty(), "{scan_type}: empty error message");
            if let IngestError::Syntax { line, column, .. } = &e {
                assert!(
                    *line >= 1 && *column >= 1,
                    "{scan_type}: syntax error at line {line}, column {column} (1-based): {shown}"
                );
            }
        }
    }
}
