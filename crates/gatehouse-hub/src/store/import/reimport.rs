//! `reimport-scan`: the report is matched against one test's findings (DefectDojo: by the
//! test's algorithm, tool id and/or hash_code); matched findings are left alone, reactivated
//! or closed, unmatched report items are created, absent findings closed. Triage decisions
//! (false positive, out of scope, risk accepted) are never undone by a scanner.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::json;

use super::insert::dedupe_and_insert;
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

/// Where a report item's match is.
#[derive(Clone, Copy)]
enum Match {
    Stored(usize),
    Created,
}

/// What a reimport does to a stored finding.
#[derive(Clone, Copy, PartialEq)]
enum Action {
    Untouched,
    Reactivated,
    Closed,
}

/// Matches report `rows` against the test's `existing` findings: the action for each stored
/// finding the reimport touches (by index) and the report items to create. Pure.
fn plan<'a>(
    existing: &[Existing],
    rows: &'a [NewFinding],
    algorithm: Algorithm,
    req: &ImportRequest,
) -> (HashMap<usize, Action>, Vec<&'a NewFinding>) {
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
    (actions, to_create)
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
    let (actions, to_create) = plan(&existing, rows, algorithm, req);
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
