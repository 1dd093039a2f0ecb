//! Output and input formats: CycloneDX 1.6 JSON, SPDX 2.3 JSON (both written and read back),
//! and the per-ecosystem summary table.
//!
//! Output is deterministic: components are sorted by purl, serial numbers and document
//! namespaces are derived from the content, and the timestamp is the caller's.

pub mod cyclonedx;
pub mod licenses;
pub mod spdx;
pub mod table;

use sha2::{Digest, Sha256};

/// Options shared by the writers.
#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    /// RFC 3339 creation time. CycloneDX omits it when `None`; SPDX requires one and uses the
    /// Unix epoch so output stays reproducible.
    pub timestamp: Option<String>,
}

/// The tool that wrote the document.
pub const TOOL_NAME: &str = "gatehouse";
/// Its version.
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// A version-5-shaped UUID from the SHA-256 of `content`: same content, same UUID.
pub fn content_uuid(content: &[u8]) -> String {
    let d = Sha256::digest(content);
    let mut b: [u8; 16] = [0; 16];
    for (dst, src) in b.iter_mut().zip(d.iter()) {
        *dst = *src;
    }
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        h.get(0..8).unwrap_or_default(),
        h.get(8..12).unwrap_or_default(),
        h.get(12..16).unwrap_or_default(),
        h.get(16..20).unwrap_or_default(),
        h.get(20..32).unwrap_or_default()
    )
}

/// Sets `key` on a JSON object (no-op on other values).
pub(crate) fn set(v: &mut serde_json::Value, key: &str, value: serde_json::Value) {
    if let Some(o) = v.as_object_mut() {
        o.insert(key.to_owned(), value);
    }
}
