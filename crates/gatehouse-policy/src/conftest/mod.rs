//! Conftest compatibility: the result model, the `test` and `verify` runners, input selection and
//! the output formats.

pub mod inputs;
pub mod output;
pub mod result;
pub mod rules;
pub mod test;
pub mod verify;
