//! Image signing and attestation by digest against a real registry: Debian's `docker-registry`
//! (distribution 2.8, no referrers API) started on a loopback port for the test. Signatures go in
//! as OCI 1.1 referrers plus the `sha256-<hex>` fallback index, as cosign v3 writes them.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use gatehouse_attest::KeyPair;
use gatehouse_attest::oci::{COSIGN_SIGN_PREDICATE, OciError, Registry, parse_reference};
use gatehouse_attest::slsa::{PROVENANCE_V1, Provenance, ProvenanceInput, ProvenancePolicy};
use gatehouse_attest::verify::{Options, SignerPolicy, TrustRoot};
use oci_client::client::{ClientConfig, ClientProtocol};
use oci_client::secrets::RegistryAuth;
use oci_client::{Client, Reference};
use sha2::{Digest as _, Sha256};

/// A `docker-registry` process on 127.0.0.1, stopped (by its pid) when dropped.
struct LocalRegistry {
    child: Child,
    addr: SocketAddr,
    _dir: tempfile::TempDir,
}

impl Drop for LocalRegistry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_registry() -> LocalRegistry {
    let bin = "/usr/bin/docker-registry";
    assert!(
        std::path::Path::new(bin).exists(),
        "{bin} is missing: `apt-get install docker-registry` (scripts/test.sh installs it)"
    );
    let dir = tempfile::tempdir().unwrap();
    let addr = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let config = dir.path().join("config.yml");
    std::fs::write(
        &config,
        format!(
            "version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: {}\nhttp:\n  addr: {addr}\n",
            dir.path().join("data").display()
        ),
    )
    .unwrap();
    let child = Command::new(bin)
        .arg("serve")
        .arg(&config)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("docker-registry starts");
    let deadline = Instant::now() + Duration::from_secs(15);
    while TcpStream::connect(addr).is_err() {
        assert!(
            Instant::now() < deadline,
            "docker-registry did not listen on {addr}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    LocalRegistry {
        child,
        addr,
        _dir: dir,
    }
}

fn sha256(b: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(b)))
}

