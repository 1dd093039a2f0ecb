//! CycloneDX 1.6 and SPDX 2.3 output validates against the official schemas, is
//! deterministic, and reads back into the same components.

mod common;

use gatehouse_sbom::format::{WriteOptions, cyclonedx, spdx};
use gatehouse_sbom::{Sbom, ScanOptions, scan_path};
use serde_json::Value;

fn scan(rel: &str) -> Sbom {
    scan_path(&common::fixture(rel), &ScanOptions::default())
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn opts() -> WriteOptions {
    WriteOptions {
        timestamp: Some("2026-01-01T00:00:00Z".into()),
    }
}

/// The whole lockfile tree (every cataloger, 5,000+ components), both images, and an RPM
/// database (epochs and source RPMs in purls).
const SUBJECTS: &[&str] = &[
    "lockfiles",
    "images/alpine-npm.oci",
    "images/debian-rust-go.docker-save.tar",
    "rpm/fedora-40",
];

#[test]
fn cyclonedx_validates_against_the_1_6_schema() {
    for rel in SUBJECTS {
        let doc = cyclonedx::to_value(&scan(rel), &opts());
        let errors = common::cyclonedx_errors(&doc);
        assert!(
            errors.is_empty(),
            "{rel}: {:#?}",
            &errors[..errors.len().min(10)]
        );
    }
}

#[test]
fn spdx_validates_against_the_2_3_schema() {
    for rel in SUBJECTS {
        let doc = spdx::to_value(&scan(rel), &opts());
        let errors = common::spdx_errors(&doc);
        assert!(
            errors.is_empty(),
            "{rel}: {:#?}",
            &errors[..errors.len().min(10)]
        );
    }
}

#[test]
fn output_is_deterministic_with_content_derived_ids() {
    let a = cyclonedx::to_string(&scan("lockfiles/cargo/v3"), &opts());
    let b = cyclonedx::to_string(&scan("lockfiles/cargo/v3"), &opts());
    assert_eq!(a, b);
    let other = cyclonedx::to_string(&scan("lockfiles/cargo/v4"), &opts());
    let serial = |s: &str| serde_json::from_str::<Value>(s).unwrap()["serialNumber"].clone();
    assert_ne!(serial(&a), serial(&other));
    let s1 = spdx::to_string(&scan("lockfiles/cargo/v3"), &opts());
    let s2 = spdx::to_string(&scan("lockfiles/cargo/v3"), &opts());
    assert_eq!(s1, s2);
}

fn assert_same(a: &Sbom, b: &Sbom, what: &str) {
    assert_eq!(a.components.len(), b.components.len(), "{what}");
    for (x, y) in a.components.iter().zip(&b.components) {
        assert_eq!(x.purl(), y.purl(), "{what}");
        assert_eq!(x.hashes, y.hashes, "{what}: {}", x.purl());
        assert_eq!(x.dependencies, y.dependencies, "{what}: {}", x.purl());
        assert_eq!(x.scope, y.scope, "{what}: {}", x.purl());
        assert_eq!(x.locations, y.locations, "{what}: {}", x.purl());
        assert_eq!(x.layers, y.layers, "{what}: {}", x.purl());
    }
}

#[test]
fn both_formats_read_back() {
    for rel in SUBJECTS {
        let sbom = scan(rel);
        let cdx = cyclonedx::from_str(&cyclonedx::to_string(&sbom, &opts())).unwrap();
        assert_same(&sbom, &cdx, &format!("{rel} via CycloneDX"));
        assert_eq!(cdx.subject.digest, sbom.subject.digest);
        let sp = spdx::from_str(&spdx::to_string(&sbom, &opts())).unwrap();
        assert_same(&sbom, &sp, &format!("{rel} via SPDX"));
        assert_eq!(sp.subject.digest, sbom.subject.digest);
    }
}

#[test]
fn readers_reject_other_documents_with_a_hint() {
    let e = cyclonedx::from_str(r#"{"spdxVersion": "SPDX-2.3"}"#)
        .unwrap_err()
        .to_string();
    assert!(e.contains("is this a CycloneDX JSON SBOM?"), "{e}");
    let e = spdx::from_str("{\n  \"packages\": [,]\n}")
        .unwrap_err()
        .to_string();
    assert!(e.contains("line 2, column"), "{e}");
}
