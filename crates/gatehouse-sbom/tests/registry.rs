//! Images in a real registry (Debian's distribution on loopback, started by
//! `scripts/start-registry.sh`): the fixture OCI layouts are pushed with gatehouse-oci, then
//! scanned by tag and by digest; the SBOM must equal the one of the local layout, layer by layer,
//! with the manifest digest as subject. A tampered layer fails the scan.
#![cfg(feature = "registry")]

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};

use gatehouse_oci::blocking::Registry;
use gatehouse_oci::{ImageRef, RegistryOptions};
use gatehouse_sbom::source::Target;
use gatehouse_sbom::source::registry::scan_registry;
use gatehouse_sbom::{ScanOptions, scan_path};

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!(
            "{name} is not set: the registry tests need the local registries. \
             Run `eval \"$(scripts/start-registry.sh)\"` first."
        )
    })
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn fresh_repo(tag: &str) -> ImageRef {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    ImageRef::parse(&format!(
        "{}/gatehouse-sbom-test/r{}-{n}-{nanos}:{tag}",
        env("GATEHOUSE_TEST_REGISTRY"),
        std::process::id()
    ))
    .unwrap()
}

#[test]
fn registry_image_by_tag_and_digest_equals_the_local_layout() {
    let reg = Registry::new(RegistryOptions::default()).unwrap();
    for name in ["alpine-npm.oci", "debian-rust-go.oci"] {
        let layout = common::fixture(&format!("images/{name}"));
        let local = scan_path(&layout, &ScanOptions::default()).unwrap();
        let target = fresh_repo("v1");
        let digest = reg.push_layout(&layout, &target).unwrap();
        assert_eq!(
            local.subject.digest.as_deref(),
            Some(digest.as_str()),
            "{name}"
        );

        for r in [target.clone(), target.with_digest(&digest)] {
            let (sbom, resolved) = scan_registry(&reg, &r, &ScanOptions::default())
                .unwrap_or_else(|e| panic!("{r}: {e}"));
            assert_eq!(resolved.manifest_digest, digest, "{r}");
            assert_eq!(sbom.subject.digest.as_deref(), Some(digest.as_str()), "{r}");
            assert_eq!(sbom.subject.kind, "container");
            assert_eq!(sbom.subject.name, r.to_string());
            assert_eq!(sbom.subject.distro, local.subject.distro, "{r}");
            assert_eq!(sbom.components.len(), local.components.len(), "{r}");
            // Same components, purls, scopes, hashes, locations and introducing layers.
            assert!(
                sbom.components == local.components,
                "{r}: components differ"
            );
            assert_eq!(sbom.warnings, local.warnings, "{r}");
        }
    }
}

#[test]
fn tampered_layer_fails_the_scan() {
    let reg = Registry::new(RegistryOptions::default()).unwrap();
    let target = fresh_repo("v1");
    // A one-layer image only this test uses: an uncompressed tar holding a Cargo.lock.
    let lock =
        format!("version = 3\n\n[[package]]\nname = \"tamper\"\nversion = \"0.1.0\"\n# {target}\n");
    let layer_digest =
        push_one_layer_image(&reg, &target, &[("app/Cargo.lock", lock.into_bytes())]);
    let (sbom, _) = scan_registry(&reg, &target, &ScanOptions::default()).unwrap();
    assert_eq!(sbom.components.len(), 1);
    assert!(sbom.components[0].layers.contains(&layer_digest));

    // Flip a byte of the stored layer (past the tar's end marker, so only the digest can tell).
    let hex = layer_digest.strip_prefix("sha256:").unwrap();
    let path = std::path::PathBuf::from(env("GATEHOUSE_TEST_REGISTRY_STORAGE"))
        .join("docker/registry/v2/blobs/sha256")
        .join(&hex[..2])
        .join(hex)
        .join("data");
    let mut bytes = std::fs::read(&path).unwrap();
    *bytes.last_mut().unwrap() ^= 0x01;
    std::fs::write(&path, bytes).unwrap();
    let err = scan_registry(&reg, &target, &ScanOptions::default()).unwrap_err();
    assert!(
        err.to_string().contains("does not match its digest"),
        "{err}"
    );
}

/// Pushes a one-layer uncompressed image whose layer holds `files`; returns the layer digest.
fn push_one_layer_image(reg: &Registry, target: &ImageRef, files: &[(&str, Vec<u8>)]) -> String {
    push_one_layer_image_as(reg, target, files, None)
}

/// A layer compressor and the media type it produces.
type Compression<'a> = (fn(Vec<u8>) -> Vec<u8>, &'a str);

