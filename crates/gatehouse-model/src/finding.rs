//! `Finding`: the one record every gate produces and every report, waiver and the hub consume.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::{Fingerprint, Location, Severity};

/// One thing a gate found. Policy results, vulnerability matches and ingested scanner results
/// are all `Finding`s.
///
/// Build one with [`Finding::new`] and the `with_*` methods:
///
/// ```
/// use gatehouse_model::{Finding, Location, Severity};
///
/// let finding = Finding::new("GH-TF-S3-001", Severity::High, "bucket `logs` is public")
///     .with_title("S3 bucket allows public read")
///     .with_location(Location::file("infra/main.tf").with_line(12))
///     .with_cwe(732)
///     .with_tool("gatehouse", Some("0.1.0"));
/// assert_eq!(finding.display_title(), "S3 bucket allows public read");
/// ```
///
/// Serialized field names are snake_case; empty and absent fields are omitted. This shape is
/// the `findings` array of the JSON report (see [`crate::report::json`]).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Finding {
    /// The rule that fired (a gatehouse rule id, a scanner's rule/check id, or the vulnerability
    /// id for vulnerability matches). Rule ids are public API: stable, never reused.
    pub rule_id: String,
    /// One line naming the problem; empty means "use the rule id".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// What is wrong with *this* instance.
    #[serde(default)]
    pub message: String,
    /// What the rule checks, independent of this instance (becomes SARIF `fullDescription`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Normalized severity.
    pub severity: Severity,
    /// The tool's own severity word (`"MODERATE"`, `"blocker"`, `"7.5"`), kept verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_severity: Option<String>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub location: Location,
    /// CWE numbers (`79` for CWE-79).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cwe_ids: Vec<u32>,
    /// Vulnerability ids and their aliases: `CVE-…`, `GHSA-…`, OSV ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vulnerability_ids: Vec<String>,
    /// The tool that produced the finding.
    #[serde(default, skip_serializing_if = "is_default")]
    pub tool: Tool,
    /// Owners from CODEOWNERS (`@org/team`, `@user`, e-mail).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owners: Vec<String>,
    /// The stable identity; `None` until computed (see [`Finding::ensure_fingerprint`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<Fingerprint>,
    /// Reference URLs; the first is used as the rule's help link.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
    /// How to fix it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remediation: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Anything else the producer wants to keep (scanner-specific fields).
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub properties: Map<String, Value>,
    /// Set when a waiver (or an in-source suppression) applies; suppressed findings do not fail
    /// a gate but stay in reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<Suppressed>,
}

/// The tool that produced a finding.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// Why a finding is suppressed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suppressed {
    pub source: SuppressionSource,
    pub justification: String,
    /// Who signed the waiver off (always set for waivers, usually unknown in source).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approver: Option<String>,
    /// Last day the waiver applies (always set for waivers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<NaiveDate>,
}

/// Where a suppression came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SuppressionSource {
    /// A gatehouse waiver ([`crate::Suppression`]).
    Waiver,
    /// A comment in the analysed source (`# nosec`, `// nolint`), reported by the scanner.
    InSource,
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

impl Finding {
    /// A finding with the three things every finding has; everything else through `with_*`.
    pub fn new(rule_id: impl Into<String>, severity: Severity, message: impl Into<String>) -> Self {
        Self {
            rule_id: rule_id.into(),
            severity,
            message: message.into(),
            ..Self::default()
        }
    }

    /// The title, or the rule id when there is none.
    pub fn display_title(&self) -> &str {
        if self.title.is_empty() {
            &self.rule_id
        } else {
            &self.title
        }
    }

    /// Whether a waiver or in-source suppression applies.
    pub fn is_suppressed(&self) -> bool {
        self.suppressed.is_some()
    }

    /// The stored fingerprint, or one computed now with [`Fingerprint::of`].
    pub fn fingerprint_or_compute(&self) -> Fingerprint {
        self.fingerprint
            .clone()
            .unwrap_or_else(|| Fingerprint::of(self))
    }

    /// Computes and stores the fingerprint if none is stored yet.
    pub fn ensure_fingerprint(&mut self) -> &Fingerprint {
        let fingerprint = self.fingerprint_or_compute();
        self.fingerprint.insert(fingerprint)
    }

    pub fn with_title(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    pub fn with_tool_severity(mut self, word: impl Into<String>) -> Self {
        self.tool_severity = Some(word.into());
        self
    }

    pub fn with_location(mut self, location: Location) -> Self {
        self.location = location;
        self
    }

    pub fn with_cwe(mut self, cwe: u32) -> Self {
        self.cwe_ids.push(cwe);
        self
    }

    pub fn with_vulnerability_id(mut self, id: impl Into<String>) -> Self {
        self.vulnerability_ids.push(id.into());
        self
    }

    pub fn with_tool(mut self, name: impl Into<String>, version: Option<&str>) -> Self {
        self.tool = Tool {
            name: name.into(),
            version: version.map(str::to_owned),
        };
        self
    }

    pub fn with_owner(mut self, owner: impl Into<String>) -> Self {
        self.owners.push(owner.into());
        self
    }

    pub fn with_reference(mut self, url: impl Into<String>) -> Self {
        self.references.push(url.into());
        self
    }

    pub fn with_remediation(mut self, text: impl Into<String>) -> Self {
        self.remediation = Some(text.into());
        self
    }

    pub fn with_tag(mut self, tag: impl Into<String>) -> Self {
        self.tags.push(tag.into());
        self
    }

    pub fn with_property(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.properties.insert(key.into(), value.into());
        self
    }

    pub fn with_fingerprint(mut self, fingerprint: Fingerprint) -> Self {
        self.fingerprint = Some(fingerprint);
        self
    }

    pub fn with_suppressed(mut self, suppressed: Suppressed) -> Self {
        self.suppressed = Some(suppressed);
        self
    }
}
