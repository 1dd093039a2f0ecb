//! Package sets against the reference counts of `fixtures/lockfiles/ORIGIN.md` and the
//! per-purl cdxgen / trivy outputs in `reference-purls.jsonl`. Every difference from the
//! reference tool is listed and explained here; anything else fails the test.

mod common;

use std::collections::BTreeSet;

use gatehouse_sbom::{Sbom, ScanOptions, scan_path};

fn scan(dir: &str) -> Sbom {
    scan_path(
        &common::fixture(&format!("lockfiles/{dir}")),
        &ScanOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{dir}: {e}"))
}

/// Asserts our purls equal the reference's, except the listed extra (ours only) and missing
/// (reference only) purls, compared without qualifiers other than `platform`.
fn check(dir: &str, expected_count: usize, extra: &[&str], missing: &[&str]) {
    let sbom = scan(dir);
    let ours: Vec<String> = sbom.components.iter().map(|c| c.purl()).collect();
    assert_eq!(ours.len(), expected_count, "{dir}: component count");
    let (only_ours, only_ref) = common::diff(&ours, &common::reference(dir));
    let extra: BTreeSet<String> = extra.iter().map(|s| (*s).to_owned()).collect();
    let missing: BTreeSet<String> = missing.iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(only_ours, extra, "{dir}: purls only we report");
    assert_eq!(only_ref, missing, "{dir}: purls only the reference reports");
}

#[test]
fn npm_package_lock_v3() {
    // 542 = the README's unique count. cdxgen's extra 5 are the project's own workspace
    // packages (`link: true` entries and the root), which are not dependencies.
    check(
        "npm/package-lock-v3",
        542,
        &[],
        &[
            "pkg:npm/ruff-playground@0.0.0",
            "pkg:npm/ruff_wasm@0.14.5",
            "pkg:npm/shared@0.0.0",
            "pkg:npm/ty-playground@0.0.0",
            "pkg:npm/ty_wasm@0.0.0",
        ],
    );
}

#[test]
fn yarn_v1() {
    // Same 167; npm purl names are lowercase by the purl spec (the `packageurl` crate applies
    // it), cdxgen keeps `JUMFlot`.
    check(
        "npm/yarn-v1",
        167,
        &["pkg:npm/jumflot@0.0.0"],
        &["pkg:npm/JUMFlot@0.0.0"],
    );
}

#[test]
fn yarn_berry() {
    // 818 resolution entries: workspace entries are the project itself and `patch:` entries
    // are the same name@version as the package they patch → 811, same set as cdxgen.
    check("npm/yarn-berry", 811, &[], &[]);
}

#[test]
fn pnpm_v6_recovers_every_package() {
    // cdxgen recovers 365 of 1,994 (it cannot read `/name@version(peer)` keys); we read all
    // 1,994 and every one of cdxgen's 365 is among them.
    let sbom = scan("npm/pnpm-v6");
    assert_eq!(sbom.components.len(), 1994);
    let ours: Vec<String> = sbom.components.iter().map(|c| c.purl()).collect();
    let (only_ours, only_ref) = common::diff(&ours, &common::reference("npm/pnpm-v6"));
    assert!(only_ref.is_empty(), "{only_ref:?}");
    assert_eq!(only_ours.len(), 1994 - 365);
}

#[test]
fn pnpm_v9() {
    check("npm/pnpm-v9", 416, &[], &[]);
}

#[test]
fn cargo_v3_and_v4() {
    check("cargo/v3", 68, &[], &[]);
    check("cargo/v4", 880, &[], &[]);
}

#[test]
fn python_locks() {
    check("pypi/poetry", 63, &[], &[]);
    check("pypi/uv", 63, &[], &[]);
    check("pypi/pipenv", 161, &[], &[]);
    // 44 `==` pins, the same set as cdxgen (the README's quick reference parse says 43).
    check("pypi/requirements-hashes", 44, &[], &[]);
}

#[test]
fn go_mod() {
    // go.mod's 164 requires; go.sum beside it only adds hashes (its 288 pairs include
    // `/go.mod`-only entries of modules never downloaded).
    check("go", 164, &[], &[]);
}

#[test]
fn gemfile_locks() {
    // Platform gems are separate components with a `platform` qualifier, as cdxgen.
    check("rubygems/bundler4-checksums", 341, &[], &[]);
    // cdxgen adds three DEPENDENCIES entries without versions (`tzinfo`, `tzinfo-data`,
    // `wdm`: platform-restricted gems that were never resolved, so not in any spec list).
    check(
        "rubygems/jekyll",
        51,
        &[],
        &["pkg:gem/tzinfo", "pkg:gem/tzinfo-data", "pkg:gem/wdm"],
    );
}

#[test]
fn composer_lock() {
    check("packagist", 147, &[], &[]);
}

#[test]
fn pom_declared_dependencies() {
    // The 24 declared dependencies; versions managed by the Spring Boot parent are empty, as
    // in cdxgen's offline fallback.
    check("maven", 24, &[], &[]);
}

#[test]
fn nuget_lock() {
    // 153 package entries; cdxgen's extra 14 are `Project` references (the solution's own
    // projects, not packages).
    let sbom = scan("nuget");
    assert_eq!(sbom.components.len(), 153);
    let ours: Vec<String> = sbom.components.iter().map(|c| c.purl()).collect();
    let (only_ours, only_ref) = common::diff(&ours, &common::reference("nuget"));
    assert!(only_ours.is_empty(), "{only_ours:?}");
    assert_eq!(only_ref.len(), 14);
    assert!(
        only_ref.iter().all(|p| !p.contains('@')),
        "project refs have no version: {only_ref:?}"
    );
}

#[test]
fn gradle_lockfile() {
    // cdxgen reports 0 (it wants a Gradle run); the lockfile lists 68 coordinates.
    assert_eq!(scan("gradle").components.len(), 68);
}

#[test]
fn dpkg_status() {
    // Same 707 packages as trivy. Versions keep their epoch (`1:2.38.1-5+deb12u3`) as dpkg and
    // Debian advisories write it; trivy moves the epoch to a qualifier and drops it from the
    // version, which is the only difference (102 packages have an epoch).
    let sbom = scan("os/debian-12");
    assert_eq!(sbom.components.len(), 707);
    assert_eq!(sbom.subject.distro.as_deref(), Some("debian-12.11"));
    let strip_epoch = |p: &str| {
        let (head, ver) = p.split_once('@').unwrap_or((p, ""));
        let ver = ver.split_once(':').map_or(ver, |(_, v)| v);
        common::comparable(&format!("{head}@{ver}"))
    };
    let ours: BTreeSet<String> = sbom
        .components
        .iter()
        .map(|c| strip_epoch(&c.purl()))
        .collect();
    let theirs: BTreeSet<String> = common::reference("os/debian-12")
        .iter()
        .map(|p| common::comparable(p))
        .collect();
    assert_eq!(ours, theirs);
    let with_epoch = sbom
        .components
        .iter()
        .filter(|c| c.version.contains(':'))
        .count();
    assert_eq!(with_epoch, 102);
}

#[test]
fn apk_installed() {
    let sbom = scan("os/alpine-3.14");
    assert_eq!(sbom.subject.distro.as_deref(), Some("alpine-3.14.0"));
    check("os/alpine-3.14", 26, &[], &[]);
}
