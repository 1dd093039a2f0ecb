//! Against a real registry (Debian's distribution, started by `scripts/start-registry.sh`):
//! push an OCI layout, pull it back by tag and digest, list tags, basic auth, and tampered
//! content rejected by digest.

use std::io::Read;
use std::path::PathBuf;

use gatehouse_oci::blocking::Registry;
use gatehouse_oci::test_support::registry_env as env;
use gatehouse_oci::{Credentials, ImageRef, OciError, RegistryOptions};

/// A repository nobody else uses, on the registry `host`.
fn fresh_repo(host: &str, tag: &str) -> ImageRef {
    gatehouse_oci::test_support::fresh_repo(host, "gatehouse-oci-test", tag)
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../gatehouse-sbom/tests/fixtures/images")
        .join(name)
}

fn layout_manifest_digest(name: &str) -> String {
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fixture(name).join("index.json")).unwrap()).unwrap();
    index["manifests"][0]["digest"].as_str().unwrap().to_owned()
}

fn anonymous() -> Registry {
    Registry::new(RegistryOptions::default()).unwrap()
}

fn blob_file(digest: &str) -> PathBuf {
    let hex = digest.strip_prefix("sha256:").unwrap();
    PathBuf::from(env("GATEHOUSE_TEST_REGISTRY_STORAGE"))
        .join("docker/registry/v2/blobs/sha256")
        .join(&hex[..2])
        .join(hex)
        .join("data")
}

fn flip_last_byte(path: &PathBuf) {
    let mut bytes = std::fs::read(path).unwrap();
    *bytes.last_mut().unwrap() ^= 0x01;
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn push_layout_then_pull_by_tag_and_digest() {
    let reg = anonymous();
    let target = fresh_repo(&env("GATEHOUSE_TEST_REGISTRY"), "v1");
    let pushed = reg
        .push_layout(&fixture("debian-rust-go.oci"), &target)
        .unwrap();
    assert_eq!(pushed, layout_manifest_digest("debian-rust-go.oci"));

    assert_eq!(reg.resolve(&target).unwrap(), pushed);
    assert_eq!(reg.list_tags(&target).unwrap(), vec!["v1".to_owned()]);

    for r in [target.clone(), target.with_digest(&pushed)] {
        let image = reg.pull_image(&r).unwrap();
        assert_eq!(image.manifest_digest, pushed);
        assert_eq!(gatehouse_oci::sha256_digest(&image.manifest_bytes), pushed);
        let config_digest = image.manifest["config"]["digest"].as_str().unwrap();
        assert_eq!(gatehouse_oci::sha256_digest(&image.config), config_digest);
        let layers = image.layers();
        assert!(!layers.is_empty());
        // Every layer streams back byte for byte.
        for (digest, _) in &layers {
            let mut got = Vec::new();
            reg.blob_reader(&image.reference, digest)
                .unwrap()
                .read_to_end(&mut got)
                .unwrap();
            let local = std::fs::read(
                fixture("debian-rust-go.oci")
                    .join("blobs/sha256")
                    .join(digest.strip_prefix("sha256:").unwrap()),
            )
            .unwrap();
            assert_eq!(got, local, "layer {digest}");
        }
    }
}

#[test]
fn index_picks_the_platform_and_reports_both_digests() {
    let reg = anonymous();
    let target = fresh_repo(&env("GATEHOUSE_TEST_REGISTRY"), "multi");
    let manifest = reg
        .push_layout(&fixture("alpine-npm.oci"), &target.with_tag("single"))
        .unwrap();
    let (bytes, _) = reg.pull_manifest(&target.with_digest(&manifest)).unwrap();
    let index = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [
            {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": manifest,
             "size": bytes.len(), "platform": {"os": "linux", "architecture": "amd64"}},
        ]
    });
    let index_bytes = serde_json::to_vec(&index).unwrap();
    let index_digest = reg
        .push_manifest(
            &target,
            &index_bytes,
            "application/vnd.oci.image.index.v1+json",
        )
        .unwrap();
    let image = reg.pull_image(&target).unwrap();
    assert_eq!(image.manifest_digest, manifest);
    assert_eq!(image.index_digest.as_deref(), Some(index_digest.as_str()));

    let arm = Registry::new(RegistryOptions {
        platform: "linux/arm64".parse().unwrap(),
        ..RegistryOptions::default()
    })
    .unwrap();
    let err = arm.pull_image(&target).unwrap_err();
    assert!(matches!(err, OciError::NoPlatform { .. }), "{err}");
    assert!(err.to_string().contains("linux/amd64"), "{err}");
}

