//! Malformed input is an error naming file:line:col (where the format has them) and, where
//! it helps, what to do next.

use gatehouse_policy::parser::{ParseError, Parser, parse};

fn err(parser: Parser, file: &str, src: &str) -> ParseError {
    parse(parser, file, src.as_bytes()).expect_err("expected a parse error")
}

#[test]
fn parser_json_error_has_position() {
    let e = err(Parser::Json, "plan.json", "{\n  \"a\": 1\n  \"b\": 2\n}");
    assert_eq!((e.line, e.column), (Some(3), Some(3)));
    assert!(
        e.to_string()
            .starts_with("plan.json:3:3: expected `,` or `}`"),
        "{e}"
    );
    assert!(
        e.help
            .as_deref()
            .unwrap_or("")
            .contains("terraform show -json"),
        "{e:?}"
    );
}

#[test]
fn parser_json_help_for_text_plan() {
    let e = err(
        Parser::Json,
        "out.json",
        "Terraform will perform the following actions:\n",
    );
    assert!(e.help.unwrap().contains("terraform show -json"));
}

#[test]
fn parser_jsonc_error_keeps_original_positions() {
    let e = err(
        Parser::Jsonc,
        "a.jsonc",
        "// c\n{\n  /* x */ \"a\": tru,\n}",
    );
    assert_eq!(e.line, Some(3));
    assert_eq!(e.column, Some(19));
}

#[test]
fn parser_yaml_error_has_position() {
    let e = err(Parser::Yaml, "deploy.yaml", "a: 1\nb: [1, 2\nc: 3\n");
    assert_eq!(e.file, "deploy.yaml");
    assert!(e.line.is_some() && e.column.is_some(), "{e:?}");
    assert!(e.to_string().starts_with("deploy.yaml:"), "{e}");
}

#[test]
fn parser_yaml_error_line_counts_earlier_documents() {
    let e = err(Parser::Yaml, "m.yaml", "a: 1\n---\nb: 2\n---\nc: [\n");
    assert!(e.line.unwrap() >= 5, "{e:?}");
}

#[test]
fn parser_yaml_nan_and_bad_merge_are_errors() {
    let e = err(Parser::Yaml, "n.yaml", "x: 1\ny: .nan\n");
    assert_eq!((e.line, e.column), (Some(2), Some(4)));
    let e = err(Parser::Yaml, "m.yaml", "a:\n  <<: 3\n");
    assert!(e.message.contains("map merge"), "{e}");
    let e = err(Parser::Yaml, "k.yaml", "? [a]\n: b\n");
    assert!(e.message.contains("unsupported map key"), "{e}");
}

#[test]
fn parser_hcl_error_has_position() {
    let e = err(
        Parser::Hcl2,
        "main.tf",
        "resource \"a\" \"b\" {\n  x = \n}\n",
    );
    assert_eq!((e.line, e.column), (Some(2), Some(7)), "{e}");
    assert!(
        e.to_string().starts_with("main.tf:2:7: invalid expression"),
        "{e}"
    );
    assert!(e.column.is_some());
    let e = err(Parser::Hcl2, "dup.tf", "a = 1\na = 2\n");
    assert_eq!((e.line, e.column), (Some(2), Some(1)));
    assert!(e.message.contains("redefined"));
}

#[test]
fn parser_dockerfile_errors() {
    let e = err(Parser::Dockerfile, "Dockerfile", "FROM alpine\nFROOM x\n");
    assert_eq!(e.to_string(), "Dockerfile:2: unknown instruction: FROOM");
    let e = err(Parser::Dockerfile, "Dockerfile", "# only a comment\n");
    assert!(e.message.contains("no instructions"));
    let e = err(
        Parser::Dockerfile,
        "Dockerfile",
        "FROM a\nRUN <<EOT\necho\n",
    );
    assert_eq!(e.line, Some(2));
    assert!(e.message.contains("unterminated heredoc"));
    let e = err(Parser::Dockerfile, "Dockerfile", "FROM a\nCOPY onlyone\n");
    assert_eq!(e.line, Some(2));
    let e = err(Parser::Dockerfile, "Dockerfile", "FROM a\nCMD [\"a\", 1]\n");
    assert!(e.message.contains("strings only"), "{e}");
    let e = err(Parser::Dockerfile, "Dockerfile", "# escape=x\nFROM a\n");
    assert_eq!(e.line, Some(1));
}

#[test]
fn parser_toml_error_has_position() {
    let e = err(
        Parser::Toml,
        "Cargo.toml",
        "[package]\nname = \"x\"\nversion = \n",
    );
    assert_eq!(e.line, Some(3), "{e}");
    assert!(e.column.is_some());
}

#[test]
fn parser_xml_error_has_position() {
    let e = err(Parser::Xml, "pom.xml", "<a>\n  <b>\n</a>\n");
    assert!(e.line.is_some() && e.column.is_some(), "{e}");
    let e = err(Parser::Xml, "x.xml", "<a>&nbsp;</a>");
    assert!(e.message.contains("entity"), "{e}");
}

#[test]
fn parser_other_formats_name_the_line() {
    let e = err(Parser::Ini, "a.ini", "[s]\nnot a pair\n");
    assert_eq!(e.line, Some(2));
    let e = err(Parser::Ini, "a.ini", "[s\n");
    assert_eq!(e.line, Some(1));
    let e = err(Parser::Dotenv, ".env", "A=1\nthis is wrong\n");
    assert_eq!(e.line, Some(2));
    let e = err(Parser::Properties, "a.properties", "a=${b\n");
    assert_eq!(e.line, Some(1));
    let e = err(Parser::Properties, "a.properties", "a=${b}\nb=${a}\n");
    assert!(e.message.contains("circular"), "{e}");
    let e = err(Parser::Spdx, "a.spdx", "DocumentName: x\n");
    assert!(e.message.contains("SPDX version"), "{e}");
    let e = err(Parser::Json, "bad.json", "\u{0}");
    assert!(e.line.is_some());
}

#[test]
fn parser_invalid_utf8_is_located() {
    let e = parse(Parser::Yaml, "a.yaml", b"a: 1\nb: \xff\n").unwrap_err();
    assert_eq!((e.line, e.column), (Some(2), Some(4)));
}
