//! INI loader (Conftest `ini`, go-ini): `{"section": {"key": value}}`; keys outside any section
//! (go-ini's `DEFAULT`) are dropped, as Conftest drops them. Values that parse as numbers become
//! numbers and Go `ParseBool` words (`true`, `t`, `F`, ...) become booleans, like Conftest's
//! `convertKeyTypes`; `inf`/`nan` stay strings (JSON cannot carry them).

use serde_json::{Map, Value};

use super::ParseError;
use super::text::{float_value, strip_bom, utf8};

pub(crate) fn parse(file: &str, bytes: &[u8]) -> Result<Value, ParseError> {
    let text = utf8(file, strip_bom(bytes))?;
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Map<String, Value> = Map::new();
    let mut section: Option<String> = None;
    let mut i = 0;
    while let Some(raw) = lines.get(i) {
        i += 1;
        let line_no = i;
        let line = raw.trim_start();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            let Some(close) = rest.rfind(']') else {
                return Err(ParseError::at_line(
                    file,
                    line_no,
                    format!("unclosed section: {line}"),
                ));
            };
            let name = rest.get(..close).unwrap_or("").trim();
            if name.is_empty() {
                return Err(ParseError::at_line(file, line_no, "empty section name"));
            }
            if name == "DEFAULT" {
                section = None;
            } else {
                section = Some(name.to_string());
                out.entry(name.to_string())
                    .or_insert_with(|| Value::Object(Map::new()));
            }
            continue;
        }
        let (key, rest) = split_key(line).ok_or_else(|| {
            ParseError::at_line(
                file,
                line_no,
                format!("key-value delimiter not found: {line}"),
            )
            .with_help("INI entries are `key = value` lines inside `[section]`s")
        })?;
        let value = read_value(rest, &lines, &mut i);
        if let Some(name) = &section {
            if let Some(Value::Object(keys)) = out.get_mut(name) {
                keys.insert(key, typed(&value));
            }
        }
    }
    Ok(Value::Object(out))
}

/// go-ini `readKeyName`: quoted keys, or everything before the first `=` or `:`.
fn split_key(line: &str) -> Option<(String, &str)> {
    for quote in ['"', '`'] {
        if let Some(rest) = line.strip_prefix(quote) {
            let end = rest.find(quote)?;
            let key = rest.get(..end)?.to_string();
            let after = rest.get(end + 1..)?.trim_start();
            let after = after.strip_prefix(['=', ':'])?;
            return Some((key, after));
        }
    }
    let idx = line.find(['=', ':'])?;
    let key = line.get(..idx)?.trim().to_string();
    Some((key, line.get(idx + 1..)?))
}

/// go-ini `readValue` with its default options.
fn read_value(rest: &str, lines: &[&str], i: &mut usize) -> String {
    let line = rest.trim_start();
    if line.is_empty() {
        return String::new();
    }
    for quote in ["\"\"\"", "`"] {
        if let Some(body) = line.strip_prefix(quote) {
            if let Some(end) = body.find(quote) {
                return body.get(..end).unwrap_or("").to_string();
            }
            // Multi-line quoted value: read until a line containing the closing quote.
            let mut value = format!("{body}\n");
            while let Some(next) = lines.get(*i) {
                *i += 1;
                if let Some(end) = next.find(quote) {
                    value.push_str(next.get(..end).unwrap_or(""));
                    return value;
                }
                value.push_str(next);
                value.push('\n');
            }
            return value;
        }
    }
    let mut line = line.trim().to_string();
    // Continuation lines: a trailing backslash joins the next line.
    while line.ends_with('\\') {
        line.pop();
        match lines.get(*i) {
            Some(next) => {
                *i += 1;
                line.push_str(next.trim());
            }
            None => break,
        }
    }
    if let Some(idx) = line.find(['#', ';']) {
        line.truncate(idx);
        line = line.trim().to_string();
    }
    for q in ['"', '\''] {
        let inner = line.strip_prefix(q).and_then(|l| l.strip_suffix(q));
        if let Some(inner) = inner {
            if !inner.contains(q) {
                return inner.to_string();
            }
        }
    }
    line
}

/// Conftest `convertKeyTypes`: Go `ParseFloat`, then `ParseBool`, else the string.
fn typed(value: &str) -> Value {
    let lower = value.to_ascii_lowercase();
    let special = matches!(
        lower.trim_start_matches(['+', '-']),
        "inf" | "infinity" | "nan"
    );
    if !special && !value.contains('_') {
        if let Some(v) = value.parse::<f64>().ok().and_then(float_value) {
            return v;
        }
    }
    match value {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Value::Bool(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Value::Bool(false),
        _ => Value::String(value.to_string()),
    }
}