/// The same with the layer compressed by `compress` (and its media type).
fn push_one_layer_image_as(
    reg: &Registry,
    target: &ImageRef,
    files: &[(&str, Vec<u8>)],
    compress: Option<Compression<'_>>,
) -> String {
    let mut tar = tar::Builder::new(Vec::new());
    for (path, bytes) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        tar.append_data(&mut header, path, bytes.as_slice())
            .unwrap();
    }
    let tar = tar.into_inner().unwrap();
    let diff_id = gatehouse_oci::sha256_digest(&tar);
    let (layer, media_type) = match compress {
        Some((f, media_type)) => (f(tar), media_type),
        None => (tar, "application/vnd.oci.image.layer.v1.tar"),
    };
    let layer_digest = reg.push_blob(target, &layer).unwrap();
    let config = serde_json::to_vec(&serde_json::json!({
        "architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [diff_id]}
    }))
    .unwrap();
    let config_digest = reg.push_blob(target, &config).unwrap();
    let manifest = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": config_digest, "size": config.len()},
        "layers": [{"mediaType": media_type, "digest": layer_digest, "size": layer.len()}]
    }))
    .unwrap();
    reg.push_manifest(
        target,
        &manifest,
        "application/vnd.oci.image.manifest.v1+json",
    )
    .unwrap();
    diff_id
}

#[test]
fn fedora_image_rpm_packages_record_their_layer() {
    let reg = Registry::new(RegistryOptions::default()).unwrap();
    let target = fresh_repo("f40");
    let root = common::fixture("rpm/fedora-40");
    let files: Vec<(&str, Vec<u8>)> = ["etc/os-release", "usr/lib/sysimage/rpm/rpmdb.sqlite"]
        .into_iter()
        .map(|p| (p, std::fs::read(root.join(p)).unwrap()))
        .collect();
    let layer = push_one_layer_image(&reg, &target, &files);
    let (sbom, _) = scan_registry(&reg, &target, &ScanOptions::default()).unwrap();
    let local = scan_path(&root, &ScanOptions::default()).unwrap();
    assert_eq!(sbom.subject.distro.as_deref(), Some("fedora-40"));
    let purls =
        |s: &gatehouse_sbom::Sbom| s.components.iter().map(|c| c.purl()).collect::<Vec<_>>();
    assert_eq!(purls(&sbom), purls(&local));
    assert_eq!(sbom.components.len(), 4);
    for c in &sbom.components {
        assert!(c.layers.contains(&layer), "{}: {:?}", c.purl(), c.layers);
    }
}

/// Two zstd frames back to back (what `zstd` writes for concatenated input).
fn zstd_two_frames(tar: Vec<u8>) -> Vec<u8> {
    use ruzstd::encoding::{CompressionLevel, compress_to_vec};
    let (a, b) = tar.split_at(tar.len() / 2);
    let mut out = compress_to_vec(a, CompressionLevel::Fastest);
    out.extend(compress_to_vec(b, CompressionLevel::Fastest));
    out
}

#[test]
fn zstd_layers_are_read() {
    let reg = Registry::new(RegistryOptions::default()).unwrap();
    let target = fresh_repo("zstd");
    let root = common::fixture("rpm/fedora-40");
    let files: Vec<(&str, Vec<u8>)> = ["etc/os-release", "usr/lib/sysimage/rpm/rpmdb.sqlite"]
        .into_iter()
        .map(|p| (p, std::fs::read(root.join(p)).unwrap()))
        .collect();
    let diff_id = push_one_layer_image_as(
        &reg,
        &target,
        &files,
        Some((
            zstd_two_frames,
            "application/vnd.oci.image.layer.v1.tar+zstd",
        )),
    );
    let (sbom, _) = scan_registry(&reg, &target, &ScanOptions::default()).unwrap();
    assert_eq!(sbom.components.len(), 4);
    assert_eq!(sbom.subject.distro.as_deref(), Some("fedora-40"));
    // The layer recorded is the uncompressed diff_id from the config.
    assert!(sbom.components.iter().all(|c| c.layers.contains(&diff_id)));
}

#[test]
fn targets_by_shape_and_prefix() {
    use std::path::PathBuf;
    assert_eq!(
        Target::parse("localhost:5000/repo:tag"),
        Target::Registry("localhost:5000/repo:tag".into())
    );
    assert_eq!(
        Target::parse("registry.example/repo@sha256:abc"),
        Target::Registry("registry.example/repo@sha256:abc".into())
    );
    // An existing path wins over the shape.
    let fixtures = common::fixture("images");
    let dir = fixtures.to_str().unwrap();
    assert_eq!(Target::parse(dir), Target::Path(PathBuf::from(dir)));
    assert_eq!(
        Target::parse("Cargo.lock"),
        Target::Path("Cargo.lock".into())
    );
    assert_eq!(
        Target::parse("alpine:3.19"),
        Target::Path("alpine:3.19".into())
    );
    assert_eq!(
        Target::parse("oci-archive:x/y.tar"),
        Target::OciArchive("x/y.tar".into())
    );
    assert_eq!(
        Target::parse("docker-archive:img.tar"),
        Target::DockerArchive("img.tar".into())
    );
    assert_eq!(
        Target::parse("registry:host.example/a"),
        Target::Registry("host.example/a".into())
    );
}
