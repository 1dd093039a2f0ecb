//! Conftest's detection by file name and `--parser` names.

use std::path::Path;

use gatehouse_policy::parser::Parser;

#[test]
fn parser_detect_by_name() {
    let cases = [
        ("Dockerfile", Some(Parser::Dockerfile)),
        ("dockerfile.prod", Some(Parser::Dockerfile)),
        ("build/app.Dockerfile", Some(Parser::Dockerfile)),
        ("k8s/deploy.YML", Some(Parser::Yaml)),
        ("a.yaml", Some(Parser::Yaml)),
        ("main.tf", Some(Parser::Hcl2)),
        ("prod.tfvars", Some(Parser::Hcl2)),
        ("config.hcl", Some(Parser::Hcl2)),
        (".gitignore", Some(Parser::Ignore)),
        (".dockerignore", Some(Parser::Ignore)),
        (".env", Some(Parser::Dotenv)),
        (".env.production", Some(Parser::Dotenv)),
        ("local.env", Some(Parser::Dotenv)),
        ("x.dotenv", Some(Parser::Dotenv)),
        ("nginx.conf", Some(Parser::Unsupported("nginx"))),
        ("Jenkinsfile", Some(Parser::Unsupported("groovy"))),
        ("Jenkinsfile.safe", Some(Parser::Unsupported("groovy"))),
        ("a.textproto", Some(Parser::Unsupported("textproto"))),
        ("a.textpb", Some(Parser::Unsupported("textproto"))),
        ("plan.json", Some(Parser::Json)),
        ("settings.jsonc", Some(Parser::Jsonc)),
        ("a.toml", Some(Parser::Toml)),
        ("a.ini", Some(Parser::Ini)),
        ("pom.xml", Some(Parser::Xml)),
        ("a.properties", Some(Parser::Properties)),
        ("sbom.spdx", Some(Parser::Spdx)),
        ("bom.cyclonedx", Some(Parser::CycloneDx)),
        ("a.cue", Some(Parser::Unsupported("cue"))),
        ("a.hocon", Some(Parser::Unsupported("hocon"))),
        ("a.hcl1", Some(Parser::Unsupported("hcl1"))),
        ("a.jsonnet", Some(Parser::Unsupported("jsonnet"))),
        ("a.edn", Some(Parser::Unsupported("edn"))),
        ("a.groovy", Some(Parser::Unsupported("groovy"))),
        ("a.vcl", Some(Parser::Unsupported("vcl"))),
        ("app.conf", None),
        ("README", None),
        ("notes.txt", None),
    ];
    for (name, expected) in cases {
        assert_eq!(Parser::detect(Path::new(name)), expected, "{name}");
    }
}

#[test]
fn parser_from_name() {
    assert_eq!(Parser::from_name("YAML").unwrap(), Parser::Yaml);
    assert_eq!(Parser::from_name("hcl2").unwrap(), Parser::Hcl2);
    assert_eq!(Parser::from_name("jsonc").unwrap(), Parser::Jsonc);
    assert_eq!(
        Parser::from_name("nginx").unwrap(),
        Parser::Unsupported("nginx")
    );
    let err = Parser::from_name("hcl3").unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("unknown parser `hcl3`"), "{msg}");
    assert!(msg.contains("dockerfile") && msg.contains("yaml"), "{msg}");
    for name in Parser::names() {
        assert_eq!(Parser::from_name(name).unwrap().name(), name);
    }
}
