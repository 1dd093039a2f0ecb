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

/// A docker-save tarball from layers of (path, content) entries, in a temp dir.
fn image(dir: &tempfile::TempDir, layers: &[&[(&str, &str)]]) -> std::path::PathBuf {
    let mut names = Vec::new();
    let mut diff_ids = Vec::new();
    let mut outer = tar::Builder::new(Vec::new());
    let add = |b: &mut tar::Builder<Vec<u8>>, name: &str, data: &[u8]| {
        let mut h = tar::Header::new_ustar();
        h.set_path(name).unwrap();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append(&h, data).unwrap();
    };
    for (i, layer) in layers.iter().enumerate() {
        let mut inner = tar::Builder::new(Vec::new());
        for (path, content) in *layer {
            add(&mut inner, path, content.as_bytes());
        }
        let bytes = inner.into_inner().unwrap();
        let name = format!("l{i}/layer.tar");
        add(&mut outer, &name, &bytes);
        names.push(format!("\"{name}\""));
        diff_ids.push(format!("\"sha256:{:064x}\"", i + 1));
    }
    let config = format!(
        r#"{{"rootfs":{{"type":"layers","diff_ids":[{}]}}}}"#,
        diff_ids.join(",")
    );
    add(&mut outer, "config.json", config.as_bytes());
    let manifest = format!(
        r#"[{{"Config":"config.json","RepoTags":["t:1"],"Layers":[{}]}}]"#,
        names.join(",")
    );
    add(&mut outer, "manifest.json", manifest.as_bytes());
    let p = dir.path().join("image.tar");
    std::fs::write(&p, outer.into_inner().unwrap()).unwrap();
    p
}

#[test]
fn installed_node_modules_whiteouts_and_opaque_dirs() {
    let dir = tempfile::tempdir().unwrap();
    let p = image(
        &dir,
        &[
            &[
                (
                    "app/node_modules/@s/a/package.json",
                    r#"{"name": "@s/a", "version": "1.0.0", "license": "MIT"}"#,
                ),
                (
                    "app/node_modules/b/package.json",
                    r#"{"name": "b", "version": "2.0.0"}"#,
                ),
                (
                    "app/node_modules/b/test/package.json",
                    r#"{"name": "fixture", "version": "0.0.0"}"#,
                ),
                (
                    "srv/Cargo.lock",
                    "version = 3\n[[package]]\nname = \"old\"\nversion = \"1.0.0\"\n",
                ),
            ],
            &[
                ("app/node_modules/.wh.b", ""),
                ("srv/.wh..wh..opq", ""),
                (
                    "srv/Cargo.lock",
                    "version = 3\n[[package]]\nname = \"new\"\nversion = \"2.0.0\"\n",
                ),
            ],
        ],
    );
    let sbom = scan_path(&p, &ScanOptions::default()).unwrap();
    let got: Vec<(String, Vec<String>)> = sbom
        .components
        .iter()
        .map(|c| (c.purl(), c.layers.iter().cloned().collect()))
        .collect();
    let l1 = format!("sha256:{:064x}", 1);
    let l2 = format!("sha256:{:064x}", 2);
    assert_eq!(
        got,
        [
            ("pkg:cargo/new@2.0.0".to_owned(), vec![l2]),
            ("pkg:npm/%40s/a@1.0.0".to_owned(), vec![l1]),
        ]
    );
}

#[test]
fn gzip_compressed_docker_save() {
    use std::io::Write as _;
    let raw = std::fs::read(common::fixture("images/alpine-npm.docker-save.tar")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("alpine-npm.tar.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&raw).unwrap();
    std::fs::write(&p, gz.finish().unwrap()).unwrap();
    let sbom = scan_path(&p, &ScanOptions::default()).unwrap();
    assert_eq!(purls(&sbom), purls(&scan("alpine-npm.docker-save.tar")));
    // Truncated compressed input is an error, not a partial SBOM.
    let bytes = std::fs::read(&p).unwrap();
    std::fs::write(&p, &bytes[..bytes.len() / 2]).unwrap();
    assert!(scan_path(&p, &ScanOptions::default()).is_err());
}
