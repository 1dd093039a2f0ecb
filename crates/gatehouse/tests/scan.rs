//! End-to-end tests of `gatehouse scan`: the lockfile fixtures of `gatehouse-sbom` against real
//! OSV advisories (`fixtures/scan/osv`, origins in `fixtures/README.md`).
//! Exit codes: 0 no open finding at or above `--fail-on`, 1 otherwise, 2 usage or input error.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

fn lockfiles(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../gatehouse-sbom/tests/fixtures/lockfiles")
        .join(path)
}

fn gatehouse(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("gatehouse")
        .expect("binary")
        .current_dir(dir)
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        out.status.code().expect("exit code"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr,
    )
}

/// A scratch directory with an advisory store holding `ecosystems` of the fixture OSV data.
fn store_with(ecosystems: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for eco in ecosystems {
        let src = fixture("scan/osv").join(eco);
        let (code, _, err) = gatehouse(
            dir.path(),
            &[
                "db",
                "--db",
                "store",
                "import",
                src.to_str().expect("utf-8"),
            ],
        );
        assert_eq!(code, 0, "{err}");
    }
    dir
}

const ALL: &[&str] = &["Go", "Maven", "PyPI", "crates.io", "npm"];

/// One line per match: severity (or unknown), advisory, purl, location, fixed version.
fn match_lines(report: &str) -> Vec<String> {
    let doc: Value = serde_json::from_str(report).expect("json report");
    let mut lines: Vec<String> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let p = &f["properties"];
            let severity = if p["severity_unknown"] == true {
                "unknown"
            } else {
                f["severity"].as_str().unwrap_or_default()
            };
            format!(
                "{severity} {} {} {} fixed={}{}",
                f["rule_id"].as_str().unwrap_or_default(),
                f["location"]["purl"].as_str().unwrap_or_default(),
                f["location"]["path"].as_str().unwrap_or_default(),
                p["fixed_version"].as_str().unwrap_or("-"),
                if f.get("suppressed").is_some_and(|s| !s.is_null()) {
                    " waived"
                } else {
                    ""
                }
            )
        })
        .collect();
    lines.sort();
    lines
}

