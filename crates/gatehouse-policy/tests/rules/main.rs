//! The built-in rule library of `gatehouse check`: it loads, ids are unique, every family's Rego
//! unit tests pass and cover each rule both ways, and findings on committed fixtures are snapshotted.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use gatehouse_policy::check::{Library, target};
use gatehouse_policy::conftest::verify::{self, Status};
use gatehouse_policy::{EngineOptions, Policies, PolicyError, RegoVersion};

fn rules_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check")
}

fn library() -> Library {
    Library::load(&[], &EngineOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn library_loads_with_at_least_sixty_rules_each_documented() {
    let lib = library();
    let rules = lib.rules();
    assert!(rules.len() >= 60, "only {} rules", rules.len());
    for r in rules {
        assert!(
            ["GH-AWS-", "GH-AZR-", "GH-GCP-", "GH-K8S-", "GH-DKR-"]
                .iter()
                .any(|p| r.id.starts_with(p)),
            "{}: unexpected id prefix",
            r.id
        );
        assert!(!r.description.is_empty(), "{}: no description", r.id);
        assert!(
            r.before.is_some() && r.after.is_some(),
            "{}: no before/after example",
            r.id
        );
        assert!(!r.references.is_empty(), "{}: no references", r.id);
    }
}

#[test]
fn a_duplicate_rule_id_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let custom = r#"package custom.dup

import rego.v1

# METADATA
# title: Reuses a built-in id
# custom:
#   id: GH-AZR-001
#   severity: low
#   input: terraform
#   remediation: Pick a new id.
deny_dup contains "x" if false
"#;
    std::fs::write(dir.path().join("dup.rego"), custom).expect("write");
    let err = Library::load(&[dir.path().to_path_buf()], &EngineOptions::default())
        .err()
        .expect("a duplicate id must not load");
    let text = err.to_string();
    assert!(
        text.contains("GH-AZR-001") && text.contains("already used"),
        "{text}"
    );
}

#[test]
fn every_rego_unit_test_passes() {
    let options = EngineOptions {
        rego_version: RegoVersion::V1,
        ..EngineOptions::default()
    };
    let policies = Policies::load(&[rules_dir()], &[], &options).unwrap_or_else(|e| panic!("{e}"));
    let cases = verify::run(&policies, &[], false).unwrap_or_else(|e: PolicyError| panic!("{e}"));
    assert!(cases.len() >= 60, "only {} Rego tests", cases.len());
    let bad: Vec<String> = cases
        .iter()
        .filter(|c| c.status != Status::Pass)
        .map(|c| format!("{}: {} {:?}", c.file, c.name, c.status))
        .collect();
    assert!(
        bad.is_empty(),
        "failing or erroring Rego tests:\n{}",
        bad.join("\n")
    );
}

#[test]
fn every_rule_is_tested_passing_and_failing_in_its_family_test_file() {
    let lib = library();
    let mut missing = Vec::new();
    for r in lib.rules() {
        let module = r.file.trim_start_matches("builtin/");
        let test_file = rules_dir().join(module.replace(".rego", "_test.rego"));
        let text = std::fs::read_to_string(&test_file)
            .unwrap_or_else(|e| panic!("{}: {e} (rule {})", test_file.display(), r.id));
        let rule_name = r.query.rsplit('.').next().unwrap_or_default();
        let uses = text
            .match_indices(&format!(".{rule_name})"))
            .chain(text.match_indices(&format!(".{rule_name} ")))
            .count();
        if uses < 2 {
            missing.push(format!(
                "{} ({rule_name}): referenced {uses} time(s) in {}",
                r.id,
                test_file.display()
            ));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// One line per finding, paths relative to the fixture directory.
fn check_report(paths: &[PathBuf]) -> String {
    let lib = library();
    let targets = target::discover(paths, None).unwrap_or_else(|e| panic!("{e}"));
    let findings = lib.check(&targets).unwrap_or_else(|e| panic!("{e}"));
    let root = format!("{}/", fixtures().display());
    let mut lines: Vec<String> = findings
        .iter()
        .map(|f| {
            let loc = &f.location;
            format!(
                "{} {} {}:{} {} | {}",
                f.rule_id,
                f.severity,
                loc.path.as_deref().unwrap_or("").trim_start_matches(&root),
                loc.start_line.map(|l| l.to_string()).unwrap_or_default(),
                loc.resource.as_deref().unwrap_or("-"),
                f.message
            )
        })
        .collect();
    lines.sort();
    let mut per_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &findings {
        *per_rule.entry(f.rule_id.as_str()).or_default() += 1;
    }
    let summary: Vec<String> = per_rule.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    format!("{}\n\n{}\n", summary.join("\n"), lines.join("\n"))
}

#[test]
fn check_findings_on_a_generated_plan() {
    insta::assert_snapshot!(check_report(&[fixtures().join("plan.json")]));
}

#[test]
fn check_findings_on_kubernetes_manifests() {
    insta::assert_snapshot!(check_report(&[fixtures().join("k8s")]));
}

#[test]
fn check_findings_on_a_dockerfile() {
    insta::assert_snapshot!(check_report(&[fixtures().join("docker")]));
}
