//! Conftest's output formats: every format renders the same fixture results into a snapshot
//! (`output_snapshots`), and Conftest's own outputter test cases pass byte for byte
//! (`conftest_output_cases`). Test paths all contain `output`, so
//! `cargo test -p gatehouse-policy output` runs them.

mod conftest_output_cases;
mod fixture;
mod output_snapshots;
// Validates `sarif` output against the official schema; needs `jsonschema` in this crate's
// dev-dependencies, then uncomment.
mod sarif_output_schema;
