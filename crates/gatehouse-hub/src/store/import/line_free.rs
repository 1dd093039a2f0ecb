//! The fallback match by [`dedupe::line_free_key`]: after the exact keys (tool id,
//! `hash_code`) of reimport and import dedupe found nothing for a report item, a stored finding
//! with the same line-free key is the same finding whose code moved or whose installed version
//! changed (DefectDojo #13681, #14205). A reimport then keeps that finding and moves it to the
//! report's line, title and keys; an import marks the item a duplicate of it.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};

use crate::HubError;
use crate::dedupe::{self, LineFreeInput};
use crate::prepare::NewFinding;
use crate::store::context::Context;
use crate::store::db::{DbRow, Param, Tx, placeholders};
use crate::store::write;

const IDS_PER_STATEMENT: usize = 2000;
/// Moved findings per `UPDATE` (12 parameters each, under SQLite's 32,766).
const MOVES_PER_STATEMENT: usize = 500;

/// A stored finding that may be the earlier position of a report item.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Candidate {
    pub id: i64,
    pub line: Option<i64>,
    pub key: String,
}

/// The line-free key of a report item.
pub(crate) fn row_key(row: &NewFinding) -> String {
    dedupe::line_free_key(&LineFreeInput {
        rule_id: &row.rule_id,
        vuln_id_from_tool: row.vuln_id_from_tool.as_deref(),
        vulnerability_ids: &row.vulnerability_ids,
        file_path: row.file_path.as_deref(),
        component_name: row.component_name.as_deref(),
        component_version: row.component_version.as_deref(),
        title: &row.title,
        description: &row.description,
    })
}

const COLUMNS: &str = "id, line, rule_id, vuln_id_from_tool, vulnerability_ids, file_path, \
                       component_name, component_version, title, description";

fn candidate(row: &DbRow) -> Result<Candidate, HubError> {
    let ids: Vec<String> =
        serde_json::from_str(&row.text("vulnerability_ids")?).unwrap_or_default();
    let rule_id = row.text("rule_id")?;
    let vuln_id_from_tool = row.opt_text("vuln_id_from_tool")?;
    let file_path = row.opt_text("file_path")?;
    let component_name = row.opt_text("component_name")?;
    let component_version = row.opt_text("component_version")?;
    let title = row.text("title")?;
    let description = row.text("description")?;
    Ok(Candidate {
        id: row.i64("id")?,
        line: row.opt_i64("line")?,
        key: dedupe::line_free_key(&LineFreeInput {
            rule_id: &rule_id,
            vuln_id_from_tool: vuln_id_from_tool.as_deref(),
            vulnerability_ids: &ids,
            file_path: file_path.as_deref(),
            component_name: component_name.as_deref(),
            component_version: component_version.as_deref(),
            title: &title,
            description: &description,
        }),
    })
}

/// The candidates among the findings `ids`, in id order.
pub(crate) async fn by_ids(tx: &mut Tx, ids: &[i64]) -> Result<Vec<Candidate>, HubError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IDS_PER_STATEMENT) {
        let sql = format!(
            "SELECT {COLUMNS} FROM findings WHERE id IN ({}) ORDER BY id",
            placeholders(1, chunk.len())
        );
        let params: Vec<Param> = chunk.iter().map(|id| Param::from(*id)).collect();
        for row in tx.fetch_all(&sql, &params).await? {
            out.push(candidate(&row)?);
        }
    }
    out.sort_by_key(|c| c.id);
    Ok(out)
}

/// Pairs report items (`rows`, in report order) with `candidates` of the same key: each item
/// takes the free candidate with the nearest line (then the lowest id; a candidate without a
/// line is nearest to an item without one); a candidate is taken once. Returns `(row index,
/// candidate index)` pairs. Pure; `O(log n)` per item, so one rule firing thousands of times in
/// one file stays cheap.
pub(crate) fn pair(
    candidates: &[Candidate],
    rows: &[(usize, String, Option<i64>)],
) -> Vec<(usize, usize)> {
    let mut groups: HashMap<&str, Group> = HashMap::new();
    for (i, c) in candidates.iter().enumerate() {
        groups.entry(c.key.as_str()).or_default().insert(c, i);
    }
    let mut pairs = Vec::new();
    for (row, key, line) in rows {
        if let Some(i) = groups
            .get_mut(key.as_str())
            .and_then(|g| g.take_nearest(*line))
        {
            pairs.push((*row, i));
        }
    }
    pairs
}

