//! SARIF 2.1.0: typed serde structs for the subset gatehouse writes (and reads back).
//!
//! Names follow the specification (OASIS SARIF 2.1.0, errata 01): `SarifLog` is the top-level
//! `sarifLog` object, [`Result`] is a SARIF `result` (it shadows `std::result::Result` only if you
//! glob-import this module, so prefer `sarif::Result`). Field names are camelCase on the wire.
//!
//! Serialization omits `None` options, empty collections and empty property bags, so the output
//! carries only what a producer said. Two exceptions keep meaning intact: `Run::results` is always
//! written (an empty array means "ran, found nothing"; an absent one means "did not run"), and
//! `Invocation::execution_successful` is required by the schema.
//!
//! Deserialization is lenient where the specification has defaults: missing arrays become empty,
//! a missing `message.text` becomes empty (the message may be given by `id` instead), and unknown
//! properties are ignored. Enumerated strings (`level`, `kind`, suppression `kind`/`status`) must
//! hold one of the specification's values.
//!
//! [`to_sarif`] builds a log from findings; [`render`] writes it as pretty JSON.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

mod from_findings;

pub use from_findings::{SarifOptions, render, security_severity, to_sarif};

/// The `$schema` URI written into every log we produce (the OASIS errata-01 schema id).
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The only SARIF version this module speaks.
pub const VERSION: &str = "2.1.0";

/// A SARIF property bag: arbitrary JSON properties (`tags` is the one name the spec reserves).
pub type PropertyBag = Map<String, Value>;

/// The top-level `sarifLog` object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifLog {
    /// The schema URI; [`SCHEMA_URI`] by default.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Always `"2.1.0"`.
    pub version: String,
    /// One run per tool invocation.
    #[serde(default)]
    pub runs: Vec<Run>,
}

impl Default for SarifLog {
    fn default() -> Self {
        Self {
            schema: Some(SCHEMA_URI.to_owned()),
            version: VERSION.to_owned(),
            runs: Vec::new(),
        }
    }
}

impl SarifLog {
    /// A log with our schema URI, version 2.1.0 and the given runs.
    pub fn new(runs: Vec<Run>) -> Self {
        Self {
            runs,
            ..Self::default()
        }
    }
}

/// A `run`: one invocation of one analysis tool.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Run {
    pub tool: Tool,
    /// Always serialized: `[]` means the tool ran and found nothing.
    #[serde(default)]
    pub results: Vec<Result>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub invocations: Vec<Invocation>,
    /// Named base URIs that `ArtifactLocation::uri_base_id` refers to (e.g. `%SRCROOT%`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub original_uri_base_ids: BTreeMap<String, ArtifactLocation>,
    /// Identifies the run for deduplication across uploads (GitHub reads `id` as the category).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub automation_details: Option<RunAutomationDetails>,
    /// `"utf16CodeUnits"` or `"unicodeCodePoints"`: how `Region` columns are counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column_kind: Option<String>,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub properties: PropertyBag,
}

/// `runAutomationDetails`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunAutomationDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guid: Option<String>,
}

/// A `tool`: the driver plus any extensions (plugins, rule packs).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tool {
    pub driver: ToolComponent,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<ToolComponent>,
}

/// A `toolComponent`: the driver or an extension, with the rules it can report.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolComponent {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub semantic_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub information_uri: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<ReportingDescriptor>,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub properties: PropertyBag,
}

/// A `reportingDescriptor`: metadata about one rule.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportingDescriptor {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_description: Option<MultiformatMessageString>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_description: Option<MultiformatMessageString>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<MultiformatMessageString>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help_uri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_configuration: Option<ReportingConfiguration>,
    /// GitHub reads `tags`, `precision`, `problem.severity` and `security-severity` from here.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub properties: PropertyBag,
}

/// A `reportingConfiguration` (used as a rule's `defaultConfiguration`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportingConfiguration {
    /// Absent means `true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Absent means `warning`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    /// 0.0–100.0, or absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank: Option<f64>,
}

/// A `multiformatMessageString`: plain text plus optional Markdown.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MultiformatMessageString {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub markdown: Option<String>,
}

impl MultiformatMessageString {
    /// Plain text only.
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            markdown: None,
        }
    }
}

/// A `message`. We always write `text`; a message read from elsewhere may carry only an `id`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    #[serde(default)]
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub markdown: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub arguments: Vec<String>,
}

impl Message {
    /// A plain-text message.
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            ..Self::default()
        }
    }
}

