//! Triage in the store: risk acceptances and false positives over findings (by id or by
//! filter), reverting one, and the expiry sweep. Each call is one transaction; every finding
//! whose state changes gets an audit record saying who, when, what and why. Nothing is
//! deleted: a finding leaves a decision by having its link `released`.

use chrono::{DateTime, Days, Utc};
use serde_json::json;

use crate::HubError;
use crate::store::Store;
use crate::store::db::{Backend, Param, Tx, placeholders};
use crate::store::read::{self, Resource};
use crate::store::{history, sla, write};
use crate::triage::{Decision, DecisionPatch, Expiry, Kind, Selection};

/// The actor of audit records written by the expiry sweep.
pub const SWEEPER: &str = "gatehouse (expiry sweep)";

const IDS_PER_STATEMENT: usize = 2000;

/// DefectDojo's recommendation/decision codes: Accept, aVoid, Mitigate, Fix, Transfer.
const CHOICES: [&str; 5] = ["A", "V", "M", "F", "T"];

fn choice(field: &str, value: Option<&str>, default: &str) -> Result<String, HubError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(default.to_owned()),
        Some(v) if CHOICES.contains(&v) => Ok(v.to_owned()),
        Some(v) => Err(HubError::field(
            field,
            format!(
                "\"{v}\" is not a valid choice (one of A accept, V avoid, M mitigate, F fix, T transfer)."
            ),
        )),
    }
}

/// `FOR UPDATE` on PostgreSQL (row locks against concurrent triage and reimports); SQLite's
/// write transactions are already exclusive.
fn for_update(tx: &Tx) -> &'static str {
    match tx.backend() {
        Backend::Postgres => " FOR UPDATE",
        Backend::Sqlite => "",
    }
}

/// Takes the import lock of every product owning one of `ids`, in product order, before any
/// finding row is locked, so that triage and imports (which hold their product's lock while
/// they change its findings) never wait on each other in opposite orders. PostgreSQL only:
/// SQLite's write transactions are exclusive anyway.
async fn lock_products_of(tx: &mut Tx, ids: &[i64]) -> Result<(), HubError> {
    if tx.backend() != Backend::Postgres {
        return Ok(());
    }
    let mut products = std::collections::BTreeSet::new();
    for chunk in ids.chunks(IDS_PER_STATEMENT) {
        let sql = format!(
            "SELECT DISTINCT product_id FROM findings WHERE id IN ({})",
            placeholders(1, chunk.len())
        );
        let params: Vec<Param> = chunk.iter().map(|id| Param::from(*id)).collect();
        for row in tx.fetch_all(&sql, &params).await? {
            products.insert(row.i64("product_id")?);
        }
    }
    for product in products {
        tx.lock(&format!("product:{product}")).await?;
    }
    Ok(())
}

impl Store {
    /// Applies each decision to its selection, all in one transaction. Returns the id of the
    /// risk acceptance recording each decision, or `None` when a filter matched no finding
    /// (nothing is recorded then).
    pub async fn triage(
        &self,
        user: &str,
        items: &[(Selection, Decision)],
        now: DateTime<Utc>,
    ) -> Result<Vec<Option<i64>>, HubError> {
        let mut checked = Vec::with_capacity(items.len());
        for (selection, decision) in items {
            checked.push((selection, decision, self.expiration(decision, now)?));
            justification(&decision.justification)?;
        }
        let mut tx = self.db().begin().await?;
        let mut created = Vec::with_capacity(items.len());
        for (selection, decision, expiration) in checked {
            let ids = select(&mut tx, selection).await?;
            if ids.is_empty() {
                created.push(None);
                continue;
            }
            created.push(Some(
                record(&mut tx, user, &ids, decision, expiration, now).await?,
            ));
        }
        tx.commit().await?;
        Ok(created)
    }

