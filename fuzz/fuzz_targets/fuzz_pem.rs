//! Fuzz target: PEM key files, cosign's encrypted private keys included (properties in
//! `gatehouse_fuzz::attest::check_pem`).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gatehouse_fuzz::attest::check_pem(data);
});
