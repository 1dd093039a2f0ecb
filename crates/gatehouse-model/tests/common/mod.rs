//! Helpers shared by the integration tests: the SARIF schema validator (and, later, the fixture
//! findings every writer renders).

#![allow(dead_code)]

use serde_json::Value;

/// The official SARIF 2.1.0 schema, vendored (see `tests/fixtures/README.md`).
const SARIF_SCHEMA: &str = include_str!("../fixtures/sarif-schema-2.1.0.json");

/// Every schema violation in `instance`, as `"<instance path>: <message>"`.
pub fn sarif_errors(instance: &Value) -> Vec<String> {
    let schema: Value = serde_json::from_str(SARIF_SCHEMA).expect("vendored schema is JSON");
    let validator = jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("vendored schema compiles");
    validator
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// Panics with every violation listed if `instance` is not valid SARIF 2.1.0.
pub fn assert_valid_sarif(instance: &Value) {
    let errors = sarif_errors(instance);
    assert!(
        errors.is_empty(),
        "not valid SARIF 2.1.0:\n  {}",
        errors.join("\n  ")
    );
}
