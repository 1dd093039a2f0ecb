//! Bulk writes inside an import's transaction: multi-row `INSERT`s in chunks, `UPDATE … WHERE
//! id IN (…)` in chunks, the dedupe candidate look-ups.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::HubError;
use crate::prepare::{NewFinding, numerical_severity};
use crate::store::context::Context;
use crate::store::db::{Backend, Param, Tx, in_chunk, in_ids, in_texts, placeholders};

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
    if tx.backend() == Backend::Postgres {
        return insert_findings_unnest(tx, ctx, test_id, scan_type, rows, now).await;
    }
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

/// Rows per PostgreSQL `UNNEST` statement (one array parameter per column).
const ROWS_PER_UNNEST: usize = 10_000;

/// PostgreSQL: [`insert_findings`] as `INSERT … SELECT … FROM UNNEST($n::type[], …)`, one
/// array per column and one statement per 10,000 rows, instead of 40 parameters per row
/// (the statement is parsed and planned once, values travel in binary). `ORDER BY` the
/// ordinality keeps ids in report order, as the multi-row `VALUES` gives them.
async fn insert_findings_unnest(
    tx: &mut Tx,
    ctx: &Context,
    test_id: i64,
    scan_type: &str,
    rows: &[Insert<'_>],
    now: DateTime<Utc>,
) -> Result<HashMap<i64, i64>, HubError> {
    const ARRAYS: &[(&str, &str)] = &[
        ("report_pos", "bigint"),
        ("title", "text"),
        ("description", "text"),
        ("severity", "text"),
        ("numerical_severity", "bigint"),
        ("date", "date"),
        ("sla_expiration_date", "date"),
        ("file_path", "text"),
        ("line", "bigint"),
        ("component_name", "text"),
        ("component_version", "text"),
        ("vulnerability_ids", "text"),
        ("cve", "text"),
        ("cwe", "bigint"),
        ("rule_id", "text"),
        ("vuln_id_from_tool", "text"),
        ("unique_id_from_tool", "text"),
        ("hash_code", "text"),
        ("fingerprint", "text"),
        ("cross_cve_key", "text"),
        ("cross_loc_key", "text"),
        ("service", "text"),
        ("active", "boolean"),
        ("verified", "boolean"),
        ("false_p", "boolean"),
        ("risk_accepted", "boolean"),
        ("is_mitigated", "boolean"),
        ("mitigated", "timestamptz"),
        ("duplicate", "boolean"),
        ("duplicate_of", "bigint"),
        ("detail", "text"),
    ];
    let columns: Vec<&str> = ARRAYS.iter().map(|(c, _)| *c).collect();
    let unnest: Vec<String> = ARRAYS
        .iter()
        .enumerate()
        .map(|(i, (_, ty))| format!("${}::{ty}[]", i + 7))
        .collect();
    let sql = format!(
        "INSERT INTO findings (test_id, engagement_id, product_id, scan_type, sources, created, \
         updated, out_of_scope, under_review, {columns}) \
         SELECT $1, $2, $3, $4, $5, $6, $6, FALSE, FALSE, {columns} \
         FROM UNNEST({unnest}) WITH ORDINALITY AS u({columns}, ord) ORDER BY ord \
         RETURNING id, report_pos",
        columns = columns.join(", "),
        unnest = unnest.join(", "),
    );
    let sources = serde_json::to_string(&[scan_type]).unwrap_or_default();
    let mut ids = HashMap::with_capacity(rows.len());
    for chunk in rows.chunks(ROWS_PER_UNNEST) {
        let n = chunk.len();
        let mut report_pos = Vec::with_capacity(n);
        let mut title = Vec::with_capacity(n);
        let mut description = Vec::with_capacity(n);
        let mut severity = Vec::with_capacity(n);
        let mut numerical = Vec::with_capacity(n);
        let mut date = Vec::with_capacity(n);
        let mut sla = Vec::with_capacity(n);
        let mut file_path = Vec::with_capacity(n);
        let mut line = Vec::with_capacity(n);
        let mut component_name = Vec::with_capacity(n);
        let mut component_version = Vec::with_capacity(n);
        let mut vulnerability_ids = Vec::with_capacity(n);
        let mut cve = Vec::with_capacity(n);
        let mut cwe = Vec::with_capacity(n);
        let mut rule_id = Vec::with_capacity(n);
        let mut vuln_id_from_tool = Vec::with_capacity(n);
        let mut unique_id_from_tool = Vec::with_capacity(n);
        let mut hash_code = Vec::with_capacity(n);
        let mut fingerprint = Vec::with_capacity(n);
        let mut cross_cve_key = Vec::with_capacity(n);
        let mut cross_loc_key = Vec::with_capacity(n);
        let mut service = Vec::with_capacity(n);
        let mut active = Vec::with_capacity(n);
        let mut verified = Vec::with_capacity(n);
        let mut false_p = Vec::with_capacity(n);
        let mut risk_accepted = Vec::with_capacity(n);
        let mut is_mitigated = Vec::with_capacity(n);
        let mut mitigated = Vec::with_capacity(n);
        let mut duplicate = Vec::with_capacity(n);
        let mut duplicate_of = Vec::with_capacity(n);
        let mut detail = Vec::with_capacity(n);
        for row in chunk {
            let f = row.finding;
            let dup = row.duplicate_of.is_some();
            report_pos.push(Some(f.report_pos));
            title.push(Some(f.title.clone()));
            description.push(Some(f.description.clone()));
            severity.push(Some(f.severity.to_owned()));
            numerical.push(Some(numerical_severity(f.severity)));
            date.push(Some(f.date));
            // As DefectDojo: the due date stays on closed findings (see insert_findings).
            sla.push(ctx.sla.due(f.severity, f.date));
            file_path.push(f.file_path.clone());
            line.push(f.line);
            component_name.push(f.component_name.clone());
            component_version.push(f.component_version.clone());
            vulnerability_ids.push(Some(
                serde_json::to_string(&f.vulnerability_ids).unwrap_or_default(),
            ));
            cve.push(f.vulnerability_ids.first().cloned());
            cwe.push(Some(f.cwe));
            rule_id.push(Some(f.rule_id.clone()));
            vuln_id_from_tool.push(f.vuln_id_from_tool.clone());
            unique_id_from_tool.push(f.unique_id_from_tool.clone());
            hash_code.push(Some(f.hash_code.clone()));
            fingerprint.push(Some(f.fingerprint.clone()));
            cross_cve_key.push(f.cross_cve_key.clone());
            cross_loc_key.push(f.cross_loc_key.clone());
            service.push(f.service.clone());
            active.push(f.active && !dup);
            verified.push(f.verified && !dup);
            false_p.push(f.false_p);
            risk_accepted.push(f.risk_accepted);
            is_mitigated.push(f.is_mitigated);
            mitigated.push(f.is_mitigated.then_some(now));
            duplicate.push(dup);
            duplicate_of.push(row.duplicate_of);
            detail.push(Some(f.detail.clone()));
        }
        let params = vec![
            test_id.into(),
            ctx.engagement_id.into(),
            ctx.product_id.into(),
            scan_type.into(),
            sources.as_str().into(),
            now.into(),
            Param::Ints(report_pos),
            Param::Texts(title),
            Param::Texts(description),
            Param::Texts(severity),
            Param::Ints(numerical),
            Param::Dates(date),
            Param::Dates(sla),
            Param::Texts(file_path),
            Param::Ints(line),
            Param::Texts(component_name),
            Param::Texts(component_version),
            Param::Texts(vulnerability_ids),
            Param::Texts(cve),
            Param::Ints(cwe),
            Param::Texts(rule_id),
            Param::Texts(vuln_id_from_tool),
            Param::Texts(unique_id_from_tool),
            Param::Texts(hash_code),
            Param::Texts(fingerprint),
            Param::Texts(cross_cve_key),
            Param::Texts(cross_loc_key),
            Param::Texts(service),
            Param::Bools(active),
            Param::Bools(verified),
            Param::Bools(false_p),
            Param::Bools(risk_accepted),
            Param::Bools(is_mitigated),
            Param::Times(mitigated),
            Param::Bools(duplicate),
            Param::Ints(duplicate_of),
            Param::Texts(detail),
        ];
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
    for chunk in ids.chunks(in_chunk(tx.backend())) {
        let (in_list, list_params) = in_ids(tx.backend(), params.len() + 1, chunk);
        let sql = format!("UPDATE findings SET {set} WHERE id {in_list}");
        let mut all = params.to_vec();
        all.extend(list_params);
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
    for chunk in keys.chunks(in_chunk(tx.backend())) {
        let mut params = scope_params.clone();
        let mut sql = format!(
            "SELECT {column} AS k, MIN(id) AS id FROM findings WHERE {scope} \
             AND NOT duplicate AND NOT is_mitigated"
        );
        if let Some(scan_type) = same_scan_type {
            params.push(scan_type.into());
            sql.push_str(&format!(" AND scan_type = ${}", params.len()));
        }
        let (in_list, list_params) = in_texts(tx.backend(), params.len() + 1, chunk);
        sql.push_str(&format!(" AND {column} {in_list} GROUP BY {column}"));
        params.extend(list_params);
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
