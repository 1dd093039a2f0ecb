//! The advisory store end to end: directory and zip imports, validation, incremental and
//! atomic re-imports, hostile archives.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeZone, Utc};
use gatehouse_vuln::Store;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/osv")
}

fn at(hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, hour, 0, 0).unwrap()
}

/// Zips every `*.json` under `dir` the way osv.dev's all.zip does (flat `<ID>.json` names).
fn zip_dir(dir: &Path, out: &Path) {
    let file = std::fs::File::create(out).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut paths: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    for p in paths {
        zip.start_file(p.file_name().unwrap().to_string_lossy(), options)
            .unwrap();
        zip.write_all(&std::fs::read(&p).unwrap()).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn directory_import_reports_and_indexes() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::new(tmp.path().join("db"));
    assert_eq!(store.status().unwrap(), None);
    let report = store.import(&[fixtures()], at(1)).unwrap();
    assert_eq!(report.read, 36);
    let rejected: Vec<&str> = report
        .rejected
        .iter()
        .map(|r| r.origin.rsplit('/').next().unwrap())
        .collect();
    assert_eq!(
        rejected,
        ["broken-truncated.json", "nointroduced-CVE-2023-41045.json"]
    );
    assert!(report.rejected[0].reason.contains("line 2"));
    assert!(
        report.rejected[1]
            .reason
            .contains("range without an introduced event")
    );
    assert_eq!(report.added.len(), 34);
    assert_eq!(report.generation, Some(1));

    let status = store.status().unwrap().unwrap();
    let counts: Vec<(&str, usize)> = status
        .ecosystems
        .iter()
        .map(|(k, v)| (k.as_str(), v.records))
        .collect();
    assert_eq!(
        counts,
        [
            ("Alpine", 1),
            ("Go", 5),
            ("Maven", 1),
            ("Packagist", 3),
            ("PyPI", 10),
            // The linter samples RHSA/SUSE name no package; the CVE one has GIT ranges only.
            ("[EMPTY]", 3),
            ("crates.io", 4),
            ("npm", 7),
        ]
    );
    assert_eq!(status.ecosystems["Go"].withdrawn, 2);
    assert!(status.ecosystems["npm"].newest_modified.is_some());
    let npm = store.load("npm").unwrap();
    assert!(npm.iter().any(|v| v.id == "GHSA-grv7-fg5c-xmjg"));
    assert!(npm.iter().all(|v| v.details.is_none()), "index is slim");
}

#[test]
fn zip_import_equals_directory_import() {
    let tmp = tempfile::tempdir().unwrap();
    let zip_path = tmp.path().join("all.zip");
    zip_dir(&fixtures(), &zip_path);
    let from_dir = Store::new(tmp.path().join("a"));
    let from_zip = Store::new(tmp.path().join("b"));
    let r1 = from_dir.import(&[fixtures()], at(1)).unwrap();
    let r2 = from_zip.import(&[zip_path], at(1)).unwrap();
    assert_eq!((r1.read, r1.added.len()), (r2.read, r2.added.len()));
    assert_eq!(r1.rejected.len(), r2.rejected.len());
    assert!(r2.rejected[0].origin.contains("all.zip!"));
    assert_eq!(from_dir.status().unwrap(), from_zip.status().unwrap());
    assert_eq!(from_dir.load_all().unwrap(), from_zip.load_all().unwrap());
}

#[test]
fn reimport_is_incremental_by_modified() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::new(tmp.path().join("db"));
    store.import(&[fixtures()], at(1)).unwrap();
    let again = store.import(&[fixtures()], at(2)).unwrap();
    assert!(again.added.is_empty() && again.updated.is_empty());
    assert_eq!(again.unchanged, 34);
    assert_eq!(again.generation, Some(1), "nothing written");
    assert_eq!(store.status().unwrap().unwrap().imported_at, at(1));

    // A newer copy of one record, an older copy of another, and a new record.
    let src = tmp.path().join("update");
    std::fs::create_dir(&src).unwrap();
    let braces = fixtures().join("npm/GHSA-grv7-fg5c-xmjg.json");
    let mut v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&braces).unwrap()).unwrap();
    v["modified"] = "2030-01-01T00:00:00Z".into();
    std::fs::write(src.join("newer.json"), v.to_string()).unwrap();
    v["id"] = "GHSA-0000-0000-0000".into();
    std::fs::write(src.join("new.json"), v.to_string()).unwrap();
    v["id"] = "GHSA-952p-6rrq-rcjv".into();
    v["modified"] = "2000-01-01T00:00:00Z".into();
    std::fs::write(src.join("older.json"), v.to_string()).unwrap();
    let r = store.import(&[src], at(3)).unwrap();
    assert_eq!(r.added, ["GHSA-0000-0000-0000"]);
    assert_eq!(r.updated, ["GHSA-grv7-fg5c-xmjg"]);
    assert_eq!(r.unchanged, 1);
    assert_eq!(r.changed_by_ecosystem["npm"], 2);
    assert_eq!(r.generation, Some(2));
    let status = store.status().unwrap().unwrap();
    assert_eq!(status.ecosystems["npm"].records, 8);
    assert_eq!(status.ecosystems["Go"].records, 5, "other ecosystems kept");
    assert_eq!(
        status.ecosystems["npm"]
            .newest_modified
            .unwrap()
            .to_rfc3339(),
        "2030-01-01T00:00:00+00:00"
    );
}

