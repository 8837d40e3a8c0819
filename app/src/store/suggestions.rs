//! What a suggestion of technicians for one order reads: the order as the
//! assignment rules weigh it, and for every active technician of its
//! region what the rules say of them, their other visits that day with the
//! homes' locations, and their recent on-time record. The ranking itself is
//! pure (`domain::planning::suggest`).

use std::collections::HashMap;

use sqlx::Row;

use super::assignments::{
    read_order, technician_load, AssignError, TechnicianRow, TECHNICIAN_COLUMNS,
};
use super::work_orders::customer_place;
use super::{corrupt, Store};
use crate::domain::assignment::check_assignment;
use crate::domain::ids::RecordId;
use crate::domain::metrics::Rate;
use crate::domain::planning::suggest::{Candidate, DayVisit};
use crate::domain::planning::Minute;
use crate::domain::time::{local_day_start, Timestamp};

/// The days of arrivals a technician's on-time record looks back over.
pub const ON_TIME_RECORD_DAYS: i64 = 30;

/// Minutes of work a visit is planned for, when suggesting.
pub const VISIT_WORK_MINUTES: u32 = 45;

/// One technician as a suggestion weighs them.
pub struct SuggestionCandidate {
    pub id: RecordId,
    pub name: String,
    pub candidate: Candidate,
}

/// The order and the region's technicians, for `suggest`.
pub struct SuggestionInputs {
    pub region: RecordId,
    pub order: DayVisit,
    pub candidates: Vec<SuggestionCandidate>,
}

const DAY_MS: i64 = 24 * 3_600_000;

impl Store {
    /// Reads what suggesting technicians for `order_id` needs, as of `now`
    /// (the on-time record ends there).
    pub async fn suggestion_inputs(
        &self,
        order_id: &RecordId,
        now: Timestamp,
    ) -> Result<SuggestionInputs, AssignError> {
        let mut conn = self
            .pool()
            .acquire()
            .await
            .map_err(super::StoreError::from)?;
        let order = read_order(&mut conn, order_id).await?;
        let window = order.window();
        let midnight = local_day_start(window.start(), order.utc_offset).unix_millis();
        let minute = |ms: i64| Minute::try_from((ms - midnight).div_euclid(60_000)).unwrap_or(0);

        let technicians = sqlx::query(&format!(
            "SELECT {TECHNICIAN_COLUMNS} FROM users u LEFT JOIN technicians t ON t.user_id = u.id \
             WHERE u.region_id = $1 AND u.role = 'technician' AND u.active = 1 \
             ORDER BY u.display_name, u.id"
        ))
        .bind(order.region.as_str())
        .fetch_all(&mut *conn)
        .await?;

        // Every technician's other visits of that local day, with the home.
        let day_visits = sqlx::query(
            "SELECT v.technician_id, v.window_start_ms, v.window_end_ms, c.latitude, c.longitude \
             FROM visits v JOIN work_orders w ON w.id = v.work_order_id \
             JOIN customers c ON c.id = w.customer_id \
             WHERE w.region_id = $1 AND v.status <> 'cancelled' AND v.id <> $2 \
             AND v.window_start_ms >= $3 AND v.window_start_ms < $4",
        )
        .bind(order.region.as_str())
        .bind(order.moving())
        .bind(midnight)
        .bind(midnight + DAY_MS)
        .fetch_all(&mut *conn)
        .await?;

        // Arrivals due over the last days: on time when at the door by the
        // window's end.
        let records = sqlx::query(
            "SELECT v.technician_id, COUNT(*) AS due, \
             SUM(CASE WHEN v.arrived_at_ms IS NOT NULL AND v.arrived_at_ms <= v.window_end_ms \
             THEN 1 ELSE 0 END) AS on_time \
             FROM visits v JOIN work_orders w ON w.id = v.work_order_id \
             WHERE w.region_id = $1 AND v.status <> 'cancelled' \
             AND v.window_end_ms >= $2 AND v.window_end_ms < $3 GROUP BY v.technician_id",
        )
        .bind(order.region.as_str())
        .bind(now.unix_millis() - ON_TIME_RECORD_DAYS * DAY_MS)
        .bind(now.unix_millis())
        .fetch_all(&mut *conn)
        .await?;

        // Each row read once, filed under its technician.
        let mut days: HashMap<String, Vec<DayVisit>> = HashMap::new();
        for visit in &day_visits {
            let Some(technician) = visit.try_get::<Option<String>, _>("technician_id")? else {
                continue;
            };
            let place = customer_place(visit, &technician)?;
            days.entry(technician).or_default().push(DayVisit {
                place,
                window: (
                    minute(visit.try_get("window_start_ms")?),
                    minute(visit.try_get("window_end_ms")?),
                ),
                work_minutes: VISIT_WORK_MINUTES,
            });
        }
        let mut on_time_records: HashMap<String, Rate> = HashMap::new();
        for record in &records {
            let Some(technician) = record.try_get::<Option<String>, _>("technician_id")? else {
                continue;
            };
            let count = |column| -> Result<u64, sqlx::Error> {
                Ok(
                    u64::try_from(record.try_get::<Option<i64>, _>(column)?.unwrap_or(0))
                        .unwrap_or(0),
                )
            };
            on_time_records.insert(
                technician,
                Rate {
                    count: count("on_time")?,
                    out_of: count("due")?,
                },
            );
        }

        let mut candidates = Vec::with_capacity(technicians.len());
        for row in &technicians {
            let id: String = row.try_get("id")?;
            let bad = |e: &dyn std::fmt::Display| corrupt("technician", &id, e);
            let profile = TechnicianRow::read(row, &id)?;
            let load =
                technician_load(&mut conn, &id, order.moving(), window, order.utc_offset).await?;
            let check = check_assignment(&order.proposal(&profile, window, load));
            let day = days.remove(&id).unwrap_or_default();
            let on_time = on_time_records.get(&id).copied().unwrap_or_default();
            candidates.push(SuggestionCandidate {
                id: RecordId::parse("id", &id).map_err(|e| bad(&e))?,
                name: row.try_get("display_name")?,
                candidate: Candidate {
                    check,
                    hours: profile.working_hours,
                    start: None,
                    day,
                    on_time,
                },
            });
        }
        Ok(SuggestionInputs {
            order: DayVisit {
                place: order.place,
                window: (
                    minute(window.start().unix_millis()),
                    minute(window.end().unix_millis()),
                ),
                work_minutes: VISIT_WORK_MINUTES,
            },
            region: order.region,
            candidates,
        })
    }
}
