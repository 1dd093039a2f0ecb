//! Gatehouse's shared vocabulary: findings, severities, locations, fingerprints, waivers,
//! owners, and the report writers every gate uses.
//!
//! No I/O, no async, no terminal: everything here is a pure function of its inputs (the date
//! "today" included, which callers pass in).
//!
//! | concept | module |
//! |---|---|
//! | [`Severity`] (info < low < medium < high < critical) and scanner words | [`severity`] |
//! | [`Location`]: file span, resource address, package, image | [`location`] |
//! | [`Finding`], the record everything produces | [`finding`] |
//! | [`Fingerprint`], stable identity across runs and line shifts | [`fingerprint`] |
//! | [`Suppression`] waivers and the [`Waivers`] set | [`suppression`] |
//! | [`CodeOwners`] | [`owners`] |
//! | path patterns and id globs | [`pattern`] |
//! | report writers: SARIF, JSON, JUnit, GitHub, table | [`report`] |

pub mod finding;
pub mod fingerprint;
pub mod location;
pub mod owners;
pub mod pattern;
pub mod report;
pub mod severity;
pub mod suppression;

pub use finding::{Finding, Suppressed, SuppressionSource, Tool};
pub use fingerprint::Fingerprint;
pub use location::Location;
pub use owners::{CodeOwners, CodeOwnersError};
pub use severity::{ParseSeverityError, Severity};
pub use suppression::{
    Matcher, Suppression, SuppressionError, WaiverReport, WaiverRules, WaiverStatus, Waivers,
};
