//! The two backends behind one façade: SQL text with `$N` placeholders (both SQLite and
//! PostgreSQL accept them), neutral [`Param`]s and neutral [`DbRow`]s. Every query is written
//! once; [`on_backend!`] expands the executing code once per typed sqlx driver, so each backend
//! keeps its native types (SQLite text dates, PostgreSQL `DATE`/`TIMESTAMPTZ`) without sqlx `Any`.

use std::borrow::Cow;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgRow};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{Postgres, Row, Sqlite, Transaction};

use crate::HubError;

/// A value bound to a `$N` placeholder.
#[derive(Debug, Clone, PartialEq)]
pub enum Param {
    Int(Option<i64>),
    Text(Option<String>),
    Bool(bool),
    Date(Option<NaiveDate>),
    Time(Option<DateTime<Utc>>),
    /// PostgreSQL arrays, for `UNNEST` bulk writes (SQLite has no arrays: a statement binding
    /// one there fails).
    Ints(Vec<Option<i64>>),
    Texts(Vec<Option<String>>),
    Bools(Vec<bool>),
    Dates(Vec<Option<NaiveDate>>),
    Times(Vec<Option<DateTime<Utc>>>),
}

impl Param {
    fn is_array(&self) -> bool {
        matches!(
            self,
            Param::Ints(_) | Param::Texts(_) | Param::Bools(_) | Param::Dates(_) | Param::Times(_)
        )
    }
}

impl From<i64> for Param {
    fn from(v: i64) -> Self {
        Param::Int(Some(v))
    }
}
impl From<Option<i64>> for Param {
    fn from(v: Option<i64>) -> Self {
        Param::Int(v)
    }
}
impl From<&str> for Param {
    fn from(v: &str) -> Self {
        Param::Text(Some(v.to_owned()))
    }
}
impl From<String> for Param {
    fn from(v: String) -> Self {
        Param::Text(Some(v))
    }
}
impl From<Option<String>> for Param {
    fn from(v: Option<String>) -> Self {
        Param::Text(v)
    }
}
impl From<bool> for Param {
    fn from(v: bool) -> Self {
        Param::Bool(v)
    }
}
impl From<NaiveDate> for Param {
    fn from(v: NaiveDate) -> Self {
        Param::Date(Some(v))
    }
}
impl From<Option<NaiveDate>> for Param {
    fn from(v: Option<NaiveDate>) -> Self {
        Param::Date(v)
    }
}
impl From<DateTime<Utc>> for Param {
    fn from(v: DateTime<Utc>) -> Self {
        Param::Time(Some(v))
    }
}
impl From<Option<DateTime<Utc>>> for Param {
    fn from(v: Option<DateTime<Utc>>) -> Self {
        Param::Time(v)
    }
}

/// Which database a [`Db`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A connection pool on one of the two backends.
#[derive(Debug, Clone)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// An open transaction; dropped without [`Tx::commit`] it rolls back.
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// A result row from either backend.
pub enum DbRow {
    Sqlite(SqliteRow),
    Postgres(PgRow),
}

/// A query over `$sql` with `$params` bound; `arrays` binds [`Param`] arrays (PostgreSQL),
/// `no_arrays` binds them as NULL (SQLite, where [`native`] has refused them already).
macro_rules! bind_all {
    ($sql:expr, $params:expr, $arrays:ident) => {{
        let mut q = sqlx::query($sql);
        for p in $params {
            q = match *p {
                Param::Int(v) => q.bind(*v),
                Param::Text(v) => q.bind(v.as_deref()),
                Param::Bool(v) => q.bind(*v),
                Param::Date(v) => q.bind(*v),
                Param::Time(v) => q.bind(*v),
                array => bind_array!(q, array, $arrays),
            };
        }
        q
    }};
}

macro_rules! bind_array {
    ($q:ident, $array:ident, arrays) => {
        match $array {
            Param::Ints(v) => $q.bind(v.as_slice()),
            Param::Texts(v) => $q.bind(v.as_slice()),
            Param::Bools(v) => $q.bind(v.as_slice()),
            Param::Dates(v) => $q.bind(v.as_slice()),
            Param::Times(v) => $q.bind(v.as_slice()),
            _ => $q,
        }
    };
    ($q:ident, $array:ident, no_arrays) => {{
        let _ = $array;
        $q.bind(None::<i64>)
    }};
}