    /// Lifts a finding's risk acceptance or false-positive mark before its expiry; the finding
    /// is active again unless something else keeps it closed.
    pub async fn revert_triage(
        &self,
        user: &str,
        finding_id: i64,
        kind: Kind,
        why: &str,
        now: DateTime<Utc>,
    ) -> Result<(), HubError> {
        let why = justification(why)?;
        let flag = kind.flag();
        let mut tx = self.db().begin().await?;
        lock_products_of(&mut tx, &[finding_id]).await?;
        let sql = format!(
            "SELECT {flag} AS flag FROM findings WHERE id = $1{}",
            for_update(&tx)
        );
        let Some(row) = tx.fetch_optional(&sql, &[finding_id.into()]).await? else {
            return Err(HubError::NotFound(format!("finding {finding_id}")));
        };
        if !row.bool("flag")? {
            return Err(HubError::context(format!(
                "Finding {finding_id} is not {}: there is nothing to revert",
                kind.describe()
            )));
        }
        tx.execute(
            "UPDATE risk_acceptance_findings SET released = $1 WHERE finding_id = $2 \
             AND released IS NULL AND risk_acceptance_id IN \
             (SELECT id FROM risk_acceptances WHERE kind = $3)",
            &[now.into(), finding_id.into(), flag.into()],
        )
        .await?;
        write::audit_findings(
            &mut tx,
            user,
            &format!("finding.{flag}.revert"),
            &[finding_id],
            &json!({ "set": { flag: false }, "justification": why }),
            now,
        )
        .await?;
        lift(&mut tx, kind, &[finding_id], now).await?;
        tx.commit().await
    }

    /// Ends every decision whose expiry is at or before `now`: its findings are reactivated
    /// (unless it says `reactivate_expired: false`), their SLA restarted when it says so, and
    /// the decision is marked handled. Run at startup and periodically by `gatehouse serve`.
    pub async fn expire_risk_acceptances(&self, now: DateTime<Utc>) -> Result<Expiry, HubError> {
        let mut tx = self.db().begin().await?;
        let mut sql = "SELECT id, kind, reactivate_expired, restart_sla_expired, expiration_date \
                       FROM risk_acceptances WHERE expiration_date_handled IS NULL \
                       AND expiration_date <= $1 ORDER BY id"
            .to_owned();
        if tx.backend() == Backend::Postgres {
            // Replicas sweeping at once each take different acceptances.
            sql.push_str(" FOR UPDATE SKIP LOCKED");
        }
        let due = tx.fetch_all(&sql, &[now.into()]).await?;
        let mut work = Vec::with_capacity(due.len());
        for row in &due {
            let ra = row.i64("id")?;
            let ids: Vec<i64> = tx
                .fetch_all(
                    "SELECT finding_id FROM risk_acceptance_findings \
                     WHERE risk_acceptance_id = $1 AND released IS NULL ORDER BY finding_id",
                    &[ra.into()],
                )
                .await?
                .iter()
                .map(|r| r.i64("finding_id"))
                .collect::<Result<_, _>>()?;
            work.push((row, ra, ids));
        }
        let all: Vec<i64> = work.iter().flat_map(|(_, _, ids)| ids.clone()).collect();
        lock_products_of(&mut tx, &all).await?;
        let mut expiry = Expiry::default();
        for (row, ra, ids) in work {
            let kind = match row.text("kind")?.as_str() {
                "false_p" => Kind::FalsePositive,
                _ => Kind::RiskAccepted,
            };
            let reactivate = row.bool("reactivate_expired")?;
            let expired_at = row.time("expiration_date")?;
            if reactivate && !ids.is_empty() {
                tx.execute(
                    "UPDATE risk_acceptance_findings SET released = $1 \
                     WHERE risk_acceptance_id = $2 AND released IS NULL",
                    &[now.into(), ra.into()],
                )
                .await?;
                write::audit_findings(
                    &mut tx,
                    SWEEPER,
                    &format!("finding.{}.expire", kind.flag()),
                    &ids,
                    &json!({
                        "set": { kind.flag(): false },
                        "risk_acceptance": ra,
                        "justification": format!("risk acceptance {ra} expired at {expired_at}"),
                    }),
                    now,
                )
                .await?;
                lift(&mut tx, kind, &ids, now).await?;
                if row.bool("restart_sla_expired")? {
                    sla::restart(&mut tx, &ids, now.date_naive()).await?;
                }
                expiry.lifted.extend(&ids);
            }
            tx.execute(
                "UPDATE risk_acceptances SET expiration_date_handled = $1, updated = $1 \
                 WHERE id = $2",
                &[now.into(), ra.into()],
            )
            .await?;
            write::audit(
                &mut tx,
                SWEEPER,
                "risk_acceptance.expire",
                ("risk_acceptance", ra),
                json!({ "findings": ids, "reactivated": reactivate }),
                now,
            )
            .await?;
            expiry.risk_acceptances.push(ra);
        }
        tx.commit().await?;
        expiry.lifted.sort_unstable();
        Ok(expiry)
    }

