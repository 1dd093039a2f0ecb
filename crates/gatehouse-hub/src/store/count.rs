//! Exact `count` of list pages, cached per query while the database is unchanged.
//!
//! DefectDojo's list responses carry an exact `count`; with a million findings a `COUNT(*)`
//! reads a million index entries per request. On PostgreSQL the count is computed in one
//! statement with `pg_current_snapshot()`, and reused for a request whose snapshot is the same
//! text: equal snapshots see exactly the same committed transactions (an xid below `xmax` and
//! not in progress has finished for good; xids are 64-bit, never reused), so the cached count
//! is the count that request would compute. Any commit anywhere changes the snapshot, so a
//! write invalidates every entry; read-only requests (token look-ups included) do not.
//!
//! On SQLite the version is `PRAGMA data_version` on a connection of its own that never writes:
//! it changes whenever any other connection, of this process or another (`gatehouse import
//! --database` beside `gatehouse serve`), commits. A version read before the count is computed
//! keys the entry, so a commit in between makes the entry unreachable rather than stale.

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
    /// A cache for the database at `url`: on SQLite it opens the watching connection (an
    /// in-memory database cannot be watched from another connection and is not cached).
    pub async fn for_url(url: &str) -> Result<CountCache, HubError> {
        let mut cache = CountCache::default();
        if url.starts_with("sqlite:") && !url.contains(":memory:") && !url.contains("mode=memory") {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(|e| HubError::Database(format!("{url}: {e}")))?
                .read_only(true);
            let pool = SqlitePoolOptions::new()
                .max_connections(1)
                .connect_with(options)
                .await
                .map_err(|e| HubError::Database(format!("{url}: {e}")))?;
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
        let key = format!("{count_sql} {params:?}");
        if !matches!(self.db(), Db::Postgres(_)) {
            let Some(watcher) = &self.counts.sqlite_watcher else {
                return first_i64(self.db().fetch_all(&count_sql, params).await?, "n");
            };
            let version: i64 = sqlx::query_scalar("PRAGMA data_version")
                .fetch_one(watcher)
                .await
                .map_err(|e| HubError::Database(format!("PRAGMA data_version: {e}")))?;
            let version = version.to_string();
            if let Some(n) = self.counts.get(&key, &version) {
                return Ok(n);
            }
            let n = first_i64(self.db().fetch_all(&count_sql, params).await?, "n")?;
            self.counts.put(key, version, n);
            return Ok(n);
        }
        let snapshot = self
            .db()
            .fetch_all("SELECT pg_current_snapshot()::text AS s", &[])
            .await?
            .first()
            .map(|r| r.text("s"))
            .transpose()?
            .unwrap_or_default();
        if let Some(n) = self.counts.get(&key, &snapshot) {
            return Ok(n);
        }
        let rows = self
            .db()
            .fetch_all(
                &format!("SELECT pg_current_snapshot()::text AS s, ({count_sql}) AS n"),
                params,
            )
            .await?;
        let Some(row) = rows.first() else {
            return Ok(0);
        };
        let n = row.i64("n")?;
        self.counts.put(key, row.text("s")?, n);
        Ok(n)
    }
}

fn first_i64(rows: Vec<crate::store::db::DbRow>, column: &str) -> Result<i64, HubError> {
    rows.first()
        .map(|r| r.i64(column))
        .transpose()
        .map(|n| n.unwrap_or(0))
}
