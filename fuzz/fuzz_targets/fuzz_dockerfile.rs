//! Fuzz target: the Dockerfile loader (instructions, heredocs, ARG/ENV expansion) (properties in
//! `gatehouse_fuzz::check`).

#![no_main]

use gatehouse_policy::parser::Parser;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gatehouse_fuzz::check(Parser::Dockerfile, data);
});
