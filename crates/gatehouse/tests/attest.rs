//! End-to-end tests of `gatehouse key`, `verify-blob` and `sign-blob`: files in, files, output and
//! exit codes out (0 ok / verified, 1 verification failed, 2 usage or input error).

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn attest_fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../gatehouse-attest/tests/fixtures")
}

/// `gatehouse ARGS` in `dir`, with no GATEHOUSE_* from the caller; stdin is empty (no terminal).
fn gatehouse(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::cargo_bin("gatehouse").expect("binary built");
    cmd.current_dir(dir).args(args).write_stdin("");
    for (key, _) in std::env::vars() {
        if key.starts_with("GATEHOUSE_") {
            cmd.env_remove(key);
        }
    }
    cmd
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("gatehouse runs");
    let run = Run {
        code: out.status.code().expect("exited normally"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "panicked:\n{}",
        run.stderr
    );
    run
}

#[test]
fn key_generate_writes_an_encrypted_cosign_key_pair_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(gatehouse(
        dir.path(),
        &["key", "generate", "--output-key-prefix", "ci"],
    )
    .env("GATEHOUSE_PASSWORD", "correct horse"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("Private key written to ci.key (encrypted)"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("Public key written to ci.pub (sha256:"),
        "{}",
        r.stdout
    );
    let key = std::fs::read_to_string(dir.path().join("ci.key")).unwrap();
    assert!(key.starts_with("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n"));
    assert!(!key.contains("BEGIN PRIVATE KEY"));
    let public = std::fs::read_to_string(dir.path().join("ci.pub")).unwrap();
    assert!(public.starts_with("-----BEGIN PUBLIC KEY-----\n"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(dir.path().join("ci.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Re-import with the right password gives the same public key; a wrong one is refused.
    let r = run(gatehouse(
        dir.path(),
        &["key", "import", "ci.key", "--output-key-prefix", "again"],
    )
    .env("GATEHOUSE_PASSWORD", "correct horse"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("again.pub")).unwrap(),
        public
    );
    let r = run(gatehouse(
        dir.path(),
        &["key", "import", "ci.key", "--output-key-prefix", "other"],
    )
    .env("GATEHOUSE_PASSWORD", "wrong"));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("`ci.key`: wrong password for the encrypted private key"),
        "{}",
        r.stderr
    );
    assert!(!dir.path().join("other.key").exists());
    // Existing files are kept unless --force.
    let r = run(gatehouse(
        dir.path(),
        &["key", "generate", "--output-key-prefix", "ci"],
    )
    .env("GATEHOUSE_PASSWORD", "x"));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("`ci.key` already exists"), "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("ci.pub")).unwrap(),
        public
    );
}

#[test]
fn key_generate_without_a_password_source_says_what_to_set() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(&mut gatehouse(dir.path(), &["key", "generate"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("set GATEHOUSE_PASSWORD"), "{}", r.stderr);
    assert!(!dir.path().join("cosign.key").exists());
}

#[test]
fn key_generate_unencrypted_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(&mut gatehouse(
        dir.path(),
        &["key", "generate", "--unencrypted"],
    ));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("(UNENCRYPTED)"));
    let key = std::fs::read_to_string(dir.path().join("cosign.key")).unwrap();
    assert!(key.starts_with("-----BEGIN PRIVATE KEY-----"));
    // -o json for machines.
    let r = run(gatehouse(
        dir.path(),
        &["key", "generate", "--output-key-prefix", "j", "-o", "json"],
    )
    .env("GATEHOUSE_PASSWORD", ""));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(json["encrypted"], true);
    assert_eq!(json["privateKey"], "j.key");
    assert!(
        json["publicKeyDigest"]
            .as_str()
            .unwrap()
            .starts_with("sha256:")
    );
}

#[test]
fn key_import_reads_cosigns_published_test_keys_under_both_labels() {
    let dir = tempfile::tempdir().unwrap();
    for (file, prefix) in [
        ("cosign-label-p256.key", "old"),
        ("sigstore-label-p256.key", "new"),
        ("cosign-label-sec1-n65536.key", "sec1"),
    ] {
        let path = attest_fixtures().join("cosign-keys").join(file);
        let r = run(gatehouse(
            dir.path(),
            &[
                "key",
                "import",
                path.to_str().unwrap(),
                "--output-key-prefix",
                prefix,
            ],
        )
        .env("GATEHOUSE_PASSWORD", "hello"));
        assert_eq!(r.code, 0, "{file}: {}", r.stderr);
        let key = std::fs::read_to_string(dir.path().join(format!("{prefix}.key"))).unwrap();
        assert!(key.starts_with("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----"));
    }
}

struct Case {
    id: String,
    artifact: PathBuf,
    bundle: PathBuf,
    trusted_root: PathBuf,
    key: Option<PathBuf>,
    identity: String,
    issuer: String,
    pass: bool,
}

fn conformance_cases() -> Vec<Case> {
    let suite = attest_fixtures().join("sigstore-conformance");
    let tsv = std::fs::read_to_string(suite.join("cases.tsv")).unwrap();
    tsv.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("case_id"))
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            Case {
                id: f[0].into(),
                artifact: suite.join(f[1]),
                bundle: suite.join(f[2]),
                trusted_root: suite.join(f[3]),
                key: (!f[5].is_empty()).then(|| suite.join(f[5])),
                identity: f[6].into(),
                issuer: f[7].into(),
                pass: f[8] == "pass",
            }
        })
        .collect()
}

