//! What planning the rest of a region's day reads: its technicians (where
//! each is and when they are free), the visits of the day still to be
//! made and the day's orders in the queue, with the homes' locations and
//! which technicians the assignment rules refuse for each. The planning
//! itself is pure (`domain::planning::day`).

use std::collections::{HashMap, HashSet};

use sqlx::Row;

use super::assignments::{TechnicianRow, TECHNICIAN_COLUMNS};
use super::suggestions::VISIT_WORK_MINUTES;
use super::work_orders::customer_place;
use super::{corrupt, Store, StoreError};
use crate::domain::assignment::{check_assignment, Candidate, Proposal};
use crate::domain::ids::RecordId;
use crate::domain::planning::day::{DayItem, DayTechnician, Holder};
use crate::domain::planning::Minute;
use crate::domain::time::{AppointmentWindow, Timestamp, UtcOffset};
use crate::domain::validation::Coordinates;
use crate::domain::visit::VisitStatus;
use crate::domain::work_order::ApplianceCategory;

/// A technician of the region, named.
pub struct PlanTechnicianRow {
    pub id: RecordId,
    pub name: String,
    pub active: bool,
    pub day: DayTechnician,
}

/// A piece of the day's work, named.
pub struct PlanItemRow {
    pub work_order_id: String,
    /// None: an order in the queue.
    pub visit_id: Option<String>,
    pub customer_name: String,
    pub window: AppointmentWindow,
    pub utc_offset: UtcOffset,
    pub day: DayItem,
}

pub struct DayPlanInputs {
    pub technicians: Vec<PlanTechnicianRow>,
    pub items: Vec<PlanItemRow>,
}

/// The local day being planned and the moment it is planned from.
#[derive(Clone, Copy, Debug)]
pub struct PlanDay {
    pub starts: Timestamp,
    pub ends: Timestamp,
    pub now: Timestamp,
}

impl PlanDay {
    /// Minutes after the day's local midnight.
    fn minute(&self, ms: i64) -> Minute {
        Minute::try_from((ms - self.starts.unix_millis()).div_euclid(60_000)).unwrap_or(0)
    }
}

impl Store {
    /// Reads the rest of `region`'s `day`. `pinned`: visits the dispatcher
    /// keeps with their technician.
    pub async fn day_plan_inputs(
        &self,
        region: &RecordId,
        day: PlanDay,
        pinned: &HashSet<String>,
    ) -> Result<DayPlanInputs, StoreError> {
        let mut conn = self.pool().acquire().await?;
        let technician_rows = sqlx::query(&format!(
            "SELECT {TECHNICIAN_COLUMNS} FROM users u LEFT JOIN technicians t ON t.user_id = u.id \
             WHERE u.region_id = $1 AND u.role = 'technician' \
             ORDER BY u.active DESC, u.display_name, u.id"
        ))
        .bind(region.as_str())
        .fetch_all(&mut *conn)
        .await?;
        let visit_rows = sqlx::query(
            "SELECT v.id, v.work_order_id, v.technician_id, v.status, v.window_start_ms, \
             v.window_end_ms, v.arrived_at_ms, \
             COALESCE(v.signed_at_ms, v.closed_unsigned_at_ms, v.work_finished_at_ms, 0) AS done_at_ms, \
             w.time_zone, c.name AS customer_name, c.latitude, c.longitude, a.category, a.brand \
             FROM visits v JOIN work_orders w ON w.id = v.work_order_id \
             JOIN customers c ON c.id = w.customer_id JOIN appliances a ON a.id = w.appliance_id \
             WHERE w.region_id = $1 AND v.status <> 'cancelled' \
             AND v.window_start_ms >= $2 AND v.window_start_ms < $3 \
             ORDER BY v.window_start_ms, v.id",
        )
        .bind(region.as_str())
        .bind(day.starts.unix_millis())
        .bind(day.ends.unix_millis())
        .fetch_all(&mut *conn)
        .await?;
        let order_rows = sqlx::query(
            "SELECT w.id, w.appointment_start_ms AS window_start_ms, \
             w.appointment_end_ms AS window_end_ms, w.time_zone, c.name AS customer_name, \
             c.latitude, c.longitude, a.category, a.brand \
             FROM work_orders w JOIN customers c ON c.id = w.customer_id \
             JOIN appliances a ON a.id = w.appliance_id \
             WHERE w.region_id = $1 AND w.status = 'open' \
             AND w.appointment_start_ms >= $2 AND w.appointment_start_ms < $3 \
             ORDER BY w.appointment_start_ms, w.id",
        )
        .bind(region.as_str())
        .bind(day.starts.unix_millis())
        .bind(day.ends.unix_millis())
        .fetch_all(&mut *conn)
        .await?;

        let mut profiles = Vec::with_capacity(technician_rows.len());
        for row in &technician_rows {
            let id: String = row.try_get("id")?;
            let bad = |e: &dyn std::fmt::Display| corrupt("technician", &id, e);
            profiles.push((
                RecordId::parse("id", &id).map_err(|e| bad(&e))?,
                row.try_get::<String, _>("display_name")?,
                super::flag(row, "active")?,
                TechnicianRow::read(row, &id)?,
            ));
        }
        let index: HashMap<&str, usize> = profiles
            .iter()
            .enumerate()
            .map(|(at, (id, ..))| (id.as_str(), at))
            .collect();
        let now = day.minute(day.now.unix_millis());
        // Where each technician is and when they are free: at the visit
        // under way until its planned work ends, else at the last home
        // they finished in.
        let mut whereabouts: Vec<(Option<Coordinates>, Minute, i64)> =
            vec![(None, now, i64::MIN); profiles.len()];

        let mut items = Vec::new();
        for row in &visit_rows {
            let id: String = row.try_get("id")?;
            let bad = |e: &dyn std::fmt::Display| corrupt("visit", &id, e);
            let status: String = row.try_get("status")?;
            let status =
                VisitStatus::parse(&status).ok_or_else(|| bad(&format!("status {status:?}")))?;
            let holder = row
                .try_get::<Option<String>, _>("technician_id")?
                .and_then(|technician| index.get(technician.as_str()).copied());
            let place = customer_place(row, &id)?;
            let Some(technician) = holder else {
                continue;
            };
            match status {
                VisitStatus::Dispatched | VisitStatus::OnTheWay => {}
                VisitStatus::Arrived | VisitStatus::WorkStarted => {
                    let arrived: Option<i64> = row.try_get("arrived_at_ms")?;
                    let ends =
                        arrived.map_or(now, |arrived| day.minute(arrived) + VISIT_WORK_MINUTES);
                    whereabouts[technician] = (place, ends.max(now), i64::MAX);
                    continue;
                }
                VisitStatus::WorkFinished => {
                    whereabouts[technician] = (place, now, i64::MAX);
                    continue;
                }
                VisitStatus::Signed | VisitStatus::ClosedUnsigned | VisitStatus::Cancelled => {
                    let done: i64 = row.try_get("done_at_ms")?;
                    if done > whereabouts[technician].2 {
                        whereabouts[technician] = (place, now, done);
                    }
                    continue;
                }
            }
            let holder = if status == VisitStatus::OnTheWay || pinned.contains(&id) {
                Holder::Kept(technician)
            } else {
                Holder::Movable(technician)
            };
            items.push(
                self::item(row, &day, place, holder, &profiles, region)?
                    .named(row.try_get("work_order_id")?, Some(id)),
            );
        }
        for row in &order_rows {
            let id: String = row.try_get("id")?;
            let place = customer_place(row, &id)?;
            items.push(
                self::item(row, &day, place, Holder::Nobody, &profiles, region)?.named(id, None),
            );
        }

        let technicians = profiles
            .into_iter()
            .zip(whereabouts)
            .map(
                |((id, name, active, profile), (at, free_from, _))| PlanTechnicianRow {
                    day: DayTechnician {
                        skills: profile.skills.clone(),
                        hours: profile.working_hours,
                        at,
                        // A deactivated technician takes nothing more.
                        free_from: if active { free_from } else { Minute::MAX },
                    },
                    id,
                    name,
                    active,
                },
            )
            .collect();
        Ok(DayPlanInputs { technicians, items })
    }
}

