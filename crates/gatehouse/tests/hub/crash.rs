//! kill -9 in the middle of a large import or reimport: each is one transaction, so nothing of
//! it survives, the earlier data does, and the same request afterwards counts exactly. Kills
//! `gatehouse serve` (import over HTTP, reimport) and an embedded `gatehouse import`, on SQLite
//! and PostgreSQL.

use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::cargo_bin;

use super::{gatehouse, serve};

/// Which process is killed in the middle of the import.
#[derive(Clone, Copy, Debug)]
enum Killed {
    /// `gatehouse serve`, while it stores an import sent over HTTP.
    Server,
    /// `gatehouse import --database` (the embedded store, no server).
    EmbeddedImport,
}

/// Results in the large report: enough that storing them takes seconds in a debug build.
const LARGE: usize = 30_000;
/// The import of product `large` is not committed.
const LARGE_UNSEEN: &str = "NOT EXISTS (SELECT 1 FROM products WHERE name = 'large')";

/// A SARIF log with `results` distinct results (50 rules over 1,000 files).
fn large_sarif(results: usize) -> Vec<u8> {
    sarif_log(results, |i| (format!("R{}", i % 50), i / 1000 + 1))
}

/// [`large_sarif`] a release later: the first half of the results three lines lower, the second
/// half replaced by results of other rules (a reimport moves, closes and creates `results / 2`).
fn large_sarif_changed(results: usize) -> Vec<u8> {
    sarif_log(results, |i| {
        if i < results / 2 {
            (format!("R{}", i % 50), i / 1000 + 4)
        } else {
            (format!("S{}", i % 50), i / 1000 + 1)
        }
    })
}

/// `results` results, result `i` of `shape(i)` = (rule, line), in `src/module{i % 1000}.py`.
fn sarif_log(results: usize, shape: impl Fn(usize) -> (String, usize)) -> Vec<u8> {
    let mut rules = std::collections::BTreeSet::new();
    let results: Vec<serde_json::Value> = (0..results)
        .map(|i| {
            let (rule, line) = shape(i);
            rules.insert(rule.clone());
            serde_json::json!({
                "ruleId": rule,
                "level": "warning",
                "message": {"text": format!("result {i}: a request parameter reaches a sink")},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": format!("src/module{}.py", i % 1000)},
                    "region": {"startLine": line}
                }}]
            })
        })
        .collect();
    let rules: Vec<serde_json::Value> = rules
        .iter()
        .map(|r| serde_json::json!({"id": r, "shortDescription": {"text": format!("Rule {r}")}}))
        .collect();
    serde_json::to_vec(&serde_json::json!({
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "generated", "rules": rules}}, "results": results}]
    }))
    .expect("json")
}

/// A database of its own: a SQLite file in `dir`, or a new PostgreSQL database (dropped at the
/// end).
struct Database {
    url: String,
    /// SQLite: the `-wal` file the transaction spills its pages into.
    wal: Option<PathBuf>,
    /// PostgreSQL: the server's admin URL and the database's name.
    postgres: Option<(String, String)>,
    _dir: tempfile::TempDir,
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Some((admin, name)) = &self.postgres {
            let _ = Process::new("psql")
                .args(["-X", "-q", "-d", admin, "-c"])
                .arg(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .output();
        }
    }
}

