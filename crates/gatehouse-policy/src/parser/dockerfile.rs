//! Dockerfile loader (Conftest `dockerfile`, moby/buildkit's parser).
//!
//! Output is `[[command, ...]]`: one flat list of `{Cmd, SubCmd, JSON, Flags, Value, Stage}`
//! objects (lower-case `Cmd`), with the comments that precede an instruction emitted before it
//! as `{"Cmd": "comment", "Value": [text]}`. `Stage` counts `FROM`s (0-based). Line
//! continuations, the `escape`/`syntax`/`check` parser directives and heredocs (`RUN <<EOF`) are
//! handled like buildkit does; per-instruction argument splitting lives in
//! [`super::dockerfile_args`].

use serde_json::{Map, Value, json};

use super::dockerfile_args::{Instruction, parse_instruction};
use super::text::{strip_bom, utf8};
use super::{ParseError, SourceMap};

struct Directives {
    escape: char,
    done: bool,
    seen: Vec<String>,
}

impl Directives {
    /// buildkit `possibleParserDirective`: `# key=value` lines before anything else.
    fn check(&mut self, file: &str, line_no: usize, token: &str) -> Result<(), ParseError> {
        if self.done {
            return Ok(());
        }
        let Some((key, value)) = directive(token) else {
            self.done = true;
            return Ok(());
        };
        let key = key.to_ascii_lowercase();
        if !matches!(key.as_str(), "escape" | "syntax" | "check") {
            self.done = true;
            return Ok(());
        }
        if self.seen.contains(&key) {
            return Err(ParseError::at_line(
                file,
                line_no,
                format!("only one {key} parser directive can be used"),
            ));
        }
        self.seen.push(key.clone());
        if key == "escape" {
            self.escape = match value {
                "\\" => '\\',
                "`" => '`',
                _ => {
                    return Err(ParseError::at_line(
                        file,
                        line_no,
                        format!("invalid escape token '{value}' does not match ` or \\"),
                    ));
                }
            };
        }
        Ok(())
    }
}

/// `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`
fn directive(token: &str) -> Option<(&str, &str)> {
    let rest = token.strip_prefix('#')?.trim_start();
    let key_len = rest
        .char_indices()
        .find(|(i, c)| !(c.is_ascii_alphabetic() || (*i > 0 && c.is_ascii_digit())))
        .map_or(rest.len(), |(i, _)| i);
    if key_len == 0 {
        return None;
    }
    let key = rest.get(..key_len)?;
    let value = rest.get(key_len..)?.trim_start().strip_prefix('=')?.trim();
    if value.is_empty() {
        return None;
    }
    Some((key, value))
}

fn trim_newline(line: &str) -> &str {
    line.trim_end_matches(['\r', '\n'])
}

fn is_comment(line: &str) -> bool {
    trim_newline(line).trim_start().starts_with('#')
}

/// buildkit `trimContinuationCharacter`: `([^E])E[ \t]*$|^E[ \t]*$` → `$1`.
fn trim_continuation(line: &str, escape: char) -> (String, bool) {
    let trimmed = line.trim_end_matches([' ', '\t']);
    if let Some(before) = trimmed.strip_suffix(escape) {
        if before.is_empty() || !before.ends_with(escape) {
            return (before.to_string(), false);
        }
    }
    (line.to_string(), true)
}

struct Parsed {
    instruction: Instruction,
    line: usize,
    comments: Vec<(String, usize)>,
}