/// A piece of work read, before it is named.
struct ReadItem {
    customer_name: String,
    window: AppointmentWindow,
    utc_offset: UtcOffset,
    day: DayItem,
}

impl ReadItem {
    fn named(self, work_order_id: String, visit_id: Option<String>) -> PlanItemRow {
        PlanItemRow {
            work_order_id,
            visit_id,
            customer_name: self.customer_name,
            window: self.window,
            utc_offset: self.utc_offset,
            day: self.day,
        }
    }
}

/// The work in `row` (a visit or a queued order) as the planner weighs it:
/// its window in minutes of the day and the technicians the assignment
/// rules refuse for it whatever their load (skills, brand, region).
fn item(
    row: &sqlx::any::AnyRow,
    day: &PlanDay,
    place: Option<Coordinates>,
    holder: Holder,
    profiles: &[(RecordId, String, bool, TechnicianRow)],
    region: &RecordId,
) -> Result<ReadItem, StoreError> {
    let id: String = row.try_get("id")?;
    let (window, utc_offset) = super::visits::window_and_offset(row, &id)?;
    let category: String = row.try_get("category")?;
    let category = ApplianceCategory::parse(&category)
        .ok_or_else(|| corrupt("work of", &id, format!("category {category:?}")))?;
    let brand: String = row.try_get("brand")?;
    let ruled_out = profiles
        .iter()
        .enumerate()
        .filter(|(_, (.., profile))| {
            check_assignment(&Proposal {
                order_region: region,
                category,
                brand: &brand,
                technician: Candidate {
                    region: &profile.region,
                    skills: profile.skills.as_ref(),
                    brands: &profile.brands,
                    working_hours: profile.working_hours,
                    visits_that_day: 0,
                    overlapping: 0,
                },
                agreed: window,
                window,
                utc_offset,
                open_visit: None,
                order_open: true,
            })
            .is_err()
        })
        .map(|(at, _)| at)
        .collect();
    Ok(ReadItem {
        customer_name: row.try_get("customer_name")?,
        window,
        utc_offset,
        day: DayItem {
            place,
            category,
            window: (
                day.minute(window.start().unix_millis()),
                day.minute(window.end().unix_millis()),
            ),
            work_minutes: VISIT_WORK_MINUTES,
            holder,
            ruled_out,
        },
    })
}
