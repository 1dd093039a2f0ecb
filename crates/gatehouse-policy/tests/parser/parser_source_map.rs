//! JSON pointer → line maps for findings.

use gatehouse_policy::parser::{Parser, parse, parse_with_source_map};

#[test]
fn parser_json_source_map() {
    let bytes = super::fixture("plan.json");
    let (value, map) = parse_with_source_map(Parser::Json, "plan.json", &bytes).unwrap();
    assert_eq!(value, parse(Parser::Json, "plan.json", &bytes).unwrap());
    assert_eq!(map.line_of(""), Some(1));
    assert_eq!(map.line_of("/format_version"), Some(2));
    assert_eq!(map.line_of("/resource_changes/0"), Some(4));
    assert_eq!(map.line_of("/resource_changes/0/type"), Some(6));
    assert_eq!(map.line_of("/resource_changes/0/change/actions/0"), Some(8));
    assert_eq!(
        map.line_of("/resource_changes/0/change/after/tags/a~1b"),
        Some(9)
    );
    assert_eq!(
        map.line_of("/resource_changes/0/change/after/tags/c~0d"),
        Some(9)
    );
    // Unknown pointers fall back to the nearest ancestor.
    assert_eq!(
        map.line_of("/resource_changes/0/change/nope/deeper"),
        Some(7)
    );
}

#[test]
fn parser_yaml_source_map_multi_document() {
    let bytes = super::fixture("deployment+service.yaml");
    let (_, map) = parse_with_source_map(Parser::Yaml, "d.yaml", &bytes).unwrap();
    assert_eq!(map.line_of("/0/kind"), Some(2));
    assert_eq!(
        map.line_of("/0/spec/template/spec/containers/0/image"),
        Some(17)
    );
    assert_eq!(map.line_of("/1/kind"), Some(22));
    assert_eq!(map.line_of("/1/spec/ports/0/port"), Some(28));
}

#[test]
fn parser_yaml_source_map_anchors() {
    let bytes = super::fixture("yaml-anchors.yaml");
    let (_, map) = parse_with_source_map(Parser::Yaml, "a.yaml", &bytes).unwrap();
    assert_eq!(map.line_of("/service/replicas"), Some(10));
    // Alias content is attributed to the alias.
    assert_eq!(map.line_of("/labels_again/app"), Some(14));
    assert_eq!(map.line_of("/list/1"), Some(17));
}

#[test]
fn parser_hcl2_source_map() {
    let bytes = super::fixture("expressions.tf");
    let (_, map) = parse_with_source_map(Parser::Hcl2, "main.tf", &bytes).unwrap();
    assert_eq!(map.line_of("/variable/region/0/default"), Some(3));
    assert_eq!(map.line_of("/resource/aws_s3_bucket/b/0"), Some(25));
    assert_eq!(map.line_of("/resource/aws_s3_bucket/b/0/acl"), Some(27));
    assert_eq!(
        map.line_of("/resource/aws_s3_bucket/b/0/lifecycle_rule/1/enabled"),
        Some(40)
    );
    assert_eq!(map.line_of("/resource/aws_s3_bucket/c/0/bucket"), Some(45));
    assert_eq!(map.line_of("/locals/0/nested/a/b/1"), Some(15));
    assert_eq!(map.line_of("/terraform/0/backend/s3/0/bucket"), Some(56));
}

#[test]
fn parser_dockerfile_source_map() {
    let bytes = super::fixture("features.Dockerfile");
    let (value, map) = parse_with_source_map(Parser::Dockerfile, "Dockerfile", &bytes).unwrap();
    let cmds = value[0].as_array().unwrap();
    let line_of = |cmd: &str| {
        let i = cmds.iter().position(|c| c["Cmd"] == cmd).unwrap();
        map.line_of(&format!("/0/{i}"))
    };
    assert_eq!(line_of("workdir"), Some(7));
    assert_eq!(line_of("expose"), Some(21));
    assert_eq!(line_of("entrypoint"), Some(28));
    assert_eq!(map.line_of("/0/0"), Some(1)); // the `# syntax=` comment
}

#[test]
fn parser_other_formats_have_empty_maps() {
    let (_, map) = parse_with_source_map(Parser::Toml, "a.toml", b"a = 1").unwrap();
    assert!(map.is_empty());
}