fn sha256_arg(path: &Path) -> String {
    use std::process::Command as Std;
    // The digest comes from coreutils, not from gatehouse, so the test checks our hashing too.
    let out = Std::new("sha256sum").arg(path).output().expect("sha256sum");
    let text = String::from_utf8(out.stdout).unwrap();
    format!("sha256:{}", text.split_whitespace().next().unwrap())
}

#[test]
fn verify_blob_gives_every_conformance_case_its_expected_result_by_file_and_by_digest() {
    let dir = tempfile::tempdir().unwrap();
    let cases = conformance_cases();
    assert_eq!(cases.len(), 70);
    let mut wrong = Vec::new();
    let mut exits = std::collections::BTreeMap::<i32, usize>::new();
    for case in &cases {
        for subject in [
            case.artifact.display().to_string(),
            sha256_arg(&case.artifact),
        ] {
            let mut args = vec![
                "verify-blob".to_string(),
                subject.clone(),
                "--bundle".into(),
                case.bundle.display().to_string(),
                "--trusted-root".into(),
                case.trusted_root.display().to_string(),
            ];
            match &case.key {
                Some(key) => args.extend(["--key".into(), key.display().to_string()]),
                None => args.extend([
                    "--certificate-identity".into(),
                    case.identity.clone(),
                    "--certificate-oidc-issuer".into(),
                    case.issuer.clone(),
                ]),
            }
            let argv: Vec<&str> = args.iter().map(String::as_str).collect();
            let r = run(&mut gatehouse(dir.path(), &argv));
            *exits.entry(r.code).or_default() += 1;
            let ok = match (case.pass, r.code) {
                (true, 0) => r.stdout.starts_with("Verified OK: "),
                // 2 only where our own input is unusable: a trusted root that fails its
                // checks, or a key file that is not valid base64.
                (false, 1) => r.stderr.contains("verification failed"),
                (false, 2) => {
                    case.id.starts_with("trust-root-") || case.id == "managed-key-wrong-key_fail"
                }
                _ => false,
            };
            if !ok {
                wrong.push(format!(
                    "{} ({subject}): exit {}\n{}",
                    case.id, r.code, r.stderr
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert_eq!(exits.get(&0), Some(&42), "{exits:?}");
}

fn happy_v03() -> Case {
    conformance_cases()
        .into_iter()
        .find(|c| c.id == "happy-path-v0.3")
        .unwrap()
}

#[test]
fn verify_blob_reports_json_and_precise_failures() {
    let dir = tempfile::tempdir().unwrap();
    let case = happy_v03();
    let base = |subject: &str, identity: &str| -> Vec<String> {
        vec![
            "verify-blob".into(),
            subject.into(),
            "--bundle".into(),
            case.bundle.display().to_string(),
            "--trusted-root".into(),
            case.trusted_root.display().to_string(),
            "--certificate-oidc-issuer".into(),
            case.issuer.clone(),
            "--certificate-identity".into(),
            identity.into(),
        ]
    };
    let go = |args: Vec<String>| {
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        run(&mut gatehouse(dir.path(), &argv))
    };
    let mut args = base(case.artifact.to_str().unwrap(), &case.identity);
    args.extend(["-o".into(), "json".into()]);
    let r = go(args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(json["verified"], true);
    assert_eq!(json["digest"], sha256_arg(&case.artifact));
    assert_eq!(json["identity"], case.identity);
    assert_eq!(json["tlogVerified"], true);

    // Tampered artifact.
    let tampered = dir.path().join("a.txt");
    let mut bytes = std::fs::read(&case.artifact).unwrap();
    bytes.extend_from_slice(b"tampered");
    std::fs::write(&tampered, bytes).unwrap();
    let r = go(base(tampered.to_str().unwrap(), &case.identity));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("verification failed"), "{}", r.stderr);
    assert!(
        r.stderr.contains("mismatch") || r.stderr.contains("signature"),
        "{}",
        r.stderr
    );

    // Wrong identity.
    let r = go(base(
        case.artifact.to_str().unwrap(),
        "https://github.com/evil/repo",
    ));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("identity mismatch"), "{}", r.stderr);
    assert!(
        r.stderr.contains("https://github.com/evil/repo"),
        "{}",
        r.stderr
    );

    // Regex identity, both ways.
    let mut args = base(case.artifact.to_str().unwrap(), "");
    args.truncate(args.len() - 2);
    let mut ok = args.clone();
    ok.extend([
        "--certificate-identity-regexp".into(),
        "^https://github\\.com/sigstore-conformance/".into(),
    ]);
    assert_eq!(go(ok).code, 0);
    args.extend([
        "--certificate-identity-regexp".into(),
        "^https://gitlab\\.com/".into(),
    ]);
    let r = go(args.clone());
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(
            "identity mismatch: the certificate is for https://github.com/sigstore-conformance/"
        ) && r
            .stderr
            .contains("not the regular expression ^https://gitlab"),
        "{}",
        r.stderr
    );

    // Issuer as a regular expression, both ways.
    let issuer_re = |re: &str| {
        let mut a = base(case.artifact.to_str().unwrap(), &case.identity);
        let at = a
            .iter()
            .position(|x| x == "--certificate-oidc-issuer")
            .unwrap();
        a[at] = "--certificate-oidc-issuer-regexp".into();
        a[at + 1] = re.into();
        go(a)
    };
    assert_eq!(
        issuer_re("^https://token\\.actions\\.githubusercontent\\.com$").code,
        0
    );
    let r = issuer_re("^https://accounts\\.google\\.com$");
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("issuer mismatch: the certificate was issued after login at https://token.actions.githubusercontent.com, not the regular expression"),
        "{}",
        r.stderr
    );
}

#[test]
fn verify_blob_usage_and_input_errors_exit_2_and_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let case = happy_v03();
    let root = case.trusted_root.display().to_string();
    let bundle = case.bundle.display().to_string();
    let id = [
        "--certificate-identity",
        "x",
        "--certificate-oidc-issuer",
        "y",
    ];
    let go = |args: &[&str]| run(&mut gatehouse(dir.path(), args));

    let mut a = vec![
        "verify-blob",
        "missing.txt",
        "--bundle",
        &bundle,
        "--trusted-root",
        &root,
    ];
    a.extend(id);
    let r = go(&a);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("`missing.txt`: cannot read the artifact"),
        "{}",
        r.stderr
    );

    let mut a = vec![
        "verify-blob",
        "sha256:abc",
        "--bundle",
        &bundle,
        "--trusted-root",
        &root,
    ];
    a.extend(id);
    let r = go(&a);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("64 hex digits"), "{}", r.stderr);

    let zero = format!("sha256:{}", "0".repeat(64));
    let mut a = vec![
        "verify-blob",
        &zero,
        "--bundle",
        "nope.json",
        "--trusted-root",
        &root,
    ];
    a.extend(id);
    let r = go(&a);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("`nope.json`: cannot read"),
        "{}",
        r.stderr
    );

    let mut a = vec![
        "verify-blob",
        &zero,
        "--bundle",
        &bundle,
        "--trusted-root",
        &bundle,
    ];
    a.extend(id);
    let r = go(&a);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("not a usable trusted root"),
        "{}",
        r.stderr
    );

    // No signer policy at all, or both kinds: clap usage errors.
    let r = go(&[
        "verify-blob",
        "f",
        "--bundle",
        &bundle,
        "--trusted-root",
        &root,
    ]);
    assert_eq!(r.code, 2);
    let r = go(&[
        "verify-blob",
        "f",
        "--bundle",
        &bundle,
        "--trusted-root",
        &root,
        "--key",
        "k.pub",
        "--certificate-identity",
        "x",
        "--certificate-oidc-issuer",
        "y",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cannot be used with"), "{}", r.stderr);
}

#[test]
fn sign_blob_with_cosigns_test_key_verifies_with_its_public_key_and_rejects_tampering() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cosign_key = attest_fixtures().join("cosign-keys/sigstore-label-p256.key");
    let cosign_key = cosign_key.to_str().unwrap();
    // The public half, via import (cosign's test data ships only the private key).
    let r = run(gatehouse(
        d,
        &[
            "key",
            "import",
            cosign_key,
            "--output-key-prefix",
            "imported",
        ],
    )
    .env("GATEHOUSE_PASSWORD", "hello"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    std::fs::write(d.join("release.tar.gz"), b"release bytes\n").unwrap();

    let r = run(gatehouse(
        d,
        &[
            "sign-blob",
            "release.tar.gz",
            "--key",
            cosign_key,
            "--bundle",
            "release.sigstore.json",
        ],
    )
    .env("GATEHOUSE_PASSWORD", "hello"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let digest = sha256_arg(&d.join("release.tar.gz"));
    assert!(
        r.stdout
            .contains(&format!("Signed release.tar.gz {digest} with key sha256:")),
        "{}",
        r.stdout
    );
    let bundle: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("release.sigstore.json")).unwrap())
            .unwrap();
    assert_eq!(
        bundle["mediaType"],
        "application/vnd.dev.sigstore.bundle.v0.3+json"
    );

    let verify = |subject: &str, key: &str, extra: &[&str]| {
        let mut args = vec![
            "verify-blob",
            subject,
            "--bundle",
            "release.sigstore.json",
            "--key",
            key,
        ];
        args.extend(extra);
        run(&mut gatehouse(d, &args))
    };
    let lax = ["--insecure-ignore-tlog"];
    let r = verify("release.tar.gz", "imported.pub", &lax);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with(&format!(
            "Verified OK: release.tar.gz {digest} signed by key sha256:"
        )),
        "{}",
        r.stdout
    );
    assert_eq!(verify(&digest, "imported.pub", &lax).code, 0);

    // Without the flag: exit 1 and the way out.
    let prod = attest_fixtures().join("sigstore-conformance/prod_trusted_root.json");
    let r = verify(
        "release.tar.gz",
        "imported.pub",
        &["--trusted-root", prod.to_str().unwrap()],
    );
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("--insecure-ignore-tlog"), "{}", r.stderr);
    // Tampered artifact.
    std::fs::write(d.join("evil.tar.gz"), b"release bytes!\n").unwrap();
    let r = verify("evil.tar.gz", "imported.pub", &lax);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("artifact mismatch: the bundle signs sha256:"),
        "{}",
        r.stderr
    );
    // Wrong key.
    let r = run(
        gatehouse(d, &["key", "generate", "--output-key-prefix", "other"])
            .env("GATEHOUSE_PASSWORD", ""),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = verify("release.tar.gz", "other.pub", &lax);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("invalid signature"), "{}", r.stderr);
    // Wrong password for the signing key: exit 2, nothing written.
    let r = run(gatehouse(
        d,
        &[
            "sign-blob",
            "release.tar.gz",
            "--key",
            cosign_key,
            "--bundle",
            "new.sigstore.json",
        ],
    )
    .env("GATEHOUSE_PASSWORD", "nope"));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("wrong password"), "{}", r.stderr);
    assert!(!d.join("new.sigstore.json").exists());
}

