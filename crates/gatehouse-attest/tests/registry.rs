//! Image signing and attestation by digest against a real registry: Debian's `docker-registry`
//! (distribution 2.8, no referrers API) on loopback, started by `scripts/start-registry.sh`.
//! Signatures go in as OCI 1.1 referrers plus the `sha256-<hex>` fallback index, as cosign v3
//! writes them, and in cosign's legacy `.sig` / `.att` tags.

use gatehouse_attest::KeyPair;
use gatehouse_attest::oci::{COSIGN_SIGN_PREDICATE, OciError, Registry, parse_reference};
use gatehouse_attest::slsa::{PROVENANCE_V1, Provenance, ProvenanceInput, ProvenancePolicy};
use gatehouse_attest::verify::{Options, SignerPolicy, TrustRoot};
use gatehouse_oci::test_support::{fresh_repo, push_image, registry_env};
use gatehouse_oci::{ImageRef, RegistryOptions};

/// A fresh repository on the anonymous registry, a client for it, and `push(tag, layer)`.
fn setup() -> (ImageRef, gatehouse_oci::Registry) {
    let repo = fresh_repo(&registry_env("GATEHOUSE_TEST_REGISTRY"), "attest", "v1");
    (
        repo,
        gatehouse_oci::Registry::new(RegistryOptions::default()),
    )
}

/// The manifest (or index) at `reference`, parsed.
async fn manifest(client: &gatehouse_oci::Registry, reference: &ImageRef) -> serde_json::Value {
    let (bytes, _) = client.pull_manifest(reference).await.unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_attest_verify_by_digest_and_a_moved_tag_fails() {
    let (tag_ref, client) = setup();
    let d1 = push_image(&client, &tag_ref, b"layer one").await;
    let registry = Registry::anonymous();

    // A tag is refused unless resolving is asked for; the message names the digest to use.
    let err = registry.pin(&tag_ref, false).await.unwrap_err();
    assert!(matches!(err, OciError::Tag(..)), "{err}");
    assert!(
        err.to_string()
            .contains(&format!("{}@{d1}", tag_ref.repository())),
        "{err}"
    );
    let image = registry.pin(&tag_ref, true).await.unwrap();
    assert_eq!(image.digest, d1);
    // By digest is used as is.
    let by_digest = tag_ref.with_digest(&d1);
    assert_eq!(registry.pin(&by_digest, false).await.unwrap().digest, d1);

    let key = KeyPair::generate().unwrap();
    let root = TrustRoot::empty().unwrap();
    let policy = SignerPolicy::Key(key.public_key());
    let lax = Options {
        insecure_ignore_tlog: true,
        ..Options::default()
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
    let index = manifest(&client, &tag_ref.with_tag(&d1.replace(':', "-"))).await;
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
    let d2 = push_image(&client, &tag_ref, b"layer two (not what was signed)").await;
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
    let sig_manifest = manifest(&client, &parse_reference(&tag).unwrap()).await;
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
        r#"{{"critical":{{"identity":{{"docker-reference":"{}/{}"}},"image":{{"docker-manifest-digest":"{d1}"}},"type":"cosign container image signature"}}"#,
        tag_ref.registry(),
        tag_ref.repository()
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
    let (tag_ref, client) = setup();
    let digest = push_image(&client, &tag_ref, b"attested the old way").await;
    let registry = Registry::anonymous();
    let image = registry
        .pin(&tag_ref.with_digest(&digest), false)
        .await
        .unwrap();
    let key = KeyPair::generate().unwrap();
    let root = TrustRoot::empty().unwrap();
    let policy = SignerPolicy::Key(key.public_key());
    let lax = Options {
        insecure_ignore_tlog: true,
        ..Options::default()
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
    let manifest = manifest(&client, &parse_reference(&tag).unwrap()).await;
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
