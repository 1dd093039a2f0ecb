//! Gatehouse's shared vocabulary: findings, severities, locations, fingerprints, waivers,
//! owners, and the report writers every gate uses.
//!
//! No I/O, no async, no terminal: everything here is a pure function of its inputs.

pub mod report;