/// The free candidates of one key: by (line, id), by id, and those without a line by id.
#[derive(Default)]
struct Group {
    by_line: BTreeMap<(i64, i64), usize>,
    by_id: BTreeMap<i64, (Option<i64>, usize)>,
    no_line: BTreeMap<i64, usize>,
}

impl Group {
    fn insert(&mut self, c: &Candidate, index: usize) {
        match c.line {
            Some(line) => self.by_line.insert((line, c.id), index),
            None => self.no_line.insert(c.id, index),
        };
        self.by_id.insert(c.id, (c.line, index));
    }

    /// Removes and returns the candidate nearest to `line`.
    fn take_nearest(&mut self, line: Option<i64>) -> Option<usize> {
        let id = match line {
            Some(line) => self.nearest_line(line).or_else(|| self.first_no_line()),
            None => self
                .first_no_line()
                .or_else(|| self.by_id.keys().next().copied()),
        }?;
        let (line, index) = self.by_id.remove(&id)?;
        match line {
            Some(line) => self.by_line.remove(&(line, id)),
            None => self.no_line.remove(&id),
        };
        Some(index)
    }

    fn first_no_line(&self) -> Option<i64> {
        self.no_line.keys().next().copied()
    }

    /// The id of the candidate with the nearest line (lowest id on a tie).
    fn nearest_line(&self, line: i64) -> Option<i64> {
        let first_at = |at: i64| {
            self.by_line
                .range((at, i64::MIN)..)
                .next()
                .map(|((l, id), _)| (*l, *id))
        };
        let below = self
            .by_line
            .range(..=(line, i64::MAX))
            .next_back()
            .and_then(|((l, _), _)| first_at(*l));
        let above = first_at(line);
        match (below, above) {
            (Some((lb, ib)), Some((la, ia))) => {
                let key_b = (line.abs_diff(lb), ib);
                let key_a = (la.abs_diff(line), ia);
                Some(if key_b <= key_a { ib } else { ia })
            }
            (Some((_, id)), None) | (None, Some((_, id))) => Some(id),
            (None, None) => None,
        }
    }
}

/// A reimport keeps finding `id` for report item `row`: it takes the item's position, title,
/// description, version and keys (so the next run matches it exactly); status, dates and
/// triage stay. One `UPDATE … FROM` a `VALUES` list per chunk (a refactor moves thousands).
pub(crate) async fn move_to(
    tx: &mut Tx,
    moves: &[(i64, &NewFinding)],
    now: DateTime<Utc>,
) -> Result<(), HubError> {
    const COLUMNS: [&str; 11] = [
        "line",
        "file_path",
        "title",
        "description",
        "component_version",
        "hash_code",
        "unique_id_from_tool",
        "fingerprint",
        "cross_cve_key",
        "cross_loc_key",
        "detail",
    ];
    let width = COLUMNS.len() + 1;
    for chunk in moves.chunks(MOVES_PER_STATEMENT) {
        let mut params: Vec<Param> = vec![now.into()];
        let rows: Vec<String> = chunk
            .iter()
            .enumerate()
            .map(|(i, _)| format!("({})", placeholders(2 + i * width, width)))
            .collect();
        for (id, row) in chunk {
            params.extend([
                Param::from(*id),
                row.line.into(),
                row.file_path.clone().into(),
                row.title.clone().into(),
                row.description.clone().into(),
                row.component_version.clone().into(),
                row.hash_code.clone().into(),
                row.unique_id_from_tool.clone().into(),
                row.fingerprint.clone().into(),
                row.cross_cve_key.clone().into(),
                row.cross_loc_key.clone().into(),
                row.detail.clone().into(),
            ]);
        }
        let set: Vec<String> = COLUMNS.iter().map(|c| format!("{c} = v.{c}")).collect();
        let sql = format!(
            "WITH v(id, {}) AS (VALUES {}) UPDATE findings SET {}, updated = $1 FROM v \
             WHERE findings.id = v.id",
            COLUMNS.join(", "),
            rows.join(", "),
            set.join(", ")
        );
        tx.execute(&sql, &params).await?;
    }
    Ok(())
}

