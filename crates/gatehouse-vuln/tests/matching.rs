//! Matching packages against the fixture advisories: the npm and Maven hits the shared OSV
//! README lists for the lockfile fixtures, their non-hits, severities and explanations.

use std::path::Path;

use chrono::{TimeZone, Utc};
use gatehouse_model::Severity;
use gatehouse_vuln::{Advisories, Store, match_package, parse_purl};

fn advisories(ecosystem: &str) -> Advisories {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::new(tmp.path());
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/osv");
    let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    store.import(&[fixtures], now).unwrap();
    Advisories::new(store.load(ecosystem).unwrap())
}

fn hits(adv: &Advisories, eco: &str, name: &str, version: &str) -> Vec<(String, Option<Severity>)> {
    match_package(adv, eco, name, version)
        .into_iter()
        .map(|m| (m.advisory_id, m.rating.severity))
        .collect()
}

#[test]
fn npm_hits_and_non_hits_from_the_lockfile_fixtures() {
    let npm = advisories("npm");
    let high = Some(Severity::High);
    let medium = Some(Severity::Medium);
    for (name, version, want) in [
        ("braces", "2.3.2", vec![("GHSA-grv7-fg5c-xmjg", high)]),
        ("braces", "3.0.2", vec![("GHSA-grv7-fg5c-xmjg", high)]),
        ("braces", "3.0.3", vec![]),
        (
            "path-to-regexp",
            "0.1.7",
            vec![("GHSA-9wv6-86v2-598j", high)],
        ),
        (
            "path-to-regexp",
            "6.2.2",
            vec![("GHSA-9wv6-86v2-598j", high)],
        ),
        ("ws", "7.5.9", vec![("GHSA-3h5v-q93c-6h6q", high)]),
        ("ws", "8.11.0", vec![("GHSA-3h5v-q93c-6h6q", high)]),
        ("ws", "8.16.0", vec![("GHSA-3h5v-q93c-6h6q", high)]),
        ("ws", "8.18.2", vec![]),
        ("glob-parent", "3.1.0", vec![("GHSA-ww39-953v-wcq6", high)]),
        (
            "micromatch",
            "3.1.10",
            vec![("GHSA-952p-6rrq-rcjv", medium)],
        ),
        ("micromatch", "4.0.5", vec![("GHSA-952p-6rrq-rcjv", medium)]),
        ("minimist", "1.2.8", vec![]),
        ("semver", "7.6.3", vec![]),
    ] {
        let want: Vec<(String, Option<Severity>)> =
            want.into_iter().map(|(id, s)| (id.to_owned(), s)).collect();
        assert_eq!(hits(&npm, "npm", name, version), want, "{name}@{version}");
    }
}

#[test]
fn maven_hit_explained_as_a_finding() {
    let maven = advisories("Maven");
    let p = parse_purl("pkg:maven/org.springframework/spring-webmvc@6.1.6").unwrap();
    let matches = match_package(&maven, &p.ecosystem.to_string(), &p.name, "6.1.6");
    assert_eq!(matches.len(), 1);
    let m = &matches[0];
    assert_eq!(m.advisory_id, "GHSA-cx7f-g6mp-7hqm");
    assert!(m.aliases.iter().any(|a| a.starts_with("CVE-")));
    assert!(m.fixed.is_some());
    let f = m.to_finding(Some("pkg:maven/org.springframework/spring-webmvc@6.1.6"));
    assert_eq!(f.severity, Severity::High);
    assert!(
        f.vulnerability_ids
            .contains(&"GHSA-cx7f-g6mp-7hqm".to_owned())
    );
    assert!(
        f.message
            .contains("spring-webmvc 6.1.6 is affected by GHSA-cx7f-g6mp-7hqm"),
        "{}",
        f.message
    );
    assert!(f.remediation.as_deref().unwrap().starts_with("Upgrade"));
    assert_eq!(
        f.location.purl.as_deref(),
        Some("pkg:maven/org.springframework/spring-webmvc@6.1.6")
    );
}

#[test]
fn no_match_crosses_ecosystems_and_unknown_severity_is_explicit() {
    let npm = advisories("npm");
    assert!(hits(&npm, "PyPI", "braces", "2.3.2").is_empty());
    let go = advisories("Go");
    for v in ["GO-2022-0617", "GO-2024-2442"] {
        assert!(go.match_package("Go", v, "0.0.1").0.is_empty());
    }
    // Go records carry no severity: matches say so rather than inventing one.
    let any_go: Vec<_> = ["github.com/gin-gonic/gin", "github.com/miekg/dns"]
        .iter()
        .flat_map(|n| match_package(&go, "Go", n, "0.0.1"))
        .collect();
    assert!(!any_go.is_empty());
    for m in &any_go {
        assert_eq!(m.rating.severity, None);
        let f = m.to_finding(None);
        assert_eq!(f.tool_severity.as_deref(), Some("unknown"));
        assert_eq!(f.properties["severity_unknown"], true);
    }
}

#[test]
fn pypi_names_and_versions_normalize() {
    let pypi = advisories("PyPI");
    let (m1, _) = pypi.match_package("PyPI", "Gradi0", "4.36.1");
    let (m2, _) = pypi.match_package("pypi", "gradi0", "4.36.1.0");
    assert_eq!(m1.len(), 1);
    assert_eq!(
        m1,
        m2.into_iter()
            .map(|mut m| {
                m.version = "4.36.1".into();
                m
            })
            .collect::<Vec<_>>()
    );
}