#[test]
fn interrupted_import_leaves_previous_index_usable() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("db");
    let store = Store::new(&root);
    store.import(&[fixtures().join("npm")], at(1)).unwrap();
    // A crash mid-import leaves a half-written temporary generation behind.
    let stale = root.join(".tmp-gen-000002-999");
    std::fs::create_dir_all(&stale).unwrap();
    std::fs::write(stale.join("npm.jsonl"), "{ half").unwrap();
    assert_eq!(store.load("npm").unwrap().len(), 7);
    assert_eq!(store.status().unwrap().unwrap().generation, 1);
    // A failing import (unreadable input) changes nothing.
    let err = store
        .import(&[tmp.path().join("missing.zip")], at(2))
        .unwrap_err();
    assert!(err.to_string().contains("missing.zip"));
    let not_zip = tmp.path().join("fake.zip");
    std::fs::write(&not_zip, b"not a zip").unwrap();
    let err = store.import(&[not_zip], at(2)).unwrap_err();
    assert!(
        err.to_string().contains("not a readable zip archive"),
        "{err}"
    );
    assert_eq!(store.status().unwrap().unwrap().generation, 1);
    // The next successful import cleans up and keeps one previous generation.
    store.import(&[fixtures().join("Go")], at(3)).unwrap();
    assert!(!stale.exists());
    assert!(root.join("gen-000001").exists() && root.join("gen-000002").exists());
    store.import(&[fixtures().join("Maven")], at(4)).unwrap();
    assert!(!root.join("gen-000001").exists());
    assert_eq!(store.load("npm").unwrap().len(), 7);
    // A damaged pointer is reported, not trusted.
    std::fs::write(root.join("CURRENT"), "../../etc").unwrap();
    let err = store.status().unwrap_err();
    assert!(err.to_string().contains("run `gatehouse db import` again"));
}

#[test]
fn hostile_archives_are_contained() {
    let tmp = tempfile::tempdir().unwrap();
    let zip_path = tmp.path().join("evil.zip");
    {
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        // Path traversal: the name is only a label, nothing is extracted.
        zip.start_file("../../escaped.json", options).unwrap();
        zip.write_all(&std::fs::read(fixtures().join("npm/GHSA-xvch-5gv4-984h.json")).unwrap())
            .unwrap();
        // A bomb: 17 MiB of spaces compress to a few KiB.
        zip.start_file("bomb.json", options).unwrap();
        let chunk = vec![b' '; 1024 * 1024];
        for _ in 0..17 {
            zip.write_all(&chunk).unwrap();
        }
        zip.finish().unwrap();
    }
    let store = Store::new(tmp.path().join("db"));
    let report = store.import(&[zip_path], at(1)).unwrap();
    assert_eq!(report.added, ["GHSA-xvch-5gv4-984h"]);
    assert_eq!(report.rejected.len(), 1);
    assert!(report.rejected[0].reason.contains("zip bomb"));
    assert!(!tmp.path().join("escaped.json").exists());
    assert!(!tmp.path().parent().unwrap().join("escaped.json").exists());
}

#[test]
fn one_import_at_a_time() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("db");
    std::fs::create_dir_all(&root).unwrap();
    let store = Store::new(&root);
    // A live holder (this very process) blocks a second import.
    std::fs::write(
        root.join(".import.lock"),
        format!("{}\n", std::process::id()),
    )
    .unwrap();
    let err = store.import(&[fixtures().join("npm")], at(1)).unwrap_err();
    assert!(
        err.to_string().contains("another import is running"),
        "{err}"
    );
    assert_eq!(store.status().unwrap(), None);
    // A lock left by a dead process is taken over, and released afterwards.
    if Path::new("/proc/self").exists() {
        std::fs::write(root.join(".import.lock"), "4294967\n").unwrap();
        store.import(&[fixtures().join("npm")], at(1)).unwrap();
        assert!(!root.join(".import.lock").exists());
    }
}

