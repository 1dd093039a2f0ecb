//! Findings → SARIF 2.1.0: one run per tool, one rule per rule id, one result per finding.
//!
//! Mapping (GitHub code scanning reads the starred fields):
//!
//! | SARIF | from |
//! |---|---|
//! | `run.tool.driver` | the findings' `tool` (findings without a tool name: [`SarifOptions`]) |
//! | rule `shortDescription` | `title` (else rule id) of the rule's worst finding |
//! | rule `fullDescription` | its `description` |
//! | rule `help` (text + markdown) | its `remediation` and `references` |
//! | rule `helpUri` | its first reference |
//! | rule `defaultConfiguration.level` | the worst severity of the rule's findings |
//! | rule `properties.security-severity`* | that severity as a CVSS-like score, see [`security_severity`] |
//! | rule `properties.tags`* | `security`, `CWE-<n>` and the findings' tags, sorted |
//! | result `level`* | [`Severity::sarif_level`] |
//! | result `locations` | path + region (+ snippet), resource and purl as logical locations |
//! | result `partialFingerprints`* | `{"gatehouse/v1": <fingerprint>}` |
//! | result `suppressions`* | the finding's waiver (`external`) or in-source suppression, accepted |
//! | result `properties` | severity words, ids, owners, package version, image digest, then the finding's own properties |

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use super::{
    ArtifactContent, ArtifactLocation, Invocation, Location, LogicalLocation, Message,
    MultiformatMessageString, PhysicalLocation, PropertyBag, Region, ReportingConfiguration,
    ReportingDescriptor, Result, Run, RunAutomationDetails, SarifLog, Suppression, SuppressionKind,
    SuppressionStatus, Tool, ToolComponent,
};
use crate::fingerprint::FINGERPRINT_VERSION;
use crate::report::sorted;
use crate::{Finding, Severity, SuppressionSource};

/// Run-level settings for [`to_sarif`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SarifOptions {
    /// Driver name for findings whose `tool.name` is empty, and for the run written when there
    /// are no findings at all. Default `gatehouse`.
    pub tool_name: String,
    /// Driver version for that tool.
    pub tool_version: Option<String>,
    /// Driver `informationUri` for that tool.
    pub information_uri: Option<String>,
    /// `automationDetails.id` of every run (GitHub's upload category, e.g. `gatehouse/policy/`).
    pub category: Option<String>,
    /// Absolute URI of the scan root (ending in `/`). When set, every artifact location is
    /// relative to `%SRCROOT%` and the run's `originalUriBaseIds` says where that is.
    pub src_root: Option<String>,
    /// Attached to every run (how the gate ran, exit code, notifications).
    pub invocation: Option<Invocation>,
}

impl Default for SarifOptions {
    fn default() -> Self {
        Self {
            tool_name: "gatehouse".to_owned(),
            tool_version: None,
            information_uri: Some("https://github.com/gatehouse-dev/gatehouse".to_owned()),
            category: None,
            src_root: None,
            invocation: None,
        }
    }
}

/// The `security-severity` GitHub reads from a rule's properties: a CVSS-like score in the
/// middle of the severity's band, as a string (`Critical` `"9.5"`, `High` `"8.0"`, `Medium`
/// `"5.5"`, `Low` `"2.0"`); `None` for `Info`, which is not a security severity.
pub fn security_severity(severity: Severity) -> Option<&'static str> {
    match severity {
        Severity::Critical => Some("9.5"),
        Severity::High => Some("8.0"),
        Severity::Medium => Some("5.5"),
        Severity::Low => Some("2.0"),
        Severity::Info => None,
    }
}

/// Builds a SARIF log from findings (see the module docs for the mapping).
pub fn to_sarif(findings: &[Finding], options: &SarifOptions) -> SarifLog {
    let mut by_tool: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for finding in sorted(findings) {
        by_tool
            .entry(tool_name(finding, options))
            .or_default()
            .push(finding);
    }
    if by_tool.is_empty() {
        by_tool.insert(&options.tool_name, Vec::new());
    }
    let runs = by_tool
        .into_iter()
        .map(|(name, findings)| build_run(name, &findings, options))
        .collect();
    SarifLog::new(runs)
}

