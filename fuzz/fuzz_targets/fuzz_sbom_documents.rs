//! Fuzz target: the CycloneDX and SPDX JSON readers (`gatehouse_sbom::format::read`), with a
//! write + read round trip of every document that reads (properties in
//! `gatehouse_fuzz::sbom::check_document`).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gatehouse_fuzz::sbom::check_document(data);
});
