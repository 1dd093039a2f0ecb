//! End-to-end tests of `gatehouse key`: files in, files, output and exit codes out (0 ok, 2 usage
//! or input error).

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
