//! The findings hub: a DefectDojo-compatible system of record for scanner results.
//!
//! * [`store`]: SQLite (default) or PostgreSQL through one [`Store`]; migrations embedded;
//!   every import is one transaction with bulk inserts.
//! * [`dedupe`]: DefectDojo's `hash_code` per scanner, `unique_id_from_tool`, and cross-scanner
//!   keys; on by default.
//! * [`api`]: `POST /api/v2/import-scan/`, `/api/v2/reimport-scan/` and the list endpoints,
//!   with DefectDojo's fields, status codes and bodies.
//! * [`triage`]: risk acceptance and false positives with justification and expiry, and the
//!   sweep that reactivates findings whose decision ran out.
//! * [`client`]: a minimal HTTP client for importing into a running hub.
//!
//! Libraries never read the environment: callers pass the database URL and listen address.

pub mod api;
pub mod client;
pub mod dedupe;
pub mod error;
pub mod prepare;
pub mod stats;
pub mod store;
pub mod triage;

pub use error::HubError;
pub use store::{ImportOutcome, ImportRequest, Mode, Store};
