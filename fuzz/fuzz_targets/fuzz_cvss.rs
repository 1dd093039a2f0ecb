//! Fuzz target: `gatehouse_vuln::cvss::base_score` on arbitrary text (properties in
//! `gatehouse_fuzz::vuln::check_cvss`).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gatehouse_fuzz::vuln::check_cvss(data);
});
