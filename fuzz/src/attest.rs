//! Properties of `gatehouse-attest`'s untrusted-input parsers: Sigstore bundles (through the
//! whole offline verifier), DSSE envelopes and in-toto statements, and PEM key files.
//!
//! Besides "no panic", a bundle or envelope made of fuzz bytes must never verify: the keys it
//! would need are generated here at random, so an accepted input would be a forgery.

use std::sync::OnceLock;

use gatehouse_attest::dsse::Envelope;
use gatehouse_attest::intoto::Statement;
use gatehouse_attest::keys::decode_pem;
use gatehouse_attest::verify::{
    ArtifactInput, IdentityMatch, Options, SignerPolicy, TrustRoot, verify_bundle_with,
};
use gatehouse_attest::{KeyPair, PublicKey};

fn key() -> &'static KeyPair {
    static KEY: OnceLock<KeyPair> = OnceLock::new();
    KEY.get_or_init(|| KeyPair::generate().expect("OS RNG"))
}

fn root() -> &'static TrustRoot {
    static ROOT: OnceLock<TrustRoot> = OnceLock::new();
    ROOT.get_or_init(|| TrustRoot::empty().expect("empty trusted root"))
}

/// A bundle in `bytes` (lossy UTF-8), verified by key (offline path, no tlog required) and by
/// identity (sigstore-verify path), against the artifact `b"a"` and its digest.
pub fn check_bundle(bytes: &[u8]) {
    let json = String::from_utf8_lossy(bytes);
    let by_key = SignerPolicy::Key(key().public_key());
    let by_identity = SignerPolicy::Identity {
        identity: IdentityMatch::Exact("someone@example.com".into()),
        issuer: "https://issuer.example.com".into(),
    };
    let lax = Options {
        insecure_ignore_tlog: true,
        insecure_ignore_sct: true,
    };
    for artifact in [
        ArtifactInput::Bytes(b"a".to_vec()),
        ArtifactInput::Sha256([0x5a; 32]),
    ] {
        for policy in [&by_key, &by_identity] {
            for options in [lax, Options::default()] {
                let result = verify_bundle_with(root(), &json, &artifact, policy, options);
                assert!(result.is_err(), "a fuzz input verified: {result:?}");
                if let Err(e) = result {
                    assert!(!e.to_string().is_empty(), "empty error message");
                }
            }
        }
    }
}

/// A DSSE envelope and an in-toto statement in `bytes`: parse, re-serialize, parse again to the
/// same value; the envelope never verifies with a key it was not signed with.
pub fn check_dsse(bytes: &[u8]) {
    if let Ok(env) = Envelope::from_json(bytes) {
        let again =
            Envelope::from_json(env.to_json().as_bytes()).expect("re-serialized envelope parses");
        assert_eq!(env, again, "envelope round trip changed it");
        assert!(
            env.verify(&key().public_key()).is_err(),
            "a fuzz envelope verified"
        );
        let _ = Statement::from_json(&env.payload);
    }
    if let Ok(st) = Statement::from_json(bytes) {
        let again = Statement::from_json(&st.to_json()).expect("re-serialized statement parses");
        assert_eq!(st, again, "statement round trip changed it");
    }
}

/// A PEM key file in `bytes`: public and private readers (empty password) never panic, and a
/// public key that parses re-encodes to a PEM that parses to the same key.
pub fn check_pem(bytes: &[u8]) {
    let _ = decode_pem(bytes);
    if let Ok(public) = PublicKey::from_pem(bytes) {
        let pem = public.to_pem().expect("re-encode public key");
        assert_eq!(
            PublicKey::from_pem(pem.as_bytes()).expect("re-parse"),
            public
        );
    }
    // Encrypted inputs reach scrypt only with cosign's two allowed cost settings.
    if let Ok(pair) = KeyPair::from_pem(bytes, b"") {
        let sig = pair.sign(b"m");
        assert!(pair.public_key().verify(b"m", &sig).is_ok());
    }
}
