//! Tests of the input loaders (`gatehouse_policy::parser`): fixture in, snapshot out; errors
//! naming file:line:col; source maps; no panics on truncated or hostile input.

mod parser_detect;
mod parser_errors;
mod parser_robustness;
mod parser_snapshots;
mod parser_source_map;

use std::path::{Path, PathBuf};

/// The fixture folder.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/parser")
}

/// Bytes of one fixture.
pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixtures().join(name)).unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}
