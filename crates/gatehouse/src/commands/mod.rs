//! One module per top-level command.

pub mod check;
pub mod db;
pub mod import;
pub mod key;
pub mod policy;
pub mod sbom;
pub mod serve;
pub mod token;
