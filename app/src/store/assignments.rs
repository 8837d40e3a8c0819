//! The dispatcher's desk: putting technicians on work orders, and the day
//! board of a region (technicians' lanes and the queue of orders no one has
//! yet).

use sqlx::Row;

use super::dashboard_cache::{forget_counted_days, Touched};
use super::visits::{applied_answer, record_applied, visit_from_row, VISIT_COLUMNS};
use super::{corrupt, Store, StoreError};
use crate::api::desk::QueuedOrder;
use crate::domain::assignment::{check_assignment, AssignmentRefused, Proposal};
use crate::domain::ids::RecordId;
use crate::domain::technician::Skills;
use crate::domain::time::{AppointmentWindow, Timestamp};
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
        let order = sqlx::query(
            "SELECT region_id, appointment_start_ms AS window_start_ms, \
             appointment_end_ms AS window_end_ms, time_zone, status FROM work_orders WHERE id = $1",
        )
        .bind(request.work_order_id.as_str())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| AssignError::OrderNotFound(request.work_order_id.clone()))?;
        let order_id = request.work_order_id.as_str();
        let bad =
            |e: &dyn std::fmt::Display| AssignError::Store(corrupt("work order", order_id, e));
        let order_region = RecordId::parse("region_id", &order.try_get::<String, _>("region_id")?)
            .map_err(|e| bad(&e))?;
        let agreed = AppointmentWindow::new(
            Timestamp::from_unix_millis(order.try_get("window_start_ms")?),
            Timestamp::from_unix_millis(order.try_get("window_end_ms")?),
        )
        .map_err(|e| bad(&e))?;
        let order_status: String = order.try_get("status")?;
        let order_status = WorkOrderStatus::parse(&order_status)
            .ok_or_else(|| bad(&format!("status {order_status:?}")))?;

        let technician_region: String = sqlx::query(
            "SELECT u.region_id FROM users u \
             WHERE u.id = $1 AND u.role = 'technician' AND u.active = 1",
        )
        .bind(request.technician_id.as_str())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| AssignError::NotATechnician(request.technician_id.clone()))?
        .try_get::<Option<String>, _>("region_id")?
        .unwrap_or_default();
        let technician_region =
            RecordId::parse("region_id", &technician_region).map_err(|e| bad(&e))?;

        let open_visit = sqlx::query(&format!(
            "SELECT {VISIT_COLUMNS} FROM visits v WHERE v.work_order_id = $1 \
             AND v.status NOT IN ('signed', 'closed_unsigned', 'cancelled') ORDER BY v.created_at_ms DESC, v.id DESC"
        ))
        .bind(order_id)
        .fetch_optional(&mut *tx)
        .await?
        .map(|row| visit_from_row(&row))
        .transpose()?;

        check_assignment(&Proposal {
            order_region: &order_region,
            technician_region: &technician_region,
            agreed,
            window: request.window.unwrap_or(agreed),
            open_visit: open_visit.as_ref().map(|visit| visit.status),
            order_open: matches!(
                order_status,
                WorkOrderStatus::Open | WorkOrderStatus::Assigned | WorkOrderStatus::InProgress
            ),
        })?;

        let at = request.at.unix_millis();
        let moved_from = open_visit.as_ref().map(|visit| visit.window.start());
        let visit_id = match open_visit {
            Some(visit) => {
                let window = request.window.unwrap_or(visit.window);
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
                let window = request.window.unwrap_or(agreed);
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
        let rows = sqlx::query(
            "SELECT u.id, u.display_name, u.active, t.skills FROM users u \
             LEFT JOIN technicians t ON t.user_id = u.id \
             WHERE u.region_id = $1 AND u.role = 'technician' \
             ORDER BY u.active DESC, u.display_name, u.id",
        )
        .bind(region_id.as_str())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let id: String = row.try_get("id")?;
                let bad = |e: &dyn std::fmt::Display| corrupt("technician", &id, e);
                let skills = match row.try_get::<Option<String>, _>("skills")? {
                    Some(text) => Skills::parse(&text)
                        .map_err(|e| bad(&e))?
                        .categories()
                        .to_vec(),
                    None => Vec::new(),
                };
                Ok(RegionTechnician {
                    id: RecordId::parse("id", &id).map_err(|e| bad(&e))?,
                    name: row.try_get("display_name")?,
                    skills,
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
             c.address AS customer_address, a.brand, a.model, a.category \
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
