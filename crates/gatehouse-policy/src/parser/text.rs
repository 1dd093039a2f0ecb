//! Small text helpers shared by the loaders: UTF-8 decoding with a position, byte offset →
//! line/column, BOM stripping.

use super::ParseError;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Strips a leading UTF-8 byte-order mark.
pub(crate) fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(BOM).unwrap_or(bytes)
}

/// Decodes UTF-8, pointing at the first invalid byte on failure.
pub(crate) fn utf8<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str, ParseError> {
    std::str::from_utf8(bytes).map_err(|e| {
        ParseError::at_offset(file, bytes, e.valid_up_to(), "the file is not valid UTF-8")
            .with_help("save the file as UTF-8")
    })
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_col(text: &[u8], offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let segment = before.get(line_start..).unwrap_or(&[]);
    // Count characters, not bytes: continuation bytes (0b10xx_xxxx) do not start a character.
    let column = segment.iter().filter(|&&b| (b & 0xC0) != 0x80).count() + 1;
    (line, column)
}

/// 1-based line of a byte offset, given precomputed line starts (see [`line_starts`]).
pub(crate) fn line_of(starts: &[usize], offset: usize) -> usize {
    match starts.binary_search(&offset) {
        Ok(i) => i + 1,
        Err(i) => i.max(1),
    }
}

/// Byte offsets at which each line starts (the first is always 0).
pub(crate) fn line_starts(text: &[u8]) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(
        text.iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .map(|(i, _)| i + 1),
    );
    starts
}

/// A float as Conftest prints it: Go decodes every number to float64, so integral values come
/// out as integers (`3000`, not `3000.0`). `None` for NaN and infinities.
pub(crate) fn float_value(f: f64) -> Option<serde_json::Value> {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53: beyond it f64 has no fractional part
    if f.is_finite() && f.fract() == 0.0 && f.abs() < EXACT {
        #[allow(clippy::cast_possible_truncation)] // integral and below 2^53: exact
        return Some(serde_json::Value::from(f as i64));
    }
    serde_json::Number::from_f64(f).map(serde_json::Value::Number)
}
