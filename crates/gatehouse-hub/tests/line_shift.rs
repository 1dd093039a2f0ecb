//! Findings that moved lines, or whose title names the installed version, stay the same
//! findings on reimport and are duplicates on import (DefectDojo #13681, #14205, #11129): the
//! line-free fallback after the exact `hash_code` / tool id match. Paired fixtures, exact
//! statistics, both backends.

#[macro_use]
mod common;

use common::*;
use gatehouse_hub::client::MultipartBody;
use serde_json::Value;

/// `(title, file_path, line)` → the finding of `test` at that place, by rule title and path.
fn at<'a>(findings: &'a [Value], title: &str, path: &str, line: i64) -> &'a Value {
    findings
        .iter()
        .find(|f| {
            f["title"].as_str().is_some_and(|t| t.starts_with(title))
                && f["file_path"] == path
                && f["line"] == line
        })
        .unwrap_or_else(|| panic!("no {title} at {path}:{line} in {findings:?}"))
}

fn ids(findings: &[Value]) -> Vec<i64> {
    findings.iter().filter_map(|f| f["id"].as_i64()).collect()
}

/// v1 → v2: five findings moved (two of them on identical text, paired by nearest line), one
/// rewritten, one dropped, one added. v2 again: identical. v3 (v1 with the eval three lines
/// lower): everything moves back, the closed eval is reactivated at its new line.
async fn moved_sarif_findings_are_kept_not_closed_and_created(backend: Backend) {
    let hub = start(backend).await;
    let body = hub.import(sarif_form("sarif-lines-v1.sarif")).await;
    let test = test_id(&body);
    assert_eq!(stat(&body, "after", "total", "total"), 7);
    let before = hub.findings(&format!("test={test}")).await;
    let first_md5 = at(&before, "Weak hash", "app/crypto.py", 20)["id"].clone();
    let second_md5 = at(&before, "Weak hash", "app/crypto.py", 60)["id"].clone();
    let args_query = at(&before, "SQL query", "app/db.py", 12)["id"].clone();
    let eval = at(&before, "Use of eval", "app/util.py", 7)["id"].clone();

    let body = hub
        .reimport(reimport_form("SARIF", test, "sarif-lines-v2.sarif"))
        .await;
    assert_eq!(totals(&body), [2, 2, 0, 5], "{body}");
    assert_eq!(stat(&body, "after", "total", "total"), 9);
    assert_eq!(stat(&body, "after", "total", "active"), 7);
    assert_eq!(stat(&body, "after", "total", "is_mitigated"), 2);
    let after = hub.findings(&format!("test={test}")).await;
    // The same rows, now at the report's lines.
    assert_eq!(
        at(&after, "Weak hash", "app/crypto.py", 22)["id"],
        first_md5
    );
    assert_eq!(
        at(&after, "Weak hash", "app/crypto.py", 63)["id"],
        second_md5
    );
    let moved = at(&after, "SQL query", "app/db.py", 15);
    assert_eq!(moved["id"], args_query);
    assert_eq!(moved["active"], true);
    let closed = at(&after, "Use of eval", "app/util.py", 7);
    assert_eq!(
        (closed["active"].clone(), closed["is_mitigated"].clone()),
        (false.into(), true.into())
    );
    // Rewritten code is a new finding; the old one is closed.
    assert_eq!(
        at(&after, "Debug mode", "app/settings.py", 10)["is_mitigated"],
        true
    );
    assert_eq!(
        at(&after, "Debug mode", "app/settings.py", 11)["active"],
        true
    );
    assert_eq!(
        at(&after, "Open redirect", "app/views.py", 9)["active"],
        true
    );

    // The moved rows took the report's hash_code: the same report again matches exactly.
    let body = hub
        .reimport(reimport_form("SARIF", test, "sarif-lines-v2.sarif"))
        .await;
    assert_eq!(totals(&body), [0, 0, 0, 7], "{body}");

    let body = hub
        .reimport(reimport_form("SARIF", test, "sarif-lines-v3.sarif"))
        .await;
    assert_eq!(totals(&body), [0, 2, 2, 5], "{body}");
    assert_eq!(stat(&body, "after", "total", "total"), 9);
    assert_eq!(stat(&body, "after", "total", "active"), 7);
    let last = hub.findings(&format!("test={test}")).await;
    assert_eq!(ids(&last), ids(&after), "no finding was created");
    let back = at(&last, "Use of eval", "app/util.py", 9);
    assert_eq!(back["id"], eval);
    assert_eq!(
        (back["active"].clone(), back["is_mitigated"].clone()),
        (true.into(), false.into())
    );
    assert_eq!(at(&last, "Weak hash", "app/crypto.py", 20)["id"], first_md5);
    assert_eq!(
        at(&last, "Weak hash", "app/crypto.py", 60)["id"],
        second_md5
    );
}

