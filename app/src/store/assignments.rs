//! The dispatcher's desk: putting technicians on work orders, and the day
//! board of a region (technicians' lanes and the queue of orders no one has
//! yet).

use sqlx::Row;

use super::dashboard_cache::{forget_counted_days, Touched};
use super::visits::{applied_answer, record_applied, visit_from_row, VISIT_COLUMNS};
use super::{corrupt, Store, StoreError};
use crate::api::desk::QueuedOrder;
use crate::domain::assignment::{
    check_assignment, unconfirmed, AssignmentRefused, AssignmentWarning, Candidate, Proposal,
    WarningKind,
};
use crate::domain::ids::RecordId;
use crate::domain::technician::{Brands, Skills, WorkingHours};
use crate::domain::time::{local_day_start, AppointmentWindow, Timestamp, UtcOffset};
use crate::domain::validation::Coordinates;
use crate::domain::visit::Visit;
use crate::domain::work_order::{
    ApplianceCategory, Priority, WorkOrderStatus, FIRST_VISIT_WITHIN_MS,
};

#[derive(Debug, thiserror::Error)]
pub enum AssignError {
    #[error("work order {0} not found")]
    OrderNotFound(RecordId),
    #[error("{0} is not an active technician")]
    NotATechnician(RecordId),
    #[error(transparent)]
    Refused(#[from] AssignmentRefused),
    /// Allowed, once the dispatcher confirms these; nothing was written.
    #[error("the assignment needs confirming: {0:?}")]
    NeedsConfirmation(Vec<AssignmentWarning>),
    #[error("the work order changed meanwhile; reload the board")]
    ChangedMeanwhile,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for AssignError {
    fn from(error: sqlx::Error) -> Self {
        AssignError::Store(StoreError::Database(error))
    }
}

/// A technician of a region, as the desk lists them.
pub struct RegionTechnician {
    pub id: RecordId,
    pub name: String,
    pub skills: Vec<ApplianceCategory>,
    pub brands: Brands,
    pub working_hours: WorkingHours,
    /// False once an admin has deactivated the account: no new work.
    pub active: bool,
}

/// A (re)assignment as the dispatcher asks for it.
pub struct Assignment<'a> {
    pub operation_id: &'a RecordId,
    pub dispatcher_id: &'a RecordId,
    pub work_order_id: &'a RecordId,
    pub technician_id: &'a RecordId,
    /// The id for a new visit, made on the dispatcher's screen; unused when
    /// the order's open visit changes hands.
    pub new_visit_id: &'a RecordId,
    /// A narrower window inside the agreed one; the agreed one when None.
    pub window: Option<AppointmentWindow>,
    /// The warnings the dispatcher has seen and confirms (a second press).
    pub confirmed: &'a [WarningKind],
    pub at: Timestamp,
}

/// The action an assignment's operation id is kept with.
const ASSIGN: &str = "assign";

impl Store {
    /// Puts the technician on the order in one transaction, once per
    /// operation: the order's visit still to be made changes hands, or a
    /// new visit is made in the window. Answers the visit's id.
    pub async fn assign(&self, request: &Assignment<'_>) -> Result<RecordId, AssignError> {
        let mut tx = self.begin().await?;
        let (operation, dispatcher) = (
            request.operation_id.as_str(),
            request.dispatcher_id.as_str(),
        );
        if let Some(visit_id) = applied_answer(&mut tx, operation, dispatcher, ASSIGN).await? {
            return RecordId::parse("visit_id", &visit_id)
                .map_err(|e| AssignError::Store(corrupt("operation", operation, e)));
        }
        let order = read_order(&mut tx, request.work_order_id).await?;
        let order_id = request.work_order_id.as_str();

        let technician = sqlx::query(&format!(
            "SELECT {TECHNICIAN_COLUMNS} FROM users u LEFT JOIN technicians t ON t.user_id = u.id \
             WHERE u.id = $1 AND u.role = 'technician' AND u.active = 1"
        ))
        .bind(request.technician_id.as_str())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| AssignError::NotATechnician(request.technician_id.clone()))?;
        let profile = TechnicianRow::read(&technician, request.technician_id.as_str())?;

        let window = request.window.unwrap_or(order.window());
        let load = technician_load(
            &mut tx,
            request.technician_id.as_str(),
            order.moving(),
            window,
            order.utc_offset,
        )
        .await?;
        let warnings = check_assignment(&order.proposal(&profile, window, load))?;
        let unconfirmed = unconfirmed(warnings, request.confirmed);
        if !unconfirmed.is_empty() {
            return Err(AssignError::NeedsConfirmation(unconfirmed));
        }

