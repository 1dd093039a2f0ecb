//! Finding history and the trends built from it. Every state change of a non-duplicate finding
//! appends a `finding_events` row (set-based, in the transaction that makes the change);
//! trends are counts of those rows per day or week and severity, plus the open count (the sum
//! of `delta` up to the end of each bucket).

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use serde_json::{Map, Value, json};

use crate::HubError;
use crate::prepare::SEVERITIES;
use crate::store::Store;
use crate::store::db::{Param, Tx, in_chunk, in_ids};

/// The events trends count, in response order.
pub const EVENTS: [&str; 5] = [
    "created",
    "closed",
    "reactivated",
    "risk_accepted",
    "false_p",
];

/// Records `event` for the non-duplicate findings among `ids`, before the change is applied:
/// `before` and `after` are SQL over the row as it is now, saying whether the finding is open
/// before and after the change (e.g. `active` and `FALSE` for a closure).
pub async fn record(
    tx: &mut Tx,
    event: &str,
    ids: &[i64],
    change: (&str, &str),
    now: DateTime<Utc>,
) -> Result<(), HubError> {
    record_if(tx, event, ids, change, "TRUE", now).await
}

/// [`record`] for the findings where `condition` (SQL over the row as it is now) holds.
pub async fn record_if(
    tx: &mut Tx,
    event: &str,
    ids: &[i64],
    (before, after): (&str, &str),
    condition: &str,
    now: DateTime<Utc>,
) -> Result<(), HubError> {
    for chunk in ids.chunks(in_chunk(tx.backend())) {
        let (in_list, list_params) = in_ids(tx.backend(), 4, chunk);
        let sql = format!(
            "INSERT INTO finding_events (finding_id, product_id, severity, event, delta, at, day) \
             SELECT id, product_id, severity, $1, \
             (CASE WHEN {after} THEN 1 ELSE 0 END) - (CASE WHEN {before} THEN 1 ELSE 0 END), \
             $2, $3 FROM findings WHERE NOT duplicate AND ({condition}) AND id {in_list} \
             ORDER BY id"
        );
        let mut params: Vec<Param> = vec![event.into(), now.into(), now.date_naive().into()];
        params.extend(list_params);
        tx.execute(&sql, &params).await?;
    }
    Ok(())
}

/// Bucket width of a trends query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interval {
    Day,
    /// ISO weeks, starting on Monday.
    Week,
}

/// The most buckets one trends query answers.
pub const MAX_BUCKETS: usize = 1000;

/// What a trends query asks for.
#[derive(Debug, Clone)]
pub struct TrendsQuery {
    /// `None`: every product.
    pub product: Option<i64>,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub interval: Interval,
}

/// Counts per severity (Critical … Info).
type PerSeverity = [i64; 5];

fn severity_index(word: &str) -> usize {
    SEVERITIES.iter().position(|s| *s == word).unwrap_or(4)
}

fn to_json(counts: &PerSeverity) -> Value {
    let mut map = Map::new();
    for (word, n) in SEVERITIES.iter().zip(counts) {
        map.insert(word.to_lowercase(), json!(n));
    }
    map.insert("total".to_owned(), json!(counts.iter().sum::<i64>()));
    Value::Object(map)
}

impl Interval {
    /// First day of the bucket holding `day`.
    fn bucket(self, day: NaiveDate) -> NaiveDate {
        match self {
            Interval::Day => day,
            Interval::Week => day
                .checked_sub_days(Days::new(u64::from(day.weekday().num_days_from_monday())))
                .unwrap_or(day),
        }
    }

    fn step(self) -> Days {
        match self {
            Interval::Day => Days::new(1),
            Interval::Week => Days::new(7),
        }
    }
}

