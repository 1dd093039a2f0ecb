//! Read queries behind the list and detail endpoints: one table per resource, exact-match
//! filters, limit/offset pages ordered by id.

use chrono::Utc;
use serde_json::{Map, Value, json};

use crate::HubError;
use crate::store::Store;
use crate::store::db::{DbRow, Param, placeholders};

/// A listable resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    Products,
    Engagements,
    Tests,
    Findings,
    RiskAcceptances,
    AuditLog,
    SlaConfigurations,
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
            Resource::RiskAcceptances => "risk_acceptances",
            Resource::AuditLog => "audit_log",
            Resource::SlaConfigurations => "sla_configurations",
        }
    }

    /// `(query parameter, column, kind)`; DefectDojo's names, with their shorter aliases.
    fn filters(self) -> &'static [(&'static str, &'static str, Kind)] {
        match self {
            Resource::Products => &[
                ("id", "id", Kind::Int),
                ("name", "name", Kind::Text),
                ("prod_type", "prod_type_id", Kind::Int),
                ("sla_configuration", "sla_configuration_id", Kind::Int),
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
            Resource::RiskAcceptances => &[
                ("id", "id", Kind::Int),
                ("name", "name", Kind::Text),
                ("accepted_by", "accepted_by", Kind::Text),
                ("owner", "owner", Kind::Text),
                ("kind", "kind", Kind::Text),
            ],
            Resource::SlaConfigurations => &[("id", "id", Kind::Int), ("name", "name", Kind::Text)],
            Resource::AuditLog => &[
                ("id", "id", Kind::Int),
                ("actor", "actor", Kind::Text),
                ("action", "action", Kind::Text),
                ("object_type", "object_type", Kind::Text),
                ("object_id", "object_id", Kind::Int),
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

/// A `WHERE` clause under construction: conditions joined by `AND`, parameters numbered in
/// the order they are bound.
#[derive(Debug, Clone, Default)]
pub struct Where {
    clauses: Vec<String>,
    pub params: Vec<Param>,
}

impl Where {
    /// Binds `param` and returns its placeholder (`$n`).
    pub fn bind(&mut self, param: Param) -> String {
        self.params.push(param);
        format!("${}", self.params.len())
    }

    /// Adds a condition (written with placeholders from [`Where::bind`]).
    pub fn and(&mut self, clause: impl Into<String>) {
        self.clauses.push(clause.into());
    }

    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }

    /// ` WHERE a AND b`, or nothing.
    pub fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.clauses.join(" AND "))
        }
    }
}

