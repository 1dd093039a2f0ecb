//! Exact `count` of list pages, cached per query while the database is unchanged.
//!
//! DefectDojo's list responses carry an exact `count`; with a million findings a `COUNT(*)`
//! reads a million index entries per request. So a count is kept per query, keyed by a version
//! of the database read before counting, and reused by a request that reads the same version:
//!
//! * PostgreSQL: `pg_current_snapshot()`. Equal snapshots see exactly the same committed
//!   transactions (an xid below `xmax` and not in progress has finished for good; xids are
//!   64-bit, never reused), and any commit anywhere changes it.
//! * SQLite: `PRAGMA data_version` on a read-only connection of its own, which changes whenever
//!   any other connection, of this process or another (`gatehouse import --database` beside
//!   `gatehouse serve`), commits.
//!
//! A commit between reading the version and counting leaves an entry whose count is newer than
//! its key: a request that still reads that old version began before the commit, and every
//! later request reads a newer version. So a reused count never misses a commit made before the
//! request began. Read-only requests (token look-ups included) change no version.

use std::collections::HashMap;
use std::str::FromStr as _;
use std::sync::{Arc, Mutex};

use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};

use crate::HubError;
use crate::store::Store;
use crate::store::db::{Db, Param};

/// Distinct queries kept; the map is emptied when it grows past this.
const MAX_ENTRIES: usize = 1024;

/// `(SQL and parameters) → (snapshot, count)`, and on SQLite the read-only connection whose
/// `data_version` is the snapshot.
#[derive(Debug, Clone, Default)]
pub struct CountCache {
    entries: Arc<Mutex<HashMap<String, (String, i64)>>>,
    sqlite_watcher: Option<SqlitePool>,
}

impl CountCache {
    /// A cache for the database at `url`: on SQLite with the watching connection, opened on the
    /// first list (a one-shot `gatehouse import` never opens it; an in-memory database cannot be
    /// watched from another connection and is not cached).
    pub fn for_url(url: &str) -> Result<CountCache, HubError> {
        let mut cache = CountCache::default();
        if url.starts_with("sqlite:") && !url.contains(":memory:") && !url.contains("mode=memory") {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(|e| HubError::Database(format!("{url}: {e}")))?
                .read_only(true);
            let pool = SqlitePoolOptions::new()
                .max_connections(1)
                .connect_lazy_with(options);
            cache.sqlite_watcher = Some(pool);
        }
        Ok(cache)
    }

    fn get(&self, key: &str, snapshot: &str) -> Option<i64> {
        let map = self.entries.lock().ok()?;
        map.get(key)
            .filter(|(seen, _)| seen == snapshot)
            .map(|(_, n)| *n)
    }

    fn put(&self, key: String, snapshot: String, count: i64) {
        if let Ok(mut map) = self.entries.lock() {
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
            map.insert(key, (snapshot, count));
        }
    }
}

impl Store {
    /// `SELECT COUNT(*) FROM {table}{clause}` with `params`.
    pub(crate) async fn count(
        &self,
        table: &str,
        clause: &str,
        params: &[Param],
    ) -> Result<i64, HubError> {
        let count_sql = format!("SELECT COUNT(*) AS n FROM {table}{clause}");
        // The version is read before counting: a commit in between gives the entry a count newer
        // than its key, which no later request (seeing a newer version) reuses.
        let Some(version) = self.data_version().await? else {
            return first_i64(self.db().fetch_all(&count_sql, params).await?, "n");
        };
        let key = format!("{count_sql} {params:?}");
        if let Some(n) = self.counts.get(&key, &version) {
            return Ok(n);
        }
        let n = first_i64(self.db().fetch_all(&count_sql, params).await?, "n")?;
        self.counts.put(key, version, n);
        Ok(n)
    }

    /// What changes with every commit: PostgreSQL's snapshot, SQLite's `data_version` on the
    /// watcher connection (`None` for a database that cannot be watched).
    async fn data_version(&self) -> Result<Option<String>, HubError> {
        if matches!(self.db(), Db::Postgres(_)) {
            let rows = self
                .db()
                .fetch_all("SELECT pg_current_snapshot()::text AS s", &[])
                .await?;
            return rows.first().map(|r| r.text("s")).transpose();
        }
        let Some(watcher) = &self.counts.sqlite_watcher else {
            return Ok(None);
        };
        let version: i64 = sqlx::query_scalar("PRAGMA data_version")
            .fetch_one(watcher)
            .await
            .map_err(|e| HubError::Database(format!("PRAGMA data_version: {e}")))?;
        Ok(Some(version.to_string()))
    }
}

fn first_i64(rows: Vec<crate::store::db::DbRow>, column: &str) -> Result<i64, HubError> {
    rows.first()
        .map(|r| r.i64(column))
        .transpose()
        .map(|n| n.unwrap_or(0))
}
