//! Keyless (certificate-carrying) image signatures verified by identity, offline: a throwaway
//! CA issues a Fulcio-style certificate, a throwaway log key makes the Rekor v1 entry
//! (`gatehouse_attest::test_pki`), the image is in the local registry of
//! `scripts/start-registry.sh`, and `sigstore-verify` checks chain, log entry, identity and
//! issuer against a `trusted_root.json` that lists the CA and the log key.

use gatehouse_attest::KeyPair;
use gatehouse_attest::intoto::{Statement, Subject};
use gatehouse_attest::oci::legacy::Kind;
use gatehouse_attest::oci::{COSIGN_SIGN_PREDICATE, PinnedImage, Registry, simple_signing_payload};
use gatehouse_attest::slsa::{PROVENANCE_V1, Provenance, ProvenanceInput, ProvenancePolicy};
use gatehouse_attest::test_pki::{Identity, TestPki};
use gatehouse_attest::verify::{IdentityMatch, Options, SignerPolicy, TrustRoot};
use gatehouse_oci::RegistryOptions;
use gatehouse_oci::test_support::{fresh_repo, push_image, registry_env};

const ISSUER: &str = "https://oidc.gatehouse.test";
const IDENTITY: &str = "ci@example.com";

fn sct_ignored() -> Options {
    Options {
        insecure_ignore_sct: true,
        ..Options::default()
    }
}

fn identity(id: &str, issuer: &str) -> SignerPolicy {
    SignerPolicy::Identity {
        identity: id.into(),
        issuer: issuer.into(),
    }
}

async fn new_image(layer: &[u8]) -> (Registry, PinnedImage) {
    let target = fresh_repo(
        &registry_env("GATEHOUSE_TEST_REGISTRY"),
        "attest-keyless",
        "v1",
    );
    let client = gatehouse_oci::Registry::new(RegistryOptions::default());
    let digest = push_image(&client, &target, layer).await;
    let registry = Registry::anonymous();
    let pinned = registry
        .pin(&target.with_digest(&digest), false)
        .await
        .unwrap();
    (registry, pinned)
}

