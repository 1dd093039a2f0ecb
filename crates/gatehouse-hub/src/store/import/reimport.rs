//! `reimport-scan`: the report is matched against one test's findings (DefectDojo: by the
//! test's algorithm, tool id and/or hash_code; then, for what found nothing, by the
//! [line-free key](super::line_free), so moved code and version bumps are not new findings);
//! matched findings are left alone, reactivated or closed, unmatched report items are created,
//! absent findings closed. Triage decisions (false positive, out of scope, risk accepted) are
//! never undone by a scanner.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde_json::json;

use super::insert::dedupe_and_insert;
use super::line_free;
use super::{
    FLAG_COLUMNS, ImportOutcome, ImportRequest, close, flags_of, import_into, mitigated_at,
    test_stats,
};
use crate::HubError;
use crate::dedupe::{self, Algorithm};
use crate::prepare::NewFinding;
use crate::stats::{Delta, Flags, Stats};
use crate::store::context;
use crate::store::db::{Param, Tx};
use crate::store::history;
use crate::store::write;

/// A stored finding of the test being reimported.
struct Existing {
    id: i64,
    severity: String,
    hash_code: String,
    unique_id_from_tool: Option<String>,
    service: Option<String>,
    flags: Flags,
}

/// What a reimport does to a stored finding.
#[derive(Clone, Copy, PartialEq)]
enum Action {
    Untouched,
    Reactivated,
    Closed,
}

/// The exact pass: per report row, the stored finding its tool id or `hash_code` (per the
/// algorithm) names; and the rows that name none and are not a repeat of an earlier such row
/// (`misses`, each to be matched line-free or created). Pure.
struct Exact {
    hits: Vec<Option<usize>>,
    misses: Vec<usize>,
}

fn exact(existing: &[Existing], rows: &[NewFinding], algorithm: Algorithm) -> Exact {
    let mut by_hash: HashMap<&str, usize> = HashMap::new();
    let mut by_uid: HashMap<&str, usize> = HashMap::new();
    for (i, e) in existing.iter().enumerate() {
        by_hash.entry(e.hash_code.as_str()).or_insert(i);
        if let Some(uid) = &e.unique_id_from_tool {
            by_uid.entry(uid.as_str()).or_insert(i);
        }
    }
    let mut missed_hash: HashSet<&str> = HashSet::new();
    let mut missed_uid: HashSet<&str> = HashSet::new();
    let mut hits = Vec::with_capacity(rows.len());
    let mut misses = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let uid = row
            .unique_id_from_tool
            .as_deref()
            .filter(|_| algorithm.uses_uid());
        let hash = algorithm.uses_hash().then_some(row.hash_code.as_str());
        let hit = uid
            .and_then(|u| by_uid.get(u))
            .or_else(|| hash.and_then(|h| by_hash.get(h)))
            .copied();
        hits.push(hit);
        if hit.is_some() {
            continue;
        }
        // Internal duplicates of an item without a stored match collapse onto the first.
        let repeat = uid.is_some_and(|u| missed_uid.contains(u))
            || hash.is_some_and(|h| missed_hash.contains(h));
        if !repeat {
            misses.push(r);
            missed_hash.insert(row.hash_code.as_str());
            if let Some(uid) = row.unique_id_from_tool.as_deref() {
                missed_uid.insert(uid);
            }
        }
    }
    Exact { hits, misses }
}

/// The decided reimport: the action for each stored finding it touches (by index), the report
/// items to create, and the stored findings that moved (index, the row now describing them).
struct Plan<'a> {
    actions: HashMap<usize, Action>,
    to_create: Vec<&'a NewFinding>,
    moved: Vec<(usize, &'a NewFinding)>,
}

/// What a matched report row does to stored finding `e`.
fn action_for(e: &Existing, row: &NewFinding, req: &ImportRequest) -> Action {
    let f = e.flags;
    if f.false_p || f.out_of_scope || f.risk_accepted {
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
    }
}

