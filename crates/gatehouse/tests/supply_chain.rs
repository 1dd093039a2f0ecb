//! End-to-end tests of the supply-chain commands: `gatehouse sbom` and `gatehouse db`.
//! Exit codes: 0 ok, 2 usage or input error.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use gatehouse_oci::test_support::{fresh_repo, registry_env};

/// Fixtures owned by the library crates (copied there from public sources, with origins).
fn crate_fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

fn gatehouse(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("gatehouse")
        .expect("binary")
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        out.status.code().expect("exit code"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr,
    )
}

#[test]
fn sbom_of_a_lockfile_tree_is_cyclonedx_with_every_package() {
    let dir = crate_fixture("gatehouse-sbom/tests/fixtures/lockfiles/cargo/v4");
    let (code, stdout, stderr) = gatehouse(&["sbom", dir.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{stderr}");
    let bom: serde_json::Value = serde_json::from_str(&stdout).expect("CycloneDX JSON");
    assert_eq!(bom["bomFormat"], "CycloneDX");
    assert_eq!(bom["specVersion"], "1.6");
    let components = bom["components"].as_array().expect("components");
    assert_eq!(
        components.len(),
        880,
        "the Cargo.lock v4 fixture has 880 packages"
    );
    assert!(components.iter().all(|c| {
        c["purl"]
            .as_str()
            .is_some_and(|p| p.starts_with("pkg:cargo/"))
    }));
}

#[test]
fn sbom_output_is_deterministic_and_spdx_is_available() {
    let dir = crate_fixture("gatehouse-sbom/tests/fixtures/lockfiles/cargo/v3");
    let dir = dir.to_str().expect("utf-8");
    let mut first = Command::cargo_bin("gatehouse").expect("binary");
    let a = first
        .args(["sbom", dir, "-o", "spdx"])
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .expect("runs");
    let mut second = Command::cargo_bin("gatehouse").expect("binary");
    let b = second
        .args(["sbom", dir, "-o", "spdx"])
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .expect("runs");
    assert_eq!(a.status.code(), Some(0));
    assert_eq!(a.stdout, b.stdout, "same input, same bytes");
    let doc: serde_json::Value = serde_json::from_slice(&a.stdout).expect("SPDX JSON");
    assert_eq!(doc["spdxVersion"], "SPDX-2.3");
}

#[test]
fn sbom_of_a_missing_path_is_an_input_error() {
    let (code, _, stderr) = gatehouse(&["sbom", "/nonexistent/gatehouse-test"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("/nonexistent/gatehouse-test"), "{stderr}");
}

#[test]
fn db_compare_uses_each_ecosystems_ordering() {
    for (eco, a, b, want) in [
        ("Debian", "1:1.0", "2.0", ">"),
        ("Debian", "1.0~rc1", "1.0", "<"),
        ("PyPI", "1.0", "1.0.0", "="),
        ("PyPI", "1.0.dev1", "1.0a1", "<"),
        ("npm", "1.0.0-alpha", "1.0.0", "<"),
        ("npm", "1.0.0+build.1", "1.0.0", "="),
        ("Go", "v0.0.0-20200101000000-abcdefabcdef", "v0.1.0", "<"),
        ("Maven", "1.0-SNAPSHOT", "1.0", "<"),
    ] {
        let (code, stdout, stderr) = gatehouse(&["db", "compare", eco, a, b]);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(stdout.trim(), want, "{eco}: {a} vs {b}");
    }
    let (code, _, stderr) = gatehouse(&["db", "compare", "NoSuchEcosystem", "1", "2"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("NoSuchEcosystem"), "{stderr}");
}

#[test]
fn db_import_then_status_reports_the_ecosystems() {
    let store = tempfile::tempdir().expect("tempdir");
    let store = store.path().to_str().expect("utf-8").to_string();
    let osv = crate_fixture("gatehouse-vuln/tests/fixtures/osv/npm");
    let (code, _, stderr) =
        gatehouse(&["db", "--db", &store, "import", osv.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, stderr) = gatehouse(&["db", "--db", &store, "status"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("npm"), "{stdout}");
}

/// Pushes the alpine-npm fixture OCI layout to a fresh repository of `host` and returns
/// (reference with tag, manifest digest).
fn push_fixture(
    host: &str,
    creds: gatehouse_sbom::source::registry::oci::Credentials,
) -> (String, String) {
    push_layout(host, creds, "alpine-npm.oci")
}

/// Pushes the fixture OCI layout `name` (under gatehouse-sbom's `tests/fixtures/images`) to a
/// fresh repository of `host`; returns (reference with tag, manifest digest).
fn push_layout(
    host: &str,
    creds: gatehouse_sbom::source::registry::oci::Credentials,
    name: &str,
) -> (String, String) {
    use gatehouse_sbom::source::registry::oci;
    let target = fresh_repo(host, "gatehouse-cli-test", "v1");
    let reg = oci::blocking::Registry::new(oci::RegistryOptions {
        credentials: creds,
        ..oci::RegistryOptions::default()
    })
    .expect("client");
    let digest = reg
        .push_layout(
            &crate_fixture(&format!("gatehouse-sbom/tests/fixtures/images/{name}")),
            &target,
        )
        .expect("push");
    (target.to_string(), digest)
}

fn components(stdout: &str) -> serde_json::Value {
    let bom: serde_json::Value = serde_json::from_str(stdout).expect("CycloneDX JSON");
    bom["components"].clone()
}

#[test]
fn sbom_of_a_registry_image_by_tag_and_digest_equals_the_layout() {
    use gatehouse_sbom::source::registry::oci::Credentials;
    let (tagged, digest) = push_fixture(
        &registry_env("GATEHOUSE_TEST_REGISTRY"),
        Credentials::Anonymous,
    );
    let layout = crate_fixture("gatehouse-sbom/tests/fixtures/images/alpine-npm.oci");
    let (code, local, stderr) = gatehouse(&["sbom", layout.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{stderr}");

    // By tag: the digest it resolved to is printed.
    let (code, by_tag, stderr) = gatehouse(&["sbom", &tagged]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains(&format!("{tagged} → {digest}")), "{stderr}");
    assert!(
        by_tag.contains(&digest),
        "the subject is the manifest digest"
    );
    assert_eq!(components(&by_tag), components(&local));

    // By digest.
    let by_digest_ref = format!("{}@{digest}", tagged.rsplit_once(':').expect("tag").0);
    let (code, by_digest, stderr) = gatehouse(&["sbom", &by_digest_ref, "-o", "table"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        by_digest.contains("apk") && by_digest.contains("568"),
        "{by_digest}"
    );

    // A digest the registry does not have: input error naming what to check.
    let missing = format!(
        "{}@sha256:{}",
        tagged.rsplit_once(':').expect("tag").0,
        "0".repeat(64)
    );
    let (code, _, stderr) = gatehouse(&["sbom", &missing]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("check the repository, tag or digest"),
        "{stderr}"
    );
}

#[test]
fn sbom_of_a_registry_image_with_basic_auth_from_env_or_docker_config() {
    use gatehouse_sbom::source::registry::oci::Credentials;
    let host = registry_env("GATEHOUSE_TEST_REGISTRY_AUTH");
    let (user, pass) = (
        registry_env("GATEHOUSE_TEST_REGISTRY_USER"),
        registry_env("GATEHOUSE_TEST_REGISTRY_PASSWORD"),
    );
    let (tagged, digest) = push_fixture(
        &host,
        Credentials::Basic {
            username: user.clone(),
            password: pass.clone(),
        },
    );
    let empty = tempfile::tempdir().expect("tempdir");
    let run = |envs: &[(&str, &str)]| {
        let out = Command::cargo_bin("gatehouse")
            .expect("binary")
            .args(["sbom", &tagged])
            .env("DOCKER_CONFIG", empty.path())
            .envs(envs.iter().copied())
            .output()
            .expect("runs");
        (
            out.status.code().expect("exit code"),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, _, stderr) = run(&[]);
    assert_eq!(code, 2, "anonymous must be refused: {stderr}");
    assert!(stderr.contains("--username"), "{stderr}");

    let (code, stdout, stderr) = run(&[
        ("GATEHOUSE_REGISTRY_USERNAME", &user),
        ("GATEHOUSE_REGISTRY_PASSWORD", &pass),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains(&digest));

    // ~/.docker/config.json `auths` (here through DOCKER_CONFIG).
    let config = tempfile::tempdir().expect("tempdir");
    let docker_config =
        serde_json::json!({"auths": {host.clone(): {"username": user, "password": pass}}});
    std::fs::write(config.path().join("config.json"), docker_config.to_string())
        .expect("write config");
    let out = Command::cargo_bin("gatehouse")
        .expect("binary")
        .args(["sbom", &tagged, "-o", "table"])
        .env("DOCKER_CONFIG", config.path())
        .env_remove("GATEHOUSE_REGISTRY_USERNAME")
        .env_remove("GATEHOUSE_REGISTRY_PASSWORD")
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn sbom_refuses_plain_http_to_a_remote_registry() {
    let (code, _, stderr) = gatehouse(&["sbom", "registry.example/repo:1", "--plain-http"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("only loopback registries"), "{stderr}");
}

#[test]
fn sbom_honours_gitignore_unless_no_ignore() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let lock = |dir: &Path, name: &str| {
        std::fs::create_dir_all(dir).expect("mkdir");
        std::fs::write(
            dir.join("Cargo.lock"),
            format!("version = 3\n\n[[package]]\nname = \"{name}\"\nversion = \"1.0.0\"\n"),
        )
        .expect("write");
    };
    lock(tmp.path(), "kept");
    lock(&tmp.path().join("vendor"), "ignored");
    std::fs::write(tmp.path().join(".gitignore"), "vendor/\n").expect("write");
    let dir = tmp.path().to_str().expect("utf-8");

    let (code, stdout, stderr) = gatehouse(&["sbom", dir, "-o", "table"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("kept") && !stdout.contains("ignored"),
        "{stdout}"
    );
    // No progress counter when stderr is not a terminal.
    assert!(!stderr.contains("entries walked"), "{stderr}");

    let (code, stdout, stderr) = gatehouse(&["sbom", dir, "-o", "table", "--no-ignore"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("kept") && stdout.contains("ignored"),
        "{stdout}"
    );
}

#[test]
fn sbom_of_a_registry_image_behind_a_token_service() {
    use gatehouse_sbom::source::registry::oci::Credentials;
    let host = registry_env("GATEHOUSE_TEST_REGISTRY_TOKEN");
    let (user, pass) = (
        registry_env("GATEHOUSE_TEST_REGISTRY_USER"),
        registry_env("GATEHOUSE_TEST_REGISTRY_PASSWORD"),
    );
    let creds = Credentials::Basic {
        username: user.clone(),
        password: pass.clone(),
    };
    let (tagged, digest) = push_fixture(&host, creds);
    let empty = tempfile::tempdir().expect("tempdir");
    let out = Command::cargo_bin("gatehouse")
        .expect("binary")
        .args(["sbom", &tagged, "--username", &user, "--password", &pass])
        .env("DOCKER_CONFIG", empty.path())
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains(&digest));
}

#[test]
fn sbom_of_a_multi_platform_index_picks_the_platform() {
    use gatehouse_sbom::source::registry::oci;
    let (tagged, manifest) = push_fixture(
        &registry_env("GATEHOUSE_TEST_REGISTRY"),
        oci::Credentials::Anonymous,
    );
    let reg = oci::blocking::Registry::new(oci::RegistryOptions::default()).expect("client");
    let image = oci::ImageRef::parse(&tagged).expect("reference");
    let (bytes, _) = reg
        .pull_manifest(&image.with_digest(&manifest))
        .expect("manifest");
    let index = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                       "digest": manifest, "size": bytes.len(),
                       "platform": {"os": "linux", "architecture": "amd64"}}]
    });
    let multi = image.with_tag("multi");
    let index_bytes = serde_json::to_vec(&index).expect("json");
    reg.push_manifest(&multi, &index_bytes, oci::media::OCI_INDEX)
        .expect("push index");

    let (code, stdout, stderr) = gatehouse(&["sbom", &multi.to_string()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(&manifest),
        "the platform manifest digest: {stderr}"
    );
    assert!(stdout.contains(&manifest));

    let (code, _, stderr) = gatehouse(&["sbom", &multi.to_string(), "--platform", "linux/arm64"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("without linux/arm64") && stderr.contains("available: linux/amd64"),
        "{stderr}"
    );
}

#[test]
fn scan_of_a_registry_image_equals_the_scan_of_its_layout() {
    use gatehouse_sbom::source::registry::oci::Credentials;
    let (tagged, digest) = push_layout(
        &registry_env("GATEHOUSE_TEST_REGISTRY"),
        Credentials::Anonymous,
        "debian-rust-go.oci",
    );
    let store = tempfile::tempdir().expect("tempdir");
    let db = store.path().join("osv");
    let osv = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scan/osv");
    let (code, _, stderr) = gatehouse(&[
        "db",
        "--db",
        db.to_str().expect("utf-8"),
        "import",
        osv.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let scan = |target: &str| {
        let (code, out, stderr) = gatehouse(&[
            "scan",
            "--db",
            db.to_str().expect("utf-8"),
            "--fail-on",
            "none",
            "-o",
            "json",
            target,
        ]);
        assert_eq!(code, 0, "{stderr}");
        let doc: serde_json::Value = serde_json::from_str(&out).expect("json");
        let mut matches: Vec<String> = doc["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| {
                format!(
                    "{} {} {}",
                    f["rule_id"], f["location"]["purl"], f["location"]["image_digest"]
                )
            })
            .collect();
        matches.sort();
        matches
    };
    let layout = crate_fixture("gatehouse-sbom/tests/fixtures/images/debian-rust-go.oci");
    let local = scan(layout.to_str().expect("utf-8"));
    let remote = scan(&tagged);
    assert!(!local.is_empty());
    assert_eq!(remote, local);
    assert!(remote.iter().all(|m| m.contains(&digest)), "{remote:#?}");
}
