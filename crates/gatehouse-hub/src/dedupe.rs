//! Finding identity: DefectDojo's `hash_code` with its per-scanner field lists
//! (`HASHCODE_FIELDS_PER_SCANNER`, 3.2.0 defaults), its matching algorithm per scanner
//! (`DEDUPLICATION_ALGORITHM_PER_PARSER`), and gatehouse's cross-scanner keys.
//!
//! Differences from DefectDojo, on purpose: dedupe is on by default; the `legacy` algorithm is
//! matched by `hash_code` (over the legacy field set) rather than title/CWE/endpoint heuristics;
//! two cross-scanner keys link findings of different scanners: (vulnerability id, component,
//! version) and (CWE, file, line).

use sha2::{Digest, Sha256};

/// How findings of one scan type are matched against earlier ones (dedupe and reimport).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    HashCode,
    UniqueIdFromTool,
    UniqueIdFromToolOrHashCode,
    /// DefectDojo's default for unlisted scanners; gatehouse matches it by `hash_code`.
    Legacy,
}

impl Algorithm {
    pub fn uses_hash(self) -> bool {
        !matches!(self, Algorithm::UniqueIdFromTool)
    }
    pub fn uses_uid(self) -> bool {
        matches!(
            self,
            Algorithm::UniqueIdFromTool | Algorithm::UniqueIdFromToolOrHashCode
        )
    }
}

/// The fields DefectDojo hashes when a scanner has no list (or a list it cannot use).
pub const LEGACY_FIELDS: &[&str] = &["title", "cwe", "line", "file_path", "description"];

/// `(scan_type, algorithm, hash fields, null CWE allowed)`, DefectDojo 3.2.0's defaults.
/// An empty field list means the legacy set.
static PER_SCANNER: &[(&str, Algorithm, &[&str], bool)] = &[
    ("SARIF", Algorithm::UniqueIdFromToolOrHashCode, &[], true),
    ("Checkov Scan", Algorithm::HashCode, &[], true),
    (
        "Trivy Scan",
        Algorithm::HashCode,
        &[
            "title",
            "severity",
            "vulnerability_ids",
            "cwe",
            "description",
        ],
        true,
    ),
    (
        "Trivy Operator Scan",
        Algorithm::HashCode,
        &["title", "severity", "vulnerability_ids", "description"],
        true,
    ),
    (
        "Semgrep JSON Report",
        Algorithm::UniqueIdFromToolOrHashCode,
        &[],
        true,
    ),
    (
        "Bandit Scan",
        Algorithm::HashCode,
        &["file_path", "line", "vuln_id_from_tool"],
        true,
    ),
    (
        "ZAP Scan",
        Algorithm::HashCode,
        &["title", "cwe", "severity"],
        false,
    ),
    ("Gitleaks Scan", Algorithm::HashCode, &[], true),
    (
        "Trufflehog Scan",
        Algorithm::HashCode,
        &["title", "description", "line"],
        true,
    ),
    ("Trufflehog3 Scan", Algorithm::HashCode, &[], true),
    (
        "Anchore Grype",
        Algorithm::HashCode,
        &["title", "severity", "component_name", "component_version"],
        true,
    ),
    (
        "Anchore Grype detailed",
        Algorithm::UniqueIdFromTool,
        &[],
        true,
    ),
    (
        "NPM Audit Scan",
        Algorithm::HashCode,
        &["title", "severity", "file_path", "vulnerability_ids", "cwe"],
        true,
    ),
    (
        "NPM Audit v7+ Scan",
        Algorithm::HashCode,
        &["title", "severity", "cwe", "vuln_id_from_tool"],
        true,
    ),
    (
        "Dependency Check Scan",
        Algorithm::HashCode,
        &["title", "cwe", "file_path"],
        true,
    ),
    (
        "Snyk Scan",
        Algorithm::HashCode,
        &[
            "vuln_id_from_tool",
            "file_path",
            "component_name",
            "component_version",
        ],
        true,
    ),
    (
        "Snyk Code Scan",
        Algorithm::HashCode,
        &["vuln_id_from_tool", "file_path"],
        true,
    ),
    (
        "KICS Scan",
        Algorithm::HashCode,
        &["file_path", "line", "severity", "description", "title"],
        true,
    ),
    (
        "TFSec Scan",
        Algorithm::HashCode,
        &["severity", "vuln_id_from_tool", "file_path", "line"],
        true,
    ),
    (
        "Terrascan Scan",
        Algorithm::HashCode,
        &[
            "vuln_id_from_tool",
            "title",
            "severity",
            "file_path",
            "line",
            "component_name",
        ],
        true,
    ),
    (
        "Nuclei Scan",
        Algorithm::HashCode,
        &["title", "cwe", "severity", "component_name"],
        true,
    ),
    ("Hadolint Dockerfile check", Algorithm::HashCode, &[], true),
    (
        "OSV Scan",
        Algorithm::HashCode,
        &["title", "description", "severity"],
        true,
    ),
    (
        "CycloneDX Scan",
        Algorithm::HashCode,
        &["vuln_id_from_tool", "component_name", "component_version"],
        true,
    ),
    ("Generic Findings Import", Algorithm::HashCode, &[], true),
    (
        "Github SAST Scan",
        Algorithm::UniqueIdFromToolOrHashCode,
        &["vuln_id_from_tool", "severity", "file_path", "line"],
        true,
    ),
];

