//! Fuzz target: every lockfile and package-database cataloger of `gatehouse_sbom::catalog`
//! (the first byte picks one from `CATALOGERS`, the rest is the file) (properties in
//! `gatehouse_fuzz::sbom::check_lockfile`).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    gatehouse_fuzz::sbom::check_lockfile(gatehouse_fuzz::sbom::cataloger(selector), bytes);
});
