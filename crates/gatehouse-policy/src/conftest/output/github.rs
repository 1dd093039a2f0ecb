//! The `github` format (Conftest's `output/github.go`): GitHub Actions workflow commands, one
//! `::group::` per result with `::error`/`::warning`/`::notice` annotations, then the summary.
//!
//! A `_loc` in the tested file moves the annotation to its line; a `_loc` in another file gives
//! two annotations, one there and one on the tested file saying where it came from.

use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use super::{RenderOptions, shown_name, summary, test_count};
use crate::conftest::result::{CheckResult, Outcome, Totals};

pub(super) fn render(results: &[CheckResult], options: &RenderOptions) -> String {
    let mut out = String::new();
    for result in results {
        let only_successes = result.failures.is_empty()
            && result.warnings.is_empty()
            && result.exceptions.is_empty()
            && result.skipped.is_empty();
        if options.github_hide_passed && only_successes {
            continue;
        }
        let file = shown_name(&result.filename);
        let _ = writeln!(
            out,
            "::group::Testing {} against {} policies in namespace {}",
            go_quote(file),
            test_count(result),
            go_quote(&result.namespace)
        );
        let annotate = |out: &mut String, level: &str, outcome: &Outcome, message: &str| {
            annotations(out, level, file, outcome, message, options);
        };
        for o in &result.failures {
            annotate(&mut out, "error", o, &o.message);
        }
        for o in &result.warnings {
            annotate(&mut out, "warning", o, &o.message);
        }
        for o in &result.exceptions {
            annotate(&mut out, "notice", o, &o.message);
        }
        for o in &result.skipped {
            annotate(
                &mut out,
                "notice",
                o,
                &format!("Test was skipped: {}", o.message),
            );
        }
        let checks = format!("Number of successful checks: {}", result.successes);
        command(&mut out, "notice", file, "1", &checks);
        out.push_str("::endgroup::\n");
    }
    out.push_str(&summary(&Totals::of(results), false));
    out.push('\n');
    out
}

fn annotations(
    out: &mut String,
    level: &str,
    file: &str,
    outcome: &Outcome,
    message: &str,
    options: &RenderOptions,
) {
    match &outcome.location {
        None => command(out, level, file, "1", message),
        Some(loc) if loc.file == file => command(out, level, file, &loc.line.to_string(), message),
        Some(loc) => {
            let origin = relative_path(&loc.file, options.working_dir.as_deref());
            let line = loc.line.to_string();
            command(out, level, &origin, &line, message);
            let message = format!("(ORIGINATING FROM {origin} L{line}) {message}");
            command(out, level, file, "1", &message);
        }
    }
}

/// One workflow command; the file is a command property and escaped as one.
fn command(out: &mut String, level: &str, file: &str, line: &str, message: &str) {
    let _ = writeln!(
        out,
        "::{level} file={},line={line}::{message}",
        escape_property(file)
    );
}

/// Escapes a workflow command property value: `%`, CR, LF, `:` and `,`.
fn escape_property(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' => out.push_str("%3A"),
            ',' => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    out
}

/// `path` relative to `base` when both are absolute (Go's `filepath.Rel`), else `path` as is.
fn relative_path(path: &str, base: Option<&Path>) -> String {
    let target = Path::new(path);
    let Some(base) = base.filter(|b| b.is_absolute() && target.is_absolute()) else {
        return path.to_owned();
    };
    let (target, base) = (clean(target), clean(base));
    let common = target
        .iter()
        .zip(base.iter())
        .take_while(|(a, b)| a == b)
        .count();
    let mut relative = PathBuf::new();
    for _ in base.iter().skip(common) {
        relative.push("..");
    }
    for part in target.iter().skip(common) {
        relative.push(part);
    }
    if relative.as_os_str().is_empty() {
        ".".to_owned()
    } else {
        relative.to_string_lossy().into_owned()
    }
}

/// Lexically normalizes an absolute path: drops `.` and resolves `..`.
fn clean(path: &Path) -> PathBuf {
    let mut cleaned = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                cleaned.pop();
            }
            other => cleaned.push(other),
        }
    }
    cleaned
}

/// A double-quoted string as Go's `%q` writes it: `\"`, `\\`, C escapes for control
/// characters, `\x`/`\u` escapes for other unprintable characters.
fn go_quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            '\0'..='\u{1f}' | '\u{7f}' => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if is_printable(c) => out.push(c),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Go's `strconv.IsPrint`, approximately: no control characters, no spaces other than U+0020,
/// and none of the common invisible format characters.
fn is_printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    !(c.is_control()
        || c.is_whitespace()
        || matches!(
            c,
            '\u{ad}'
                | '\u{200b}'..='\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2060}'..='\u{2064}'
                | '\u{feff}'
                | '\u{fff9}'..='\u{fffb}'
                | '\u{e000}'..='\u{f8ff}'
        ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_like_go_percent_q() {
        assert_eq!(go_quote("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(go_quote("x\ny\u{1b}\u{a0}é"), r#""x\ny\x1b\u00a0é""#);
    }

    #[test]
    fn escapes_property_values() {
        assert_eq!(escape_property("a,b:c%d\r\n"), "a%2Cb%3Ac%25d%0D%0A");
    }

    #[test]
    fn makes_absolute_locations_relative() {
        let base = Some(Path::new("/work/repo"));
        assert_eq!(relative_path("/work/repo/a/b.json", base), "a/b.json");
        assert_eq!(relative_path("/work/other/../x.json", base), "../x.json");
        assert_eq!(relative_path("../rel.json", base), "../rel.json");
        assert_eq!(relative_path("/abs.json", None), "/abs.json");
    }
}
