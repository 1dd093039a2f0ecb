//! One module per top-level command, and the little they share.

pub mod attest;
pub mod check;
pub mod db;
pub mod image;
pub mod import;
pub mod key;
pub mod policy;
pub mod sbom;
pub mod scan;
pub mod serve;
pub mod token;
pub mod verify;

use std::path::{Path, PathBuf};

use anyhow::Context;
use gatehouse_model::{Finding, WaiverRules, Waivers};
use gatehouse_policy::check::waivers;

/// The waivers file (`explicit`, else `.gatehouse/waivers.yaml` when present), validated
/// against `rules`; no file means no waivers.
pub(crate) fn load_waivers(
    explicit: Option<&Path>,
    rules: &WaiverRules,
) -> anyhow::Result<Waivers> {
    let path = explicit
        .map(Path::to_path_buf)
        .or_else(|| Some(PathBuf::from(".gatehouse/waivers.yaml")).filter(|p| p.exists()));
    match path {
        Some(p) => {
            let bytes = std::fs::read(&p).with_context(|| format!("reading {}", p.display()))?;
            Ok(waivers::load(&p.display().to_string(), &bytes, rules)?)
        }
        None => Ok(Waivers::new(Vec::new())),
    }
}

/// Applies `waivers` to `findings` and warns about expired and unused waivers on stderr.
pub(crate) fn apply_waivers(waivers: &Waivers, findings: &mut [Finding], rules: &WaiverRules) {
    let report = waivers.apply(findings, rules.today);
    for i in report.expired() {
        if let Some(w) = waivers.get(i) {
            eprintln!(
                "warning: waiver for {} expired on {} and no longer applies",
                w.matcher.rule, w.expires
            );
        }
    }
    for i in report.unmatched() {
        if let Some(w) = waivers.get(i) {
            eprintln!(
                "warning: waiver for {} matched no finding; remove it",
                w.matcher.rule
            );
        }
    }
}
