//! YAML → JSON the way sigs.k8s.io/yaml does it over go-yaml v2: YAML 1.1 plain-scalar
//! resolution (`yes/no/on/off/y/n` are booleans, `0x`/`0o`/`0b`/leading-zero octal ints,
//! `_` separators, timestamps stay strings), merge keys `<<`, non-string keys turned into
//! strings, NaN/Infinity rejected (JSON cannot carry them), and a budget on alias expansion.

use std::rc::Rc;

use serde_json::{Map, Value};
use yaml_rust2::parser::Tag;
use yaml_rust2::scanner::TScalarStyle;

use super::source_map::{push_index, push_token};
use super::text::float_value;
use super::yaml::Node;
use super::{ParseError, SourceMap};

/// A resolved scalar.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Scalar {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(String),
}

/// Converts one document's node tree into JSON, optionally recording source lines.
pub(crate) struct Converter<'a> {
    file: &'a str,
    /// Remaining nodes we may still emit; guards against alias bombs (billion laughs).
    budget: usize,
    map: Option<&'a mut SourceMap>,
    pointer: String,
}

impl<'a> Converter<'a> {
    pub(crate) fn new(file: &'a str, events: usize, map: Option<&'a mut SourceMap>) -> Self {
        Converter {
            file,
            budget: events.saturating_mul(10).saturating_add(100_000),
            map,
            pointer: String::new(),
        }
    }

    pub(crate) fn convert_root(&mut self, node: &Node, prefix: &str) -> Result<Value, ParseError> {
        self.pointer.clear();
        self.pointer.push_str(prefix);
        self.record(node.line());
        self.convert(node, true)
    }

    fn record(&mut self, line: usize) {
        if let Some(map) = self.map.as_deref_mut() {
            map.insert(&self.pointer, line);
        }
    }

    fn spend(&mut self, node: &Node) -> Result<(), ParseError> {
        if self.budget == 0 {
            return Err(ParseError::at_line(
                self.file,
                node.line(),
                "document contains excessive aliasing (possible \"billion laughs\" attack)",
            )
            .with_help("reduce the use of anchors and aliases (`&name` / `*name`)"));
        }
        self.budget -= 1;
        Ok(())
    }

    /// `record`: whether lines of children go into the source map (not inside alias expansions,
    /// whose lines belong to the anchor, not to this place).
    fn convert(&mut self, node: &Node, record: bool) -> Result<Value, ParseError> {
        self.spend(node)?;
        match node {
            Node::Alias { target, .. } => self.convert(target, false),
            Node::Scalar { .. } => scalar_to_json(self.file, node),
            Node::Seq { items, .. } => {
                let mut out = Vec::with_capacity(items.len());
                let base = self.pointer.len();
                for (i, item) in items.iter().enumerate() {
                    if record {
                        push_index(&mut self.pointer, i);
                        self.record(item.line());
                    }
                    let v = self.convert(item, record);
                    self.pointer.truncate(base);
                    out.push(v?);
                }
                Ok(Value::Array(out))
            }
            Node::Map { entries, .. } => {
                let mut out = Map::new();
                self.fill_map(entries, &mut out, record)?;
                Ok(Value::Object(out))
            }
        }
    }

    fn fill_map(
        &mut self,
        entries: &[(Rc<Node>, Rc<Node>)],
        out: &mut Map<String, Value>,
        record: bool,
    ) -> Result<(), ParseError> {
        let base = self.pointer.len();
        for (key, value) in entries {
            if is_merge_key(key) {
                self.merge(value, out)?;
                continue;
            }
            let key_text = key_string(self.file, key)?;
            if record {
                push_token(&mut self.pointer, &key_text);
                self.record(key.line());
            }
            let v = self.convert(value, record);
            self.pointer.truncate(base);
            out.insert(key_text, v?);
        }
        Ok(())
    }

