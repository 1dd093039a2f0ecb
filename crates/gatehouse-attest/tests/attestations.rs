//! Attestations end to end in the library: an in-toto statement with SLSA provenance, signed
//! into a DSSE bundle, verified by key with its subject bound to the artifact and the
//! provenance checked against a policy.

use gatehouse_attest::KeyPair;
use gatehouse_attest::dsse::Envelope;
use gatehouse_attest::intoto::{Statement, Subject};
use gatehouse_attest::sign::attest;
use gatehouse_attest::slsa::{PROVENANCE_V1, Provenance, ProvenanceInput, ProvenancePolicy};
use gatehouse_attest::verify::{
    ArtifactInput, Options, SignerPolicy, TrustRoot, verify_bundle_with,
};

const ARTIFACT: &[u8] = b"app-1.2.3.tar.gz contents";

fn provenance() -> Provenance {
    Provenance::from_input(ProvenanceInput {
        builder_id: "https://ci.example.com/builders/linux".into(),
        source_repo: Some("https://git.example.com/team/app".into()),
        source_commit: Some("0123456789abcdef0123456789abcdef01234567".into()),
        ..Default::default()
    })
    .unwrap()
}

#[test]
fn slsa_attestation_verifies_by_key_and_binds_subject_and_policy() {
    let key = KeyPair::generate().unwrap();
    let digest = ArtifactInput::Bytes(ARTIFACT.to_vec()).sha256();
    let statement = Statement::new(
        vec![Subject::sha256("app-1.2.3.tar.gz", &digest)],
        PROVENANCE_V1,
        provenance().to_value(),
    );
    let signed = attest(&key, &statement).unwrap();
    // The bare envelope verifies too and carries the statement unchanged.
    let env = Envelope::from_json(signed.envelope.to_json().as_bytes()).unwrap();
    assert_eq!(
        Statement::from_json(env.verify(&key.public_key()).unwrap()).unwrap(),
        statement
    );

    let root = TrustRoot::empty().unwrap();
    let policy = SignerPolicy::Key(key.public_key());
    let lax = Options {
        insecure_ignore_tlog: true,
        ..Options::default()
    };
    let v = verify_bundle_with(
        &root,
        &signed.bundle_json,
        &ArtifactInput::Bytes(ARTIFACT.to_vec()),
        &policy,
        lax,
    )
    .unwrap();
    assert_eq!(v.statement.as_ref(), Some(&statement));
    v.check_provenance(&ProvenancePolicy {
        builder_id: Some("https://ci.example.com/builders/linux".into()),
        source_repo: Some("https://git.example.com/team/app".into()),
    })
    .unwrap();
    let err = v
        .check_provenance(&ProvenancePolicy {
            source_repo: Some("https://git.example.com/evil/app".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert!(err.to_string().contains("source repository is"), "{err}");

    // Another artifact is not a subject.
    let err = verify_bundle_with(
        &root,
        &signed.bundle_json,
        &ArtifactInput::Bytes(b"other".to_vec()),
        &policy,
        lax,
    )
    .unwrap_err();
    assert!(err.to_string().contains("artifact mismatch"), "{err}");
    // A statement edited after signing is refused.
    let mut bundle: serde_json::Value = serde_json::from_str(&signed.bundle_json).unwrap();
    let mut tampered = statement.clone();
    tampered.predicate["runDetails"]["builder"]["id"] =
        "https://ci.example.com/builders/linux".into();
    tampered.predicate["buildDefinition"]["externalParameters"]["source"]["repository"] =
        "https://git.example.com/evil/app".into();
    use base64::Engine as _;
    bundle["dsseEnvelope"]["payload"] = base64::engine::general_purpose::STANDARD
        .encode(tampered.to_json())
        .into();
    let err = verify_bundle_with(
        &root,
        &bundle.to_string(),
        &ArtifactInput::Bytes(ARTIFACT.to_vec()),
        &policy,
        lax,
    )
    .unwrap_err();
    assert!(err.to_string().contains("invalid signature"), "{err}");
}
