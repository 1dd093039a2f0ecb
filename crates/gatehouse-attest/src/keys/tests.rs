//! Key format tests against cosign's own test keys (password `hello`).

use super::*;

const COSIGN_LABEL: &[u8] =
    include_bytes!("../../tests/fixtures/cosign-keys/cosign-label-p256.key");
const COSIGN_SEC1_N65536: &[u8] =
    include_bytes!("../../tests/fixtures/cosign-keys/cosign-label-sec1-n65536.key");
const SIGSTORE_LABEL: &[u8] =
    include_bytes!("../../tests/fixtures/cosign-keys/sigstore-label-p256.key");

#[test]
fn cosign_test_keys_decrypt_with_their_password_and_sign() {
    for pem in [COSIGN_LABEL, COSIGN_SEC1_N65536, SIGSTORE_LABEL] {
        assert!(KeyPair::is_encrypted_pem(pem));
        let key = KeyPair::from_pem(pem, b"hello").expect("cosign test key decrypts");
        let sig = key.sign(b"payload");
        key.public_key().verify(b"payload", &sig).expect("verifies");
        assert!(matches!(
            key.public_key().verify(b"payloaD", &sig),
            Err(KeyError::BadSignature)
        ));
    }
}

#[test]
fn wrong_password_is_a_clear_error() {
    let err = KeyPair::from_pem(SIGSTORE_LABEL, b"hellO").expect_err("wrong password");
    assert!(matches!(err, KeyError::WrongPassword), "{err}");
    assert!(err.to_string().contains("wrong password"));
}

#[test]
fn generated_key_round_trips_through_cosign_format() {
    let key = KeyPair::generate().expect("rng");
    let pem = key.to_encrypted_pem(b"s3cret").expect("seal");
    assert!(pem.starts_with("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n"));
    assert!(pem.lines().all(|l| l.len() <= 64));
    let (_, body) = decode_pem(pem.as_bytes()).expect("pem");
    let json: serde_json::Value = serde_json::from_slice(&body).expect("json inside");
    assert_eq!(json["kdf"]["name"], "scrypt");
    assert_eq!(
        json["kdf"]["params"],
        serde_json::json!({"N": 32768, "r": 8, "p": 1})
    );
    assert_eq!(json["cipher"]["name"], "nacl/secretbox");
    // Key order is cosign's: kdf, cipher, ciphertext.
    let text = String::from_utf8(body).expect("utf8");
    assert!(
        text.starts_with(r#"{"kdf":{"name":"scrypt","params":{"N":32768,"r":8,"p":1},"salt":""#)
    );
    let back = KeyPair::from_pem(pem.as_bytes(), b"s3cret").expect("open");
    assert_eq!(back.public_key(), key.public_key());
    assert!(matches!(
        KeyPair::from_pem(pem.as_bytes(), b""),
        Err(KeyError::WrongPassword)
    ));
}

#[test]
fn empty_password_is_allowed_like_cosign() {
    let key = KeyPair::generate().expect("rng");
    let pem = key.to_encrypted_pem(b"").expect("seal");
    let back = KeyPair::from_pem(pem.as_bytes(), b"").expect("open");
    assert_eq!(back.public_key(), key.public_key());
}

#[test]
fn unencrypted_pkcs8_and_public_pem_round_trip() {
    let key = KeyPair::generate().expect("rng");
    let pem = key.to_unencrypted_pem().expect("pem");
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
    assert!(!KeyPair::is_encrypted_pem(pem.as_bytes()));
    let back = KeyPair::from_pem(pem.as_bytes(), b"").expect("pkcs8");
    let public = PublicKey::from_pem(key.public_key().to_pem().expect("pem").as_bytes())
        .expect("public pem");
    assert_eq!(back.public_key(), public);
}

#[test]
fn excessive_scrypt_cost_is_refused_before_deriving() {
    let json = br#"{"kdf":{"name":"scrypt","params":{"N":1073741824,"r":8,"p":1},"salt":"AAAA"},"cipher":{"name":"nacl/secretbox","nonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},"ciphertext":"AAAA"}"#;
    let pem = encode_pem(SIGSTORE_PRIVATE_KEY_LABEL, json).expect("pem");
    let err = KeyPair::from_pem(pem.as_bytes(), b"x").expect_err("refused");
    assert!(err.to_string().contains("N=1073741824"), "{err}");
}

#[test]
fn other_pem_blocks_are_named_in_the_error() {
    let pem = encode_pem("RSA PRIVATE KEY", b"abc").expect("pem");
    let err = KeyPair::from_pem(pem.as_bytes(), b"").expect_err("label");
    assert!(err.to_string().contains("`RSA PRIVATE KEY`"), "{err}");
    assert!(matches!(
        PublicKey::from_pem(b"hello"),
        Err(KeyError::Pem(_))
    ));
}
