//! Fuzz target: the SBOM loaders: CycloneDX (JSON and XML) and SPDX (tag-value and JSON)
//! (properties in `gatehouse_fuzz::check`).

#![no_main]

use gatehouse_policy::parser::Parser;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gatehouse_fuzz::check(Parser::CycloneDx, data);
    gatehouse_fuzz::check(Parser::Spdx, data);
});
