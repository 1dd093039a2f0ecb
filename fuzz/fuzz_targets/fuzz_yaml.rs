//! Fuzz target: the YAML loader (multi-document, anchors, YAML 1.1 scalars) (properties in
//! `gatehouse_fuzz::check`).

#![no_main]

use gatehouse_policy::parser::Parser;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gatehouse_fuzz::check(Parser::Yaml, data);
});