fn statement(image: &PinnedImage, predicate_type: &str, predicate: serde_json::Value) -> Statement {
    let mut digest = [0u8; 32];
    hex::decode_to_slice(image.digest.trim_start_matches("sha256:"), &mut digest).unwrap();
    Statement::new(
        vec![Subject::sha256(&image.display(), &digest)],
        predicate_type,
        predicate,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keyless_referrer_signature_verifies_by_identity_and_issuer_only() {
    let (registry, image) = new_image(b"signed keylessly").await;
    let pki = TestPki::new();
    let root = TrustRoot::from_json(&pki.trusted_root_json()).unwrap();
    let signer = pki.issue(&Identity::Email(IDENTITY.into()), ISSUER);
    let bundle = pki.attest(
        &signer,
        &statement(&image, COSIGN_SIGN_PREDICATE, serde_json::json!({})),
    );
    registry
        .attach_bundle(&image, bundle.into_bytes(), COSIGN_SIGN_PREDICATE)
        .await
        .unwrap();

    let found = registry
        .verify(
            &image,
            COSIGN_SIGN_PREDICATE,
            &root,
            &identity(IDENTITY, ISSUER),
            sct_ignored(),
        )
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].identity.as_deref(), Some(IDENTITY));
    assert_eq!(found[0].issuer.as_deref(), Some(ISSUER));
    assert!(found[0].tlog_verified);
    assert_eq!(found[0].artifact_digest, image.digest);

    // Regular expressions for both, anchored or not.
    let re = |r: &str| IdentityMatch::Regex(regex::Regex::new(r).unwrap());
    let by_regex = SignerPolicy::Identity {
        identity: re("^ci@example\\.com$"),
        issuer: re("gatehouse\\.test$"),
    };
    registry
        .verify(
            &image,
            COSIGN_SIGN_PREDICATE,
            &root,
            &by_regex,
            sct_ignored(),
        )
        .await
        .unwrap();

    let fails = |policy: SignerPolicy, options: Options, root: TrustRoot| {
        let (registry, image) = (&registry, &image);
        async move {
            registry
                .verify(image, COSIGN_SIGN_PREDICATE, &root, &policy, options)
                .await
                .unwrap_err()
                .to_string()
        }
    };
    let root_again = || TrustRoot::from_json(&pki.trusted_root_json()).unwrap();
    // Wrong identity, wrong issuer: said precisely, with both sides.
    let err = fails(
        identity("evil@example.com", ISSUER),
        sct_ignored(),
        root_again(),
    )
    .await;
    assert!(
        err.contains(
            "identity mismatch: the certificate is for ci@example.com, not evil@example.com"
        ),
        "{err}"
    );
    let err = fails(
        identity(IDENTITY, "https://accounts.google.com"),
        sct_ignored(),
        root_again(),
    )
    .await;
    assert!(
        err.contains("issuer mismatch: the certificate was issued after login at https://oidc.gatehouse.test, not https://accounts.google.com"),
        "{err}"
    );
    let err = fails(
        SignerPolicy::Identity {
            identity: re("^ci@example\\.org$"),
            issuer: ISSUER.into(),
        },
        sct_ignored(),
        root_again(),
    )
    .await;
    assert!(
        err.contains("not the regular expression ^ci@example\\.org$"),
        "{err}"
    );
    // The CA logs to no CT log: without --insecure-ignore-sct the missing SCT fails it.
    let err = fails(identity(IDENTITY, ISSUER), Options::default(), root_again()).await;
    assert!(
        err.contains("invalid signed certificate timestamp")
            && err.contains("verifies with --insecure-ignore-sct"),
        "{err}"
    );
    // Another PKI's trusted root: the chain does not verify.
    let other = TrustRoot::from_json(&TestPki::new().trusted_root_json()).unwrap();
    let err = fails(identity(IDENTITY, ISSUER), sct_ignored(), other).await;
    assert!(err.contains("none of the 1"), "{err}");
    // A key policy does not accept a certificate signature.
    let key = SignerPolicy::Key(KeyPair::generate().unwrap().public_key());
    let lax = Options {
        insecure_ignore_tlog: true,
        ..Options::default()
    };
    let err = fails(key, lax, root_again()).await;
    assert!(err.contains("none of the 1"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keyless_attestation_and_legacy_sig_layer_verify_by_identity() {
    let (registry, image) = new_image(b"attested keylessly").await;
    let pki = TestPki::new();
    let root = TrustRoot::from_json(&pki.trusted_root_json()).unwrap();
    let workflow = "https://github.com/team/app/.github/workflows/release.yml@refs/heads/main";
    let issuer = "https://token.actions.githubusercontent.com";
    let signer = pki.issue(&Identity::Uri(workflow.into()), issuer);

    // SLSA provenance, keyless, as a referrer; the predicate policy applies on top.
    let provenance = Provenance::from_input(ProvenanceInput {
        builder_id: "https://github.com/team/app/.github/workflows/release.yml".into(),
        source_repo: Some("https://github.com/team/app".into()),
        ..Default::default()
    })
    .unwrap();
    let bundle = pki.attest(
        &signer,
        &statement(&image, PROVENANCE_V1, provenance.to_value()),
    );
    registry
        .attach_bundle(&image, bundle.into_bytes(), PROVENANCE_V1)
        .await
        .unwrap();
    let found = registry
        .verify(
            &image,
            PROVENANCE_V1,
            &root,
            &identity(workflow, issuer),
            sct_ignored(),
        )
        .await
        .unwrap();
    assert_eq!(found[0].identity.as_deref(), Some(workflow));
    found[0]
        .check_provenance(&ProvenancePolicy {
            builder_id: None,
            source_repo: Some("https://github.com/team/app".into()),
        })
        .unwrap();

    // cosign ≤ v2 keyless `.att` layer (intoto 0.0.2 log entry), only in the legacy layout.
    let sbom = serde_json::json!({"bomFormat": "CycloneDX", "specVersion": "1.6"});
    let (envelope, annotations) = pki.attest_legacy(
        &signer,
        &statement(&image, "https://cyclonedx.org/bom", sbom),
    );
    registry
        .attach_legacy(&image, Kind::Att, envelope, annotations)
        .await
        .unwrap();
    let found = registry
        .verify(
            &image,
            "https://cyclonedx.org/bom",
            &root,
            &identity(workflow, issuer),
            sct_ignored(),
        )
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].identity.as_deref(), Some(workflow));
    assert!(found[0].tlog_verified);
    let err = registry
        .verify(
            &image,
            "https://cyclonedx.org/bom",
            &root,
            &identity(
                "https://github.com/evil/app/.github/workflows/x.yml@refs/heads/main",
                issuer,
            ),
            sct_ignored(),
        )
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("no legacy https://cyclonedx.org/bom attestation in")
            && err.contains("identity mismatch"),
        "{err}"
    );

    // cosign ≤ v2 keyless `.sig` layer: certificate, chain and Rekor entry in annotations.
    let payload = simple_signing_payload(&image);
    let annotations = pki.sign_legacy(&signer, &payload);
    registry
        .attach_legacy(&image, Kind::Sig, payload, annotations.clone())
        .await
        .unwrap();
    let found = registry
        .verify_legacy(&image, &root, &identity(workflow, issuer), sct_ignored())
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].identity.as_deref(), Some(workflow));
    assert!(found[0].tlog_verified);
    let err = registry
        .verify_legacy(
            &image,
            &root,
            &identity(workflow, "https://gitlab.com"),
            sct_ignored(),
        )
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("issuer mismatch"), "{err}");

    // The same layer moved onto another image: the payload names the signed digest.
    let (_, other) = new_image(b"another image").await;
    registry
        .attach_legacy(
            &other,
            Kind::Sig,
            simple_signing_payload(&image),
            annotations,
        )
        .await
        .unwrap();
    let err = registry
        .verify_legacy(&other, &root, &identity(workflow, issuer), sct_ignored())
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains(&format!("not {}", other.digest)), "{err}");
}