/// Import dedupe's fallback, after the exact dedupe stored the report items `rows` in test
/// `test_id` (also the items a reimport creates): those that became originals are marked
/// duplicates of an open original of the same scan type elsewhere in the dedupe scope with the
/// same line-free key (one the exact dedupe of this request did not already use). `inserted`:
/// report position → (id, duplicate), updated. Returns the originals so found (findings the
/// report still has, for `close_old_findings`).
pub(crate) async fn dedupe_import(
    tx: &mut Tx,
    ctx: &Context,
    test_id: i64,
    scan_type: &str,
    rows: &[&NewFinding],
    inserted: &mut HashMap<i64, (i64, bool)>,
) -> Result<Vec<i64>, HubError> {
    let mut originals: Vec<(&NewFinding, i64)> = rows
        .iter()
        .filter_map(|row| match inserted.get(&row.report_pos) {
            Some((id, false)) => Some((*row, *id)),
            _ => None,
        })
        .collect();
    if originals.is_empty() {
        return Ok(Vec::new());
    }
    originals.sort_by_key(|(row, _)| row.report_pos);
    if !other_tests(tx, ctx, test_id, scan_type).await? {
        return Ok(Vec::new());
    }
    // This request's items start at the lowest new id.
    let first_new = inserted.values().map(|(id, _)| *id).min().unwrap_or(0);
    let (scope, mut params) = write::scope_sql(ctx);
    params.push(scan_type.into());
    let scan_type_at = params.len();
    params.push(test_id.into());
    let test_at = params.len();
    params.push(first_new.into());
    let sql = format!(
        "SELECT {COLUMNS} FROM findings WHERE {scope} AND scan_type = ${scan_type_at} \
         AND test_id <> ${test_at} AND NOT duplicate AND NOT is_mitigated \
         AND id NOT IN (SELECT duplicate_of FROM findings WHERE test_id = ${test_at} \
         AND id >= ${} AND duplicate_of IS NOT NULL) ORDER BY id",
        params.len()
    );
    let candidates: Vec<Candidate> = tx
        .fetch_all(&sql, &params)
        .await?
        .iter()
        .map(candidate)
        .collect::<Result<_, _>>()?;
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    let keyed: Vec<(usize, String, Option<i64>)> = originals
        .iter()
        .enumerate()
        .map(|(i, (row, _))| (i, row_key(row), row.line))
        .collect();
    let pairs = pair(&candidates, &keyed);
    let mut marked: Vec<i64> = Vec::with_capacity(pairs.len());
    let mut found: Vec<i64> = Vec::with_capacity(pairs.len());
    for (row, candidate) in &pairs {
        let (Some((item, id)), Some(original)) = (originals.get(*row), candidates.get(*candidate))
        else {
            continue;
        };
        // The item, and the items of this report that were its duplicates (no chains).
        tx.execute(
            "UPDATE findings SET duplicate = $1, active = $2, verified = $3, duplicate_of = $4 \
             WHERE id = $5 OR (test_id = $6 AND duplicate_of = $5)",
            &[
                true.into(),
                false.into(),
                false.into(),
                original.id.into(),
                (*id).into(),
                test_id.into(),
            ],
        )
        .await?;
        marked.push(*id);
        found.push(original.id);
        if let Some(entry) = inserted.get_mut(&item.report_pos) {
            entry.1 = true;
        }
    }
    // Their `created` events were written as originals; duplicates have no history.
    for chunk in marked.chunks(IDS_PER_STATEMENT) {
        let sql = format!(
            "DELETE FROM finding_events WHERE finding_id IN ({})",
            placeholders(1, chunk.len())
        );
        let params: Vec<Param> = chunk.iter().map(|id| Param::from(*id)).collect();
        tx.execute(&sql, &params).await?;
    }
    Ok(found)
}

