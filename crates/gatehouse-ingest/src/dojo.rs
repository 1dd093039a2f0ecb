//! DefectDojo's finding fields, and their mapping onto [`Finding`].
//!
//! Parsers fill a [`DojoFinding`] with DefectDojo's own field semantics and convert it once with
//! [`DojoFinding::into_finding`]. Fields `Finding` has a slot for go there:
//!
//! | DefectDojo | `Finding` |
//! |---|---|
//! | `title` | `title` |
//! | `severity` | `severity` (and the tool's word in `tool_severity`) |
//! | `description` | `message` |
//! | `mitigation` | `remediation` |
//! | `references` | `references` (the URLs in it; the text verbatim in `properties` when it is more) |
//! | `file_path`, `line` | `location.path` (normalized), `location.start_line` |
//! | `cwe`, `unsaved_cwes` | `cwe_ids` (`cwe` is the first) |
//! | `unsaved_vulnerability_ids` | `vulnerability_ids` |
//! | `component_name`/`component_version` | `location.purl`/`package_version` when derivable |
//! | `unsaved_tags` | `tags` |
//! | `vuln_id_from_tool` | `rule_id` (title when absent) |
//!
//! Everything else is kept in `properties` under DefectDojo's field name: [`UNIQUE_ID_FROM_TOOL`],
//! [`VULN_ID_FROM_TOOL`], [`COMPONENT_NAME`], [`COMPONENT_VERSION`], [`FILE_PATH`] (only when the
//! verbatim path differs from the normalized one), [`DATE`], [`CVSSV3`], [`CVSSV3_SCORE`],
//! [`FIX_AVAILABLE`], [`FIX_VERSION`], [`SERVICE`], [`IMPACT`], [`SEVERITY_JUSTIFICATION`],
//! [`NB_OCCURENCES`], [`ACTIVE`], [`VERIFIED`], [`FALSE_P`], [`IS_MITIGATED`],
//! [`STATIC_FINDING`], [`DYNAMIC_FINDING`], [`PARAM`], [`ENDPOINTS`].

use gatehouse_model::{Finding, Location, Severity};
use serde_json::{Map, Value};

pub const UNIQUE_ID_FROM_TOOL: &str = "unique_id_from_tool";
pub const VULN_ID_FROM_TOOL: &str = "vuln_id_from_tool";
pub const COMPONENT_NAME: &str = "component_name";
pub const COMPONENT_VERSION: &str = "component_version";
pub const FILE_PATH: &str = "file_path";
pub const DATE: &str = "date";
pub const CVSSV3: &str = "cvssv3";
pub const CVSSV3_SCORE: &str = "cvssv3_score";
pub const FIX_AVAILABLE: &str = "fix_available";
pub const FIX_VERSION: &str = "fix_version";
pub const SERVICE: &str = "service";
pub const IMPACT: &str = "impact";
pub const SEVERITY_JUSTIFICATION: &str = "severity_justification";
pub const NB_OCCURENCES: &str = "nb_occurences";
pub const ACTIVE: &str = "active";
pub const VERIFIED: &str = "verified";
pub const FALSE_P: &str = "false_p";
pub const IS_MITIGATED: &str = "is_mitigated";
pub const STATIC_FINDING: &str = "static_finding";
pub const DYNAMIC_FINDING: &str = "dynamic_finding";
pub const PARAM: &str = "param";
pub const ENDPOINTS: &str = "endpoints";
/// DefectDojo's free-text references, kept verbatim when they are more than a list of URLs.
pub const REFERENCES: &str = "references";

/// A finding as a DefectDojo parser builds it; see the [module docs](self) for the mapping.
#[derive(Debug, Clone, Default)]
pub struct DojoFinding {
    pub title: String,
    pub severity: Severity,
    /// The tool's own severity word, kept verbatim.
    pub tool_severity: Option<String>,
    pub description: String,
    pub mitigation: Option<String>,
    pub references: Option<String>,
    pub file_path: Option<String>,
    pub line: Option<u32>,
    pub cwes: Vec<u32>,
    pub vulnerability_ids: Vec<String>,
    pub component_name: Option<String>,
    pub component_version: Option<String>,
    /// Package URL of the component, when the report names its ecosystem.
    pub purl: Option<String>,
    pub unique_id_from_tool: Option<String>,
    pub vuln_id_from_tool: Option<String>,
    pub tags: Vec<String>,
    /// Further DefectDojo fields (`date`, `cvssv3`, `fix_available`, …), by DefectDojo name.
    pub extra: Map<String, Value>,
}

