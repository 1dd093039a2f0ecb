//! Fuzz target: the JSON loaders, plain JSON and JSON with comments (properties in
//! `gatehouse_fuzz::check`).

#![no_main]

use gatehouse_policy::parser::Parser;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gatehouse_fuzz::check(Parser::Json, data);
    gatehouse_fuzz::check(Parser::Jsonc, data);
});