        let at = request.at.unix_millis();
        let moved_from = order.open_visit.as_ref().map(|visit| visit.window.start());
        let visit_id = match order.open_visit {
            Some(visit) => {
                let moved = sqlx::query(
                    "UPDATE visits SET technician_id = $1, window_start_ms = $2, \
                     window_end_ms = $3, dispatched_at_ms = $4 WHERE id = $5 AND status = $6",
                )
                .bind(request.technician_id.as_str())
                .bind(window.start().unix_millis())
                .bind(window.end().unix_millis())
                .bind(at)
                .bind(visit.id.as_str())
                .bind(visit.status.as_str())
                .execute(&mut *tx)
                .await?;
                if moved.rows_affected() != 1 {
                    return Err(AssignError::ChangedMeanwhile);
                }
                // The technician it leaves may have done work on it offline.
                if let Some(previous) = visit
                    .technician_id
                    .as_ref()
                    .filter(|previous| *previous != request.technician_id)
                {
                    sqlx::query(
                        "INSERT INTO visit_handovers (visit_id, technician_id, \
                         handed_over_at_ms) VALUES ($1, $2, $3)",
                    )
                    .bind(visit.id.as_str())
                    .bind(previous.as_str())
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                }
                visit.id
            }
            None => {
                let version = self.current_checklist_version().await?;
                sqlx::query(
                    "INSERT INTO visits (id, work_order_id, technician_id, window_start_ms, \
                     window_end_ms, time_zone, checklist_version, status, created_at_ms, \
                     dispatched_at_ms, fee_schedule_version) SELECT $1, id, $2, $3, $4, \
                     time_zone, $5, 'dispatched', $6, $6, \
                     (SELECT COALESCE(MAX(version), 1) FROM fee_schedule_versions) \
                     FROM work_orders WHERE id = $7",
                )
                .bind(request.new_visit_id.as_str())
                .bind(request.technician_id.as_str())
                .bind(window.start().unix_millis())
                .bind(window.end().unix_millis())
                .bind(i64::from(version))
                .bind(at)
                .bind(order_id)
                .execute(&mut *tx)
                .await?;
                request.new_visit_id.clone()
            }
        };
        sqlx::query("UPDATE work_orders SET status = 'assigned' WHERE id = $1 AND status = 'open'")
            .bind(order_id)
            .execute(&mut *tx)
            .await?;
        record_applied(
            &mut tx,
            (operation, dispatcher, ASSIGN),
            (request.at, None),
            visit_id.as_str(),
        )
        .await?;
        if let Some(start) = moved_from {
            forget_counted_days(&mut tx, Touched::WindowStart(start)).await?;
        }
        forget_counted_days(&mut tx, Touched::Visit(visit_id.as_str())).await?;
        self.commit_announcing(tx, visit_id.as_str()).await?;
        Ok(visit_id)
    }

    /// The region's technicians, with their skills (none known for an
    /// account without a profile yet), active ones first, by name.
    pub async fn technicians_of_region(
        &self,
        region_id: &RecordId,
    ) -> Result<Vec<RegionTechnician>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {TECHNICIAN_COLUMNS} FROM users u \
             LEFT JOIN technicians t ON t.user_id = u.id \
             WHERE u.region_id = $1 AND u.role = 'technician' \
             ORDER BY u.active DESC, u.display_name, u.id"
        ))
        .bind(region_id.as_str())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let id: String = row.try_get("id")?;
                let bad = |e: &dyn std::fmt::Display| corrupt("technician", &id, e);
                let profile = TechnicianRow::read(row, &id)?;
                Ok(RegionTechnician {
                    id: RecordId::parse("id", &id).map_err(|e| bad(&e))?,
                    name: row.try_get("display_name")?,
                    skills: profile
                        .skills
                        .map(|skills| skills.categories().to_vec())
                        .unwrap_or_default(),
                    brands: profile.brands,
                    working_hours: profile.working_hours,
                    active: super::flag(row, "active")?,
                })
            })
            .collect()
    }

    /// The region's orders no technician has yet, oldest appointment first.
    pub async fn unassigned_orders(
        &self,
        region_id: &RecordId,
    ) -> Result<Vec<QueuedOrder>, StoreError> {
        let rows = sqlx::query(
            "SELECT w.id, w.customer_id, w.reported_fault, w.priority, w.registered_at_ms, \
             w.appointment_start_ms AS window_start_ms, w.appointment_end_ms AS window_end_ms, \
             w.time_zone, c.name AS customer_name, \
             c.address AS customer_address, c.latitude, c.longitude, a.brand, a.model, a.category \
             FROM work_orders w JOIN customers c ON c.id = w.customer_id \
             JOIN appliances a ON a.id = w.appliance_id \
             WHERE w.region_id = $1 AND w.status = 'open' ORDER BY w.appointment_start_ms, w.id",
        )
        .bind(region_id.as_str())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let id: String = row.try_get("id")?;
                let bad = |e: &dyn std::fmt::Display| corrupt("work order", &id, e);
                let (window, utc_offset) = super::visits::window_and_offset(row, &id)?;
                let category: String = row.try_get("category")?;
                let priority: String = row.try_get("priority")?;
                let registered = Timestamp::from_unix_millis(row.try_get("registered_at_ms")?);
                Ok(QueuedOrder {
                    place: super::work_orders::customer_place(row, &id)?,
                    customer_id: row.try_get("customer_id")?,
                    customer_name: row.try_get("customer_name")?,
                    customer_address: row.try_get("customer_address")?,
                    appliance: super::visits::brand_and_model(row)?,
                    category: ApplianceCategory::parse(&category)
                        .ok_or_else(|| bad(&format!("category {category:?}")))?,
                    reported_fault: row.try_get("reported_fault")?,
                    priority: Priority::parse(&priority)
                        .ok_or_else(|| bad(&format!("priority {priority:?}")))?,
                    due: Timestamp::from_unix_millis(
                        registered.unix_millis() + FIRST_VISIT_WITHIN_MS,
                    ),
                    window,
                    utc_offset,
                    id,
                })
            })
            .collect()
    }
}

