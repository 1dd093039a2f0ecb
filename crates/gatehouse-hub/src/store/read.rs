//! Read queries behind the list endpoints: one table per resource, exact-match filters,
//! limit/offset pages ordered by id.

use serde_json::{Map, Value, json};

use crate::HubError;
use crate::store::Store;
use crate::store::db::{DbRow, Param};

/// A listable resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    Products,
    Engagements,
    Tests,
    Findings,
}

#[derive(Clone, Copy)]
enum Kind {
    Int,
    Text,
    Bool,
}

impl Resource {
    fn table(self) -> &'static str {
        match self {
            Resource::Products => "products",
            Resource::Engagements => "engagements",
            Resource::Tests => "tests",
            Resource::Findings => "findings",
        }
    }

    /// `(query parameter, column, kind)`; DefectDojo's names, with their shorter aliases.
    fn filters(self) -> &'static [(&'static str, &'static str, Kind)] {
        match self {
            Resource::Products => &[
                ("id", "id", Kind::Int),
                ("name", "name", Kind::Text),
                ("prod_type", "prod_type_id", Kind::Int),
            ],
            Resource::Engagements => &[
                ("id", "id", Kind::Int),
                ("name", "name", Kind::Text),
                ("product", "product_id", Kind::Int),
            ],
            Resource::Tests => &[
                ("id", "id", Kind::Int),
                ("engagement", "engagement_id", Kind::Int),
                ("scan_type", "scan_type", Kind::Text),
                ("title", "title", Kind::Text),
            ],
            Resource::Findings => &[
                ("id", "id", Kind::Int),
                ("test", "test_id", Kind::Int),
                ("engagement", "engagement_id", Kind::Int),
                ("test__engagement", "engagement_id", Kind::Int),
                ("product", "product_id", Kind::Int),
                ("test__engagement__product", "product_id", Kind::Int),
                ("scan_type", "scan_type", Kind::Text),
                ("severity", "severity", Kind::Text),
                ("title", "title", Kind::Text),
                ("active", "active", Kind::Bool),
                ("verified", "verified", Kind::Bool),
                ("duplicate", "duplicate", Kind::Bool),
                ("false_p", "false_p", Kind::Bool),
                ("is_mitigated", "is_mitigated", Kind::Bool),
                ("risk_accepted", "risk_accepted", Kind::Bool),
                ("out_of_scope", "out_of_scope", Kind::Bool),
                ("hash_code", "hash_code", Kind::Text),
                ("unique_id_from_tool", "unique_id_from_tool", Kind::Text),
                ("cwe", "cwe", Kind::Int),
                ("cve", "cve", Kind::Text),
                ("file_path", "file_path", Kind::Text),
                ("component_name", "component_name", Kind::Text),
                ("component_version", "component_version", Kind::Text),
                ("duplicate_finding", "duplicate_of", Kind::Int),
            ],
        }
    }
}

/// One page of a listing.
#[derive(Debug, Clone)]
pub struct Page {
    pub count: i64,
    pub results: Vec<Value>,
}

fn parse_bool(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Some(true),
        "false" | "0" | "no" => Some(false),
        _ => None,
    }
}

impl Store {
    /// Lists `resource` rows matching every filter in `query` (unknown parameters are ignored,
    /// as DefectDojo does; malformed values are a 400).
    pub async fn list(
        &self,
        resource: Resource,
        query: &[(String, String)],
        limit: i64,
        offset: i64,
    ) -> Result<Page, HubError> {
        let mut clauses = Vec::new();
        let mut params: Vec<Param> = Vec::new();
        for (name, value) in query {
            let Some((_, column, kind)) = resource.filters().iter().find(|(n, ..)| n == name)
            else {
                continue;
            };
            let param = match kind {
                Kind::Int => Param::from(
                    value
                        .parse::<i64>()
                        .map_err(|_| HubError::field(name, "Enter a whole number."))?,
                ),
                Kind::Text => Param::from(value.as_str()),
                Kind::Bool => Param::from(parse_bool(value).ok_or_else(|| {
                    HubError::field(
                        name,
                        "Select a valid choice. That choice is not one of the available choices.",
                    )
                })?),
            };
            params.push(param);
            clauses.push(format!("{column} = ${}", params.len()));
        }
        let filter = if clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", clauses.join(" AND "))
        };
        let table = resource.table();
        let count = self
            .db()
            .fetch_all(
                &format!("SELECT COUNT(*) AS n FROM {table}{filter}"),
                &params,
            )
            .await?
            .first()
            .map(|r| r.i64("n"))
            .transpose()?
            .unwrap_or(0);
        let mut page_params = params.clone();
        page_params.push(limit.into());
        page_params.push(offset.into());
        let sql = format!(
            "SELECT * FROM {table}{filter} ORDER BY id LIMIT ${} OFFSET ${}",
            page_params.len() - 1,
            page_params.len()
        );
        let rows = self.db().fetch_all(&sql, &page_params).await?;
        let results = rows
            .iter()
            .map(|row| to_json(resource, row))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page { count, results })
    }
}

