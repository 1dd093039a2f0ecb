//! Matching one package (ecosystem, name, version — or a purl) against advisories, producing
//! explained matches and [`gatehouse_model::Finding`]s.
//!
//! Names are compared only within one ecosystem, never across, after the ecosystem's own
//! normalization ([`normalize_name`]). Distro ecosystems with a release (`Debian:12`) match
//! advisories for that release or for no release. Withdrawn advisories never match. An
//! advisory whose ranges cannot be evaluated (GIT only, unknown ordering) is returned as
//! [`Unresolved`] rather than guessed either way.

use std::collections::HashMap;
use std::str::FromStr;

use gatehouse_model::{Finding, Location, Severity};
use serde_json::{Map, Value, json};

use crate::cvss::{self, Rating};
use crate::ecosystem::Ecosystem;
use crate::osv::Vulnerability;
use crate::range::{self, Evidence, Verdict};

/// The name as the ecosystem compares it: PyPI per PEP 503 (case, runs of `-_.`), crates.io
/// case- and `-`/`_`-insensitive, NuGet, Packagist, Hex and Pub case-insensitive; others exact.
pub fn normalize_name(ecosystem: &str, name: &str) -> String {
    let name = name.trim();
    match Ecosystem::parse(ecosystem).base.as_str() {
        "PyPI" => {
            let mut out = String::with_capacity(name.len());
            let mut in_sep = false;
            for c in name.chars() {
                if matches!(c, '-' | '_' | '.') {
                    if !in_sep {
                        out.push('-');
                    }
                    in_sep = true;
                } else {
                    out.extend(c.to_lowercase());
                    in_sep = false;
                }
            }
            out
        }
        "crates.io" => name.to_ascii_lowercase().replace('_', "-"),
        "NuGet" | "Packagist" | "Hex" | "Pub" => name.to_lowercase(),
        _ => name.to_owned(),
    }
}

/// A package identified by a purl: ecosystem (with distro release when the purl says), OSV
/// package name and version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageRef {
    pub ecosystem: Ecosystem,
    pub name: String,
    pub version: Option<String>,
}

/// Maps a purl to the OSV ecosystem and package name; `None` for types OSV does not cover.
///
/// `pkg:maven/g/a` → `g:a`; `pkg:golang/a/b` and `pkg:npm/%40s/n` → `a/b`, `@s/n`;
/// `pkg:deb/debian/x?distro=debian-12` → `Debian:12`; `pkg:apk/alpine/x?distro=3.20.1` →
/// `Alpine:v3.20`. Distro packages are matched by their source package when the purl has an
/// `upstream` qualifier (OSV keys distro advisories by source package).
pub fn parse_purl(purl: &str) -> Option<PackageRef> {
    let p = packageurl::PackageUrl::from_str(purl).ok()?;
    let ns = p.namespace();
    let joined = |sep: &str| match ns {
        Some(ns) if !ns.is_empty() => format!("{ns}{sep}{}", p.name()),
        _ => p.name().to_owned(),
    };
    let qualifier = |k: &str| p.qualifiers().get(k).map(|v| v.to_string());
    let source_name = || {
        qualifier("upstream")
            .map(|u| u.split(['@', ' ']).next().unwrap_or_default().to_owned())
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| p.name().to_owned())
    };
    let (ecosystem, name) = match p.ty() {
        "npm" => ("npm".to_owned(), joined("/")),
        "pypi" => ("PyPI".to_owned(), p.name().to_owned()),
        "cargo" => ("crates.io".to_owned(), p.name().to_owned()),
        "golang" => ("Go".to_owned(), joined("/")),
        "maven" => ("Maven".to_owned(), joined(":")),
        "gem" => ("RubyGems".to_owned(), p.name().to_owned()),
        "nuget" => ("NuGet".to_owned(), p.name().to_owned()),
        "composer" => ("Packagist".to_owned(), joined("/")),
        "hex" => ("Hex".to_owned(), p.name().to_owned()),
        "pub" => ("Pub".to_owned(), p.name().to_owned()),
        "swift" => ("SwiftURL".to_owned(), joined("/")),
        "deb" => {
            let base = match ns.map(str::to_ascii_lowercase).as_deref() {
                Some("ubuntu") => "Ubuntu",
                _ => "Debian",
            };
            let release = qualifier("distro").and_then(|d| {
                let d = d.rsplit('-').next().unwrap_or_default().to_owned();
                (!d.is_empty()).then_some(d)
            });
            (with_release(base, release), source_name())
        }
        "apk" => {
            let base = match ns.map(str::to_ascii_lowercase).as_deref() {
                Some("wolfi") => "Wolfi",
                Some("chainguard") => "Chainguard",
                _ => "Alpine",
            };
            let release = qualifier("distro").and_then(|d| {
                let d = d.rsplit('-').next().unwrap_or_default();
                let mut parts = d.split('.');
                match (parts.next(), parts.next()) {
                    (Some(a), Some(b)) if base == "Alpine" => Some(format!("v{a}.{b}")),
                    _ => None,
                }
            });
            (with_release(base, release), source_name())
        }
        "rpm" => {
            let base = match ns.map(str::to_ascii_lowercase).as_deref() {
                Some("redhat") => "Red Hat",
                Some("rocky") | Some("rocky-linux") => "Rocky Linux",
                Some("almalinux") => "AlmaLinux",
                Some("opensuse") => "openSUSE",
                Some("suse") | Some("sles") => "SUSE",
                Some("mageia") => "Mageia",
                Some("openeuler") => "openEuler",
                _ => return None,
            };
            (base.to_owned(), source_name())
        }
        _ => return None,
    };
    Some(PackageRef {
        ecosystem: Ecosystem::parse(&ecosystem),
        name,
        version: p.version().map(str::to_owned),
    })
}