/// A work order as the assignment rules weigh it.
pub(super) struct OrderFacts {
    pub region: RecordId,
    pub agreed: AppointmentWindow,
    pub utc_offset: UtcOffset,
    pub category: ApplianceCategory,
    pub brand: String,
    pub open: bool,
    /// The customer's home, when located.
    pub place: Option<Coordinates>,
    /// The order's visit still to be made, when there is one (a
    /// reassignment).
    pub open_visit: Option<Visit>,
}

impl OrderFacts {
    /// The window a new assignment takes: the open visit's, else the
    /// agreed one.
    pub fn window(&self) -> AppointmentWindow {
        self.open_visit
            .as_ref()
            .map_or(self.agreed, |visit| visit.window)
    }

    /// The visit that changes hands, left out of every technician's load.
    pub fn moving(&self) -> &str {
        self.open_visit
            .as_ref()
            .map_or("", |visit| visit.id.as_str())
    }

    /// The assignment of this order to `technician` in `window`, with
    /// their load (visits that day, overlapping visits).
    pub fn proposal<'a>(
        &'a self,
        technician: &'a TechnicianRow,
        window: AppointmentWindow,
        (visits_that_day, overlapping): (usize, usize),
    ) -> Proposal<'a> {
        Proposal {
            order_region: &self.region,
            category: self.category,
            brand: &self.brand,
            technician: Candidate {
                region: &technician.region,
                skills: technician.skills.as_ref(),
                brands: &technician.brands,
                working_hours: technician.working_hours,
                visits_that_day,
                overlapping,
            },
            agreed: self.agreed,
            window,
            utc_offset: self.utc_offset,
            open_visit: self.open_visit.as_ref().map(|visit| visit.status),
            order_open: self.open,
        }
    }
}