pub(crate) fn parse(
    file: &str,
    bytes: &[u8],
    map: Option<&mut SourceMap>,
) -> Result<Value, ParseError> {
    let text = utf8(file, strip_bom(bytes))?;
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut d = Directives {
        escape: '\\',
        done: false,
        seen: Vec::new(),
    };
    let mut comments: Vec<(String, usize)> = Vec::new();
    let mut parsed: Vec<Parsed> = Vec::new();
    let mut i = 0;
    while let Some(raw) = lines.get(i) {
        i += 1;
        let start_line = i;
        if is_comment(raw) {
            let after_first = raw.get(1..).unwrap_or("");
            comments.push((after_first.trim().to_string(), start_line));
        }
        let token = trim_newline(raw).trim_start();
        d.check(file, start_line, token)?;
        let processed = if token.starts_with('#') { "" } else { token };
        let (mut line, mut end) = trim_continuation(processed, d.escape);
        if end && line.is_empty() {
            continue;
        }
        while !end {
            let Some(next) = lines.get(i) else { break };
            i += 1;
            let cont = trim_newline(next);
            d.check(file, i, cont)?;
            if is_comment(next) || cont.trim_start().is_empty() {
                continue;
            }
            let (piece, is_end) = trim_continuation(cont, d.escape);
            line.push_str(&piece);
            end = is_end;
        }
        let instruction = parse_instruction(&line, d.escape)
            .map_err(|msg| ParseError::at_line(file, start_line, msg))?;
        for heredoc in instruction.heredocs() {
            let mut terminated = false;
            while let Some(body) = lines.get(i) {
                i += 1;
                let mut candidate = trim_newline(body);
                if heredoc.chomp {
                    candidate = candidate.trim_start_matches('\t');
                }
                if candidate == heredoc.name {
                    terminated = true;
                    break;
                }
            }
            if !terminated {
                return Err(
                    ParseError::at_line(file, start_line, "unterminated heredoc").with_help(
                        format!(
                            "end the heredoc with a line containing only `{}`",
                            heredoc.name
                        ),
                    ),
                );
            }
        }
        parsed.push(Parsed {
            instruction,
            line: start_line,
            comments: std::mem::take(&mut comments),
        });
    }
    if parsed.is_empty() {
        return Err(
            ParseError::at_line(file, lines.len().max(1), "file with no instructions")
                .with_help("is this really a Dockerfile? Use `--parser` to pick another format"),
        );
    }
    Ok(to_json(parsed, map))
}

fn to_json(parsed: Vec<Parsed>, mut map: Option<&mut SourceMap>) -> Value {
    let mut commands = Vec::new();
    let mut froms = 0usize;
    let mut record = |index: usize, line: usize| {
        if let Some(map) = map.as_deref_mut() {
            if index == 0 {
                map.insert("", line);
                map.insert("/0", line);
            }
            map.insert(&format!("/0/{index}"), line);
        }
    };
    for p in parsed {
        if p.instruction.cmd == "from" {
            froms += 1;
        }
        let stage = froms.saturating_sub(1);
        for (text, line) in p.comments {
            record(commands.len(), line);
            commands.push(json!({
                "Cmd": "comment",
                "SubCmd": "",
                "JSON": false,
                "Flags": null,
                "Value": [text],
                "Stage": stage,
            }));
        }
        record(commands.len(), p.line);
        let ins = p.instruction;
        let (sub_cmd, inner) = match &ins.sub {
            Some(sub) => (sub.cmd.clone(), sub.as_ref()),
            None => (String::new(), &ins),
        };
        let mut obj = Map::new();
        obj.insert("Cmd".into(), Value::String(ins.cmd.clone()));
        obj.insert("SubCmd".into(), Value::String(sub_cmd));
        obj.insert("JSON".into(), Value::Bool(inner.json));
        obj.insert("Flags".into(), strings_or_null(ins.flags.as_deref()));
        let values = (!inner.values.is_empty()).then_some(inner.values.as_slice());
        obj.insert("Value".into(), strings_or_null(values));
        obj.insert("Stage".into(), Value::from(stage));
        commands.push(Value::Object(obj));
    }
    Value::Array(vec![Value::Array(commands)])
}

fn strings_or_null(list: Option<&[String]>) -> Value {
    match list {
        Some(l) => Value::Array(l.iter().cloned().map(Value::String).collect()),
        None => Value::Null,
    }
}