/// Trivy's title is `<id> <package> <installed version>`: a patch bump that does not fix the
/// CVE changes only the version; the findings stay and show the new version. A second CVE on
/// the same package is a new finding.
async fn a_version_bump_keeps_dependency_findings(backend: Backend) {
    let hub = start(backend).await;
    let body = hub
        .import(form("Trivy Scan", "P1", "E1", "trivy-openssl.json"))
        .await;
    let test = test_id(&body);
    let before = hub.findings(&format!("test={test}")).await;
    let openssl = before
        .iter()
        .find(|f| f["component_name"] == "openssl")
        .expect("openssl finding")["id"]
        .clone();
    let body = hub
        .reimport(reimport_form(
            "Trivy Scan",
            test,
            "trivy-openssl-bumped.json",
        ))
        .await;
    assert_eq!(totals(&body), [1, 0, 0, 2], "{body}");
    assert_eq!(stat(&body, "after", "total", "active"), 3);
    let after = hub.findings(&format!("test={test}")).await;
    let kept = after
        .iter()
        .find(|f| f["id"] == openssl)
        .expect("the openssl finding is still there");
    assert_eq!(kept["title"], "CVE-2024-0727 openssl 3.0.11-1~deb12u3");
    assert_eq!(kept["component_version"], "3.0.11-1~deb12u3");
    assert_eq!(kept["active"], true);
    assert!(
        after
            .iter()
            .any(|f| f["title"] == "CVE-2024-5535 openssl 3.0.11-1~deb12u3"),
        "{after:?}"
    );
}

/// Grype's title is `<id> in <package>:<version>` and its hash fields include the version; a
/// patch bump (in a newer image tag) keeps the finding.
async fn a_version_bump_keeps_grype_findings(backend: Backend) {
    let hub = start(backend).await;
    let body = hub
        .import(form("Anchore Grype", "P1", "E1", "grype-openssl.json"))
        .await;
    let test = test_id(&body);
    let id = hub.findings(&format!("test={test}")).await[0]["id"].clone();
    let body = hub
        .reimport(reimport_form(
            "Anchore Grype",
            test,
            "grype-openssl-bumped.json",
        ))
        .await;
    assert_eq!(totals(&body), [0, 0, 0, 1], "{body}");
    let after = hub.findings(&format!("test={test}")).await;
    assert_eq!(after.len(), 1);
    assert_eq!(after[0]["id"], id);
    assert_eq!(
        after[0]["title"],
        "CVE-2024-0727 in openssl:3.0.11-1~deb12u3"
    );
    assert_eq!(after[0]["active"], true);
}

/// Import dedupe: the moved report imported into a second engagement of the product has the
/// moved and unchanged items as duplicates of the first engagement's findings; the rewritten
/// and the new one are originals.
async fn moved_findings_are_duplicates_on_import(backend: Backend) {
    let hub = start(backend).await;
    let first = test_id(&hub.import(sarif_form("sarif-lines-v1.sarif")).await);
    let originals = ids(&hub.findings(&format!("test={first}")).await);
    let body = hub
        .import(form("SARIF", "P1", "E2", "sarif-lines-v2.sarif"))
        .await;
    assert_eq!(stat(&body, "after", "total", "total"), 7);
    assert_eq!(stat(&body, "after", "total", "duplicate"), 5, "{body}");
    assert_eq!(stat(&body, "after", "total", "active"), 2);
    let second = hub.findings(&format!("test={}", test_id(&body))).await;
    let md5 = at(&second, "Weak hash", "app/crypto.py", 63);
    assert_eq!(md5["duplicate"], true);
    let first_findings = hub.findings(&format!("test={first}")).await;
    assert_eq!(
        md5["duplicate_finding"],
        at(&first_findings, "Weak hash", "app/crypto.py", 60)["id"]
    );
    for f in &second {
        if f["duplicate"] == true {
            let original = f["duplicate_finding"].as_i64().expect("original");
            assert!(originals.contains(&original), "{f}");
        }
    }
    // The trends count only originals: 7 from the first import, 2 from the second.
    let open = hub.count("/api/v2/findings/?active=true").await;
    assert_eq!(open, 9);
}