#[test]
fn provenance_from_github_actions_attested_and_verified_with_a_predicate_policy() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("app.tar.gz"), b"app bytes").unwrap();
    let r = run(
        gatehouse(d, &["key", "generate", "--output-key-prefix", "ci"])
            .env("GATEHOUSE_PASSWORD", "pw"),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);

    let github = [
        ("GITHUB_SERVER_URL", "https://github.com"),
        ("GITHUB_REPOSITORY", "acme/app"),
        ("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567"),
        ("GITHUB_REF", "refs/tags/v1.2.3"),
        (
            "GITHUB_WORKFLOW_REF",
            "acme/app/.github/workflows/release.yml@refs/tags/v1.2.3",
        ),
        ("GITHUB_RUN_ID", "99"),
        ("GITHUB_RUN_ATTEMPT", "2"),
        ("RUNNER_ENVIRONMENT", "github-hosted"),
    ];
    let mut cmd = gatehouse(
        d,
        &[
            "provenance",
            "--github-actions",
            "--output-file",
            "prov.json",
        ],
    );
    for (k, v) in github {
        cmd.env(k, v);
    }
    let r = run(&mut cmd);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let prov: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("prov.json")).unwrap()).unwrap();
    assert_eq!(
        prov["buildDefinition"]["buildType"],
        "https://actions.github.io/buildtypes/workflow/v1"
    );
    assert_eq!(
        prov["runDetails"]["metadata"]["invocationId"],
        "https://github.com/acme/app/actions/runs/99/attempts/2"
    );

    // Outside GitHub Actions the missing variable is named.
    let r = run(&mut gatehouse(d, &["provenance", "--github-actions"]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("GITHUB_SERVER_URL is not set"),
        "{}",
        r.stderr
    );

    let r = run(gatehouse(
        d,
        &[
            "attest-blob",
            "app.tar.gz",
            "--predicate",
            "prov.json",
            "--type",
            "slsaprovenance1",
            "--key",
            "ci.key",
            "--bundle",
            "app.att.sigstore.json",
            "--envelope",
            "app.dsse.json",
        ],
    )
    .env("GATEHOUSE_PASSWORD", "pw"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let digest = sha256_arg(&d.join("app.tar.gz"));
    assert!(
        r.stdout.contains(&format!(
            "Attested app.tar.gz {digest} (https://slsa.dev/provenance/v1)"
        )),
        "{}",
        r.stdout
    );
    let env: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("app.dsse.json")).unwrap()).unwrap();
    assert_eq!(env["payloadType"], "application/vnd.in-toto+json");

    let verify = |subject: &str, extra: &[&str]| {
        let mut args = vec![
            "verify-blob",
            subject,
            "--bundle",
            "app.att.sigstore.json",
            "--key",
            "ci.pub",
            "--insecure-ignore-tlog",
        ];
        args.extend(extra);
        run(&mut gatehouse(d, &args))
    };
    let policy = [
        "--provenance-builder-id",
        "https://github.com/actions/runner/github-hosted",
        "--provenance-source-repo",
        "https://github.com/acme/app",
    ];
    let r = verify("app.tar.gz", &policy);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(verify(&digest, &policy).code, 0);
    let r = verify(
        "app.tar.gz",
        &["--provenance-source-repo", "https://github.com/evil/app"],
    );
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("source repository is `https://github.com/acme/app`, the policy requires `https://github.com/evil/app`"), "{}", r.stderr);
    std::fs::write(d.join("other.tar.gz"), b"other").unwrap();
    let r = verify("other.tar.gz", &[]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("artifact mismatch"), "{}", r.stderr);
    // Unknown and deprecated predicate types are refused before signing.
    let r = run(gatehouse(
        d,
        &[
            "attest-blob",
            "app.tar.gz",
            "--predicate",
            "prov.json",
            "--type",
            "slsaprovenance",
            "--key",
            "ci.key",
            "--bundle",
            "x.json",
        ],
    )
    .env("GATEHOUSE_PASSWORD", "pw"));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("use `slsaprovenance1`"), "{}", r.stderr);
}