/// Pushes a one-layer image under `tag` and returns its manifest digest.
async fn push_image(addr: SocketAddr, tag: &str, layer: &[u8]) -> String {
    let client = Client::new(ClientConfig {
        protocol: ClientProtocol::Http,
        ..Default::default()
    });
    let reference: Reference = format!("{addr}/team/app:{tag}").parse().unwrap();
    client
        .store_auth_if_needed(reference.resolve_registry(), &RegistryAuth::Anonymous)
        .await;
    let config = serde_json::to_vec(&serde_json::json!({
        "architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [sha256(layer)]}
    }))
    .unwrap();
    for blob in [&config[..], layer] {
        client
            .push_blob(&reference, blob.to_vec(), &sha256(blob))
            .await
            .unwrap();
    }
    let manifest = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": sha256(&config), "size": config.len()},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": sha256(layer), "size": layer.len()}],
    }))
    .unwrap();
    client
        .push_manifest_raw(
            &reference,
            manifest.clone(),
            "application/vnd.oci.image.manifest.v1+json"
                .parse()
                .unwrap(),
        )
        .await
        .unwrap();
    sha256(&manifest)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_attest_verify_by_digest_and_a_moved_tag_fails() {
    let reg = start_registry();
    let d1 = push_image(reg.addr, "v1", b"layer one").await;
    let tag_ref = parse_reference(&format!("{}/team/app:v1", reg.addr)).unwrap();
    let registry = Registry::for_reference(&tag_ref);

    // A tag is refused unless resolving is asked for; the message names the digest to use.
    let err = registry.pin(&tag_ref, false).await.unwrap_err();
    assert!(matches!(err, OciError::Tag(..)), "{err}");
    assert!(err.to_string().contains(&format!("team/app@{d1}")), "{err}");
    let image = registry.pin(&tag_ref, true).await.unwrap();
    assert_eq!(image.digest, d1);
    // By digest is used as is.
    let by_digest = parse_reference(&format!("{}/team/app@{d1}", reg.addr)).unwrap();
    assert_eq!(registry.pin(&by_digest, false).await.unwrap().digest, d1);

    let key = KeyPair::generate().unwrap();
    let root = TrustRoot::empty().unwrap();
    let policy = SignerPolicy::Key(key.public_key());
    let lax = Options {
        insecure_ignore_tlog: true,
    };
    registry.sign(&image, &key).await.unwrap();
    let provenance = Provenance::from_input(ProvenanceInput {
        builder_id: "https://ci.example.com/linux".into(),
        source_repo: Some("https://git.example.com/team/app".into()),
        source_commit: Some("0123abcd".into()),
        ..Default::default()
    })
    .unwrap();
    registry
        .attest(&image, &key, PROVENANCE_V1, provenance.to_value())
        .await
        .unwrap();

    let signatures = registry
        .verify(&image, COSIGN_SIGN_PREDICATE, &root, &policy, lax)
        .await
        .unwrap();
    assert_eq!(signatures.len(), 1);
    assert_eq!(signatures[0].artifact_digest, d1);
    let attestations = registry
        .verify(&image, PROVENANCE_V1, &root, &policy, lax)
        .await
        .unwrap();
    attestations[0]
        .check_provenance(&ProvenancePolicy {
            builder_id: Some("https://ci.example.com/linux".into()),
            source_repo: Some("https://git.example.com/team/app".into()),
        })
        .unwrap();

    // The fallback index lists both referrers with artifactType and annotations.
    let client = Client::new(ClientConfig {
        protocol: ClientProtocol::Http,
        ..Default::default()
    });
    let index_ref: Reference = format!("{}/team/app:{}", reg.addr, d1.replace(':', "-"))
        .parse()
        .unwrap();
    let (index, _) = client
        .pull_manifest_raw(
            &index_ref,
            &RegistryAuth::Anonymous,
            &["application/vnd.oci.image.index.v1+json"],
        )
        .await
        .unwrap();
    let index: serde_json::Value = serde_json::from_slice(&index).unwrap();
    let entries = index["manifests"].as_array().unwrap();
    assert_eq!(entries.len(), 2, "{index}");
    for e in entries {
        assert_eq!(
            e["artifactType"],
            "application/vnd.dev.sigstore.bundle.v0.3+json"
        );
        assert_eq!(
            e["annotations"]["dev.sigstore.bundle.content"],
            "dsse-envelope"
        );
    }

    // Another key: found, but not verified, and said so.
    let other = SignerPolicy::Key(KeyPair::generate().unwrap().public_key());
    let err = registry
        .verify(&image, COSIGN_SIGN_PREDICATE, &root, &other, lax)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("none of the 1"), "{err}");

    // The tag is re-pushed to another image: resolving it now gives an unsigned digest.
    let d2 = push_image(reg.addr, "v1", b"layer two (not what was signed)").await;
    assert_ne!(d1, d2);
    let moved = registry.pin(&tag_ref, true).await.unwrap();
    assert_eq!(moved.digest, d2);
    let err = registry
        .verify(&moved, COSIGN_SIGN_PREDICATE, &root, &policy, lax)
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("no https://sigstore.dev/cosign/sign/v1 bundle among the referrers"),
        "{err}"
    );
    // The signed digest still verifies.
    registry
        .verify(&image, COSIGN_SIGN_PREDICATE, &root, &policy, lax)
        .await
        .unwrap();

    // Legacy layout: `sha256-<hex>.sig` with simple-signing layers; signing twice appends.
    let tag = registry.sign_legacy(&image, &key).await.unwrap();
    assert!(
        tag.ends_with(&format!("{}.sig", d1.replace(':', "-"))),
        "{tag}"
    );
    let second = KeyPair::generate().unwrap();
    registry.sign_legacy(&image, &second).await.unwrap();
    let legacy_sigs = |key: &KeyPair| {
        let policy = SignerPolicy::Key(key.public_key());
        let registry = &registry;
        let (image, root) = (&image, &root);
        async move { registry.verify_legacy(image, root, &policy, lax).await }
    };
    assert_eq!(legacy_sigs(&key).await.unwrap().len(), 1);
    assert_eq!(legacy_sigs(&second).await.unwrap().len(), 1);
    let third = KeyPair::generate().unwrap();
    let err = legacy_sigs(&third).await.unwrap_err();
    assert!(err.to_string().contains("invalid signature"), "{err}");
    // Without --insecure-ignore-tlog a key signature without log proof is refused, saying so.
    let err = registry
        .verify_legacy(&image, &root, &policy, Options::default())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("--insecure-ignore-tlog"), "{err}");
    let (sig_manifest, _) = client
        .pull_manifest_raw(
            &format!("{}/team/app:{}.sig", reg.addr, d1.replace(':', "-"))
                .parse()
                .unwrap(),
            &RegistryAuth::Anonymous,
            &["application/vnd.oci.image.manifest.v1+json"],
        )
        .await
        .unwrap();
    let sig_manifest: serde_json::Value = serde_json::from_slice(&sig_manifest).unwrap();
    let layers = sig_manifest["layers"].as_array().unwrap();
    assert_eq!(layers.len(), 2, "{sig_manifest}");
    assert_eq!(
        layers[0]["mediaType"],
        "application/vnd.dev.cosign.simplesigning.v1+json"
    );
    assert!(layers[0]["annotations"]["dev.cosignproject.cosign/signature"].is_string());
    // The payload names the signed digest, in cosign's field order.
    let payload = gatehouse_attest::oci::simple_signing_payload(&image);
    assert!(String::from_utf8(payload).unwrap().starts_with(&format!(
        r#"{{"critical":{{"identity":{{"docker-reference":"{}/team/app"}},"image":{{"docker-manifest-digest":"{d1}"}},"type":"cosign container image signature"}}"#,
        reg.addr
    )));
    // The moved tag's image has no legacy signature either.
    let err = registry
        .verify_legacy(&moved, &root, &policy, lax)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("no legacy signature tag"), "{err}");
}

