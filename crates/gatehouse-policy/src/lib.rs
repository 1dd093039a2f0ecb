//! Policy-as-Code for gatehouse: input loaders, the Rego engine over `regorus`, Conftest's
//! conventions (`deny`/`violation`/`warn`, exceptions, namespaces, `--combine`) and Rego unit tests.

pub mod annotations;
mod builtins;
pub mod check;
pub mod conftest;
pub mod engine;
pub mod error;
pub mod modules;
pub mod parser;
pub mod trace;

pub use engine::{EngineOptions, Evaluator, Policies, RegoVersion};
pub use error::PolicyError;
