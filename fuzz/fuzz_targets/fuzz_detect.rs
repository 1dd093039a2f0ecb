//! Fuzz target: `Parser::detect` on arbitrary path bytes, as Conftest config and input paths
//! arrive (properties in `gatehouse_fuzz::check_detect`).

#![no_main]

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Raw bytes (non-UTF-8 included, as a Unix path may be) and their lossy UTF-8 reading.
    gatehouse_fuzz::check_detect(Path::new(OsStr::from_bytes(data)));
    gatehouse_fuzz::check_detect(Path::new(&*String::from_utf8_lossy(data)));
});