fn with_release(base: &str, release: Option<String>) -> String {
    match release {
        Some(r) => format!("{base}:{r}"),
        None => base.to_owned(),
    }
}

/// One advisory that affects the package, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub advisory_id: String,
    pub aliases: Vec<String>,
    pub summary: Option<String>,
    /// The advisory's ecosystem string for the matching entry (`Debian:12`, `PyPI`).
    pub ecosystem: String,
    pub package: String,
    pub version: String,
    pub evidence: Evidence,
    /// The lowest fixed version above the installed one, if any.
    pub fixed: Option<String>,
    pub rating: Rating,
    pub references: Vec<String>,
}

/// An advisory for the package whose ranges could not be evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unresolved {
    pub advisory_id: String,
    pub reason: String,
}

/// Advisories of one or more ecosystems, indexed by (ecosystem base, normalized name).
#[derive(Debug, Default)]
pub struct Advisories {
    records: Vec<Vulnerability>,
    by_name: HashMap<(String, String), Vec<usize>>,
}

impl Advisories {
    pub fn new(records: Vec<Vulnerability>) -> Advisories {
        let mut by_name: HashMap<(String, String), Vec<usize>> = HashMap::new();
        for (i, v) in records.iter().enumerate() {
            if v.is_withdrawn() {
                continue;
            }
            for p in v.affected.iter().filter_map(|a| a.package.as_ref()) {
                let base = Ecosystem::parse(&p.ecosystem).base;
                let key = (base.clone(), normalize_name(&base, &p.name));
                let list = by_name.entry(key).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
        Advisories { records, by_name }
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The advisories affecting `name` at `version` in `ecosystem`, and the ones that name the
    /// package but could not be evaluated.
    pub fn match_package(
        &self,
        ecosystem: &str,
        name: &str,
        version: &str,
    ) -> (Vec<Match>, Vec<Unresolved>) {
        let query = Ecosystem::parse(ecosystem);
        let key = (query.base.clone(), normalize_name(&query.base, name));
        let mut matches = Vec::new();
        let mut unresolved = Vec::new();
        for &i in self
            .by_name
            .get(&key)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            let Some(v) = self.records.get(i) else {
                continue;
            };
            let mut unresolved_here = None;
            for affected in &v.affected {
                let Some(p) = &affected.package else {
                    continue;
                };
                let eco = Ecosystem::parse(&p.ecosystem);
                let same_release = match (&query.release, &eco.release) {
                    (Some(q), Some(r)) => release_matches(q, r),
                    _ => true,
                };
                if eco.base != query.base
                    || normalize_name(&eco.base, &p.name) != key.1
                    || !same_release
                {
                    continue;
                }
                match range::evaluate(&eco, affected, version) {
                    Verdict::Affected(evidence) => {
                        matches.push(Match {
                            advisory_id: v.id.clone(),
                            aliases: v.aliases.clone(),
                            summary: v.summary.clone(),
                            ecosystem: eco.to_string(),
                            package: p.name.clone(),
                            version: version.to_owned(),
                            fixed: range::fixed_after(&eco, affected, version)
                                .map(|f| in_package_spelling(&eco, version, f)),
                            evidence,
                            rating: cvss::rate(v, Some(affected)),
                            references: v.references.iter().map(|r| r.url.clone()).collect(),
                        });
                        unresolved_here = None;
                        break;
                    }
                    Verdict::Unresolvable(reason) => unresolved_here = Some(reason),
                    Verdict::NotAffected => {}
                }
            }
            if let Some(reason) = unresolved_here {
                unresolved.push(Unresolved {
                    advisory_id: v.id.clone(),
                    reason,
                });
            }
        }
        matches.sort_by(|a, b| a.advisory_id.cmp(&b.advisory_id));
        (matches, unresolved)
    }
}

/// A fixed version as the package manager spells it: Go modules are `v1.2.3` while OSV's Go
/// SEMVER ranges omit the `v`.
fn in_package_spelling(eco: &Ecosystem, installed: &str, fixed: String) -> String {
    if eco.base == "Go" && installed.starts_with('v') && !fixed.starts_with('v') {
        format!("v{fixed}")
    } else {
        fixed
    }
}

/// Whether two distro releases name the same release: equal, or one is the other plus a
/// `:`-suffix (`22.04` and `22.04:LTS`).
fn release_matches(a: &str, b: &str) -> bool {
    a == b
        || b.strip_prefix(a).is_some_and(|rest| rest.starts_with(':'))
        || a.strip_prefix(b).is_some_and(|rest| rest.starts_with(':'))
}

/// Matches one package against `advisories`; see [`Advisories::match_package`].
pub fn match_package(
    advisories: &Advisories,
    ecosystem: &str,
    name: &str,
    version: &str,
) -> Vec<Match> {
    advisories.match_package(ecosystem, name, version).0
}

impl Match {
    /// The package URL of the matched package (built from ecosystem and name when none given).
    fn purl(&self) -> String {
        let ty = crate::ecosystem::KNOWN
            .iter()
            .find(|(name, _, _)| Ecosystem::parse(&self.ecosystem).base == *name)
            .map_or("generic", |(_, ty, _)| ty);
        let name = match ty {
            "maven" => self.package.replacen(':', "/", 1),
            "npm" => self.package.replace('@', "%40"),
            _ => self.package.clone(),
        };
        format!("pkg:{ty}/{name}@{}", self.version)
    }

    /// The finding for this match. Unknown severity becomes `Severity::Info` with
    /// `tool_severity: "unknown"` and property `severity_unknown: true`, so a gate can apply
    /// its explicit unknown-severity policy.
    pub fn to_finding(&self, purl: Option<&str>) -> Finding {
        let purl = purl.map_or_else(|| self.purl(), str::to_owned);
        let fixed = self.fixed.as_ref().map_or_else(
            || "no fixed version".to_owned(),
            |f| format!("fixed in {f}"),
        );
        let message = format!(
            "{} {} is affected by {} ({}; {fixed})",
            self.package,
            self.version,
            self.advisory_id,
            self.evidence.describe()
        );
        let mut ids = vec![self.advisory_id.clone()];
        ids.extend(self.aliases.iter().cloned());
        let mut properties = Map::new();
        properties.insert("ecosystem".into(), json!(self.ecosystem));
        properties.insert("package".into(), json!(self.package));
        properties.insert("affected_range".into(), json!(self.evidence.describe()));
        properties.insert("match_reason".into(), json!(message));
        properties.insert("severity_basis".into(), json!(self.rating.basis));
        if let Some(f) = &self.fixed {
            properties.insert("fixed_version".into(), json!(f));
        }
        if let Some(s) = self.rating.score {
            properties.insert("cvss_score".into(), json!(s));
        }
        if let Some(v) = &self.rating.vector {
            properties.insert("cvss_vector".into(), json!(v));
        }
        if self.rating.severity.is_none() {
            properties.insert("severity_unknown".into(), Value::Bool(true));
        }
        let mut finding = Finding::new(
            self.advisory_id.clone(),
            self.rating.severity.unwrap_or(Severity::Info),
            message,
        )
        .with_location(Location::package(purl, self.version.clone()))
        .with_tool("gatehouse", Some(env!("CARGO_PKG_VERSION")));
        finding.title = self.summary.clone().unwrap_or_default();
        finding.tool_severity = Some(
            self.rating
                .severity
                .map_or_else(|| "unknown".to_owned(), |s| s.as_str().to_owned()),
        );
        finding.vulnerability_ids = ids;
        finding.references = self.references.clone();
        finding.remediation = self
            .fixed
            .as_ref()
            .map(|f| format!("Upgrade {} to {f} or later.", self.package));
        finding.properties = properties;
        finding
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_normalize_per_ecosystem() {
        assert_eq!(
            normalize_name("PyPI", "Django_Rest.Framework"),
            "django-rest-framework"
        );
        assert_eq!(normalize_name("PyPI", "a__-b"), "a-b");
        assert_eq!(normalize_name("crates.io", "Serde_JSON"), "serde-json");
        assert_eq!(
            normalize_name("NuGet", "Newtonsoft.Json"),
            "newtonsoft.json"
        );
        assert_eq!(normalize_name("npm", "Braces"), "Braces");
        assert_eq!(normalize_name("Go", "github.com/A/b"), "github.com/A/b");
    }

    #[test]
    fn releases_match_with_suffixes() {
        assert!(release_matches("22.04", "22.04:LTS"));
        assert!(release_matches("22.04:LTS", "22.04"));
        assert!(release_matches("12", "12"));
        assert!(!release_matches("12", "11"));
        assert!(!release_matches("22.04", "22.041"));
    }

    #[test]
    fn purls_map_to_osv_packages() {
        let cases = [
            (
                "pkg:npm/%40babel/core@7.0.0",
                "npm",
                "@babel/core",
                Some("7.0.0"),
            ),
            ("pkg:pypi/django@4.2", "PyPI", "django", Some("4.2")),
            ("pkg:cargo/serde@1.0.0", "crates.io", "serde", Some("1.0.0")),
            (
                "pkg:golang/golang.org/x/crypto@v0.1.0",
                "Go",
                "golang.org/x/crypto",
                Some("v0.1.0"),
            ),
            (
                "pkg:maven/org.springframework/spring-webmvc@6.1.6",
                "Maven",
                "org.springframework:spring-webmvc",
                Some("6.1.6"),
            ),
            (
                "pkg:composer/drupal/core@10.0.0",
                "Packagist",
                "drupal/core",
                Some("10.0.0"),
            ),
            (
                "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?distro=debian-12&upstream=openssl",
                "Debian:12",
                "openssl",
                Some("3.0.11-1~deb12u2"),
            ),
            (
                "pkg:apk/alpine/busybox@1.36.1-r2?distro=3.19.1",
                "Alpine:v3.19",
                "busybox",
                Some("1.36.1-r2"),
            ),
        ];
        for (purl, eco, name, version) in cases {
            let p = parse_purl(purl).unwrap();
            assert_eq!(
                (
                    p.ecosystem.to_string().as_str(),
                    p.name.as_str(),
                    p.version.as_deref()
                ),
                (eco, name, version),
                "{purl}"
            );
        }
        assert_eq!(parse_purl("pkg:generic/thing@1"), None);
        assert_eq!(parse_purl("not a purl"), None);
    }
}
