//! Scanning an inventory: packages (purls, with where they were found) against the advisories
//! of the ecosystems they belong to → [`Finding`]s; the gate's view of unknown severities; and
//! the difference between two scans (what a new advisory import changed).
//!
//! Packages whose purl type OSV does not cover (`pkg:generic/…`, RPM distros without OSV data)
//! are counted as *not matchable* and listed, never matched by bare name.

use std::collections::{BTreeMap, BTreeSet};

use gatehouse_model::{Finding, Severity};
use serde::Serialize;
use serde_json::json;

use crate::matcher::{Advisories, normalize_name, parse_purl};

/// One package of the inventory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Package {
    /// The package URL, with version (`pkg:npm/lodash@4.17.20`).
    pub purl: String,
    /// Files that list it (lockfiles, package databases), relative to the scanned root.
    pub locations: Vec<String>,
    /// Image layers (diff_ids) that introduced it.
    pub layers: Vec<String>,
    /// The image digest, for packages found in a container image.
    pub image_digest: Option<String>,
}

/// An advisory that names the package but whose ranges could not be evaluated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnresolvedMatch {
    pub purl: String,
    pub advisory_id: String,
    pub reason: String,
}

/// The result of scanning an inventory.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// One finding per (package, advisory), sorted by severity (worst first), then purl, id.
    pub findings: Vec<Finding>,
    pub unresolved: Vec<UnresolvedMatch>,
    /// Packages OSV has no ecosystem for (or without a version), by purl.
    pub not_matchable: Vec<String>,
    /// Packages looked up.
    pub scanned: usize,
}

/// What to load from the store: OSV ecosystem base names (`PyPI`, `Debian`) → the packages'
/// normalized names.
pub fn wanted(packages: &[Package]) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in packages.iter().filter_map(|p| parse_purl(&p.purl)) {
        let name = normalize_name(&r.ecosystem.base, &r.name);
        out.entry(r.ecosystem.base).or_default().insert(name);
    }
    out
}

/// Matches every package against `advisories`.
pub fn scan(advisories: &Advisories, packages: &[Package]) -> Outcome {
    let mut out = Outcome::default();
    for package in packages {
        let Some(r) = parse_purl(&package.purl) else {
            out.not_matchable.push(package.purl.clone());
            continue;
        };
        let Some(version) = r.version.as_deref().filter(|v| !v.is_empty()) else {
            out.not_matchable.push(package.purl.clone());
            continue;
        };
        out.scanned += 1;
        let (matches, unresolved) =
            advisories.match_package(&r.ecosystem.to_string(), &r.name, version);
        for m in matches {
            let mut finding = m.to_finding(Some(&package.purl));
            if let Some(first) = package.locations.first() {
                finding.location = finding.location.with_path(first);
            }
            finding.location.image_digest = package.image_digest.clone();
            if package.locations.len() > 1 {
                finding
                    .properties
                    .insert("locations".into(), json!(package.locations));
            }
            if !package.layers.is_empty() {
                finding
                    .properties
                    .insert("layers".into(), json!(package.layers));
            }
            out.findings.push(finding);
        }
        out.unresolved
            .extend(unresolved.into_iter().map(|u| UnresolvedMatch {
                purl: package.purl.clone(),
                advisory_id: u.advisory_id,
                reason: u.reason,
            }));
    }
    out.findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.location.purl.cmp(&b.location.purl))
            .then_with(|| a.rule_id.cmp(&b.rule_id))
    });
    out.not_matchable.sort();
    out.not_matchable.dedup();
    out
}

/// Whether a finding's severity was unknown (no CVSS vector, no database severity).
pub fn is_unknown_severity(finding: &Finding) -> bool {
    finding
        .properties
        .get("severity_unknown")
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false)
}

/// How the gate treats advisories without any severity data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UnknownSeverity {
    /// Count them as high (the default: an unrated advisory is not a safe one).
    #[default]
    AsHigh,
    /// Never fail the gate on them (they are still reported).
    Ignore,
}

impl UnknownSeverity {
    /// The severity the gate compares with its threshold; `None` = never fails the gate.
    pub fn gate_severity(self, finding: &Finding) -> Option<Severity> {
        if !is_unknown_severity(finding) {
            return Some(finding.severity);
        }
        match self {
            UnknownSeverity::AsHigh => Some(Severity::High),
            UnknownSeverity::Ignore => None,
        }
    }
}

/// What changed between two scans of the same inventories.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Changes {
    /// Matches that did not exist before.
    pub new: Vec<Finding>,
    /// Matches that no longer exist (advisory withdrawn, range corrected, package updated).
    pub fixed: Vec<Finding>,
    /// Matches whose severity changed: (before, after).
    pub severity_changed: Vec<SeverityChange>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SeverityChange {
    pub before: Severity,
    pub before_unknown: bool,
    pub finding: Finding,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.new.is_empty() && self.fixed.is_empty() && self.severity_changed.is_empty()
    }
}

