//! Fuzz target: DSSE envelopes and in-toto statements (properties in
//! `gatehouse_fuzz::attest::check_dsse`).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gatehouse_fuzz::attest::check_dsse(data);
});
