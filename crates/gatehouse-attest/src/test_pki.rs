//! A throwaway Sigstore-style PKI for tests (feature `test-support`): a CA that issues
//! Fulcio-style signing certificates (SAN identity, OIDC issuer extension, code-signing EKU), a
//! transparency-log key that makes Rekor v1 entries (signed entry timestamp, one-leaf inclusion
//! proof and signed checkpoint), and the `trusted_root.json` that trusts both. With it, tests make
//! certificate-carrying ("keyless") signatures that `sigstore-verify` accepts, offline.
//!
//! Test code only: every failure panics with what went wrong. Nothing here is a CA or a log that
//! should sign anything real — the log keeps no tree, each entry is its own one-leaf log.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};
use x509_cert::der::asn1::{BitString, Ia5String, ObjectIdentifier, OctetString, Utf8StringRef};
use x509_cert::der::oid::AssociatedOid as _;
use x509_cert::der::oid::db::{rfc5280, rfc5912};
use x509_cert::der::{Decode as _, Encode};
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    BasicConstraints, ExtendedKeyUsage, KeyUsage, KeyUsages, SubjectAltName,
};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::time::{Time, Validity};
use x509_cert::{Certificate, TbsCertificate, Version};

use crate::KeyPair;
use crate::dsse::Envelope;
use crate::intoto::Statement;
use crate::sign::BUNDLE_V03_MEDIA_TYPE;

/// Fulcio's OIDC issuer extension (DER UTF8String), and its deprecated raw-bytes form.
const FULCIO_ISSUER_V2: &str = "1.3.6.1.4.1.57264.1.8";
const FULCIO_ISSUER_V1: &str = "1.3.6.1.4.1.57264.1.1";
const LOG_ORIGIN: &str = "log.gatehouse.test - test";
/// The key name on the checkpoint's signature line (one word).
const LOG_NAME: &str = "log.gatehouse.test";

/// Who a signing certificate is issued to.
#[derive(Debug, Clone)]
pub enum Identity {
    /// An email SAN (a person, or a Google service account).
    Email(String),
    /// A URI SAN (a CI workflow, e.g. GitHub Actions' `https://github.com/o/r/.github/…@ref`).
    Uri(String),
}

/// The CA, the log key and their validity start.
pub struct TestPki {
    ca_key: KeyPair,
    ca_der: Vec<u8>,
    log_key: KeyPair,
    log_id: [u8; 32],
    start: SystemTime,
}

impl std::fmt::Debug for TestPki {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestPki").finish_non_exhaustive()
    }
}

/// A signing key with its certificate, as Fulcio would issue it.
pub struct Signer {
    key: KeyPair,
    cert_der: Vec<u8>,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer").finish_non_exhaustive()
    }
}

fn now_secs() -> SystemTime {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    UNIX_EPOCH + Duration::from_secs(secs)
}

fn ext(oid: ObjectIdentifier, critical: bool, value: &impl Encode) -> Extension {
    Extension {
        extn_id: oid,
        critical,
        extn_value: OctetString::new(value.to_der().expect("extension DER"))
            .expect("extension octets"),
    }
}

