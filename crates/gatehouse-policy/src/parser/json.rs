//! JSON loader (Conftest `json`): a leading UTF-8 BOM is stripped, then plain JSON.
//!
//! Terraform plans arrive here (`terraform show -json`), so `parse` stays a single serde_json
//! pass; the position-tracking pass for the source map runs only when one is asked for.

use serde_json::Value;

use super::text::strip_bom;
use super::{ParseError, SourceMap, json_map};

pub(crate) fn parse(
    file: &str,
    bytes: &[u8],
    map: Option<&mut SourceMap>,
) -> Result<Value, ParseError> {
    let data = strip_bom(bytes);
    let value: Value = serde_json::from_slice(data).map_err(|e| error(file, data, &e))?;
    if let Some(map) = map {
        json_map::build(data, map);
    }
    Ok(value)
}

/// Converts a serde_json error into a located [`ParseError`] with a hint where one helps.
pub(crate) fn error(file: &str, data: &[u8], e: &serde_json::Error) -> ParseError {
    let full = e.to_string();
    // serde_json appends " at line L column C"; the position is carried separately.
    let message = match full.rfind(" at line ") {
        Some(i) => full.get(..i).unwrap_or(&full).to_string(),
        None => full.clone(),
    };
    let mut err = ParseError::new(file, message);
    if e.line() > 0 {
        err = err.with_position(e.line(), e.column().max(1));
    }
    if let Some(help) = help(file, data, e) {
        err = err.with_help(help);
    }
    err
}

fn help(file: &str, data: &[u8], e: &serde_json::Error) -> Option<String> {
    let head = data.get(..data.len().min(4096)).unwrap_or(data);
    let head_text = String::from_utf8_lossy(head);
    if head.starts_with(b"PK\x03\x04") {
        return Some(
            "this looks like a binary Terraform plan; convert it with \
             `terraform show -json tfplan > plan.json`"
                .to_string(),
        );
    }
    let looks_like_plan_text = head_text.contains("Terraform will perform")
        || head_text.contains("Terraform used the selected providers")
        || head_text.contains("No changes. Your infrastructure matches")
        || head_text.contains("\u{1b}[")
        || head_text.contains("Plan: ");
    if looks_like_plan_text {
        return Some(
            "is this the output of `terraform show -json`? Human-readable `terraform plan` output \
             is not JSON; run `terraform plan -out=tfplan && terraform show -json tfplan`"
                .to_string(),
        );
    }
    if e.is_eof() {
        return Some("the file ends early: is it truncated or still being written?".to_string());
    }
    let lower = file.to_ascii_lowercase();
    if lower.contains("plan") || lower.contains("tfplan") {
        return Some("is this the output of `terraform show -json`?".to_string());
    }
    let trimmed = head_text.trim_start();
    if trimmed.starts_with("---") || trimmed.contains(": ") && !trimmed.starts_with(['{', '[']) {
        return Some("this looks like YAML; use `--parser yaml` or a .yaml extension".to_string());
    }
    None
}
