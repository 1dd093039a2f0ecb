//! SPDX 2.3 JSON: writer and reader.
//!
//! One package per component plus one for the subject. Relationships: the document
//! `DESCRIBES` the subject, the subject `CONTAINS` every component and `DEPENDS_ON` the direct
//! ones, and each component `DEPENDS_ON` what its lockfile says; dev-only components are
//! related with `DEV_DEPENDENCY_OF` to the subject instead of `DEPENDS_ON` from it.
//! Licences become `licenseDeclared` only when they form a valid expression of known ids;
//! otherwise `NOASSERTION` (free text is kept as a comment).

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::{TOOL_NAME, TOOL_VERSION, WriteOptions, content_uuid, licenses};
use crate::error::SbomError;
use crate::model::{Component, Hash, HashAlg, Sbom, Scope, Subject};

const SUBJECT_ID: &str = "SPDXRef-Subject";
const EPOCH: &str = "1970-01-01T00:00:00Z";

/// The SPDXID of a component: its name plus a digest of its purl (stable, unique).
pub fn spdx_id(c: &Component) -> String {
    let purl = c.purl();
    let digest = hex::encode(Sha256::digest(purl.as_bytes()));
    let name: String = c
        .full_name()
        .chars()
        .map(|ch| {
            if ch.is_ascii_alphanumeric() || ch == '.' || ch == '-' {
                ch
            } else {
                '-'
            }
        })
        .collect();
    format!(
        "SPDXRef-Package-{name}-{}",
        digest.get(..12).unwrap_or_default()
    )
}