/// cosign v2's own blob bundle (`sign-blob --bundle` without `--new-bundle-format`): keyless
/// with its Rekor entry, by key with one, and by key without (`--tlog-upload=false`).
#[test]
fn cosign_v2_blob_bundles_verify_by_identity_and_by_key() {
    use gatehouse_attest::verify::{ArtifactInput, verify_bundle_with};
    let pki = TestPki::new();
    let root = TrustRoot::from_json(&pki.trusted_root_json()).unwrap();
    let artifact = b"release.tar.gz contents".to_vec();
    let input = ArtifactInput::Bytes(artifact.clone());
    let by_digest = ArtifactInput::Sha256(input.sha256());
    let tampered = ArtifactInput::Bytes(b"release.tar.gz contents!".to_vec());
    let verify = |bundle: &str, artifact: &ArtifactInput, policy: &SignerPolicy, options| {
        verify_bundle_with(&root, bundle, artifact, policy, options)
    };

    let signer = pki.issue(&Identity::Email(IDENTITY.into()), ISSUER);
    let keyless = pki.sign_blob_v2(&signer, &artifact);
    assert!(keyless.contains("\"base64Signature\"") && keyless.contains("\"rekorBundle\""));
    for a in [&input, &by_digest] {
        let v = verify(&keyless, a, &identity(IDENTITY, ISSUER), sct_ignored()).unwrap();
        assert_eq!(v.identity.as_deref(), Some(IDENTITY));
        assert!(v.tlog_verified);
    }
    let err = verify(
        &keyless,
        &tampered,
        &identity(IDENTITY, ISSUER),
        sct_ignored(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("mismatch") || err.contains("signature"),
        "{err}"
    );
    let err = verify(
        &keyless,
        &input,
        &identity("x@example.com", ISSUER),
        sct_ignored(),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("identity mismatch"), "{err}");

    let key = KeyPair::generate().unwrap();
    let by_key = SignerPolicy::Key(key.public_key());
    let logged = pki.sign_blob_v2_with_key(&key, &artifact, true);
    let v = verify(&logged, &input, &by_key, Options::default()).unwrap();
    assert!(v.tlog_verified);
    let other = SignerPolicy::Key(KeyPair::generate().unwrap().public_key());
    assert!(verify(&logged, &input, &other, Options::default()).is_err());

    let offline = pki.sign_blob_v2_with_key(&key, &artifact, false);
    let err = verify(&offline, &input, &by_key, Options::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("--insecure-ignore-tlog"), "{err}");
    let lax = Options {
        insecure_ignore_tlog: true,
        ..Options::default()
    };
    assert!(verify(&offline, &input, &by_key, lax).is_ok());
    assert!(verify(&offline, &tampered, &by_key, lax).is_err());

    // Malformed cosign bundles are named as such.
    for (bad, why) in [
        (r#"{"base64Signature":"***"}"#, "base64Signature is not"),
        (
            r#"{"base64Signature":"MEUC","cert":"%%%"}"#,
            "cert is not base64",
        ),
        (
            r#"{"base64Signature":"MEUC","cert":"LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg=="}"#,
            "certificate is not PEM",
        ),
        (
            r#"{"base64Signature":"MEUC","rekorBundle":{"Payload":{}}}"#,
            "has no Payload.body",
        ),
    ] {
        let err = verify(bad, &input, &by_key, lax).unwrap_err().to_string();
        assert!(
            err.contains("cosign bundle") && err.contains(why),
            "{bad}: {err}"
        );
    }
    // A certificate without a Rekor entry cannot be verified offline, and says why.
    let no_entry: serde_json::Value = serde_json::from_str(&keyless).unwrap();
    let no_entry = serde_json::json!({"base64Signature": no_entry["base64Signature"], "cert": no_entry["cert"]});
    let err = verify(
        &no_entry.to_string(),
        &input,
        &identity(IDENTITY, ISSUER),
        sct_ignored(),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("without a Rekor entry"), "{err}");
}

/// cosign v2's default keyed signature: `cosign sign --key` uploads to Rekor, so the legacy
/// `.sig` layer carries the log entry (no certificate). With the log's key in the trusted root
/// the entry is verified; with --insecure-ignore-tlog only the signature.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keyed_legacy_sig_layer_with_a_rekor_entry() {
    let (registry, image) = new_image(b"signed with a key, logged").await;
    let pki = TestPki::new();
    let root = TrustRoot::from_json(&pki.trusted_root_json()).unwrap();
    let key = KeyPair::generate().unwrap();
    let payload = simple_signing_payload(&image);
    let annotations = pki.sign_legacy_with_key(&key, &payload);
    registry
        .attach_legacy(&image, Kind::Sig, payload, annotations)
        .await
        .unwrap();
    let policy = SignerPolicy::Key(key.public_key());
    let found = registry
        .verify_legacy(&image, &root, &policy, Options::default())
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert!(found[0].tlog_verified);
    // Another log's root: the entry's signed timestamp does not verify.
    let other = TrustRoot::from_json(&TestPki::new().trusted_root_json()).unwrap();
    assert!(
        registry
            .verify_legacy(&image, &other, &policy, Options::default())
            .await
            .is_err()
    );
    // Without a root, --insecure-ignore-tlog checks the signature alone.
    let lax = Options {
        insecure_ignore_tlog: true,
        ..Options::default()
    };
    let empty = TrustRoot::empty().unwrap();
    let found = registry
        .verify_legacy(&image, &empty, &policy, lax)
        .await
        .unwrap();
    assert!(!found[0].tlog_verified);
    let wrong = SignerPolicy::Key(KeyPair::generate().unwrap().public_key());
    assert!(
        registry
            .verify_legacy(&image, &empty, &wrong, lax)
            .await
            .is_err()
    );
}
