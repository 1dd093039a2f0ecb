//! Key pairs in cosign's formats: ECDSA P-256, private keys as `ENCRYPTED SIGSTORE PRIVATE KEY`
//! (or the older `ENCRYPTED COSIGN PRIVATE KEY`) PEM, public keys as PKIX `PUBLIC KEY` PEM.

mod encrypted;

use p256::ecdsa::signature::{Signer as _, Verifier as _};
use p256::ecdsa::{DerSignature, SigningKey, VerifyingKey};
use p256::pkcs8::{DecodePrivateKey as _, DecodePublicKey as _, EncodePrivateKey as _};
use p256::pkcs8::{EncodePublicKey as _, LineEnding};
use sha2::{Digest as _, Sha256};
use zeroize::Zeroizing;

/// PEM label cosign (≥ 2.0) writes for encrypted private keys.
pub const SIGSTORE_PRIVATE_KEY_LABEL: &str = "ENCRYPTED SIGSTORE PRIVATE KEY";
/// PEM label of cosign 1.x encrypted private keys; still read.
pub const COSIGN_PRIVATE_KEY_LABEL: &str = "ENCRYPTED COSIGN PRIVATE KEY";

/// Why a key could not be read, decrypted or written. Never carries key material.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("not a PEM file: {0}")]
    Pem(String),
    #[error(
        "unsupported PEM block `{0}`: expected `{SIGSTORE_PRIVATE_KEY_LABEL}`, `{COSIGN_PRIVATE_KEY_LABEL}`, `PRIVATE KEY` (PKCS#8) or `EC PRIVATE KEY`"
    )]
    Label(String),
    #[error("wrong password for the encrypted private key (or the file was altered)")]
    WrongPassword,
    #[error("malformed key: {0}")]
    Malformed(String),
    #[error("unsupported {0}")]
    Unsupported(String),
    #[error("only ECDSA P-256 keys are supported (cosign's default); this key is another type")]
    NotP256,
    #[error("the operating system's random number generator failed: {0}")]
    Random(String),
    #[error("signature is not valid for this key and message")]
    BadSignature,
}

/// An ECDSA P-256 signing key.
pub struct KeyPair {
    signing: SigningKey,
}

impl std::fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyPair")
            .field("public", &self.public_key().fingerprint())
            .finish_non_exhaustive()
    }
}

impl KeyPair {
    /// A fresh key from the OS random number generator.
    pub fn generate() -> Result<Self, KeyError> {
        loop {
            let mut bytes = Zeroizing::new([0u8; 32]);
            getrandom::fill(bytes.as_mut_slice()).map_err(|e| KeyError::Random(e.to_string()))?;
            // Out-of-range scalars (probability ~2^-32) are drawn again.
            if let Ok(signing) = SigningKey::from_slice(bytes.as_slice()) {
                return Ok(Self { signing });
            }
        }
    }

    /// Reads a private key PEM: cosign's encrypted formats (both labels; needs `password`), or
    /// unencrypted `PRIVATE KEY` (PKCS#8) / `EC PRIVATE KEY` (SEC1), for importing.
    pub fn from_pem(pem: &[u8], password: &[u8]) -> Result<Self, KeyError> {
        let (label, body) = decode_pem(pem)?;
        match label.as_str() {
            SIGSTORE_PRIVATE_KEY_LABEL | COSIGN_PRIVATE_KEY_LABEL => {
                let der = encrypted::open(&body, password)?;
                Self::from_private_der(&der)
            }
            "PRIVATE KEY" | "EC PRIVATE KEY" => Self::from_private_der(&body),
            _ => Err(KeyError::Label(label)),
        }
    }

    /// Whether `pem` is one of cosign's encrypted private keys (so a password is needed).
    pub fn is_encrypted_pem(pem: &[u8]) -> bool {
        matches!(decode_pem(pem), Ok((label, _)) if label == SIGSTORE_PRIVATE_KEY_LABEL || label == COSIGN_PRIVATE_KEY_LABEL)
    }

    /// PKCS#8 first (what cosign writes), then SEC1 (`openssl ecparam -genkey`, older cosign).
    fn from_private_der(der: &[u8]) -> Result<Self, KeyError> {
        if let Ok(signing) = SigningKey::from_pkcs8_der(der) {
            return Ok(Self { signing });
        }
        if let Ok(secret) = p256::SecretKey::from_sec1_der(der) {
            return Ok(Self {
                signing: secret.into(),
            });
        }
        // A PKCS#8 key of another algorithm or curve parses as PrivateKeyInfo but not as P-256.
        if p256::pkcs8::PrivateKeyInfoRef::try_from(der).is_ok() {
            return Err(KeyError::NotP256);
        }
        Err(KeyError::Malformed(
            "the private key is neither PKCS#8 nor SEC1 DER".into(),
        ))
    }

    /// cosign's `cosign.key`: PKCS#8 DER sealed with scrypt + secretbox, PEM label
    /// `ENCRYPTED SIGSTORE PRIVATE KEY`.
    pub fn to_encrypted_pem(&self, password: &[u8]) -> Result<String, KeyError> {
        let der = self.pkcs8_der()?;
        let envelope = encrypted::seal(&der, password)?;
        encode_pem(SIGSTORE_PRIVATE_KEY_LABEL, &envelope)
    }

    /// Unencrypted PKCS#8 PEM. Only for callers that were explicitly asked for it.
    pub fn to_unencrypted_pem(&self) -> Result<Zeroizing<String>, KeyError> {
        let der = self.pkcs8_der()?;
        encode_pem("PRIVATE KEY", &der).map(Zeroizing::new)
    }

