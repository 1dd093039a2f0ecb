//! `SARIF`: SARIF 2.1.0 logs from any tool, with DefectDojo's semantics.
//!
//! One finding per result location (a result without locations gives one finding). Severity:
//! `level` (falling back to the rule's `defaultConfiguration.level`) `error`→High,
//! `warning`→Medium, `note`→Info, anything else Medium; the rule's `properties.security-severity`
//! overrides it (CVSS bands, or one of the five names). Results of `kind` other than `fail` are
//! skipped; suppressed results are kept as inactive false positives.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use gatehouse_model::{Finding, Severity, Suppressed, SuppressionSource};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::dojo::{self, DojoFinding};
use crate::json::{self, ValueExt};
use crate::{IngestError, Parser};

/// The `SARIF` scan type.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sarif;

const HINT: &str = "is this a SARIF 2.1.0 log (`--format sarif`)?";

impl Parser for Sarif {
    fn parse(&self, bytes: &[u8]) -> Result<Vec<Finding>, IngestError> {
        if let Some(findings) = parse_by_result(bytes) {
            return Ok(findings);
        }
        let log = json::parse(bytes, HINT)?;
        if !log.is_object() {
            return Err(IngestError::shape(
                "$",
                format!("expected a SARIF log object; {HINT}"),
            ));
        }
        let runs = match log.get("runs") {
            None | Some(Value::Null) => return Ok(Vec::new()),
            Some(Value::Array(runs)) => runs,
            Some(_) => return Err(IngestError::shape("$.runs", "expected an array of runs")),
        };
        let mut findings = Vec::new();
        for run in runs {
            let results = run.arr("results").iter().map(Cow::Borrowed);
            parse_run(run, results, &mut findings);
        }
        Ok(findings)
    }
}

/// The common case without building the whole log as one `Value` tree: the log, its runs and
/// their result arrays are split as raw JSON, and each result becomes a `Value` only while it
/// is converted (a 100,000-result log is ~1 GB as one tree). `None` for anything this fast path
/// does not handle alike (syntax errors, a log that is not an object, `runs` of another type),
/// which the full parse then reports.
fn parse_by_result(bytes: &[u8]) -> Option<Vec<Finding>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let log: HashMap<String, &RawValue> = serde_json::from_slice(bytes).ok()?;
    let Some(runs) = log.get("runs") else {
        return Some(Vec::new());
    };
    if runs.get() == "null" {
        return Some(Vec::new());
    }
    let runs: Vec<&RawValue> = serde_json::from_str(runs.get()).ok()?;
    let mut findings = Vec::new();
    for run in runs {
        // A run that is not an object has no results (as `ValueExt` reads it).
        let Ok(members) = serde_json::from_str::<HashMap<String, &RawValue>>(run.get()) else {
            continue;
        };
        let mut skeleton = serde_json::Map::new();
        let mut results: Vec<&RawValue> = Vec::new();
        for (key, value) in members {
            if key == "results" {
                // Not an array: no results, as `ValueExt::arr` reads it.
                results = serde_json::from_str(value.get()).unwrap_or_default();
            } else {
                skeleton.insert(key, serde_json::from_str(value.get()).ok()?);
            }
        }
        // The raw split checks syntax but not everything a `Value` does (number ranges,
        // nesting depth): a result it cannot convert sends the whole log to the full parse.
        let mut convertible = true;
        let values = results.into_iter().map_while(|raw| {
            let value = serde_json::from_str::<Value>(raw.get()).ok();
            convertible &= value.is_some();
            value.map(Cow::Owned)
        });
        parse_run(&Value::Object(skeleton), values, &mut findings);
        if !convertible {
            return None;
        }
    }
    Some(findings)
}

