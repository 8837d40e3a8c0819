//! The dashboard's counts of past days, kept so that a month at a million
//! visits is read from a few thousand rows instead of counted again.
//!
//! A day is kept once nothing but a write can change its figures: it has
//! ended and every visit window in it has closed (grace included), so the
//! clock no longer moves a visit from "not yet due" to "untimely". Writes
//! that can change a visit's figures call [`forget_counted_days`] in their
//! transaction; it raises the epoch of the UTC days of every visit they can
//! affect. A kept day is used only while the epochs it was counted under
//! are still the current ones: the epochs are read before counting, so a
//! write committed meanwhile leaves the kept day stale, never wrong.

use std::collections::{BTreeMap, BTreeSet};

use sqlx::{AnyConnection, Row};

use super::dashboard::MetricScope;
use super::dashboard::{
    add_at, count, figure_counts, Buckets, Counted, DashboardCounts, ItemRates, Slices,
};
use super::{Store, StoreError};
use crate::domain::dashboard::FigureCounts;
use crate::domain::metrics::{Grace, Rate, RecallWindow, DAY_MS};
use crate::domain::time::Timestamp;

/// What a write changed, for [`forget_counted_days`].
#[derive(Clone, Copy, Debug)]
pub enum Touched<'a> {
    WorkOrder(&'a str),
    Visit(&'a str),
    /// A visit's window as it stood before the write moved it.
    WindowStart(Timestamp),
}

/// Marks stale every kept day that `touched` can change. A visit's figures
/// depend on its own records, on the other visits of its work order (which
/// visit was first, whether another was needed) and on later work orders
/// for the same appliance (repeat calls), so the days of every visit of
/// every work order on the appliance are marked. Run it at the end of the
/// transaction, after the change's own writes: on PostgreSQL it holds the
/// days' epoch rows until commit, and the fixed order of the rows keeps
/// two writers from waiting on each other for them.
pub async fn forget_counted_days(
    connection: &mut AnyConnection,
    touched: Touched<'_>,
) -> Result<(), StoreError> {
    const RAISE: &str = "ON CONFLICT (utc_day) DO UPDATE SET epoch = dashboard_epochs.epoch + 1";
    let (id, order) = match touched {
        Touched::WindowStart(start) => {
            return sqlx::query(&format!(
                "INSERT INTO dashboard_epochs (utc_day, epoch) VALUES ($1, 1) {RAISE}"
            ))
            .bind(start.unix_millis().div_euclid(DAY_MS))
            .execute(&mut *connection)
            .await
            .map(|_| ())
            .map_err(StoreError::from);
        }
        Touched::WorkOrder(id) => (id, "$1"),
        Touched::Visit(id) => (id, "(SELECT x.work_order_id FROM visits x WHERE x.id = $1)"),
    };
    sqlx::query(&format!(
        "INSERT INTO dashboard_epochs (utc_day, epoch) \
         SELECT DISTINCT v.window_start_ms / {DAY_MS} AS utc_day, 1 FROM visits v \
         JOIN work_orders w ON w.id = v.work_order_id \
         JOIN work_orders t ON t.appliance_id = w.appliance_id \
         WHERE t.id = {order} ORDER BY 1 {RAISE}"
    ))
    .bind(id)
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// The UTC days a local day starting at `day_start` overlaps.
fn utc_days(day_start: i64) -> (i64, i64) {
    (
        day_start.div_euclid(DAY_MS),
        (day_start + DAY_MS - 1).div_euclid(DAY_MS),
    )
}

/// The scope's days, when its trend buckets are made of whole days from
/// its start (day buckets and wider); `None` for hourly buckets.
fn whole_days(scope: &MetricScope, buckets: Buckets) -> Option<Vec<i64>> {
    let from = scope.from.unix_millis();
    let until = scope.until.unix_millis();
    let whole = buckets.width_ms > 0
        && buckets.width_ms % DAY_MS == 0
        && until > from
        && (until - from) % DAY_MS == 0
        && (from - buckets.origin.unix_millis()) % DAY_MS == 0;
    whole.then(|| (from..until).step_by(DAY_MS as usize).collect())
}

/// The final answer, gathered from counted or kept parts.
struct Gathered<'s> {
    scope: &'s MetricScope,
    buckets: Buckets,
    slices: Slices,
    items: ItemRates,
}

impl Gathered<'_> {
    /// Adds what `counted` holds for the scope; `start_of` turns a bucket
    /// of `counted` into the moment it starts, which places it in the
    /// answer's own buckets.
    fn add(&mut self, counted: &Counted, start_of: impl Fn(i64) -> i64) {
        let bucket_of = |key: i64| {
            (start_of(key) - self.buckets.origin.unix_millis()).div_euclid(self.buckets.width_ms)
        };
        let in_region = |region: &Option<String>| match &self.scope.region {
            None => true,
            Some(wanted) => region.as_deref() == Some(wanted.as_str()),
        };
        for ((key, region, technician), counts) in &counted.slices {
            let of_technician = match &self.scope.technician {
                None => true,
                Some(wanted) => technician.as_deref() == Some(wanted.as_str()),
            };
            if in_region(region) && of_technician {
                add_at(
                    &mut self.slices,
                    (bucket_of(*key), technician.clone()),
                    *counts,
                );
            }
        }
        for ((_, region, item_key), rate) in &counted.items {
            if in_region(region) {
                add_at(&mut self.items, item_key.clone(), *rate);
            }
        }
    }
}

