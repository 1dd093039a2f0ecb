//! One snapshot per fixture: every component with its scope, directness, hash algorithms and
//! dependency count, so a cataloger change shows up as a reviewable diff. Two small fixtures
//! are also snapshotted as full CycloneDX and SPDX documents.

mod common;

use std::fmt::Write as _;

use gatehouse_sbom::format::{WriteOptions, cyclonedx, spdx};
use gatehouse_sbom::{Sbom, ScanOptions, scan_path};

/// Scans a fixture by its path relative to the crate (tests run in the crate directory), so the
/// subject's name and the content-derived serial number do not depend on where the checkout is.
fn scan(rel: &str) -> Sbom {
    let path = std::path::Path::new("tests/fixtures").join(rel);
    assert!(
        path.exists(),
        "tests run from the crate directory: {}",
        path.display()
    );
    scan_path(&path, &ScanOptions::default()).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn summary(sbom: &Sbom) -> String {
    let mut out = String::new();
    for c in &sbom.components {
        let direct = match c.direct {
            Some(true) => "direct",
            Some(false) => "transitive",
            None => "-",
        };
        let algs: Vec<&str> = c.hashes.iter().map(|h| h.alg.cyclonedx()).collect();
        let _ = writeln!(
            out,
            "{} {} {} hashes={} deps={}",
            c.purl(),
            c.scope.as_str(),
            direct,
            if algs.is_empty() {
                "-".to_owned()
            } else {
                algs.join(",")
            },
            c.dependencies.len()
        );
    }
    out
}

macro_rules! fixture_snapshot {
    ($name:ident, $rel:expr) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(summary(&scan($rel)));
        }
    };
}

fixture_snapshot!(npm_package_lock_v3, "lockfiles/npm/package-lock-v3");
fixture_snapshot!(yarn_v1, "lockfiles/npm/yarn-v1");
fixture_snapshot!(yarn_berry, "lockfiles/npm/yarn-berry");
fixture_snapshot!(pnpm_v6, "lockfiles/npm/pnpm-v6");
fixture_snapshot!(pnpm_v9, "lockfiles/npm/pnpm-v9");
fixture_snapshot!(cargo_v3, "lockfiles/cargo/v3");
fixture_snapshot!(cargo_v4, "lockfiles/cargo/v4");
fixture_snapshot!(poetry, "lockfiles/pypi/poetry");
fixture_snapshot!(uv, "lockfiles/pypi/uv");
fixture_snapshot!(pipenv, "lockfiles/pypi/pipenv");
fixture_snapshot!(requirements, "lockfiles/pypi/requirements-hashes");
fixture_snapshot!(go_mod, "lockfiles/go");
fixture_snapshot!(gemfile_bundler4, "lockfiles/rubygems/bundler4-checksums");
fixture_snapshot!(gemfile_jekyll, "lockfiles/rubygems/jekyll");
fixture_snapshot!(composer, "lockfiles/packagist");
fixture_snapshot!(maven_pom, "lockfiles/maven");
fixture_snapshot!(gradle, "lockfiles/gradle");
fixture_snapshot!(nuget, "lockfiles/nuget");
fixture_snapshot!(dpkg_debian_12, "lockfiles/os/debian-12");
fixture_snapshot!(apk_alpine_3_14, "lockfiles/os/alpine-3.14");
fixture_snapshot!(image_alpine_npm, "images/alpine-npm.docker-save.tar");
fixture_snapshot!(image_debian_rust_go, "images/debian-rust-go.oci");

fn opts() -> WriteOptions {
    WriteOptions {
        timestamp: Some("2026-01-01T00:00:00Z".into()),
    }
}

#[test]
fn cyclonedx_document_apk() {
    insta::assert_json_snapshot!(cyclonedx::to_value(
        &scan("lockfiles/os/alpine-3.14"),
        &opts()
    ));
}

#[test]
fn spdx_document_apk() {
    insta::assert_json_snapshot!(spdx::to_value(&scan("lockfiles/os/alpine-3.14"), &opts()));
}

#[test]
fn cyclonedx_document_cargo_v3() {
    insta::assert_json_snapshot!(cyclonedx::to_value(&scan("lockfiles/cargo/v3"), &opts()));
}
