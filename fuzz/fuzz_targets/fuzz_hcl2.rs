//! Fuzz target: the HCL2 loader (Terraform `.tf`, `.tfvars`, `.hcl`) (properties in
//! `gatehouse_fuzz::check`).

#![no_main]

use gatehouse_policy::parser::Parser;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gatehouse_fuzz::check(Parser::Hcl2, data);
});
