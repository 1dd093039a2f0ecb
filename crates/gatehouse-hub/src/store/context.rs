//! Resolving (and auto-creating) the product type → product → engagement → test an import
//! targets, with DefectDojo's lookup rules and error texts.

use chrono::{DateTime, Days, NaiveDate, Utc};

use crate::HubError;
use crate::prepare::Sla;
use crate::store::db::{Param, Tx};
use crate::store::sla::{SLA_COLUMNS, SLA_JOIN, sla_of};

/// Where an import lands.
#[derive(Debug, Clone)]
pub struct Context {
    pub product_type_id: i64,
    pub product_id: i64,
    pub engagement_id: i64,
    pub deduplication_on_engagement: bool,
    pub sla: Sla,
}

/// The naming fields of a request.
#[derive(Debug, Clone, Default)]
pub struct Target {
    pub engagement_id: Option<i64>,
    pub product_type_name: Option<String>,
    pub product_name: Option<String>,
    pub engagement_name: Option<String>,
    pub auto_create_context: bool,
    pub deduplication_on_engagement: bool,
    pub engagement_end_date: Option<NaiveDate>,
}

async fn engagement_by_id(tx: &mut Tx, id: i64) -> Result<Option<Context>, HubError> {
    let row = tx
        .fetch_optional(
            &format!(
                "SELECT e.id AS eid, e.deduplication_on_engagement AS dedupe, p.id AS pid, \
                 p.prod_type_id AS ptid, {SLA_COLUMNS} \
                 FROM engagements e JOIN products p ON p.id = e.product_id {SLA_JOIN} \
                 WHERE e.id = $1"
            ),
            &[id.into()],
        )
        .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some(Context {
        product_type_id: row.i64("ptid")?,
        product_id: row.i64("pid")?,
        engagement_id: row.i64("eid")?,
        deduplication_on_engagement: row.bool("dedupe")?,
        sla: sla_of(&row)?,
    }))
}

/// Finds the engagement an import goes to, creating product type, product and engagement when
/// `auto_create_context` allows it.
pub async fn resolve(
    tx: &mut Tx,
    target: &Target,
    now: DateTime<Utc>,
) -> Result<Context, HubError> {
    let ctx = resolve_unlocked(tx, target, now).await?;
    // Imports into one product are serialized: dedupe must see the other import's originals.
    tx.lock(&format!("product:{}", ctx.product_id)).await?;
    Ok(ctx)
}