/// Whether the dedupe scope has another test of `scan_type` (a first import has nothing to be
/// a duplicate of; asked of the small `tests` table, not of the findings).
async fn other_tests(
    tx: &mut Tx,
    ctx: &Context,
    test_id: i64,
    scan_type: &str,
) -> Result<bool, HubError> {
    let rows = if ctx.deduplication_on_engagement {
        tx.fetch_all(
            "SELECT id FROM tests WHERE engagement_id = $1 AND scan_type = $2 AND id <> $3 \
             LIMIT 1",
            &[ctx.engagement_id.into(), scan_type.into(), test_id.into()],
        )
        .await?
    } else {
        tx.fetch_all(
            "SELECT t.id FROM tests t JOIN engagements e ON e.id = t.engagement_id \
             WHERE e.product_id = $1 AND NOT e.deduplication_on_engagement \
             AND t.scan_type = $2 AND t.id <> $3 LIMIT 1",
            &[ctx.product_id.into(), scan_type.into(), test_id.into()],
        )
        .await?
    };
    Ok(!rows.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(id: i64, line: i64, key: &str) -> Candidate {
        Candidate {
            id,
            line: Some(line),
            key: key.to_owned(),
        }
    }

    #[test]
    fn pairs_take_the_nearest_line_once() {
        let candidates = [
            candidate(1, 50, "a"),
            candidate(2, 80, "a"),
            candidate(3, 10, "b"),
        ];
        let rows = [
            (0, "a".to_owned(), Some(83)),
            (1, "a".to_owned(), Some(52)),
            (2, "a".to_owned(), Some(90)),
            (3, "c".to_owned(), Some(10)),
        ];
        // 83 takes 80 (id 2), 52 takes 50 (id 1), 90 finds nothing left, "c" has no group.
        assert_eq!(pair(&candidates, &rows), vec![(0, 1), (1, 0)]);
    }

    #[test]
    fn items_without_a_line_take_candidates_without_one_first() {
        let mut candidates = vec![candidate(1, 5, "a"), candidate(3, 9, "a")];
        candidates.push(Candidate {
            id: 2,
            line: None,
            key: "a".to_owned(),
        });
        let rows = [
            (0, "a".to_owned(), None),
            (1, "a".to_owned(), None),
            (2, "a".to_owned(), Some(8)),
        ];
        // No line: id 2 (no line), then the lowest id; line 8: what is left, id 3.
        assert_eq!(pair(&candidates, &rows), vec![(0, 2), (1, 0), (2, 1)]);
    }

    #[test]
    fn many_of_one_key_pair_line_by_line() {
        let candidates: Vec<Candidate> = (0..20_000)
            .map(|i| candidate(i + 1, i * 2, "hot"))
            .collect();
        // Every item three lines lower than one candidate (and one line from the next).
        let rows: Vec<(usize, String, Option<i64>)> = (0..20_000)
            .map(|i| (i as usize, "hot".to_owned(), Some(i as i64 * 2 + 3)))
            .collect();
        let pairs = pair(&candidates, &rows);
        assert_eq!(pairs.len(), 20_000);
        // Item 0 (line 3) is one line from the candidates at lines 2 (id 2) and 4 (id 3): the
        // lower id wins; and so on, until the last item takes the one left, at line 0.
        assert_eq!(pairs.first(), Some(&(0, 1)));
        assert_eq!(pairs.get(1), Some(&(1, 2)));
        assert_eq!(pairs.last(), Some(&(19_999, 0)));
    }

    #[test]
    fn equal_distance_goes_to_the_lowest_id() {
        let candidates = [candidate(7, 20, "a"), candidate(4, 40, "a")];
        assert_eq!(
            pair(&candidates, &[(0, "a".to_owned(), Some(30))]),
            vec![(0, 1)]
        );
    }
}
