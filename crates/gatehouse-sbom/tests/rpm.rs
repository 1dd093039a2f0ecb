//! RPM SQLite database (`usr/lib/sysimage/rpm/rpmdb.sqlite`) written by the real `rpm` 4.18
//! (see `fixtures/rpm/ORIGIN.md`): every package `rpm -qa` lists, with epoch, arch, source RPM,
//! licence, size and Requires → Provides edges; distro from os-release.

mod common;

use gatehouse_sbom::{Ecosystem, ScanOptions, scan_path};

#[test]
fn fedora_rpmdb_sqlite() {
    let root = common::fixture("rpm/fedora-40");
    let sbom = scan_path(&root, &ScanOptions::default()).unwrap();
    assert_eq!(sbom.subject.distro.as_deref(), Some("fedora-40"));
    let purls: Vec<String> = sbom.components.iter().map(|c| c.purl()).collect();
    assert_eq!(
        purls,
        [
            "pkg:rpm/fedora/glibc@2.39-6.fc40?arch=x86_64&distro=fedora-40&upstream=glibc-2.39-6.fc40.src.rpm",
            "pkg:rpm/fedora/hello@2.12.1-3.fc40?arch=x86_64&distro=fedora-40&upstream=hello-2.12.1-3.fc40.src.rpm",
            "pkg:rpm/fedora/openssl-libs@1:3.2.1-2.fc40?arch=x86_64&distro=fedora-40&upstream=openssl-3.2.1-2.fc40.src.rpm",
            "pkg:rpm/fedora/tzdata@2024a-5.fc40?arch=noarch&distro=fedora-40&upstream=tzdata-2024a-5.fc40.src.rpm",
        ]
    );
    let by_name = |n: &str| sbom.components.iter().find(|c| c.name == n).unwrap();
    let glibc = by_name("glibc");
    assert_eq!(glibc.ecosystem, Some(Ecosystem::Rpm));
    assert!(
        glibc
            .licenses
            .contains("LGPL-2.1-or-later AND GPL-2.0-or-later")
    );
    assert_eq!(
        glibc
            .properties
            .get("gatehouse:installed-size")
            .map(String::as_str),
        Some("6")
    );
    assert!(
        glibc
            .locations
            .contains("usr/lib/sysimage/rpm/rpmdb.sqlite")
    );
    // hello Requires libc.so.6()(64bit) (provided by glibc) and tzdata.
    let hello = by_name("hello");
    assert_eq!(hello.dependencies.len(), 2, "{:?}", hello.dependencies);
    assert!(hello.dependencies.contains(&glibc.purl()));
    assert!(hello.dependencies.contains(&by_name("tzdata").purl()));
    assert!(by_name("openssl-libs").dependencies.contains(&glibc.purl()));
}

#[test]
fn truncated_rpmdb_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(common::fixture(
        "rpm/fedora-40/usr/lib/sysimage/rpm/rpmdb.sqlite",
    ))
    .unwrap();
    let path = dir.path().join("rpmdb.sqlite");
    std::fs::write(&path, &bytes[..bytes.len() / 3]).unwrap();
    let err = scan_path(&path, &ScanOptions::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("rpmdb.sqlite"), "{err}");
}
