//! CycloneDX 1.6 VEX: the scan's findings as a BOM with `vulnerabilities`, each affecting a
//! component of the same document (so the document stands alone and validates).
//!
//! One vulnerability entry per (advisory, package). Analysis states:
//! - open finding → `in_triage` (matched by version range, not yet assessed by a person);
//! - finding covered by a waiver → `exploitable` with response `will_not_fix` and the waiver's
//!   reason, approver and expiry in `detail` (a waiver accepts a risk, it does not claim the
//!   package is unaffected).
//!
//! Output is deterministic: entries sorted, serial number derived from the content.

use std::collections::BTreeMap;
use std::str::FromStr;

use gatehouse_model::{Finding, Severity};
use serde_json::{Value, json};

use crate::scan::is_unknown_severity;

/// Sets `key` on a JSON object (no-op on other values).
fn set(v: &mut Value, key: &str, value: Value) {
    if let Some(o) = v.as_object_mut() {
        o.insert(key.to_owned(), value);
    }
}

/// CycloneDX's word for a severity.
fn severity_word(f: &Finding) -> &'static str {
    if is_unknown_severity(f) {
        return "unknown";
    }
    match f.severity {
        Severity::Critical => "critical",
        Severity::High => "high",
        Severity::Medium => "medium",
        Severity::Low => "low",
        Severity::Info => "info",
    }
}

/// CycloneDX's scoring method for a CVSS vector.
fn method(vector: &str) -> &'static str {
    if vector.starts_with("CVSS:4") {
        "CVSSv4"
    } else if vector.starts_with("CVSS:3.1") {
        "CVSSv31"
    } else if vector.starts_with("CVSS:3") {
        "CVSSv3"
    } else {
        "CVSSv2"
    }
}

/// The advisory's home page for its identifier scheme.
fn source(id: &str) -> Value {
    if id.starts_with("CVE-") {
        json!({"name": "NVD", "url": format!("https://nvd.nist.gov/vuln/detail/{id}")})
    } else if id.starts_with("GHSA-") {
        json!({"name": "GitHub", "url": format!("https://github.com/advisories/{id}")})
    } else {
        json!({"name": "OSV", "url": format!("https://osv.dev/vulnerability/{id}")})
    }
}

fn component(purl: &str, version: Option<&str>) -> Value {
    let parsed = packageurl::PackageUrl::from_str(purl).ok();
    let name = parsed
        .as_ref()
        .map_or_else(|| purl.to_owned(), |p| p.name().to_owned());
    let mut c = json!({"type": "library", "bom-ref": purl, "name": name, "purl": purl});
    if let Some(ns) = parsed.as_ref().and_then(|p| p.namespace()) {
        set(&mut c, "group", json!(ns));
    }
    if let Some(v) = version.or_else(|| parsed.as_ref().and_then(|p| p.version())) {
        set(&mut c, "version", json!(v));
    }
    c
}

fn vulnerability(f: &Finding, purl: &str) -> Value {
    let mut rating = json!({"source": source(&f.rule_id), "severity": severity_word(f)});
    if let Some(score) = f.properties.get("cvss_score") {
        set(&mut rating, "score", score.clone());
    }
    if let Some(vector) = f.properties.get("cvss_vector").and_then(Value::as_str) {
        set(&mut rating, "method", json!(method(vector)));
        set(&mut rating, "vector", json!(vector));
    }
    let mut v = json!({
        "bom-ref": format!("{}#{purl}", f.rule_id),
        "id": f.rule_id,
        "source": source(&f.rule_id),
        "ratings": [rating],
        "affects": [{
            "ref": purl,
            "versions": [{"version": f.location.package_version.clone().unwrap_or_default(), "status": "affected"}]
        }],
    });
    let aliases: Vec<Value> = f
        .vulnerability_ids
        .iter()
        .filter(|id| **id != f.rule_id)
        .map(|id| json!({"id": id, "source": source(id)}))
        .collect();
    if !aliases.is_empty() {
        set(&mut v, "references", json!(aliases));
    }
    if !f.cwe_ids.is_empty() {
        set(&mut v, "cwes", json!(f.cwe_ids));
    }
    if !f.title.is_empty() {
        set(&mut v, "description", json!(f.title));
    }
    set(&mut v, "detail", json!(f.message));
    if let Some(r) = &f.remediation {
        set(&mut v, "recommendation", json!(r));
    }
    let advisories: Vec<Value> = f.references.iter().map(|u| json!({"url": u})).collect();
    if !advisories.is_empty() {
        set(&mut v, "advisories", json!(advisories));
    }
    let analysis = match &f.suppressed {
        None => json!({"state": "in_triage"}),
        Some(s) => {
            let mut detail = format!("waived: {}", s.justification);
            if let Some(a) = &s.approver {
                detail.push_str(&format!("; approved by {a}"));
            }
            if let Some(e) = s.expires {
                detail.push_str(&format!("; expires {e}"));
            }
            json!({"state": "exploitable", "response": ["will_not_fix"], "detail": detail})
        }
    };
    set(&mut v, "analysis", analysis);
    let mut props = Vec::new();
    for key in [
        "affected_range",
        "fixed_version",
        "severity_basis",
        "ecosystem",
    ] {
        if let Some(value) = f.properties.get(key).and_then(Value::as_str) {
            props.push(json!({"name": format!("gatehouse:{key}"), "value": value}));
        }
    }
    if let Some(path) = &f.location.path {
        props.push(json!({"name": "gatehouse:location", "value": path}));
    }
    if !props.is_empty() {
        set(&mut v, "properties", json!(props));
    }
    v
}