    /// go-yaml v2 merge: a map, or a sequence of maps applied last-to-first so earlier maps win.
    fn merge(&mut self, value: &Node, out: &mut Map<String, Value>) -> Result<(), ParseError> {
        self.spend(value)?;
        match value.resolved() {
            Node::Map { entries, .. } => self.fill_map(entries, out, false),
            Node::Seq { items, .. } => {
                for item in items.iter().rev() {
                    self.spend(item)?;
                    match item.resolved() {
                        Node::Map { entries, .. } => self.fill_map(entries, out, false)?,
                        _ => return Err(merge_error(self.file, item)),
                    }
                }
                Ok(())
            }
            _ => Err(merge_error(self.file, value)),
        }
    }
}

fn merge_error(file: &str, node: &Node) -> ParseError {
    ParseError::at_line(
        file,
        node.line(),
        "map merge requires map or sequence of maps as the value",
    )
}

fn is_merge_key(node: &Node) -> bool {
    matches!(node.resolved(), Node::Scalar { value, style: TScalarStyle::Plain, tag: None, .. } if value == "<<")
}

fn scalar_to_json(file: &str, node: &Node) -> Result<Value, ParseError> {
    let Node::Scalar {
        value,
        style,
        tag,
        line,
        column,
    } = node
    else {
        return Ok(Value::Null);
    };
    Ok(match resolve(value, *style, tag.as_ref()) {
        Scalar::Null => Value::Null,
        Scalar::Bool(b) => Value::Bool(b),
        Scalar::Int(i) => Value::from(i),
        Scalar::UInt(u) => Value::from(u),
        Scalar::Str(s) => Value::String(s),
        Scalar::Float(f) => float_value(f).ok_or_else(|| {
            ParseError::at(
                file,
                *line,
                *column,
                format!("`{value}` (NaN or infinity) cannot be represented in JSON"),
            )
            .with_help("quote the value to keep it as a string")
        })?,
    })
}

/// A map key as sigs.k8s.io/yaml turns it into a JSON object key.
fn key_string(file: &str, key: &Node) -> Result<String, ParseError> {
    let unsupported = |what: &str| {
        ParseError::at_line(file, key.line(), format!("unsupported map key: {what}"))
            .with_help("JSON object keys must be strings, numbers or booleans")
    };
    match key.resolved() {
        Node::Scalar {
            value, style, tag, ..
        } => match resolve(value, *style, tag.as_ref()) {
            Scalar::Str(s) => Ok(s),
            Scalar::Int(i) => Ok(i.to_string()),
            Scalar::UInt(u) => Ok(u.to_string()),
            Scalar::Bool(b) => Ok(b.to_string()),
            Scalar::Float(f) => Ok(go_float32_g(f)),
            Scalar::Null => Err(unsupported("null")),
        },
        Node::Seq { .. } => Err(unsupported("a sequence")),
        _ => Err(unsupported("a mapping")),
    }
}

/// Standard tag suffix (`str` for `!!str`), if the tag is in the YAML core namespace.
fn std_tag(tag: &Tag) -> Option<&str> {
    if tag.handle == "!!" || tag.handle == "tag:yaml.org,2002:" {
        Some(tag.suffix.as_str())
    } else if let Some(rest) = tag.suffix.strip_prefix("tag:yaml.org,2002:") {
        Some(rest)
    } else {
        None
    }
}

/// go-yaml v2 `resolve`, for the value of a scalar event.
pub(crate) fn resolve(value: &str, style: TScalarStyle, tag: Option<&Tag>) -> Scalar {
    match tag {
        Some(t) => match std_tag(t) {
            Some("str") | Some("binary") | Some("timestamp") => Scalar::Str(value.to_string()),
            Some("null") => Scalar::Null,
            Some("bool") | Some("int") | Some("float") => match resolve_plain(value) {
                Scalar::Str(_) if style != TScalarStyle::Plain => Scalar::Str(value.to_string()),
                other => other,
            },
            // Unknown (application) tags such as CloudFormation's `!Ref`: the text, as a string.
            _ => Scalar::Str(value.to_string()),
        },
        None if style == TScalarStyle::Plain => resolve_plain(value),
        None => Scalar::Str(value.to_string()),
    }
}

