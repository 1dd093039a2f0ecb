//! Bulk writes inside an import's transaction: multi-row `INSERT`s in chunks, `UPDATE … WHERE
//! id IN (…)` in chunks, the dedupe candidate look-ups.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::HubError;
use crate::prepare::{NewFinding, numerical_severity};
use crate::store::context::Context;
use crate::store::db::{Param, Tx, placeholders};

/// Rows per multi-row statement: 31 parameters each stays under SQLite's 32,766 and
/// PostgreSQL's 65,535 bind limits.
const ROWS_PER_INSERT: usize = 500;
/// Values per `IN (…)` list.
const IDS_PER_STATEMENT: usize = 2000;

const FINDING_COLUMNS: &[&str] = &[
    "test_id",
    "engagement_id",
    "product_id",
    "scan_type",
    "report_pos",
    "title",
    "description",
    "severity",
    "numerical_severity",
    "date",
    "sla_expiration_date",
    "file_path",
    "line",
    "component_name",
    "component_version",
    "vulnerability_ids",
    "cve",
    "cwe",
    "rule_id",
    "vuln_id_from_tool",
    "unique_id_from_tool",
    "hash_code",
    "fingerprint",
    "cross_cve_key",
    "cross_loc_key",
    "service",
    "active",
    "verified",
    "false_p",
    "out_of_scope",
    "risk_accepted",
    "under_review",
    "is_mitigated",
    "mitigated",
    "duplicate",
    "duplicate_of",
    "sources",
    "detail",
    "created",
    "updated",
];

/// A row to insert: the prepared finding and, when it duplicates an earlier finding, that one.
pub struct Insert<'a> {
    pub finding: &'a NewFinding,
    pub duplicate_of: Option<i64>,
}

/// Inserts findings of one test in multi-row statements; returns `(report_pos, id)` pairs.
pub async fn insert_findings(
    tx: &mut Tx,
    ctx: &Context,
    test_id: i64,
    scan_type: &str,
    rows: &[Insert<'_>],
    now: DateTime<Utc>,
) -> Result<HashMap<i64, i64>, HubError> {
    let mut ids = HashMap::with_capacity(rows.len());
    let sources = serde_json::to_string(&[scan_type]).unwrap_or_default();
    let width = FINDING_COLUMNS.len();
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let mut sql = format!(
            "INSERT INTO findings ({}) VALUES ",
            FINDING_COLUMNS.join(", ")
        );
        let mut params: Vec<Param> = Vec::with_capacity(chunk.len() * width);
        for (i, row) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(',');
            }
            sql.push('(');
            sql.push_str(&placeholders(i * width + 1, width));
            sql.push(')');
            let f = row.finding;
            let duplicate = row.duplicate_of.is_some();
            // As DefectDojo: the due date stays on closed findings (SLA age is then measured
            // to the mitigated date) and comes back into force on reactivation.
            let sla = ctx.sla.due(f.severity, f.date);
            params.extend([
                test_id.into(),
                ctx.engagement_id.into(),
                ctx.product_id.into(),
                scan_type.into(),
                f.report_pos.into(),
                f.title.clone().into(),
                f.description.clone().into(),
                f.severity.into(),
                numerical_severity(f.severity).into(),
                f.date.into(),
                sla.into(),
                f.file_path.clone().into(),
                f.line.into(),
                f.component_name.clone().into(),
                f.component_version.clone().into(),
                serde_json::to_string(&f.vulnerability_ids)
                    .unwrap_or_default()
                    .into(),
                f.vulnerability_ids.first().cloned().into(),
                f.cwe.into(),
                f.rule_id.clone().into(),
                f.vuln_id_from_tool.clone().into(),
                f.unique_id_from_tool.clone().into(),
                f.hash_code.clone().into(),
                f.fingerprint.clone().into(),
                f.cross_cve_key.clone().into(),
                f.cross_loc_key.clone().into(),
                f.service.clone().into(),
                (f.active && !duplicate).into(),
                (f.verified && !duplicate).into(),
                f.false_p.into(),
                false.into(),
                f.risk_accepted.into(),
                false.into(),
                f.is_mitigated.into(),
                Param::Time(f.is_mitigated.then_some(now)),
                duplicate.into(),
                row.duplicate_of.into(),
                sources.clone().into(),
                f.detail.clone().into(),
                now.into(),
                now.into(),
            ]);
        }
        sql.push_str(" RETURNING id, report_pos");
        for r in tx.fetch_all(&sql, &params).await? {
            ids.insert(r.i64("report_pos")?, r.i64("id")?);
        }
    }
    Ok(ids)
}

