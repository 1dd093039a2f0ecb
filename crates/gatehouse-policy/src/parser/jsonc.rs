//! JSONC loader (Conftest `jsonc`, hujson "standardize"): `//` and `/* */` comments and
//! trailing commas are blanked out in place (so lines and columns stay true), then JSON.

use serde_json::Value;

use super::text::strip_bom;
use super::{ParseError, SourceMap, json, json_map};

pub(crate) fn parse(
    file: &str,
    bytes: &[u8],
    map: Option<&mut SourceMap>,
) -> Result<Value, ParseError> {
    let data = strip_bom(bytes);
    let standard = standardize(file, data)?;
    let value: Value =
        serde_json::from_slice(&standard).map_err(|e| json::error(file, &standard, &e))?;
    if let Some(map) = map {
        json_map::build(&standard, map);
    }
    Ok(value)
}

/// Replaces comments and trailing commas by spaces, keeping newlines and offsets.
fn standardize(file: &str, data: &[u8]) -> Result<Vec<u8>, ParseError> {
    let mut out = data.to_vec();
    let mut pos = 0;
    let mut pending_comma: Option<usize> = None;
    while let Some(&b) = data.get(pos) {
        match b {
            b'"' => {
                pending_comma = None;
                pos += 1;
                while let Some(&c) = data.get(pos) {
                    pos += if c == b'\\' { 2 } else { 1 };
                    if c == b'"' {
                        break;
                    }
                }
            }
            b'/' if data.get(pos + 1) == Some(&b'/') => {
                while let Some(&c) = data.get(pos) {
                    if c == b'\n' {
                        break;
                    }
                    blank(&mut out, pos);
                    pos += 1;
                }
            }
            b'/' if data.get(pos + 1) == Some(&b'*') => {
                let start = pos;
                blank(&mut out, pos);
                blank(&mut out, pos + 1);
                pos += 2;
                loop {
                    match data.get(pos) {
                        None => {
                            return Err(ParseError::at_offset(
                                file,
                                data,
                                start,
                                "unterminated block comment",
                            ));
                        }
                        Some(b'*') if data.get(pos + 1) == Some(&b'/') => {
                            blank(&mut out, pos);
                            blank(&mut out, pos + 1);
                            pos += 2;
                            break;
                        }
                        Some(_) => {
                            blank(&mut out, pos);
                            pos += 1;
                        }
                    }
                }
            }
            b',' => {
                pending_comma = Some(pos);
                pos += 1;
            }
            b']' | b'}' => {
                if let Some(comma) = pending_comma.take() {
                    blank(&mut out, comma);
                }
                pos += 1;
            }
            b' ' | b'\t' | b'\r' | b'\n' => pos += 1,
            _ => {
                pending_comma = None;
                pos += 1;
            }
        }
    }
    Ok(out)
}

fn blank(out: &mut [u8], pos: usize) {
    if let Some(b) = out.get_mut(pos) {
        if *b != b'\n' && *b != b'\r' {
            *b = b' ';
        }
    }
}