/// Import with `close_old_findings` into the same engagement: findings the new report has at
/// other lines stay open; only the dropped and the rewritten ones close.
async fn close_old_findings_keeps_moved_findings_open(backend: Backend) {
    let hub = start(backend).await;
    let first = test_id(&hub.import(sarif_form("sarif-lines-v1.sarif")).await);
    let body = hub
        .import(sarif_form("sarif-lines-v2.sarif").text("close_old_findings", "true"))
        .await;
    assert_eq!(stat(&body, "after", "total", "duplicate"), 5, "{body}");
    let old = hub.findings(&format!("test={first}")).await;
    let closed: Vec<&str> = old
        .iter()
        .filter(|f| f["is_mitigated"] == true)
        .filter_map(|f| f["title"].as_str())
        .collect();
    assert_eq!(closed.len(), 2, "{closed:?}");
    assert!(closed.iter().any(|t| t.starts_with("Use of eval")));
    assert!(closed.iter().any(|t| t.starts_with("Debug mode")));
    assert_eq!(
        old.iter().filter(|f| f["active"] == true).count(),
        5,
        "{old:?}"
    );
}

/// A report of DefectDojo's semgrep fixtures (`unittests/scans/semgrep/`).
fn semgrep(file: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../gatehouse-ingest/tests/fixtures/semgrep/{file}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture")
}

/// DefectDojo's own paired semgrep reports: one finding at line 31, then at line 24 with a
/// different `extra.fingerprint` (its tool id): neither the tool id nor the `hash_code`
/// (legacy fields, with `line`) match, DefectDojo closes and creates; gatehouse keeps it.
async fn defectdojo_semgrep_finding_moved_with_a_new_tool_id(backend: Backend) {
    let hub = start(backend).await;
    let report = |file: &str| {
        MultipartBody::default()
            .text("scan_type", "Semgrep JSON Report")
            .file("file", file, &semgrep(file))
    };
    let body = hub
        .import(
            report("close_old_findings_report_line31.json")
                .text("product_type_name", "PT1")
                .text("product_name", "P1")
                .text("engagement_name", "E1")
                .text("auto_create_context", "true"),
        )
        .await;
    let test = test_id(&body);
    let before = hub.findings(&format!("test={test}")).await;
    assert_eq!(before.len(), 1);
    assert_eq!(before[0]["line"], 31);
    let id = before[0]["id"].clone();
    for (file, line) in [
        (
            "close_old_findings_report_third_run_different_unique_id.json",
            24,
        ),
        ("close_old_findings_report_line31.json", 31),
    ] {
        let body = hub
            .reimport(report(file).text("test", &test.to_string()))
            .await;
        assert_eq!(totals(&body), [0, 0, 0, 1], "{file}: {body}");
        let after = hub.findings(&format!("test={test}")).await;
        assert_eq!(after.len(), 1, "{file}");
        assert_eq!(
            (after[0]["id"].clone(), after[0]["line"].clone()),
            (id.clone(), line.into())
        );
        assert_eq!(after[0]["active"], true);
    }
}

/// Items a reimport creates are deduped like an import's: reimporting the moved report into a
/// test of another engagement makes its moved and unchanged items duplicates of the first
/// engagement's findings.
async fn items_a_reimport_creates_are_deduped_line_free(backend: Backend) {
    let hub = start(backend).await;
    let first = test_id(&hub.import(sarif_form("sarif-lines-v1.sarif")).await);
    // Another SARIF test in the product: DefectDojo's five shellcheck results.
    let other = test_id(
        &hub.import(form("SARIF", "P1", "E2", "sarif-full.sarif"))
            .await,
    );
    let body = hub
        .reimport(reimport_form("SARIF", other, "sarif-lines-v2.sarif"))
        .await;
    assert_eq!(
        [
            delta(&body, "created", "total"),
            delta(&body, "created", "duplicate"),
            delta(&body, "created", "active"),
            delta(&body, "closed", "total"),
            delta(&body, "untouched", "total"),
        ],
        [7, 5, 2, 5, 0],
        "{body}"
    );
    assert_eq!(stat(&body, "after", "total", "active"), 2);
    let originals = ids(&hub.findings(&format!("test={first}")).await);
    let duplicates = hub.findings(&format!("test={other}&duplicate=true")).await;
    assert_eq!(duplicates.len(), 5);
    for f in &duplicates {
        let original = f["duplicate_finding"].as_i64().expect("original");
        assert!(originals.contains(&original), "{f}");
    }
    // Open: the first test's 7 and the 2 new findings.
    assert_eq!(hub.count("/api/v2/findings/?active=true").await, 9);
}

on_both_backends!(
    a_version_bump_keeps_grype_findings,
    items_a_reimport_creates_are_deduped_line_free,
    defectdojo_semgrep_finding_moved_with_a_new_tool_id,
    moved_sarif_findings_are_kept_not_closed_and_created,
    a_version_bump_keeps_dependency_findings,
    moved_findings_are_duplicates_on_import,
    close_old_findings_keeps_moved_findings_open,
);
