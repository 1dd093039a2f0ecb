//! Output and input formats: CycloneDX 1.6 JSON, SPDX 2.3 JSON (both written and read back),
//! and the per-ecosystem summary table.
//!
//! Output is deterministic: components are sorted by purl, serial numbers and document
//! namespaces are derived from the content, and the timestamp is the caller's.

pub mod cyclonedx;
pub mod licenses;
pub mod spdx;
pub mod table;

/// Reads an SBOM document of either format, told apart by its own fields: CycloneDX JSON
/// (`bomFormat`) or SPDX 2.x JSON (`spdxVersion`).
pub fn read(text: &str) -> Result<crate::Sbom, crate::SbomError> {
    let doc: serde_json::Value =
        serde_json::from_str(text).map_err(|e| crate::SbomError::Document {
            format: "SBOM",
            message: format!("line {}, column {}: {e}", e.line(), e.column()),
        })?;
    if doc.get("bomFormat").is_some() {
        cyclonedx::from_str(text)
    } else if doc.get("spdxVersion").is_some() {
        spdx::from_str(text)
    } else {
        Err(crate::SbomError::Document {
            format: "SBOM",
            message: "neither CycloneDX JSON (`bomFormat`) nor SPDX 2 JSON (`spdxVersion`); \
                      SPDX tag-value and XML are not read, convert them to JSON first"
                .into(),
        })
    }
}

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

pub use gatehouse_model::fingerprint::content_uuid;

/// Sets `key` on a JSON object (no-op on other values).
pub(crate) fn set(v: &mut serde_json::Value, key: &str, value: serde_json::Value) {
    if let Some(o) = v.as_object_mut() {
        o.insert(key.to_owned(), value);
    }
}

/// RFC 3339 UTC text for a Unix time (`1970-01-01T00:00:00Z` for 0), for callers that pass
/// "now" or `SOURCE_DATE_EPOCH` as the document timestamp.
pub fn rfc3339_utc(unix_secs: i64) -> String {
    let days = unix_secs.div_euclid(86_400);
    let secs = unix_secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3_600,
        secs % 3_600 / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn rfc3339() {
        assert_eq!(super::rfc3339_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::rfc3339_utc(1_767_225_600), "2026-01-01T00:00:00Z");
        assert_eq!(super::rfc3339_utc(951_827_696), "2000-02-29T12:34:56Z");
    }
}