/// The matching algorithm for a scan type (`Legacy` when DefectDojo lists none).
pub fn algorithm(scan_type: &str) -> Algorithm {
    PER_SCANNER
        .iter()
        .find(|(name, ..)| *name == scan_type)
        .map_or(Algorithm::Legacy, |(_, algorithm, ..)| *algorithm)
}

/// The DefectDojo fields a finding's values are read from for hashing.
#[derive(Debug, Default, Clone)]
pub struct HashInput<'a> {
    pub title: &'a str,
    pub cwe: u32,
    pub line: Option<u32>,
    pub file_path: Option<&'a str>,
    pub description: &'a str,
    pub severity: &'a str,
    pub vulnerability_ids: &'a [String],
    pub component_name: Option<&'a str>,
    pub component_version: Option<&'a str>,
    pub vuln_id_from_tool: Option<&'a str>,
    pub unique_id_from_tool: Option<&'a str>,
    pub service: Option<&'a str>,
}

/// DefectDojo's `hash_code`: sha256 hex of the configured fields' values concatenated with no
/// separator (`None` → `"None"`), plus the service, case-folded and stripped.
pub fn hash_code(scan_type: &str, input: &HashInput<'_>) -> String {
    let configured = PER_SCANNER.iter().find(|(name, ..)| *name == scan_type);
    let fields: &[&str] = match configured {
        Some((_, _, fields, null_cwe_ok)) if !fields.is_empty() => {
            if !null_cwe_ok && input.cwe == 0 {
                LEGACY_FIELDS
            } else {
                fields
            }
        }
        _ => LEGACY_FIELDS,
    };
    let none = |v: Option<&str>| v.unwrap_or("None").to_owned();
    let mut text = String::new();
    for field in fields {
        let value = match *field {
            "title" => input.title.to_owned(),
            "cwe" => input.cwe.to_string(),
            "line" => input
                .line
                .map_or_else(|| "None".to_owned(), |l| l.to_string()),
            "file_path" => none(input.file_path),
            "description" => input.description.to_owned(),
            "severity" => input.severity.to_owned(),
            "vulnerability_ids" => {
                let mut ids = input.vulnerability_ids.to_vec();
                ids.sort();
                ids.concat()
            }
            "component_name" => none(input.component_name),
            "component_version" => none(input.component_version),
            "vuln_id_from_tool" => none(input.vuln_id_from_tool),
            "unique_id_from_tool" => none(input.unique_id_from_tool),
            _ => String::new(),
        };
        text.push_str(&value);
    }
    if let Some(service) = input.service {
        text.push_str(service);
    }
    // Python's casefold() ≈ full lowercase for the texts scanners produce.
    let folded = text.to_lowercase();
    hex::encode(Sha256::digest(folded.trim().as_bytes()))
}

/// Cross-scanner key "same vulnerability in the same package version": the first CVE id (else
/// the first id), component name and version, lowercased. `None` without all three.
pub fn cross_cve_key(
    vulnerability_ids: &[String],
    component_name: Option<&str>,
    component_version: Option<&str>,
) -> Option<String> {
    let id = vulnerability_ids
        .iter()
        .find(|id| id.to_ascii_uppercase().starts_with("CVE-"))
        .or_else(|| vulnerability_ids.first())?;
    let name = component_name.filter(|n| !n.is_empty())?;
    let version = component_version.filter(|v| !v.is_empty())?;
    Some(format!(
        "{}|{}|{}",
        id.to_ascii_uppercase(),
        name.to_lowercase(),
        version
    ))
}

/// Cross-scanner key "same weakness class at the same place": CWE, file and line.
pub fn cross_loc_key(cwe: u32, file_path: Option<&str>, line: Option<u32>) -> Option<String> {
    if cwe == 0 {
        return None;
    }
    Some(format!(
        "CWE-{cwe}|{}|{}",
        file_path.filter(|p| !p.is_empty())?,
        line?
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_hash_matches_defectdojo_formula() {
        let input = HashInput {
            title: "Title",
            cwe: 0,
            line: Some(3),
            file_path: Some("a.py"),
            description: "Desc",
            ..HashInput::default()
        };
        let expected = hex::encode(Sha256::digest(b"title03a.pydesc"));
        assert_eq!(hash_code("SARIF", &input), expected);
        assert_eq!(hash_code("Unlisted", &input), expected);
    }

    #[test]
    fn zap_without_cwe_falls_back_to_legacy() {
        let input = HashInput {
            title: "T",
            severity: "High",
            ..HashInput::default()
        };
        let expected = hex::encode(Sha256::digest(b"t0nonenone"));
        assert_eq!(hash_code("ZAP Scan", &input), expected);
    }

    #[test]
    fn cross_keys_need_all_parts() {
        let ids = vec!["GHSA-x".to_owned(), "cve-2024-1".to_owned()];
        assert_eq!(
            cross_cve_key(&ids, Some("OpenSSL"), Some("3.0.1")).as_deref(),
            Some("CVE-2024-1|openssl|3.0.1")
        );
        assert_eq!(cross_cve_key(&ids, Some("openssl"), None), None);
        assert_eq!(
            cross_loc_key(79, Some("a.js"), Some(4)).as_deref(),
            Some("CWE-79|a.js|4")
        );
        assert_eq!(cross_loc_key(0, Some("a.js"), Some(4)), None);
    }
}