/// `UPDATE findings SET <set> WHERE id IN (…)` over `ids`, `set` using `$1..$n` of `params`.
pub async fn update_ids(
    tx: &mut Tx,
    set: &str,
    params: &[Param],
    ids: &[i64],
) -> Result<u64, HubError> {
    let mut changed = 0;
    for chunk in ids.chunks(IDS_PER_STATEMENT) {
        let sql = format!(
            "UPDATE findings SET {set} WHERE id IN ({})",
            placeholders(params.len() + 1, chunk.len())
        );
        let mut all = params.to_vec();
        all.extend(chunk.iter().map(|id| Param::from(*id)));
        changed += tx.execute(&sql, &all).await?;
    }
    Ok(changed)
}

/// Where dedupe looks for originals: the product (minus engagements that dedupe on their own),
/// or only the engagement.
pub fn scope_sql(ctx: &Context) -> (String, Vec<Param>) {
    if ctx.deduplication_on_engagement {
        (
            "engagement_id = $1".to_owned(),
            vec![ctx.engagement_id.into()],
        )
    } else {
        (
            "product_id = $1 AND engagement_id NOT IN \
             (SELECT id FROM engagements WHERE product_id = $1 AND deduplication_on_engagement)"
                .to_owned(),
            vec![ctx.product_id.into()],
        )
    }
}

/// The oldest open, non-duplicate finding per key value of `column` in the dedupe scope
/// (`same_scan_type`: only findings of that scan type, as DefectDojo does for tool ids).
pub async fn originals(
    tx: &mut Tx,
    ctx: &Context,
    column: &str,
    keys: &[String],
    same_scan_type: Option<&str>,
) -> Result<HashMap<String, i64>, HubError> {
    let mut found = HashMap::new();
    let (scope, scope_params) = scope_sql(ctx);
    for chunk in keys.chunks(IDS_PER_STATEMENT) {
        let mut params = scope_params.clone();
        let mut sql = format!(
            "SELECT {column} AS k, MIN(id) AS id FROM findings WHERE {scope} \
             AND NOT duplicate AND NOT is_mitigated"
        );
        if let Some(scan_type) = same_scan_type {
            params.push(scan_type.into());
            sql.push_str(&format!(" AND scan_type = ${}", params.len()));
        }
        sql.push_str(&format!(
            " AND {column} IN ({}) GROUP BY {column}",
            placeholders(params.len() + 1, chunk.len())
        ));
        params.extend(chunk.iter().map(|k| Param::from(k.as_str())));
        for r in tx.fetch_all(&sql, &params).await? {
            found.insert(r.text("k")?, r.i64("id")?);
        }
    }
    Ok(found)
}

/// Appends an audit record.
pub async fn audit(
    tx: &mut Tx,
    actor: &str,
    action: &str,
    object: (&str, i64),
    detail: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), HubError> {
    tx.execute(
        "INSERT INTO audit_log (at, actor, action, object_type, object_id, detail) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            now.into(),
            actor.into(),
            action.into(),
            object.0.into(),
            object.1.into(),
            detail.to_string().into(),
        ],
    )
    .await?;
    Ok(())
}

/// Appends one audit record per finding in `ids`, all with the same `detail`.
pub async fn audit_findings(
    tx: &mut Tx,
    actor: &str,
    action: &str,
    ids: &[i64],
    detail: &serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), HubError> {
    let detail = detail.to_string();
    for chunk in ids.chunks(IDS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO audit_log (at, actor, action, object_type, object_id, detail) \
             SELECT $1, $2, $3, 'finding', id, $4 FROM findings WHERE id IN ({}) ORDER BY id",
            placeholders(5, chunk.len())
        );
        let mut params: Vec<Param> = vec![
            now.into(),
            actor.into(),
            action.into(),
            detail.as_str().into(),
        ];
        params.extend(chunk.iter().map(|id| Param::from(*id)));
        tx.execute(&sql, &params).await?;
    }
    Ok(())
}
