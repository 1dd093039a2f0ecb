//! SLA: DefectDojo's SLA configurations (one per product, "Default" 7/30/90/120 unless it names
//! another) and the due dates of stored findings, `sla_expiration_date = (sla_start_date or
//! date) + the configuration's days for the severity` (Info and unenforced severities have
//! none), recomputed when a configuration changes or a clock restarts.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};

use crate::HubError;
use crate::prepare::Sla;
use crate::store::Store;
use crate::store::db::{DbRow, Param, Tx, placeholders};
use crate::store::write;

const IDS_PER_STATEMENT: usize = 2000;

/// The SLA columns of a product's configuration, for a query joining `products p`.
pub(crate) const SLA_JOIN: &str = "JOIN sla_configurations s ON s.id = p.sla_configuration_id";
pub(crate) const SLA_COLUMNS: &str = "s.critical AS sla_critical, s.enforce_critical, \
     s.high AS sla_high, s.enforce_high, s.medium AS sla_medium, s.enforce_medium, \
     s.low AS sla_low, s.enforce_low, s.restart_sla_on_reactivation";

/// The [`Sla`] of a row selected with [`SLA_COLUMNS`].
pub(crate) fn sla_of(row: &DbRow) -> Result<Sla, HubError> {
    let days = |days: &str, enforce: &str| -> Result<Option<i64>, HubError> {
        Ok(row.bool(enforce)?.then_some(row.i64(days)?))
    };
    Ok(Sla {
        critical: days("sla_critical", "enforce_critical")?,
        high: days("sla_high", "enforce_high")?,
        medium: days("sla_medium", "enforce_medium")?,
        low: days("sla_low", "enforce_low")?,
        restart_on_reactivation: row.bool("restart_sla_on_reactivation")?,
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
            "SELECT f.id, f.severity, COALESCE(f.sla_start_date, f.date) AS base, {SLA_COLUMNS} \
             FROM findings f JOIN products p ON p.id = f.product_id {SLA_JOIN} \
             WHERE f.id IN ({})",
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

/// Recomputes the due dates of every finding of `product` (its SLA configuration changed).
pub async fn recompute_product(tx: &mut Tx, product: i64) -> Result<(), HubError> {
    let row = tx
        .fetch_optional(
            &format!("SELECT {SLA_COLUMNS} FROM products p {SLA_JOIN} WHERE p.id = $1"),
            &[product.into()],
        )
        .await?
        .ok_or_else(|| HubError::NotFound(format!("product {product}")))?;
    let sla = sla_of(&row)?;
    // One statement per (severity, start date): few, whatever the number of findings.
    let groups = tx
        .fetch_all(
            "SELECT DISTINCT severity, COALESCE(sla_start_date, date) AS base FROM findings \
             WHERE product_id = $1",
            &[product.into()],
        )
        .await?;
    for group in groups {
        let severity = group.text("severity")?;
        let base = group.date("base")?;
        tx.execute(
            "UPDATE findings SET sla_expiration_date = $1 WHERE product_id = $2 \
             AND severity = $3 AND COALESCE(sla_start_date, date) = $4",
            &[
                sla.due(&severity, base).into(),
                product.into(),
                severity.as_str().into(),
                base.into(),
            ],
        )
        .await?;
    }
    Ok(())
}

/// An SLA configuration as requested; `None` keeps the current value (on create: DefectDojo's
/// defaults, 7/30/90/120 days, all enforced, no restart on reactivation).
#[derive(Debug, Clone, Default)]
pub struct SlaFields {
    pub name: Option<String>,
    pub description: Option<String>,
    pub critical: Option<i64>,
    pub enforce_critical: Option<bool>,
    pub high: Option<i64>,
    pub enforce_high: Option<bool>,
    pub medium: Option<i64>,
    pub enforce_medium: Option<bool>,
    pub low: Option<i64>,
    pub enforce_low: Option<bool>,
    pub restart_sla_on_reactivation: Option<bool>,
}

/// Longest SLA the hub accepts (a hundred years), so due dates stay representable.
const MAX_SLA_DAYS: i64 = 36_500;

impl SlaFields {
    /// `(column, value)` of every field given, validated.
    fn columns(&self) -> Result<Vec<(&'static str, Param)>, HubError> {
        let mut columns: Vec<(&'static str, Param)> = Vec::new();
        if let Some(name) = &self.name {
            let name = name.trim();
            if name.is_empty() {
                return Err(HubError::field("name", "This field may not be blank."));
            }
            columns.push(("name", name.into()));
        }
        if let Some(description) = &self.description {
            columns.push(("description", description.as_str().into()));
        }
        for (column, days) in [
            ("critical", self.critical),
            ("high", self.high),
            ("medium", self.medium),
            ("low", self.low),
        ] {
            if let Some(days) = days {
                if !(1..=MAX_SLA_DAYS).contains(&days) {
                    return Err(HubError::field(
                        column,
                        format!(
                            "Ensure this value is between 1 and {MAX_SLA_DAYS} days; to have no SLA \
                             for this severity set `enforce_{column}` to false."
                        ),
                    ));
                }
                columns.push((column, days.into()));
            }
        }
        for (column, flag) in [
            ("enforce_critical", self.enforce_critical),
            ("enforce_high", self.enforce_high),
            ("enforce_medium", self.enforce_medium),
            ("enforce_low", self.enforce_low),
            (
                "restart_sla_on_reactivation",
                self.restart_sla_on_reactivation,
            ),
        ] {
            if let Some(flag) = flag {
                columns.push((column, flag.into()));
            }
        }
        Ok(columns)
    }
}

async fn name_taken(tx: &mut Tx, name: &str, except: i64) -> Result<(), HubError> {
    let taken = tx
        .fetch_optional(
            "SELECT id FROM sla_configurations WHERE name = $1 AND id <> $2",
            &[name.trim().into(), except.into()],
        )
        .await?;
    match taken {
        Some(_) => Err(HubError::field(
            "name",
            "SLA configuration with this name already exists.",
        )),
        None => Ok(()),
    }
}

impl Store {
    /// Creates an SLA configuration; products use it once they name it.
    pub async fn create_sla_configuration(
        &self,
        user: &str,
        fields: &SlaFields,
        now: DateTime<Utc>,
    ) -> Result<i64, HubError> {
        let Some(name) = fields.name.as_deref() else {
            return Err(HubError::field("name", "This field is required."));
        };
        let given = fields.columns()?;
        let defaults = Sla::default();
        let mut columns: Vec<(&'static str, Param)> = vec![
            ("critical", defaults.critical.into()),
            ("high", defaults.high.into()),
            ("medium", defaults.medium.into()),
            ("low", defaults.low.into()),
            ("enforce_critical", true.into()),
            ("enforce_high", true.into()),
            ("enforce_medium", true.into()),
            ("enforce_low", true.into()),
            ("restart_sla_on_reactivation", false.into()),
            ("created", now.into()),
            ("updated", now.into()),
        ];
        for (column, value) in given {
            match columns.iter_mut().find(|(c, _)| *c == column) {
                Some(slot) => slot.1 = value,
                None => columns.push((column, value)),
            }
        }
        let mut tx = self.db().begin().await?;
        name_taken(&mut tx, name, 0).await?;
        let names: Vec<&str> = columns.iter().map(|(c, _)| *c).collect();
        let values: Vec<Param> = columns.into_iter().map(|(_, v)| v).collect();
        let id = tx
            .insert_id(
                &format!(
                    "INSERT INTO sla_configurations ({}) VALUES ({}) RETURNING id",
                    names.join(", "),
                    placeholders(1, values.len())
                ),
                &values,
            )
            .await?;
        write::audit(
            &mut tx,
            user,
            "sla_configuration.create",
            ("sla_configuration", id),
            fields.to_json(),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes an SLA configuration and recomputes the due dates of every product using it.
    pub async fn update_sla_configuration(
        &self,
        user: &str,
        id: i64,
        fields: &SlaFields,
        now: DateTime<Utc>,
    ) -> Result<(), HubError> {
        let columns = fields.columns()?;
        let mut tx = self.db().begin().await?;
        let products: Vec<i64> = tx
            .fetch_all(
                "SELECT id FROM products WHERE sla_configuration_id = $1 ORDER BY id",
                &[id.into()],
            )
            .await?
            .iter()
            .map(|r| r.i64("id"))
            .collect::<Result<_, _>>()?;
        for product in &products {
            // Imports into these products wait (their due dates depend on the SLA).
            tx.lock(&format!("product:{product}")).await?;
        }
        if let Some(name) = &fields.name {
            name_taken(&mut tx, name, id).await?;
        }
        let mut set: Vec<String> = Vec::new();
        let mut params: Vec<Param> = Vec::new();
        for (column, value) in columns {
            params.push(value);
            set.push(format!("{column} = ${}", params.len()));
        }
        params.push(now.into());
        set.push(format!("updated = ${}", params.len()));
        params.push(id.into());
        let changed = tx
            .execute(
                &format!(
                    "UPDATE sla_configurations SET {} WHERE id = ${}",
                    set.join(", "),
                    params.len()
                ),
                &params,
            )
            .await?;
        if changed == 0 {
            return Err(HubError::NotFound(format!("sla_configuration {id}")));
        }
        for product in products {
            recompute_product(&mut tx, product).await?;
        }
        write::audit(
            &mut tx,
            user,
            "sla_configuration.update",
            ("sla_configuration", id),
            fields.to_json(),
            now,
        )
        .await?;
        tx.commit().await
    }

    /// Makes `product` use SLA configuration `sla_configuration` and recomputes its due dates.
    pub async fn set_product_sla_configuration(
        &self,
        user: &str,
        product: i64,
        sla_configuration: i64,
        now: DateTime<Utc>,
    ) -> Result<(), HubError> {
        let mut tx = self.db().begin().await?;
        tx.lock(&format!("product:{product}")).await?;
        let Some(row) = tx
            .fetch_optional(
                "SELECT sla_configuration_id FROM products WHERE id = $1",
                &[product.into()],
            )
            .await?
        else {
            return Err(HubError::NotFound(format!("product {product}")));
        };
        let before = row.i64("sla_configuration_id")?;
        let exists = tx
            .fetch_optional(
                "SELECT id FROM sla_configurations WHERE id = $1",
                &[sla_configuration.into()],
            )
            .await?;
        if exists.is_none() {
            return Err(HubError::field(
                "sla_configuration",
                format!(
                    "Invalid pk \"{sla_configuration}\" - object does not exist. \
                     List them at /api/v2/sla_configurations/."
                ),
            ));
        }
        tx.execute(
            "UPDATE products SET sla_configuration_id = $1 WHERE id = $2",
            &[sla_configuration.into(), product.into()],
        )
        .await?;
        recompute_product(&mut tx, product).await?;
        write::audit(
            &mut tx,
            user,
            "product.sla_configuration",
            ("product", product),
            serde_json::json!({ "from": before, "to": sla_configuration }),
            now,
        )
        .await?;
        tx.commit().await
    }
}

impl SlaFields {
    fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "name": self.name, "description": self.description,
            "critical": self.critical, "enforce_critical": self.enforce_critical,
            "high": self.high, "enforce_high": self.enforce_high,
            "medium": self.medium, "enforce_medium": self.enforce_medium,
            "low": self.low, "enforce_low": self.enforce_low,
            "restart_sla_on_reactivation": self.restart_sla_on_reactivation,
        })
    }
}
