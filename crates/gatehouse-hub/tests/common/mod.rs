//! Test harness: a hub on a real loopback socket over a fresh database per test (a new SQLite
//! file, or a new PostgreSQL database on the server `scripts/start-postgres.sh` starts).

#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};

use gatehouse_hub::Store;
use gatehouse_hub::client::{self, HubResponse, MultipartBody};
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A running hub and a valid token for it.
pub struct Hub {
    pub base: String,
    /// The database the hub uses, for tests that reach into it.
    pub url: String,
    pub backend: Backend,
    pub token: String,
    pub store: Store,
    _dir: Option<tempfile::TempDir>,
    stop: Option<oneshot::Sender<()>>,
}

impl Drop for Hub {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A URL of a database nobody else uses.
pub async fn fresh_database(backend: Backend) -> (String, Option<tempfile::TempDir>) {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite://{}", dir.path().join("hub.db").display());
            (url, Some(dir))
        }
        Backend::Postgres => {
            let admin = std::env::var("GATEHOUSE_TEST_POSTGRES_URL").unwrap_or_else(|_| {
                panic!(
                    "GATEHOUSE_TEST_POSTGRES_URL is not set: the PostgreSQL variants of the hub \
                     tests need a server. Run `eval \"$(scripts/start-postgres.sh)\"` first."
                )
            });
            let name = format!(
                "gh_test_{}_{}_{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::SeqCst),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.subsec_nanos())
                    .unwrap_or(0)
            );
            let pool = sqlx::PgPool::connect(&admin).await.unwrap_or_else(|e| {
                panic!("cannot reach {admin} ({e}); run scripts/start-postgres.sh")
            });
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&pool)
                .await
                .expect("create test database");
            pool.close().await;
            let base = admin
                .rsplit_once('/')
                .map_or(admin.as_str(), |(b, _)| b)
                .to_owned();
            (format!("{base}/{name}"), None)
        }
    }
}

pub async fn start(backend: Backend) -> Hub {
    let (url, dir) = fresh_database(backend).await;
    start_on(backend, url, dir).await
}

/// A hub on the database at `url` (`dir` keeps a SQLite file's directory alive): a second hub on
/// the same database stands for another process writing to it.
pub async fn start_on(backend: Backend, url: String, dir: Option<tempfile::TempDir>) -> Hub {
    let store = Store::connect(&url).await.expect("connect store");
    let database_url = url.clone();
    let token = store.create_token("ci").await.expect("token");
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let (stop, stopped) = oneshot::channel::<()>();
    let server_store = store.clone();
    tokio::spawn(async move {
        gatehouse_hub::api::serve(listener, server_store, async {
            let _ = stopped.await;
        })
        .await
        .expect("serve");
    });
    Hub {
        base,
        url: database_url,
        backend,
        token,
        store,
        _dir: dir,
        stop: Some(stop),
    }
}

pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture")
}

impl Hub {
    /// Runs raw SQL statements on the hub's database (fault injection).
    pub async fn sql(&self, statements: &[&str]) {
        match self.backend {
            Backend::Sqlite => {
                let pool = sqlx::SqlitePool::connect(&self.url).await.expect("sqlite");
                for statement in statements {
                    sqlx::query(statement)
                        .execute(&pool)
                        .await
                        .expect(statement);
                }
                pool.close().await;
            }
            Backend::Postgres => {
                let pool = sqlx::PgPool::connect(&self.url).await.expect("postgres");
                for statement in statements {
                    sqlx::query(statement)
                        .execute(&pool)
                        .await
                        .expect(statement);
                }
                pool.close().await;
            }
        }
    }

    pub async fn post(&self, path: &str, form: MultipartBody) -> HubResponse {
        client::post_form(&self.base, path, Some(&self.token), form)
            .await
            .expect("request")
    }

    pub async fn get(&self, path: &str) -> HubResponse {
        let auth = format!("Token {}", self.token);
        client::send(
            &self.base,
            "GET",
            path,
            &[("authorization", &auth)],
            Vec::new(),
        )
        .await
        .expect("request")
    }

