//! The `json` format (Conftest's `output/json.go`): the results as Go's `encoding/json` writes
//! them, indented with tabs, empty lists and absent fields left out.
//!
//! Written by hand rather than through serde so the bytes match Go's encoder: field order follows
//! Conftest's structs, object keys are sorted, and `<`, `>`, `&`, U+2028 and U+2029 are escaped
//! as `\u003c`-style sequences the way Go's HTML-safe encoder does.

use serde_json::Value;

use crate::conftest::result::{CheckResult, Outcome};

pub(super) fn render(results: &[CheckResult]) -> String {
    let mut w = Writer::default();
    w.array(results, check_result);
    w.out.push('\n');
    w.out
}

fn check_result(w: &mut Writer, result: &CheckResult) {
    w.object(|o| {
        o.field("filename", |w| w.string(&result.filename));
        o.field("namespace", |w| w.string(&result.namespace));
        o.field("successes", |w| w.raw(&result.successes.to_string()));
        for (key, outcomes) in [
            ("skipped", &result.skipped),
            ("warnings", &result.warnings),
            ("failures", &result.failures),
            ("exceptions", &result.exceptions),
        ] {
            if !outcomes.is_empty() {
                o.field(key, |w| w.array(outcomes, outcome));
            }
        }
    });
}

fn outcome(w: &mut Writer, outcome: &Outcome) {
    w.object(|o| {
        o.field("msg", |w| w.string(&outcome.message));
        if let Some(location) = &outcome.location {
            o.field("loc", |w| {
                w.object(|o| {
                    if !location.file.is_empty() {
                        o.field("file", |w| w.string(&location.file));
                    }
                    o.field("line", |w| w.raw(&location.line.to_string()));
                });
            });
        }
        if let Some(metadata) = outcome.metadata.as_ref().filter(|m| !m.is_empty()) {
            o.field("metadata", |w| w.map(metadata.iter()));
        }
        if !outcome.outputs.is_empty() {
            o.field("outputs", |w| w.array(&outcome.outputs, |w, s| w.string(s)));
        }
    });
}

/// A JSON writer producing `json.Indent(..., "", "\t")` layout.
#[derive(Default)]
struct Writer {
    out: String,
    depth: usize,
}

impl Writer {
    fn raw(&mut self, text: &str) {
        self.out.push_str(text);
    }

    fn newline(&mut self) {
        self.out.push('\n');
        for _ in 0..self.depth {
            self.out.push('\t');
        }
    }

    fn array<T>(&mut self, items: &[T], mut item: impl FnMut(&mut Writer, &T)) {
        if items.is_empty() {
            self.out.push_str("[]");
            return;
        }
        self.out.push('[');
        self.depth += 1;
        for (i, value) in items.iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            self.newline();
            item(self, value);
        }
        self.depth -= 1;
        self.newline();
        self.out.push(']');
    }

    fn object(&mut self, fields: impl FnOnce(&mut ObjectWriter<'_>)) {
        let mut object = ObjectWriter {
            w: self,
            empty: true,
        };
        object.w.out.push('{');
        object.w.depth += 1;
        fields(&mut object);
        let empty = object.empty;
        self.depth -= 1;
        if !empty {
            self.newline();
        }
        self.out.push('}');
    }

    /// A JSON object with its keys in byte order, as Go writes a `map[string]any`.
    fn map<'a>(&mut self, entries: impl Iterator<Item = (&'a String, &'a Value)>) {
        let mut entries: Vec<_> = entries.collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        self.object(|o| {
            for (key, value) in entries {
                o.field(key, |w| w.value(value));
            }
        });
    }

    fn value(&mut self, value: &Value) {
        match value {
            Value::Null => self.raw("null"),
            Value::Bool(b) => self.raw(if *b { "true" } else { "false" }),
            Value::Number(n) => self.raw(&n.to_string()),
            Value::String(s) => self.string(s),
            Value::Array(items) => self.array(items, |w, v| w.value(v)),
            Value::Object(map) => self.map(map.iter()),
        }
    }

    fn string(&mut self, s: &str) {
        go_quote_json(&mut self.out, s);
    }
}

struct ObjectWriter<'w> {
    w: &'w mut Writer,
    empty: bool,
}

impl ObjectWriter<'_> {
    fn field(&mut self, key: &str, value: impl FnOnce(&mut Writer)) {
        if !self.empty {
            self.w.out.push(',');
        }
        self.empty = false;
        self.w.newline();
        self.w.string(key);
        self.w.out.push_str(": ");
        value(self.w);
    }
}

/// Appends `s` as a JSON string the way Go's `encoding/json` does (HTML-safe escaping on).
fn go_quote_json(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' | '\0'..='\u{1f}' => {
                let code = c as u32;
                out.push_str("\\u");
                for shift in [12, 8, 4, 0] {
                    out.push(char::from(HEX[((code >> shift) & 0xf) as usize]));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(s: &str) -> String {
        let mut out = String::new();
        go_quote_json(&mut out, s);
        out
    }

    #[test]
    fn strings_are_escaped_like_go() {
        assert_eq!(quoted("a<b>&c"), r#""a\u003cb\u003e\u0026c""#);
        assert_eq!(quoted("q\"\\\n\t\r"), r#""q\"\\\n\t\r""#);
        assert_eq!(quoted("\u{1}\u{8}\u{c}\u{1f}"), r#""\u0001\b\f\u001f""#);
        assert_eq!(quoted("\u{2028}é\u{7f}"), "\"\\u2028é\u{7f}\"");
    }
}
