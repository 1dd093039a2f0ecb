//! Severity of an advisory: CVSS base score from the vector, else the database's own word,
//! else unknown.
//!
//! Scores come from RustSec's `cvss` crate (v2.0, v3.0/v3.1 base equations, v4.0 macrovector
//! scoring). Preference: the affected package's own `severity[]` over the record's; within one
//! list `CVSS_V3` first (what GHSA and NVD labels are based on), then `CVSS_V4`, then `CVSS_V2`,
//! then a distro priority word (`Ubuntu`). Without a usable vector, `database_specific.severity`
//! (GHSA's `LOW`/`MODERATE`/`HIGH`/`CRITICAL`) is used; RustSec's informational advisories
//! (unmaintained, unsound, notice) are `info`; without any of that the severity is unknown
//! (`None`), which callers must treat explicitly.

use std::str::FromStr;

use gatehouse_model::Severity;

use crate::osv::{Affected, SeverityScore, Vulnerability};

/// A severity and what it was derived from.
#[derive(Debug, Clone, PartialEq)]
pub struct Rating {
    /// `None` when nothing usable was found ("unknown").
    pub severity: Option<Severity>,
    /// The CVSS base score, when a vector was scored.
    pub score: Option<f64>,
    /// The scored vector (`CVSS:3.1/AV:N/…`), when there was one.
    pub vector: Option<String>,
    /// Where it came from: the vector, `database_specific.severity: HIGH`, or `no severity data`.
    pub basis: String,
}

/// The CVSS base score of a vector string (`CVSS:3.1/AV:N/...`, `CVSS:4.0/...`, or a bare v2
/// vector `AV:N/AC:L/...`); `None` if it does not parse.
pub fn base_score(vector: &str) -> Option<f64> {
    let vector = vector.trim();
    if vector.starts_with("CVSS:3") {
        return ::cvss::v3::Vector::from_str(vector)
            .ok()
            .map(|b| b.base_score().value());
    }
    if vector.starts_with("CVSS:4") {
        return ::cvss::v4::Vector::from_str(vector)
            .ok()
            .map(|v| v.score().value());
    }
    ::cvss::v2::Vector::from_str(vector.trim_start_matches("CVSS:2.0/"))
        .ok()
        .map(|b| b.score().value())
}

fn from_list(list: &[SeverityScore]) -> Option<Rating> {
    for kind in ["CVSS_V3", "CVSS_V4", "CVSS_V2"] {
        for s in list.iter().filter(|s| s.kind == kind) {
            if let Some(score) = base_score(&s.score) {
                return Some(Rating {
                    severity: Some(Severity::from_cvss(score)),
                    score: Some(score),
                    vector: Some(s.score.trim().to_owned()),
                    basis: format!("{kind} {} (base score {score:.1})", s.score),
                });
            }
        }
    }
    list.iter().find_map(|s| {
        Severity::from_str(&s.score).ok().map(|sev| Rating {
            severity: Some(sev),
            score: None,
            vector: None,
            basis: format!("{} priority {}", s.kind, s.score),
        })
    })
}

/// RustSec's informational advisories (`unmaintained`, `unsound`, `notice`): warnings about a
/// crate, not vulnerabilities; cargo-audit reports them as warnings, so do we (`info`).
fn informational(affected: Option<&Affected>) -> Option<Rating> {
    let kind = affected?
        .database_specific
        .as_ref()?
        .get("informational")?
        .as_str()?;
    Some(Rating {
        severity: Some(Severity::Info),
        score: None,
        vector: None,
        basis: format!("RustSec informational advisory ({kind}), not a vulnerability"),
    })
}

/// Rates an advisory for one of its affected packages (or the record alone).
pub fn rate(vuln: &Vulnerability, affected: Option<&Affected>) -> Rating {
    if let Some(r) = affected.and_then(|a| from_list(&a.severity)) {
        return r;
    }
    if let Some(r) = from_list(&vuln.severity) {
        return r;
    }
    if let Some(r) = informational(affected) {
        return r;
    }
    if let Some(word) = vuln.database_severity()
        && let Ok(sev) = Severity::from_str(word)
    {
        return Rating {
            severity: Some(sev),
            score: None,
            vector: None,
            basis: format!("database_specific.severity {word}"),
        };
    }
    Rating {
        severity: None,
        score: None,
        vector: None,
        basis: "no severity data".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v3_base_scores_match_the_spec_calculator() {
        // Values as FIRST's v3.1 calculator gives them.
        for (vector, score) in [
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:L/A:N", 5.3),
            ("CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N", 5.9),
            ("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0),
        ] {
            assert_eq!(base_score(vector), Some(score), "{vector}");
        }
        assert_eq!(base_score("AV:N/AC:L/Au:N/C:P/I:P/A:P"), Some(7.5));
        assert_eq!(base_score("CVSS:3.1/AV:X"), None);
    }

    #[test]
    fn v4_scores() {
        let s =
            base_score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N").unwrap();
        assert_eq!(s, 9.3);
    }

    #[test]
    fn preference_order_and_fallbacks() {
        let v: Vulnerability = serde_json::from_str(
            r#"{"id":"GHSA-1","modified":"2024-01-01T00:00:00Z",
                "severity":[{"type":"CVSS_V4","score":"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"},
                            {"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:L/A:N"}],
                "database_specific":{"severity":"CRITICAL"}}"#,
        )
        .unwrap();
        let r = rate(&v, None);
        assert_eq!(r.severity, Some(Severity::Medium));
        assert_eq!(r.score, Some(5.3));
        let ghsa: Vulnerability = serde_json::from_str(
            r#"{"id":"GHSA-2","modified":"2024-01-01T00:00:00Z","severity":[],"database_specific":{"severity":"MODERATE"}}"#,
        )
        .unwrap();
        assert_eq!(rate(&ghsa, None).severity, Some(Severity::Medium));
        let go: Vulnerability =
            serde_json::from_str(r#"{"id":"GO-1","modified":"2024-01-01T00:00:00Z"}"#).unwrap();
        let r = rate(&go, None);
        assert_eq!((r.severity, r.basis.as_str()), (None, "no severity data"));
        let unmaintained: Vulnerability = serde_json::from_str(
            r#"{"id":"RUSTSEC-2024-0436","modified":"2024-01-01T00:00:00Z",
                "affected":[{"package":{"ecosystem":"crates.io","name":"paste"},
                             "database_specific":{"informational":"unmaintained","cvss":null}}]}"#,
        )
        .unwrap();
        let r = rate(&unmaintained, unmaintained.affected.first());
        assert_eq!(r.severity, Some(Severity::Info));
        assert!(r.basis.contains("unmaintained"), "{}", r.basis);
        let rustsec_vuln: Vulnerability = serde_json::from_str(
            r#"{"id":"RUSTSEC-2026-0258","modified":"2024-01-01T00:00:00Z",
                "affected":[{"package":{"ecosystem":"crates.io","name":"h2"},
                             "database_specific":{"informational":null,"cvss":null}}]}"#,
        )
        .unwrap();
        assert_eq!(
            rate(&rustsec_vuln, rustsec_vuln.affected.first()).severity,
            None
        );
    }
}
