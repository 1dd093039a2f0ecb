//! cosign's encrypted private-key envelope: JSON `{kdf: scrypt, cipher: nacl/secretbox,
//! ciphertext}` (go-securesystemslib `encrypted`), the body of `ENCRYPTED SIGSTORE PRIVATE KEY`.

use crypto_secretbox::aead::{Aead, KeyInit};
use crypto_secretbox::{Key, Nonce, XSalsa20Poly1305};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::KeyError;

/// scrypt cost cosign writes (N = 2^15, r = 8, p = 1).
const WRITE_LOG_N: u8 = 15;
const SALT_LEN: usize = 32;
const NONCE_LEN: usize = 24;

#[derive(Serialize, Deserialize)]
struct Envelope {
    kdf: Kdf,
    cipher: Cipher,
    #[serde(with = "b64")]
    ciphertext: Vec<u8>,
}

// Field order is cosign's (Go struct order), so our files are byte-compatible in layout.
#[derive(Serialize, Deserialize)]
struct Kdf {
    name: String,
    params: ScryptParams,
    #[serde(with = "b64")]
    salt: Vec<u8>,
}

#[derive(Serialize, Deserialize)]
struct ScryptParams {
    #[serde(rename = "N")]
    n: u64,
    r: u32,
    p: u32,
}

#[derive(Serialize, Deserialize)]
struct Cipher {
    name: String,
    #[serde(with = "b64")]
    nonce: Vec<u8>,
}

mod b64 {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        STANDARD.decode(text).map_err(serde::de::Error::custom)
    }
}

fn derive_key(
    password: &[u8],
    salt: &[u8],
    log_n: u8,
    r: u32,
    p: u32,
) -> Result<Zeroizing<[u8; 32]>, KeyError> {
    let params = scrypt::Params::new(log_n, r, p)
        .map_err(|e| KeyError::Malformed(format!("scrypt parameters: {e}")))?;
    let mut key = Zeroizing::new([0u8; 32]);
    scrypt::scrypt(password, salt, &params, key.as_mut_slice())
        .map_err(|e| KeyError::Malformed(format!("scrypt: {e}")))?;
    Ok(key)
}

/// Encrypts `plaintext` (a PKCS#8 DER private key) the way `cosign generate-key-pair` does and
/// returns the JSON envelope bytes.
pub(super) fn seal(plaintext: &[u8], password: &[u8]) -> Result<Vec<u8>, KeyError> {
    let mut salt = [0u8; SALT_LEN];
    let mut nonce = [0u8; NONCE_LEN];
    getrandom::fill(&mut salt).map_err(|e| KeyError::Random(e.to_string()))?;
    getrandom::fill(&mut nonce).map_err(|e| KeyError::Random(e.to_string()))?;
    let key = derive_key(password, &salt, WRITE_LOG_N, 8, 1)?;
    let cipher = XSalsa20Poly1305::new(Key::from_slice(key.as_slice()));
    let ciphertext = cipher
        .encrypt(Nonce::from_slice(&nonce), plaintext)
        .map_err(|_| KeyError::Malformed("secretbox encryption failed".into()))?;
    let envelope = Envelope {
        kdf: Kdf {
            name: "scrypt".into(),
            params: ScryptParams {
                n: 1 << WRITE_LOG_N,
                r: 8,
                p: 1,
            },
            salt: salt.to_vec(),
        },
        cipher: Cipher {
            name: "nacl/secretbox".into(),
            nonce: nonce.to_vec(),
        },
        ciphertext,
    };
    serde_json::to_vec(&envelope).map_err(|e| KeyError::Malformed(e.to_string()))
}

/// Decrypts a cosign JSON envelope. Only scrypt N ∈ {32768, 65536}, r = 8, p = 1 is accepted, so a
/// crafted key file cannot make us spend unbounded memory or time in the KDF.
pub(super) fn open(envelope: &[u8], password: &[u8]) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    let envelope: Envelope = serde_json::from_slice(envelope)
        .map_err(|e| KeyError::Malformed(format!("the encrypted key's JSON: {e}")))?;
    if envelope.kdf.name != "scrypt" {
        return Err(KeyError::Unsupported(format!(
            "key derivation {:?} (cosign keys use scrypt)",
            envelope.kdf.name
        )));
    }
    let ScryptParams { n, r, p } = envelope.kdf.params;
    let log_n = match (n, r, p) {
        (32768, 8, 1) => 15,
        (65536, 8, 1) => 16,
        _ => {
            return Err(KeyError::Unsupported(format!(
                "scrypt parameters N={n}, r={r}, p={p} (only N=32768 or 65536 with r=8, p=1, as cosign writes)"
            )));
        }
    };
    if envelope.cipher.name != "nacl/secretbox" {
        return Err(KeyError::Unsupported(format!(
            "cipher {:?} (cosign keys use nacl/secretbox)",
            envelope.cipher.name
        )));
    }
    if envelope.cipher.nonce.len() != NONCE_LEN {
        return Err(KeyError::Malformed(format!(
            "secretbox nonce is {} bytes, expected {NONCE_LEN}",
            envelope.cipher.nonce.len()
        )));
    }
    let key = derive_key(password, &envelope.kdf.salt, log_n, r, p)?;
    let cipher = XSalsa20Poly1305::new(Key::from_slice(key.as_slice()));
    // Poly1305 tag verification inside `decrypt` is constant-time.
    cipher
        .decrypt(
            Nonce::from_slice(&envelope.cipher.nonce),
            envelope.ciphertext.as_slice(),
        )
        .map(Zeroizing::new)
        .map_err(|_| KeyError::WrongPassword)
}
