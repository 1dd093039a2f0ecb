//! A linear position-tracking pass over already-validated JSON: records the line of every value
//! under its JSON pointer. serde_json keeps no spans, so this walks the bytes once more, only
//! when a source map is requested.

use super::SourceMap;
use super::source_map::{push_index, push_token};

struct Frame {
    /// Pointer length of the container itself.
    base_len: usize,
    is_object: bool,
    /// Next array index.
    index: usize,
    /// After `[`/`{` or `,`: the next token starts a value (array) or a key (object).
    expecting: bool,
}

/// Records pointer → line for every value of `data`, which must already be valid JSON.
/// Never panics on invalid input; it just records less.
pub(crate) fn build(data: &[u8], map: &mut SourceMap) {
    build_at(data, map, "", 1);
}

/// Like [`build`], with a pointer prefix and the line on which `data` starts.
pub(crate) fn build_at(data: &[u8], map: &mut SourceMap, prefix: &str, first_line: usize) {
    let mut pointer = String::from(prefix);
    let mut stack: Vec<Frame> = Vec::new();
    let mut line = first_line;
    let mut root_seen = false;
    let mut pos = 0;
    while let Some(&b) = data.get(pos) {
        match b {
            b'\n' => {
                line += 1;
                pos += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' | b':' => {
                pos += 1;
                continue;
            }
            b',' => {
                if let Some(f) = stack.last_mut() {
                    f.expecting = true;
                    if !f.is_object {
                        f.index += 1;
                    }
                }
                pos += 1;
                continue;
            }
            b'}' | b']' => {
                if let Some(f) = stack.pop() {
                    pointer.truncate(f.base_len);
                }
                pos += 1;
                continue;
            }
            _ => {}
        }
        // A token starts here: a key, or a value.
        let is_key = matches!(stack.last(), Some(f) if f.is_object && f.expecting);
        if is_key {
            let end = string_end(data, pos);
            if let Some(f) = stack.last_mut() {
                f.expecting = false;
                pointer.truncate(f.base_len);
            }
            let raw = data.get(pos..end).unwrap_or(&[]);
            push_token(&mut pointer, &decode_key(raw));
            map.insert(&pointer, line);
            pos = end;
            continue;
        }
        match stack.last_mut() {
            Some(f) if !f.is_object => {
                if f.expecting {
                    f.expecting = false;
                    pointer.truncate(f.base_len);
                    push_index(&mut pointer, f.index);
                    map.insert(&pointer, line);
                }
            }
            Some(_) => {}
            None => {
                if root_seen {
                    return;
                }
                root_seen = true;
                map.insert(&pointer, line);
            }
        }
        match b {
            b'{' | b'[' => {
                stack.push(Frame {
                    base_len: pointer.len(),
                    is_object: b == b'{',
                    index: 0,
                    expecting: true,
                });
                pos += 1;
            }
            b'"' => pos = string_end(data, pos),
            _ => {
                while let Some(&c) = data.get(pos) {
                    if matches!(c, b',' | b']' | b'}' | b' ' | b'\t' | b'\r' | b'\n') {
                        break;
                    }
                    pos += 1;
                }
            }
        }
    }
}

/// Offset just past the string starting (with `"`) at `start`.
fn string_end(data: &[u8], start: usize) -> usize {
    let mut pos = start + 1;
    while let Some(&c) = data.get(pos) {
        match c {
            b'\\' => pos += 2,
            b'"' => return pos + 1,
            _ => pos += 1,
        }
    }
    data.len()
}

fn decode_key(raw: &[u8]) -> String {
    if !raw.contains(&b'\\') {
        let inner = raw.get(1..raw.len().saturating_sub(1)).unwrap_or(&[]);
        return String::from_utf8_lossy(inner).into_owned();
    }
    serde_json::from_slice::<String>(raw).unwrap_or_default()
}