/// Reads the order, its customer's location and its open visit.
pub(super) async fn read_order(
    conn: &mut sqlx::AnyConnection,
    order_id: &RecordId,
) -> Result<OrderFacts, AssignError> {
    let order = sqlx::query(
        "SELECT w.region_id, w.appointment_start_ms AS window_start_ms, \
         w.appointment_end_ms AS window_end_ms, w.time_zone, w.status, a.category, a.brand, \
         c.latitude, c.longitude \
         FROM work_orders w JOIN appliances a ON a.id = w.appliance_id \
         JOIN customers c ON c.id = w.customer_id WHERE w.id = $1",
    )
    .bind(order_id.as_str())
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| AssignError::OrderNotFound(order_id.clone()))?;
    let id = order_id.as_str();
    let bad = |e: &dyn std::fmt::Display| AssignError::Store(corrupt("work order", id, e));
    let region = RecordId::parse("region_id", &order.try_get::<String, _>("region_id")?)
        .map_err(|e| bad(&e))?;
    let (agreed, utc_offset) = super::visits::window_and_offset(&order, id)?;
    let category: String = order.try_get("category")?;
    let category = ApplianceCategory::parse(&category)
        .ok_or_else(|| bad(&format!("category {category:?}")))?;
    let status: String = order.try_get("status")?;
    let status =
        WorkOrderStatus::parse(&status).ok_or_else(|| bad(&format!("status {status:?}")))?;
    let place = super::work_orders::customer_place(&order, id)?;
    let open_visit = sqlx::query(&format!(
        "SELECT {VISIT_COLUMNS} FROM visits v WHERE v.work_order_id = $1 \
         AND v.status NOT IN ('signed', 'closed_unsigned', 'cancelled') ORDER BY v.created_at_ms DESC, v.id DESC"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .map(|row| visit_from_row(&row))
    .transpose()?;
    Ok(OrderFacts {
        region,
        agreed,
        utc_offset,
        category,
        brand: order.try_get("brand")?,
        open: matches!(
            status,
            WorkOrderStatus::Open | WorkOrderStatus::Assigned | WorkOrderStatus::InProgress
        ),
        place,
        open_visit,
    })
}

/// The columns [`TechnicianRow::read`] reads, from `users u` left-joined
/// with `technicians t`.
pub(super) const TECHNICIAN_COLUMNS: &str = "u.id, u.display_name, u.active, u.region_id, \
    t.skills, t.brands, t.working_from_minute, t.working_until_minute";

/// What the assignment rules read of a technician's profile; an account
/// without a profile yet has no skills, every brand and the day shift.
pub(super) struct TechnicianRow {
    pub region: RecordId,
    pub skills: Option<Skills>,
    pub brands: Brands,
    pub working_hours: WorkingHours,
}

impl TechnicianRow {
    pub fn read(row: &sqlx::any::AnyRow, id: &str) -> Result<TechnicianRow, StoreError> {
        let bad = |e: &dyn std::fmt::Display| corrupt("technician", id, e);
        let region: Option<String> = row.try_get("region_id")?;
        let skills = row.try_get::<Option<String>, _>("skills")?;
        let brands = row.try_get::<Option<String>, _>("brands")?;
        let from = row.try_get::<Option<i64>, _>("working_from_minute")?;
        let until = row.try_get::<Option<i64>, _>("working_until_minute")?;
        Ok(TechnicianRow {
            region: RecordId::parse("region_id", region.as_deref().unwrap_or_default())
                .map_err(|e| bad(&e))?,
            skills: skills
                .map(|text| Skills::parse(&text))
                .transpose()
                .map_err(|e| bad(&e))?,
            brands: Brands::parse(brands.as_deref().unwrap_or_default()).map_err(|e| bad(&e))?,
            working_hours: match (from, until) {
                (Some(from), Some(until)) => working_hours(from, until).map_err(|e| bad(&e))?,
                _ => WorkingHours::DAY_SHIFT,
            },
        })
    }
}

/// Working hours from their stored minutes.
pub(crate) fn working_hours(
    from: i64,
    until: i64,
) -> Result<WorkingHours, crate::domain::validation::ValidationError> {
    let minute = |m: i64| u16::try_from(m).unwrap_or(u16::MAX);
    WorkingHours::new(minute(from), minute(until))
}

/// The technician's other visits on the window's local day (not
/// cancelled), and their open visits whose windows overlap it; the visit
/// being moved is not counted.
pub(super) async fn technician_load(
    conn: &mut sqlx::AnyConnection,
    technician_id: &str,
    moving: &str,
    window: AppointmentWindow,
    offset: crate::domain::time::UtcOffset,
) -> Result<(usize, usize), StoreError> {
    let day_start = local_day_start(window.start(), offset).unix_millis();
    let day_end = day_start + 24 * 3_600_000;
    let count = |row: sqlx::any::AnyRow| -> Result<usize, StoreError> {
        Ok(usize::try_from(row.try_get::<i64, _>("n")?).unwrap_or_default())
    };
    let that_day = sqlx::query(
        "SELECT COUNT(*) AS n FROM visits WHERE technician_id = $1 AND id <> $2 \
         AND status <> 'cancelled' AND window_start_ms >= $3 AND window_start_ms < $4",
    )
    .bind(technician_id)
    .bind(moving)
    .bind(day_start)
    .bind(day_end)
    .fetch_one(&mut *conn)
    .await?;
    let overlapping = sqlx::query(
        "SELECT COUNT(*) AS n FROM visits WHERE technician_id = $1 AND id <> $2 \
         AND status NOT IN ('cancelled', 'signed', 'closed_unsigned') \
         AND window_start_ms < $3 AND window_end_ms > $4",
    )
    .bind(technician_id)
    .bind(moving)
    .bind(window.end().unix_millis())
    .bind(window.start().unix_millis())
    .fetch_one(&mut *conn)
    .await?;
    Ok((count(that_day)?, count(overlapping)?))
}
