//! Import and reimport, each one transaction: resolve the target, dedupe, bulk insert, close
//! and reactivate, count. A failure anywhere rolls everything back.
//!
//! * [`insert`]: dedupe against the product (or engagement) and bulk insert;
//! * [`line_free`]: the fallback match of both for findings that moved or changed version;
//! * [`close_old`]: import's `close_old_findings`;
//! * [`reimport`]: matching a report against one test's findings.

mod close_old;
mod insert;
mod line_free;
mod reimport;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::HubError;
use crate::prepare::{NewFinding, Overrides};
use crate::stats::{Flags, Stats};
use crate::store::context::{self, Context, Target};
use crate::store::db::{DbRow, Tx};
use crate::store::history;
use crate::store::write;
pub use reimport::reimport;

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

pub(crate) const FLAG_COLUMNS: &str =
    "active, verified, duplicate, false_p, out_of_scope, is_mitigated, risk_accepted";

pub(crate) fn flags_of(row: &DbRow) -> Result<Flags, HubError> {
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

pub(crate) fn mitigated_at(req: &ImportRequest, now: DateTime<Utc>) -> DateTime<Utc> {
    req.overrides
        .scan_date
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map_or(now, |d| d.and_utc())
}

pub(crate) async fn close(
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

pub(crate) async fn import_into(
    tx: &mut Tx,
    req: &ImportRequest,
    ctx: &Context,
    rows: &[NewFinding],
    now: DateTime<Utc>,
) -> Result<ImportOutcome, HubError> {
    let test_id = create_test(tx, req, ctx, now).await?;
    let refs: Vec<&NewFinding> = rows.iter().collect();
    let mut inserted =
        insert::dedupe_and_insert(tx, ctx, test_id, &req.scan_type, &refs, now).await?;
    let moved =
        line_free::dedupe_import(tx, ctx, test_id, &req.scan_type, &refs, &mut inserted).await?;
    if req.close_old_findings {
        close_old::close_old_on_import(tx, req, ctx, test_id, rows, &moved, now).await?;
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