#[test]
fn package_loads_read_only_the_named_records_through_the_name_index() {
    use std::collections::{BTreeMap, BTreeSet};
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::new(tmp.path().join("store"));
    store.import(&[fixtures()], at(1)).unwrap();
    let want = |pairs: &[(&str, &str)]| {
        let mut m: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (eco, name) in pairs {
            m.entry((*eco).to_owned())
                .or_default()
                .insert((*name).to_owned());
        }
        m
    };
    let ids = |pairs: &[(&str, &str)]| -> Vec<String> {
        let (_, records) = store.load_packages(&want(pairs), false).unwrap().unwrap();
        let mut ids: Vec<String> = records.into_iter().map(|v| v.id).collect();
        ids.sort();
        ids
    };
    // Each name gets exactly the records that name it in that ecosystem.
    assert_eq!(ids(&[("npm", "braces")]), ["GHSA-grv7-fg5c-xmjg"]);
    assert_eq!(
        ids(&[
            ("npm", "braces"),
            ("Maven", "org.springframework:spring-webmvc")
        ]),
        ["GHSA-cx7f-g6mp-7hqm", "GHSA-grv7-fg5c-xmjg"]
    );
    assert!(ids(&[("npm", "no-such-package"), ("Hex", "phoenix")]).is_empty());
    // Names are looked up normalized (PyPI: case and separators).
    let all_pypi = store.load("PyPI").unwrap();
    let first = &all_pypi[0].affected[0].package.as_ref().unwrap().name;
    let normalized = gatehouse_vuln::matcher::normalize_name("PyPI", first);
    assert!(ids(&[("PyPI", &normalized)]).contains(&all_pypi[0].id));
    // The union over every name equals the whole ecosystem.
    let names: Vec<String> = all_pypi
        .iter()
        .flat_map(|v| v.affected.iter())
        .filter_map(|a| a.package.as_ref())
        .map(|p| gatehouse_vuln::matcher::normalize_name("PyPI", &p.name))
        .collect();
    let pairs: Vec<(&str, &str)> = names.iter().map(|n| ("PyPI", n.as_str())).collect();
    let mut expected: Vec<String> = all_pypi.iter().map(|v| v.id.clone()).collect();
    expected.sort();
    assert_eq!(ids(&pairs), expected);
}

#[test]
fn stores_without_a_name_index_still_load_and_previous_generations_are_reachable() {
    use std::collections::{BTreeMap, BTreeSet};
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("store");
    let store = Store::new(&root);
    store.import(&[fixtures().join("npm")], at(1)).unwrap();
    store.import(&[fixtures().join("Maven")], at(2)).unwrap();
    let wanted: BTreeMap<String, BTreeSet<String>> = [
        ("npm".to_owned(), ["braces".to_owned()].into()),
        (
            "Maven".to_owned(),
            ["org.springframework:spring-webmvc".to_owned()].into(),
        ),
    ]
    .into();
    let (m, now) = store.load_packages(&wanted, false).unwrap().unwrap();
    assert_eq!((m.generation, now.len()), (2, 2));
    let (m, before) = store.load_packages(&wanted, true).unwrap().unwrap();
    assert_eq!((m.generation, before.len()), (1, 1));
    // A store written before the name index existed: the manifest has no `names_file`.
    let current = std::fs::read_to_string(root.join("CURRENT")).unwrap();
    let manifest_path = root.join(current.trim()).join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest_path).unwrap()).unwrap();
    for status in manifest["ecosystems"].as_object_mut().unwrap().values_mut() {
        status.as_object_mut().unwrap().remove("names_file");
    }
    std::fs::write(&manifest_path, manifest.to_string()).unwrap();
    // Without the index the whole files of the wanted ecosystems are read (7 npm + 1 Maven
    // records); matching filters by name afterwards.
    let (_, legacy) = store.load_packages(&wanted, false).unwrap().unwrap();
    assert_eq!(legacy.len(), 8);
    assert!(legacy.iter().any(|v| v.id == "GHSA-grv7-fg5c-xmjg"));
}