impl Store {
    /// New, closed, reactivated and suppressed findings per bucket and severity, and the
    /// findings open at the end of each bucket, from the stored history.
    pub async fn trends(&self, q: &TrendsQuery) -> Result<Value, HubError> {
        if q.start > q.end {
            return Err(HubError::field(
                "start",
                format!("{} is after end {}: give start <= end.", q.start, q.end),
            ));
        }
        let mut buckets: Vec<NaiveDate> = Vec::new();
        let mut bucket = q.interval.bucket(q.start);
        while bucket <= q.end {
            if buckets.len() == MAX_BUCKETS {
                return Err(HubError::field(
                    "start",
                    format!(
                        "more than {MAX_BUCKETS} buckets between {} and {}: shorten the range or \
                         use interval=week.",
                        q.start, q.end
                    ),
                ));
            }
            buckets.push(bucket);
            bucket = match bucket.checked_add_days(q.interval.step()) {
                Some(next) => next,
                None => break,
            };
        }

        let mut scope = String::new();
        let mut params: Vec<Param> = vec![q.start.into()];
        if let Some(product) = q.product {
            params.push(product.into());
            scope = " AND product_id = $2".to_owned();
        }
        let mut open: PerSeverity = [0; 5];
        for row in self
            .db()
            .fetch_all(
                &format!(
                    "SELECT severity, CAST(SUM(delta) AS BIGINT) AS n FROM finding_events \
                     WHERE day < $1{scope} GROUP BY severity"
                ),
                &params,
            )
            .await?
        {
            open[severity_index(&row.text("severity")?)] += row.i64("n")?;
        }

        params.push(q.end.into());
        let end = format!("${}", params.len());
        // bucket → (event → counts, open delta)
        let mut counts: BTreeMap<NaiveDate, (BTreeMap<&str, PerSeverity>, PerSeverity)> =
            BTreeMap::new();
        for row in self
            .db()
            .fetch_all(
                &format!(
                    "SELECT day, severity, event, COUNT(*) AS n, CAST(SUM(delta) AS BIGINT) AS d \
                     FROM finding_events WHERE day >= $1 AND day <= {end}{scope} \
                     GROUP BY day, severity, event"
                ),
                &params,
            )
            .await?
        {
            let entry = counts
                .entry(q.interval.bucket(row.date("day")?))
                .or_default();
            let severity = severity_index(&row.text("severity")?);
            let event = row.text("event")?;
            if let Some(name) = EVENTS.iter().find(|e| **e == event) {
                entry.0.entry(name).or_default()[severity] += row.i64("n")?;
            }
            entry.1[severity] += row.i64("d")?;
        }

        let mut results = Vec::with_capacity(buckets.len());
        for bucket in buckets {
            let (events, delta) = counts.remove(&bucket).unwrap_or_default();
            for (total, d) in open.iter_mut().zip(delta) {
                *total += d;
            }
            let mut item = Map::new();
            item.insert("date".to_owned(), json!(bucket));
            item.insert("open".to_owned(), to_json(&open));
            for event in EVENTS {
                // DefectDojo's dashboards say "new" for findings first seen in the period.
                let key = if event == "created" { "new" } else { event };
                item.insert(
                    key.to_owned(),
                    to_json(&events.get(event).copied().unwrap_or_default()),
                );
            }
            results.push(Value::Object(item));
        }
        Ok(json!({
            "product": q.product,
            "start": q.start,
            "end": q.end,
            "interval": match q.interval { Interval::Day => "day", Interval::Week => "week" },
            "results": results,
        }))
    }
}

/// Age buckets of open findings, in days since the finding's date: `(label, from, to)`.
pub const AGE_BUCKETS: [(&str, i64, Option<i64>); 5] = [
    ("0-7", 0, Some(7)),
    ("8-30", 8, Some(30)),
    ("31-90", 31, Some(90)),
    ("91-180", 91, Some(180)),
    ("181+", 181, None),
];

impl Store {
    /// Open findings by age (days since their date, as of `today`) and severity, for one
    /// product or all.
    pub async fn open_by_age(
        &self,
        product: Option<i64>,
        today: NaiveDate,
    ) -> Result<Value, HubError> {
        let mut sql = "SELECT severity, date, COUNT(*) AS n FROM findings WHERE active".to_owned();
        let mut params: Vec<Param> = Vec::new();
        if let Some(product) = product {
            params.push(product.into());
            sql.push_str(" AND product_id = $1");
        }
        sql.push_str(" GROUP BY severity, date");
        let mut counts: [PerSeverity; AGE_BUCKETS.len()] = Default::default();
        for row in self.db().fetch_all(&sql, &params).await? {
            let age = (today - row.date("date")?).num_days().max(0);
            let bucket = AGE_BUCKETS
                .iter()
                .rposition(|(_, from, _)| age >= *from)
                .unwrap_or(0);
            if let Some(slot) = counts.get_mut(bucket) {
                slot[severity_index(&row.text("severity")?)] += row.i64("n")?;
            }
        }
        let buckets: Vec<Value> = AGE_BUCKETS
            .iter()
            .zip(counts.iter())
            .map(|((label, from, to), counts)| {
                let mut item = json!({"age": label, "min_days": from, "max_days": to});
                if let (Some(item), Value::Object(counts)) = (item.as_object_mut(), to_json(counts))
                {
                    item.extend(counts);
                }
                item
            })
            .collect();
        Ok(json!({ "product": product, "as_of": today, "buckets": buckets }))
    }
}