/// Key of one match: the advisory and the package (purl), and where the package was found.
fn key(f: &Finding) -> (String, String, String) {
    (
        f.rule_id.clone(),
        f.location.purl.clone().unwrap_or_default(),
        f.location.path.clone().unwrap_or_default(),
    )
}

/// The difference from `before` to `after` (each a list of findings of one scan).
pub fn diff(before: &[Finding], after: &[Finding]) -> Changes {
    let old: BTreeMap<_, &Finding> = before.iter().map(|f| (key(f), f)).collect();
    let new: BTreeMap<_, &Finding> = after.iter().map(|f| (key(f), f)).collect();
    let mut changes = Changes::default();
    for (k, f) in &new {
        match old.get(k) {
            None => changes.new.push((*f).clone()),
            Some(o)
                if o.severity != f.severity || is_unknown_severity(o) != is_unknown_severity(f) =>
            {
                changes.severity_changed.push(SeverityChange {
                    before: o.severity,
                    before_unknown: is_unknown_severity(o),
                    finding: (*f).clone(),
                })
            }
            Some(_) => {}
        }
    }
    for (k, f) in &old {
        if !new.contains_key(k) {
            changes.fixed.push((*f).clone());
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::osv::Vulnerability;

    fn advisory(json: serde_json::Value) -> Vulnerability {
        serde_json::from_value(json).unwrap()
    }

    fn lodash(fixed: &str, severity: Option<&str>) -> Vulnerability {
        let mut v = json!({
            "id": "GHSA-test-lodash",
            "modified": "2024-01-01T00:00:00Z",
            "aliases": ["CVE-2020-0001"],
            "affected": [{
                "package": {"ecosystem": "npm", "name": "lodash"},
                "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": fixed}]}]
            }]
        });
        if let Some(s) = severity {
            v["database_specific"] = json!({"severity": s});
        }
        advisory(v)
    }

    fn package(purl: &str) -> Package {
        Package {
            purl: purl.into(),
            locations: vec!["app/package-lock.json".into()],
            ..Package::default()
        }
    }

    #[test]
    fn findings_carry_purl_path_and_explanation() {
        let adv = Advisories::new(vec![lodash("4.17.21", Some("HIGH"))]);
        let out = scan(
            &adv,
            &[
                package("pkg:npm/lodash@4.17.20"),
                package("pkg:npm/lodash@4.17.21"),
                package("pkg:generic/lodash@1.0"),
            ],
        );
        assert_eq!(out.scanned, 2);
        assert_eq!(out.not_matchable, vec!["pkg:generic/lodash@1.0"]);
        assert_eq!(out.findings.len(), 1);
        let f = &out.findings[0];
        assert_eq!(f.rule_id, "GHSA-test-lodash");
        assert_eq!(f.severity, Severity::High);
        assert_eq!(f.location.purl.as_deref(), Some("pkg:npm/lodash@4.17.20"));
        assert_eq!(f.location.path.as_deref(), Some("app/package-lock.json"));
        assert_eq!(f.properties["fixed_version"], "4.17.21");
    }

    #[test]
    fn unknown_severity_is_gated_explicitly() {
        let adv = Advisories::new(vec![lodash("4.17.21", None)]);
        let out = scan(&adv, &[package("pkg:npm/lodash@4.0.0")]);
        let f = &out.findings[0];
        assert!(is_unknown_severity(f));
        assert_eq!(
            UnknownSeverity::AsHigh.gate_severity(f),
            Some(Severity::High)
        );
        assert_eq!(UnknownSeverity::Ignore.gate_severity(f), None);
    }

    #[test]
    fn diff_reports_new_fixed_and_severity_changes() {
        let pkgs = [package("pkg:npm/lodash@4.17.20")];
        let before = scan(
            &Advisories::new(vec![lodash("4.17.21", Some("MODERATE"))]),
            &pkgs,
        );
        let raised = scan(
            &Advisories::new(vec![lodash("4.17.21", Some("CRITICAL"))]),
            &pkgs,
        );
        let corrected = scan(
            &Advisories::new(vec![lodash("4.17.19", Some("CRITICAL"))]),
            &pkgs,
        );
        let c = diff(&before.findings, &raised.findings);
        assert!(c.new.is_empty() && c.fixed.is_empty());
        assert_eq!(c.severity_changed.len(), 1);
        assert_eq!(c.severity_changed[0].before, Severity::Medium);
        assert_eq!(c.severity_changed[0].finding.severity, Severity::Critical);
        let c = diff(&raised.findings, &corrected.findings);
        assert_eq!((c.new.len(), c.fixed.len()), (0, 1));
        let c = diff(&corrected.findings, &raised.findings);
        assert_eq!((c.new.len(), c.fixed.len()), (1, 0));
        assert!(diff(&raised.findings, &raised.findings).is_empty());
    }
}
