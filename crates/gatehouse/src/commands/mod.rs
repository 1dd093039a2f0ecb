//! One module per top-level command.

pub mod check;
pub mod db;
pub mod policy;
pub mod sbom;
