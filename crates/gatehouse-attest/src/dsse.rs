//! DSSE (Dead Simple Signing Envelope) v1: the pre-authentication encoding (PAE) that is signed,
//! and the JSON envelope `{payloadType, payload, signatures[{keyid, sig}]}` that carries it.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

use crate::{KeyPair, PublicKey};

/// The payload type of in-toto statements.
pub const INTOTO_PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";

/// Largest envelope we parse (attestations are small; SBOM predicates can be a few MB).
pub const MAX_ENVELOPE_BYTES: usize = 64 << 20;

/// `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, LEN as ASCII decimal byte counts.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload_type.len() + payload.len() + 32);
    out.extend_from_slice(b"DSSEv1 ");
    out.extend_from_slice(payload_type.len().to_string().as_bytes());
    out.push(b' ');
    out.extend_from_slice(payload_type.as_bytes());
    out.push(b' ');
    out.extend_from_slice(payload.len().to_string().as_bytes());
    out.push(b' ');
    out.extend_from_slice(payload);
    out
}

/// Why an envelope was not accepted.
#[derive(Debug, thiserror::Error)]
pub enum DsseError {
    #[error("not a DSSE envelope: {0}")]
    Malformed(String),
    #[error("no signature in the envelope verifies with key {0}")]
    NoValidSignature(String),
}

/// A DSSE envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    #[serde(rename = "payloadType")]
    pub payload_type: String,
    #[serde(with = "b64")]
    pub payload: Vec<u8>,
    pub signatures: Vec<Signature>,
}

/// One signature over the envelope's PAE.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    /// Which key signed (a hint only; we write the hex SHA-256 of the DER public key).
    #[serde(default)]
    pub keyid: String,
    #[serde(with = "b64")]
    pub sig: Vec<u8>,
}

mod b64 {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(bytes))
    }

    /// Standard alphabet, padding optional (DSSE allows both; URL-safe is also accepted).
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        super::decode_b64(&text).map_err(serde::de::Error::custom)
    }
}

fn decode_b64(text: &str) -> Result<Vec<u8>, String> {
    use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    for engine in [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD] {
        if let Ok(bytes) = engine.decode(text) {
            return Ok(bytes);
        }
    }
    Err("invalid base64".into())
}

/// The key id we write: hex SHA-256 of the DER SubjectPublicKeyInfo.
pub fn key_id(public: &PublicKey) -> String {
    public
        .fingerprint()
        .trim_start_matches("sha256:")
        .to_string()
}

impl Envelope {
    /// Signs `payload` of `payload_type` with `key`.
    pub fn sign(payload_type: &str, payload: Vec<u8>, key: &KeyPair) -> Self {
        let sig = key.sign(&pae(payload_type, &payload));
        Self {
            payload_type: payload_type.to_string(),
            payload,
            signatures: vec![Signature {
                keyid: key_id(&key.public_key()),
                sig,
            }],
        }
    }

    /// Parses an envelope; rejects empty signature lists and oversized input.
    pub fn from_json(bytes: &[u8]) -> Result<Self, DsseError> {
        if bytes.len() > MAX_ENVELOPE_BYTES {
            return Err(DsseError::Malformed(format!(
                "{} bytes, more than the {MAX_ENVELOPE_BYTES}-byte limit",
                bytes.len()
            )));
        }
        let env: Self =
            serde_json::from_slice(bytes).map_err(|e| DsseError::Malformed(e.to_string()))?;
        if env.signatures.is_empty() {
            return Err(DsseError::Malformed("it has no signatures".into()));
        }
        Ok(env)
    }

    pub fn to_json(&self) -> String {
        // Serializing these plain fields cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Returns the payload if any signature verifies with `key`.
    pub fn verify(&self, key: &PublicKey) -> Result<&[u8], DsseError> {
        let message = pae(&self.payload_type, &self.payload);
        if self
            .signatures
            .iter()
            .any(|s| key.verify(&message, &s.sig).is_ok())
        {
            Ok(&self.payload)
        } else {
            Err(DsseError::NoValidSignature(key.fingerprint()))
        }
    }

    /// The first signature's bytes, base64 (what a Sigstore bundle's `dsseEnvelope` carries).
    pub fn signature_b64(&self) -> Option<String> {
        self.signatures.first().map(|s| STANDARD.encode(&s.sig))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pae_matches_the_dsse_spec_example() {
        // github.com/secure-systems-lab/dsse protocol.md test vector.
        assert_eq!(
            pae("http://example.com/HelloWorld", b"hello world"),
            b"DSSEv1 29 http://example.com/HelloWorld 11 hello world".to_vec()
        );
        assert_eq!(pae("", b""), b"DSSEv1 0  0 ".to_vec());
    }

    #[test]
    fn sign_verify_and_tamper() {
        let key = KeyPair::generate().unwrap();
        let env = Envelope::sign(INTOTO_PAYLOAD_TYPE, b"{\"a\":1}".to_vec(), &key);
        let parsed = Envelope::from_json(env.to_json().as_bytes()).unwrap();
        assert_eq!(parsed.verify(&key.public_key()).unwrap(), b"{\"a\":1}");
        let mut tampered = parsed.clone();
        tampered.payload = b"{\"a\":2}".to_vec();
        assert!(tampered.verify(&key.public_key()).is_err());
        let mut retyped = parsed.clone();
        retyped.payload_type = "text/plain".into();
        assert!(retyped.verify(&key.public_key()).is_err());
        let other = KeyPair::generate().unwrap();
        let err = parsed.verify(&other.public_key()).unwrap_err();
        assert!(err.to_string().contains(&other.public_key().fingerprint()));
    }

    #[test]
    fn malformed_envelopes_are_rejected() {
        for bad in [
            &b"{}"[..],
            br#"{"payloadType":"x","payload":"e30=","signatures":[]}"#,
            br#"{"payloadType":"x","payload":"***","signatures":[{"sig":"AA=="}]}"#,
            b"not json",
        ] {
            assert!(
                Envelope::from_json(bad).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
        let ok = br#"{"payloadType":"x","payload":"e30","signatures":[{"sig":"AA"}]}"#;
        assert_eq!(Envelope::from_json(ok).unwrap().payload, b"{}");
    }
}
