//! The `sarif` output validates against the official SARIF 2.1.0 schema (vendored by
//! gatehouse-model, see `crates/gatehouse-model/tests/fixtures/README.md`).

use gatehouse_policy::conftest::output::{OutputFormat, RenderOptions, render};
use serde_json::Value;

use crate::fixture;

const SARIF_SCHEMA: &str =
    include_str!("../../../gatehouse-model/tests/fixtures/sarif-schema-2.1.0.json");

fn assert_valid_sarif(output: &str) {
    let instance: Value = serde_json::from_str(output).expect("SARIF output is JSON");
    let schema: Value = serde_json::from_str(SARIF_SCHEMA).expect("vendored schema is JSON");
    let validator = jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("vendored schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "not valid SARIF 2.1.0:\n  {}",
        errors.join("\n  ")
    );
}

#[test]
fn test_results_are_valid_sarif() {
    assert_valid_sarif(&render(
        OutputFormat::Sarif,
        &fixture::test_results(),
        &fixture::options(),
    ));
}

#[test]
fn verify_results_are_valid_sarif() {
    let options = RenderOptions {
        verify: true,
        ..fixture::options()
    };
    assert_valid_sarif(&render(
        OutputFormat::Sarif,
        &fixture::verify_results(),
        &options,
    ));
}

#[test]
fn no_results_are_valid_sarif() {
    assert_valid_sarif(&render(OutputFormat::Sarif, &[], &RenderOptions::default()));
}
