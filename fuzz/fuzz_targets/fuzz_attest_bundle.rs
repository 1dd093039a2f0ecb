//! Fuzz target: Sigstore bundles through the offline verifier, by key and by identity
//! (properties in `gatehouse_fuzz::attest::check_bundle`).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gatehouse_fuzz::attest::check_bundle(data);
});