/// [`to_sarif`] as pretty-printed JSON with a trailing newline.
pub fn render(findings: &[Finding], options: &SarifOptions) -> String {
    let log = to_sarif(findings, options);
    // Serializing these types cannot fail: no maps with non-string keys, no non-finite floats.
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

/// Findings without a tool name belong to the options' tool.
fn tool_name<'a>(finding: &'a Finding, options: &'a SarifOptions) -> &'a str {
    if finding.tool.name.is_empty() {
        &options.tool_name
    } else {
        &finding.tool.name
    }
}

/// The options' version for the options' tool, else the first version the findings carry.
fn tool_version(name: &str, findings: &[&Finding], options: &SarifOptions) -> Option<String> {
    let configured = options
        .tool_version
        .clone()
        .filter(|_| name == options.tool_name);
    configured.or_else(|| findings.iter().find_map(|f| f.tool.version.clone()))
}

fn build_run(name: &str, findings: &[&Finding], options: &SarifOptions) -> Run {
    let version = tool_version(name, findings, options);
    // Findings arrive sorted worst-first, so the first one per rule id carries the rule's
    // worst severity and is the one its metadata comes from.
    let mut by_rule: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for finding in findings {
        by_rule
            .entry(finding.rule_id.as_str())
            .or_default()
            .push(finding);
    }
    let rule_index: BTreeMap<&str, usize> = by_rule
        .keys()
        .enumerate()
        .map(|(index, id)| (*id, index))
        .collect();
    let rules = by_rule
        .values()
        .map(|group| rule_descriptor(group))
        .collect();

    let results = findings
        .iter()
        .map(|finding| {
            let index = rule_index.get(finding.rule_id.as_str()).copied();
            result(finding, index, options)
        })
        .collect();

    let information_uri = if name == options.tool_name {
        options.information_uri.clone()
    } else {
        None
    };
    let mut original_uri_base_ids = BTreeMap::new();
    if let Some(root) = &options.src_root {
        original_uri_base_ids.insert(
            SRCROOT.to_owned(),
            ArtifactLocation {
                uri: Some(root.clone()),
                ..ArtifactLocation::default()
            },
        );
    }
    Run {
        tool: Tool {
            driver: ToolComponent {
                name: name.to_owned(),
                version,
                information_uri,
                rules,
                ..ToolComponent::default()
            },
            extensions: Vec::new(),
        },
        results,
        invocations: options.invocation.iter().cloned().collect(),
        original_uri_base_ids,
        automation_details: options.category.as_ref().map(|id| RunAutomationDetails {
            id: Some(id.clone()),
            guid: None,
        }),
        column_kind: None,
        properties: PropertyBag::new(),
    }
}

const SRCROOT: &str = "%SRCROOT%";

fn rule_descriptor(group: &[&Finding]) -> ReportingDescriptor {
    let Some(first) = group.first() else {
        return ReportingDescriptor::default();
    };
    let worst = group.iter().map(|f| f.severity).max().unwrap_or_default();

    let mut tags: BTreeSet<String> = BTreeSet::new();
    tags.insert("security".to_owned());
    for finding in group {
        tags.extend(finding.cwe_ids.iter().map(|cwe| format!("CWE-{cwe}")));
        tags.extend(finding.tags.iter().cloned());
    }
    let mut properties = PropertyBag::new();
    properties.insert("tags".to_owned(), json!(tags));
    if let Some(score) = security_severity(worst) {
        properties.insert("security-severity".to_owned(), json!(score));
    }
    // Producers describe the rule itself (e.g. the Checkov id it mirrors) in a `rule` object.
    if let Some(rule) = first
        .properties
        .get(RULE_PROPERTIES)
        .and_then(|r| r.as_object())
    {
        for (key, value) in rule {
            properties
                .entry(key.clone())
                .or_insert_with(|| value.clone());
        }
    }

    ReportingDescriptor {
        id: first.rule_id.clone(),
        name: None,
        short_description: Some(MultiformatMessageString::text(first.display_title())),
        full_description: first
            .description
            .as_deref()
            .map(MultiformatMessageString::text),
        help: help(first),
        help_uri: first.references.first().cloned(),
        default_configuration: Some(ReportingConfiguration {
            level: Some(worst.sarif_level()),
            ..ReportingConfiguration::default()
        }),
        properties,
    }
}

/// Remediation, then the references, as text and Markdown.
fn help(finding: &Finding) -> Option<MultiformatMessageString> {
    if finding.remediation.is_none() && finding.references.is_empty() {
        return None;
    }
    let mut text = finding.remediation.clone().unwrap_or_default();
    let mut markdown = text.clone();
    if !finding.references.is_empty() {
        if !text.is_empty() {
            text.push_str("\n\n");
            markdown.push_str("\n\n");
        }
        text.push_str("References:");
        markdown.push_str("**References**\n");
        for url in &finding.references {
            text.push_str("\n- ");
            text.push_str(url);
            markdown.push_str(&format!("\n- <{url}>"));
        }
    }
    Some(MultiformatMessageString {
        text,
        markdown: Some(markdown),
    })
}

fn result(finding: &Finding, rule_index: Option<usize>, options: &SarifOptions) -> Result {
    let text = if finding.message.is_empty() {
        finding.display_title()
    } else {
        &finding.message
    };
    let mut partial_fingerprints = BTreeMap::new();
    partial_fingerprints.insert(
        format!("gatehouse/{FINGERPRINT_VERSION}"),
        finding.fingerprint_or_compute().to_string(),
    );
    Result {
        rule_id: finding.rule_id.clone(),
        rule_index,
        level: Some(finding.severity.sarif_level()),
        message: Message::text(text),
        locations: location(finding, options).into_iter().collect(),
        partial_fingerprints,
        suppressions: finding.suppressed.iter().map(suppression).collect(),
        properties: result_properties(finding),
        ..Result::default()
    }
}

fn location(finding: &Finding, options: &SarifOptions) -> Option<Location> {
    let loc = &finding.location;
    let physical_location = loc.path.as_ref().map(|path| PhysicalLocation {
        artifact_location: Some(ArtifactLocation {
            uri: Some(uri_reference(path)),
            uri_base_id: options.src_root.as_ref().map(|_| SRCROOT.to_owned()),
            ..ArtifactLocation::default()
        }),
        region: region(loc),
        context_region: None,
    });
    let mut logical_locations = Vec::new();
    if let Some(resource) = &loc.resource {
        logical_locations.push(LogicalLocation {
            fully_qualified_name: Some(resource.clone()),
            kind: Some("resource".to_owned()),
            ..LogicalLocation::default()
        });
    }
    if let Some(purl) = &loc.purl {
        logical_locations.push(LogicalLocation {
            fully_qualified_name: Some(purl.clone()),
            kind: Some("package".to_owned()),
            ..LogicalLocation::default()
        });
    }
    if physical_location.is_none() && logical_locations.is_empty() {
        return None;
    }
    Some(Location {
        physical_location,
        logical_locations,
        message: None,
    })
}

fn region(loc: &crate::Location) -> Option<Region> {
    let start_line = loc.start_line.filter(|line| *line >= 1)?;
    let end_line = loc.end_line.filter(|end| *end >= start_line);
    let start_column = loc.start_column.filter(|column| *column >= 1);
    let end_column = loc
        .end_column
        .filter(|column| *column >= 1 && start_column.is_some());
    Some(Region {
        start_line: Some(start_line),
        start_column,
        end_line,
        end_column,
        snippet: loc.snippet.as_ref().map(|text| ArtifactContent {
            text: Some(text.clone()),
        }),
        ..Region::default()
    })
}

fn suppression(suppressed: &crate::Suppressed) -> Suppression {
    let mut properties = PropertyBag::new();
    if let Some(approver) = &suppressed.approver {
        properties.insert("approver".to_owned(), json!(approver));
    }
    if let Some(expires) = suppressed.expires {
        properties.insert("expires".to_owned(), json!(expires.to_string()));
    }
    Suppression {
        kind: match suppressed.source {
            SuppressionSource::Waiver => SuppressionKind::External,
            SuppressionSource::InSource => SuppressionKind::InSource,
        },
        status: Some(SuppressionStatus::Accepted),
        justification: Some(suppressed.justification.clone()),
        properties,
    }
}

fn result_properties(finding: &Finding) -> PropertyBag {
    let mut properties = PropertyBag::new();
    let mut put = |key: &str, value: Value| {
        properties.insert(key.to_owned(), value);
    };
    put("severity", json!(finding.severity));
    if let Some(word) = &finding.tool_severity {
        put("toolSeverity", json!(word));
    }
    if !finding.cwe_ids.is_empty() {
        let cwes: Vec<String> = finding
            .cwe_ids
            .iter()
            .map(|cwe| format!("CWE-{cwe}"))
            .collect();
        put("cwe", json!(cwes));
    }
    if !finding.vulnerability_ids.is_empty() {
        put("vulnerabilityIds", json!(finding.vulnerability_ids));
    }
    if !finding.owners.is_empty() {
        put("owners", json!(finding.owners));
    }
    if let Some(version) = &finding.location.package_version {
        put("packageVersion", json!(version));
    }
    if let Some(digest) = &finding.location.image_digest {
        put("imageDigest", json!(digest));
    }
    for (key, value) in finding
        .properties
        .iter()
        .filter(|(k, _)| *k != RULE_PROPERTIES)
    {
        properties
            .entry(key.clone())
            .or_insert_with(|| value.clone());
    }
    properties
}

/// The finding property whose object goes to the SARIF rule's properties instead of the result's.
pub const RULE_PROPERTIES: &str = "rule";

/// Percent-encodes a relative path into a valid URI reference: unreserved characters, `/` and
/// the sub-delimiters SARIF viewers accept stay; everything else (space, `%`, `:`, `#`, `?`,
/// non-ASCII as UTF-8 bytes) is encoded.
fn uri_reference(path: &str) -> String {
    let mut uri = String::with_capacity(path.len());
    for byte in path.bytes() {
        let keep = byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&byte);
        if keep {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}
