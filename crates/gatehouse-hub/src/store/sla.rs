//! SLA due dates of stored findings: `sla_expiration_date = (sla_start_date or date) + the
//! product's days for the severity` (Info has none), recomputed when the clock restarts.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::HubError;
use crate::prepare::Sla;
use crate::store::db::{DbRow, Param, Tx, placeholders};
use crate::store::write;

const IDS_PER_STATEMENT: usize = 2000;

pub(crate) fn sla_of(row: &DbRow) -> Result<Sla, HubError> {
    Ok(Sla {
        critical: row.i64("sla_critical")?,
        high: row.i64("sla_high")?,
        medium: row.i64("sla_medium")?,
        low: row.i64("sla_low")?,
    })
}

/// Restarts the SLA clock of `ids` on `today` (DefectDojo's `restart_sla_expired`).
pub async fn restart(tx: &mut Tx, ids: &[i64], today: NaiveDate) -> Result<(), HubError> {
    write::update_ids(tx, "sla_start_date = $1", &[today.into()], ids).await?;
    recompute_ids(tx, ids).await
}

/// Recomputes the due dates of `ids` from their start date and their product's SLA.
pub async fn recompute_ids(tx: &mut Tx, ids: &[i64]) -> Result<(), HubError> {
    let mut by_due: BTreeMap<Option<NaiveDate>, Vec<i64>> = BTreeMap::new();
    for chunk in ids.chunks(IDS_PER_STATEMENT) {
        let sql = format!(
            "SELECT f.id, f.severity, COALESCE(f.sla_start_date, f.date) AS base, \
             p.sla_critical, p.sla_high, p.sla_medium, p.sla_low \
             FROM findings f JOIN products p ON p.id = f.product_id WHERE f.id IN ({})",
            placeholders(1, chunk.len())
        );
        let params: Vec<Param> = chunk.iter().map(|id| Param::from(*id)).collect();
        for row in tx.fetch_all(&sql, &params).await? {
            let due = sla_of(&row)?.due(&row.text("severity")?, row.date("base")?);
            by_due.entry(due).or_default().push(row.i64("id")?);
        }
    }
    for (due, ids) in by_due {
        write::update_ids(tx, "sla_expiration_date = $1", &[due.into()], &ids).await?;
    }
    Ok(())
}
