//! Fuzz target: every version scheme of `gatehouse_vuln::Scheme` must be a total order on two
//! or three newline-separated strings (properties in `gatehouse_fuzz::vuln::check_versions`).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gatehouse_fuzz::vuln::check_versions(data);
});