fn parse_run<'a>(
    run: &Value,
    results: impl Iterator<Item = Cow<'a, Value>>,
    findings: &mut Vec<Finding>,
) {
    let driver = run.at(&["tool", "driver"]);
    let tool_name = driver.and_then(|d| d.str_of("name")).unwrap_or("SARIF");
    let tool_version = driver.and_then(|d| {
        d.str_of("semanticVersion")
            .or_else(|| d.str_of("version"))
            .map(str::to_owned)
    });
    let rules = rules(run);
    let run_date = run
        .arr("invocations")
        .last()
        .and_then(|invocation| invocation.str_of("endTimeUtc"))
        .and_then(dojo::iso_datetime);
    for result in results {
        for dojo in result_findings(&result, &rules, run_date.as_deref()) {
            let mut finding = dojo.into_finding(tool_name, tool_version.as_deref());
            mark_suppressed(&mut finding);
            findings.push(finding);
        }
    }
}

/// Rules by id: the driver's, or the first extension's when the driver has none.
fn rules(run: &Value) -> HashMap<&str, &Value> {
    let mut array = run
        .at(&["tool", "driver"])
        .map_or(&[][..], |d| d.arr("rules"));
    if array.is_empty() {
        if let Some(first) = run
            .at(&["tool"])
            .map(|t| t.arr("extensions"))
            .and_then(|e| e.first())
        {
            array = first.arr("rules");
        }
    }
    array
        .iter()
        .filter_map(|rule| Some((rule.str_of("id")?, rule)))
        .collect()
}

