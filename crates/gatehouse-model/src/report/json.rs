//! Gatehouse JSON: the stable machine-readable report, versioned by `schema_version`.
//!
//! ```json
//! {
//!   "schema_version": 1,
//!   "summary": { "critical": 0, "high": 1, "medium": 0, "low": 0, "info": 0, "suppressed": 0 },
//!   "findings": [ { "rule_id": "…", "severity": "high", "message": "…", "fingerprint": "…" } ]
//! }
//! ```
//!
//! `findings` holds [`Finding`]s as they serialize (snake_case keys, empty fields omitted), in
//! report order, each with its fingerprint filled in. `summary` counts unsuppressed findings per
//! severity and suppressed ones separately.
//!
//! Compatibility: within one `schema_version`, fields are only ever *added*; readers must ignore
//! fields they do not know. Removing or changing the meaning of a field bumps the version.

use serde::{Deserialize, Serialize};

use crate::Finding;
use crate::report::{Summary, sorted};

/// The current `schema_version`.
pub const SCHEMA_VERSION: u32 = 1;

/// The whole JSON document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JsonReport {
    /// [`SCHEMA_VERSION`] when written by this crate.
    pub schema_version: u32,
    pub summary: JsonSummary,
    pub findings: Vec<Finding>,
}

/// The `summary` object (see [`Summary`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct JsonSummary {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub info: usize,
    pub suppressed: usize,
}

impl JsonSummary {
    /// The counts of `findings` ([`Summary::of`]).
    pub fn of(findings: &[Finding]) -> Self {
        let summary = Summary::of(findings);
        JsonSummary {
            critical: summary.critical,
            high: summary.high,
            medium: summary.medium,
            low: summary.low,
            info: summary.info,
            suppressed: summary.suppressed,
        }
    }
}

/// A document that is not a gatehouse JSON report this version can read.
#[derive(Debug, thiserror::Error)]
pub enum JsonReportError {
    #[error("not a gatehouse JSON report: {0}")]
    Json(#[from] serde_json::Error),
    #[error(
        "gatehouse JSON report schema_version {0} is newer than this gatehouse understands \
         ({SCHEMA_VERSION}); upgrade gatehouse"
    )]
    UnsupportedVersion(u32),
}

impl JsonReport {
    /// The report for `findings`: sorted, fingerprints filled in, summary counted.
    pub fn new(findings: &[Finding]) -> Self {
        let summary = JsonSummary::of(findings);
        let findings = sorted(findings)
            .into_iter()
            .map(|finding| {
                let mut finding = finding.clone();
                finding.ensure_fingerprint();
                finding
            })
            .collect();
        Self {
            schema_version: SCHEMA_VERSION,
            summary,
            findings,
        }
    }

    /// Reads a report written by this or an earlier schema version.
    pub fn parse(text: &str) -> Result<Self, JsonReportError> {
        #[derive(Deserialize)]
        struct Version {
            schema_version: u32,
        }
        let Version { schema_version } = serde_json::from_str(text)?;
        if schema_version > SCHEMA_VERSION {
            return Err(JsonReportError::UnsupportedVersion(schema_version));
        }
        Ok(serde_json::from_str(text)?)
    }
}

/// The report as pretty-printed JSON with a trailing newline.
pub fn render(findings: &[Finding]) -> String {
    // Serializing findings cannot fail: string keys only, no non-finite floats in the model.
    let mut text = if findings.iter().all(|f| f.fingerprint.is_some()) {
        // Every fingerprint is already there: serialize the findings in place, without the
        // copy `JsonReport::new` makes (thousands of findings on a large plan).
        serde_json::to_string_pretty(&JsonReportRef {
            schema_version: SCHEMA_VERSION,
            summary: JsonSummary::of(findings),
            findings: sorted(findings),
        })
    } else {
        serde_json::to_string_pretty(&JsonReport::new(findings))
    }
    .unwrap_or_default();
    text.push('\n');
    text
}

/// [`JsonReport`] over borrowed findings (same serialization).
#[derive(Serialize)]
struct JsonReportRef<'a> {
    schema_version: u32,
    summary: JsonSummary,
    findings: Vec<&'a Finding>,
}
