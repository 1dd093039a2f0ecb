//! cosign v2's own signature formats, read as the Sigstore bundles they amount to, so that one
//! verifier (and one set of policies and messages) serves both:
//!
//! * `cosign sign-blob --bundle` without `--new-bundle-format`: `{"base64Signature", "cert"
//!   (base64 of the PEM certificate, absent for a key), "rekorBundle": {"SignedEntryTimestamp",
//!   "Payload": {"body", "integratedTime", "logIndex", "logID"}}}`;
//! * the legacy `.sig` / `.att` image layers: the `dev.sigstore.cosign/certificate` and
//!   `dev.sigstore.cosign/bundle` annotations carry the same certificate and Rekor entry.
//!
//! With a Rekor entry the result is a bundle v0.1 (the entry's signed entry timestamp is its
//! proof); a key signature without one becomes a v0.3 bundle with no log entry (verified only
//! under `--insecure-ignore-tlog`).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

use crate::sign::BUNDLE_V03_MEDIA_TYPE;
use crate::verify::VerifyError;

const BUNDLE_V01_MEDIA_TYPE: &str = "application/vnd.dev.sigstore.bundle+json;version=0.1";

/// The bundle around `content` (a `messageSignature` or `dsseEnvelope` object) with the signing
/// certificate `cert_pem` (or a key given to the verifier) and cosign's Rekor entry `rekor`.
pub(crate) fn to_bundle(
    cert_pem: Option<&[u8]>,
    rekor: Option<&Value>,
    content: Value,
) -> Result<Value, String> {
    let entries = match rekor {
        Some(r) => vec![rekor_entry(r)?],
        None => Vec::new(),
    };
    let material = match cert_pem {
        Some(pem) => {
            let text = String::from_utf8_lossy(pem);
            let (_, der) = pem_rfc7468::decode_vec(text.trim().as_bytes())
                .map_err(|e| format!("the certificate is not PEM: {e}"))?;
            if entries.is_empty() {
                return Err("a certificate signature without a Rekor entry has no proof of when it was made and cannot be verified offline".into());
            }
            json!({"x509CertificateChain": {"certificates": [{"rawBytes": STANDARD.encode(der)}]}})
        }
        None => json!({"publicKey": {"hint": ""}}),
    };
    let media_type = if entries.is_empty() {
        BUNDLE_V03_MEDIA_TYPE
    } else {
        BUNDLE_V01_MEDIA_TYPE
    };
    let mut bundle = json!({"mediaType": media_type, "verificationMaterial": material});
    bundle["verificationMaterial"]["tlogEntries"] = Value::Array(entries);
    if let (Some(b), Some(c)) = (bundle.as_object_mut(), content.as_object()) {
        b.extend(c.clone());
    }
    Ok(bundle)
}

/// cosign's Rekor entry (`{"SignedEntryTimestamp", "Payload": {...}}`) as a bundle's
/// transparency-log entry.
fn rekor_entry(v: &Value) -> Result<Value, String> {
    let bad = |what: &str| format!("the Rekor entry {what}");
    let payload = &v["Payload"];
    let body_b64 = payload["body"]
        .as_str()
        .ok_or_else(|| bad("has no Payload.body"))?;
    let body: Value = STANDARD
        .decode(body_b64)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(|| bad("has a Payload.body that is not base64 JSON"))?;
    let log_id = payload["logID"]
        .as_str()
        .and_then(|h| hex::decode(h).ok())
        .ok_or_else(|| bad("has no hex Payload.logID"))?;
    let number = |name: &str| {
        payload[name]
            .as_i64()
            .map(|n| n.to_string())
            .ok_or_else(|| bad(&format!("has no Payload.{name}")))
    };
    let set = v["SignedEntryTimestamp"]
        .as_str()
        .ok_or_else(|| bad("has no SignedEntryTimestamp"))?;
    Ok(json!({
        "logIndex": number("logIndex")?,
        "logId": {"keyId": STANDARD.encode(log_id)},
        "kindVersion": {"kind": body["kind"], "version": body["apiVersion"]},
        "integratedTime": number("integratedTime")?,
        "inclusionPromise": {"signedEntryTimestamp": set},
        "canonicalizedBody": body_b64,
    }))
}

/// If `json` is a cosign v2 blob bundle (`base64Signature`, no `mediaType`), the Sigstore bundle
/// it amounts to for the artifact with SHA-256 `digest`; `None` for anything else.
pub(crate) fn blob_bundle(json: &str, digest: &[u8; 32]) -> Option<Result<String, VerifyError>> {
    if !json.contains("\"base64Signature\"") {
        return None;
    }
    let v: Value = serde_json::from_str(json).ok()?;
    if v.get("mediaType").is_some() {
        return None;
    }
    let signature = v.get("base64Signature")?;
    let bad = |m: String| VerifyError::Bundle(format!("cosign bundle: {m}"));
    Some((|| {
        let signature = signature
            .as_str()
            .filter(|s| !s.is_empty() && STANDARD.decode(s).is_ok())
            .ok_or_else(|| bad("base64Signature is not a base64 signature".into()))?;
        let cert = match v.get("cert").and_then(Value::as_str) {
            None | Some("") => None,
            Some(b64) => Some(
                STANDARD
                    .decode(b64)
                    .map_err(|_| bad("cert is not base64 (of a PEM certificate)".into()))?,
            ),
        };
        let content = json!({
            "messageSignature": {
                "messageDigest": {"algorithm": "SHA2_256", "digest": STANDARD.encode(digest)},
                "signature": signature,
            },
        });
        let rekor = v.get("rekorBundle").filter(|r| !r.is_null());
        let bundle = to_bundle(cert.as_deref(), rekor, content).map_err(bad)?;
        Ok(bundle.to_string())
    })())
}
