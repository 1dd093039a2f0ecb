//! dotenv loader (Conftest `dotenv`, subosito/gotenv `StrictParse`): `{"KEY": "value"}`.
//!
//! Lines are `[export] KEY=value` (or `KEY: value`); single-quoted values are literal,
//! double-quoted ones get `\n`/`\r` and backslash escapes; `$VAR`/`${VAR}` expand from keys
//! defined earlier in the file (unknown ones become empty: a library never reads the process
//! environment, where gotenv would); `#` starts a comment. Anything else is an error.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Map, Value};

use super::ParseError;
use super::text::{strip_bom, utf8};

static LINE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r#"\A[\t\n\f\r ]*(?:export[\t\n\f\r ]+)?([0-9A-Za-z_.]+)(?:[\t\n\f\r ]*=[\t\n\f\r ]*|:[\t\n\f\r ]+?)('(?:'|[^'])*'|"(?:"|[^"])*"|[^#\n]+)?[\t\n\f\r ]*(?:[\t\n\f\r ]*#.*)?\z"#,
    )
    .ok()
});
static QUOTES: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"\A(['"])(.*)(['"])\z"#).ok());
static UNESCAPE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\\([^$])").ok());
static VARIABLE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(\\)?(\$)(\{?([A-Z0-9_]+)?\}?)").ok());
static NAME: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(\$)(\{?([A-Z0-9_]+)\}?)").ok());

pub(crate) fn parse(file: &str, bytes: &[u8]) -> Result<Value, ParseError> {
    let text = utf8(file, strip_bom(bytes))?;
    let mut env: BTreeMap<String, String> = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        parse_line(line, &mut env, 0).map_err(|msg| {
            ParseError::at_line(file, i + 1, msg).with_help(
                "dotenv lines look like `KEY=value`, `export KEY=\"value\"` or `# comment`",
            )
        })?;
    }
    Ok(Value::Object(
        env.into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect::<Map<_, _>>(),
    ))
}

fn parse_line(s: &str, env: &mut BTreeMap<String, String>, depth: usize) -> Result<(), String> {
    let (Some(line_re), Some(quotes), Some(unescape), Some(variable), Some(name)) = (
        LINE.as_ref(),
        QUOTES.as_ref(),
        UNESCAPE.as_ref(),
        VARIABLE.as_ref(),
        NAME.as_ref(),
    ) else {
        return Err("internal error: dotenv patterns failed to compile".to_string());
    };
    let Some(caps) = line_re.captures(s) else {
        let st = s.trim();
        if st.is_empty() || st.starts_with('#') {
            return Ok(());
        }
        if let Some(var) = st.strip_prefix("export ") {
            if env.contains_key(var.trim()) {
                return Ok(());
            }
            return Err(format!("line `{st}` has an unset variable"));
        }
        return Err(format!("line `{s}` doesn't match format"));
    };
    let key = caps.get(1).map_or("", |m| m.as_str()).to_string();
    let raw = caps.get(2).map_or("", |m| m.as_str());
    let double = raw.starts_with('"');
    let single = raw.starts_with('\'');
    let mut val = raw.trim_matches(' ').to_string();
    val = quotes.replace(&val, "$2").into_owned();
    if double {
        val = val.replace("\\n", "\n").replace("\\r", "\r");
        val = unescape.replace_all(&val, "$1").into_owned();
    }
    val = variable
        .replace_all(&val, |c: &regex::Captures<'_>| {
            let whole = c.get(0).map_or("", |m| m.as_str());
            if let Some(rest) = whole.strip_prefix('\\') {
                return rest.to_string();
            }
            if single {
                return whole.to_string();
            }
            match name.captures(whole).and_then(|n| n.get(3)) {
                Some(var) => env.get(var.as_str()).cloned().unwrap_or_default(),
                None => whole.to_string(),
            }
        })
        .into_owned();
    // gotenv: a double-quoted value with embedded newlines and `=` holds more assignments.
    if val.contains('=') && val != "\n" && val != "\r" && depth < 8 {
        let mut parts: Vec<String> = val.split('\n').map(str::to_string).collect();
        if parts.len() == 1 {
            parts = val.split('\r').map(str::to_string).collect();
        }
        if parts.len() > 1 {
            let rest: Vec<String> = parts.split_off(1);
            val = parts.pop().unwrap_or_default();
            for line in rest {
                let _ = parse_line(&line, env, depth + 1);
            }
        }
    }
    env.insert(key, val);
    Ok(())
}