/// YAML 1.1 plain scalar resolution (go-yaml v2's `resolve` with an empty tag).
pub(crate) fn resolve_plain(s: &str) -> Scalar {
    match s {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Scalar::Bool(true);
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Scalar::Bool(false);
        }
        "" | "~" | "null" | "Null" | "NULL" => return Scalar::Null,
        ".nan" | ".NaN" | ".NAN" => return Scalar::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Scalar::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Scalar::Float(f64::NEG_INFINITY),
        _ => {}
    }
    match s.as_bytes().first() {
        Some(b'.') => match s.parse::<f64>() {
            Ok(f) if is_yaml_float(s) => Scalar::Float(f),
            _ => Scalar::Str(s.to_string()),
        },
        Some(b'0'..=b'9' | b'+' | b'-') => {
            let plain: String = s.chars().filter(|&c| c != '_').collect();
            if let Some(i) = go_parse_int(&plain) {
                return Scalar::Int(i);
            }
            if let Some(u) = go_parse_uint(&plain) {
                return Scalar::UInt(u);
            }
            if is_yaml_float(&plain) {
                if let Ok(f) = plain.parse::<f64>() {
                    return Scalar::Float(f);
                }
            }
            Scalar::Str(s.to_string())
        }
        _ => Scalar::Str(s.to_string()),
    }
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn is_yaml_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while matches!(b.get(*i), Some(b'0'..=b'9')) {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Go's `strconv.ParseUint(s, 0, 64)` magnitude parser (no sign).
fn go_parse_magnitude(s: &str) -> Option<u64> {
    let (digits, radix) = if let Some(r) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        (r, 16)
    } else if let Some(r) = s.strip_prefix("0o").or_else(|| s.strip_prefix("0O")) {
        (r, 8)
    } else if let Some(r) = s.strip_prefix("0b").or_else(|| s.strip_prefix("0B")) {
        (r, 2)
    } else if s.len() > 1 && s.starts_with('0') {
        (s.get(1..)?, 8)
    } else {
        (s, 10)
    };
    if digits.is_empty() || digits.starts_with(['+', '-']) {
        return None;
    }
    u64::from_str_radix(digits, radix).ok()
}

/// Go's `strconv.ParseInt(s, 0, 64)`.
fn go_parse_int(s: &str) -> Option<i64> {
    let (negative, body) = match s.as_bytes().first() {
        Some(b'-') => (true, s.get(1..)?),
        Some(b'+') => (false, s.get(1..)?),
        _ => (false, s),
    };
    let magnitude = go_parse_magnitude(body)?;
    if negative {
        if magnitude == 1u64 << 63 {
            Some(i64::MIN)
        } else {
            i64::try_from(magnitude).ok().map(|m| -m)
        }
    } else {
        i64::try_from(magnitude).ok()
    }
}

/// Go's `strconv.ParseUint(s, 0, 64)`.
fn go_parse_uint(s: &str) -> Option<u64> {
    go_parse_magnitude(s)
}

/// `strconv.FormatFloat(f, 'g', -1, 32)`, as sigs.k8s.io/yaml formats float map keys.
fn go_float32_g(f: f64) -> String {
    if f.is_nan() {
        return ".nan".to_string();
    }
    if f.is_infinite() {
        return if f > 0.0 { ".inf" } else { "-.inf" }.to_string();
    }
    #[allow(clippy::cast_possible_truncation)] // precision 32 is what Go uses here
    let g = f as f32;
    if g == 0.0 {
        return "0".to_string();
    }
    // Shortest round-trip digits and decimal exponent, via Rust's `{:e}` formatting.
    let sci = format!("{g:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..6).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exp.abs());
    }
    format!("{g}")
}
