//! One module per scanner format; each exposes a unit struct implementing [`crate::Parser`].

pub mod sarif;
pub mod trivy;