fn as_i64(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// The columns of `dashboard_day_slices` after the key, in `FigureCounts`
/// order.
const SLICE_COLUMNS: [&str; 23] = [
    "visits_due",
    "on_time",
    "untimely",
    "completed_services",
    "rated",
    "rating_skill",
    "rating_attitude",
    "rating_timeliness",
    "rating_parts_supply",
    "rating_overall",
    "required_items_due",
    "required_items_missed",
    "first_visits_finished",
    "first_visit_fixes",
    "repeat_calls",
    "arrivals_timed",
    "to_arrival_ms",
    "fixes_timed",
    "to_fix_ms",
    "complaints",
    "verified_on_time",
    "preset_ratings",
    "closed_unsigned",
];

fn slice_values(counts: &FigureCounts) -> [i64; 23] {
    [
        as_i64(counts.visits_due),
        as_i64(counts.on_time),
        as_i64(counts.untimely),
        as_i64(counts.completed_services),
        as_i64(counts.ratings.count),
        as_i64(counts.ratings.skill),
        as_i64(counts.ratings.attitude),
        as_i64(counts.ratings.timeliness),
        as_i64(counts.ratings.parts_supply),
        as_i64(counts.ratings.overall),
        as_i64(counts.required_items_due),
        as_i64(counts.required_items_missed),
        as_i64(counts.first_visits_finished),
        as_i64(counts.first_visit_fixes),
        as_i64(counts.repeat_calls),
        as_i64(counts.to_arrival.count),
        counts.to_arrival.total_ms,
        as_i64(counts.to_fix.count),
        counts.to_fix.total_ms,
        as_i64(counts.complaints),
        as_i64(counts.verified_on_time),
        as_i64(counts.preset_ratings),
        as_i64(counts.closed_unsigned),
    ]
}

/// Days kept in one transaction.
const DAYS_KEPT_PER_TRANSACTION: usize = 7;

/// A value of a kept row.
enum Cell {
    Number(i64),
    Text(Option<String>),
}

/// Writes `rows` into `table`, as many to a statement as suits the engine.
async fn insert_rows(
    connection: &mut AnyConnection,
    engine: super::dialect::Engine,
    table: &str,
    columns: &[&str],
    rows: &[Vec<Cell>],
) -> Result<(), StoreError> {
    for chunk in rows.chunks(engine.rows_per_insert()) {
        let sql = insert_sql(table, columns, chunk.len());
        let mut query = sqlx::query(&sql);
        for cell in chunk.iter().flatten() {
            query = match cell {
                Cell::Number(number) => query.bind(*number),
                Cell::Text(text) => query.bind(text.clone()),
            };
        }
        query.execute(&mut *connection).await?;
    }
    Ok(())
}

/// `INSERT INTO table (columns) VALUES ($1, …), (…)` for `rows` rows.
fn insert_sql(table: &str, columns: &[&str], rows: usize) -> String {
    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
    let mut parameter = 0;
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for column in 0..columns.len() {
            if column > 0 {
                sql.push_str(", ");
            }
            parameter += 1;
            sql.push_str(&format!("${parameter}"));
        }
        sql.push(')');
    }
    sql
}

