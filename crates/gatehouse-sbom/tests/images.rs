//! Container images: `docker save` tarballs and OCI layouts give the same components, layers
//! are applied in order, and the whiteout in alpine-npm's third layer deletes the
//! requirements file (cdxgen ignores it and reports 44 PyPI packages).

mod common;

use gatehouse_sbom::{Sbom, ScanOptions, scan_path};

fn scan(name: &str) -> Sbom {
    scan_path(
        &common::fixture(&format!("images/{name}")),
        &ScanOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn purls(s: &Sbom) -> Vec<String> {
    s.components.iter().map(|c| c.purl()).collect()
}

#[test]
fn alpine_npm_honours_the_whiteout() {
    for name in ["alpine-npm.docker-save.tar", "alpine-npm.oci"] {
        let sbom = scan(name);
        let counts = sbom.counts();
        assert_eq!(counts.get("apk"), Some(&26), "{name}");
        assert_eq!(counts.get("npm"), Some(&542), "{name}");
        assert_eq!(
            counts.get("pypi"),
            None,
            "{name}: app/requirements.txt is whited out"
        );
        assert_eq!(sbom.subject.distro.as_deref(), Some("alpine-3.14.0"));
        assert_eq!(sbom.subject.kind, "container");
        // Each component records the layer that introduced its file.
        let layer1 = "sha256:bd4895dff0221ba042aa866360e847d3a21ed8975d0d1d2ab2e7838dacbef94c";
        let layer2 = "sha256:daa5035dc7ff85c6159a29195a3177e1ae4ba3a5fbba3733c22e445ec652695c";
        for c in &sbom.components {
            let expected = if c.ecosystem == Some(gatehouse_sbom::Ecosystem::Apk) {
                layer1
            } else {
                layer2
            };
            assert!(
                c.layers.contains(expected),
                "{name}: {} layers {:?}",
                c.purl(),
                c.layers
            );
        }
    }
    assert_eq!(
        purls(&scan("alpine-npm.docker-save.tar")),
        purls(&scan("alpine-npm.oci"))
    );
}

#[test]
fn debian_rust_go() {
    for name in ["debian-rust-go.docker-save.tar", "debian-rust-go.oci"] {
        let sbom = scan(name);
        let counts = sbom.counts();
        // cdxgen reports 995 deb (it adds source packages as components); we report the 707
        // installed binary packages and keep the source package as a property.
        assert_eq!(counts.get("deb"), Some(&707), "{name}");
        assert_eq!(counts.get("cargo"), Some(&68), "{name}");
        assert_eq!(counts.get("golang"), Some(&164), "{name}");
        assert_eq!(sbom.subject.distro.as_deref(), Some("debian-12.11"));
        assert!(
            sbom.subject
                .digest
                .as_deref()
                .is_some_and(|d| d.starts_with("sha256:"))
        );
    }
    assert_eq!(
        purls(&scan("debian-rust-go.docker-save.tar")),
        purls(&scan("debian-rust-go.oci"))
    );
}