    /// Changes a risk acceptance before it expires (a new expiry is checked against the policy
    /// from now); audited with what changed.
    pub async fn update_risk_acceptance(
        &self,
        user: &str,
        id: i64,
        patch: &DecisionPatch,
        now: DateTime<Utc>,
    ) -> Result<(), HubError> {
        let mut columns: Vec<(&str, Param)> = Vec::new();
        let mut changes = serde_json::Map::new();
        if let Some(expiration) = patch.expiration_date {
            let expiration = self.check_expiration(Some(expiration), now)?;
            columns.push(("expiration_date", expiration.into()));
            changes.insert("expiration_date".to_owned(), json!(expiration));
        }
        if let Some(why) = &patch.justification {
            let why = justification(why)?;
            columns.push(("decision_details", why.into()));
            changes.insert("justification".to_owned(), json!(why));
        }
        for (column, value) in [
            ("name", &patch.name),
            ("accepted_by", &patch.accepted_by),
            ("recommendation_details", &patch.recommendation_details),
        ] {
            if let Some(value) = value.as_deref().map(str::trim) {
                if value.is_empty() && column != "recommendation_details" {
                    return Err(HubError::field(column, "This field may not be blank."));
                }
                columns.push((column, value.into()));
                changes.insert(column.to_owned(), json!(value));
            }
        }
        for (column, value) in [
            ("recommendation", &patch.recommendation),
            ("decision", &patch.decision),
        ] {
            if let Some(value) = value.as_deref() {
                if value.trim().is_empty() {
                    return Err(HubError::field(column, "This field may not be blank."));
                }
                let value = choice(column, Some(value), "A")?;
                changes.insert(column.to_owned(), json!(value));
                columns.push((column, value.into()));
            }
        }
        for (column, value) in [
            ("reactivate_expired", patch.reactivate_expired),
            ("restart_sla_expired", patch.restart_sla_expired),
        ] {
            if let Some(value) = value {
                columns.push((column, value.into()));
                changes.insert(column.to_owned(), json!(value));
            }
        }
        let mut tx = self.db().begin().await?;
        let sql = format!(
            "SELECT expiration_date_handled FROM risk_acceptances WHERE id = $1{}",
            for_update(&tx)
        );
        let Some(row) = tx.fetch_optional(&sql, &[id.into()]).await? else {
            return Err(HubError::NotFound(format!("risk_acceptance {id}")));
        };
        if let Some(handled) = row.opt_time("expiration_date_handled")? {
            return Err(HubError::context(format!(
                "Risk acceptance {id} expired and was handled at {handled}: accept the findings \
                 again with a new risk acceptance"
            )));
        }
        if columns.is_empty() {
            return Ok(());
        }
        let mut set = Vec::with_capacity(columns.len() + 1);
        let mut params: Vec<Param> = Vec::with_capacity(columns.len() + 2);
        for (column, value) in columns {
            params.push(value);
            set.push(format!("{column} = ${}", params.len()));
        }
        params.push(now.into());
        set.push(format!("updated = ${}", params.len()));
        params.push(id.into());
        tx.execute(
            &format!(
                "UPDATE risk_acceptances SET {} WHERE id = ${}",
                set.join(", "),
                params.len()
            ),
            &params,
        )
        .await?;
        write::audit(
            &mut tx,
            user,
            "risk_acceptance.update",
            ("risk_acceptance", id),
            serde_json::Value::Object(changes),
            now,
        )
        .await?;
        tx.commit().await
    }

    /// The decision's expiry: the policy's default when it names none, never in the past and
    /// never beyond the policy's maximum.
    fn expiration(&self, d: &Decision, now: DateTime<Utc>) -> Result<DateTime<Utc>, HubError> {
        self.check_expiration(d.expiration_date, now)
    }

