//! Every line of `fixtures/expectations.jsonl` whose fixture is present under `fixtures/` is
//! checked here (count and fields), so a fixture dropped in with its expectation line is covered
//! without adding a test by hand. The per-fixture tests in `fixtures.rs` add snapshots.

mod common;

use std::path::Path;

#[test]
fn every_expectation_with_a_fixture_holds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut checked = 0;
    for expected in common::expectations() {
        let fixture = expected["fixture"].as_str().expect("fixture");
        let relative = fixture.strip_prefix("scans/").unwrap_or(fixture);
        let Ok(bytes) = std::fs::read(root.join(relative)) else {
            continue;
        };
        let scan_type = expected["scan_type"].as_str().expect("scan_type");
        let parser = gatehouse_ingest::parser_for(scan_type)
            .unwrap_or_else(|| panic!("no parser registered for {scan_type:?}"));
        let result = parser.parse(&bytes);
        if expected.get("expect_error").is_some_and(|e| !e.is_null()) {
            assert!(
                result.is_err(),
                "{relative}: DefectDojo rejects this file; so must we"
            );
        } else {
            let findings = result.unwrap_or_else(|error| panic!("{relative}: {error}"));
            common::assert_expected(relative, &expected, &findings);
        }
        checked += 1;
    }
    assert!(checked > 0, "no fixture found next to expectations.jsonl");
}
