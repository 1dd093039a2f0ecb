//! Import and reimport, each one transaction: resolve the target, dedupe, bulk insert, close
//! and reactivate, count. A failure anywhere rolls everything back.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::HubError;
use crate::dedupe::{self, Algorithm};
use crate::prepare::{NewFinding, Overrides};
use crate::stats::{Delta, Flags, Stats};
use crate::store::context::{self, Context, Target};
use crate::store::db::{DbRow, Param, Tx};
use crate::store::history;
use crate::store::write::{self, Insert};

/// Everything an import or reimport request asks for besides the report itself.
#[derive(Debug, Clone, Default)]
pub struct ImportRequest {
    pub scan_type: String,
    pub target: Target,
    /// Reimport: the test to reimport into.
    pub test_id: Option<i64>,
    pub test_title: Option<String>,
    pub close_old_findings: bool,
    pub close_old_findings_product_scope: bool,
    pub do_not_reactivate: bool,
    pub tags: Vec<String>,
    pub version: Option<String>,
    pub build_id: Option<String>,
    pub commit_hash: Option<String>,
    pub branch_tag: Option<String>,
    pub overrides: Overrides,
    /// Who asked (the token's user), for the audit log.
    pub user: String,
}

/// What an import did, in DefectDojo's terms.
#[derive(Debug, Clone)]
pub struct ImportOutcome {
    pub test_id: i64,
    pub engagement_id: i64,
    pub product_id: i64,
    pub product_type_id: i64,
    /// `{"after": …}` for an import, `{"before", "delta", "after"}` for a reimport.
    pub statistics: Value,
}

/// Where a new finding's original is.
#[derive(Clone, Copy)]
enum Original {
    Stored(i64),
    Batch(i64),
}

/// A stored finding of the test being reimported.
struct Existing {
    id: i64,
    severity: String,
    hash_code: String,
    unique_id_from_tool: Option<String>,
    service: Option<String>,
    flags: Flags,
}

const FLAG_COLUMNS: &str =
    "active, verified, duplicate, false_p, out_of_scope, is_mitigated, risk_accepted";

fn flags_of(row: &DbRow) -> Result<Flags, HubError> {
    Ok(Flags {
        active: row.bool("active")?,
        verified: row.bool("verified")?,
        duplicate: row.bool("duplicate")?,
        false_p: row.bool("false_p")?,
        out_of_scope: row.bool("out_of_scope")?,
        is_mitigated: row.bool("is_mitigated")?,
        risk_accepted: row.bool("risk_accepted")?,
    })
}

/// Counts over all findings of a test.
pub async fn test_stats(tx: &mut Tx, test_id: i64) -> Result<Stats, HubError> {
    let sql = format!(
        "SELECT severity, {FLAG_COLUMNS}, COUNT(*) AS n FROM findings WHERE test_id = $1 \
         GROUP BY severity, {FLAG_COLUMNS}"
    );
    let mut stats = Stats::default();
    for row in tx.fetch_all(&sql, &[test_id.into()]).await? {
        stats.add(&row.text("severity")?, flags_of(&row)?, row.i64("n")?);
    }
    Ok(stats)
}

async fn create_test(
    tx: &mut Tx,
    req: &ImportRequest,
    ctx: &Context,
    now: DateTime<Utc>,
) -> Result<i64, HubError> {
    tx.insert_id(
        "INSERT INTO tests (engagement_id, scan_type, title, version, build_id, commit_hash, \
         branch_tag, tags, target_start, created, updated) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
        &[
            ctx.engagement_id.into(),
            req.scan_type.as_str().into(),
            req.test_title.clone().into(),
            req.version.clone().into(),
            req.build_id.clone().into(),
            req.commit_hash.clone().into(),
            req.branch_tag.clone().into(),
            serde_json::to_string(&req.tags).unwrap_or_default().into(),
            req.overrides
                .scan_date
                .unwrap_or_else(|| now.date_naive())
                .into(),
            now.into(),
        ],
    )
    .await
}

