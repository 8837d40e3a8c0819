//! The dashboard's counts, by trend bucket, region and technician, in four
//! grouped queries over the period's visits. Each count mirrors a pure
//! function of `domain::metrics`; `domain::dashboard` derives every figure
//! from them. `dashboard_cache` keeps the counts of past days. Each mirror
//! is checked against its pure function on generated data, on both engines.

use std::collections::BTreeMap;

use sqlx::Row;

use super::{Store, StoreError};
use crate::domain::checklist::SIGNED_BY_CUSTOMER;
use crate::domain::dashboard::FigureCounts;
use crate::domain::ids::RecordId;
use crate::domain::metrics::{Grace, MeanDuration, Rate, RatingTotals, RecallWindow};
use crate::domain::time::Timestamp;

/// Which visits a figure covers: windows starting in `[from, until)`, in
/// one region and of one technician when given.
#[derive(Clone, Debug)]
pub struct MetricScope {
    pub from: Timestamp,
    pub until: Timestamp,
    pub region: Option<RecordId>,
    pub technician: Option<RecordId>,
}

/// The scope's filter on `visits v` joined to `work_orders w`; its
/// parameters are $1–$4 in this order.
pub(super) const SCOPE: &str = "v.window_start_ms >= $1 AND v.window_start_ms < $2 \
     AND ($3 IS NULL OR w.region_id = $3) AND ($4 IS NULL OR v.technician_id = $4)";

/// A query over `SCOPE` with the scope's four parameters bound; the
/// query's own parameters follow from $5.
pub(super) fn scoped<'q>(
    sql: &'q str,
    scope: &MetricScope,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    sqlx::query(sql)
        .bind(scope.from.unix_millis())
        .bind(scope.until.unix_millis())
        .bind(scope.region.as_ref().map(|r| r.to_string()))
        .bind(scope.technician.as_ref().map(|t| t.to_string()))
}

/// How the period is cut for the trend: buckets of `width_ms` from `origin`.
#[derive(Clone, Copy, Debug)]
pub struct Buckets {
    pub origin: Timestamp,
    pub width_ms: i64,
}

/// The counts of one bucket and one technician (`None`: visits nobody was
/// assigned to).
pub type Slices = BTreeMap<(i64, Option<String>), FigureCounts>;

/// Everything the dashboard counts over a scope.
#[derive(Clone, Debug, Default)]
pub struct DashboardCounts {
    pub slices: Slices,
    pub items: Vec<ItemCompliance>,
}

/// One required checklist item's compliance over the period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemCompliance {
    pub item_key: String,
    pub text_zh: String,
    pub text_en: String,
    pub rate: Rate,
}

/// Field insights of one product and category, with the newest notes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InsightGroup {
    pub appliance_category: String,
    pub brand: String,
    pub model: String,
    pub insight_category: String,
    pub count: u64,
    pub newest: Timestamp,
}

/// A note of the field-insight report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InsightNote {
    pub appliance_category: String,
    pub brand: String,
    pub model: String,
    pub insight_category: String,
    pub note: String,
    pub technician: String,
    pub written_at: Timestamp,
}

/// The bucket of a visit by the start of its window; parameters $5 and $6.
const BUCKET: &str = "(v.window_start_ms - $5) / $6";

/// The visit is its order's first that was not cancelled (creation order;
/// ids break ties the way UUIDv7 sorts).
const FIRST_ACTIVE_VISIT: &str = "NOT EXISTS (SELECT 1 FROM visits e \
     WHERE e.work_order_id = v.work_order_id AND e.status <> 'cancelled' \
     AND (e.created_at_ms < v.created_at_ms \
          OR (e.created_at_ms = v.created_at_ms AND e.id < v.id)))";

pub(crate) fn count(row: &sqlx::any::AnyRow, column: &str) -> Result<u64, StoreError> {
    Ok(u64::try_from(row.try_get::<Option<i64>, _>(column)?.unwrap_or(0)).unwrap_or(0))
}