/// `(version, description, SQL)` of one backend's migrations, oldest first. Applied ones are
/// never edited: a change is a new file.
type Migrations = &'static [(i64, &'static str, &'static str)];

const SQLITE_MIGRATIONS: Migrations = &[
    (
        1,
        "initial",
        include_str!("../../migrations/sqlite/0001_initial.sql"),
    ),
    (
        2,
        "triage",
        include_str!("../../migrations/sqlite/0002_triage.sql"),
    ),
    (
        3,
        "sla_configurations",
        include_str!("../../migrations/sqlite/0003_sla_configurations.sql"),
    ),
    (
        4,
        "finding_events",
        include_str!("../../migrations/sqlite/0004_finding_events.sql"),
    ),
    (
        5,
        "import_and_list",
        include_str!("../../migrations/sqlite/0005_import_and_list.sql"),
    ),
];

const POSTGRES_MIGRATIONS: Migrations = &[
    (
        1,
        "initial",
        include_str!("../../migrations/postgres/0001_initial.sql"),
    ),
    (
        2,
        "triage",
        include_str!("../../migrations/postgres/0002_triage.sql"),
    ),
    (
        3,
        "sla_configurations",
        include_str!("../../migrations/postgres/0003_sla_configurations.sql"),
    ),
    (
        4,
        "finding_events",
        include_str!("../../migrations/postgres/0004_finding_events.sql"),
    ),
    (
        5,
        "import_and_list",
        include_str!("../../migrations/postgres/0005_import_and_list.sql"),
    ),
    (
        6,
        "list_order",
        include_str!("../../migrations/postgres/0006_list_order.sql"),
    ),
];

fn migrator(migrations: Migrations) -> Migrator {
    Migrator {
        migrations: Cow::Owned(
            migrations
                .iter()
                .map(|(version, description, sql)| {
                    Migration::new(
                        *version,
                        Cow::Borrowed(*description),
                        MigrationType::Simple,
                        Cow::Borrowed(*sql),
                        false,
                    )
                })
                .collect(),
        ),
        ..Migrator::DEFAULT
    }
}

