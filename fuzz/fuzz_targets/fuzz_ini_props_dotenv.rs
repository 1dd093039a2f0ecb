//! Fuzz target: the key/value loaders: INI, Java properties and dotenv (properties in
//! `gatehouse_fuzz::check`).

#![no_main]

use gatehouse_policy::parser::Parser;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gatehouse_fuzz::check(Parser::Ini, data);
    gatehouse_fuzz::check(Parser::Properties, data);
    gatehouse_fuzz::check(Parser::Dotenv, data);
});
