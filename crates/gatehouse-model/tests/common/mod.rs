//! Helpers shared by the integration tests: the fixture findings every report writer renders,
//! and the SARIF schema validator.

#![allow(dead_code)]

use chrono::NaiveDate;
use gatehouse_model::{Finding, Location, Severity, Suppressed, SuppressionSource};
use serde_json::Value;

/// The official SARIF 2.1.0 schema, vendored (see `tests/fixtures/README.md`).
const SARIF_SCHEMA: &str = include_str!("../fixtures/sarif-schema-2.1.0.json");

/// Every schema violation in `instance`, as `"<instance path>: <message>"`.
pub fn sarif_errors(instance: &Value) -> Vec<String> {
    let schema: Value = serde_json::from_str(SARIF_SCHEMA).expect("vendored schema is JSON");
    let validator = jsonschema::draft4::options()
        .should_validate_formats(true)
        // Draft 4 has no `uri-reference` format, so the schema's one use would go unchecked.
        .with_format("uri-reference", is_uri_reference)
        .build(&schema)
        .expect("vendored schema compiles");
    validator
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// RFC 3986 `URI-reference` character check: only unreserved, reserved and `%XX` escapes.
fn is_uri_reference(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        if byte == b'%' {
            let hex = |b: Option<&u8>| b.is_some_and(u8::is_ascii_hexdigit);
            if !(hex(bytes.get(i + 1)) && hex(bytes.get(i + 2))) {
                return false;
            }
            i += 3;
            continue;
        }
        if !(byte.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&byte)) {
            return false;
        }
        i += 1;
    }
    true
}

/// Panics with every violation listed if `instance` is not valid SARIF 2.1.0.
pub fn assert_valid_sarif(instance: &Value) {
    let errors = sarif_errors(instance);
    assert!(
        errors.is_empty(),
        "not valid SARIF 2.1.0:\n  {}",
        errors.join("\n  ")
    );
}

pub fn date(text: &str) -> NaiveDate {
    text.parse().expect("fixture date")
}

/// One gate run's worth of findings, in deliberately unsorted order, covering every shape a
/// writer must handle: policy findings on files and resources, a vulnerability match in a
/// package, a waived finding, an in-source suppression, a finding with neither path nor tool,
/// and text full of characters that need escaping in every format.
pub fn fixture_findings() -> Vec<Finding> {
    vec![
        Finding::new(
            "GH-DOCKER-002",
            Severity::Medium,
            "The image runs as root: no USER instruction",
        )
        .with_title("Container runs as root")
        .with_location(
            Location::file("Dockerfile")
                .with_line(1)
                .with_snippet("FROM alpine:3.19"),
        )
        .with_cwe(250)
        .with_tool("gatehouse", Some("0.1.0"))
        .with_remediation("Add `USER 10001` after installing packages.")
        .with_reference("https://docs.gatehouse.dev/rules/GH-DOCKER-002")
        .with_owner("@acme/platform")
        .with_suppressed(Suppressed {
            source: SuppressionSource::Waiver,
            justification: "Base image needs root until INFRA-42 lands".into(),
            approver: Some("@acme/security".into()),
            expires: Some(date("2025-09-30")),
        }),
        Finding::new(
            "GH-TF-S3-001",
            Severity::High,
            "aws_s3_bucket.logs grants READ to AllUsers",
        )
        .with_title("S3 bucket allows public read")
        .with_description("S3 buckets must not grant access to AllUsers or AuthenticatedUsers.")
        .with_location(
            Location::file("infra/main.tf")
                .with_lines(12, 14)
                .with_columns(3, 4)
                .with_snippet("  acl    = \"public-read\"")
                .with_resource("module.storage.aws_s3_bucket.logs"),
        )
        .with_cwe(732)
        .with_tool("gatehouse", Some("0.1.0"))
        .with_remediation("Set `acl = \"private\"` and use a bucket policy for deliberate access.")
        .with_reference("https://docs.gatehouse.dev/rules/GH-TF-S3-001")
        .with_reference("https://docs.bridgecrew.io/docs/s3_1-acl-read-permissions-everyone")
        .with_owner("@acme/infra")
        .with_tag("terraform")
        .with_property("checkov_id", "CKV_AWS_20"),
        Finding::new(
            "CVE-2021-44228",
            Severity::Critical,
            "log4j-core 2.14.1 is vulnerable to Log4Shell (JNDI lookup RCE)",
        )
        .with_title(
            "Apache Log4j2 JNDI features do not protect against attacker controlled LDAP endpoints",
        )
        .with_tool_severity("Critical")
        .with_location(
            Location::file("services/api/pom.xml")
                .with_package(
                    "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
                    "2.14.1",
                )
                .with_image_digest(
                    "sha256:4a5f0c2d1e9b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c",
                ),
        )
        .with_vulnerability_id("GHSA-jfh8-c2jp-5v3q")
        .with_vulnerability_id("CVE-2021-44228")
        .with_cwe(502)
        .with_cwe(917)
        .with_tool("grype", Some("0.74.0"))
        .with_remediation("Upgrade log4j-core to 2.17.1 or later.")
        .with_reference("https://nvd.nist.gov/vuln/detail/CVE-2021-44228")
        .with_owner("@acme/api"),
        Finding::new(
            "GH-K8S-010",
            Severity::Info,
            "Deployment default/web has no resource limits",
        )
        .with_title("Missing resource limits")
        .with_location(Location::resource("Deployment/default/web")),
        Finding::new(
            "javascript.lang.security.eval",
            Severity::Low,
            "Use of `eval` with \"user\" input: <script> & 100% bad,\nsee line two\u{1b}[31m",
        )
        .with_title("eval(): detected, with user input")
        .with_tool_severity("INFO")
        .with_location(
            Location::file("web/app, v2/index.js")
                .with_line(7)
                .with_snippet("eval(req.query.q)"),
        )
        .with_cwe(95)
        .with_tool("semgrep", Some("1.50.0")),
        Finding::new("G104", Severity::Medium, "Errors unhandled.")
            .with_title("Audit errors not checked")
            .with_tool_severity("MEDIUM")
            .with_location(
                Location::file("cmd/gate/main.go")
                    .with_line(40)
                    .with_snippet("defer f.Close() // #nosec G104"),
            )
            .with_cwe(703)
            .with_tool("gosec", Some("2.18.2"))
            .with_suppressed(Suppressed {
                source: SuppressionSource::InSource,
                justification: "#nosec G104".into(),
                approver: None,
                expires: None,
            }),
        Finding::new(
            "GH-TF-S3-001",
            Severity::High,
            "aws_s3_bucket.assets grants READ to AllUsers",
        )
        .with_title("S3 bucket allows public read")
        .with_location(
            Location::file("infra/main.tf")
                .with_line(30)
                .with_snippet("  acl = \"public-read\"")
                .with_resource("aws_s3_bucket.assets"),
        )
        .with_cwe(732)
        .with_tool("gatehouse", Some("0.1.0"))
        .with_owner("@acme/infra"),
    ]
}
