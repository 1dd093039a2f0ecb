//! Ignore-file loader (Conftest `ignore`, shteou/go-ignore) for `.gitignore`/`.dockerignore`:
//! `[[{"Kind", "Value", "Original"}, ...]]`, one entry per line (the empty string after a final
//! newline included), `Kind` one of `Path`, `NegatedPath`, `Comment`, `Empty`.

use serde_json::{Value, json};

use super::ParseError;
use super::text::{strip_bom, utf8};

pub(crate) fn parse(file: &str, bytes: &[u8]) -> Result<Value, ParseError> {
    let text = utf8(file, strip_bom(bytes))?;
    let entries: Vec<Value> = text
        .split('\n')
        .map(|raw| {
            let original = raw.strip_suffix('\r').unwrap_or(raw);
            let trimmed = original.trim();
            let (kind, value) = if trimmed.is_empty() {
                ("Empty", String::new())
            } else if let Some(comment) = trimmed.strip_prefix('#') {
                ("Comment", comment.trim().to_string())
            } else if let Some(path) = trimmed.strip_prefix('!') {
                ("NegatedPath", path.trim().to_string())
            } else {
                ("Path", trimmed.to_string())
            };
            json!({"Kind": kind, "Value": value, "Original": original})
        })
        .collect();
    Ok(Value::Array(vec![Value::Array(entries)]))
}