impl DojoFinding {
    pub fn new(title: impl Into<String>, severity: Severity) -> Self {
        Self {
            title: title.into(),
            severity,
            ..Self::default()
        }
    }

    /// Sets a further DefectDojo field (see the module docs for names).
    pub fn set(&mut self, field: &str, value: impl Into<Value>) {
        self.extra.insert(field.to_owned(), value.into());
    }

    /// Sets a further field only when there is a value.
    pub fn set_opt<V: Into<Value>>(&mut self, field: &str, value: Option<V>) {
        if let Some(value) = value {
            self.set(field, value);
        }
    }

    /// Adds a CWE once (keeps the order: the first is DefectDojo's `cwe`).
    pub fn add_cwe(&mut self, cwe: u32) {
        if cwe != 0 && !self.cwes.contains(&cwe) {
            self.cwes.push(cwe);
        }
    }

    /// Adds a vulnerability id once.
    pub fn add_vulnerability_id(&mut self, id: impl Into<String>) {
        let id = id.into();
        if !id.is_empty() && !self.vulnerability_ids.contains(&id) {
            self.vulnerability_ids.push(id);
        }
    }

    /// The finding, with the tool that produced it.
    pub fn into_finding(self, tool: &str, tool_version: Option<&str>) -> Finding {
        let rule_id = self
            .vuln_id_from_tool
            .clone()
            .unwrap_or_else(|| self.title.clone());
        let mut finding = Finding::new(rule_id, self.severity, self.description)
            .with_title(self.title)
            .with_tool(tool, tool_version);
        finding.tool_severity = self.tool_severity;
        finding.remediation = self.mitigation.filter(|m| !m.is_empty());
        if let Some(references) = self.references.filter(|r| !r.trim().is_empty()) {
            finding.references = urls_in(&references);
            if finding.references.join("\n") != references {
                finding
                    .properties
                    .insert(REFERENCES.to_owned(), Value::String(references));
            }
        }
        finding.cwe_ids = self.cwes;
        finding.vulnerability_ids = self.vulnerability_ids;
        finding.tags = self.tags;

        let mut location = Location::default();
        if let Some(path) = self.file_path.filter(|p| !p.is_empty()) {
            let normalized = normalize_file_path(&path);
            if normalized != path {
                finding
                    .properties
                    .insert(FILE_PATH.to_owned(), Value::String(path));
            }
            location.path = Some(normalized);
        }
        location.start_line = self.line.filter(|line| *line > 0);
        location.end_line = location.start_line;
        if let Some(purl) = self.purl {
            location.purl = Some(purl);
            location.package_version = self.component_version.clone();
        }
        finding.location = location;

        let mut put = |key: &str, value: Option<String>| {
            if let Some(value) = value {
                finding
                    .properties
                    .insert(key.to_owned(), Value::String(value));
            }
        };
        put(UNIQUE_ID_FROM_TOOL, self.unique_id_from_tool);
        put(VULN_ID_FROM_TOOL, self.vuln_id_from_tool);
        put(COMPONENT_NAME, self.component_name);
        put(COMPONENT_VERSION, self.component_version);
        finding.properties.extend(self.extra);
        finding
    }
}

/// Every `http(s)://` URL in a text, in order, without duplicates (markdown brackets and
/// trailing punctuation stripped).
fn urls_in(text: &str) -> Vec<String> {
    let mut urls: Vec<String> = Vec::new();
    for (start, _) in text.match_indices("http") {
        let Some(rest) = text.get(start..) else {
            continue;
        };
        if !(rest.starts_with("http://") || rest.starts_with("https://")) {
            continue;
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || matches!(c, ')' | ']' | '"' | '<' | '>' | '`'))
            .unwrap_or(rest.len());
        let url = rest
            .get(..end)
            .unwrap_or_default()
            .trim_end_matches(['.', ',', ';', ':']);
        if !urls.iter().any(|u| u == url) {
            urls.push(url.to_owned());
        }
    }
    urls
}

/// `file:///a/b` → `/a/b`, then the model's normalization (forward slashes, no `./`).
fn normalize_file_path(path: &str) -> String {
    let path = path.strip_prefix("file://").unwrap_or(path);
    gatehouse_model::location::normalize_path(path)
}

/// DefectDojo's word for a severity (`"High"`), as its API shows it.
pub fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Info => "Info",
        Severity::Low => "Low",
        Severity::Medium => "Medium",
        Severity::High => "High",
        Severity::Critical => "Critical",
    }
}