impl Db {
    /// Connects to `sqlite://PATH` (the file is created when missing) or `postgres://…`, and
    /// applies the embedded migrations of that backend.
    pub async fn connect(url: &str) -> Result<Db, HubError> {
        let db = if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(|e| HubError::Database(format!("{url}: {e}")))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(30))
                // New databases only (SQLite fixes it at creation): a finding row is 1-3 KB,
                // and 4 KiB pages hold one such row each with the rest of the page unused.
                .page_size(16384)
                // SQLite's default page cache (2 MB) makes a large import re-read the pages it
                // just wrote from the WAL with a syscall each; 64 MiB per connection at most
                // (it grows only as pages are used). Reads of the main file go through mmap.
                .pragma("cache_size", "-65536")
                .pragma("mmap_size", "1073741824")
                .pragma("temp_store", "memory");
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(options)
                .await
                .map_err(|e| HubError::Database(format!("{url}: {e}")))?;
            migrator(SQLITE_MIGRATIONS)
                .run(&pool)
                .await
                .map_err(|e| HubError::Database(format!("migrating {url}: {e}")))?;
            Db::Sqlite(pool)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let options = PgConnectOptions::from_str(url)
                .map_err(|e| HubError::Database(format!("{}: {e}", redact(url))))?
                // The hub's queries are short: JIT compilation (on by default for plans over
                // 100,000 cost units, e.g. a count over a million findings) costs tens of
                // milliseconds and saves less.
                .options([("jit", "off")]);
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .connect_with(options)
                .await
                .map_err(|e| HubError::Database(format!("{}: {e}", redact(url))))?;
            migrator(POSTGRES_MIGRATIONS)
                .run(&pool)
                .await
                .map_err(|e| HubError::Database(format!("migrating {}: {e}", redact(url))))?;
            Db::Postgres(pool)
        } else {
            return Err(HubError::Database(format!(
                "`{}` is not a database URL: use sqlite://PATH or postgres://USER@HOST:PORT/DB",
                redact(url)
            )));
        };
        Ok(db)
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Begins a write transaction (SQLite: `BEGIN IMMEDIATE`, so concurrent writers queue on
    /// the busy timeout instead of failing on a lock upgrade).
    pub async fn begin(&self) -> Result<Tx, HubError> {
        Ok(match self {
            Db::Sqlite(pool) => Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// A read outside any explicit transaction.
    pub async fn fetch_all(&self, sql: &str, params: &[Param]) -> Result<Vec<DbRow>, HubError> {
        let (sql, params) = native(self.backend(), sql, params)?;
        let params = &params;
        Ok(match self {
            Db::Sqlite(pool) => bind_all!(&*sql, params, no_arrays)
                .fetch_all(pool)
                .await?
                .into_iter()
                .map(DbRow::Sqlite)
                .collect(),
            Db::Postgres(pool) => bind_all!(&*sql, params, arrays)
                .fetch_all(pool)
                .await?
                .into_iter()
                .map(DbRow::Postgres)
                .collect(),
        })
    }

    pub async fn execute(&self, sql: &str, params: &[Param]) -> Result<u64, HubError> {
        let (sql, params) = native(self.backend(), sql, params)?;
        let params = &params;
        Ok(match self {
            Db::Sqlite(pool) => bind_all!(&*sql, params, no_arrays)
                .execute(pool)
                .await?
                .rows_affected(),
            Db::Postgres(pool) => bind_all!(&*sql, params, arrays)
                .execute(pool)
                .await?
                .rows_affected(),
        })
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite(pool) => pool.close().await,
            Db::Postgres(pool) => pool.close().await,
        }
    }
}

impl Tx {
    pub fn backend(&self) -> Backend {
        match self {
            Tx::Sqlite(_) => Backend::Sqlite,
            Tx::Postgres(_) => Backend::Postgres,
        }
    }

    pub async fn execute(&mut self, sql: &str, params: &[Param]) -> Result<u64, HubError> {
        let (sql, params) = native(self.backend(), sql, params)?;
        let params = &params;
        Ok(match self {
            Tx::Sqlite(tx) => bind_all!(&*sql, params, no_arrays)
                .execute(&mut **tx)
                .await?
                .rows_affected(),
            Tx::Postgres(tx) => bind_all!(&*sql, params, arrays)
                .execute(&mut **tx)
                .await?
                .rows_affected(),
        })
    }

    pub async fn fetch_all(&mut self, sql: &str, params: &[Param]) -> Result<Vec<DbRow>, HubError> {
        let (sql, params) = native(self.backend(), sql, params)?;
        let params = &params;
        Ok(match self {
            Tx::Sqlite(tx) => bind_all!(&*sql, params, no_arrays)
                .fetch_all(&mut **tx)
                .await?
                .into_iter()
                .map(DbRow::Sqlite)
                .collect(),
            Tx::Postgres(tx) => bind_all!(&*sql, params, arrays)
                .fetch_all(&mut **tx)
                .await?
                .into_iter()
                .map(DbRow::Postgres)
                .collect(),
        })
    }

    pub async fn fetch_optional(
        &mut self,
        sql: &str,
        params: &[Param],
    ) -> Result<Option<DbRow>, HubError> {
        Ok(self.fetch_all(sql, params).await?.into_iter().next())
    }

    /// Serializes transactions that touch the same `key` until commit or rollback.
    /// PostgreSQL: a transaction-scoped advisory lock. SQLite: nothing to do, every write
    /// transaction already holds the database's one write lock (`BEGIN IMMEDIATE`).
    pub async fn lock(&mut self, key: &str) -> Result<(), HubError> {
        if self.backend() == Backend::Postgres {
            self.execute("SELECT pg_advisory_xact_lock(hashtext($1))", &[key.into()])
                .await?;
        }
        Ok(())
    }

    /// Runs an `INSERT … RETURNING id` and returns the id.
    pub async fn insert_id(&mut self, sql: &str, params: &[Param]) -> Result<i64, HubError> {
        match self.fetch_optional(sql, params).await? {
            Some(row) => row.i64("id"),
            None => Err(HubError::Database(format!("no id returned by `{sql}`"))),
        }
    }

    pub async fn commit(self) -> Result<(), HubError> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await?,
            Tx::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }
}

macro_rules! getter {
    ($name:ident, $ty:ty) => {
        pub fn $name(&self, column: &str) -> Result<$ty, HubError> {
            Ok(match self {
                DbRow::Sqlite(row) => row.try_get::<$ty, _>(column)?,
                DbRow::Postgres(row) => row.try_get::<$ty, _>(column)?,
            })
        }
    };
}

impl DbRow {
    getter!(i64, i64);
    getter!(opt_i64, Option<i64>);
    getter!(text, String);
    getter!(opt_text, Option<String>);
    getter!(bool, bool);
    getter!(date, NaiveDate);
    getter!(opt_date, Option<NaiveDate>);
    getter!(time, DateTime<Utc>);
    getter!(opt_time, Option<DateTime<Utc>>);
}

/// A database URL without its password, for error messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// The SQL and parameters as the backend wants them. PostgreSQL takes `$N` as written. SQLite
/// gets anonymous `?` placeholders with the parameters reordered (and repeated) to match: it
/// treats `$N`/`?N` as named parameters, and sqlx looks each name up with a linear scan, which
/// makes a 500-row insert quadratic.
fn native<'a>(
    backend: Backend,
    sql: &'a str,
    params: &'a [Param],
) -> Result<(Cow<'a, str>, Vec<&'a Param>), HubError> {
    if backend == Backend::Postgres {
        return Ok((Cow::Borrowed(sql), params.iter().collect()));
    }
    if params.iter().any(Param::is_array) {
        return Err(HubError::Database(format!(
            "array parameters are PostgreSQL-only: `{sql}`"
        )));
    }
    let mut out = String::with_capacity(sql.len());
    let mut ordered = Vec::with_capacity(params.len());
    let mut rest = sql;
    while let Some(at) = rest.find('$') {
        let (before, tail) = rest.split_at(at);
        out.push_str(before);
        let digits = tail[1..].bytes().take_while(u8::is_ascii_digit).count();
        match tail[1..1 + digits]
            .parse::<usize>()
            .ok()
            .and_then(|n| params.get(n.wrapping_sub(1)))
        {
            Some(param) => {
                out.push('?');
                ordered.push(param);
            }
            None => out.push_str(&tail[..1 + digits]),
        }
        rest = &tail[1 + digits..];
    }
    out.push_str(rest);
    Ok((Cow::Owned(out), ordered))
}