/// cosign ≤ v2's attestation layout: `sha256-<hex>.att`, one DSSE envelope layer per
/// attestation, appended; an image attested only there verifies like one with referrers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legacy_att_tag_is_appended_to_and_verified() {
    let reg = start_registry();
    let digest = push_image(reg.addr, "v1", b"attested the old way").await;
    let reference = parse_reference(&format!("{}/team/app@{digest}", reg.addr)).unwrap();
    let registry = Registry::for_reference(&reference);
    let image = registry.pin(&reference, false).await.unwrap();
    let key = KeyPair::generate().unwrap();
    let root = TrustRoot::empty().unwrap();
    let policy = SignerPolicy::Key(key.public_key());
    let lax = Options {
        insecure_ignore_tlog: true,
    };
    let provenance = Provenance::from_input(ProvenanceInput {
        builder_id: "https://ci.example.com/linux".into(),
        source_repo: Some("https://git.example.com/team/app".into()),
        ..Default::default()
    })
    .unwrap();
    let tag = registry
        .attest_legacy(&image, &key, PROVENANCE_V1, provenance.to_value())
        .await
        .unwrap();
    assert!(
        tag.ends_with(&format!("{}.att", digest.replace(':', "-"))),
        "{tag}"
    );
    let sbom = serde_json::json!({"bomFormat": "CycloneDX", "specVersion": "1.6"});
    registry
        .attest_legacy(&image, &key, "https://cyclonedx.org/bom", sbom)
        .await
        .unwrap();

    // Appended, with cosign's media type and annotations.
    let client = Client::new(ClientConfig {
        protocol: ClientProtocol::Http,
        ..Default::default()
    });
    let (manifest, _) = client
        .pull_manifest_raw(
            &tag.parse().unwrap(),
            &RegistryAuth::Anonymous,
            &["application/vnd.oci.image.manifest.v1+json"],
        )
        .await
        .unwrap();
    let manifest: serde_json::Value = serde_json::from_slice(&manifest).unwrap();
    let layers = manifest["layers"].as_array().unwrap();
    assert_eq!(layers.len(), 2, "{manifest}");
    for (layer, want) in layers
        .iter()
        .zip([PROVENANCE_V1, "https://cyclonedx.org/bom"])
    {
        assert_eq!(layer["mediaType"], "application/vnd.dsse.envelope.v1+json");
        assert_eq!(
            layer["annotations"]["dev.cosignproject.cosign/signature"],
            ""
        );
        assert_eq!(layer["annotations"]["predicateType"], want);
    }

    // Only in the legacy layout (no referrer): verifies, through the combined read too.
    let found = registry
        .verify_legacy_attestations(&image, PROVENANCE_V1, &root, &policy, lax)
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    found[0]
        .check_provenance(&ProvenancePolicy {
            builder_id: Some("https://ci.example.com/linux".into()),
            source_repo: None,
        })
        .unwrap();
    let found = registry
        .verify(&image, PROVENANCE_V1, &root, &policy, lax)
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].artifact_digest, digest);
    let found = registry
        .verify(&image, "https://cyclonedx.org/bom", &root, &policy, lax)
        .await
        .unwrap();
    assert_eq!(found.len(), 1);

    // A type that was not attested, another key, no --insecure-ignore-tlog: each said so.
    let err = registry
        .verify(&image, "https://spdx.dev/Document", &root, &policy, lax)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("no https://spdx.dev/Document attestation in the legacy tag"),
        "{err}"
    );
    assert!(err.contains("among the referrers"), "{err}");
    let other = SignerPolicy::Key(KeyPair::generate().unwrap().public_key());
    let err = registry
        .verify(&image, PROVENANCE_V1, &root, &other, lax)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("no legacy https://slsa.dev/provenance/v1 attestation in")
            && err.contains("not signed by key"),
        "{err}"
    );
    let err = registry
        .verify(&image, PROVENANCE_V1, &root, &policy, Options::default())
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("--insecure-ignore-tlog"), "{err}");

    // The same statement by the same key again: ECDSA signatures are deterministic (RFC 6979),
    // so the layer is identical and not added twice (cosign's dupe detection); the referrer
    // layout is untouched by legacy writes.
    registry
        .attest_legacy(&image, &key, PROVENANCE_V1, provenance.to_value())
        .await
        .unwrap();
    let found = registry
        .verify(&image, PROVENANCE_V1, &root, &policy, lax)
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    let err = registry
        .verify_referrers(&image, PROVENANCE_V1, &root, &policy, lax)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("among the referrers"), "{err}");
}
