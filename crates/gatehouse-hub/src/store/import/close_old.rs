//! Import's `close_old_findings`: what an earlier test of the same scan type reported and the
//! new report no longer does is closed (and loses its risk acceptance, as in DefectDojo).

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use super::{ImportRequest, close, mitigated_at};
use crate::HubError;
use crate::dedupe;
use crate::prepare::NewFinding;
use crate::store::context::Context;
use crate::store::db::Tx;
use crate::store::write;

/// Import's `close_old_findings`: open findings of the same scan type in the engagement (or
/// product) whose identity is absent from the new report. `moved`: findings the report has at
/// another line or version (the line-free dedupe found them), kept open.
pub(crate) async fn close_old_on_import(
    tx: &mut Tx,
    req: &ImportRequest,
    ctx: &Context,
    test_id: i64,
    rows: &[NewFinding],
    moved: &[i64],
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
    let present_hash: HashSet<&str> = rows.iter().map(|r| r.hash_code.as_str()).collect();
    let present_uid: HashSet<&str> = rows
        .iter()
        .filter_map(|r| r.unique_id_from_tool.as_deref())
        .collect();
    let moved: HashSet<i64> = moved.iter().copied().collect();
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
        let id = r.i64("id")?;
        if !by_hash && !by_uid && !moved.contains(&id) {
            to_close.push(id);
        }
    }
    close(tx, &to_close, mitigated_at(req, now), now).await?;
    write::update_ids(tx, "risk_accepted = $1", &[false.into()], &to_close).await?;
    crate::store::triage::release(tx, &to_close, now).await?;
    Ok(())
}
