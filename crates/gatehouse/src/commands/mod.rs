//! One module per top-level command.

pub mod check;
pub mod policy;
pub mod sbom;