fn pem(label: &str, der: &[u8]) -> String {
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in STANDARD.encode(der).as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

fn rfc3339(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    chrono::DateTime::from_timestamp(i64::try_from(secs).unwrap_or(0), 0)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Builds and signs a certificate with `issuer_key`.
fn certificate(
    serial: u8,
    subject: &str,
    issuer: &str,
    subject_key: &KeyPair,
    issuer_key: &KeyPair,
    validity: (SystemTime, SystemTime),
    extensions: Vec<Extension>,
) -> Vec<u8> {
    let algorithm = AlgorithmIdentifierOwned {
        oid: rfc5912::ECDSA_WITH_SHA_256,
        parameters: None,
    };
    let spki_der = subject_key.public_key().to_der().expect("public key DER");
    let tbs = TbsCertificate {
        version: Version::V3,
        serial_number: SerialNumber::new(&[serial]).expect("serial"),
        signature: algorithm.clone(),
        issuer: issuer.parse::<Name>().expect("issuer name"),
        validity: Validity {
            not_before: Time::try_from(validity.0).expect("not before"),
            not_after: Time::try_from(validity.1).expect("not after"),
        },
        subject: subject.parse::<Name>().expect("subject name"),
        subject_public_key_info: SubjectPublicKeyInfoOwned::from_der(&spki_der).expect("SPKI"),
        issuer_unique_id: None,
        subject_unique_id: None,
        extensions: Some(extensions),
    };
    let signature = issuer_key.sign(&tbs.to_der().expect("TBS DER"));
    Certificate {
        tbs_certificate: tbs,
        signature_algorithm: algorithm,
        signature: BitString::from_bytes(&signature).expect("signature bits"),
    }
    .to_der()
    .expect("certificate DER")
}

impl TestPki {
    /// A new CA (valid from an hour ago for a day) and log key.
    pub fn new() -> Self {
        let start = now_secs() - Duration::from_secs(3600);
        let ca_key = KeyPair::generate().expect("CA key");
        let name = "CN=gatehouse test CA,O=gatehouse";
        let ca_der = certificate(
            1,
            name,
            name,
            &ca_key,
            &ca_key,
            (start, start + Duration::from_secs(86_400)),
            vec![
                ext(
                    BasicConstraints::OID,
                    true,
                    &BasicConstraints {
                        ca: true,
                        path_len_constraint: Some(0),
                    },
                ),
                ext(
                    KeyUsage::OID,
                    true,
                    &KeyUsage(KeyUsages::KeyCertSign | KeyUsages::CRLSign),
                ),
            ],
        );
        let log_key = KeyPair::generate().expect("log key");
        let log_id = Sha256::digest(log_key.public_key().to_der().expect("log key DER")).into();
        Self {
            ca_key,
            ca_der,
            log_key,
            log_id,
            start,
        }
    }

    /// The CA certificate, PEM.
    pub fn ca_pem(&self) -> String {
        pem("CERTIFICATE", &self.ca_der)
    }

    /// A `trusted_root.json` that trusts this CA and this log (no CT log, no TSA: verify with
    /// `--insecure-ignore-sct`).
    pub fn trusted_root_json(&self) -> String {
        let start = rfc3339(self.start);
        let log_key = self.log_key.public_key().to_der().expect("log key DER");
        json!({
            "mediaType": crate::verify::TRUSTED_ROOT_MEDIA_TYPE,
            "tlogs": [{
                "baseUrl": "https://log.gatehouse.test",
                "hashAlgorithm": "SHA2_256",
                "publicKey": {
                    "rawBytes": STANDARD.encode(log_key),
                    "keyDetails": "PKIX_ECDSA_P256_SHA_256",
                    "validFor": {"start": start},
                },
                "logId": {"keyId": STANDARD.encode(self.log_id)},
            }],
            "certificateAuthorities": [{
                "subject": {"organization": "gatehouse", "commonName": "gatehouse test CA"},
                "uri": "https://ca.gatehouse.test",
                "certChain": {"certificates": [{"rawBytes": STANDARD.encode(&self.ca_der)}]},
                "validFor": {"start": start},
            }],
            "ctlogs": [],
            "timestampAuthorities": [],
        })
        .to_string()
    }

    /// A new key and a ten-minute certificate for `identity` after login at `issuer`.
    pub fn issue(&self, identity: &Identity, issuer: &str) -> Signer {
        let key = KeyPair::generate().expect("signer key");
        let san = match identity {
            Identity::Email(e) => GeneralName::Rfc822Name(Ia5String::new(e).expect("email")),
            Identity::Uri(u) => {
                GeneralName::UniformResourceIdentifier(Ia5String::new(u).expect("URI"))
            }
        };
        let now = now_secs();
        let issuer_oid = ObjectIdentifier::new_unwrap(FULCIO_ISSUER_V2);
        let issuer_v1 = Extension {
            extn_id: ObjectIdentifier::new_unwrap(FULCIO_ISSUER_V1),
            critical: false,
            extn_value: OctetString::new(issuer.as_bytes()).expect("issuer octets"),
        };
        let cert_der = certificate(
            2,
            "O=sigstore.dev",
            "CN=gatehouse test CA,O=gatehouse",
            &key,
            &self.ca_key,
            (
                now - Duration::from_secs(60),
                now + Duration::from_secs(600),
            ),
            vec![
                ext(
                    KeyUsage::OID,
                    true,
                    &KeyUsage(KeyUsages::DigitalSignature.into()),
                ),
                ext(
                    ExtendedKeyUsage::OID,
                    false,
                    &ExtendedKeyUsage(vec![rfc5280::ID_KP_CODE_SIGNING]),
                ),
                ext(SubjectAltName::OID, true, &SubjectAltName(vec![san])),
                issuer_v1,
                ext(
                    issuer_oid,
                    false,
                    &Utf8StringRef::new(issuer).expect("issuer UTF-8"),
                ),
            ],
        );
        Signer { key, cert_der }
    }

    /// A Rekor v1 entry for `body` (its canonical JSON): log id, integrated time a second ago,
    /// signed entry timestamp, one-leaf inclusion proof and signed checkpoint — the
    /// `tlogEntries` item of a bundle.
    fn log_entry(&self, entry: &Value) -> Value {
        let body = entry.to_string();
        let integrated = now_secs()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
            - 1;
        let set_payload = json!({
            "body": STANDARD.encode(&body),
            "integratedTime": integrated,
            "logID": hex::encode(self.log_id),
            "logIndex": 0,
        });
        let set = self.log_key.sign(set_payload.to_string().as_bytes());
        let mut leaf = vec![0u8];
        leaf.extend_from_slice(body.as_bytes());
        let root = Sha256::digest(&leaf);
        let note = format!("{LOG_ORIGIN}\n1\n{}\n", STANDARD.encode(root));
        let mut signature = self.log_id[..4].to_vec();
        signature.extend(self.log_key.sign(note.as_bytes()));
        let checkpoint = format!(
            "{note}\n\u{2014} {LOG_NAME} {}\n",
            STANDARD.encode(signature)
        );
        json!({
            "logIndex": "0",
            "logId": {"keyId": STANDARD.encode(self.log_id)},
            "kindVersion": {"kind": entry["kind"], "version": entry["apiVersion"]},
            "integratedTime": integrated.to_string(),
            "inclusionPromise": {"signedEntryTimestamp": STANDARD.encode(set)},
            "inclusionProof": {
                "logIndex": "0",
                "rootHash": STANDARD.encode(root),
                "treeSize": "1",
                "hashes": [],
                "checkpoint": {"envelope": checkpoint},
            },
            "canonicalizedBody": STANDARD.encode(body),
        })
    }

    /// Signs `statement` as cosign v3 does keylessly: a DSSE envelope in a bundle v0.3 with the
    /// signing certificate and a `dsse` 0.0.1 log entry. Returns the bundle JSON.
    pub fn attest(&self, signer: &Signer, statement: &Statement) -> String {
        let envelope = Envelope::sign(
            crate::dsse::INTOTO_PAYLOAD_TYPE,
            statement.to_json(),
            &signer.key,
        );
        let sig = envelope.signature_b64().unwrap_or_default();
        let body = json!({
            "apiVersion": "0.0.1",
            "kind": "dsse",
            "spec": {
                "envelopeHash": {"algorithm": "sha256", "value": hex::encode(Sha256::digest(envelope.to_json()))},
                "payloadHash": {"algorithm": "sha256", "value": hex::encode(Sha256::digest(&envelope.payload))},
                "signatures": [{"signature": sig, "verifier": STANDARD.encode(signer.cert_pem())}],
            },
        });
        json!({
            "mediaType": BUNDLE_V03_MEDIA_TYPE,
            "verificationMaterial": {
                "certificate": {"rawBytes": STANDARD.encode(&signer.cert_der)},
                "tlogEntries": [self.log_entry(&body)],
            },
            "dsseEnvelope": {
                "payload": STANDARD.encode(&envelope.payload),
                "payloadType": envelope.payload_type,
                "signatures": [{"sig": sig, "keyid": ""}],
            },
        })
        .to_string()
    }

    /// Signs `artifact` as `cosign sign-blob --bundle` (cosign v2, keyless) does: its own JSON
    /// with `base64Signature`, `cert` (base64 of the PEM certificate) and `rekorBundle`.
    pub fn sign_blob_v2(&self, signer: &Signer, artifact: &[u8]) -> String {
        self.blob_v2(&signer.key, Some(signer.cert_pem()), artifact, true)
    }

    /// The same with a managed key (no `cert`); `logged: false` is `--tlog-upload=false` (no
    /// `rekorBundle`).
    pub fn sign_blob_v2_with_key(&self, key: &KeyPair, artifact: &[u8], logged: bool) -> String {
        self.blob_v2(key, None, artifact, logged)
    }

    fn blob_v2(
        &self,
        key: &KeyPair,
        cert_pem: Option<String>,
        artifact: &[u8],
        logged: bool,
    ) -> String {
        let digest: [u8; 32] = Sha256::digest(artifact).into();
        let signature = STANDARD.encode(key.sign_prehash(&digest).expect("signature"));
        let verifier = cert_pem
            .clone()
            .unwrap_or_else(|| key.public_key().to_pem().expect("public key PEM"));
        let mut out = json!({"base64Signature": signature});
        if let Some(pem) = cert_pem {
            out["cert"] = STANDARD.encode(pem).into();
        }
        if logged {
            let body = json!({
                "apiVersion": "0.0.1",
                "kind": "hashedrekord",
                "spec": {
                    "data": {"hash": {"algorithm": "sha256", "value": hex::encode(digest)}},
                    "signature": {"content": signature, "publicKey": {"content": STANDARD.encode(verifier)}},
                },
            });
            out["rekorBundle"] = self.cosign_rekor_bundle(&body);
        }
        out.to_string()
    }

    /// cosign's copy of a Rekor entry for `body`: `{"SignedEntryTimestamp", "Payload"}`.
    fn cosign_rekor_bundle(&self, body: &Value) -> Value {
        let entry = self.log_entry(body);
        json!({
            "SignedEntryTimestamp": entry["inclusionPromise"]["signedEntryTimestamp"],
            "Payload": {
                "body": entry["canonicalizedBody"],
                "integratedTime": entry["integratedTime"].as_str().and_then(|t| t.parse::<i64>().ok()),
                "logIndex": 0,
                "logID": hex::encode(self.log_id),
            },
        })
    }

    /// Attests `statement` as cosign ≤ v2 does keylessly for the legacy `.att` layout: returns
    /// the DSSE envelope (the layer) and its annotations (empty signature, predicate type,
    /// certificate, chain, and the `intoto` 0.0.2 log entry as cosign's `bundle` annotation).
    pub fn attest_legacy(&self, signer: &Signer, statement: &Statement) -> (Vec<u8>, Value) {
        let envelope = Envelope::sign(
            crate::dsse::INTOTO_PAYLOAD_TYPE,
            statement.to_json(),
            &signer.key,
        );
        let envelope_json = envelope.to_json();
        let sig = envelope.signature_b64().unwrap_or_default();
        let body = json!({
            "apiVersion": "0.0.2",
            "kind": "intoto",
            "spec": {"content": {
                "envelope": {
                    "payloadType": envelope.payload_type,
                    "signatures": [{"sig": STANDARD.encode(&sig), "publicKey": STANDARD.encode(signer.cert_pem())}],
                },
                "hash": {"algorithm": "sha256", "value": hex::encode(Sha256::digest(&envelope_json))},
                "payloadHash": {"algorithm": "sha256", "value": hex::encode(Sha256::digest(&envelope.payload))},
            }},
        });
        let annotations = json!({
            "dev.cosignproject.cosign/signature": "",
            "predicateType": statement.predicate_type,
            "dev.sigstore.cosign/certificate": signer.cert_pem(),
            "dev.sigstore.cosign/chain": self.ca_pem(),
            "dev.sigstore.cosign/bundle": self.cosign_rekor_bundle(&body).to_string(),
        });
        (envelope_json.into_bytes(), annotations)
    }

    /// Signs `payload` (a simple-signing payload) as cosign ≤ v2 does keylessly for the legacy
    /// `.sig` layout: returns the layer annotations (base64 signature, certificate, chain, and
    /// the `hashedrekord` log entry as cosign's `bundle` annotation).
    pub fn sign_legacy(&self, signer: &Signer, payload: &[u8]) -> Value {
        let mut annotations = self.legacy_sig(&signer.key, &signer.cert_pem(), payload);
        annotations["dev.sigstore.cosign/certificate"] = signer.cert_pem().into();
        annotations["dev.sigstore.cosign/chain"] = self.ca_pem().into();
        annotations
    }

    /// The same with a managed key, as `cosign sign --key` (v2) does by default: signature and
    /// `hashedrekord` log entry, no certificate.
    pub fn sign_legacy_with_key(&self, key: &KeyPair, payload: &[u8]) -> Value {
        let public = key.public_key().to_pem().expect("public key PEM");
        self.legacy_sig(key, &public, payload)
    }

    fn legacy_sig(&self, key: &KeyPair, verifier_pem: &str, payload: &[u8]) -> Value {
        let signature = STANDARD.encode(key.sign(payload));
        let body = json!({
            "apiVersion": "0.0.1",
            "kind": "hashedrekord",
            "spec": {
                "data": {"hash": {"algorithm": "sha256", "value": hex::encode(Sha256::digest(payload))}},
                "signature": {"content": signature, "publicKey": {"content": STANDARD.encode(verifier_pem)}},
            },
        });
        json!({
            "dev.cosignproject.cosign/signature": signature,
            "dev.sigstore.cosign/bundle": self.cosign_rekor_bundle(&body).to_string(),
        })
    }
}

impl Default for TestPki {
    fn default() -> Self {
        Self::new()
    }
}

impl Signer {
    /// The signing certificate, PEM.
    pub fn cert_pem(&self) -> String {
        pem("CERTIFICATE", &self.cert_der)
    }
}