/// The list filters of `resource` found in `query`, as conditions (unknown parameters are
/// ignored, as DefectDojo does; malformed values are a 400).
pub fn filters(resource: Resource, query: &[(String, String)]) -> Result<Where, HubError> {
    let mut filter = Where::default();
    for (name, value) in query {
        if resource == Resource::Findings && name == "outside_of_sla" {
            let outside = parse_bool(value)
                .ok_or_else(|| HubError::field(name, "Must be a valid boolean."))?;
            let today = filter.bind(Utc::now().date_naive().into());
            // Findings without a due date (Info, unenforced) never breach.
            let breached = format!("(active AND COALESCE(sla_expiration_date < {today}, FALSE))");
            filter.and(if outside {
                breached
            } else {
                format!("NOT {breached}")
            });
            continue;
        }
        let Some((_, column, kind)) = resource.filters().iter().find(|(n, ..)| n == name) else {
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
        let placeholder = filter.bind(param);
        filter.and(format!("{column} = {placeholder}"));
    }
    Ok(filter)
}

impl Store {
    /// Lists `resource` rows matching every filter in `query`.
    pub async fn list(
        &self,
        resource: Resource,
        query: &[(String, String)],
        limit: i64,
        offset: i64,
    ) -> Result<Page, HubError> {
        self.list_where(resource, filters(resource, query)?, "id", limit, offset)
            .await
    }

    /// Lists `resource` rows matching `filter`, ordered by `order` (SQL ending with `id`).
    pub async fn list_where(
        &self,
        resource: Resource,
        filter: Where,
        order: &str,
        limit: i64,
        offset: i64,
    ) -> Result<Page, HubError> {
        let table = resource.table();
        let clause = filter.sql();
        let count = self.count(table, &clause, &filter.params).await?;
        let mut page = filter;
        let limit = page.bind(limit.into());
        let offset = page.bind(offset.into());
        // The page's ids first, then their rows: skipping `offset` rows then walks an index
        // instead of whole rows (a finding carries its description and parsed detail).
        // `order` ends with `id`, so both orderings agree.
        let sql = format!(
            "SELECT * FROM {table} WHERE id IN (SELECT id FROM {table}{clause} \
             ORDER BY {order} LIMIT {limit} OFFSET {offset}) ORDER BY {order}"
        );
        let rows = self.db().fetch_all(&sql, &page.params).await?;
        let mut results = rows
            .iter()
            .map(|row| to_json(resource, row))
            .collect::<Result<Vec<_>, _>>()?;
        if resource == Resource::RiskAcceptances {
            self.attach_accepted_findings(&mut results).await?;
        }
        Ok(Page { count, results })
    }

    /// One row of `resource` by id.
    pub async fn get(&self, resource: Resource, id: i64) -> Result<Value, HubError> {
        let mut filter = Where::default();
        let placeholder = filter.bind(id.into());
        filter.and(format!("id = {placeholder}"));
        self.list_where(resource, filter, "id", 1, 0)
            .await?
            .results
            .pop()
            .ok_or_else(|| HubError::NotFound(format!("{} {id}", resource.table())))
    }

    /// `accepted_findings` of each risk acceptance: every finding it ever covered.
    async fn attach_accepted_findings(&self, results: &mut [Value]) -> Result<(), HubError> {
        let ids: Vec<i64> = results.iter().filter_map(|r| r["id"].as_i64()).collect();
        if ids.is_empty() {
            return Ok(());
        }
        let sql = format!(
            "SELECT risk_acceptance_id, finding_id FROM risk_acceptance_findings \
             WHERE risk_acceptance_id IN ({}) ORDER BY finding_id",
            placeholders(1, ids.len())
        );
        let params: Vec<Param> = ids.iter().map(|id| Param::from(*id)).collect();
        let mut links: std::collections::HashMap<i64, Vec<i64>> = Default::default();
        for row in self.db().fetch_all(&sql, &params).await? {
            links
                .entry(row.i64("risk_acceptance_id")?)
                .or_default()
                .push(row.i64("finding_id")?);
        }
        for result in results {
            let id = result["id"].as_i64().unwrap_or_default();
            result["accepted_findings"] = json!(links.remove(&id).unwrap_or_default());
        }
        Ok(())
    }
}

/// A scan type's Test_Type id: its 1-based place in the ingest registry (new parsers go last,
/// so ids stay stable). DefectDojo numbers its Test_Types per installation.
pub fn test_type_id(scan_type: &str) -> Option<i64> {
    gatehouse_ingest::scan_types()
        .position(|name| name == scan_type)
        .map(|i| i as i64 + 1)
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
            "sla_configuration": row.i64("sla_configuration_id")?,
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
            "test_type": test_type_id(&row.text("scan_type")?),
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
            let due = row.opt_date("sla_expiration_date")?;
            let mitigated = row.opt_time("mitigated")?;
            // DefectDojo: days to the due date from today, or from the day it was closed.
            let until = match (row.bool("is_mitigated")?, mitigated) {
                (true, Some(at)) => at.date_naive(),
                _ => Utc::now().date_naive(),
            };
            put("sla_start_date", json!(row.opt_date("sla_start_date")?));
            put("sla_expiration_date", json!(due));
            put(
                "sla_days_remaining",
                json!(due.map(|d| (d - until).num_days())),
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
            // DefectDojo's `found_by` is a list of Test_Type ids (its generated clients reject
            // anything else); the names are in `found_by_scan_types`.
            let sources = list_json(&row.text("sources")?);
            put(
                "found_by",
                sources
                    .as_array()
                    .map(|names| {
                        names
                            .iter()
                            .filter_map(|n| n.as_str().and_then(test_type_id))
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default()
                    .into(),
            );
            put("found_by_scan_types", sources);
            put("created", json!(row.time("created")?));
            put("last_status_update", json!(row.time("updated")?));
            Value::Object(map)
        }
        Resource::RiskAcceptances => json!({
            "id": row.i64("id")?,
            "name": row.text("name")?,
            "kind": row.text("kind")?,
            "recommendation": row.text("recommendation")?,
            "recommendation_details": row.opt_text("recommendation_details")?,
            "decision": row.text("decision")?,
            "decision_details": row.text("decision_details")?,
            "accepted_by": row.text("accepted_by")?,
            "owner_name": row.text("owner")?,
            "path": null,
            "expiration_date": row.time("expiration_date")?,
            "expiration_date_warned": null,
            "expiration_date_handled": row.opt_time("expiration_date_handled")?,
            "reactivate_expired": row.bool("reactivate_expired")?,
            "restart_sla_expired": row.bool("restart_sla_expired")?,
            "accepted_findings": [],
            "notes": [],
            "created": row.time("created")?,
            "updated": row.time("updated")?,
        }),
        Resource::SlaConfigurations => json!({
            "id": row.i64("id")?,
            "name": row.text("name")?,
            "description": row.opt_text("description")?,
            "critical": row.i64("critical")?,
            "enforce_critical": row.bool("enforce_critical")?,
            "high": row.i64("high")?,
            "enforce_high": row.bool("enforce_high")?,
            "medium": row.i64("medium")?,
            "enforce_medium": row.bool("enforce_medium")?,
            "low": row.i64("low")?,
            "enforce_low": row.bool("enforce_low")?,
            "restart_sla_on_reactivation": row.bool("restart_sla_on_reactivation")?,
            "async_updating": false,
        }),
        Resource::AuditLog => json!({
            "id": row.i64("id")?,
            "at": row.time("at")?,
            "actor": row.text("actor")?,
            "action": row.text("action")?,
            "object_type": row.text("object_type")?,
            "object_id": row.opt_i64("object_id")?,
            "detail": serde_json::from_str::<Value>(&row.text("detail")?).unwrap_or(Value::Null),
        }),
    })
}
