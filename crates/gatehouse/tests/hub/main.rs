//! End-to-end tests of the hub commands: `gatehouse token create`, `gatehouse serve` and
//! `gatehouse import` (embedded database and over HTTP to a running hub, real sockets on loopback),
//! and kill -9 of either in the middle of a large import or reimport (`crash.rs`, SQLite and
//! PostgreSQL).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use assert_cmd::cargo::cargo_bin;

mod crash;

fn sarif_fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../gatehouse-ingest/tests/fixtures/sarif/appendix_k.sarif")
}

fn gatehouse(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("gatehouse")
        .expect("binary")
        .args(args)
        .env_remove("GATEHOUSE_DATABASE")
        .env_remove("GATEHOUSE_TOKEN")
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

/// A `gatehouse serve` process, killed on drop.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

fn serve(database: &str) -> (Server, String) {
    let port = free_port();
    let child = Process::new(cargo_bin("gatehouse"))
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--database",
            database,
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    let server = Server(child);
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "gatehouse serve did not listen on {port}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    (server, format!("http://127.0.0.1:{port}"))
}

#[test]
fn import_into_the_embedded_database_creates_product_and_findings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = format!("sqlite://{}", dir.path().join("hub.db").display());
    let file = sarif_fixture();
    let file = file.to_str().expect("utf-8");
    let import = [
        "import",
        file,
        "--scan-type",
        "SARIF",
        "--product",
        "web",
        "--database",
        &db,
    ];
    let (code, stdout, stderr) = gatehouse(&import);
    assert_eq!(code, 0, "{stderr}");
    let summary: serde_json::Value = serde_json::from_str(&stdout).expect("json summary");
    // appendix_k.sarif (the SARIF spec's example) has one result, suppressed in the report.
    let total = &summary["statistics"]["after"]["total"];
    assert_eq!(
        (total["total"].as_u64(), total["false_p"].as_u64()),
        (Some(1), Some(1))
    );
    // Importing the same report again makes a new test whose finding is a duplicate of the first.
    let (code, stdout, stderr) = gatehouse(&import);
    assert_eq!(code, 0, "{stderr}");
    let summary: serde_json::Value = serde_json::from_str(&stdout).expect("json summary");
    assert_eq!(summary["test_id"], 2);
    assert_eq!(summary["statistics"]["after"]["total"]["duplicate"], 1);
}

#[test]
fn import_over_http_needs_a_token_and_then_succeeds() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = format!("sqlite://{}", dir.path().join("hub.db").display());
    let (code, token, stderr) = gatehouse(&["token", "create", "--user", "ci", "--database", &db]);
    assert_eq!(code, 0, "{stderr}");
    let token = token.trim().to_string();
    assert!(!token.is_empty());
    let (_server, url) = serve(&db);
    let file = sarif_fixture();
    let file = file.to_str().expect("utf-8");
    let (code, _, stderr) = gatehouse(&[
        "import",
        file,
        "--scan-type",
        "SARIF",
        "--product",
        "api",
        "--url",
        &url,
        "--token",
        "wrong",
    ]);
    assert_ne!(code, 0, "a wrong token is refused");
    assert!(
        stderr.contains("403") || stderr.contains("Invalid token"),
        "{stderr}"
    );
    let (code, stdout, stderr) = gatehouse(&[
        "import",
        file,
        "--scan-type",
        "SARIF",
        "--product",
        "api",
        "--url",
        &url,
        "--token",
        &token,
    ]);
    assert_eq!(code, 0, "{stderr}");
    let summary: serde_json::Value = serde_json::from_str(&stdout).expect("json summary");
    assert_eq!(
        summary["statistics"]["after"]["total"]["total"], 1,
        "{summary}"
    );
}

#[test]
fn an_unknown_scan_type_is_an_input_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = format!("sqlite://{}", dir.path().join("hub.db").display());
    let file = sarif_fixture();
    let (code, _, stderr) = gatehouse(&[
        "import",
        file.to_str().expect("utf-8"),
        "--scan-type",
        "No Such Scanner",
        "--product",
        "p",
        "--database",
        &db,
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("No Such Scanner"), "{stderr}");
}