/// A row's counts, read by the column names of `dashboard_day_slices`
/// (which every counting query uses too); a column the row lacks, or a
/// NULL sum, counts 0.
pub(crate) fn figure_counts(row: &sqlx::any::AnyRow) -> Result<FigureCounts, StoreError> {
    let number = |column: &str| -> Result<i64, StoreError> {
        match row.try_get::<Option<i64>, _>(column) {
            Ok(value) => Ok(value.unwrap_or(0)),
            Err(sqlx::Error::ColumnNotFound(_)) => Ok(0),
            Err(error) => Err(error.into()),
        }
    };
    let count = |column: &str| number(column).map(|n| u64::try_from(n).unwrap_or(0));
    Ok(FigureCounts {
        visits_due: count("visits_due")?,
        on_time: count("on_time")?,
        verified_on_time: count("verified_on_time")?,
        untimely: count("untimely")?,
        completed_services: count("completed_services")?,
        ratings: RatingTotals {
            count: count("rated")?,
            skill: count("rating_skill")?,
            attitude: count("rating_attitude")?,
            timeliness: count("rating_timeliness")?,
            parts_supply: count("rating_parts_supply")?,
            overall: count("rating_overall")?,
        },
        preset_ratings: count("preset_ratings")?,
        closed_unsigned: count("closed_unsigned")?,
        required_items_due: count("required_items_due")?,
        required_items_missed: count("required_items_missed")?,
        first_visits_finished: count("first_visits_finished")?,
        first_visit_fixes: count("first_visit_fixes")?,
        repeat_calls: count("repeat_calls")?,
        to_arrival: MeanDuration {
            count: count("arrivals_timed")?,
            total_ms: number("to_arrival_ms")?,
        },
        to_fix: MeanDuration {
            count: count("fixes_timed")?,
            total_ms: number("to_fix_ms")?,
        },
        complaints: count("complaints")?,
    })
}

/// A bucket, the work order's region and the visit's technician.
pub(crate) type SliceKey = (i64, Option<String>, Option<String>);

/// What one pass over the visits of a scope counts: the figures by bucket,
/// region and technician; each required item's compliance by bucket and
/// region; and the latest window end among each bucket's visits, which
/// tells whether a later clock can still change the bucket's figures.
#[derive(Clone, Debug, Default)]
pub(crate) struct Counted {
    pub slices: BTreeMap<SliceKey, FigureCounts>,
    pub items: BTreeMap<(i64, Option<String>, String), Rate>,
    pub latest_window_end: BTreeMap<i64, i64>,
}

/// Each required item's compliance, keyed by item.
pub(crate) type ItemRates = BTreeMap<String, Rate>;

/// Adds `value` to what `sums` holds at `key`: counts of every kind are
/// summed this way, whichever part of the dashboard they come from.
pub(crate) fn add_at<K: Ord, V: Copy + Default + std::ops::Add<Output = V>>(
    sums: &mut BTreeMap<K, V>,
    key: K,
    value: V,
) {
    let sum = sums.entry(key).or_default();
    *sum = *sum + value;
}

impl Store {
    /// Every count of the dashboard for the scope, straight from the
    /// visits: four grouped queries, run side by side.
    pub(crate) async fn count_dashboard(
        &self,
        scope: &MetricScope,
        buckets: Buckets,
        grace: Grace,
        recall: RecallWindow,
        now: Timestamp,
    ) -> Result<Counted, StoreError> {
        let (visits, items, first_visits, complaints) = tokio::try_join!(
            self.visit_counts(scope, buckets, grace, now),
            self.item_counts(scope, buckets),
            self.first_visit_counts(scope, buckets, recall),
            self.complaint_counts(scope, buckets),
        )?;
        let mut counted = Counted::default();
        for ((bucket, region, technician), (counts, latest_end)) in visits {
            let latest = counted
                .latest_window_end
                .entry(bucket)
                .or_insert(latest_end);
            *latest = (*latest).max(latest_end);
            add_at(&mut counted.slices, (bucket, region, technician), counts);
        }
        for ((bucket, region, technician), by_item) in items {
            let mut due = FigureCounts::default();
            for (item_key, rate) in by_item {
                due.required_items_due += rate.out_of;
                due.required_items_missed += rate.out_of - rate.count;
                add_at(&mut counted.items, (bucket, region.clone(), item_key), rate);
            }
            add_at(&mut counted.slices, (bucket, region, technician), due);
        }
        for (key, counts) in first_visits.into_iter().chain(complaints) {
            add_at(&mut counted.slices, key, counts);
        }
        Ok(counted)
    }

