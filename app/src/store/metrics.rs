//! The scope every dashboard query shares. The queries themselves are in
//! `dashboard.rs`; each mirrors a pure function of `domain::metrics`, and a
//! test checks that both agree on generated data, on both engines.

use crate::domain::ids::RecordId;
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
