//! Fuzz target: one OSV record (JSON) through validation, rating, range evaluation and
//! `Advisories` matching (properties in `gatehouse_fuzz::vuln::check_osv`).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gatehouse_fuzz::vuln::check_osv(data);
});