fn list_json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Array(Vec::new()))
}

fn to_json(resource: Resource, row: &DbRow) -> Result<Value, HubError> {
    Ok(match resource {
        Resource::Products => json!({
            "id": row.i64("id")?,
            "name": row.text("name")?,
            "prod_type": row.i64("prod_type_id")?,
            "sla_configuration": {
                "critical": row.i64("sla_critical")?, "high": row.i64("sla_high")?,
                "medium": row.i64("sla_medium")?, "low": row.i64("sla_low")?,
            },
            "created": row.time("created")?,
        }),
        Resource::Engagements => json!({
            "id": row.i64("id")?,
            "name": row.text("name")?,
            "product": row.i64("product_id")?,
            "engagement_type": row.text("engagement_type")?,
            "status": row.text("status")?,
            "target_start": row.date("target_start")?,
            "target_end": row.date("target_end")?,
            "deduplication_on_engagement": row.bool("deduplication_on_engagement")?,
            "created": row.time("created")?,
        }),
        Resource::Tests => json!({
            "id": row.i64("id")?,
            "engagement": row.i64("engagement_id")?,
            "scan_type": row.text("scan_type")?,
            "test_type_name": row.text("scan_type")?,
            "title": row.opt_text("title")?,
            "version": row.opt_text("version")?,
            "build_id": row.opt_text("build_id")?,
            "commit_hash": row.opt_text("commit_hash")?,
            "branch_tag": row.opt_text("branch_tag")?,
            "tags": list_json(&row.text("tags")?),
            "target_start": row.date("target_start")?,
            "created": row.time("created")?,
            "updated": row.time("updated")?,
        }),
        Resource::Findings => {
            let ids: Vec<String> =
                serde_json::from_str(&row.text("vulnerability_ids")?).unwrap_or_default();
            let mut map = Map::new();
            let mut put = |k: &str, v: Value| {
                map.insert(k.to_owned(), v);
            };
            put("id", row.i64("id")?.into());
            put("test", row.i64("test_id")?.into());
            put("engagement", row.i64("engagement_id")?.into());
            put("product", row.i64("product_id")?.into());
            put("title", row.text("title")?.into());
            put("date", json!(row.date("date")?));
            put(
                "sla_expiration_date",
                json!(row.opt_date("sla_expiration_date")?),
            );
            put("severity", row.text("severity")?.into());
            put(
                "numerical_severity",
                format!("S{}", row.i64("numerical_severity")?).into(),
            );
            put("description", row.text("description")?.into());
            put("file_path", row.opt_text("file_path")?.into());
            put("line", row.opt_i64("line")?.into());
            put("component_name", row.opt_text("component_name")?.into());
            put(
                "component_version",
                row.opt_text("component_version")?.into(),
            );
            put(
                "vulnerability_ids",
                ids.iter()
                    .map(|id| json!({"vulnerability_id": id}))
                    .collect::<Vec<_>>()
                    .into(),
            );
            put("cve", row.opt_text("cve")?.into());
            put("cwe", row.i64("cwe")?.into());
            put(
                "vuln_id_from_tool",
                row.opt_text("vuln_id_from_tool")?.into(),
            );
            put(
                "unique_id_from_tool",
                row.opt_text("unique_id_from_tool")?.into(),
            );
            put("hash_code", row.text("hash_code")?.into());
            put("fingerprint", row.text("fingerprint")?.into());
            put("service", row.opt_text("service")?.into());
            for flag in [
                "active",
                "verified",
                "false_p",
                "out_of_scope",
                "risk_accepted",
                "under_review",
                "is_mitigated",
                "duplicate",
            ] {
                put(flag, row.bool(flag)?.into());
            }
            put("mitigated", json!(row.opt_time("mitigated")?));
            put("duplicate_finding", row.opt_i64("duplicate_of")?.into());
            put("found_by", list_json(&row.text("sources")?));
            put("created", json!(row.time("created")?));
            put("last_status_update", json!(row.time("updated")?));
            Value::Object(map)
        }
    })
}
