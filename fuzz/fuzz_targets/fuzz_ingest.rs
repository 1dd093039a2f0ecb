//! Fuzz target: every scanner-report parser of `gatehouse_ingest` (the first byte picks a
//! `scan_type`, the rest is the report) (properties in `gatehouse_fuzz::ingest::check_report`).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, report)) = data.split_first() else {
        return;
    };
    gatehouse_fuzz::ingest::check_report(gatehouse_fuzz::ingest::scan_type(selector), report);
});