#[test]
fn provenance_from_flags_as_a_statement() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("app.bin"), b"bin").unwrap();
    let r = run(&mut gatehouse(
        d,
        &[
            "provenance",
            "app.bin",
            "--statement",
            "--builder-id",
            "https://ci.example.com/linux",
            "--source-repo",
            "https://git.example.com/team/app",
            "--source-commit",
            "abc123",
            "--external-parameter",
            "target=release",
            "--external-parameter",
            "jobs=4",
            "--dependency",
            "https://registry.example.com/lib-1.0.tgz=sha256:00ff",
        ],
    ));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let st: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(st["_type"], "https://in-toto.io/Statement/v1");
    assert_eq!(st["subject"][0]["name"], "app.bin");
    assert_eq!(
        format!(
            "sha256:{}",
            st["subject"][0]["digest"]["sha256"].as_str().unwrap()
        ),
        sha256_arg(&d.join("app.bin"))
    );
    let p = &st["predicate"];
    assert_eq!(
        p["runDetails"]["builder"]["id"],
        "https://ci.example.com/linux"
    );
    assert_eq!(p["buildDefinition"]["externalParameters"]["jobs"], 4);
    assert_eq!(
        p["buildDefinition"]["externalParameters"]["target"],
        "release"
    );
    assert_eq!(
        p["buildDefinition"]["resolvedDependencies"][0]["digest"]["gitCommit"],
        "abc123"
    );
    assert_eq!(
        p["buildDefinition"]["resolvedDependencies"][1]["digest"]["sha256"],
        "00ff"
    );
    let r = run(&mut gatehouse(
        d,
        &["provenance", "--dependency", "nope", "--builder-id", "x"],
    ));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("expected URI=ALG:HEX"), "{}", r.stderr);
}