#[test]
fn basic_auth_registry() {
    let host = env("GATEHOUSE_TEST_REGISTRY_AUTH");
    let target = fresh_repo(&host, "v1");
    let creds = Credentials::Basic {
        username: env("GATEHOUSE_TEST_REGISTRY_USER"),
        password: env("GATEHOUSE_TEST_REGISTRY_PASSWORD"),
    };
    let reg = Registry::new(RegistryOptions {
        credentials: creds,
        ..RegistryOptions::default()
    })
    .unwrap();
    let pushed = reg
        .push_layout(&fixture("alpine-npm.oci"), &target)
        .unwrap();
    assert_eq!(reg.pull_image(&target).unwrap().manifest_digest, pushed);

    let err = anonymous().pull_image(&target).unwrap_err();
    assert!(matches!(err, OciError::Auth { .. }), "{err:?}");
    assert!(err.to_string().contains("--username"), "{err}");

    let wrong = Registry::new(RegistryOptions {
        credentials: Credentials::Basic {
            username: env("GATEHOUSE_TEST_REGISTRY_USER"),
            password: "wrong".into(),
        },
        ..RegistryOptions::default()
    })
    .unwrap();
    let err = wrong.pull_image(&target).unwrap_err();
    assert!(matches!(err, OciError::Auth { .. }), "{err:?}");
}

#[test]
fn tampered_blob_is_rejected() {
    let reg = anonymous();
    let target = fresh_repo(&env("GATEHOUSE_TEST_REGISTRY"), "v1");
    // A blob only this test uses, so tampering with its stored bytes affects nobody else.
    let content = format!("tamper-me {target} {:?}", std::time::SystemTime::now()).into_bytes();
    let digest = reg.push_blob(&target, &content).unwrap();
    assert_eq!(reg.pull_blob(&target, &digest, 1 << 20).unwrap(), content);

    flip_last_byte(&blob_file(&digest));
    let err = reg.pull_blob(&target, &digest, 1 << 20).unwrap_err();
    assert!(matches!(err, OciError::DigestMismatch { .. }), "{err:?}");
    let mut sink = Vec::new();
    let err = reg
        .blob_reader(&target, &digest)
        .unwrap()
        .read_to_end(&mut sink)
        .unwrap_err();
    assert!(
        err.to_string().contains("does not match its digest"),
        "{err}"
    );
}

#[test]
fn tampered_manifest_and_unknown_digest_are_rejected() {
    let reg = anonymous();
    let target = fresh_repo(&env("GATEHOUSE_TEST_REGISTRY"), "v1");
    let config = reg
        .push_blob(&target, format!("{{\"t\":\"{target}\"}}").as_bytes())
        .unwrap();
    let manifest = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config,
                   "size": format!("{{\"t\":\"{target}\"}}").len()},
        "layers": [],
        "annotations": {"test": target.to_string()}
    }))
    .unwrap();
    let digest = reg
        .push_manifest(
            &target,
            &manifest,
            "application/vnd.oci.image.manifest.v1+json",
        )
        .unwrap();
    assert_eq!(reg.pull_manifest(&target).unwrap().1, digest);

    // Same length, still valid JSON (distribution parses stored manifests), different bytes.
    let path = blob_file(&digest);
    let stored = String::from_utf8(std::fs::read(&path).unwrap()).unwrap();
    std::fs::write(
        &path,
        stored.replace("gatehouse-oci-test", "gatehouse-oci-tesT"),
    )
    .unwrap();
    for r in [target.with_digest(&digest), target.clone()] {
        let err = reg.pull_manifest(&r).unwrap_err();
        assert!(
            matches!(err, OciError::DigestMismatch { .. }),
            "{r}: {err:?}"
        );
    }

    let unknown = target.with_digest(&format!("sha256:{}", "0".repeat(64)));
    let err = reg.pull_image(&unknown).unwrap_err();
    assert!(matches!(err, OciError::NotFound { .. }), "{err:?}");
}

#[test]
fn plain_http_is_refused_off_loopback() {
    let reg = Registry::new(RegistryOptions {
        plain_http: Some(true),
        ..RegistryOptions::default()
    })
    .unwrap();
    let err = reg
        .pull_image(&ImageRef::parse("registry.example/repo:1").unwrap())
        .unwrap_err();
    assert!(matches!(err, OciError::PlainHttpRefused { .. }), "{err:?}");
    assert!(err.to_string().contains("loopback"), "{err}");
}