/// Matches report `rows` against the test's `existing` findings: exact hits first, then the
/// misses paired line-free (`moved`: miss row → existing index), the rest created; absent
/// findings closed when `close_old_findings`. Pure.
fn plan<'a>(
    existing: &[Existing],
    rows: &'a [NewFinding],
    exact: &Exact,
    moved: &HashMap<usize, usize>,
    req: &ImportRequest,
) -> Plan<'a> {
    let mut plan = Plan {
        actions: HashMap::new(),
        to_create: Vec::new(),
        moved: Vec::new(),
    };
    for (row, hit) in rows.iter().zip(&exact.hits) {
        if let (Some(i), Some(e)) = (hit, hit.and_then(|i| existing.get(i))) {
            plan.actions
                .entry(*i)
                .or_insert_with(|| action_for(e, row, req));
        }
    }
    for r in &exact.misses {
        let Some(row) = rows.get(*r) else { continue };
        match moved.get(r).and_then(|i| existing.get(*i).map(|e| (*i, e))) {
            Some((i, e)) if !plan.actions.contains_key(&i) => {
                plan.actions.insert(i, action_for(e, row, req));
                plan.moved.push((i, row));
            }
            _ => plan.to_create.push(row),
        }
    }
    if req.close_old_findings {
        for (i, e) in existing.iter().enumerate() {
            if !plan.actions.contains_key(&i)
                && !e.flags.is_mitigated
                && e.service == req.overrides.service
            {
                plan.actions.insert(i, Action::Closed);
            }
        }
    }
    plan
}

/// Pairs the exact pass's misses with the stored findings nobody hit, by line-free key
/// (loaded only when both exist): miss row → existing index.
async fn match_line_free(
    tx: &mut Tx,
    existing: &[Existing],
    rows: &[NewFinding],
    exact: &Exact,
) -> Result<HashMap<usize, usize>, HubError> {
    if exact.misses.is_empty() {
        return Ok(HashMap::new());
    }
    let hit: HashSet<usize> = exact.hits.iter().flatten().copied().collect();
    let free: Vec<i64> = existing
        .iter()
        .enumerate()
        .filter(|(i, _)| !hit.contains(i))
        .map(|(_, e)| e.id)
        .collect();
    if free.is_empty() {
        return Ok(HashMap::new());
    }
    let candidates = line_free::by_ids(tx, &free).await?;
    let misses: Vec<(usize, String, Option<i64>)> = exact
        .misses
        .iter()
        .filter_map(|r| {
            rows.get(*r)
                .map(|row| (*r, line_free::row_key(row), row.line))
        })
        .collect();
    let index: HashMap<i64, usize> = existing
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id, i))
        .collect();
    Ok(line_free::pair(&candidates, &misses)
        .into_iter()
        .filter_map(|(r, c)| {
            let id = candidates.get(c)?.id;
            Some((r, *index.get(&id)?))
        })
        .collect())
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
    let exact = exact(&existing, rows, algorithm);
    let moved = match_line_free(tx, &existing, rows, &exact).await?;
    let Plan {
        actions,
        to_create,
        moved,
    } = plan(&existing, rows, &exact, &moved, req);
    let moves: Vec<(i64, &NewFinding)> = moved
        .iter()
        .filter_map(|(i, row)| existing.get(*i).map(|e| (e.id, *row)))
        .collect();
    line_free::move_to(tx, &moves, now).await?;
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
    let mut created = dedupe_and_insert(tx, &ctx, test_id, &req.scan_type, &to_create, now).await?;
    line_free::dedupe_import(tx, &ctx, test_id, &req.scan_type, &to_create, &mut created).await?;
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

    // DefectDojo replaces the test's tags only when the reimport sends some.
    let mut meta = "updated = $1".to_owned();
    let mut params: Vec<Param> = vec![now.into()];
    if !req.tags.is_empty() {
        params.push(serde_json::to_string(&req.tags).unwrap_or_default().into());
        meta.push_str(&format!(", tags = ${}", params.len()));
    }
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
            "moved": moves.len(),
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