/// Writes `sbom` as an SPDX 2.3 JSON value.
pub fn to_value(sbom: &Sbom, opts: &WriteOptions) -> Value {
    let ids: BTreeMap<String, String> = sbom
        .components
        .iter()
        .map(|c| (c.purl(), spdx_id(c)))
        .collect();
    let mut packages = vec![subject_package(&sbom.subject)];
    let mut rels: Vec<(String, &'static str, String)> =
        vec![("SPDXRef-DOCUMENT".into(), "DESCRIBES", SUBJECT_ID.into())];
    for c in &sbom.components {
        let id = spdx_id(c);
        packages.push(package(c, &id));
        rels.push((SUBJECT_ID.into(), "CONTAINS", id.clone()));
        if c.direct == Some(true) {
            if c.scope == Scope::Dev {
                rels.push((id.clone(), "DEV_DEPENDENCY_OF", SUBJECT_ID.into()));
            } else {
                rels.push((SUBJECT_ID.into(), "DEPENDS_ON", id.clone()));
            }
        }
        for d in &c.dependencies {
            if let Some(to) = ids.get(d) {
                rels.push((id.clone(), "DEPENDS_ON", to.clone()));
            }
        }
    }
    rels.sort();
    rels.dedup();
    let relationships: Vec<Value> = rels
        .into_iter()
        .map(|(a, r, b)| {
            json!({ "spdxElementId": a, "relationshipType": r, "relatedSpdxElement": b })
        })
        .collect();
    let mut doc = json!({
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": if sbom.subject.name.is_empty() { "sbom" } else { sbom.subject.name.as_str() },
        "creationInfo": {
            "created": opts.timestamp.as_deref().unwrap_or(EPOCH),
            "creators": [format!("Tool: {TOOL_NAME}-{TOOL_VERSION}")],
        },
        "packages": packages,
        "relationships": relationships,
    });
    let ns = format!(
        "https://gatehouse.dev/spdxdocs/{}",
        content_uuid(doc.to_string().as_bytes())
    );
    if let Some(obj) = doc.as_object_mut() {
        obj.insert("documentNamespace".into(), json!(ns));
    }
    doc
}

/// Writes `sbom` as pretty SPDX 2.3 JSON text.
pub fn to_string(sbom: &Sbom, opts: &WriteOptions) -> String {
    let mut s = serde_json::to_string_pretty(&to_value(sbom, opts)).unwrap_or_default();
    s.push('\n');
    s
}

fn subject_package(s: &Subject) -> Value {
    let purpose = if s.kind == "container" {
        "CONTAINER"
    } else {
        "SOURCE"
    };
    let mut v = json!({
        "SPDXID": SUBJECT_ID,
        "name": if s.name.is_empty() { "subject" } else { s.name.as_str() },
        "downloadLocation": "NOASSERTION",
        "filesAnalyzed": false,
        "licenseConcluded": "NOASSERTION",
        "licenseDeclared": "NOASSERTION",
        "copyrightText": "NOASSERTION",
        "primaryPackagePurpose": purpose,
    });
    if let Some(h) = s.digest.as_deref().and_then(Hash::prefixed) {
        super::set(
            &mut v,
            "checksums",
            json!([{ "algorithm": h.alg.spdx(), "checksumValue": h.value }]),
        );
    }
    if let Some(d) = &s.distro {
        super::set(&mut v, "comment", json!(format!("distro: {d}")));
    }
    v
}

fn package(c: &Component, id: &str) -> Value {
    let mut v = Map::new();
    v.insert("SPDXID".into(), json!(id));
    v.insert("name".into(), json!(c.full_name()));
    if !c.version.is_empty() {
        v.insert("versionInfo".into(), json!(c.version));
    }
    let download = c
        .properties
        .get("gatehouse:resolved")
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
        .map_or("NOASSERTION", String::as_str);
    v.insert("downloadLocation".into(), json!(download));
    v.insert("filesAnalyzed".into(), json!(false));
    v.insert("licenseConcluded".into(), json!("NOASSERTION"));
    let exprs: Vec<String> = c
        .licenses
        .iter()
        .filter_map(|l| licenses::expression(l))
        .collect();
    let declared = if !exprs.is_empty() && exprs.len() == c.licenses.len() {
        if exprs.len() == 1 {
            exprs.join("")
        } else {
            exprs
                .iter()
                .map(|e| format!("({e})"))
                .collect::<Vec<_>>()
                .join(" AND ")
        }
    } else {
        "NOASSERTION".to_owned()
    };
    v.insert("licenseDeclared".into(), json!(declared));
    v.insert("copyrightText".into(), json!("NOASSERTION"));
    if declared == "NOASSERTION" && !c.licenses.is_empty() {
        let text: Vec<&str> = c.licenses.iter().map(String::as_str).collect();
        v.insert(
            "licenseComments".into(),
            json!(format!("declared: {}", text.join("; "))),
        );
    }
    if !c.hashes.is_empty() {
        let sums: Vec<Value> = c
            .hashes
            .iter()
            .map(|h| json!({ "algorithm": h.alg.spdx(), "checksumValue": h.value }))
            .collect();
        v.insert("checksums".into(), json!(sums));
    }
    v.insert(
        "externalRefs".into(),
        json!([{ "referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": c.purl() }]),
    );
    v.insert("primaryPackagePurpose".into(), json!("LIBRARY"));
    let mut notes: Vec<String> = Vec::new();
    if c.scope != Scope::Unknown {
        notes.push(format!("scope: {}", c.scope.as_str()));
    }
    for l in &c.locations {
        notes.push(format!("location: {l}"));
    }
    for l in &c.layers {
        notes.push(format!("layer: {l}"));
    }
    if !notes.is_empty() {
        v.insert("comment".into(), json!(notes.join("\n")));
    }
    Value::Object(v)
}

/// Reads an SPDX 2.2/2.3 JSON document back into an [`Sbom`]: every package with a purl
/// external reference becomes a component; `DEPENDS_ON` relationships become edges.
pub fn from_str(text: &str) -> Result<Sbom, SbomError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| SbomError::Document {
        format: "SPDX",
        message: format!("line {}, column {}: {e}", e.line(), e.column()),
    })?;
    if !doc
        .get("spdxVersion")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("SPDX-2"))
    {
        return Err(SbomError::Document {
            format: "SPDX",
            message: "`spdxVersion` is not SPDX-2.x; is this an SPDX 2 JSON document?".into(),
        });
    }
    let mut by_id: BTreeMap<String, Component> = BTreeMap::new();
    let mut described: Vec<String> = Vec::new();
    for p in doc
        .get("packages")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(id) = p.get("SPDXID").and_then(Value::as_str) else {
            continue;
        };
        let purl = p
            .get("externalRefs")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|r| r.get("referenceType").and_then(Value::as_str) == Some("purl"))
            .and_then(|r| r.get("referenceLocator"))
            .and_then(Value::as_str);
        let Some(mut c) = purl.and_then(crate::purl::parse) else {
            described.push(id.to_owned());
            continue;
        };
        for h in p
            .get("checksums")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let alg = h
                .get("algorithm")
                .and_then(Value::as_str)
                .and_then(HashAlg::parse);
            let val = h.get("checksumValue").and_then(Value::as_str);
            if let Some(h) = alg.zip(val).and_then(|(a, v)| Hash::hex(a, v)) {
                c.hashes.insert(h);
            }
        }
        if let Some(l) = p.get("licenseDeclared").and_then(Value::as_str) {
            if l != "NOASSERTION" && l != "NONE" {
                c.licenses.insert(l.to_owned());
            }
        }
        if let Some(comment) = p.get("comment").and_then(Value::as_str) {
            for line in comment.lines() {
                if let Some(l) = line.strip_prefix("location: ") {
                    c.locations.insert(l.to_owned());
                } else if let Some(l) = line.strip_prefix("layer: ") {
                    c.layers.insert(l.to_owned());
                } else if let Some(s) = line.strip_prefix("scope: ") {
                    c.scope = match s {
                        "required" => Scope::Required,
                        "optional" => Scope::Optional,
                        "dev" => Scope::Dev,
                        _ => Scope::Unknown,
                    };
                }
            }
        }
        by_id.insert(id.to_owned(), c);
    }
    let purls: BTreeMap<String, String> =
        by_id.iter().map(|(k, c)| (k.clone(), c.purl())).collect();
    for r in doc
        .get("relationships")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let get = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or_default();
        let (a, ty, b) = (
            get("spdxElementId"),
            get("relationshipType"),
            get("relatedSpdxElement"),
        );
        match ty {
            "DEPENDS_ON" => {
                if let (Some(target), Some(c)) = (purls.get(b), by_id.get_mut(a)) {
                    c.dependencies.insert(target.clone());
                } else if described.iter().any(|d| d == a) {
                    if let Some(c) = by_id.get_mut(b) {
                        c.direct = Some(true);
                    }
                }
            }
            "DEV_DEPENDENCY_OF" if described.iter().any(|d| d == b) => {
                if let Some(c) = by_id.get_mut(a) {
                    c.direct = Some(true);
                }
            }
            _ => {}
        }
    }
    let root = doc
        .get("packages")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|p| p.get("SPDXID").and_then(Value::as_str) == Some(SUBJECT_ID));
    let subject = Subject {
        name: doc
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        kind: match root
            .and_then(|r| r.get("primaryPackagePurpose"))
            .and_then(Value::as_str)
        {
            Some("CONTAINER") => "container".into(),
            _ => "directory".into(),
        },
        digest: root.and_then(|r| r.pointer("/checksums/0")).and_then(|c| {
            let alg = c.get("algorithm")?.as_str()?.to_ascii_lowercase();
            Some(format!("{alg}:{}", c.get("checksumValue")?.as_str()?))
        }),
        distro: root
            .and_then(|r| r.get("comment"))
            .and_then(Value::as_str)
            .and_then(|c| c.strip_prefix("distro: "))
            .map(str::to_owned),
    };
    Ok(Sbom::new(subject, by_id.into_values().collect()))
}