/// Values one `IN` list of [`in_ids`]/[`in_texts`] takes: PostgreSQL binds them as one array.
pub fn in_chunk(backend: Backend) -> usize {
    match backend {
        Backend::Postgres => 20_000,
        Backend::Sqlite => 2000,
    }
}

/// `IN (…)` over `ids` as the backend takes it best, parameters numbered from `first`:
/// PostgreSQL `= ANY($first)` with one array, SQLite a placeholder per value.
pub fn in_ids(backend: Backend, first: usize, ids: &[i64]) -> (String, Vec<Param>) {
    match backend {
        Backend::Postgres => (
            format!("= ANY(${first})"),
            vec![Param::Ints(ids.iter().map(|id| Some(*id)).collect())],
        ),
        Backend::Sqlite => (
            format!("IN ({})", placeholders(first, ids.len())),
            ids.iter().map(|id| Param::from(*id)).collect(),
        ),
    }
}

/// [`in_ids`] for text values.
pub fn in_texts(backend: Backend, first: usize, values: &[String]) -> (String, Vec<Param>) {
    match backend {
        Backend::Postgres => (
            format!("= ANY(${first})"),
            vec![Param::Texts(values.iter().cloned().map(Some).collect())],
        ),
        Backend::Sqlite => (
            format!("IN ({})", placeholders(first, values.len())),
            values.iter().map(|v| Param::from(v.as_str())).collect(),
        ),
    }
}

/// `$first, $first+1, …` placeholders for an `IN (…)` list of `n` values.
pub fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(",")
}
