//! The Sigstore conformance suite's 70 offline bundle-verification cases
//! (`tests/fixtures/sigstore-conformance/cases.tsv`), each verified twice: with the artifact's
//! bytes and with its `sha256:<hex>` digest. Every case must give the expected result.

use std::path::{Path, PathBuf};

use gatehouse_attest::PublicKey;
use gatehouse_attest::verify::{
    ArtifactInput, IdentityMatch, SignerPolicy, TrustRoot, VerifyError, verify_bundle,
};

fn suite() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sigstore-conformance")
}

struct Case {
    id: String,
    artifact: PathBuf,
    bundle: PathBuf,
    trusted_root: PathBuf,
    key: Option<PathBuf>,
    identity: String,
    issuer: String,
    pass: bool,
}

fn cases() -> Vec<Case> {
    let tsv = std::fs::read_to_string(suite().join("cases.tsv")).expect("cases.tsv");
    let cases: Vec<Case> = tsv
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("case_id"))
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            assert_eq!(f.len(), 9, "cases.tsv line: {line}");
            Case {
                id: f[0].into(),
                artifact: suite().join(f[1]),
                bundle: suite().join(f[2]),
                trusted_root: suite().join(f[3]),
                key: (!f[5].is_empty()).then(|| suite().join(f[5])),
                identity: f[6].into(),
                issuer: f[7].into(),
                pass: match f[8] {
                    "pass" => true,
                    "fail" => false,
                    other => panic!("expected pass|fail, got {other}"),
                },
            }
        })
        .collect();
    assert_eq!(cases.len(), 70, "the suite has 70 offline cases");
    cases
}

/// What `gatehouse verify-blob` does for one case: Ok, or the error it would report.
fn run(case: &Case, by_digest: bool) -> Result<(), VerifyError> {
    let root_json = std::fs::read_to_string(&case.trusted_root).expect("trusted root readable");
    let root = TrustRoot::from_json(&root_json)?;
    let bytes = std::fs::read(&case.artifact).expect("artifact readable");
    let artifact = if by_digest {
        let digest = ArtifactInput::Bytes(bytes).sha256();
        ArtifactInput::parse_digest(&format!("sha256:{}", hex::encode(digest)))
            .expect("digest form")?
    } else {
        ArtifactInput::Bytes(bytes)
    };
    let policy = match &case.key {
        Some(key) => SignerPolicy::Key(
            PublicKey::from_pem(&std::fs::read(key).expect("key readable"))
                .map_err(|e| VerifyError::Input(e.to_string()))?,
        ),
        None => SignerPolicy::Identity {
            identity: IdentityMatch::Exact(case.identity.clone()),
            issuer: case.issuer.clone().into(),
        },
    };
    let bundle = std::fs::read_to_string(&case.bundle).unwrap_or_default();
    verify_bundle(&root, &bundle, &artifact, &policy).map(|_| ())
}