#[test]
fn lockfile_fixtures_match_exactly_the_advisories_their_versions_fall_in() {
    let dir = store_with(ALL);
    let root = lockfiles("");
    let (code, out, err) = gatehouse(
        dir.path(),
        &[
            "scan",
            "--db",
            "store",
            "-o",
            "json",
            root.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 1, "high findings fail the default gate: {err}");
    let lines = match_lines(&out);
    insta::assert_snapshot!(lines.join("\n"));
    // The expectations of the shared OSV README: pnpm v6 hits the npm advisories, the gradle
    // lockfile hits the Maven one, and the fixed versions are never reported.
    for needle in [
        "GHSA-grv7-fg5c-xmjg pkg:npm/braces@2.3.2",
        "GHSA-cx7f-g6mp-7hqm pkg:maven/org.springframework/spring-webmvc@6.1.6",
    ] {
        assert!(lines.iter().any(|l| l.contains(needle)), "{needle}");
    }
    for absent in [
        "pkg:npm/braces@3.0.3",
        "pkg:npm/minimist@",
        "pkg:npm/semver@",
    ] {
        assert!(!lines.iter().any(|l| l.contains(absent)), "{absent}");
    }
    assert!(err.contains("gate failed"), "{err}");
}

#[test]
fn gate_threshold_and_unknown_severity_policy_decide_the_exit_code() {
    let dir = store_with(ALL);
    let go = lockfiles("go");
    let go = go.to_str().unwrap();
    // The Go advisories carry no severity at all: unknown counts as high unless ignored.
    let (code, out, err) = gatehouse(dir.path(), &["scan", "--db", "store", go]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("unknown"), "{out}");
    let (code, _, err) = gatehouse(
        dir.path(),
        &["scan", "--db", "store", "--unknown-severity", "ignore", go],
    );
    assert_eq!(code, 0, "{err}");
    let pnpm = lockfiles("npm/pnpm-v6");
    let pnpm = pnpm.to_str().unwrap();
    let (code, _, _) = gatehouse(
        dir.path(),
        &["scan", "--db", "store", "--fail-on", "critical", pnpm],
    );
    assert_eq!(code, 0, "no critical advisory matches pnpm v6");
    let (code, _, _) = gatehouse(dir.path(), &["scan", "--db", "store", pnpm]);
    assert_eq!(code, 1);
    let (code, _, err) = gatehouse(
        dir.path(),
        &["scan", "--db", "store", "--fail-on", "bogus", pnpm],
    );
    assert_eq!(code, 2, "{err}");
}

#[test]
fn sbom_documents_scan_like_the_tree_they_describe() {
    let dir = store_with(ALL);
    let pnpm = lockfiles("npm/pnpm-v6");
    let pnpm = pnpm.to_str().unwrap();
    let (_, direct, _) = gatehouse(dir.path(), &["scan", "--db", "store", "-o", "json", pnpm]);
    let purls = |report: &str| -> Vec<String> {
        let mut v: Vec<String> = match_lines(report)
            .iter()
            .map(|l| l.split(' ').take(3).collect::<Vec<_>>().join(" "))
            .collect();
        v.dedup();
        v
    };
    for format in ["cyclonedx", "spdx"] {
        let doc = dir.path().join(format!("app.{format}.json"));
        let (code, _, err) = gatehouse(
            dir.path(),
            &[
                "sbom",
                pnpm,
                "-o",
                format,
                "--output-file",
                doc.to_str().unwrap(),
            ],
        );
        assert_eq!(code, 0, "{err}");
        let (code, via_sbom, err) = gatehouse(
            dir.path(),
            &[
                "scan",
                "sbom",
                "--db",
                "store",
                "-o",
                "json",
                doc.to_str().unwrap(),
            ],
        );
        assert_eq!(code, 1, "{err}");
        assert_eq!(purls(&via_sbom), purls(&direct), "{format}");
        // A document given as a plain PATH is recognised by its content.
        let (_, as_path, _) = gatehouse(
            dir.path(),
            &["scan", "--db", "store", "-o", "json", doc.to_str().unwrap()],
        );
        assert_eq!(purls(&as_path), purls(&direct), "{format} as PATH");
    }
    // A directory of stored SBOMs: every document in it, other JSON skipped with a warning.
    std::fs::write(dir.path().join("notes.json"), "{\"not\": \"an sbom\"}").unwrap();
    let (code, out, err) = gatehouse(
        dir.path(),
        &["scan", "sbom", "--db", "store", "-o", "json", "."],
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("skipping ./notes.json"), "{err}");
    assert!(err.contains("2 target(s)"), "{err}");
    assert_eq!(match_lines(&out).len(), 2 * match_lines(&direct).len());
    // Not an SBOM: a usage error naming the file.
    let (code, _, err) = gatehouse(dir.path(), &["scan", "sbom", "--db", "store", "notes.json"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("notes.json") && err.contains("CycloneDX"),
        "{err}"
    );
}

#[test]
fn waivers_match_by_alias_and_purl_and_open_the_gate() {
    let dir = store_with(ALL);
    let pnpm = lockfiles("npm/pnpm-v6");
    let pnpm = pnpm.to_str().unwrap();
    let expires = (chrono::Local::now().date_naive() + chrono::Days::new(30)).to_string();
    let waivers: String = [
        ("CVE-2024-4068", "pkg:npm/braces"),
        ("GHSA-3h5v-q93c-6h6q", "pkg:npm/ws"),
        ("GHSA-9wv6-86v2-598j", "pkg:npm/path-to-regexp"),
        ("CVE-2020-28469", "pkg:npm/glob-parent@3.1.0"),
    ]
    .iter()
    .map(|(rule, target)| {
        format!(
            "  - rule: {rule}\n    target: {target}\n    reason: dev-only tooling\n    approved_by: \"@sec\"\n    expires: {expires}\n"
        )
    })
    .collect();
    std::fs::write(
        dir.path().join("waivers.yaml"),
        format!("waivers:\n{waivers}"),
    )
    .unwrap();
    let (code, out, err) = gatehouse(
        dir.path(),
        &[
            "scan",
            "--db",
            "store",
            "--ignore-file",
            "waivers.yaml",
            "-o",
            "json",
            pnpm,
        ],
    );
    assert_eq!(code, 0, "every high match is waived: {err}");
    let lines = match_lines(&out);
    assert!(
        lines
            .iter()
            .filter(|l| l.starts_with("high"))
            .all(|l| l.ends_with("waived")),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("medium") && !l.ends_with("waived"))
    );
    // A waiver without an expiry is a configuration error naming its line.
    std::fs::write(
        dir.path().join("bad.yaml"),
        "waivers:\n  - rule: CVE-2024-4068\n    reason: x\n    approved_by: me\n",
    )
    .unwrap();
    let (code, _, err) = gatehouse(
        dir.path(),
        &["scan", "--db", "store", "--waivers", "bad.yaml", pnpm],
    );
    assert_eq!(code, 2);
    assert!(err.contains("bad.yaml") && err.contains("expires"), "{err}");
}

#[test]
fn since_db_import_reports_only_what_the_last_import_changed() {
    let dir = store_with(&["Go", "Maven", "PyPI", "crates.io"]);
    let root = lockfiles("");
    let root = root.to_str().unwrap();
    let (_, before, _) = gatehouse(dir.path(), &["scan", "--db", "store", "-o", "json", root]);
    // The npm advisories arrive: the re-scan reports exactly the npm matches as new.
    let npm = fixture("scan/osv/npm");
    let (code, _, err) = gatehouse(
        dir.path(),
        &["db", "--db", "store", "import", npm.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = gatehouse(
        dir.path(),
        &[
            "scan",
            "--db",
            "store",
            "--since-db-import",
            "-o",
            "json",
            root,
        ],
    );
    assert_eq!(code, 1, "new high matches fail the gate: {err}");
    let changes: Value = serde_json::from_str(&out).unwrap();
    let new = changes["new"].as_array().unwrap();
    assert_eq!(new.len(), 10, "{out}");
    assert!(new.iter().all(|f| {
        f["location"]["purl"]
            .as_str()
            .unwrap()
            .starts_with("pkg:npm/")
    }));
    assert!(changes["fixed"].as_array().unwrap().is_empty());
    assert!(changes["severity_changed"].as_array().unwrap().is_empty());
    let (_, after, _) = gatehouse(dir.path(), &["scan", "--db", "store", "-o", "json", root]);
    assert_eq!(match_lines(&after).len(), match_lines(&before).len() + 10);
    // The table says what changed; a re-import of the same data changes nothing.
    let (_, table, _) = gatehouse(
        dir.path(),
        &["scan", "--db", "store", "--since-db-import", root],
    );
    assert!(
        table.contains("10 new, 0 severity changed, 0 no longer affected"),
        "{table}"
    );
}

#[test]
fn vex_output_is_a_cyclonedx_document_with_the_matches() {
    let dir = store_with(ALL);
    let pnpm = lockfiles("npm/pnpm-v6");
    let (_, out, _) = gatehouse(
        dir.path(),
        &[
            "scan",
            "--db",
            "store",
            "-o",
            "cyclonedx-vex",
            pnpm.to_str().unwrap(),
        ],
    );
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["bomFormat"], "CycloneDX");
    assert_eq!(doc["specVersion"], "1.6");
    let vulns = doc["vulnerabilities"].as_array().unwrap();
    assert_eq!(vulns.len(), 10);
    let refs: Vec<&str> = doc["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["bom-ref"].as_str().unwrap())
        .collect();
    for v in vulns {
        assert!(refs.contains(&v["affects"][0]["ref"].as_str().unwrap()));
        assert_eq!(v["analysis"]["state"], "in_triage");
    }
}

#[test]
fn an_empty_store_is_an_input_error_that_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let pnpm = lockfiles("npm/pnpm-v6");
    let (code, _, err) = gatehouse(
        dir.path(),
        &["scan", "--db", "empty", pnpm.to_str().unwrap()],
    );
    assert_eq!(code, 2);
    assert!(err.contains("gatehouse db import"), "{err}");
    let (code, _, err) = gatehouse(dir.path(), &["scan", "--db", "empty", "no-such-dir"]);
    assert_eq!(code, 2);
    assert!(err.contains("no-such-dir"), "{err}");
}

#[test]
fn images_are_scanned_by_layer_and_findings_name_the_digest() {
    let dir = store_with(ALL);
    let images =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../gatehouse-sbom/tests/fixtures/images");
    let mut seen = Vec::new();
    for form in ["debian-rust-go.oci", "debian-rust-go.docker-save.tar"] {
        let image = images.join(form);
        let (code, out, err) = gatehouse(
            dir.path(),
            &[
                "scan",
                "--db",
                "store",
                "-o",
                "json",
                image.to_str().unwrap(),
            ],
        );
        assert_eq!(
            code, 1,
            "the Go advisories have no severity: unknown counts as high: {err}"
        );
        let doc: Value = serde_json::from_str(&out).unwrap();
        let findings = doc["findings"].as_array().unwrap();
        let x_mod: Vec<&Value> = findings
            .iter()
            .filter(|f| f["location"]["purl"] == "pkg:golang/golang.org/x/mod@v0.38.0")
            .collect();
        assert_eq!(x_mod.len(), 2, "{out}");
        for f in &x_mod {
            assert_eq!(f["location"]["path"], "srv/app/go.mod");
            assert!(
                f["location"]["image_digest"]
                    .as_str()
                    .unwrap()
                    .starts_with("sha256:")
            );
            assert!(
                f["properties"]["layers"][0]
                    .as_str()
                    .unwrap()
                    .starts_with("sha256:")
            );
        }
        seen.push(match_lines(&out));
    }
    assert_eq!(
        seen[0], seen[1],
        "both archive forms of one image give the same matches"
    );
    // The Alpine image's npm packages are at fixed versions: nothing matches, the gate passes.
    let alpine = images.join("alpine-npm.docker-save.tar");
    let (code, out, _) = gatehouse(
        dir.path(),
        &["scan", "--db", "store", alpine.to_str().unwrap()],
    );
    assert_eq!(code, 0);
    assert_eq!(out, "no known vulnerabilities\n");
}
