//! JSON reading helpers: parse with positions, and total accessors over `serde_json::Value`.

use serde_json::Value;

use crate::IngestError;

/// Parses a JSON document; a syntax error names line and column and carries `hint`
/// (e.g. "is this the output of `trivy --format json`?").
pub(crate) fn parse(bytes: &[u8], hint: &str) -> Result<Value, IngestError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    serde_json::from_slice(bytes).map_err(|error| syntax(&error, hint))
}

/// Parses JSON Lines, or any whitespace-separated sequence of JSON documents (pretty-printed
/// ones included); positions are in the whole file.
pub(crate) fn parse_lines(bytes: &[u8], hint: &str) -> Result<Vec<Value>, IngestError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    serde_json::Deserializer::from_slice(bytes)
        .into_iter::<Value>()
        .map(|value| value.map_err(|error| syntax(&error, hint)))
        .collect()
}

pub(crate) fn syntax(error: &serde_json::Error, hint: &str) -> IngestError {
    // serde_json appends " at line L column C"; we put the position first instead.
    let message = error.to_string();
    let message = message
        .split(" at line")
        .next()
        .unwrap_or(&message)
        .to_owned();
    // serde_json says column 0 for a position before a line's first character (a newline inside
    // a string, the end of input after a newline); positions here are 1-based.
    IngestError::Syntax {
        line: error.line().max(1),
        column: error.column().max(1),
        message,
        hint: Some(hint.to_owned()),
    }
}

/// Total accessors: a missing key or a value of another type is `None` / empty, never a panic.
pub(crate) trait ValueExt {
    /// The value at a chain of object keys.
    fn at(&self, keys: &[&str]) -> Option<&Value>;
    /// A string member.
    fn str_of(&self, key: &str) -> Option<&str>;
    /// A string or number member as text (DefectDojo often does `str(value)`).
    fn text_of(&self, key: &str) -> Option<String>;
    /// An array member, or an empty slice.
    fn arr(&self, key: &str) -> &[Value];
    /// An integer member (numbers or numeric strings).
    fn int_of(&self, key: &str) -> Option<i64>;
    /// A float member (numbers or numeric strings).
    fn float_of(&self, key: &str) -> Option<f64>;
}

impl ValueExt for Value {
    fn at(&self, keys: &[&str]) -> Option<&Value> {
        keys.iter().try_fold(self, |value, key| value.get(key))
    }

    fn str_of(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Value::as_str)
    }

    fn text_of(&self, key: &str) -> Option<String> {
        self.get(key).and_then(as_text)
    }

    fn arr(&self, key: &str) -> &[Value] {
        self.get(key)
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    }

    fn int_of(&self, key: &str) -> Option<i64> {
        self.get(key).and_then(as_int)
    }

    fn float_of(&self, key: &str) -> Option<f64> {
        match self.get(key)? {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
}

/// A string, number or bool as text.
pub(crate) fn as_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// An integer from a number or a numeric string.
pub(crate) fn as_int(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by `fuzz_ingest`: serde_json's column 0 (a raw newline inside a string, the end of
    /// input after a newline) came through as column 0.
    #[test]
    fn syntax_positions_are_one_based() {
        for (text, line) in [("{\"a\": \"x\ny\"}", 2), ("{\"a\":\n", 2), ("", 1)] {
            let error = parse(text.as_bytes(), "hint").err();
            assert!(
                matches!(error, Some(IngestError::Syntax { line: l, column: 1, .. }) if l == line),
                "{text:?}: {error:?}"
            );
        }
    }
}