    /// A query grouped by `BUCKET`, region and technician: the scope's
    /// parameters ($1–$4), the buckets' ($5, $6), then `extra` from $7;
    /// each row read into its slice's value.
    async fn slices<T>(
        &self,
        sql: &str,
        scope: &MetricScope,
        buckets: Buckets,
        extra: &[i64],
        read: impl Fn(&sqlx::any::AnyRow) -> Result<T, StoreError>,
    ) -> Result<Vec<(SliceKey, T)>, StoreError> {
        let mut query = scoped(sql, scope)
            .bind(buckets.origin.unix_millis())
            .bind(buckets.width_ms);
        for value in extra {
            query = query.bind(*value);
        }
        query
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|row| {
                let key = (
                    row.try_get("bucket")?,
                    row.try_get("region")?,
                    row.try_get("technician")?,
                );
                Ok((key, read(row)?))
            })
            .collect()
    }

    /// Arrivals (`on_time_rate`, `untimely_rate`), completed services and
    /// the sign-offs' ratings (`RatingTotals`), over visits not cancelled;
    /// with the latest window end.
    async fn visit_counts(
        &self,
        scope: &MetricScope,
        buckets: Buckets,
        grace: Grace,
        now: Timestamp,
    ) -> Result<Vec<(SliceKey, (FigureCounts, i64))>, StoreError> {
        let sql = format!(
            "SELECT {BUCKET} AS bucket, w.region_id AS region, v.technician_id AS technician, \
             SUM(CASE WHEN v.arrived_at_ms >= v.window_start_ms - $7 \
                 AND v.arrived_at_ms <= v.window_end_ms + $7 THEN 1 ELSE 0 END) AS on_time, \
             SUM(CASE WHEN v.arrived_at_ms >= v.window_start_ms - $7 \
                 AND v.arrived_at_ms <= v.window_end_ms + $7 AND v.arrival_verified = 1 \
                 THEN 1 ELSE 0 END) AS verified_on_time, \
             SUM(CASE WHEN v.arrived_at_ms > v.window_end_ms + $7 \
                 OR (v.arrived_at_ms IS NULL AND $8 > v.window_end_ms + $7) \
                 THEN 1 ELSE 0 END) AS untimely, \
             SUM(CASE WHEN v.arrived_at_ms IS NOT NULL OR $8 > v.window_end_ms + $7 \
                 THEN 1 ELSE 0 END) AS visits_due, \
             SUM(CASE WHEN v.status IN ('signed', 'closed_unsigned') THEN 1 ELSE 0 END) \
                 AS completed_services, \
             SUM(CASE WHEN v.status = 'closed_unsigned' THEN 1 ELSE 0 END) AS closed_unsigned, \
             COUNT(s.visit_id) AS rated, SUM(s.rating_skill) AS rating_skill, \
             SUM(s.rating_attitude) AS rating_attitude, \
             SUM(s.rating_timeliness) AS rating_timeliness, \
             SUM(s.rating_parts_supply) AS rating_parts_supply, \
             SUM(s.rating_overall) AS rating_overall, \
             SUM(CASE WHEN s.answers_preset = 1 THEN 1 ELSE 0 END) AS preset_ratings, \
             MAX(v.window_end_ms) AS latest_end \
             FROM visits v JOIN work_orders w ON w.id = v.work_order_id \
             LEFT JOIN sign_offs s ON s.visit_id = v.id \
             WHERE {SCOPE} AND v.status <> 'cancelled' \
             GROUP BY {BUCKET}, w.region_id, v.technician_id"
        );
        self.slices(
            &sql,
            scope,
            buckets,
            &[grace.millis(), now.unix_millis()],
            |row| {
                let counts = figure_counts(row)?;
                Ok((counts, row.try_get::<i64, _>("latest_end")?))
            },
        )
        .await
    }

    /// Required items of the visit's own template version, due and
    /// answered (`compliance_by_item`, `omission_rate`), for visits whose
    /// work is finished. The customer's signature is the customer's to give:
    /// its item is due only once given (a visit closed unsigned counts apart,
    /// and is always called back).
    async fn item_counts(
        &self,
        scope: &MetricScope,
        buckets: Buckets,
    ) -> Result<BTreeMap<SliceKey, ItemRates>, StoreError> {
        let sql = format!(
            "SELECT {BUCKET} AS bucket, w.region_id AS region, v.technician_id AS technician, \
             i.item_key, COUNT(*) AS due, \
             SUM(CASE WHEN r.item_key IS NULL THEN 0 ELSE 1 END) AS answered \
             FROM visits v JOIN work_orders w ON w.id = v.work_order_id \
             JOIN checklist_template_items i \
                 ON i.version = v.checklist_version AND i.required = 1 \
             LEFT JOIN checklist_results r ON r.visit_id = v.id AND r.item_key = i.item_key \
             WHERE {SCOPE} AND v.status IN ('work_finished', 'signed', 'closed_unsigned') \
             AND NOT (v.status IN ('work_finished', 'closed_unsigned') \
                 AND i.item_key = '{SIGNED_BY_CUSTOMER}') \
             GROUP BY {BUCKET}, w.region_id, v.technician_id, i.item_key"
        );
        let rows = self
            .slices(&sql, scope, buckets, &[], |row| {
                Ok((
                    row.try_get::<String, _>("item_key")?,
                    Rate {
                        count: count(row, "answered")?,
                        out_of: count(row, "due")?,
                    },
                ))
            })
            .await?;
        let mut by_slice = BTreeMap::<SliceKey, ItemRates>::new();
        for (key, (item_key, rate)) in rows {
            add_at(by_slice.entry(key).or_default(), item_key, rate);
        }
        Ok(by_slice)
    }

    /// Per order, through its first active visit in scope: first-visit fix
    /// and repeat calls (`first_visit_verdict`), time to arrival and to fix
    /// (`time_to_arrival`, `time_to_fix`).
    async fn first_visit_counts(
        &self,
        scope: &MetricScope,
        buckets: Buckets,
        recall: RecallWindow,
    ) -> Result<BTreeMap<SliceKey, FigureCounts>, StoreError> {
        let sql = format!(
            "SELECT bucket, region, technician, \
             SUM(CASE WHEN finished_at IS NOT NULL THEN 1 ELSE 0 END) AS first_visits_finished, \
             SUM(CASE WHEN finished_at IS NOT NULL AND outcome = 'fixed' \
                 AND other_visits = 0 AND repeated = 0 THEN 1 ELSE 0 END) AS first_visit_fixes, \
             SUM(CASE WHEN finished_at IS NOT NULL THEN repeated ELSE 0 END) AS repeat_calls, \
             COUNT(arrived_at) AS arrivals_timed, \
             CAST(SUM(arrived_at - registered_at) AS BIGINT) AS to_arrival_ms, \
             COUNT(fixed_at) AS fixes_timed, \
             CAST(SUM(fixed_at - registered_at) AS BIGINT) AS to_fix_ms \
             FROM (SELECT {BUCKET} AS bucket, w.region_id AS region, \
                 v.technician_id AS technician, \
                 v.work_finished_at_ms AS finished_at, v.outcome, \
                 v.arrived_at_ms AS arrived_at, w.registered_at_ms AS registered_at, \
                 CASE WHEN EXISTS (SELECT 1 FROM visits o \
                     WHERE o.work_order_id = v.work_order_id AND o.status <> 'cancelled' \
                     AND o.id <> v.id) THEN 1 ELSE 0 END AS other_visits, \
                 CASE WHEN EXISTS (SELECT 1 FROM work_orders r \
                     WHERE r.appliance_id = w.appliance_id \
                     AND r.fault_category = w.fault_category \
                     AND r.registered_at_ms > w.registered_at_ms \
                     AND r.registered_at_ms <= v.work_finished_at_ms + $7 \
                     AND r.id <> w.id) THEN 1 ELSE 0 END AS repeated, \
                 (SELECT MIN(f.work_finished_at_ms) FROM visits f \
                     WHERE f.work_order_id = v.work_order_id AND f.status <> 'cancelled' \
                     AND f.outcome = 'fixed') AS fixed_at \
                 FROM visits v JOIN work_orders w ON w.id = v.work_order_id \
                 WHERE {SCOPE} AND v.status <> 'cancelled' AND {FIRST_ACTIVE_VISIT}) \
                 AS first_visits \
             GROUP BY bucket, region, technician"
        );
        let rows = self
            .slices(&sql, scope, buckets, &[recall.millis()], figure_counts)
            .await?;
        Ok(rows.into_iter().collect())
    }

    /// Complaints about the scope's visits (`complaint_rate`), whichever
    /// way they came in: at sign-off, on a callback, or by phone (a phone
    /// complaint is put on its work order's latest visit).
    async fn complaint_counts(
        &self,
        scope: &MetricScope,
        buckets: Buckets,
    ) -> Result<BTreeMap<SliceKey, FigureCounts>, StoreError> {
        let sql = format!(
            "SELECT {BUCKET} AS bucket, w.region_id AS region, v.technician_id AS technician, \
             COUNT(*) AS complaints \
             FROM complaints k JOIN visits v ON v.id = k.visit_id \
             JOIN work_orders w ON w.id = v.work_order_id \
             WHERE {SCOPE} AND v.status <> 'cancelled' \
             GROUP BY {BUCKET}, w.region_id, v.technician_id"
        );
        let rows = self
            .slices(&sql, scope, buckets, &[], figure_counts)
            .await?;
        Ok(rows.into_iter().collect())
    }

    /// Each required item's compliance over the scope's finished visits,
    /// straight from the visits.
    pub(crate) async fn count_items(
        &self,
        scope: &MetricScope,
        buckets: Buckets,
    ) -> Result<ItemRates, StoreError> {
        let mut rates = ItemRates::new();
        for by_item in self.item_counts(scope, buckets).await?.into_values() {
            for (item_key, rate) in by_item {
                add_at(&mut rates, item_key, rate);
            }
        }
        Ok(rates)
    }

    /// The items with their texts, in the order of the newest template that
    /// has each item.
    pub(crate) async fn item_rows(
        &self,
        rates: ItemRates,
    ) -> Result<Vec<ItemCompliance>, StoreError> {
        let texts = sqlx::query(
            "SELECT i.item_key, i.text_zh, i.text_en, i.position, i.version \
             FROM checklist_template_items i \
             WHERE i.version = (SELECT MAX(j.version) FROM checklist_template_items j \
                 WHERE j.item_key = i.item_key)",
        )
        .fetch_all(self.pool())
        .await?;
        let mut text_of = BTreeMap::new();
        for row in &texts {
            let key: String = row.try_get("item_key")?;
            let order = (
                -row.try_get::<i64, _>("version")?,
                row.try_get::<i64, _>("position")?,
            );
            text_of.insert(
                key,
                (
                    order,
                    row.try_get::<String, _>("text_zh")?,
                    row.try_get::<String, _>("text_en")?,
                ),
            );
        }
        let mut items: Vec<_> = rates
            .into_iter()
            .map(|(key, rate)| {
                let (order, text_zh, text_en) =
                    text_of
                        .get(&key)
                        .cloned()
                        .unwrap_or(((0, i64::MAX), key.clone(), key.clone()));
                (
                    order,
                    ItemCompliance {
                        item_key: key,
                        text_zh,
                        text_en,
                        rate,
                    },
                )
            })
            .collect();
        items.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.item_key.cmp(&b.1.item_key)));
        Ok(items.into_iter().map(|(_, item)| item).collect())
    }

    /// The field-insight report: counts by product and category, and the
    /// newest `note_limit` notes.
    pub async fn insight_report(
        &self,
        scope: &MetricScope,
        note_limit: i64,
    ) -> Result<(Vec<InsightGroup>, Vec<InsightNote>), StoreError> {
        let from = "FROM field_insights f JOIN visits v ON v.id = f.visit_id \
             JOIN work_orders w ON w.id = v.work_order_id \
             JOIN appliances a ON a.id = w.appliance_id";
        let groups = scoped(
            &format!(
                "SELECT a.category AS appliance_category, a.brand, a.model, \
                 f.category AS insight_category, COUNT(*) AS notes, \
                 MAX(f.written_at_ms) AS newest {from} WHERE {SCOPE} \
                 GROUP BY a.category, a.brand, a.model, f.category \
                 ORDER BY COUNT(*) DESC, a.category, a.brand, a.model, f.category"
            ),
            scope,
        )
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| {
            Ok(InsightGroup {
                appliance_category: row.try_get("appliance_category")?,
                brand: row.try_get("brand")?,
                model: row.try_get("model")?,
                insight_category: row.try_get("insight_category")?,
                count: count(row, "notes")?,
                newest: Timestamp::from_unix_millis(row.try_get("newest")?),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let notes = scoped(
            &format!(
                "SELECT a.category AS appliance_category, a.brand, a.model, \
                 f.category AS insight_category, f.note, f.written_at_ms, \
                 u.display_name {from} JOIN users u ON u.id = f.written_by \
                 WHERE {SCOPE} ORDER BY f.written_at_ms DESC, f.id LIMIT $5"
            ),
            scope,
        )
        .bind(note_limit)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| {
            Ok(InsightNote {
                appliance_category: row.try_get("appliance_category")?,
                brand: row.try_get("brand")?,
                model: row.try_get("model")?,
                insight_category: row.try_get("insight_category")?,
                note: row.try_get("note")?,
                technician: row.try_get("display_name")?,
                written_at: Timestamp::from_unix_millis(row.try_get("written_at_ms")?),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        Ok((groups, notes))
    }

    /// Display names of the technicians (active or not) of a region, or of
    /// all regions: the names on scorecards and the filter's choices.
    pub async fn technician_names(
        &self,
        region: Option<&crate::domain::ids::RecordId>,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, display_name FROM users WHERE role = 'technician' \
             AND ($1 IS NULL OR region_id = $1) ORDER BY display_name, id",
        )
        .bind(region.map(|r| r.to_string()))
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| Ok((row.try_get("id")?, row.try_get("display_name")?)))
            .collect()
    }

    /// The start of the earliest visit window: where the dashboard's
    /// history begins.
    pub async fn earliest_window_start(&self) -> Result<Option<Timestamp>, StoreError> {
        let row = sqlx::query("SELECT MIN(window_start_ms) AS earliest FROM visits")
            .fetch_one(self.pool())
            .await?;
        Ok(row
            .try_get::<Option<i64>, _>("earliest")?
            .map(Timestamp::from_unix_millis))
    }

    /// Every region's id and name, for the admin's filter.
    pub async fn region_names(&self) -> Result<Vec<(String, String)>, StoreError> {
        let rows = sqlx::query("SELECT id, name FROM regions ORDER BY name, id")
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|row| Ok((row.try_get("id")?, row.try_get("name")?)))
            .collect()
    }
}
