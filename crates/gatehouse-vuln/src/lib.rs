//! Gatehouse vulnerability matching: OSV advisories in, findings out, offline.
//!
//! | concept | module |
//! |---|---|
//! | ecosystems and the version scheme each uses | [`ecosystem`] |
//! | version orderings, one module per ecosystem | [`version`] |
//! | the OSV record model (serde) and its validation | [`osv`] |
//! | OSV range evaluation (`introduced`/`fixed`/`last_affected`/`limit`, `versions`) | [`range`] |
//! | CVSS v3.x base scores → severity | [`cvss`] |
//! | the local advisory store: import (dir/zip), index, status | [`store`] |
//! | matching a package to advisories → findings | [`matcher`] |
//! | scanning an inventory, the unknown-severity policy, re-scan differences | [`scan`] |
//! | CycloneDX 1.6 VEX output | [`vex`] |
//! | the terminal table of a scan and of a re-scan | [`table`] |
//!
//! Libraries never print, exit or read environment variables: callers pass the store location.

// This crate parses untrusted input (OSV records, zips, version strings); no panicking shortcuts.
// Reason for each: a malformed record must become an error or a skipped record, never a crash.
#![deny(clippy::unwrap_used)] // every Option/Result is handled
#![deny(clippy::expect_used)] // ditto
#![deny(clippy::panic)] // parsers return errors
#![deny(clippy::indexing_slicing)] // use get() on untrusted lengths
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod cvss;
pub mod ecosystem;
pub mod matcher;
pub mod osv;
pub mod range;
pub mod scan;
pub mod store;
pub mod table;
pub mod version;
pub mod vex;

pub use ecosystem::{Ecosystem, Scheme};
pub use matcher::{Advisories, Match, match_package, parse_purl};
pub use store::{ImportReport, Manifest, Store, StoreError};