fn result_findings(
    result: &Value,
    rules: &HashMap<&str, &Value>,
    run_date: Option<&str>,
) -> Vec<DojoFinding> {
    if result.str_of("kind").unwrap_or("fail") != "fail" {
        return Vec::new();
    }
    let suppression = result.arr("suppressions").first();
    let rule_id = result.str_of("ruleId");
    let rule = rule_id.and_then(|id| rules.get(id).copied());

    let mut locations: Vec<(Option<String>, Option<u32>, Option<&Value>)> = result
        .arr("locations")
        .iter()
        .map(|location| {
            let physical = location.get("physicalLocation");
            let path = physical
                .and_then(|p| p.at(&["artifactLocation", "uri"]))
                .and_then(json::as_text);
            let line = physical
                .and_then(|p| p.get("region"))
                .filter(|region| region.get("byteOffset").is_none())
                .and_then(|region| region.int_of("startLine"))
                .and_then(|line| u32::try_from(line).ok());
            (path, line, Some(location))
        })
        .collect();
    if locations.is_empty() {
        locations.push((None, None, None));
    }

    let title = title(result, rule);
    let level_severity = level_severity(result, rule);
    let references = rule.and_then(references);
    let mut tags: Vec<String> = properties_tags(rule)
        .into_iter()
        .chain(properties_tags(Some(result)))
        .map(|tag| tag.strip_prefix("external/cwe/").unwrap_or(&tag).to_owned())
        .collect();
    tags.sort();
    tags.dedup();
    let mitigation = result.get("fixes").and_then(Value::as_array).map(|fixes| {
        fixes
            .iter()
            .filter_map(|fix| fix.at(&["description", "text"]).and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join("\n")
    });
    let mut cwes = rule.map(rule_cwes).unwrap_or_default();
    cwes.extend(result_cwes(result));
    let unique_id = unique_id(result);

    locations
        .into_iter()
        .map(|(path, line, location)| {
            let mut finding = DojoFinding::new(title.clone(), level_severity.0);
            finding.tool_severity = level_severity.1.clone();
            finding.description = description(result, rule, location);
            finding.file_path = path;
            finding.line = line;
            finding.references = references.clone();
            finding.set(dojo::STATIC_FINDING, true);
            finding.set(dojo::DYNAMIC_FINDING, false);
            finding.set(dojo::ACTIVE, suppression.is_none());
            finding.set(dojo::FALSE_P, suppression.is_some());
            if let Some(id) = rule_id {
                finding.vuln_id_from_tool = Some(id.to_owned());
                if let Some(cve) = cve_in(id) {
                    finding.add_vulnerability_id(cve);
                }
            }
            if let Some(score) = rule.and_then(|r| r.at(&["properties", "security-severity"])) {
                apply_security_severity(&mut finding, score);
            }
            // DefectDojo keeps the *last* CWE found (result properties win over the rule).
            if let Some(last) = cwes.last() {
                finding.add_cwe(*last);
            }
            finding.mitigation = mitigation.clone();
            if let Some(date) = run_date {
                finding.set(dojo::DATE, date);
            }
            finding.tags = tags.clone();
            finding.unique_id_from_tool = unique_id.clone();
            finding
        })
        .map(|finding| finding_with_suppression(finding, suppression))
        .collect()
}

/// Suppressed results stay in the report, as DefectDojo's inactive false positives.
fn finding_with_suppression(finding: DojoFinding, suppression: Option<&Value>) -> DojoFinding {
    let Some(suppression) = suppression else {
        return finding;
    };
    let kind = suppression.str_of("kind").unwrap_or("external");
    let justification = suppression.str_of("justification").map_or_else(
        || format!("suppressed in the SARIF log ({kind})"),
        str::to_owned,
    );
    let mut finding = finding;
    finding.set(
        "suppression",
        serde_json::json!({ "kind": kind, "justification": justification }),
    );
    finding
}

/// Marks SARIF-suppressed findings as suppressed in source (after conversion).
fn mark_suppressed(finding: &mut Finding) {
    if let Some(Value::Object(suppression)) = finding.properties.get("suppression") {
        let justification = suppression
            .get("justification")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        finding.suppressed = Some(Suppressed {
            source: SuppressionSource::InSource,
            justification,
            approver: None,
            expires: None,
        });
    }
}

fn title(result: &Value, rule: Option<&Value>) -> String {
    let title = result
        .get("message")
        .and_then(|m| message_text(m, rule))
        .or_else(|| {
            let rule = rule?;
            if let Some(short) = rule.get("shortDescription") {
                message_text(short, Some(rule))
            } else if let Some(full) = rule.get("fullDescription") {
                message_text(full, Some(rule))
            } else {
                rule.text_of("name").or_else(|| rule.text_of("id"))
            }
        })
        .unwrap_or_else(|| result.text_of("ruleId").unwrap_or_default());
    shorten(&title, 150)
}

/// Python's `textwrap.shorten(text, width)`: whitespace collapsed, then whole words kept so
/// that the text plus `" [...]"` fits.
fn shorten(text: &str, width: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let collapsed = words.join(" ");
    if collapsed.chars().count() <= width {
        return collapsed;
    }
    const PLACEHOLDER: &str = " [...]";
    let mut out = String::new();
    for word in words {
        let extra = if out.is_empty() { 0 } else { 1 };
        if out.chars().count() + extra + word.chars().count() + PLACEHOLDER.len() > width {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        PLACEHOLDER.trim_start().to_owned()
    } else {
        out + PLACEHOLDER
    }
}

/// A multiformat message string's text, with `messageStrings` and argument substitution.
fn message_text(message: &Value, rule: Option<&Value>) -> Option<String> {
    let template = rule
        .zip(message.str_of("id"))
        .and_then(|(rule, id)| rule.get("messageStrings")?.get(id)?.str_of("text"));
    let mut text = template.or_else(|| message.str_of("text"))?.to_owned();
    if template.is_some() {
        for (index, argument) in message.arr("arguments").iter().take(6).enumerate() {
            if let Some(argument) = json::as_text(argument) {
                text = text.replace(&format!("{{{index}}}"), &argument);
            }
        }
    }
    Some(text)
}

fn markdown_text(message: &Value) -> Option<String> {
    let markdown = message.str_of("markdown")?;
    let stripped: Vec<&str> = markdown
        .split('\n')
        .map(|line| {
            let trimmed = line.trim_start_matches('#');
            if trimmed.len() < line.len() {
                trimmed.trim_start()
            } else {
                line
            }
        })
        .collect();
    Some(stripped.join("\n").replace("<br>", "\n"))
}

/// `(severity, the word it came from)`.
fn level_severity(result: &Value, rule: Option<&Value>) -> (Severity, Option<String>) {
    let level = result.str_of("level").or_else(|| {
        rule.and_then(|r| r.at(&["defaultConfiguration", "level"]))
            .and_then(Value::as_str)
    });
    let severity = match level {
        Some("note") => Severity::Info,
        Some("warning") => Severity::Medium,
        Some("error") => Severity::High,
        _ => Severity::Medium,
    };
    (severity, level.map(str::to_owned))
}

fn apply_security_severity(finding: &mut DojoFinding, value: &Value) {
    let text = json::as_text(value).unwrap_or_default();
    finding.tool_severity = Some(text.clone());
    match text.trim().parse::<f64>() {
        Ok(score) if score.is_finite() => {
            finding.severity = Severity::from_cvss(score);
            finding.set(dojo::CVSSV3_SCORE, score);
        }
        _ => finding.severity = dojo::severity_exact(&text).unwrap_or(Severity::Info),
    }
}

fn references(rule: &Value) -> Option<String> {
    if let Some(uri) = rule.text_of("helpUri") {
        return Some(uri);
    }
    let help = message_text(rule.get("help")?, Some(rule))?;
    help.starts_with("http").then_some(help)
}

fn properties_tags(object: Option<&Value>) -> Vec<String> {
    object
        .and_then(|o| o.get("properties"))
        .map(|p| p.arr("tags"))
        .unwrap_or_default()
        .iter()
        .filter_map(json::as_text)
        .collect()
}

/// CWEs of a rule: its `relationships` to the CWE taxonomy, else tags ending in `cwe-<n>`.
fn rule_cwes(rule: &Value) -> Vec<u32> {
    if let Some(relationships) = rule.get("relationships").and_then(Value::as_array) {
        return relationships
            .iter()
            .filter_map(|relationship| {
                let target = relationship.get("target")?;
                let component = target.at(&["toolComponent", "name"])?.as_str()?;
                if component != "CWE" {
                    return None;
                }
                u32::try_from(json::as_int(target.get("id")?)?).ok()
            })
            .collect();
    }
    properties_tags(Some(rule))
        .iter()
        .filter_map(|tag| {
            let lower = tag.to_ascii_lowercase();
            let start = lower.rfind("cwe-")?;
            let digits = lower.get(start + 4..)?;
            if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
            digits.parse().ok()
        })
        .collect()
}

/// Tools such as njsscan put `cwe` in the result's properties.
fn result_cwes(result: &Value) -> Vec<u32> {
    let Some(value) = result.at(&["properties", "cwe"]) else {
        return Vec::new();
    };
    let values: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    values
        .into_iter()
        .filter_map(json::as_text)
        .map(|text| dojo::cwe_number(&text).unwrap_or(0))
        .collect()
}

/// `CVE-<year>-<n>` anywhere in a rule id, uppercased.
fn cve_in(text: &str) -> Option<String> {
    let upper = text.to_ascii_uppercase();
    let start = upper.find("CVE-")?;
    let rest = upper.get(start + 4..)?;
    let year: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let tail = rest.get(year.len()..)?.strip_prefix('-')?;
    let number: String = tail.chars().take_while(char::is_ascii_digit).collect();
    (!year.is_empty() && !number.is_empty()).then(|| format!("CVE-{year}-{number}"))
}

/// `fingerprints` (latest version of the first method) or all `partialFingerprints`
/// (`key:value` joined by `|`, sorted by method).
fn unique_id(result: &Value) -> Option<String> {
    let latest = |values: &serde_json::Map<String, Value>| {
        let mut methods: Vec<(String, (i64, String))> = Vec::new();
        for (key, value) in values {
            let (method, version) = match key.rsplit_once('/') {
                Some((head, version)) => (
                    head.rsplit('/').next().unwrap_or(head).to_owned(),
                    version.trim_start_matches('v').parse().unwrap_or(0),
                ),
                None => (key.clone(), 0),
            };
            let value = json::as_text(value).unwrap_or_default();
            match methods.iter_mut().find(|(m, _)| *m == method) {
                Some((_, current)) if current.0 < version => *current = (version, value),
                Some(_) => {}
                None => methods.push((method, (version, value))),
            }
        }
        methods
    };
    if let Some(values) = result.get("fingerprints").and_then(Value::as_object)
        && !values.is_empty()
    {
        return latest(values)
            .into_iter()
            .next()
            .map(|(_, (_, value))| value);
    }
    let values = result
        .get("partialFingerprints")
        .and_then(Value::as_object)?;
    if values.is_empty() {
        return None;
    }
    let sorted: BTreeMap<String, (i64, String)> = latest(values).into_iter().collect();
    Some(
        sorted
            .into_iter()
            .map(|(method, (_, value))| format!("{method}:{value}"))
            .collect::<Vec<_>>()
            .join("|"),
    )
}

fn snippet(location: Option<&Value>) -> Option<String> {
    let physical = location?.get("physicalLocation")?;
    physical
        .at(&["region", "snippet", "text"])
        .or_else(|| physical.at(&["contextRegion", "snippet", "text"]))
        .and_then(json::as_text)
}

fn description(result: &Value, rule: Option<&Value>, location: Option<&Value>) -> String {
    let mut out = String::new();
    let message = result
        .get("message")
        .and_then(|m| message_text(m, rule))
        .unwrap_or_default();
    if result.get("message").is_some() {
        out += &format!("**Result message:** {message}\n");
    }
    if let Some(snippet) = snippet(location) {
        out += &format!("**Snippet:**\n```\n{snippet}\n```\n");
    }
    if let Some(rule) = rule {
        if let Some(name) = rule.text_of("name") {
            out += &format!("**Rule name:** {name}\n");
        }
        let mut short = String::new();
        if let Some(text) = rule
            .get("shortDescription")
            .and_then(|s| message_text(s, Some(rule)))
        {
            short = text;
            if short != message {
                out += &format!("**Rule short description:** {short}\n");
            }
        }
        if let Some(full) = rule
            .get("fullDescription")
            .and_then(|f| message_text(f, Some(rule)))
            && full != message
            && full != short
        {
            out += &format!("**Rule full description:** {full}\n");
        }
        if let Some(markdown) = result.get("message").and_then(markdown_text) {
            out += &format!("**Message:** {}\n", markdown.replace("Details", "Link"));
        }
    }
    out += &code_flows(result.arr("codeFlows"));
    out.strip_suffix('\n').map(str::to_owned).unwrap_or(out)
}

/// DefectDojo's code-flow listing (the last thread flow with locations wins, as in DefectDojo).
fn code_flows(flows: &[Value]) -> String {
    let mut description = String::new();
    for flow in flows {
        for thread in flow.arr("threadFlows") {
            if thread.get("locations").is_none() {
                continue;
            }
            description = "**Code flow:**\n".to_owned();
            for (index, step) in thread.arr("locations").iter().enumerate() {
                let location = step.get("location");
                let physical = location.and_then(|l| l.get("physicalLocation"));
                let region = physical.and_then(|p| p.get("region"));
                let uri = physical
                    .and_then(|p| p.at(&["artifactLocation", "uri"]))
                    .and_then(json::as_text)
                    .unwrap_or_else(|| "None".to_owned());
                let line = region
                    .and_then(|r| r.text_of("startLine"))
                    .map(|l| format!(":L{l}"))
                    .unwrap_or_default();
                let column = region
                    .and_then(|r| r.text_of("startColumn"))
                    .map(|c| format!(":C{c}"))
                    .unwrap_or_default();
                let snippet = region
                    .and_then(|r| r.at(&["snippet", "text"]))
                    .and_then(json::as_text)
                    .map(|s| format!("\t-\t{s}"))
                    .unwrap_or_default();
                description += &format!("{}. {uri}{line}{column}{snippet}\n", index + 1);
                if let Some(message) = location.and_then(|l| l.get("message")) {
                    let text = message
                        .text_of("markdown")
                        .or_else(|| message.text_of("text"))
                        .unwrap_or_default();
                    description += &format!("\t{text}\n");
                }
            }
        }
    }
    description
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorten_matches_python() {
        assert_eq!(shorten("a  b\n c", 150), "a b c");
        let long = "word ".repeat(40);
        let short = shorten(&long, 150);
        assert!(short.ends_with(" [...]") && short.len() <= 150);
    }

    #[test]
    fn cve_extraction() {
        assert_eq!(
            cve_in("cve-2021-44228 x").as_deref(),
            Some("CVE-2021-44228")
        );
        assert_eq!(cve_in("CVE-x"), None);
    }
}