/// A token from the registry's token service (plain HTTP/1.0 over loopback, Basic credentials).
fn fetch_token(realm: &str, scope: &str) -> String {
    use std::io::Write as _;
    let rest = realm.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_once('/').unwrap();
    let creds = format!(
        "{}:{}",
        env("GATEHOUSE_TEST_REGISTRY_USER"),
        env("GATEHOUSE_TEST_REGISTRY_PASSWORD")
    );
    use base64::Engine as _;
    let basic = base64::engine::general_purpose::STANDARD.encode(creds);
    let mut s = std::net::TcpStream::connect(host).unwrap();
    write!(
        s,
        "GET /{path}?service=gatehouse-test-registry&scope={scope} HTTP/1.0\r\nHost: {host}\r\nAuthorization: Basic {basic}\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    s.read_to_string(&mut response).unwrap();
    let body = response.split_once("\r\n\r\n").unwrap().1;
    let v: serde_json::Value = serde_json::from_str(body).unwrap();
    v["token"].as_str().unwrap().to_owned()
}

#[test]
fn bearer_token_registry() {
    let host = env("GATEHOUSE_TEST_REGISTRY_TOKEN");
    let target = fresh_repo(&host, "v1");
    // Basic credentials go to the token service named by the registry's Bearer challenge.
    let reg = Registry::new(RegistryOptions {
        credentials: Credentials::Basic {
            username: env("GATEHOUSE_TEST_REGISTRY_USER"),
            password: env("GATEHOUSE_TEST_REGISTRY_PASSWORD"),
        },
        ..RegistryOptions::default()
    })
    .unwrap();
    let pushed = reg
        .push_layout(&fixture("alpine-npm.oci"), &target)
        .unwrap();
    assert_eq!(reg.pull_image(&target).unwrap().manifest_digest, pushed);
    assert_eq!(reg.list_tags(&target).unwrap(), vec!["v1".to_owned()]);

    let err = anonymous().pull_image(&target).unwrap_err();
    assert!(matches!(err, OciError::Auth { .. }), "{err:?}");

    // A ready bearer token (e.g. from a CI system) is sent as is.
    let token = fetch_token(
        &env("GATEHOUSE_TEST_REGISTRY_TOKEN_REALM"),
        &format!("repository:{}:pull", target.repository()),
    );
    let with_token = Registry::new(RegistryOptions {
        credentials: Credentials::Bearer(token),
        ..RegistryOptions::default()
    })
    .unwrap();
    let image = with_token.pull_image(&target).unwrap();
    assert_eq!(image.manifest_digest, pushed);
    let (digest, _) = &image.layers()[0];
    let mut layer = Vec::new();
    with_token
        .blob_reader(&image.reference, digest)
        .unwrap()
        .read_to_end(&mut layer)
        .unwrap();
    assert_eq!(&gatehouse_oci::sha256_digest(&layer), digest);

    let wrong = Registry::new(RegistryOptions {
        credentials: Credentials::Bearer("not-a-token".into()),
        ..RegistryOptions::default()
    })
    .unwrap();
    let err = wrong.pull_image(&target).unwrap_err();
    assert!(matches!(err, OciError::Auth { .. }), "{err:?}");
}

/// OCI 1.1 referrers on a registry without the referrers API (distribution 2.8): pushing a
/// referrer maintains the `sha256-<hex>` tag-schema index, listing reads it back, filtered by
/// artifact type, with the manifest's annotations copied into the entries.
#[test]
fn referrers_through_the_tag_schema_index() {
    use gatehouse_oci::test_support::push_image;
    let reg = anonymous();
    let target = fresh_repo(&env("GATEHOUSE_TEST_REGISTRY"), "v1");
    let subject_digest = reg.block_on(push_image(reg.inner(), &target, b"subject layer"));
    let subject = target.with_digest(&subject_digest);
    assert!(
        reg.block_on(reg.inner().referrers(&subject, None))
            .unwrap()
            .is_empty()
    );

    let referrer = |artifact_type: &str, note: &str| {
        let config = reg.push_blob(&target, b"{}").unwrap();
        serde_json::json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "artifactType": artifact_type,
            "config": {"mediaType": "application/vnd.oci.empty.v1+json", "digest": config, "size": 2},
            "layers": [{"mediaType": "application/vnd.oci.empty.v1+json", "digest": config, "size": 2}],
            "subject": {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": subject_digest, "size": 1},
            "annotations": {"note": note},
        })
        .to_string()
    };
    let sig = referrer("application/example.sig", "one");
    let sbom = referrer("application/example.sbom", "two");
    let d1 = reg
        .block_on(reg.inner().push_referrer(&subject, sig.as_bytes()))
        .unwrap();
    let d2 = reg
        .block_on(reg.inner().push_referrer(&subject, sbom.as_bytes()))
        .unwrap();
    // Pushing the same referrer again does not duplicate its entry.
    reg.block_on(reg.inner().push_referrer(&subject, sig.as_bytes()))
        .unwrap();

    let all = reg.block_on(reg.inner().referrers(&subject, None)).unwrap();
    assert_eq!(
        all.iter().map(|r| r.digest.as_str()).collect::<Vec<_>>(),
        [d1.as_str(), d2.as_str()]
    );
    let sigs = reg
        .block_on(
            reg.inner()
                .referrers(&subject, Some("application/example.sig")),
        )
        .unwrap();
    assert_eq!(sigs.len(), 1);
    assert_eq!(sigs[0].digest, d1);
    assert_eq!(sigs[0].annotations["note"], "one");
    assert_eq!(sigs[0].size, sig.len() as i64);
    // The referrer itself is stored by digest.
    let (bytes, _) = reg.pull_manifest(&target.with_digest(&d1)).unwrap();
    assert_eq!(bytes, sig.as_bytes());

    // A manifest about another image is refused; referrers of a tag are a usage error.
    let other = fresh_repo(&env("GATEHOUSE_TEST_REGISTRY"), "v1").with_digest(&d2);
    let err = reg
        .block_on(reg.inner().push_referrer(&other, sig.as_bytes()))
        .unwrap_err();
    assert!(err.to_string().contains("subject is not"), "{err}");
    let err = reg
        .block_on(reg.inner().referrers(&target, None))
        .unwrap_err();
    assert!(err.to_string().contains("not a tag"), "{err}");
}
