//! CycloneDX loader (Conftest `cyclonedx`): a JSON BOM is returned as it is; an XML BOM is
//! converted to the CycloneDX JSON shape (what cyclonedx-go's XML → JSON round trip gives):
//! wrapper lists (`<components><component>`) become arrays, attributes become keys
//! (`bom-ref`, `type`), `<hash alg>` → `{alg, content}`, `<property name>` → `{name, value}`,
//! `<licenses>` → `[{"license": {...}} | {"expression": "..."}]`, nested `<dependency ref>` →
//! `{ref, dependsOn}`. This mapping is best effort for the commonly used parts of the schema.

use serde_json::{Map, Value};

use super::xml::{Element, parse_tree};
use super::{ParseError, json};

/// Wrapper element → the name of its items, where they differ from "name minus s".
const LISTS: &[(&str, &str)] = &[
    ("components", "component"),
    ("tools", "tool"),
    ("services", "service"),
    ("hashes", "hash"),
    ("externalReferences", "reference"),
    ("properties", "property"),
    ("authors", "author"),
    ("vulnerabilities", "vulnerability"),
    ("ratings", "rating"),
    ("cwes", "cwe"),
    ("advisories", "advisory"),
    ("affects", "target"),
    ("versions", "version"),
    ("references", "reference"),
    ("endpoints", "endpoint"),
    ("contact", "contact"),
    ("tags", "tag"),
    ("annotations", "annotation"),
    ("subjects", "subject"),
    ("formulation", "formula"),
    ("patches", "patch"),
    ("resolves", "issue"),
    ("occurrences", "occurrence"),
    ("identity", "identity"),
    ("licensing", "licensing"),
];

pub(crate) fn parse(file: &str, bytes: &[u8]) -> Result<Value, ParseError> {
    let first = bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace() && **b != 0xEF && **b != 0xBB && **b != 0xBF);
    if matches!(first, Some(b'{') | Some(b'[')) {
        let value = json::parse(file, bytes, None)?;
        if !value.is_object() {
            return Err(ParseError::new(
                file,
                "a CycloneDX BOM must be a JSON object",
            ));
        }
        return Ok(value);
    }
    let root = parse_tree(file, bytes)?;
    let bom = root
        .children
        .iter()
        .find(|e| e.name == "bom")
        .ok_or_else(|| {
            ParseError::new(file, "not a CycloneDX BOM: no <bom> root element")
                .with_help("CycloneDX BOMs are JSON objects or XML documents with a <bom> root")
        })?;
    let mut out = Map::new();
    out.insert("bomFormat".into(), Value::String("CycloneDX".into()));
    for (name, value) in &bom.attrs {
        match name.as_str() {
            "xmlns" => {
                if let Some(v) = value.rsplit('/').next() {
                    out.insert("specVersion".into(), Value::String(v.to_string()));
                }
            }
            "version" => {
                out.insert("version".into(), number_or_string(value));
            }
            "serialNumber" => {
                out.insert("serialNumber".into(), Value::String(value.clone()));
            }
            _ => {}
        }
    }
    if let Value::Object(body) = object(bom) {
        for (k, v) in body {
            if !bom.attrs.iter().any(|(name, _)| *name == k) {
                out.insert(k, v);
            }
        }
    }
    Ok(Value::Object(out))
}

fn number_or_string(s: &str) -> Value {
    s.parse::<i64>()
        .map_or_else(|_| Value::String(s.to_string()), Value::from)
}

fn item_name(list: &str) -> Option<&'static str> {
    LISTS.iter().find(|(l, _)| *l == list).map(|(_, i)| *i)
}

fn convert(el: &Element) -> Value {
    match el.name.as_str() {
        "licenses" => Value::Array(
            el.children
                .iter()
                .map(|c| {
                    let mut m = Map::new();
                    let v = if c.name == "expression" && c.children.is_empty() {
                        Value::String(c.text.clone())
                    } else {
                        convert(c)
                    };
                    m.insert(c.name.clone(), v);
                    Value::Object(m)
                })
                .collect(),
        ),
        "dependencies" => Value::Array(el.children.iter().map(dependency).collect()),
        "hash" => leaf_with("content", el),
        "property" => leaf_with("value", el),
        name => match item_name(name) {
            Some(item) if el.attrs.is_empty() && el.children.iter().all(|c| c.name == item) => {
                Value::Array(el.children.iter().map(convert).collect())
            }
            _ if el.attrs.is_empty() && el.children.is_empty() => Value::String(el.text.clone()),
            _ => object(el),
        },
    }
}

fn dependency(el: &Element) -> Value {
    let mut m = Map::new();
    for (k, v) in &el.attrs {
        m.insert(k.clone(), Value::String(v.clone()));
    }
    let depends: Vec<Value> = el
        .children
        .iter()
        .filter_map(|c| c.attrs.iter().find(|(k, _)| k == "ref"))
        .map(|(_, v)| Value::String(v.clone()))
        .collect();
    if !depends.is_empty() {
        m.insert("dependsOn".into(), Value::Array(depends));
    }
    Value::Object(m)
}

fn leaf_with(text_key: &str, el: &Element) -> Value {
    let mut m = Map::new();
    for (k, v) in &el.attrs {
        m.insert(k.clone(), Value::String(v.clone()));
    }
    m.insert(text_key.into(), Value::String(el.text.clone()));
    Value::Object(m)
}

fn object(el: &Element) -> Value {
    let mut m = Map::new();
    for (k, v) in &el.attrs {
        m.insert(k.clone(), Value::String(v.clone()));
    }
    if !el.text.is_empty() && (!el.children.is_empty() || !el.attrs.is_empty()) {
        m.insert("content".into(), Value::String(el.text.clone()));
    }
    for child in &el.children {
        let value = convert(child);
        match m.get_mut(&child.name) {
            Some(Value::Array(list)) if !is_list_element(&child.name) => list.push(value),
            Some(existing) => {
                let prev = std::mem::take(existing);
                *existing = Value::Array(vec![prev, value]);
            }
            None => {
                m.insert(child.name.clone(), value);
            }
        }
    }
    Value::Object(m)
}

fn is_list_element(name: &str) -> bool {
    name == "licenses" || name == "dependencies" || item_name(name).is_some()
}