/// cosign v2's blob bundle (`sign-blob --bundle`, `base64Signature` / `cert` / `rekorBundle`)
/// made keylessly with a throwaway CA and log: verify-blob reads it like a Sigstore bundle.
#[test]
fn verify_blob_reads_cosign_v2_bundles() {
    use gatehouse_attest::test_pki::{Identity, TestPki};
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pki = TestPki::new();
    std::fs::write(d.join("root.json"), pki.trusted_root_json()).unwrap();
    std::fs::write(d.join("app.tgz"), b"app 1.0").unwrap();
    let issuer = "https://github.com/login/oauth";
    let signer = pki.issue(&Identity::Email("dev@example.com".into()), issuer);
    std::fs::write(
        d.join("app.tgz.bundle"),
        pki.sign_blob_v2(&signer, b"app 1.0"),
    )
    .unwrap();
    let verify = |file: &str, identity: &str| {
        run(&mut gatehouse(
            d,
            &[
                "verify-blob",
                file,
                "--bundle",
                "app.tgz.bundle",
                "--trusted-root",
                "root.json",
                "--insecure-ignore-sct",
                "--certificate-identity",
                identity,
                "--certificate-oidc-issuer",
                issuer,
            ],
        ))
    };
    let r = verify("app.tgz", "dev@example.com");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("signed by dev@example.com (issuer https://github.com/login/oauth)"),
        "{}",
        r.stdout
    );
    let r = verify("app.tgz", "other@example.com");
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(
            "identity mismatch: the certificate is for dev@example.com, not other@example.com"
        ),
        "{}",
        r.stderr
    );
    std::fs::write(d.join("app.tgz"), b"app 1.1").unwrap();
    let r = verify("app.tgz", "dev@example.com");
    assert_eq!(r.code, 1, "{}", r.stderr);
}

mod registry {
    //! `gatehouse sign | attest | verify | verify-attestation` against Debian's `docker-registry`
    //! on loopback (no referrers API: the `sha256-<hex>` fallback index is used), started by
    //! `scripts/start-registry.sh`.

    use gatehouse_oci::test_support::{fresh_repo, push_image_blocking, registry_env};
    use gatehouse_oci::{Credentials, ImageRef};

    use super::{gatehouse, run};

    /// A fresh `HOST/attest-cli/…:TAG` repository on the anonymous registry.
    fn repo(tag: &str) -> ImageRef {
        fresh_repo(&registry_env("GATEHOUSE_TEST_REGISTRY"), "attest-cli", tag)
    }