/// A result's or notification's `level`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    None,
    Note,
    Warning,
    Error,
}

impl Level {
    /// The wire name (`"error"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Level::None => "none",
            Level::Note => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

/// A result's `kind`. Absent means `fail`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ResultKind {
    NotApplicable,
    Pass,
    Fail,
    Review,
    Open,
    Informational,
}

/// A `result`: one thing a rule reported.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Result {
    /// The rule id. SARIF lets a producer give it as `rule.id` instead; see [`Result::rule_id`].
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub rule_id: String,
    /// Index into `run.tool.driver.rules`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_index: Option<usize>,
    /// Reference to the rule when it is not given (only) by `ruleId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<ReportingDescriptorReference>,
    /// Absent on the wire means: the rule's default level, else `warning`
    /// (see [`Result::effective_level`]). We always write it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ResultKind>,
    pub message: Message,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<Location>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related_locations: Vec<Location>,
    /// Stable identities for matching results across runs, e.g. `{"gatehouse/v1": "<hex>"}`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub partial_fingerprints: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fingerprints: BTreeMap<String, String>,
    /// Present and non-empty when the result was waived (see [`Suppression`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suppressions: Vec<Suppression>,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub properties: PropertyBag,
}

impl Result {
    /// The rule id, from `ruleId`, else `rule.id`; `None` if the producer gave neither.
    pub fn rule_id(&self) -> Option<&str> {
        if !self.rule_id.is_empty() {
            return Some(&self.rule_id);
        }
        self.rule.as_ref().and_then(|r| r.id.as_deref())
    }

    /// The level a consumer should use: `level` if present, else the rule's
    /// `defaultConfiguration.level` (found by `ruleIndex`, then by id), else `warning`.
    pub fn effective_level(&self, run: &Run) -> Level {
        if let Some(level) = self.level {
            return level;
        }
        let rules = &run.tool.driver.rules;
        let index = self
            .rule_index
            .or_else(|| self.rule.as_ref().and_then(|r| r.index));
        let by_index = index.and_then(|i| rules.get(i));
        let rule = by_index.or_else(|| {
            let id = self.rule_id()?;
            rules.iter().find(|r| r.id == id)
        });
        rule.and_then(|r| r.default_configuration.as_ref())
            .and_then(|c| c.level)
            .unwrap_or(Level::Warning)
    }
}

/// A `reportingDescriptorReference`: points at a rule or notification descriptor.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportingDescriptorReference {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
}

/// A `location`: where in a file and/or in a logical structure.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub physical_location: Option<PhysicalLocation>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub logical_locations: Vec<LogicalLocation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<Message>,
}

/// A `physicalLocation`: a file and a region of it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PhysicalLocation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_location: Option<ArtifactLocation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<Region>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_region: Option<Region>,
}

/// An `artifactLocation`: a URI (usually relative to a `uriBaseId` such as `%SRCROOT%`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactLocation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri_base_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Message>,
}

/// A `region`: lines and columns are 1-based.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Region {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_line: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_column: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_line: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_column: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub char_offset: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub char_length: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snippet: Option<ArtifactContent>,
}

/// An `artifactContent` (we use only `text`, for region snippets).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactContent {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// A `logicalLocation`: a named thing that is not a file position, e.g. a Terraform resource
/// address or a package.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogicalLocation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fully_qualified_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decorated_name: Option<String>,
    /// e.g. `"resource"`, `"module"`, `"package"`, `"function"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_index: Option<usize>,
}

/// An `invocation`: how the tool ran and whether it succeeded.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Invocation {
    pub execution_successful: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_code_description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tool_execution_notifications: Vec<Notification>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tool_configuration_notifications: Vec<Notification>,
    /// RFC 3339 UTC timestamp.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time_utc: Option<String>,
    /// RFC 3339 UTC timestamp.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time_utc: Option<String>,
}

/// A `notification`: something the tool wants to say about its run (not a result).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Notification {
    pub message: Message,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub descriptor: Option<ReportingDescriptorReference>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<Location>,
}

/// A `suppression`: why a result does not count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Suppression {
    pub kind: SuppressionKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<SuppressionStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub properties: PropertyBag,
}

/// Where the suppression was declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SuppressionKind {
    /// In the analysed source (e.g. a `# nosec` comment).
    InSource,
    /// Outside it (a gatehouse waiver file).
    External,
}

/// Review state of a suppression. Absent means accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SuppressionStatus {
    Accepted,
    UnderReview,
    Rejected,
}