    fn pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>, KeyError> {
        let doc = self
            .signing
            .to_pkcs8_der()
            .map_err(|e| KeyError::Malformed(format!("PKCS#8 encoding: {e}")))?;
        Ok(Zeroizing::new(doc.as_bytes().to_vec()))
    }

    /// Signature over a SHA-256 digest computed elsewhere (a streamed file, a hashedrekord).
    pub fn sign_prehash(&self, digest: &[u8; 32]) -> Result<Vec<u8>, KeyError> {
        use p256::ecdsa::signature::hazmat::PrehashSigner as _;
        let signature: p256::ecdsa::Signature = self
            .signing
            .sign_prehash(digest)
            .map_err(|_| KeyError::Malformed("ECDSA signing failed".into()))?;
        Ok(signature.to_der().as_bytes().to_vec())
    }

    pub fn public_key(&self) -> PublicKey {
        PublicKey {
            verifying: *self.signing.verifying_key(),
        }
    }

    /// ECDSA P-256 / SHA-256 signature over `message`, ASN.1 DER (what cosign and Sigstore
    /// bundles carry). Deterministic (RFC 6979).
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        let signature: DerSignature = self.signing.sign(message);
        signature.as_bytes().to_vec()
    }
}

/// An ECDSA P-256 public key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicKey {
    verifying: VerifyingKey,
}

impl PublicKey {
    /// Reads a PKIX `PUBLIC KEY` PEM (cosign.pub).
    pub fn from_pem(pem: &[u8]) -> Result<Self, KeyError> {
        let (label, body) = decode_pem(pem)?;
        if label != "PUBLIC KEY" {
            return Err(KeyError::Pem(format!(
                "expected a `PUBLIC KEY` block, found `{label}`"
            )));
        }
        Self::from_der(&body)
    }

    /// Reads a DER SubjectPublicKeyInfo.
    pub fn from_der(der: &[u8]) -> Result<Self, KeyError> {
        match VerifyingKey::from_public_key_der(der) {
            Ok(verifying) => Ok(Self { verifying }),
            Err(_) if p256::pkcs8::spki::SubjectPublicKeyInfoRef::try_from(der).is_ok() => {
                Err(KeyError::NotP256)
            }
            Err(e) => Err(KeyError::Malformed(format!("public key: {e}"))),
        }
    }

    pub fn to_pem(&self) -> Result<String, KeyError> {
        self.verifying
            .to_public_key_pem(LineEnding::LF)
            .map_err(|e| KeyError::Malformed(format!("public key encoding: {e}")))
    }

    pub fn to_der(&self) -> Result<Vec<u8>, KeyError> {
        self.verifying
            .to_public_key_der()
            .map(|d| d.as_bytes().to_vec())
            .map_err(|e| KeyError::Malformed(format!("public key encoding: {e}")))
    }

    /// `sha256:<hex>` of the DER SubjectPublicKeyInfo: how we name a key in output.
    pub fn fingerprint(&self) -> String {
        match self.to_der() {
            Ok(der) => format!("sha256:{}", hex::encode(Sha256::digest(der))),
            Err(_) => "sha256:?".into(),
        }
    }

    /// Verifies an ASN.1 DER ECDSA P-256 / SHA-256 signature over `message`.
    pub fn verify(&self, message: &[u8], signature_der: &[u8]) -> Result<(), KeyError> {
        let signature =
            p256::ecdsa::Signature::from_der(signature_der).map_err(|_| KeyError::BadSignature)?;
        self.verifying
            .verify(message, &signature)
            .map_err(|_| KeyError::BadSignature)
    }

    /// Verifies a signature over a SHA-256 digest computed elsewhere (hashedrekord style).
    pub fn verify_prehash(&self, digest: &[u8], signature_der: &[u8]) -> Result<(), KeyError> {
        use p256::ecdsa::signature::hazmat::PrehashVerifier as _;
        let signature =
            p256::ecdsa::Signature::from_der(signature_der).map_err(|_| KeyError::BadSignature)?;
        self.verifying
            .verify_prehash(digest, &signature)
            .map_err(|_| KeyError::BadSignature)
    }
}

/// One PEM block; text outside it (comments, trailing newline) is ignored.
pub fn decode_pem(pem: &[u8]) -> Result<(String, Vec<u8>), KeyError> {
    let text = std::str::from_utf8(pem).map_err(|_| KeyError::Pem("not UTF-8 text".into()))?;
    let start = text
        .find("-----BEGIN ")
        .ok_or_else(|| KeyError::Pem("no `-----BEGIN` line".into()))?;
    let block = text.get(start..).unwrap_or_default();
    let end_marker = block
        .find("-----END ")
        .ok_or_else(|| KeyError::Pem("no `-----END` line".into()))?;
    let end = block
        .get(end_marker + 9..)
        .and_then(|rest| rest.find("-----"))
        .map(|i| end_marker + 9 + i + 5)
        .ok_or_else(|| KeyError::Pem("unterminated `-----END` line".into()))?;
    let block = block.get(..end).unwrap_or_default();
    let (label, body) =
        pem_rfc7468::decode_vec(block.as_bytes()).map_err(|e| KeyError::Pem(format!("{e}")))?;
    Ok((label.to_string(), body))
}

fn encode_pem(label: &str, body: &[u8]) -> Result<String, KeyError> {
    pem_rfc7468::encode_string(label, pem_rfc7468::LineEnding::LF, body)
        .map_err(|e| KeyError::Pem(format!("{e}")))
}

#[cfg(test)]
mod tests;