    /// Pushes a one-layer image under `target`'s tag; returns its manifest digest.
    fn push_image(target: &ImageRef, layer: &[u8]) -> String {
        push_image_blocking(Credentials::Anonymous, target, layer)
    }

    #[test]
    fn sign_attest_and_verify_images_by_digest_and_reject_a_moved_tag() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let tagged = repo("v1");
        let digest = push_image(&tagged, b"layer one");
        let tag = tagged.to_string();
        let pinned = tagged.with_digest(&digest).to_string();
        let r = run(
            gatehouse(d, &["key", "generate", "--output-key-prefix", "ci"])
                .env("GATEHOUSE_PASSWORD", "pw"),
        );
        assert_eq!(r.code, 0, "{}", r.stderr);

        // A tag is refused, naming the digest to sign instead.
        let r =
            run(gatehouse(d, &["sign", &tag, "--key", "ci.key"]).env("GATEHOUSE_PASSWORD", "pw"));
        assert_eq!(r.code, 2);
        assert!(r.stderr.contains("refusing to use the tag"), "{}", r.stderr);
        assert!(r.stderr.contains(&pinned), "{}", r.stderr);
        // By digest: signed, and the digest is printed.
        let r = run(
            gatehouse(d, &["sign", &pinned, "--key", "ci.key"]).env("GATEHOUSE_PASSWORD", "pw")
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            r.stdout.starts_with(&format!(
                "Signed {pinned} (https://sigstore.dev/cosign/sign/v1); referrer sha256:"
            )),
            "{}",
            r.stdout
        );