async fn resolve_unlocked(
    tx: &mut Tx,
    target: &Target,
    now: DateTime<Utc>,
) -> Result<Context, HubError> {
    if let Some(id) = target.engagement_id {
        return engagement_by_id(tx, id)
            .await?
            .ok_or_else(|| HubError::context(format!("Engagement \"{id}\" does not exist")));
    }
    let Some(product_name) = target.product_name.as_deref() else {
        return Err(HubError::context(
            "Need engagement or product_name + engagement_name to perform import",
        ));
    };
    let Some(engagement_name) = target.engagement_name.as_deref() else {
        return Err(HubError::context(
            "Need engagement or product_name + engagement_name to perform import",
        ));
    };
    // Two imports auto-creating one product (or engagement) must not both create it.
    tx.lock(&format!("product-name:{product_name}")).await?;
    let product = tx
        .fetch_optional(
            "SELECT p.id, p.prod_type_id, t.name AS type_name FROM products p \
             JOIN product_types t ON t.id = p.prod_type_id WHERE p.name = $1",
            &[product_name.into()],
        )
        .await?;
    let product_id = match product {
        Some(row) => {
            if let Some(type_name) = target.product_type_name.as_deref() {
                if row.text("type_name")? != type_name {
                    return Err(HubError::context(format!(
                        "Product \"{product_name}\" does not belong to Product_Type \"{type_name}\""
                    )));
                }
            }
            row.i64("id")?
        }
        None if target.auto_create_context => {
            let Some(type_name) = target.product_type_name.as_deref() else {
                return Err(HubError::context(format!(
                    "Product \"{product_name}\" does not exist and no product_type_name was given to create it"
                )));
            };
            let type_id = match tx
                .fetch_optional(
                    "SELECT id FROM product_types WHERE name = $1",
                    &[type_name.into()],
                )
                .await?
            {
                Some(row) => row.i64("id")?,
                None => {
                    tx.insert_id(
                        "INSERT INTO product_types (name, created) VALUES ($1, $2) RETURNING id",
                        &[type_name.into(), now.into()],
                    )
                    .await?
                }
            };
            tx.insert_id(
                "INSERT INTO products (name, prod_type_id, created) VALUES ($1, $2, $3) RETURNING id",
                &[product_name.into(), type_id.into(), now.into()],
            )
            .await?
        }
        None => {
            return Err(HubError::context(format!(
                "Product \"{product_name}\" does not exist"
            )));
        }
    };
    // Engagement names are not unique: DefectDojo takes the last one.
    let engagement = tx
        .fetch_optional(
            "SELECT id FROM engagements WHERE product_id = $1 AND name = $2 ORDER BY id DESC LIMIT 1",
            &[product_id.into(), engagement_name.into()],
        )
        .await?;
    let engagement_id = match engagement {
        Some(row) => row.i64("id")?,
        None if target.auto_create_context => {
            let today = now.date_naive();
            let end = target
                .engagement_end_date
                .or_else(|| today.checked_add_days(Days::new(365)))
                .unwrap_or(today);
            tx.insert_id(
                "INSERT INTO engagements (name, product_id, engagement_type, status, target_start, \
                 target_end, deduplication_on_engagement, created) \
                 VALUES ($1, $2, 'CI/CD', 'In Progress', $3, $4, $5, $6) RETURNING id",
                &[
                    engagement_name.into(),
                    product_id.into(),
                    today.into(),
                    end.into(),
                    target.deduplication_on_engagement.into(),
                    now.into(),
                ],
            )
            .await?
        }
        None => {
            return Err(HubError::context(format!(
                "Engagement \"{engagement_name}\" does not exist in Product \"{product_name}\""
            )));
        }
    };
    engagement_by_id(tx, engagement_id)
        .await?
        .ok_or_else(|| HubError::context(format!("Engagement \"{engagement_id}\" does not exist")))
}

/// The engagement context of an existing test.
pub async fn of_test(tx: &mut Tx, test_id: i64) -> Result<Option<(Context, String)>, HubError> {
    let row = tx
        .fetch_optional(
            "SELECT engagement_id, scan_type FROM tests WHERE id = $1",
            &[test_id.into()],
        )
        .await?;
    let Some(row) = row else { return Ok(None) };
    let engagement_id = row.i64("engagement_id")?;
    let scan_type = row.text("scan_type")?;
    let found = engagement_by_id(tx, engagement_id).await?;
    if let Some(ctx) = &found {
        tx.lock(&format!("product:{}", ctx.product_id)).await?;
    }
    Ok(found.map(|c| (c, scan_type)))
}

/// The last test of `scan_type` (and `title`, when given) in an engagement.
pub async fn last_test(
    tx: &mut Tx,
    engagement_id: i64,
    scan_type: &str,
    title: Option<&str>,
) -> Result<Option<i64>, HubError> {
    let mut params: Vec<Param> = vec![engagement_id.into(), scan_type.into()];
    let mut sql = "SELECT id FROM tests WHERE engagement_id = $1 AND scan_type = $2".to_owned();
    if let Some(title) = title {
        sql.push_str(" AND title = $3");
        params.push(title.into());
    }
    sql.push_str(" ORDER BY id DESC LIMIT 1");
    match tx.fetch_optional(&sql, &params).await? {
        Some(row) => Ok(Some(row.i64("id")?)),
        None => Ok(None),
    }
}
