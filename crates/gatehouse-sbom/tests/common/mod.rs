//! Helpers shared by the integration tests: fixture paths, the reference purl lists, and the
//! CycloneDX 1.6 / SPDX 2.3 schema validators (sub-schemas registered locally: no network).

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::Value;

/// `tests/fixtures/<rel>`.
pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// The reference purls for a fixture directory (from `lockfiles/reference-purls.jsonl`).
pub fn reference(dir: &str) -> Vec<String> {
    let text = std::fs::read_to_string(fixture("lockfiles/reference-purls.jsonl"))
        .expect("reference file");
    for line in text.lines() {
        let v: Value = serde_json::from_str(line).expect("jsonl line");
        if v["dir"] == dir {
            return v["purls"]
                .as_array()
                .expect("purls")
                .iter()
                .map(|p| p.as_str().expect("str").to_owned())
                .collect();
        }
    }
    panic!("no reference for {dir}")
}

/// A purl reduced for comparison across tools: qualifiers other than `platform` dropped.
pub fn comparable(purl: &str) -> String {
    let (base, q) = purl.split_once('?').unwrap_or((purl, ""));
    let keep: Vec<&str> = q
        .split('&')
        .filter(|kv| kv.starts_with("platform="))
        .collect();
    if keep.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", keep.join("&"))
    }
}

/// (only ours, only theirs) after [`comparable`].
pub fn diff(ours: &[String], theirs: &[String]) -> (BTreeSet<String>, BTreeSet<String>) {
    let a: BTreeSet<String> = ours.iter().map(|p| comparable(p)).collect();
    let b: BTreeSet<String> = theirs.iter().map(|p| comparable(p)).collect();
    (
        a.difference(&b).cloned().collect(),
        b.difference(&a).cloned().collect(),
    )
}

fn schema(name: &str) -> Value {
    let text =
        std::fs::read_to_string(fixture(&format!("schemas/{name}"))).expect("vendored schema");
    serde_json::from_str(&text).expect("schema is JSON")
}

/// Serves the CycloneDX schema's two references from the vendored copies.
struct LocalSchemas;

impl jsonschema::Retrieve for LocalSchemas {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        match uri.as_str() {
            u if u.ends_with("/spdx.schema.json") => {
                Ok(schema("cyclonedx-spdx-license-ids.schema.json"))
            }
            u if u.ends_with("/jsf-0.82.schema.json") => Ok(schema("jsf-0.82.schema.json")),
            u => Err(format!("no local copy of {u}").into()),
        }
    }
}

/// Every CycloneDX 1.6 schema violation in `doc`.
pub fn cyclonedx_errors(doc: &Value) -> Vec<String> {
    let validator = jsonschema::options()
        .with_retriever(LocalSchemas)
        .build(&schema("bom-1.6.schema.json"))
        .expect("CycloneDX schema compiles");
    validator
        .iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// Every SPDX 2.3 schema violation in `doc`.
pub fn spdx_errors(doc: &Value) -> Vec<String> {
    let validator = jsonschema::options()
        .build(&schema("spdx-2.3-schema.json"))
        .expect("SPDX schema compiles");
    validator
        .iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}
