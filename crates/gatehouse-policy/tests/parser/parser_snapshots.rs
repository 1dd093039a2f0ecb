//! One snapshot per fixture: the parser is detected from the file name, as the CLI does.

use gatehouse_policy::parser::{Parser, parse};

fn snapshot(name: &str, parser: Option<Parser>) -> serde_json::Value {
    let parser = parser
        .or_else(|| Parser::detect(std::path::Path::new(name)))
        .unwrap_or_else(|| panic!("no parser detected for {name}"));
    parse(parser, name, &super::fixture(name)).unwrap_or_else(|e| panic!("{e}"))
}

macro_rules! fixture_snapshot {
    ($test:ident, $file:literal) => {
        fixture_snapshot!($test, $file, None);
    };
    ($test:ident, $file:literal, $parser:expr) => {
        #[test]
        fn $test() {
            let value = snapshot($file, $parser);
            insta::with_settings!({sort_maps => true, snapshot_suffix => $file, prepend_module_to_snapshot => false}, {
                insta::assert_json_snapshot!("parser", value);
            });
        }
    };
}

fixture_snapshot!(parser_json_plan, "plan.json");
fixture_snapshot!(parser_json_bom, "bom.json");
fixture_snapshot!(parser_jsonc, "settings.jsonc");
fixture_snapshot!(parser_yaml_multi_document, "deployment+service.yaml");
fixture_snapshot!(parser_yaml_crlf_multi_document, "crlf-multi.yaml");
fixture_snapshot!(parser_yaml_11_scalars, "yaml11-scalars.yaml");
fixture_snapshot!(parser_yaml_anchors_merge, "yaml-anchors.yaml");
fixture_snapshot!(parser_hcl2_conftest, "conftest-hcl2.tf");
fixture_snapshot!(parser_hcl2_gke, "conftest-gke.tf");
fixture_snapshot!(parser_hcl2_expressions, "expressions.tf");
fixture_snapshot!(parser_dockerfile_conftest, "conftest.Dockerfile");
fixture_snapshot!(parser_dockerfile_features, "features.Dockerfile");
fixture_snapshot!(parser_toml, "config.toml");
fixture_snapshot!(parser_ini, "app.ini");
fixture_snapshot!(parser_xml_pom, "pom.xml");
fixture_snapshot!(parser_xml_features, "feed.xml");
fixture_snapshot!(parser_properties_conftest, "sample.properties");
fixture_snapshot!(parser_properties_escapes, "escapes.properties");
fixture_snapshot!(parser_dotenv_conftest, "sample.env");
fixture_snapshot!(parser_dotenv_features, "features.env");
fixture_snapshot!(parser_ignore, "sample.gitignore");
fixture_snapshot!(
    parser_cyclonedx_json,
    "cyclonedx.json",
    Some(Parser::CycloneDx)
);
fixture_snapshot!(
    parser_cyclonedx_xml,
    "cyclonedx.xml",
    Some(Parser::CycloneDx)
);
fixture_snapshot!(parser_spdx_conftest, "sbom.spdx");
fixture_snapshot!(parser_spdx_packages, "packages.spdx");

#[test]
fn parser_spdx_json_passes_through() {
    let bytes = super::fixture("sbom.spdx.json");
    let value = parse(Parser::Spdx, "sbom.spdx.json", &bytes).unwrap();
    let expected: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(value, expected);
}

#[test]
fn parser_yaml_single_document_is_not_wrapped() {
    let v = parse(Parser::Yaml, "a.yaml", b"---\na: 1\n").unwrap();
    assert_eq!(v, serde_json::json!({"a": 1}));
    let v = parse(Parser::Yaml, "a.yaml", b"").unwrap();
    assert_eq!(v, serde_json::Value::Null);
    // A trailing separator makes an empty (null) second document, as in Conftest.
    let v = parse(Parser::Yaml, "a.yaml", b"a: 1\n---\n").unwrap();
    assert_eq!(v, serde_json::json!([{"a": 1}, null]));
}

#[test]
fn parser_dockerfile_shape_matches_conftest() {
    // Conftest's TestParser_Unmarshal_Multistage: command 6 is in stage 1.
    let src = "FROM golang:1.13-alpine as base\nCOPY go.mod .\nCOPY go.sum .\nRUN go mod download\n\nCOPY . .\n\t\nFROM base as builder\nRUN go build -o conftest";
    let v = parse(Parser::Dockerfile, "Dockerfile", src.as_bytes()).unwrap();
    let cmds = v[0].as_array().unwrap();
    assert_eq!(cmds[0]["Cmd"], "from");
    assert_eq!(cmds[1]["Stage"], 0);
    assert_eq!(cmds[6]["Stage"], 1);
    assert_eq!(
        cmds[5]["Value"],
        serde_json::json!(["base", "as", "builder"])
    );
}

#[test]
fn parser_unsupported_formats_explain_themselves() {
    let err = parse(Parser::Unsupported("cue"), "a.cue", b"a: 1").unwrap_err();
    assert_eq!(
        err.to_string(),
        "a.cue: the cue parser is not supported by gatehouse"
    );
    assert!(err.help.unwrap().contains("--parser"));
}
