//! Gatehouse's SBOM generator: catalogers for lockfiles and OS package databases, sources
//! (directory trees, `docker save` tarballs, OCI image layouts), and CycloneDX 1.6 / SPDX 2.3
//! JSON writers and readers.
//!
//! | concept | module |
//! |---|---|
//! | [`Component`], [`Sbom`], scopes, hashes | [`model`] |
//! | package URLs | [`purl`] |
//! | one cataloger per lockfile / package DB, registered in one table | [`catalog`] |
//! | directory trees and container images | [`source`] |
//! | CycloneDX 1.6 and SPDX 2.3 JSON, the terminal table | [`format`] |
//!
//! Parsing code handles untrusted input: no unwrap, expect, panic or slice indexing.
#![deny(clippy::unwrap_used)] // untrusted input: every failure is a typed error
#![deny(clippy::expect_used)] // same
#![deny(clippy::panic)] // a malformed lockfile must never abort the scan
#![deny(clippy::indexing_slicing)] // truncated input must not index out of bounds

pub mod catalog;
pub mod error;
pub mod format;
pub mod model;
pub mod purl;
pub mod source;

pub use error::{CatalogError, SbomError};
pub use model::{Component, Ecosystem, Hash, HashAlg, Sbom, Scope, Subject};
pub use source::{ScanOptions, scan_path};
