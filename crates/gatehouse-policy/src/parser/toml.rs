//! TOML loader (Conftest `toml`): tables → objects, datetimes → their TOML text (RFC 3339 for
//! offset datetimes, as Go's `time.Time` marshals them).

use serde_json::{Map, Value};

use super::text::{float_value, strip_bom, utf8};
use super::{MAX_DEPTH, ParseError};

pub(crate) fn parse(file: &str, bytes: &[u8]) -> Result<Value, ParseError> {
    let text = utf8(file, strip_bom(bytes))?;
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let message = e.message().trim().to_string();
        match e.span() {
            Some(span) => ParseError::at_offset(file, text.as_bytes(), span.start, message),
            None => ParseError::new(file, message),
        }
    })?;
    convert_table(file, table, 0)
}

fn convert_table(file: &str, table: toml::Table, depth: usize) -> Result<Value, ParseError> {
    let mut out = Map::new();
    for (k, v) in table {
        out.insert(k, convert(file, v, depth + 1)?);
    }
    Ok(Value::Object(out))
}

fn convert(file: &str, value: toml::Value, depth: usize) -> Result<Value, ParseError> {
    if depth > MAX_DEPTH {
        return Err(ParseError::new(
            file,
            format!("nesting deeper than {MAX_DEPTH} levels"),
        ));
    }
    Ok(match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => match float_value(f) {
            Some(v) => v,
            None => {
                return Err(ParseError::new(
                    file,
                    format!("`{f}` (NaN or infinity) cannot be represented in JSON"),
                ));
            }
        },
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|v| convert(file, v, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        toml::Value::Table(t) => convert_table(file, t, depth)?,
    })
}
