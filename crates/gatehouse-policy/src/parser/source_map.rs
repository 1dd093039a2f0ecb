//! JSON pointer → source line, so a finding about `/resource/aws_s3_bucket/b/0/acl` can name
//! `main.tf:12`.

use std::collections::BTreeMap;

/// Maps JSON pointers (RFC 6901, e.g. `/spec/containers/0/image`) of a parsed value to the
/// 1-based line where that value (or its key) starts in the source file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceMap {
    lines: BTreeMap<String, u32>,
}

impl SourceMap {
    /// The line of `pointer`, falling back to the nearest ancestor that has one.
    pub fn line_of(&self, pointer: &str) -> Option<u32> {
        let mut p = pointer;
        loop {
            if let Some(line) = self.lines.get(p) {
                return Some(*line);
            }
            if p.is_empty() {
                return None;
            }
            p = p.rfind('/').and_then(|i| p.get(..i)).unwrap_or("");
        }
    }

    /// Records the line of a pointer (the first record wins).
    pub fn insert(&mut self, pointer: &str, line: usize) {
        let line = u32::try_from(line).unwrap_or(u32::MAX);
        self.lines.entry(pointer.to_string()).or_insert(line);
    }

    /// Number of recorded pointers.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// True if nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// All recorded pointers and lines, sorted by pointer.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u32)> {
        self.lines.iter().map(|(k, v)| (k.as_str(), *v))
    }
}

/// Appends one escaped reference token (`~` → `~0`, `/` → `~1`) to a pointer.
pub(crate) fn push_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    for c in token.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// Appends an array index to a pointer.
pub(crate) fn push_index(pointer: &mut String, index: usize) {
    use std::fmt::Write;
    let _ = write!(pointer, "/{index}");
}
