//! Finding identity: DefectDojo's `hash_code` with its per-scanner field lists
//! (`HASHCODE_FIELDS_PER_SCANNER`, 3.2.0 defaults), its matching algorithm per scanner
//! (`DEDUPLICATION_ALGORITHM_PER_PARSER`), and gatehouse's cross-scanner keys.
//!
//! Differences from DefectDojo, on purpose: dedupe is on by default; the `legacy` algorithm is
//! matched by `hash_code` (over the legacy field set) rather than title/CWE/endpoint heuristics;
//! two cross-scanner keys link findings of different scanners: (vulnerability id, component,
//! version) and (CWE, file, line); and a [`line_free_key`] that survives line shifts and version
//! bumps, the fallback when a finding's exact keys find nothing (DefectDojo #13681, #14205).

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

/// The fields of a finding [`line_free_key`] reads.
#[derive(Debug, Default, Clone)]
pub struct LineFreeInput<'a> {
    pub rule_id: &'a str,
    pub vuln_id_from_tool: Option<&'a str>,
    pub vulnerability_ids: &'a [String],
    pub file_path: Option<&'a str>,
    pub component_name: Option<&'a str>,
    pub component_version: Option<&'a str>,
    pub title: &'a str,
    pub description: &'a str,
}

/// A finding's identity without its line and version numbers: the second key reimport and
/// dedupe try when the exact ones (tool id, `hash_code`) find nothing, so a finding whose code
/// moved, or whose title names the installed version, is the same finding on the next run.
///
/// SHA-256 hex of: the vulnerability ids (sorted, uppercased; else `vuln_id_from_tool`, else
/// the rule id); the component name; the file path; the title; and, for findings without a
/// component, the description. Texts are lowercased, the component version is cut out of them
/// and every number (line numbers, versions, dates; not digits inside identifiers) becomes
/// `#`. Dependency findings (with a component) leave the description out, and their path is
/// normalized the same way (an image tag or a versioned lockfile path changes with the
/// version).
///
/// Several findings can share a key (one rule firing on identical text twice in a file);
/// callers pair them by nearest line.
pub fn line_free_key(input: &LineFreeInput<'_>) -> String {
    let version = input.component_version.filter(|v| !v.is_empty());
    let mut ids: Vec<String> = input
        .vulnerability_ids
        .iter()
        .map(|id| id.trim().to_ascii_uppercase())
        .filter(|id| !id.is_empty())
        .collect();
    ids.sort();
    ids.dedup();
    let identity = if ids.is_empty() {
        input
            .vuln_id_from_tool
            .filter(|v| !v.is_empty())
            .unwrap_or(input.rule_id)
            .to_owned()
    } else {
        ids.join(",")
    };
    let component = input
        .component_name
        .filter(|c| !c.is_empty())
        .map(str::to_lowercase);
    let path = input.file_path.unwrap_or_default();
    let (path, description) = match &component {
        Some(_) => (without_numbers(path, version), String::new()),
        None => (path.to_owned(), without_numbers(input.description, version)),
    };
    let parts = [
        "line-free/v1".to_owned(),
        identity,
        component.unwrap_or_default(),
        path,
        without_numbers(input.title, version),
        description,
    ];
    // Serializing an array of strings cannot fail.
    let canonical = serde_json::to_string(&parts).unwrap_or_default();
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

/// Lowercased `text` without `version`, every number replaced by `#`, whitespace collapsed. A
/// number is a word (letters, digits and `.~+_-`) that starts with a digit, or with `v` and a
/// digit: line numbers, `12:5`, versions (`3.0.11-1~deb12u2`, `v1.2`), dates. Identifiers with
/// digits inside (`md5`, `x1`, `CVE-2024-1`) stay.
fn without_numbers(text: &str, version: Option<&str>) -> String {
    let lower = text.to_lowercase();
    let text = match version {
        Some(v) => lower.replace(&v.to_lowercase(), " "),
        None => lower,
    };
    let word_char = |c: char| c.is_alphanumeric() || ".~+_-".contains(c);
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    fn flush(word: &mut String, out: &mut String) {
        let mut chars = word.chars();
        let number = match (chars.next(), chars.next()) {
            (Some(first), _) if first.is_ascii_digit() => true,
            (Some('v'), Some(second)) => second.is_ascii_digit(),
            _ => false,
        };
        if number {
            out.push('#');
        } else {
            out.push_str(word);
        }
        word.clear();
    }
    for c in text.chars() {
        if word_char(c) {
            word.push(c);
            continue;
        }
        flush(&mut word, &mut out);
        if c.is_whitespace() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out.trim().to_owned()
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

    #[test]
    fn line_free_key_ignores_lines_and_versions_but_not_the_finding() {
        let code = |description: &'static str| LineFreeInput {
            rule_id: "py/sql-injection",
            file_path: Some("app/db.py"),
            title: "SQL built from user input",
            description,
            ..LineFreeInput::default()
        };
        let at_12 = line_free_key(&code("query at app/db.py:12\n```cur.execute(q)```"));
        let at_40 = line_free_key(&code("query at app/db.py:40\n```cur.execute(q)```"));
        let other = line_free_key(&code("query at app/db.py:40\n```cur.execute(p)```"));
        assert_eq!(at_12, at_40);
        assert_ne!(at_12, other);

        let ids = vec!["CVE-2024-0727".to_owned()];
        let dep = |version: &'static str, title: &'static str| LineFreeInput {
            rule_id: "CVE-2024-0727",
            vulnerability_ids: &ids,
            file_path: Some("registry.example/app:1.0 (debian 12.4)"),
            component_name: Some("openssl"),
            component_version: Some(version),
            title,
            description: "fixed in 3.0.13",
            ..LineFreeInput::default()
        };
        assert_eq!(
            line_free_key(&dep(
                "3.0.11-1~deb12u2",
                "CVE-2024-0727 openssl 3.0.11-1~deb12u2"
            )),
            line_free_key(&dep(
                "3.0.11-1~deb12u3",
                "CVE-2024-0727 openssl 3.0.11-1~deb12u3"
            ))
        );
        let zlib = LineFreeInput {
            component_name: Some("zlib"),
            ..dep("3.0.11-1~deb12u2", "CVE-2024-0727 zlib 3.0.11-1~deb12u2")
        };
        assert_ne!(
            line_free_key(&zlib),
            line_free_key(&dep(
                "3.0.11-1~deb12u2",
                "CVE-2024-0727 openssl 3.0.11-1~deb12u2"
            ))
        );
        assert_eq!(
            without_numbers("Bump  lodash 4.17.20 at line 3", Some("4.17.20")),
            "bump lodash at line #"
        );
        assert_eq!(
            without_numbers("md5 of x1 at db.py:12:5 (v2.1, 1:1.2.13.dfsg-1)", None),
            "md5 of x1 at db.py:#:# (#, #:#)"
        );
    }
}