#[test]
fn all_70_cases_give_the_expected_result_by_artifact_and_by_digest() {
    let mut wrong = Vec::new();
    let (mut passed, mut failed) = (0, 0);
    let mut input_errors = Vec::new();
    for case in cases() {
        for by_digest in [false, true] {
            let how = if by_digest { "digest" } else { "artifact" };
            match (run(&case, by_digest), case.pass) {
                (Ok(()), true) => passed += 1,
                (Err(e), false) => {
                    // Rejections must say why. Only a trusted root or key we cannot read is an
                    // input error (exit 2 in the CLI) rather than a verification failure (exit 1).
                    assert!(!e.to_string().is_empty());
                    if !e.is_failure() {
                        assert!(
                            case.id.starts_with("trust-root-")
                                // Its key.pub is not valid base64 ("...++++wrongkey==").
                                || case.id == "managed-key-wrong-key_fail",
                            "{} by {how}: input error outside the trust-root cases: {e}",
                            case.id
                        );
                        input_errors.push(case.id.clone());
                    }
                    failed += 1;
                }
                (Ok(()), false) => wrong.push(format!("{} by {how}: accepted, must fail", case.id)),
                (Err(e), true) => wrong.push(format!("{} by {how}: rejected: {e}", case.id)),
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert_eq!((passed, failed), (42, 98));
    input_errors.dedup();
    eprintln!("input errors (exit 2): {input_errors:?}");
}

#[test]
fn a_tampered_artifact_is_rejected_with_an_artifact_mismatch() {
    let case = cases()
        .into_iter()
        .find(|c| c.id == "happy-path-v0.3")
        .expect("case");
    let root =
        TrustRoot::from_json(&std::fs::read_to_string(&case.trusted_root).unwrap()).expect("root");
    let bundle = std::fs::read_to_string(&case.bundle).unwrap();
    let policy = SignerPolicy::Identity {
        identity: IdentityMatch::Exact(case.identity.clone()),
        issuer: case.issuer.clone().into(),
    };
    let mut bytes = std::fs::read(&case.artifact).unwrap();
    verify_bundle(
        &root,
        &bundle,
        &ArtifactInput::Bytes(bytes.clone()),
        &policy,
    )
    .expect("valid");
    bytes.push(b'\n');
    let err =
        verify_bundle(&root, &bundle, &ArtifactInput::Bytes(bytes), &policy).expect_err("tampered");
    assert!(err.is_failure());
    assert!(
        err.to_string().contains("mismatch") || err.to_string().contains("signature"),
        "{err}"
    );
}

#[test]
fn identity_policies_exact_and_regex() {
    let case = cases()
        .into_iter()
        .find(|c| c.id == "happy-path-v0.3")
        .expect("case");
    let root =
        TrustRoot::from_json(&std::fs::read_to_string(&case.trusted_root).unwrap()).expect("root");
    let bundle = std::fs::read_to_string(&case.bundle).unwrap();
    let artifact = ArtifactInput::Bytes(std::fs::read(&case.artifact).unwrap());
    let with = |identity| SignerPolicy::Identity {
        identity,
        issuer: case.issuer.clone().into(),
    };
    let ok = verify_bundle(
        &root,
        &bundle,
        &artifact,
        &with(IdentityMatch::Regex(
            regex::Regex::new("^https://github.com/sigstore-conformance/").unwrap(),
        )),
    )
    .expect("regex matches");
    assert_eq!(ok.identity.as_deref(), Some(case.identity.as_str()));
    assert_eq!(ok.issuer.as_deref(), Some(case.issuer.as_str()));
    assert!(ok.tlog_verified);
    let err = verify_bundle(
        &root,
        &bundle,
        &artifact,
        &with(IdentityMatch::Regex(
            regex::Regex::new("^https://gitlab.com/").unwrap(),
        )),
    )
    .expect_err("regex does not match");
    assert!(
        err.to_string().contains("not the regular expression"),
        "{err}"
    );
    let err = verify_bundle(
        &root,
        &bundle,
        &artifact,
        &with(IdentityMatch::Exact("someone@example.com".into())),
    )
    .expect_err("wrong identity");
    assert!(err.to_string().contains("identity mismatch"), "{err}");
    let wrong_issuer = SignerPolicy::Identity {
        identity: IdentityMatch::Exact(case.identity.clone()),
        issuer: "https://accounts.google.com".into(),
    };
    let err = verify_bundle(&root, &bundle, &artifact, &wrong_issuer).expect_err("wrong issuer");
    assert!(err.to_string().contains("issuer mismatch"), "{err}");
}

#[test]
fn bundles_from_sign_blob_verify_with_the_key_only_when_the_missing_tlog_is_accepted() {
    use gatehouse_attest::KeyPair;
    use gatehouse_attest::sign::sign_blob;
    use gatehouse_attest::verify::{Options, verify_bundle_with};

    let key = KeyPair::generate().unwrap();
    let signed = sign_blob(&key, b"release.tar.gz bytes").unwrap();
    let bundle: serde_json::Value = serde_json::from_str(&signed.bundle_json).unwrap();
    assert_eq!(
        bundle["mediaType"],
        "application/vnd.dev.sigstore.bundle.v0.3+json"
    );
    assert!(bundle["verificationMaterial"]["publicKey"]["hint"].is_string());
    assert_eq!(
        bundle["messageSignature"]["messageDigest"]["algorithm"],
        "SHA2_256"
    );

    let root = TrustRoot::empty().unwrap();
    let policy = SignerPolicy::Key(key.public_key());
    let lax = Options {
        insecure_ignore_tlog: true,
        ..Options::default()
    };
    let artifact = ArtifactInput::Bytes(b"release.tar.gz bytes".to_vec());
    let ok = verify_bundle_with(&root, &signed.bundle_json, &artifact, &policy, lax).unwrap();
    assert_eq!(ok.artifact_digest, signed.artifact_digest);
    assert!(!ok.tlog_verified);
    // By digest too.
    let by_digest = ArtifactInput::parse_digest(&signed.artifact_digest)
        .unwrap()
        .unwrap();
    verify_bundle_with(&root, &signed.bundle_json, &by_digest, &policy, lax).unwrap();

    // Without accepting the missing log entry: refused, saying how to accept it.
    let err = verify_bundle(&root, &signed.bundle_json, &artifact, &policy).unwrap_err();
    assert!(err.to_string().contains("--insecure-ignore-tlog"), "{err}");
    // Tampered artifact, wrong key, keyless policy: refused.
    let tampered = ArtifactInput::Bytes(b"release.tar.gz bytez".to_vec());
    let err = verify_bundle_with(&root, &signed.bundle_json, &tampered, &policy, lax).unwrap_err();
    assert!(err.to_string().contains("artifact mismatch"), "{err}");
    let other = SignerPolicy::Key(KeyPair::generate().unwrap().public_key());
    let err = verify_bundle_with(&root, &signed.bundle_json, &artifact, &other, lax).unwrap_err();
    assert!(err.to_string().contains("invalid signature"), "{err}");
    let keyless = SignerPolicy::Identity {
        identity: IdentityMatch::Exact("me@example.com".into()),
        issuer: "https://issuer".into(),
    };
    assert!(verify_bundle_with(&root, &signed.bundle_json, &artifact, &keyless, lax).is_err());
    // A signature swapped in from another artifact's bundle: refused.
    let second = sign_blob(&key, b"other").unwrap();
    let mut forged: serde_json::Value = serde_json::from_str(&signed.bundle_json).unwrap();
    let second: serde_json::Value = serde_json::from_str(&second.bundle_json).unwrap();
    forged["messageSignature"]["signature"] = second["messageSignature"]["signature"].clone();
    let err = verify_bundle_with(&root, &forged.to_string(), &artifact, &policy, lax).unwrap_err();
    assert!(err.to_string().contains("invalid signature"), "{err}");
}