fn psql(url: &str, sql: &str) -> String {
    let out = Process::new("psql")
        .args([
            "-X",
            "-A",
            "-t",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            url,
            "-c",
            sql,
        ])
        .output()
        .expect("psql runs (installed with postgresql)");
    assert!(
        out.status.success(),
        "psql {sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn fresh_database(postgres: bool) -> Database {
    let dir = tempfile::tempdir().expect("tempdir");
    if !postgres {
        let file = dir.path().join("hub.db");
        return Database {
            url: format!("sqlite://{}", file.display()),
            wal: Some(dir.path().join("hub.db-wal")),
            postgres: None,
            _dir: dir,
        };
    }
    let admin = std::env::var("GATEHOUSE_TEST_POSTGRES_URL").unwrap_or_else(|_| {
        panic!(
            "GATEHOUSE_TEST_POSTGRES_URL is not set: run `eval \"$(scripts/start-postgres.sh)\"` first"
        )
    });
    let name = format!(
        "gh_crash_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    );
    psql(&admin, &format!("CREATE DATABASE {name}"));
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    Database {
        url: format!("{base}/{name}"),
        wal: None,
        postgres: Some((admin.clone(), name)),
        _dir: dir,
    }
}

fn file_len(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// Waits until the import's (or reimport's) transaction is writing findings, uncommitted: on
/// PostgreSQL one backend of the test's database holds the row-exclusive lock of `findings`
/// and a lock of `tests` (it created or read the test) while `unseen` (SQL) still says the
/// change is not visible; on SQLite the write-ahead log has grown by the pages the transaction
/// spills (its page cache is 2 MiB). Fails if `ended()` says the client is done first.
fn wait_inside_transaction(db: &Database, unseen: &str, mut ended: impl FnMut() -> bool) {
    let baseline = db.wal.as_deref().map(file_len);
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        assert!(
            !ended(),
            "the import ended before it could be killed: raise LARGE"
        );
        let inside = match (&db.wal, baseline) {
            (Some(wal), Some(baseline)) => file_len(wal) > baseline + 8 * 1024 * 1024,
            _ => {
                psql(
                    &db.url,
                    &format!(
                        "SELECT EXISTS (SELECT 1 FROM pg_locks f JOIN pg_locks t ON t.pid = f.pid \
                         WHERE f.relation = 'findings'::regclass \
                         AND t.relation = 'tests'::regclass AND f.mode = 'RowExclusiveLock' \
                         AND f.pid <> pg_backend_pid() AND f.database = (SELECT oid \
                         FROM pg_database WHERE datname = current_database())) AND ({unseen})"
                    ),
                ) == "t"
            }
        };
        if inside {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the import never started storing findings"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Runs one client call to completion (the tests themselves are synchronous).
fn block_on<T>(call: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(call)
}

/// `GET path` of the hub at `base`: the body of a 200.
fn get(base: &str, token: &str, path: &str) -> serde_json::Value {
    let auth = format!("Token {token}");
    let response = block_on(gatehouse_hub::client::send(
        base,
        "GET",
        path,
        &[("authorization", &auth)],
        Vec::new(),
    ))
    .expect("request");
    assert_eq!(response.status, 200, "{path}: {}", response.body);
    response.body
}

/// `count` of a list endpoint of the hub at `base`.
fn count(base: &str, token: &str, path: &str) -> i64 {
    get(base, token, path)["count"].as_i64().expect("count")
}

/// Products, engagements, tests, findings, and findings of the large product.
fn counts(base: &str, token: &str) -> [i64; 5] {
    [
        count(base, token, "/api/v2/products/?limit=1"),
        count(base, token, "/api/v2/engagements/?limit=1"),
        count(base, token, "/api/v2/tests/?limit=1"),
        count(base, token, "/api/v2/findings/?limit=1"),
        count(base, token, "/api/v2/products/?name=large&limit=1"),
    ]
}

fn import_args<'a>(file: &'a str, product: &'a str, target: &'a [&'a str]) -> Vec<&'a str> {
    let mut args = vec!["import", file, "--scan-type", "SARIF", "--product", product];
    args.extend_from_slice(target);
    args
}

fn kill_during_large_import(postgres: bool, killed: Killed) {
    let db = fresh_database(postgres);
    let (code, token, stderr) =
        gatehouse(&["token", "create", "--user", "ci", "--database", &db.url]);
    assert_eq!(code, 0, "{stderr}");
    let token = token.trim().to_owned();
    let work = tempfile::tempdir().expect("tempdir");
    let large = work.path().join("large.sarif");
    std::fs::write(&large, large_sarif(LARGE)).expect("write report");
    let large = large.to_str().expect("utf-8").to_owned();
    let earlier = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../gatehouse-hub/tests/fixtures/sarif-full.sarif");
    let earlier = earlier.to_str().expect("utf-8").to_owned();

    // Earlier data: five findings in product `earlier`.
    let (code, _, stderr) = gatehouse(&import_args(&earlier, "earlier", &["--database", &db.url]));
    assert_eq!(code, 0, "{stderr}");

    let (server, base) = serve(&db.url);
    assert_eq!(counts(&base, &token), [1, 1, 1, 5, 0]);
    let target: Vec<&str> = match killed {
        Killed::Server => vec!["--url", &base, "--token", &token],
        Killed::EmbeddedImport => vec!["--database", &db.url],
    };
    let mut importer = Process::new(cargo_bin("gatehouse"))
        .args(import_args(&large, "large", &target))
        .env_remove("GATEHOUSE_DATABASE")
        .env_remove("GATEHOUSE_TOKEN")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("import starts");
    match killed {
        Killed::Server => {
            let mut server = server;
            wait_inside_transaction(&db, LARGE_UNSEEN, || {
                importer.try_wait().expect("try_wait").is_some()
            });
            server.0.kill().expect("SIGKILL the server");
            server.0.wait().expect("reaped");
            let status = importer.wait().expect("client ends");
            assert!(!status.success(), "the client saw its import fail");
        }
        Killed::EmbeddedImport => {
            drop(server);
            wait_inside_transaction(&db, LARGE_UNSEEN, || {
                importer.try_wait().expect("try_wait").is_some()
            });
            importer.kill().expect("SIGKILL the import");
            importer.wait().expect("reaped");
        }
    }

    // A new server on the same database: no trace of the killed import, the earlier data whole.
    let (_server, base) = serve(&db.url);
    assert_eq!(counts(&base, &token), [1, 1, 1, 5, 0]);
    if postgres {
        assert_eq!(
            psql(
                &db.url,
                "SELECT (SELECT count(*) FROM findings) || ',' || \
                 (SELECT count(*) FROM finding_events) || ',' || \
                 (SELECT count(*) FROM audit_log WHERE action = 'import')"
            ),
            "5,5,1"
        );
    }
    // The same report again, to completion: exact counts.
    let (code, stdout, stderr) = gatehouse(&import_args(
        &large,
        "large",
        &["--url", &base, "--token", &token],
    ));
    assert_eq!(code, 0, "{stderr}");
    let summary: serde_json::Value = serde_json::from_str(&stdout).expect("json summary");
    let total = &summary["statistics"]["after"]["total"];
    assert_eq!(
        (
            total["total"].as_i64(),
            total["active"].as_i64(),
            total["duplicate"].as_i64()
        ),
        (Some(LARGE as i64), Some(LARGE as i64), Some(0)),
        "{summary}"
    );
    assert_eq!(counts(&base, &token), [2, 2, 2, 5 + LARGE as i64, 1]);
}

/// Every finding's id, line, hash_code, title and status, as one digest (PostgreSQL).
const FINDINGS_DIGEST: &str = "SELECT md5(string_agg(id || ':' || COALESCE(line, 0) || ':' || \
    hash_code || ':' || title || ':' || active || ':' || is_mitigated, ',' ORDER BY id)) \
    FROM findings";

/// Sends a SARIF reimport of `report` into `test`.
fn reimport(
    base: &str,
    token: &str,
    test: i64,
    report: &[u8],
) -> Result<gatehouse_hub::client::HubResponse, gatehouse_hub::client::ClientError> {
    let form = gatehouse_hub::client::MultipartBody::default()
        .text("scan_type", "SARIF")
        .text("test", &test.to_string())
        .file("file", "changed.sarif", report);
    block_on(gatehouse_hub::client::post_form(
        base,
        "/api/v2/reimport-scan/",
        Some(token),
        form,
    ))
}

/// Findings of `test`: all, active, closed; and the line of the first.
fn test_state(base: &str, token: &str, test: i64) -> [i64; 4] {
    let first = get(
        base,
        token,
        &format!("/api/v2/findings/?test={test}&limit=1"),
    );
    [
        count(
            base,
            token,
            &format!("/api/v2/findings/?test={test}&limit=1"),
        ),
        count(
            base,
            token,
            &format!("/api/v2/findings/?test={test}&active=true&limit=1"),
        ),
        count(
            base,
            token,
            &format!("/api/v2/findings/?test={test}&is_mitigated=true&limit=1"),
        ),
        first["results"][0]["line"].as_i64().expect("line"),
    ]
}

/// kill -9 of the server while it stores a large reimport (15,000 findings moved, 15,000
/// closed, 15,000 created): after a restart the test's findings are exactly as before, and the
/// same reimport then counts exactly.
fn kill_during_large_reimport(postgres: bool) {
    let db = fresh_database(postgres);
    let (code, token, stderr) =
        gatehouse(&["token", "create", "--user", "ci", "--database", &db.url]);
    assert_eq!(code, 0, "{stderr}");
    let token = token.trim().to_owned();
    let work = tempfile::tempdir().expect("tempdir");
    let large = work.path().join("large.sarif");
    std::fs::write(&large, large_sarif(LARGE)).expect("write report");
    let large = large.to_str().expect("utf-8").to_owned();
    // Imported by the embedded command: its exit checkpoints SQLite's write-ahead log away, so
    // the reimport's pages are what it grows by.
    let (code, stdout, stderr) = gatehouse(&import_args(&large, "large", &["--database", &db.url]));
    assert_eq!(code, 0, "{stderr}");
    let summary: serde_json::Value = serde_json::from_str(&stdout).expect("json summary");
    let test = summary["test_id"].as_i64().expect("test_id");
    let n = LARGE as i64;
    let (mut server, base) = serve(&db.url);
    let before = test_state(&base, &token, test);
    assert_eq!(before[..3], [n, n, 0]);
    // PostgreSQL: every finding's id, line, hash_code, title and status, as one digest.
    let digest = postgres.then(|| psql(&db.url, FINDINGS_DIGEST));

    let changed = large_sarif_changed(LARGE);
    let client = {
        let (base, token, changed) = (base.clone(), token.clone(), changed.clone());
        std::thread::spawn(move || reimport(&base, &token, test, &changed))
    };
    let unseen = format!(
        "({FINDINGS_DIGEST}) = '{}'",
        digest.clone().unwrap_or_default()
    );
    wait_inside_transaction(&db, &unseen, || client.is_finished());
    server.0.kill().expect("SIGKILL the server");
    server.0.wait().expect("reaped");
    let sent = client.join().expect("client thread");
    assert!(
        !matches!(&sent, Ok(response) if response.status == 201),
        "the reimport was answered before the kill: {sent:?}"
    );

    let (_server, base) = serve(&db.url);
    assert_eq!(test_state(&base, &token, test), before);
    if let Some(digest) = digest {
        assert_eq!(psql(&db.url, FINDINGS_DIGEST), digest);
        assert_eq!(
            psql(
                &db.url,
                "SELECT (SELECT count(*) FROM finding_events) || ',' || \
                 (SELECT count(*) FROM audit_log WHERE action = 'reimport')"
            ),
            format!("{n},0")
        );
    }
    let done = reimport(&base, &token, test, &changed).expect("reimport");
    assert_eq!(done.status, 201, "{}", done.body);
    let delta = &done.body["statistics"]["delta"];
    let half = n / 2;
    assert_eq!(
        [
            delta["created"]["total"]["total"].as_i64(),
            delta["closed"]["total"]["total"].as_i64(),
            delta["reactivated"]["total"]["total"].as_i64(),
            delta["untouched"]["total"]["total"].as_i64(),
        ],
        [Some(half), Some(half), Some(0), Some(half)],
        "{}",
        done.body
    );
    assert_eq!(test_state(&base, &token, test)[..3], [n + half, n, half]);
}

#[test]
fn sqlite_kill_9_of_the_server_during_a_large_reimport_leaves_the_findings_as_they_were() {
    kill_during_large_reimport(false);
}

#[test]
fn postgres_kill_9_of_the_server_during_a_large_reimport_leaves_the_findings_as_they_were() {
    kill_during_large_reimport(true);
}

#[test]
fn sqlite_kill_9_of_the_server_during_a_large_import_leaves_no_partial_import() {
    kill_during_large_import(false, Killed::Server);
}

#[test]
fn postgres_kill_9_of_the_server_during_a_large_import_leaves_no_partial_import() {
    kill_during_large_import(true, Killed::Server);
}

#[test]
fn sqlite_kill_9_of_an_embedded_import_leaves_no_partial_import() {
    kill_during_large_import(false, Killed::EmbeddedImport);
}

#[test]
fn postgres_kill_9_of_an_embedded_import_leaves_no_partial_import() {
    kill_during_large_import(true, Killed::EmbeddedImport);
}