    fn check_expiration(
        &self,
        requested: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<DateTime<Utc>, HubError> {
        let policy = self.triage_policy();
        let days = |n: u32| now.checked_add_days(Days::new(u64::from(n))).unwrap_or(now);
        let expiration = requested.unwrap_or_else(|| days(policy.default_days));
        if expiration <= now {
            return Err(HubError::field(
                "expiration_date",
                format!(
                    "{} is not in the future: a decision must expire later so that it gets reviewed.",
                    expiration.date_naive()
                ),
            ));
        }
        if expiration > days(policy.max_days) {
            return Err(HubError::field(
                "expiration_date",
                format!(
                    "{} is more than {} days away, the longest this hub allows: choose an earlier \
                     date, or have the operator raise `gatehouse serve --max-acceptance-days`.",
                    expiration.date_naive(),
                    policy.max_days
                ),
            ));
        }
        Ok(expiration)
    }
}

fn justification(why: &str) -> Result<&str, HubError> {
    let why = why.trim();
    if why.is_empty() {
        return Err(HubError::field(
            "justification",
            "A justification is required: say why the finding may stay open \
             (`justification`, or DefectDojo's `decision_details`).",
        ));
    }
    Ok(why)
}

/// The findings a selection covers, locked for the rest of the transaction.
async fn select(tx: &mut Tx, selection: &Selection) -> Result<Vec<i64>, HubError> {
    match selection {
        Selection::Ids(ids) => {
            let mut ids = ids.clone();
            ids.sort_unstable();
            ids.dedup();
            if ids.is_empty() {
                return Err(HubError::field(
                    "accepted_findings",
                    "This list may not be empty.",
                ));
            }
            lock_products_of(tx, &ids).await?;
            let mut found = std::collections::HashMap::new();
            for chunk in ids.chunks(IDS_PER_STATEMENT) {
                let sql = format!(
                    "SELECT id, risk_accepted, false_p FROM findings WHERE id IN ({}){}",
                    placeholders(1, chunk.len()),
                    for_update(tx)
                );
                let params: Vec<Param> = chunk.iter().map(|id| Param::from(*id)).collect();
                for row in tx.fetch_all(&sql, &params).await? {
                    let suppressed = if row.bool("risk_accepted")? {
                        Some(Kind::RiskAccepted)
                    } else if row.bool("false_p")? {
                        Some(Kind::FalsePositive)
                    } else {
                        None
                    };
                    found.insert(row.i64("id")?, suppressed);
                }
            }
            for id in &ids {
                match found.get(id) {
                    None => {
                        return Err(HubError::field(
                            "accepted_findings",
                            format!("Invalid pk \"{id}\" - object does not exist."),
                        ));
                    }
                    Some(Some(kind)) => {
                        return Err(HubError::context(format!(
                            "Finding {id} is already {}: revert that first with PATCH \
                             /api/v2/findings/{id}/ {{\"{}\": false, \"justification\": \"…\"}}",
                            kind.describe(),
                            kind.flag()
                        )));
                    }
                    Some(None) => {}
                }
            }
            Ok(ids)
        }
        Selection::Filter {
            query,
            vulnerability_id,
        } => {
            let mut filter = read::filters(Resource::Findings, query)?;
            if filter.is_empty() && vulnerability_id.is_none() {
                return Err(HubError::context(
                    "Refusing to triage every finding: give at least one findings filter \
                     (for example ?product=1&severity=Low) or a vulnerability_id",
                ));
            }
            if let Some(id) = vulnerability_id {
                // `vulnerability_ids` is a JSON list of strings: match one element exactly.
                let needle = filter.bind(Param::from(format!("\"{id}\"")));
                let find = match tx.backend() {
                    Backend::Sqlite => "instr",
                    Backend::Postgres => "strpos",
                };
                filter.and(format!("{find}(vulnerability_ids, {needle}) > 0"));
            }
            filter.and("active");
            filter.and("NOT risk_accepted");
            filter.and("NOT false_p");
            if tx.backend() == Backend::Postgres {
                let candidates: Vec<i64> = tx
                    .fetch_all(
                        &format!("SELECT id FROM findings{} ORDER BY id", filter.sql()),
                        &filter.params,
                    )
                    .await?
                    .iter()
                    .map(|r| r.i64("id"))
                    .collect::<Result<_, _>>()?;
                lock_products_of(tx, &candidates).await?;
            }
            let sql = format!(
                "SELECT id FROM findings{} ORDER BY id{}",
                filter.sql(),
                for_update(tx)
            );
            tx.fetch_all(&sql, &filter.params)
                .await?
                .iter()
                .map(|r| r.i64("id"))
                .collect()
        }
    }
}

/// Stores the decision, links its findings, suppresses them and audits it all.
async fn record(
    tx: &mut Tx,
    user: &str,
    ids: &[i64],
    d: &Decision,
    expiration: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<i64, HubError> {
    let why = justification(&d.justification)?;
    fn nonempty(v: &Option<String>) -> Option<&str> {
        v.as_deref().map(str::trim).filter(|v| !v.is_empty())
    }
    let accepted_by = nonempty(&d.accepted_by).unwrap_or(user).to_owned();
    let name = nonempty(&d.name).map_or_else(
        || match d.kind {
            Kind::RiskAccepted => format!("Risk acceptance ({} findings)", ids.len()),
            Kind::FalsePositive => format!("False positive ({} findings)", ids.len()),
        },
        str::to_owned,
    );
    let recommendation = choice("recommendation", d.recommendation.as_deref(), "F")?;
    let decision = choice("decision", d.decision.as_deref(), "A")?;
    let flag = d.kind.flag();
    let ra = tx
        .insert_id(
            "INSERT INTO risk_acceptances (name, kind, recommendation, recommendation_details, \
             decision, decision_details, accepted_by, owner, expiration_date, \
             reactivate_expired, restart_sla_expired, created, updated) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
            &[
                name.into(),
                flag.into(),
                recommendation.into(),
                d.recommendation_details.clone().into(),
                decision.into(),
                why.into(),
                accepted_by.as_str().into(),
                user.into(),
                expiration.into(),
                d.reactivate_expired.into(),
                d.restart_sla_expired.into(),
                now.into(),
            ],
        )
        .await?;
    for chunk in ids.chunks(IDS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO risk_acceptance_findings (risk_acceptance_id, finding_id) \
             SELECT $1, id FROM findings WHERE id IN ({})",
            placeholders(2, chunk.len())
        );
        let mut params: Vec<Param> = vec![ra.into()];
        params.extend(chunk.iter().map(|id| Param::from(*id)));
        tx.execute(&sql, &params).await?;
    }
    write::audit_findings(
        tx,
        user,
        &format!("finding.{flag}"),
        ids,
        &json!({
            "set": { flag: true, "active": false },
            "risk_acceptance": ra,
            "justification": why,
            "accepted_by": accepted_by,
            "expiration_date": expiration,
        }),
        now,
    )
    .await?;
    let set = match d.kind {
        Kind::RiskAccepted => "risk_accepted = $1, active = $2, updated = $3",
        // DefectDojo: a false positive cannot be verified.
        Kind::FalsePositive => "false_p = $1, active = $2, verified = $2, updated = $3",
    };
    history::record(tx, flag, ids, ("active", "FALSE"), now).await?;
    write::update_ids(tx, set, &[true.into(), false.into(), now.into()], ids).await?;
    write::audit(
        tx,
        user,
        "risk_acceptance.create",
        ("risk_acceptance", ra),
        json!({
            "kind": flag,
            "findings": ids,
            "justification": why,
            "accepted_by": accepted_by,
            "expiration_date": expiration,
        }),
        now,
    )
    .await?;
    Ok(ra)
}

/// Clears the decision's flag; a finding is active again unless it is closed, a duplicate,
/// out of scope or suppressed the other way.
async fn lift(tx: &mut Tx, kind: Kind, ids: &[i64], now: DateTime<Utc>) -> Result<(), HubError> {
    let open = format!(
        "NOT is_mitigated AND NOT duplicate AND NOT out_of_scope AND NOT {}",
        kind.other_flag()
    );
    // A lifted finding that stays closed (fixed meanwhile) is not reactivated.
    history::record_if(tx, "reactivated", ids, ("active", &open), &open, now).await?;
    let set = format!("{} = $1, active = {open}, updated = $2", kind.flag());
    write::update_ids(tx, &set, &[false.into(), now.into()], ids).await?;
    Ok(())
}

/// Ends the decisions holding `ids` (an import's `close_old_findings` closed them and took
/// their acceptance away, as DefectDojo does); the decisions themselves stay on record.
pub(crate) async fn release(tx: &mut Tx, ids: &[i64], now: DateTime<Utc>) -> Result<(), HubError> {
    for chunk in ids.chunks(IDS_PER_STATEMENT) {
        let sql = format!(
            "UPDATE risk_acceptance_findings SET released = $1 \
             WHERE released IS NULL AND finding_id IN ({})",
            placeholders(2, chunk.len())
        );
        let mut params: Vec<Param> = vec![now.into()];
        params.extend(chunk.iter().map(|id| Param::from(*id)));
        tx.execute(&sql, &params).await?;
    }
    Ok(())
}