    /// Sends `body` as JSON with the hub's token.
    pub async fn send_json(&self, method: &str, path: &str, body: &Value) -> HubResponse {
        let auth = format!("Token {}", self.token);
        client::send(
            &self.base,
            method,
            path,
            &[
                ("authorization", &auth),
                ("content-type", "application/json"),
            ],
            body.to_string().into_bytes(),
        )
        .await
        .expect("request")
    }

    /// Imports `form` and returns the 201 body.
    pub async fn import(&self, form: MultipartBody) -> Value {
        let response = self.post("/api/v2/import-scan/", form).await;
        assert_eq!(response.status, 201, "{}", response.body);
        response.body
    }

    /// Reimports `form` and returns the 201 body.
    pub async fn reimport(&self, form: MultipartBody) -> Value {
        let response = self.post("/api/v2/reimport-scan/", form).await;
        assert_eq!(response.status, 201, "{}", response.body);
        response.body
    }

    /// The findings of a list query (first page of up to 1000).
    pub async fn findings(&self, query: &str) -> Vec<Value> {
        let response = self
            .get(&format!("/api/v2/findings/?limit=1000&{query}"))
            .await;
        assert_eq!(response.status, 200, "{query}: {}", response.body);
        response.body["results"]
            .as_array()
            .expect("results")
            .clone()
    }

    /// `count` of a list endpoint.
    pub async fn count(&self, path: &str) -> i64 {
        let response = self.get(path).await;
        assert_eq!(response.status, 200, "{path}: {}", response.body);
        response.body["count"].as_i64().expect("count")
    }
}

/// An import form targeting product `P1` / engagement `E1`, auto-creating them.
pub fn sarif_form(file: &str) -> MultipartBody {
    form("SARIF", "P1", "E1", file)
}

/// An import form for `scan_type` and fixture `file` into product `product`, engagement
/// `engagement` (auto-created).
pub fn form(scan_type: &str, product: &str, engagement: &str, file: &str) -> MultipartBody {
    MultipartBody::default()
        .text("scan_type", scan_type)
        .text("product_type_name", "PT1")
        .text("product_name", product)
        .text("engagement_name", engagement)
        .text("auto_create_context", "true")
        .file("file", file, &fixture(file))
}

/// A reimport form for `test` with fixture `file`.
pub fn reimport_form(scan_type: &str, test: i64, file: &str) -> MultipartBody {
    MultipartBody::default()
        .text("scan_type", scan_type)
        .text("test", &test.to_string())
        .file("file", file, &fixture(file))
}

/// `test_id` of an import or reimport response body.
pub fn test_id(body: &Value) -> i64 {
    body["test_id"]
        .as_i64()
        .unwrap_or_else(|| panic!("test_id missing in {body}"))
}

/// Trivy reporting one Medium (CVE-2024-0727, openssl) and one Critical (CVE-2023-45853,
/// zlib) into `product`.
pub fn trivy_form(product: &str) -> MultipartBody {
    form("Trivy Scan", product, "E1", "trivy-openssl.json")
}

/// Runs each scenario once per backend, as `sqlite::name` and `postgres::name`.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name(super::Backend::Sqlite).await; })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name(super::Backend::Postgres).await; })*
        }
    };
}

/// `statistics.<part>.<severity>.<flag>`.
pub fn stat(body: &Value, part: &str, severity: &str, flag: &str) -> i64 {
    body["statistics"][part][severity][flag]
        .as_i64()
        .unwrap_or_else(|| panic!("statistics.{part}.{severity}.{flag} missing in {body}"))
}

/// A reimport's totals, `[created, closed, reactivated, untouched]`.
pub fn totals(body: &Value) -> [i64; 4] {
    ["created", "closed", "reactivated", "untouched"].map(|action| delta(body, action, "total"))
}

/// `statistics.delta.<action>.total.<flag>` of a reimport.
pub fn delta(body: &Value, action: &str, flag: &str) -> i64 {
    body["statistics"]["delta"][action]["total"][flag]
        .as_i64()
        .unwrap_or_else(|| panic!("statistics.delta.{action}.total.{flag} missing in {body}"))
}
