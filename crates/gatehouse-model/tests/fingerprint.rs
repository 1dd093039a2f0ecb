//! Fingerprints identify "the same finding" across runs and scanners: they survive moved lines
//! and reworded messages, and change when the thing found is a different one.

use gatehouse_model::{Finding, Fingerprint, Location, Severity};

fn public_bucket(line: u32, snippet: &str) -> Finding {
    Finding::new("GH-TF-S3-001", Severity::High, "bucket is public").with_location(
        Location::file("infra/main.tf")
            .with_line(line)
            .with_snippet(snippet)
            .with_resource("module.storage.aws_s3_bucket.logs"),
    )
}

#[test]
fn is_64_lowercase_hex_characters() {
    let fingerprint = Fingerprint::of(&public_bucket(12, "acl = \"public-read\""));
    assert_eq!(fingerprint.as_str().len(), 64);
    assert!(
        fingerprint
            .as_str()
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
    );
}

#[test]
fn documents_its_inputs() {
    let inputs = Fingerprint::inputs(&public_bucket(12, "  acl   =\t\"public-read\"  "));
    assert_eq!(
        inputs,
        [
            "GH-TF-S3-001".to_owned(),
            "infra/main.tf".to_owned(),
            "module.storage.aws_s3_bucket.logs".to_owned(),
            "acl = \"public-read\"".to_owned(),
        ]
    );
}

#[test]
fn survives_line_shifts_and_reindentation() {
    let before = Fingerprint::of(&public_bucket(12, "  acl = \"public-read\""));
    let after = Fingerprint::of(&public_bucket(40, "\tacl   =  \"public-read\"\n"));
    assert_eq!(before, after);
}

#[test]
fn survives_rewording_rerating_and_a_new_tool_version() {
    let before = public_bucket(12, "acl = \"public-read\"").with_tool("gatehouse", Some("0.1.0"));
    let mut after = before.clone().with_tool("gatehouse", Some("0.2.0"));
    after.message = "The bucket grants READ to AllUsers".into();
    after.severity = Severity::Critical;
    assert_eq!(Fingerprint::of(&before), Fingerprint::of(&after));
}

#[test]
fn changes_for_a_different_resource() {
    let logs = public_bucket(12, "acl = \"public-read\"");
    let mut assets = logs.clone();
    assets.location.resource = Some("module.storage.aws_s3_bucket.assets".into());
    assert_ne!(Fingerprint::of(&logs), Fingerprint::of(&assets));
}

#[test]
fn changes_for_a_different_rule_path_or_line_content() {
    let base = public_bucket(12, "acl = \"public-read\"");
    let mut other_rule = base.clone();
    other_rule.rule_id = "GH-TF-S3-002".into();
    let mut other_path = base.clone();
    other_path.location.path = Some("infra/other.tf".into());
    let other_content = public_bucket(12, "acl = \"public-read-write\"");
    for other in [other_rule, other_path, other_content] {
        assert_ne!(Fingerprint::of(&base), Fingerprint::of(&other));
    }
}

#[test]
fn the_same_cve_from_two_scanners_matches() {
    let purl = "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1";
    let trivy = Finding::new("CVE-2021-44228", Severity::Critical, "Log4Shell")
        .with_vulnerability_id("CVE-2021-44228")
        .with_tool("trivy", Some("0.50.0"))
        .with_location(
            Location::file("pom.xml").with_package(format!("{purl}?type=jar"), "2.14.1"),
        );
    let grype = Finding::new("GHSA-jfh8-c2jp-5v3q", Severity::Critical, "log4j RCE")
        .with_vulnerability_id("GHSA-jfh8-c2jp-5v3q")
        .with_vulnerability_id("cve-2021-44228")
        .with_tool("grype", Some("0.74.0"))
        .with_location(Location::file("./pom.xml").with_package(purl, "2.14.1"));
    assert_eq!(Fingerprint::of(&trivy), Fingerprint::of(&grype));
}

#[test]
fn a_package_version_joins_a_versionless_purl() {
    let with_version_in_purl = Finding::new("CVE-1", Severity::High, "m")
        .with_location(Location::package("pkg:npm/lodash@4.17.20", "4.17.20"));
    let with_version_beside = Finding::new("CVE-1", Severity::High, "m")
        .with_location(Location::package("pkg:NPM/lodash", "4.17.20"));
    let upgraded = Finding::new("CVE-1", Severity::High, "m")
        .with_location(Location::package("pkg:npm/lodash@4.17.21", "4.17.21"));
    assert_eq!(
        Fingerprint::of(&with_version_in_purl),
        Fingerprint::of(&with_version_beside)
    );
    assert_ne!(
        Fingerprint::of(&with_version_in_purl),
        Fingerprint::of(&upgraded)
    );
}

#[test]
fn without_snippet_or_anchor_the_line_number_is_the_fallback() {
    // The documented limitation: nothing else tells two such findings apart.
    let at = |line| {
        Finding::new("G104", Severity::Medium, "Errors unhandled.")
            .with_location(Location::file("main.go").with_line(line))
    };
    assert_ne!(Fingerprint::of(&at(10)), Fingerprint::of(&at(11)));
}

#[test]
fn a_stored_fingerprint_wins_and_ensure_fills_it_once() {
    let mut finding = public_bucket(1, "x");
    let computed = finding.ensure_fingerprint().clone();
    assert_eq!(computed, Fingerprint::of(&finding));
    let stored = Fingerprint::from_hex("00");
    let finding = finding.with_fingerprint(stored.clone());
    assert_eq!(finding.fingerprint_or_compute(), stored);
}

#[test]
fn is_pinned_for_a_known_finding() {
    // Guards against accidental changes: every stored identity depends on this value.
    let fingerprint = Fingerprint::of(&public_bucket(12, "acl = \"public-read\""));
    insta::assert_snapshot!(fingerprint.as_str());
}
