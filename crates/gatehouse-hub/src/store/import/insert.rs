//! Dedupe and bulk insert of a report's new findings: originals are looked up per identity key
//! (tool id, hash_code, cross-scanner keys) in the dedupe scope and inside the batch; every
//! item is stored, duplicates linked to their original, which lists every scanner.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::HubError;
use crate::dedupe;
use crate::prepare::NewFinding;
use crate::store::context::Context;
use crate::store::db::{Param, Tx};
use crate::store::history;
use crate::store::write::{self, Insert};

/// Where a new finding's original is.
#[derive(Clone, Copy)]
enum Original {
    Stored(i64),
    Batch(i64),
}

/// Marks duplicates against the dedupe scope and inside the batch, then inserts originals
/// and duplicates in bulk. Returns the new ids by report position, and which are duplicates.
pub(crate) async fn dedupe_and_insert(
    tx: &mut Tx,
    ctx: &Context,
    test_id: i64,
    scan_type: &str,
    rows: &[&NewFinding],
    now: DateTime<Utc>,
) -> Result<HashMap<i64, (i64, bool)>, HubError> {
    let algorithm = dedupe::algorithm(scan_type);
    type KeyOf = fn(&NewFinding) -> Option<&str>;
    let mut kinds: Vec<(&str, KeyOf, bool)> = Vec::new();
    if algorithm.uses_uid() {
        kinds.push((
            "unique_id_from_tool",
            |f| f.unique_id_from_tool.as_deref(),
            true,
        ));
    }
    if algorithm.uses_hash() {
        kinds.push(("hash_code", |f| Some(f.hash_code.as_str()), false));
    }
    kinds.push(("cross_cve_key", |f| f.cross_cve_key.as_deref(), false));
    kinds.push(("cross_loc_key", |f| f.cross_loc_key.as_deref(), false));

    let mut known: Vec<HashMap<String, Original>> = Vec::with_capacity(kinds.len());
    for (column, key_of, same_type) in &kinds {
        let mut keys: Vec<String> = rows
            .iter()
            .filter_map(|f| key_of(f).map(str::to_owned))
            .collect();
        keys.sort();
        keys.dedup();
        let stored =
            write::originals(tx, ctx, column, &keys, same_type.then_some(scan_type)).await?;
        known.push(
            stored
                .into_iter()
                .map(|(k, id)| (k, Original::Stored(id)))
                .collect(),
        );
    }

    let mut originals = Vec::new();
    let mut duplicates: Vec<(&NewFinding, Original)> = Vec::new();
    for row in rows {
        let hit = kinds
            .iter()
            .zip(&known)
            .find_map(|((_, key_of, _), map)| key_of(row).and_then(|k| map.get(k).copied()));
        match hit {
            Some(original) => duplicates.push((row, original)),
            None => {
                for ((_, key_of, _), map) in kinds.iter().zip(known.iter_mut()) {
                    if let Some(k) = key_of(row) {
                        map.entry(k.to_owned())
                            .or_insert(Original::Batch(row.report_pos));
                    }
                }
                originals.push(Insert {
                    finding: row,
                    duplicate_of: None,
                });
            }
        }
    }
    let mut ids: HashMap<i64, (i64, bool)> =
        write::insert_findings(tx, ctx, test_id, scan_type, &originals, now)
            .await?
            .into_iter()
            .map(|(pos, id)| (pos, (id, false)))
            .collect();
    let mut created: Vec<i64> = ids.values().map(|(id, _)| *id).collect();
    created.sort_unstable();
    history::record(tx, "created", &created, ("FALSE", "active"), now).await?;
    let dup_inserts: Vec<Insert<'_>> = duplicates
        .iter()
        .map(|(row, original)| Insert {
            finding: row,
            duplicate_of: match original {
                Original::Stored(id) => Some(*id),
                Original::Batch(pos) => ids.get(pos).map(|(id, _)| *id),
            },
        })
        .collect();
    let dup_ids = write::insert_findings(tx, ctx, test_id, scan_type, &dup_inserts, now).await?;
    ids.extend(dup_ids.into_iter().map(|(pos, id)| (pos, (id, true))));

    // Stored originals list every scanner that reported them.
    let mut stored: Vec<i64> = duplicates
        .iter()
        .filter_map(|(_, o)| match o {
            Original::Stored(id) => Some(*id),
            Original::Batch(_) => None,
        })
        .collect();
    stored.sort_unstable();
    stored.dedup();
    for chunk in stored.chunks(1000) {
        let sql = format!(
            "SELECT id, sources FROM findings WHERE id IN ({})",
            crate::store::db::placeholders(1, chunk.len())
        );
        let params: Vec<Param> = chunk.iter().map(|id| Param::from(*id)).collect();
        for r in tx.fetch_all(&sql, &params).await? {
            let mut sources: Vec<String> =
                serde_json::from_str(&r.text("sources")?).unwrap_or_default();
            if !sources.iter().any(|s| s == scan_type) {
                sources.push(scan_type.to_owned());
                tx.execute(
                    "UPDATE findings SET sources = $1, updated = $2 WHERE id = $3",
                    &[
                        serde_json::to_string(&sources).unwrap_or_default().into(),
                        now.into(),
                        r.i64("id")?.into(),
                    ],
                )
                .await?;
            }
        }
    }
    Ok(ids)
}