/// DefectDojo's exact-word mapping: the five names in any case (`"MEDIUM"`, `"high"`), `None`
/// for anything else (parsers then apply their own default).
pub fn severity_exact(word: &str) -> Option<Severity> {
    match word.trim().to_ascii_lowercase().as_str() {
        "critical" => Some(Severity::Critical),
        "high" => Some(Severity::High),
        "medium" => Some(Severity::Medium),
        "low" => Some(Severity::Low),
        "info" | "informational" => Some(Severity::Info),
        _ => None,
    }
}

/// Builds `pkg:<kind>/<name>@<version>` (name segments percent-encoded where purl requires).
pub fn purl(kind: &str, name: &str, version: Option<&str>) -> String {
    let name = name.replace('@', "%40");
    let name = name
        .strip_prefix("%40")
        .map_or(name.clone(), |rest| format!("%40{rest}"));
    match version.filter(|v| !v.is_empty()) {
        Some(version) => format!("pkg:{kind}/{name}@{version}"),
        None => format!("pkg:{kind}/{name}"),
    }
}

/// First CWE number in text such as `CWE-79`, `cwe-79: …`, `external/cwe/cwe-079`.
pub fn cwe_number(text: &str) -> Option<u32> {
    let lower = text.to_ascii_lowercase();
    let start = lower.find("cwe-")? + 4;
    let digits: String = lower
        .get(start..)?
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// A timestamp in DefectDojo's ISO form (`2016-07-16T14:19:01+00:00`; microseconds when
/// non-zero), or `None` when it is not RFC 3339.
pub fn iso_datetime(raw: &str) -> Option<String> {
    let parsed = chrono::DateTime::parse_from_rfc3339(raw.trim()).ok()?;
    let format = if parsed.timestamp_subsec_micros() == 0 {
        "%Y-%m-%dT%H:%M:%S%:z"
    } else {
        "%Y-%m-%dT%H:%M:%S%.6f%:z"
    };
    Some(parsed.format(format).to_string())
}

/// DefectDojo's in-report dedupe: the first finding per key is kept (in report order) and
/// later ones only raise its `nb_occurences`.
#[derive(Debug, Default)]
pub struct Dupes {
    order: Vec<String>,
    findings: std::collections::HashMap<String, DojoFinding>,
}

impl Dupes {
    /// Adds a finding under `key`, or counts one more occurrence of the kept one.
    pub fn add(&mut self, key: String, mut finding: DojoFinding) {
        match self.findings.get_mut(&key) {
            Some(kept) => {
                let count = kept
                    .extra
                    .get(NB_OCCURENCES)
                    .and_then(Value::as_u64)
                    .unwrap_or(1);
                kept.set(NB_OCCURENCES, count + 1);
            }
            None => {
                finding.set(NB_OCCURENCES, 1);
                self.order.push(key.clone());
                self.findings.insert(key, finding);
            }
        }
    }

    /// The kept findings, in first-seen order.
    pub fn into_vec(mut self) -> Vec<DojoFinding> {
        self.order
            .iter()
            .filter_map(|key| self.findings.remove(key))
            .collect()
    }

    /// The kept finding for `key`, to merge more into it.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut DojoFinding> {
        self.findings.get_mut(key)
    }
}

/// Converts DefectDojo findings with one tool name and version.
pub(crate) fn finish(
    findings: Vec<DojoFinding>,
    tool: &str,
    version: Option<&str>,
) -> Vec<Finding> {
    findings
        .into_iter()
        .map(|finding| finding.into_finding(tool, version))
        .collect()
}

/// Python's `str.title()` for ASCII words (`"HIGH"` → `"High"`), as DefectDojo applies it.
pub fn title_case(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut previous_is_letter = false;
    for c in word.chars() {
        if c.is_alphabetic() {
            if previous_is_letter {
                out.extend(c.to_lowercase());
            } else {
                out.extend(c.to_uppercase());
            }
            previous_is_letter = true;
        } else {
            out.push(c);
            previous_is_letter = false;
        }
    }
    out
}

/// A severity DefectDojo accepts after a parser's own mapping: the five names (any case),
/// `info*`/`none` → Info; anything else is `None` (DefectDojo would abort the import).
pub fn severity_sanitized(word: &str) -> Option<Severity> {
    let lower = word.trim().to_ascii_lowercase();
    if lower.starts_with("info") || lower == "none" {
        return Some(Severity::Info);
    }
    severity_exact(&lower)
}