/// The CycloneDX 1.6 VEX document for `findings` (package findings; others are skipped).
/// `timestamp` (RFC 3339) is written when given.
pub fn render(findings: &[Finding], timestamp: Option<&str>) -> String {
    let mut components: BTreeMap<String, Value> = BTreeMap::new();
    let mut vulns: BTreeMap<(String, String), Value> = BTreeMap::new();
    for f in findings {
        let Some(purl) = f.location.purl.as_deref() else {
            continue;
        };
        components
            .entry(purl.to_owned())
            .or_insert_with(|| component(purl, f.location.package_version.as_deref()));
        vulns
            .entry((f.rule_id.clone(), purl.to_owned()))
            .or_insert_with(|| vulnerability(f, purl));
    }
    let components: Vec<Value> = components.into_values().collect();
    let vulnerabilities: Vec<Value> = vulns.into_values().collect();
    let body = json!([components, vulnerabilities]);
    let serial = format!(
        "urn:uuid:{}",
        gatehouse_model::fingerprint::content_uuid(body.to_string().as_bytes())
    );
    let mut metadata = json!({
        "tools": {"components": [{"type": "application", "name": "gatehouse", "version": env!("CARGO_PKG_VERSION")}]}
    });
    if let Some(t) = timestamp {
        set(&mut metadata, "timestamp", json!(t));
    }
    let doc = json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": serial,
        "version": 1,
        "metadata": metadata,
        "components": components,
        "vulnerabilities": vulnerabilities,
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::Advisories;
    use crate::scan::{Package, scan};

    #[test]
    fn vex_names_component_rating_and_analysis() {
        let adv = Advisories::new(vec![
            serde_json::from_value(json!({
                "id": "GHSA-aaaa-bbbb-cccc",
                "modified": "2024-01-01T00:00:00Z",
                "aliases": ["CVE-2024-0001"],
                "summary": "Prototype pollution",
                "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
                "affected": [{"package": {"ecosystem": "npm", "name": "@scope/pkg"},
                    "ranges": [{"type": "SEMVER", "events": [{"introduced": "1.0.0"}, {"fixed": "1.2.0"}]}]}]
            }))
            .unwrap(),
        ]);
        let out = scan(
            &adv,
            &[Package {
                purl: "pkg:npm/%40scope/pkg@1.1.0".into(),
                ..Package::default()
            }],
        );
        let doc: Value = serde_json::from_str(&render(&out.findings, None)).unwrap();
        assert_eq!(
            doc["components"][0]["bom-ref"],
            "pkg:npm/%40scope/pkg@1.1.0"
        );
        assert_eq!(doc["components"][0]["group"], "@scope");
        let v = &doc["vulnerabilities"][0];
        assert_eq!(v["id"], "GHSA-aaaa-bbbb-cccc");
        assert_eq!(v["ratings"][0]["score"], 9.8);
        assert_eq!(v["ratings"][0]["method"], "CVSSv31");
        assert_eq!(v["ratings"][0]["severity"], "critical");
        assert_eq!(v["references"][0]["id"], "CVE-2024-0001");
        assert_eq!(v["affects"][0]["ref"], "pkg:npm/%40scope/pkg@1.1.0");
        assert_eq!(v["analysis"]["state"], "in_triage");
        assert_eq!(v["recommendation"], "Upgrade @scope/pkg to 1.2.0 or later.");
        // Deterministic: same findings, same bytes.
        assert_eq!(render(&out.findings, None), render(&out.findings, None));
    }
}
