//! The dashboard's figures computed by SQL at scale. Each query mirrors a
//! pure function of `domain::metrics` (the definitions live there); a test
//! checks that both agree on generated data, on both engines.

use sqlx::Row;

use super::{Store, StoreError};
use crate::domain::ids::RecordId;
use crate::domain::metrics::{Grace, Rate};
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
const SCOPE: &str = "v.window_start_ms >= $1 AND v.window_start_ms < $2 \
     AND ($3 IS NULL OR w.region_id = $3) AND ($4 IS NULL OR v.technician_id = $4)";

/// A query over `SCOPE` with the scope's four parameters bound; the
/// query's own parameters follow from $5.
fn scoped<'q>(
    sql: &'q str,
    scope: &MetricScope,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    sqlx::query(sql)
        .bind(scope.from.unix_millis())
        .bind(scope.until.unix_millis())
        .bind(scope.region.as_ref().map(|r| r.to_string()))
        .bind(scope.technician.as_ref().map(|t| t.to_string()))
}

fn rate(row: &sqlx::any::AnyRow, count: &str, out_of: &str) -> Result<Rate, StoreError> {
    let value = |column: &str| -> Result<u64, StoreError> {
        Ok(u64::try_from(row.try_get::<Option<i64>, _>(column)?.unwrap_or(0)).unwrap_or(0))
    };
    Ok(Rate {
        count: value(count)?,
        out_of: value(out_of)?,
    })
}

impl Store {
    /// On-time and untimely arrival rates (`on_time_rate`, `untimely_rate`):
    /// over the visits due, not cancelled.
    pub async fn arrival_rates(
        &self,
        scope: &MetricScope,
        grace: Grace,
        now: Timestamp,
    ) -> Result<(Rate, Rate), StoreError> {
        let row = scoped(
            &format!(
                "SELECT \
             SUM(CASE WHEN v.arrived_at_ms >= v.window_start_ms - $5 \
                 AND v.arrived_at_ms <= v.window_end_ms + $5 THEN 1 ELSE 0 END) AS on_time, \
             SUM(CASE WHEN v.arrived_at_ms > v.window_end_ms + $5 \
                 OR (v.arrived_at_ms IS NULL AND $6 > v.window_end_ms + $5) THEN 1 ELSE 0 END) \
                 AS untimely, \
             SUM(CASE WHEN v.arrived_at_ms IS NOT NULL OR $6 > v.window_end_ms + $5 \
                 THEN 1 ELSE 0 END) AS due \
             FROM visits v JOIN work_orders w ON w.id = v.work_order_id \
             WHERE {SCOPE} AND v.status <> 'cancelled'"
            ),
            scope,
        )
        .bind(grace.millis())
        .bind(now.unix_millis())
        .fetch_one(self.pool())
        .await?;
        Ok((
            rate(&row, "on_time", "due")?,
            rate(&row, "untimely", "due")?,
        ))
    }

    /// Checklist omission (`omission_rate`): required items of the visit's
    /// own template version left unanswered, over required items, for
    /// visits whose work is finished.
    pub async fn omission_rate(&self, scope: &MetricScope) -> Result<Rate, StoreError> {
        let row = scoped(
            &format!(
                "SELECT SUM(CASE WHEN r.item_key IS NULL THEN 1 ELSE 0 END) AS missed, \
             COUNT(*) AS due \
             FROM visits v JOIN work_orders w ON w.id = v.work_order_id \
             JOIN checklist_template_items i ON i.version = v.checklist_version AND i.required = 1 \
             LEFT JOIN checklist_results r ON r.visit_id = v.id AND r.item_key = i.item_key \
             WHERE {SCOPE} AND v.status IN ('work_finished', 'signed')"
            ),
            scope,
        )
        .fetch_one(self.pool())
        .await?;
        rate(&row, "missed", "due")
    }

    /// Complaint rate (`complaint_rate`): complaints about the scope's
    /// signed visits over those visits (completed services).
    pub async fn complaint_rate(&self, scope: &MetricScope) -> Result<Rate, StoreError> {
        let row = scoped(
            &format!(
                "SELECT (SELECT COUNT(*) FROM complaints k JOIN visits v ON v.id = k.visit_id \
             JOIN work_orders w ON w.id = v.work_order_id \
             WHERE {SCOPE} AND v.status = 'signed') AS complaints, \
             (SELECT COUNT(*) FROM visits v JOIN work_orders w ON w.id = v.work_order_id \
             WHERE {SCOPE} AND v.status = 'signed') AS completed"
            ),
            scope,
        )
        .fetch_one(self.pool())
        .await?;
        rate(&row, "complaints", "completed")
    }
}
