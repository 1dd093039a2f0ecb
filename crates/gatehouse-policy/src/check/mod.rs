//! `gatehouse check`: the built-in misconfiguration library (Rego, on the same engine as custom
//! policies) over Terraform plans, `.tf` files, Kubernetes manifests and Dockerfiles, producing
//! model `Finding`s.

pub mod library;
pub mod metadata;
mod run;
pub mod target;
pub mod terraform;
pub mod waivers;

pub use metadata::{InputKind, RuleMeta};
pub use run::Library;
