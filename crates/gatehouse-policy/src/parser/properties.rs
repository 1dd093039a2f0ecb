//! Java `.properties` loader (Conftest `properties`, magiconair/properties): `{"key": "value"}`
//! with the raw (unexpanded) values, as Conftest's `Map()` returns them. `${key}` references are
//! still checked like magiconair's loader does (unclosed expression, circular reference, too
//! deep); environment variables are never read.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::ParseError;
use super::text::{strip_bom, utf8};

const MAX_EXPANSION_DEPTH: usize = 64;
const MAX_EXPANSION_STEPS: usize = 100_000;

pub(crate) fn parse(file: &str, bytes: &[u8]) -> Result<Value, ParseError> {
    let text = utf8(file, strip_bom(bytes))?;
    let mut props: Vec<(String, String, usize)> = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while let Some(first) = lines.get(i) {
        i += 1;
        let line_no = i;
        let start = first.trim_start_matches([' ', '\t', '\u{c}']);
        if start.is_empty() || start.starts_with('#') || start.starts_with('!') {
            continue;
        }
        // Join continuation lines (an odd number of trailing backslashes).
        let mut logical = start.to_string();
        while ends_with_continuation(&logical) {
            logical.pop();
            match lines.get(i) {
                Some(next) => {
                    i += 1;
                    logical.push_str(next.trim_start_matches([' ', '\t', '\u{c}']));
                }
                None => break,
            }
        }
        let (key, value) = split(&logical);
        let key = unescape(file, line_no, key)?;
        let value = unescape(file, line_no, value)?;
        props.retain(|(k, _, _)| *k != key);
        props.push((key, value, line_no));
    }
    check_expansions(file, &props)?;
    Ok(Value::Object(
        props
            .into_iter()
            .map(|(k, v, _)| (k, Value::String(v)))
            .collect::<Map<_, _>>(),
    ))
}

fn ends_with_continuation(s: &str) -> bool {
    s.chars().rev().take_while(|&c| c == '\\').count() % 2 == 1
}

/// Splits a logical line into the raw key and the raw value.
fn split(line: &str) -> (&str, &str) {
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '=' | ':' | ' ' | '\t' | '\u{c}' => {
                let key = line.get(..i).unwrap_or("");
                let mut rest = line.get(i..).unwrap_or("");
                rest = rest.trim_start_matches([' ', '\t', '\u{c}']);
                if c == ' ' || c == '\t' || c == '\u{c}' {
                    if let Some(r) = rest.strip_prefix(['=', ':']) {
                        rest = r;
                    }
                } else {
                    rest = rest.get(1..).unwrap_or("");
                }
                return (key, rest.trim_start_matches([' ', '\t', '\u{c}']));
            }
            _ => {}
        }
    }
    (line, "")
}

fn unescape(file: &str, line_no: usize, s: &str) -> Result<String, ParseError> {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('f') => out.push('\u{c}'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                let c = u32::from_str_radix(&hex, 16)
                    .ok()
                    .filter(|_| hex.len() == 4)
                    .and_then(char::from_u32)
                    .ok_or_else(|| {
                        ParseError::at_line(
                            file,
                            line_no,
                            format!("invalid unicode literal \\u{hex}"),
                        )
                    })?;
                out.push(c);
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    Ok(out)
}

/// magiconair's `check()`: every `${key}` must be closed and free of cycles.
fn check_expansions(file: &str, props: &[(String, String, usize)]) -> Result<(), ParseError> {
    let values: HashMap<&str, &str> = props
        .iter()
        .map(|(k, v, _)| (k.as_str(), v.as_str()))
        .collect();
    let mut steps = 0usize;
    for (key, value, line) in props {
        let mut chain = vec![key.as_str()];
        expand(value, &mut chain, &values, &mut steps)
            .map_err(|msg| ParseError::at_line(file, *line, msg))?;
    }
    Ok(())
}

fn expand<'a>(
    s: &str,
    chain: &mut Vec<&'a str>,
    values: &HashMap<&'a str, &'a str>,
    steps: &mut usize,
) -> Result<(), String> {
    if chain.len() > MAX_EXPANSION_DEPTH {
        return Err("expansion too deep".to_string());
    }
    let mut rest = s;
    while let Some(start) = rest.find("${") {
        *steps += 1;
        if *steps > MAX_EXPANSION_STEPS {
            return Err("too many `${...}` expansions".to_string());
        }
        let after = rest.get(start + 2..).unwrap_or("");
        let Some(len) = after.find('}') else {
            return Err("malformed expression: unclosed `${`".to_string());
        };
        let name = after.get(..len).unwrap_or("");
        if let Some((&k, &v)) = values.get_key_value(name) {
            if chain.contains(&k) {
                return Err(format!(
                    "circular reference in: {} -> {k}",
                    chain.join(" -> ")
                ));
            }
            chain.push(k);
            expand(v, chain, values, steps)?;
            chain.pop();
        }
        rest = after.get(len + 1..).unwrap_or("");
    }
    Ok(())
}