/// Marks duplicates against the dedupe scope and inside the batch, then inserts originals
/// and duplicates in bulk. Returns the new ids by report position, and which are duplicates.
async fn dedupe_and_insert(
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

fn mitigated_at(req: &ImportRequest, now: DateTime<Utc>) -> DateTime<Utc> {
    req.overrides
        .scan_date
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map_or(now, |d| d.and_utc())
}

async fn close(
    tx: &mut Tx,
    ids: &[i64],
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), HubError> {
    history::record(tx, "closed", ids, ("active", "FALSE"), now).await?;
    write::update_ids(
        tx,
        "active = $1, is_mitigated = $2, mitigated = $3, updated = $4",
        &[false.into(), true.into(), at.into(), now.into()],
        ids,
    )
    .await?;
    Ok(())
}

/// `import-scan`: a new test with every report item, deduplicated, in one transaction.
pub async fn import(
    tx: &mut Tx,
    req: &ImportRequest,
    rows: &[NewFinding],
    now: DateTime<Utc>,
) -> Result<ImportOutcome, HubError> {
    let ctx = context::resolve(tx, &req.target, now).await?;
    import_into(tx, req, &ctx, rows, now).await
}

async fn import_into(
    tx: &mut Tx,
    req: &ImportRequest,
    ctx: &Context,
    rows: &[NewFinding],
    now: DateTime<Utc>,
) -> Result<ImportOutcome, HubError> {
    let test_id = create_test(tx, req, ctx, now).await?;
    let refs: Vec<&NewFinding> = rows.iter().collect();
    dedupe_and_insert(tx, ctx, test_id, &req.scan_type, &refs, now).await?;
    if req.close_old_findings {
        close_old_on_import(tx, req, ctx, test_id, rows, now).await?;
    }
    let after = test_stats(tx, test_id).await?;
    write::audit(
        tx,
        &req.user,
        "import",
        ("test", test_id),
        json!({"scan_type": req.scan_type, "findings": rows.len()}),
        now,
    )
    .await?;
    Ok(ImportOutcome {
        test_id,
        engagement_id: ctx.engagement_id,
        product_id: ctx.product_id,
        product_type_id: ctx.product_type_id,
        statistics: json!({ "after": after.to_json() }),
    })
}

/// Import's `close_old_findings`: open findings of the same scan type in the engagement (or
/// product) whose identity is absent from the new report.
async fn close_old_on_import(
    tx: &mut Tx,
    req: &ImportRequest,
    ctx: &Context,
    test_id: i64,
    rows: &[NewFinding],
    now: DateTime<Utc>,
) -> Result<(), HubError> {
    let algorithm = dedupe::algorithm(&req.scan_type);
    let (scope, scope_id) = if req.close_old_findings_product_scope {
        ("product_id", ctx.product_id)
    } else {
        ("engagement_id", ctx.engagement_id)
    };
    let sql = format!(
        "SELECT id, hash_code, unique_id_from_tool, service FROM findings WHERE {scope} = $1 \
         AND scan_type = $2 AND test_id <> $3 AND (active OR risk_accepted) AND NOT is_mitigated"
    );
    let present_hash: std::collections::HashSet<&str> =
        rows.iter().map(|r| r.hash_code.as_str()).collect();
    let present_uid: std::collections::HashSet<&str> = rows
        .iter()
        .filter_map(|r| r.unique_id_from_tool.as_deref())
        .collect();
    let mut to_close = Vec::new();
    for r in tx
        .fetch_all(
            &sql,
            &[
                scope_id.into(),
                req.scan_type.as_str().into(),
                test_id.into(),
            ],
        )
        .await?
    {
        if r.opt_text("service")? != req.overrides.service {
            continue;
        }
        let hash = r.text("hash_code")?;
        let uid = r.opt_text("unique_id_from_tool")?;
        let by_hash = algorithm.uses_hash() && present_hash.contains(hash.as_str());
        let by_uid =
            algorithm.uses_uid() && uid.as_deref().is_some_and(|u| present_uid.contains(u));
        if !by_hash && !by_uid {
            to_close.push(r.i64("id")?);
        }
    }
    close(tx, &to_close, mitigated_at(req, now), now).await?;
    write::update_ids(tx, "risk_accepted = $1", &[false.into()], &to_close).await?;
    crate::store::triage::release(tx, &to_close, now).await?;
    Ok(())
}

/// `reimport-scan`: match the report against one test's findings; create, reactivate, close.
pub async fn reimport(
    tx: &mut Tx,
    req: &ImportRequest,
    rows: &[NewFinding],
    now: DateTime<Utc>,
) -> Result<ImportOutcome, HubError> {
    let (ctx, test_id, test_scan_type) = match req.test_id {
        Some(id) => match context::of_test(tx, id).await? {
            Some((ctx, scan_type)) => (ctx, id, scan_type),
            None => return Err(HubError::context(format!("Test \"{id}\" does not exist"))),
        },
        None => {
            let ctx = context::resolve(tx, &req.target, now).await?;
            match context::last_test(
                tx,
                ctx.engagement_id,
                &req.scan_type,
                req.test_title.as_deref(),
            )
            .await?
            {
                Some(id) => (ctx, id, req.scan_type.clone()),
                None if req.target.auto_create_context => {
                    let mut as_import = req.clone();
                    as_import.close_old_findings = false;
                    return import_into(tx, &as_import, &ctx, rows, now).await;
                }
                None => {
                    let engagement = req
                        .target
                        .engagement_name
                        .clone()
                        .unwrap_or_else(|| ctx.engagement_id.to_string());
                    return Err(HubError::context(format!(
                        "Test with scan_type \"{}\" does not exist in Engagement \"{engagement}\"",
                        req.scan_type
                    )));
                }
            }
        }
    };
    // The test's own scan type decides matching (DefectDojo: the test decides the algorithm).
    let algorithm: Algorithm = dedupe::algorithm(&test_scan_type);
    let sql = format!(
        "SELECT id, severity, hash_code, unique_id_from_tool, service, {FLAG_COLUMNS} \
         FROM findings WHERE test_id = $1 ORDER BY id"
    );
    let mut existing = Vec::new();
    for r in tx.fetch_all(&sql, &[test_id.into()]).await? {
        existing.push(Existing {
            id: r.i64("id")?,
            severity: r.text("severity")?,
            hash_code: r.text("hash_code")?,
            unique_id_from_tool: r.opt_text("unique_id_from_tool")?,
            service: r.opt_text("service")?,
            flags: flags_of(&r)?,
        });
    }
    let mut before = Stats::default();
    for e in &existing {
        before.add(&e.severity, e.flags, 1);
    }

    #[derive(Clone, Copy)]
    enum Match {
        Stored(usize),
        Created,
    }
    let mut by_hash: HashMap<String, Match> = HashMap::new();
    let mut by_uid: HashMap<String, Match> = HashMap::new();
    for (i, e) in existing.iter().enumerate() {
        by_hash
            .entry(e.hash_code.clone())
            .or_insert(Match::Stored(i));
        if let Some(uid) = &e.unique_id_from_tool {
            by_uid.entry(uid.clone()).or_insert(Match::Stored(i));
        }
    }
    #[derive(Clone, Copy, PartialEq)]
    enum Action {
        Untouched,
        Reactivated,
        Closed,
    }
    let mut actions: HashMap<usize, Action> = HashMap::new();
    let mut to_create: Vec<&NewFinding> = Vec::new();
    for row in rows {
        let hit = algorithm
            .uses_uid()
            .then(|| row.unique_id_from_tool.as_ref().and_then(|u| by_uid.get(u)))
            .flatten()
            .or_else(|| {
                algorithm
                    .uses_hash()
                    .then(|| by_hash.get(&row.hash_code))
                    .flatten()
            })
            .copied();
        match hit {
            Some(Match::Stored(i)) => {
                if actions.contains_key(&i) {
                    continue;
                }
                let Some(e) = existing.get(i) else { continue };
                let f = e.flags;
                let action = if f.false_p || f.out_of_scope || f.risk_accepted {
                    // Triage decisions are never undone by a scanner.
                    Action::Untouched
                } else if f.is_mitigated {
                    if row.is_mitigated || req.do_not_reactivate {
                        Action::Untouched
                    } else {
                        Action::Reactivated
                    }
                } else if row.is_mitigated {
                    Action::Closed
                } else {
                    Action::Untouched
                };
                actions.insert(i, action);
            }
            Some(Match::Created) => {}
            None => {
                to_create.push(row);
                by_hash
                    .entry(row.hash_code.clone())
                    .or_insert(Match::Created);
                if let Some(uid) = &row.unique_id_from_tool {
                    by_uid.entry(uid.clone()).or_insert(Match::Created);
                }
            }
        }
    }
    if req.close_old_findings {
        for (i, e) in existing.iter().enumerate() {
            if !actions.contains_key(&i)
                && !e.flags.is_mitigated
                && e.service == req.overrides.service
            {
                actions.insert(i, Action::Closed);
            }
        }
    }

    let mut delta = Delta::default();
    let ids_with = |wanted: Action| -> Vec<i64> {
        let mut ids: Vec<i64> = actions
            .iter()
            .filter(|(_, a)| **a == wanted)
            .filter_map(|(i, _)| existing.get(*i).map(|e| e.id))
            .collect();
        ids.sort_unstable();
        ids
    };
    let closing = ids_with(Action::Closed);
    let reactivating = ids_with(Action::Reactivated);
    close(tx, &closing, mitigated_at(req, now), now).await?;
    let mut set =
        "active = NOT duplicate, is_mitigated = $1, mitigated = NULL, updated = $2".to_owned();
    let mut params: Vec<Param> = vec![false.into(), now.into()];
    if let Some(verified) = req.overrides.verified {
        set.push_str(", verified = $3");
        params.push(verified.into());
    }
    history::record(
        tx,
        "reactivated",
        &reactivating,
        ("active", "NOT duplicate"),
        now,
    )
    .await?;
    write::update_ids(tx, &set, &params, &reactivating).await?;
    if ctx.sla.restart_on_reactivation {
        crate::store::sla::restart(tx, &reactivating, now.date_naive()).await?;
    }
    for (i, action) in &actions {
        let Some(e) = existing.get(*i) else { continue };
        let mut f = e.flags;
        match action {
            Action::Untouched => delta.untouched.add(&e.severity, f, 1),
            Action::Closed => {
                f.active = false;
                f.is_mitigated = true;
                delta.closed.add(&e.severity, f, 1);
            }
            Action::Reactivated => {
                f.is_mitigated = false;
                f.active = !f.duplicate;
                if let Some(v) = req.overrides.verified {
                    f.verified = v;
                }
                delta.reactivated.add(&e.severity, f, 1);
            }
        }
    }
    let created = dedupe_and_insert(tx, &ctx, test_id, &req.scan_type, &to_create, now).await?;
    for row in &to_create {
        let duplicate = created.get(&row.report_pos).is_some_and(|(_, d)| *d);
        let flags = Flags {
            active: row.active && !duplicate,
            verified: row.verified && !duplicate,
            duplicate,
            false_p: row.false_p,
            is_mitigated: row.is_mitigated,
            ..Flags::default()
        };
        delta.created.add(row.severity, flags, 1);
    }

    let mut meta = "tags = $1, updated = $2".to_owned();
    let mut params: Vec<Param> = vec![
        serde_json::to_string(&req.tags).unwrap_or_default().into(),
        now.into(),
    ];
    for (column, value) in [
        ("version", &req.version),
        ("build_id", &req.build_id),
        ("commit_hash", &req.commit_hash),
        ("branch_tag", &req.branch_tag),
    ] {
        if let Some(value) = value {
            params.push(value.as_str().into());
            meta.push_str(&format!(", {column} = ${}", params.len()));
        }
    }
    params.push(test_id.into());
    tx.execute(
        &format!("UPDATE tests SET {meta} WHERE id = ${}", params.len()),
        &params,
    )
    .await?;

    let after = test_stats(tx, test_id).await?;
    write::audit(
        tx,
        &req.user,
        "reimport",
        ("test", test_id),
        json!({
            "scan_type": req.scan_type,
            "created": delta.created.total(),
            "closed": delta.closed.total(),
            "reactivated": delta.reactivated.total(),
            "untouched": delta.untouched.total(),
        }),
        now,
    )
    .await?;
    Ok(ImportOutcome {
        test_id,
        engagement_id: ctx.engagement_id,
        product_id: ctx.product_id,
        product_type_id: ctx.product_type_id,
        statistics: json!({
            "before": before.to_json(),
            "delta": delta.to_json(),
            "after": after.to_json(),
        }),
    })
}
