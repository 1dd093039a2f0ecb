//! No loader panics: every prefix of every fixture, some garbage, deep nesting, alias bombs.

use gatehouse_policy::parser::{MAX_DEPTH, Parser, parse, parse_with_source_map};

const ALL: &[Parser] = &[
    Parser::Json,
    Parser::Jsonc,
    Parser::Yaml,
    Parser::Hcl2,
    Parser::Dockerfile,
    Parser::Toml,
    Parser::Ini,
    Parser::Xml,
    Parser::Properties,
    Parser::Dotenv,
    Parser::Ignore,
    Parser::CycloneDx,
    Parser::Spdx,
];

fn every_parser(bytes: &[u8]) {
    for &p in ALL {
        let _ = parse(p, "f", bytes);
        let _ = parse_with_source_map(p, "f", bytes);
    }
}

#[test]
fn parser_no_panic_on_fixture_prefixes() {
    let mut entries: Vec<_> = std::fs::read_dir(super::fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    entries.sort();
    for path in entries {
        let bytes = std::fs::read(&path).unwrap();
        let parser = Parser::detect(&path);
        // Every prefix with the fixture's own parser; a coarser stride with all of them.
        for end in 0..=bytes.len() {
            let prefix = &bytes[..end];
            if let Some(p) = parser {
                let _ = parse(p, "f", prefix);
                let _ = parse_with_source_map(p, "f", prefix);
            }
            if end % 61 == 0 {
                every_parser(prefix);
            }
        }
    }
}

#[test]
fn parser_no_panic_on_garbage() {
    let inputs: &[&[u8]] = &[
        b"",
        b"\xEF\xBB\xBF",
        b"\xff\xfe\x00\x01",
        b"\0\0\0",
        b"{{{{[[[[",
        b"]]]]}}}}",
        b"\"\\",
        b"${${${",
        b"%{if",
        b"<<EOF",
        b"RUN <<",
        b"<a b='",
        b"<![CDATA[",
        b"&#xFFFFFFFF;",
        b"<a>&#0;</a>",
        b"key=\\",
        b"\\u12",
        b"a: *unknown",
        b"? ? ? ?",
        b"- - - - -",
        b"!!binary x",
        b"a = <<-EOT\n",
        b"ONBUILD ONBUILD",
        b"FROM\\\n\\\n",
        b"export",
        b"[[[a]]]",
        b"\r\r\r\n\n",
    ];
    for input in inputs {
        every_parser(input);
    }
    // A bit of deterministic pseudo-random noise.
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    for len in [1usize, 7, 64, 513] {
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let table = b"{}[]()<>\"'#=:-\\\n $%!&*?|,.a1";
                table[(state % table.len() as u64) as usize]
            })
            .collect();
        every_parser(&bytes);
    }
}

#[test]
fn parser_deep_nesting_is_rejected_not_overflowed() {
    let depth = 100_000;
    let inputs = [
        (Parser::Json, "[".repeat(depth)),
        (Parser::Jsonc, "[".repeat(depth)),
        (Parser::Yaml, "[".repeat(depth)),
        (Parser::Yaml, "- ".repeat(depth)),
        (Parser::Hcl2, format!("a = {}", "[".repeat(depth))),
        (Parser::Toml, format!("a = {}", "[".repeat(depth))),
        (Parser::Xml, "<a>".repeat(depth)),
        (Parser::CycloneDx, "[".repeat(depth)),
    ];
    for (parser, src) in inputs {
        assert!(parse(parser, "deep", src.as_bytes()).is_err(), "{parser}");
    }
    // Just under the limit still parses.
    let ok = format!("{}{}", "[".repeat(MAX_DEPTH - 1), "]".repeat(MAX_DEPTH - 1));
    for parser in [Parser::Json, Parser::Yaml] {
        assert!(parse(parser, "ok", ok.as_bytes()).is_ok(), "{parser}");
    }
    let ok = format!("a = {}{}", "[".repeat(64), "]".repeat(64));
    assert!(parse(Parser::Hcl2, "ok", ok.as_bytes()).is_ok());
}

#[test]
fn parser_yaml_alias_bomb_is_rejected() {
    let mut src = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let prev = i - 1;
        src.push_str(&format!(
            "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
        ));
    }
    let e = parse(Parser::Yaml, "bomb.yaml", src.as_bytes()).unwrap_err();
    assert!(e.message.contains("excessive aliasing"), "{e}");
}