impl Store {
    /// Every count of the dashboard for the scope: kept days where they are
    /// still good, the rest counted (and kept when they can be).
    pub async fn dashboard_counts(
        &self,
        scope: &MetricScope,
        buckets: Buckets,
        grace: Grace,
        recall: RecallWindow,
        now: Timestamp,
    ) -> Result<DashboardCounts, StoreError> {
        let Some(days) = whole_days(scope, buckets) else {
            return self
                .dashboard_counts_from_visits(scope, buckets, grace, recall, now)
                .await;
        };
        let mut gathered = Gathered {
            scope,
            buckets,
            slices: Slices::new(),
            items: ItemRates::new(),
        };
        let ended: Vec<i64> = days
            .iter()
            .copied()
            .filter(|day| day + DAY_MS <= now.unix_millis())
            .collect();
        let kept = match (ended.first(), ended.last()) {
            (Some(&first), Some(&last)) => {
                self.read_kept_days(scope, (first, last + DAY_MS), grace, recall, &mut gathered)
                    .await?
            }
            _ => BTreeSet::new(),
        };
        let missing: Vec<i64> = ended
            .iter()
            .copied()
            .filter(|day| !kept.contains(day))
            .collect();
        for run in missing.chunk_by(|a, b| b - a == DAY_MS) {
            let (counted, _) = self.count_and_keep(run, grace, recall, now).await?;
            gathered.add(&counted, |bucket| run[0] + bucket * DAY_MS);
        }
        if let Some(&first_open) = days.iter().find(|day| !ended.contains(day)) {
            let open = MetricScope {
                from: Timestamp::from_unix_millis(first_open),
                ..scope.clone()
            };
            let counted = self
                .count_dashboard(&open, buckets, grace, recall, now)
                .await?;
            let origin = buckets.origin.unix_millis();
            gathered.add(&counted, |bucket| origin + bucket * buckets.width_ms);
        }
        // Kept items are by region only: one technician's are counted.
        let items = match scope.technician {
            Some(_) => self.count_items(scope, buckets).await?,
            None => gathered.items,
        };
        Ok(DashboardCounts {
            slices: gathered.slices,
            items: self.item_rows(items).await?,
        })
    }

    /// Counts and keeps every day of `[from, until)` (days from `from`,
    /// local midnights as the dashboard's periods have them) that has ended
    /// and is not kept under the current epochs: what a first request for
    /// those days would otherwise count while its reader waits. Says how
    /// many days were kept (a day whose windows are still open is counted
    /// but not kept).
    pub async fn keep_ended_days(
        &self,
        from: Timestamp,
        until: Timestamp,
        grace: Grace,
        recall: RecallWindow,
        now: Timestamp,
    ) -> Result<usize, StoreError> {
        let ended: Vec<i64> = (from.unix_millis()..until.unix_millis())
            .step_by(DAY_MS as usize)
            .filter(|day| day + DAY_MS <= now.unix_millis())
            .collect();
        let (Some(&first), Some(&last)) = (ended.first(), ended.last()) else {
            return Ok(0);
        };
        let kept = self
            .good_kept_days((first, last + DAY_MS), grace, recall)
            .await?;
        let missing: Vec<i64> = ended
            .into_iter()
            .filter(|day| !kept.contains(day))
            .collect();
        let mut kept = 0;
        for run in missing.chunk_by(|a, b| b - a == DAY_MS) {
            kept += self.count_and_keep(run, grace, recall, now).await?.1;
        }
        Ok(kept)
    }

    /// Counts a run of consecutive ended days by day, and keeps those whose
    /// windows have all closed; says how many were kept. The counts'
    /// buckets are days from `run[0]`.
    async fn count_and_keep(
        &self,
        run: &[i64],
        grace: Grace,
        recall: RecallWindow,
        now: Timestamp,
    ) -> Result<(Counted, usize), StoreError> {
        let (from, until) = (run[0], run[run.len() - 1] + DAY_MS);
        let (first_utc, _) = utc_days(from);
        let (_, last_utc) = utc_days(until - DAY_MS);
        let epochs = self.epochs(first_utc, last_utc).await?;
        let whole_run = MetricScope {
            from: Timestamp::from_unix_millis(from),
            until: Timestamp::from_unix_millis(until),
            region: None,
            technician: None,
        };
        let by_day = Buckets {
            origin: whole_run.from,
            width_ms: DAY_MS,
        };
        let counted = self
            .count_dashboard(&whole_run, by_day, grace, recall, now)
            .await?;
        let settled: Vec<i64> = run
            .iter()
            .copied()
            .filter(|day| {
                counted
                    .latest_window_end
                    .get(&((day - from) / DAY_MS))
                    .is_none_or(|end| end + grace.millis() < now.unix_millis())
            })
            .collect();
        // Keeping only saves the next request's time: the answer stands
        // without it. A week to a transaction, so SQLite's one writer is
        // not held from the phones' syncs for a whole run of days.
        let mut kept = 0;
        for days in settled.chunks(DAYS_KEPT_PER_TRANSACTION) {
            match self
                .keep_days(days, from, &counted, &epochs, (grace, recall), now)
                .await
            {
                Ok(()) => kept += days.len(),
                Err(error) => {
                    tracing::warn!(%error, "dashboard: the counted days were not kept");
                    break;
                }
            }
        }
        Ok((counted, kept))
    }