        let verify = |image: &str, key: &str| {
            run(&mut gatehouse(
                d,
                &["verify", image, "--key", key, "--insecure-ignore-tlog"],
            ))
        };
        let r = verify(&tag, "ci.pub");
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            r.stdout.starts_with(&format!("Verified OK: {pinned}")),
            "{}",
            r.stdout
        );

        // Provenance attestation and a policy on it.
        let r = run(&mut gatehouse(
            d,
            &[
                "provenance",
                "--builder-id",
                "https://ci.example.com/linux",
                "--source-repo",
                "https://git.example.com/team/app",
                "--output-file",
                "prov.json",
            ],
        ));
        assert_eq!(r.code, 0, "{}", r.stderr);
        let r = run(gatehouse(
            d,
            &[
                "attest",
                &pinned,
                "--key",
                "ci.key",
                "--predicate",
                "prov.json",
                "--type",
                "slsaprovenance1",
            ],
        )
        .env("GATEHOUSE_PASSWORD", "pw"));
        assert_eq!(r.code, 0, "{}", r.stderr);
        let va = |repo: &str| {
            run(&mut gatehouse(
                d,
                &[
                    "verify-attestation",
                    &pinned,
                    "--key",
                    "ci.pub",
                    "--insecure-ignore-tlog",
                    "--type",
                    "slsaprovenance1",
                    "--provenance-source-repo",
                    repo,
                ],
            ))
        };
        let r = va("https://git.example.com/team/app");
        assert_eq!(r.code, 0, "{}", r.stderr);
        let r = va("https://git.example.com/evil/app");
        assert_eq!(r.code, 1);
        assert!(r.stderr.contains("source repository is"), "{}", r.stderr);

        // Wrong key: found but not verified.
        let r = run(
            gatehouse(d, &["key", "generate", "--output-key-prefix", "other"])
                .env("GATEHOUSE_PASSWORD", "pw"),
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        let r = verify(&pinned, "other.pub");
        assert_eq!(r.code, 1);
        assert!(r.stderr.contains("none of the 1"), "{}", r.stderr);

        // The tag now points to another image: verifying the tag fails, the digest still verifies.
        let moved = push_image(&tagged, b"layer two");
        let r = verify(&tag, "ci.pub");
        assert_eq!(r.code, 1);
        assert!(
            r.stderr.contains(&format!(
                "verification of {} failed",
                tagged.with_digest(&moved)
            )),
            "{}",
            r.stderr
        );
        assert!(
            r.stderr
                .contains("no https://sigstore.dev/cosign/sign/v1 bundle among the referrers"),
            "{}",
            r.stderr
        );
        assert_eq!(verify(&pinned, "ci.pub").code, 0);

        // Legacy layout only: found in the `.sig` tag.
        let v3 = tagged.with_tag("v3");
        let legacy = v3.with_digest(&push_image(&v3, b"layer three")).to_string();
        let r = run(gatehouse(
            d,
            &["sign", &legacy, "--key", "ci.key", "--layout", "legacy"],
        )
        .env("GATEHOUSE_PASSWORD", "pw"));
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stdout.contains(".sig"), "{}", r.stdout);
        let r = verify(&legacy, "ci.pub");
        assert_eq!(r.code, 0, "{}", r.stderr);
        let r = verify(&legacy, "other.pub");
        assert_eq!(r.code, 1);
        assert!(r.stderr.contains("no legacy signature in"), "{}", r.stderr);

        // Attestations in the legacy layout only (as cosign < 2 writes them): `.att` tag.
        let r = run(gatehouse(
            d,
            &[
                "attest",
                &legacy,
                "--key",
                "ci.key",
                "--predicate",
                "prov.json",
                "--type",
                "slsaprovenance1",
                "--layout",
                "legacy",
            ],
        )
        .env("GATEHOUSE_PASSWORD", "pw"));
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            r.stdout.contains(".att") && !r.stdout.contains("referrer"),
            "{}",
            r.stdout
        );
        let va_legacy = |key: &str, extra: &[&str]| {
            let mut args = vec![
                "verify-attestation",
                legacy.as_str(),
                "--key",
                key,
                "--type",
                "slsaprovenance1",
            ];
            args.extend_from_slice(extra);
            run(&mut gatehouse(d, &args))
        };
        let r = va_legacy(
            "ci.pub",
            &[
                "--insecure-ignore-tlog",
                "--provenance-builder-id",
                "https://ci.example.com/linux",
            ],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stdout.contains("1 bundle(s)"), "{}", r.stdout);
        let r = va_legacy("other.pub", &["--insecure-ignore-tlog"]);
        assert_eq!(r.code, 1);
        assert!(
            r.stderr
                .contains("no legacy https://slsa.dev/provenance/v1 attestation in"),
            "{}",
            r.stderr
        );
        let r = va_legacy("ci.pub", &["--trusted-root", "/dev/null"]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        // The default writes both layouts.
        let r = run(gatehouse(
            d,
            &[
                "attest",
                &legacy,
                "--key",
                "ci.key",
                "--predicate",
                "prov.json",
                "--type",
                "cyclonedx",
            ],
        )
        .env("GATEHOUSE_PASSWORD", "pw"));
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            r.stdout.contains("; referrer sha256:") && r.stdout.contains(".att"),
            "{}",
            r.stdout
        );
        let r = run(&mut gatehouse(
            d,
            &[
                "verify-attestation",
                &legacy,
                "--key",
                "ci.pub",
                "--type",
                "cyclonedx",
                "--insecure-ignore-tlog",
            ],
        ));
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stdout.contains("2 bundle(s)"), "{}", r.stdout);
    }

    /// Keyless: an image signed and attested with a certificate of a throwaway CA and an entry of
    /// a throwaway log (gatehouse-attest's `test_pki`), verified by identity and issuer against
    /// the trusted root that lists both; wrong identity or issuer fail saying which.
    #[test]
    fn verify_and_verify_attestation_by_certificate_identity() {
        use gatehouse_attest::intoto::{Statement, Subject};
        use gatehouse_attest::oci::{COSIGN_SIGN_PREDICATE, Registry, parse_reference};
        use gatehouse_attest::test_pki::{Identity, TestPki};

        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let target = repo("v1");
        let digest = push_image(&target, b"keyless layer");
        let image = target.with_digest(&digest).to_string();
        let pki = TestPki::new();
        std::fs::write(d.join("root.json"), pki.trusted_root_json()).unwrap();
        let workflow = "https://github.com/team/app/.github/workflows/release.yml@refs/heads/main";
        let issuer = "https://token.actions.githubusercontent.com";
        let signer = pki.issue(&Identity::Uri(workflow.into()), issuer);
        let mut sha = [0u8; 32];
        for (i, b) in sha.iter_mut().enumerate() {
            let h = &digest["sha256:".len() + 2 * i..][..2];
            *b = u8::from_str_radix(h, 16).unwrap();
        }
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async {
            let registry = Registry::anonymous();
            let pinned = registry
                .pin(&parse_reference(&image).unwrap(), false)
                .await
                .unwrap();
            for (predicate_type, predicate) in [
                (COSIGN_SIGN_PREDICATE, serde_json::json!({})),
                (
                    "https://cyclonedx.org/bom",
                    serde_json::json!({"bomFormat": "CycloneDX", "specVersion": "1.6"}),
                ),
            ] {
                let statement = Statement::new(
                    vec![Subject::sha256(&pinned.display(), &sha)],
                    predicate_type,
                    predicate,
                );
                let bundle = pki.attest(&signer, &statement);
                registry
                    .attach_bundle(&pinned, bundle.into_bytes(), predicate_type)
                    .await
                    .unwrap();
            }
        });

        let verify = |extra: &[&str]| {
            let mut args = vec![
                "verify",
                image.as_str(),
                "--trusted-root",
                "root.json",
                "--insecure-ignore-sct",
            ];
            args.extend_from_slice(extra);
            run(&mut gatehouse(d, &args))
        };
        let r = verify(&[
            "--certificate-identity",
            workflow,
            "--certificate-oidc-issuer",
            issuer,
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(
            r.stdout.trim(),
            format!(
                "Verified OK: {image} (https://sigstore.dev/cosign/sign/v1, 1 bundle(s) signed by {workflow} (issuer {issuer}))"
            )
        );
        let r = verify(&[
            "--certificate-identity-regexp",
            "^https://github\\.com/team/",
            "--certificate-oidc-issuer-regexp",
            "^https://token\\.actions\\.githubusercontent\\.com$",
            "-o",
            "json",
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(json["signers"][0], format!("{workflow} (issuer {issuer})"));

        // Wrong identity, wrong issuer: exit 1, both sides named.
        let r = verify(&[
            "--certificate-identity",
            "https://github.com/evil/app/.github/workflows/release.yml@refs/heads/main",
            "--certificate-oidc-issuer",
            issuer,
        ]);
        assert_eq!(r.code, 1);
        assert!(
            r.stderr.contains(&format!(
                "identity mismatch: the certificate is for {workflow}, not https://github.com/evil/"
            )),
            "{}",
            r.stderr
        );
        let r = verify(&[
            "--certificate-identity",
            workflow,
            "--certificate-oidc-issuer",
            "https://accounts.google.com",
        ]);
        assert_eq!(r.code, 1);
        assert!(
            r.stderr.contains(&format!(
                "issuer mismatch: the certificate was issued after login at {issuer}, not https://accounts.google.com"
            )),
            "{}",
            r.stderr
        );
        // Identity without issuer, or with a key: usage errors.
        let r = verify(&["--certificate-identity", workflow]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        let r = verify(&[
            "--certificate-identity",
            workflow,
            "--certificate-oidc-issuer",
            issuer,
            "--key",
            "k.pub",
        ]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(r.stderr.contains("cannot be used with"), "{}", r.stderr);

        // Attestations by identity.
        let va = |issuer: &str| {
            run(&mut gatehouse(
                d,
                &[
                    "verify-attestation",
                    &image,
                    "--type",
                    "cyclonedx",
                    "--trusted-root",
                    "root.json",
                    "--insecure-ignore-sct",
                    "--certificate-identity",
                    workflow,
                    "--certificate-oidc-issuer",
                    issuer,
                ],
            ))
        };
        let r = va(issuer);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            r.stdout.contains("https://cyclonedx.org/bom"),
            "{}",
            r.stdout
        );
        let r = va("https://gitlab.example.com");
        assert_eq!(r.code, 1);
        assert!(r.stderr.contains("issuer mismatch"), "{}", r.stderr);
    }

    /// Needs the basic-auth registry of `scripts/start-registry.sh` (scripts/test.sh starts it):
    /// GATEHOUSE_TEST_REGISTRY_AUTH, _USER, _PASSWORD.
    #[test]
    fn sign_and_verify_on_a_registry_with_basic_auth() {
        let (host, user, password) = (
            registry_env("GATEHOUSE_TEST_REGISTRY_AUTH"),
            registry_env("GATEHOUSE_TEST_REGISTRY_USER"),
            registry_env("GATEHOUSE_TEST_REGISTRY_PASSWORD"),
        );
        let target = fresh_repo(&host, "attest-cli", "v1");
        let digest = push_image_blocking(
            Credentials::Basic {
                username: user.clone(),
                password: password.clone(),
            },
            &target,
            b"private layer",
        );
        let image = target.with_digest(&digest).to_string();
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let r = run(
            gatehouse(d, &["key", "generate", "--output-key-prefix", "ci"])
                .env("GATEHOUSE_PASSWORD", "pw"),
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        // Without credentials the registry refuses: a registry error, exit 2.
        let r = run(gatehouse(d, &["sign", &image, "--key", "ci.key"])
            .env("GATEHOUSE_PASSWORD", "pw")
            .env("DOCKER_CONFIG", d));
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(
            r.stderr.contains("authentication failed") && r.stderr.contains("--username"),
            "{}",
            r.stderr
        );
        // Flags for signing, environment for verifying.
        let r = run(gatehouse(
            d,
            &[
                "sign",
                &image,
                "--key",
                "ci.key",
                "--username",
                &user,
                "--password",
                &password,
            ],
        )
        .env("GATEHOUSE_PASSWORD", "pw"));
        assert_eq!(r.code, 0, "{}", r.stderr);
        let r = run(gatehouse(
            d,
            &[
                "verify",
                &image,
                "--key",
                "ci.pub",
                "--insecure-ignore-tlog",
            ],
        )
        .env("GATEHOUSE_REGISTRY_USERNAME", &user)
        .env("GATEHOUSE_REGISTRY_PASSWORD", &password));
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stdout.contains("2 bundle(s)"), "{}", r.stdout);
        // A Docker config.json works too (`auth` entries are covered in gatehouse-oci).
        std::fs::write(
            d.join("config.json"),
            serde_json::json!({"auths": {&host: {"username": &user, "password": &password}}})
                .to_string(),
        )
        .unwrap();
        let r = run(gatehouse(
            d,
            &[
                "verify",
                &image,
                "--key",
                "ci.pub",
                "--insecure-ignore-tlog",
            ],
        )
        .env("DOCKER_CONFIG", d));
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
}
