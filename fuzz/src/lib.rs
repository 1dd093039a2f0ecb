//! What every untrusted-input parser must hold on any input; the fuzz targets only pick parsers
//! and split their input. The policy input loaders are checked here, the other crates' parsers
//! in [`sbom`] (lockfile catalogers, SBOM documents), [`vuln`] (OSV records, version orderings,
//! CVSS vectors) and [`ingest`] (scanner reports).
//!
//! A violated property panics, which libFuzzer reports as a crash with the input saved.

pub mod attest;
pub mod ingest;
pub mod sbom;
pub mod vuln;

use std::path::Path;

use gatehouse_policy::parser::{ParseError, Parser, SourceMap, parse, parse_with_source_map};

/// Runs `parser` on `bytes` through both entry points and checks:
/// - neither panics (libFuzzer catches that by itself);
/// - both agree: the same value, or the same error;
/// - an error's Display starts with the file name, and its line/column are 1-based;
/// - every source-map line is 1-based.
pub fn check(parser: Parser, bytes: &[u8]) {
    let file = format!("fuzz-input.{}", parser.name());
    let plain = parse(parser, &file, bytes);
    let mapped = parse_with_source_map(parser, &file, bytes);
    match (plain, mapped) {
        (Ok(value), Ok((mapped_value, map))) => {
            assert!(
                value == mapped_value,
                "{parser}: parse and parse_with_source_map returned different values"
            );
            check_map(parser, &map);
        }
        (Err(e), Err(mapped_e)) => {
            check_error(&file, &e);
            assert_eq!(
                e, mapped_e,
                "{parser}: parse and parse_with_source_map returned different errors"
            );
        }
        (Ok(_), Err(e)) => {
            panic!("{parser}: parse succeeded but parse_with_source_map failed: {e}")
        }
        (Err(e), Ok(_)) => {
            panic!("{parser}: parse_with_source_map succeeded but parse failed: {e}")
        }
    }
}

/// An error names the file first (`{file}:{line}:{column}: {message}`), with 1-based positions.
pub fn check_error(file: &str, e: &ParseError) {
    let shown = e.to_string();
    assert!(
        shown.starts_with(&format!("{file}:")),
        "error does not start with the file name `{file}`: {shown}"
    );
    assert!(
        e.line != Some(0),
        "error line is 0 (lines are 1-based): {shown}"
    );
    assert!(
        e.column != Some(0),
        "error column is 0 (columns are 1-based): {shown}"
    );
    assert!(
        e.column.is_none() || e.line.is_some(),
        "error has a column but no line: {e:?}"
    );
}

fn check_map(parser: Parser, map: &SourceMap) {
    for (pointer, line) in map.iter() {
        assert!(line >= 1, "{parser}: source map line 0 for `{pointer}`");
    }
}

/// `Parser::detect` on an arbitrary path (Conftest's config and input paths): no panic; a
/// detected parser is reachable by its `--parser` name; detection ignores ASCII case of the
/// file name; loading any file with the detected parser names that file in its error.
pub fn check_detect(path: &Path) {
    let Some(parser) = Parser::detect(path) else {
        return;
    };
    let by_name = Parser::from_name(parser.name());
    assert!(
        by_name == Ok(parser),
        "detect({path:?}) = {parser:?}, but from_name({:?}) = {by_name:?}",
        parser.name()
    );
    assert_eq!(parser.to_string(), parser.name());

    if let Some(name) = path.file_name() {
        let upper = path.with_file_name(name.to_ascii_uppercase());
        let detected_upper = Parser::detect(&upper);
        assert!(
            detected_upper == Some(parser),
            "detect is case-sensitive: detect({path:?}) = {parser:?}, detect({upper:?}) = \
             {detected_upper:?}"
        );
    }

    // The file name is user data too: errors must carry it verbatim, whatever it contains.
    let file = path.to_string_lossy();
    if let Err(e) = parse(parser, &file, b"\xff") {
        check_error(&file, &e);
    }
}
