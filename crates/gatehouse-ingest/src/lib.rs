//! Scanner-report parsers: pure functions from a report's bytes to [`Finding`]s, one module per
//! format, registered in one table keyed by DefectDojo's `scan_type` names ([`registry`]).
//!
//! Every parser follows DefectDojo's field semantics (title, severity normalization, file path,
//! line, CWE, vulnerability ids). DefectDojo fields that `Finding` has no slot for are kept in
//! [`Finding::properties`] under DefectDojo's own field names (see [`dojo`]).
//!
//! ```
//! let parser = gatehouse_ingest::parser_for("SARIF").unwrap();
//! let findings = parser.parse(br#"{"version":"2.1.0","runs":[]}"#).unwrap();
//! assert!(findings.is_empty());
//! ```

// Parsers read untrusted reports: a malformed file must become an `IngestError`, never a panic.
#![deny(clippy::unwrap_used)] // a missing value is an input error, not a bug
#![deny(clippy::expect_used)] // same: report it with a position instead
#![deny(clippy::panic)] // no input may abort the process (every parser is fuzzed)
#![deny(clippy::indexing_slicing)] // untrusted arrays may be shorter than expected

mod csv;
mod cvss;
pub mod dojo;
pub mod error;
mod json;
pub mod parsers;
pub mod registry;
mod xml;

pub use error::IngestError;
pub use gatehouse_model::Finding;
pub use registry::{Parser, parser_for, scan_types};