    /// The same counts straight from the visits, nothing kept: what the
    /// kept days must always agree with.
    pub async fn dashboard_counts_from_visits(
        &self,
        scope: &MetricScope,
        buckets: Buckets,
        grace: Grace,
        recall: RecallWindow,
        now: Timestamp,
    ) -> Result<DashboardCounts, StoreError> {
        let counted = self
            .count_dashboard(scope, buckets, grace, recall, now)
            .await?;
        let mut gathered = Gathered {
            scope,
            buckets,
            slices: Slices::new(),
            items: ItemRates::new(),
        };
        let origin = buckets.origin.unix_millis();
        gathered.add(&counted, |bucket| origin + bucket * buckets.width_ms);
        Ok(DashboardCounts {
            slices: gathered.slices,
            items: self.item_rows(gathered.items).await?,
        })
    }

    /// The current epochs of the UTC days `first..=last` (absent: 0).
    async fn epochs(&self, first: i64, last: i64) -> Result<BTreeMap<i64, i64>, StoreError> {
        sqlx::query(
            "SELECT utc_day, epoch FROM dashboard_epochs WHERE utc_day >= $1 AND utc_day <= $2",
        )
        .bind(first)
        .bind(last)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| Ok((row.try_get("utc_day")?, row.try_get("epoch")?)))
        .collect()
    }

    /// The kept days of `[from, until)` still good under the current epochs.
    async fn good_kept_days(
        &self,
        (from, until): (i64, i64),
        grace: Grace,
        recall: RecallWindow,
    ) -> Result<BTreeSet<i64>, StoreError> {
        let epoch_of = |day: &str| {
            format!("COALESCE((SELECT e.epoch FROM dashboard_epochs e WHERE e.utc_day = {day}), 0)")
        };
        sqlx::query(&format!(
            "SELECT d.day_start_ms FROM dashboard_days d \
             WHERE d.day_start_ms >= $1 AND d.day_start_ms < $2 \
             AND d.grace_ms = $3 AND d.recall_ms = $4 \
             AND d.first_epoch = {} AND d.last_epoch = {}",
            epoch_of(&format!("d.day_start_ms / {DAY_MS}")),
            epoch_of(&format!("(d.day_start_ms + {}) / {DAY_MS}", DAY_MS - 1)),
        ))
        .bind(from)
        .bind(until)
        .bind(grace.millis())
        .bind(recall.millis())
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| row.try_get("day_start_ms").map_err(StoreError::from))
        .collect()
    }

    /// Adds the kept days of `range` still good under the current epochs
    /// to `gathered`, and says which they were.
    async fn read_kept_days(
        &self,
        scope: &MetricScope,
        (from, until): (i64, i64),
        grace: Grace,
        recall: RecallWindow,
        gathered: &mut Gathered<'_>,
    ) -> Result<BTreeSet<i64>, StoreError> {
        let good = self.good_kept_days((from, until), grace, recall).await?;
        if good.is_empty() {
            return Ok(good);
        }
        // Days are kept whole, so the range's rows are read and those of
        // days not good are left out.
        let key = "day_start_ms >= $1 AND day_start_ms < $2 AND grace_ms = $3 \
             AND recall_ms = $4 AND ($5 IS NULL OR region_id = $5)";
        let mut kept = Counted::default();
        let slices = sqlx::query(&format!(
            "SELECT * FROM dashboard_day_slices WHERE {key} \
             AND ($6 IS NULL OR technician_id = $6)"
        ))
        .bind(from)
        .bind(until)
        .bind(grace.millis())
        .bind(recall.millis())
        .bind(scope.region.as_ref().map(|r| r.to_string()))
        .bind(scope.technician.as_ref().map(|t| t.to_string()))
        .fetch_all(self.pool())
        .await?;
        for row in &slices {
            let day: i64 = row.try_get("day_start_ms")?;
            if good.contains(&day) {
                let key = (
                    day,
                    row.try_get("region_id")?,
                    row.try_get("technician_id")?,
                );
                add_at(&mut kept.slices, key, figure_counts(row)?);
            }
        }
        if scope.technician.is_none() {
            let items = sqlx::query(&format!("SELECT * FROM dashboard_day_items WHERE {key}"))
                .bind(from)
                .bind(until)
                .bind(grace.millis())
                .bind(recall.millis())
                .bind(scope.region.as_ref().map(|r| r.to_string()))
                .fetch_all(self.pool())
                .await?;
            for row in &items {
                let day: i64 = row.try_get("day_start_ms")?;
                if good.contains(&day) {
                    let rate = Rate {
                        count: count(row, "answered")?,
                        out_of: count(row, "due")?,
                    };
                    let key = (day, row.try_get("region_id")?, row.try_get("item_key")?);
                    add_at(&mut kept.items, key, rate);
                }
            }
        }
        gathered.add(&kept, |day| day);
        Ok(good)
    }

    /// Keeps the `days` of a run counted by day from `run_from`, under the
    /// epochs read before counting, replacing what was kept of them.
    async fn keep_days(
        &self,
        days: &[i64],
        run_from: i64,
        counted: &Counted,
        epochs: &BTreeMap<i64, i64>,
        (grace, recall): (Grace, RecallWindow),
        now: Timestamp,
    ) -> Result<(), StoreError> {
        if days.is_empty() {
            return Ok(());
        }
        let keeping: BTreeSet<i64> = days.iter().copied().collect();
        let day_of = |bucket: i64| run_from + bucket * DAY_MS;
        let mut tx = self.begin().await?;
        for &day in days {
            let (first, last) = utc_days(day);
            // On PostgreSQL the day's row is locked from here to commit, so
            // two requests keeping the same day take turns and the second
            // deletes what the first kept instead of doubling it.
            sqlx::query(
                "INSERT INTO dashboard_days (day_start_ms, grace_ms, recall_ms, first_epoch, \
                 last_epoch, counted_at_ms) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (day_start_ms, grace_ms, recall_ms) DO UPDATE SET \
                 first_epoch = excluded.first_epoch, last_epoch = excluded.last_epoch, \
                 counted_at_ms = excluded.counted_at_ms",
            )
            .bind(day)
            .bind(grace.millis())
            .bind(recall.millis())
            .bind(epochs.get(&first).copied().unwrap_or(0))
            .bind(epochs.get(&last).copied().unwrap_or(0))
            .bind(now.unix_millis())
            .execute(&mut *tx)
            .await?;
            for table in ["dashboard_day_slices", "dashboard_day_items"] {
                sqlx::query(&format!(
                    "DELETE FROM {table} WHERE day_start_ms = $1 AND grace_ms = $2 \
                     AND recall_ms = $3"
                ))
                .bind(day)
                .bind(grace.millis())
                .bind(recall.millis())
                .execute(&mut *tx)
                .await?;
            }
        }
        let key_columns = ["day_start_ms", "grace_ms", "recall_ms", "region_id"];
        let key = |bucket: i64, region: &Option<String>| {
            vec![
                Cell::Number(day_of(bucket)),
                Cell::Number(grace.millis()),
                Cell::Number(recall.millis()),
                Cell::Text(region.clone()),
            ]
        };
        let kept = |bucket: &i64| keeping.contains(&day_of(*bucket));
        let slices: Vec<Vec<Cell>> = counted
            .slices
            .iter()
            .filter(|((bucket, _, _), _)| kept(bucket))
            .map(|((bucket, region, technician), counts)| {
                let mut row = key(*bucket, region);
                row.push(Cell::Text(technician.clone()));
                row.extend(slice_values(counts).map(Cell::Number));
                row
            })
            .collect();
        let mut columns = key_columns.to_vec();
        columns.push("technician_id");
        columns.extend(SLICE_COLUMNS);
        insert_rows(
            &mut tx,
            self.engine(),
            "dashboard_day_slices",
            &columns,
            &slices,
        )
        .await?;
        let items: Vec<Vec<Cell>> = counted
            .items
            .iter()
            .filter(|((bucket, _, _), _)| kept(bucket))
            .map(|((bucket, region, item_key), rate)| {
                let mut row = key(*bucket, region);
                row.extend([
                    Cell::Text(Some(item_key.clone())),
                    Cell::Number(as_i64(rate.out_of)),
                    Cell::Number(as_i64(rate.count)),
                ]);
                row
            })
            .collect();
        let mut columns = key_columns.to_vec();
        columns.extend(["item_key", "due", "answered"]);
        insert_rows(
            &mut tx,
            self.engine(),
            "dashboard_day_items",
            &columns,
            &items,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
