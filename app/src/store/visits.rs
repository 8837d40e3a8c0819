use sqlx::Row;

use super::{Store, StoreError};
use crate::domain::time::{AppointmentWindow, Timestamp};
use crate::domain::visit::{VisitEvent, VisitStatus};
use crate::serverfns::today::TodayVisit;
use crate::zone::ServiceZone;

/// A visit as the placeholder schema holds it; the full work-order model
/// replaces this table.
#[derive(Clone, Debug)]
pub struct NewVisit {
    pub id: String,
    pub customer_name: String,
    pub customer_address: String,
    pub appliance: String,
    pub reported_fault: String,
    pub window: AppointmentWindow,
    pub time_zone: ServiceZone,
    pub technician_id: Option<String>,
    pub created_at: Timestamp,
}

impl Store {
    pub async fn insert_visit(&self, visit: &NewVisit) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO visits (id, customer_name, customer_address, appliance, reported_fault, \
             window_start_ms, window_end_ms, time_zone, technician_id, created_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&visit.id)
        .bind(&visit.customer_name)
        .bind(&visit.customer_address)
        .bind(&visit.appliance)
        .bind(&visit.reported_fault)
        .bind(visit.window.start().unix_millis())
        .bind(visit.window.end().unix_millis())
        .bind(visit.time_zone.name())
        .bind(&visit.technician_id)
        .bind(visit.created_at.unix_millis())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn count_visits(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM visits")
            .fetch_one(self.pool())
            .await?;
        Ok(row.try_get::<i64, _>("n")?)
    }

    /// Visits whose window starts in `[from, until)`, earliest first; only
    /// `technician_id`'s when given.
    pub async fn visits_starting_between(
        &self,
        from: Timestamp,
        until: Timestamp,
        technician_id: Option<&str>,
    ) -> Result<Vec<TodayVisit>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, customer_name, customer_address, appliance, reported_fault, \
             window_start_ms, window_end_ms, time_zone FROM visits \
             WHERE window_start_ms >= $1 AND window_start_ms < $2 \
             AND ($3 IS NULL OR technician_id = $3) \
             ORDER BY window_start_ms, id",
        )
        .bind(from.unix_millis())
        .bind(until.unix_millis())
        .bind(technician_id)
        .fetch_all(self.pool())
        .await?;

        rows.iter()
            .map(|row| {
                let id: String = row.try_get("id")?;
                let window = AppointmentWindow::new(
                    Timestamp::from_unix_millis(row.try_get("window_start_ms")?),
                    Timestamp::from_unix_millis(row.try_get("window_end_ms")?),
                )
                .map_err(|e| StoreError::Corrupt(format!("visit {id}: {e}")))?;
                let zone_name: String = row.try_get("time_zone")?;
                let zone = ServiceZone::from_name(&zone_name)
                    .map_err(|e| StoreError::Corrupt(format!("visit {id}: {e}")))?;
                Ok(TodayVisit {
                    customer_name: row.try_get("customer_name")?,
                    customer_address: row.try_get("customer_address")?,
                    appliance: row.try_get("appliance")?,
                    reported_fault: row.try_get("reported_fault")?,
                    utc_offset: zone.offset_at(window.start()),
                    window,
                    id,
                })
            })
            .collect()
    }
}

/// Why a visit event was not applied.
#[derive(Debug, thiserror::Error)]
pub enum VisitEventError {
    #[error("visit {0} not found")]
    NotFound(String),
    #[error("visit {0} is not assigned to this technician")]
    NotYours(String),
    #[error(transparent)]
    Illegal(#[from] crate::domain::visit::IllegalTransition),
    /// Someone else changed the visit between our read and our write.
    #[error("visit {0} changed meanwhile; reload it")]
    ChangedMeanwhile(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for VisitEventError {
    fn from(error: sqlx::Error) -> Self {
        VisitEventError::Store(StoreError::Database(error))
    }
}

impl Store {
    /// Applies `event` to a technician's visit in one transaction, once per
    /// `operation_id`: a repeat of an operation already applied returns the
    /// status it produced then and changes nothing.
    pub async fn apply_visit_event(
        &self,
        operation_id: &str,
        visit_id: &str,
        technician_id: &str,
        event: VisitEvent,
        at: Timestamp,
    ) -> Result<VisitStatus, VisitEventError> {
        let mut tx = self.pool().begin().await?;
        if let Some(row) = sqlx::query(
            "SELECT answer FROM applied_operations WHERE operation_id = $1 AND user_id = $2",
        )
        .bind(operation_id)
        .bind(technician_id)
        .fetch_optional(&mut *tx)
        .await?
        {
            let answer: String = row.try_get("answer")?;
            return VisitStatus::parse(&answer).ok_or_else(|| {
                VisitEventError::Store(StoreError::Corrupt(format!(
                    "operation {operation_id}: answer {answer:?}"
                )))
            });
        }
        let row = sqlx::query("SELECT status, technician_id FROM visits WHERE id = $1")
            .bind(visit_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| VisitEventError::NotFound(visit_id.to_string()))?;
        let assigned: Option<String> = row.try_get("technician_id")?;
        if assigned.as_deref() != Some(technician_id) {
            return Err(VisitEventError::NotYours(visit_id.to_string()));
        }
        let status_text: String = row.try_get("status")?;
        let current = VisitStatus::parse(&status_text).ok_or_else(|| {
            VisitEventError::Store(StoreError::Corrupt(format!(
                "visit {visit_id}: status {status_text:?}"
            )))
        })?;
        let next = current.apply(event)?;
        // The column name comes from a fixed list in the domain, never from input.
        let updated = sqlx::query(&format!(
            "UPDATE visits SET status = $1, {} = $2 WHERE id = $3 AND status = $4",
            event.timestamp_column()
        ))
        .bind(next.as_str())
        .bind(at.unix_millis())
        .bind(visit_id)
        .bind(current.as_str())
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() != 1 {
            return Err(VisitEventError::ChangedMeanwhile(visit_id.to_string()));
        }
        sqlx::query("INSERT INTO applied_operations (operation_id, user_id, applied_at_ms, answer) VALUES ($1, $2, $3, $4)")
            .bind(operation_id)
            .bind(technician_id)
            .bind(at.unix_millis())
            .bind(next.as_str())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(next)
    }

    pub async fn visit_status(&self, visit_id: &str) -> Result<Option<VisitStatus>, StoreError> {
        let row = sqlx::query("SELECT status FROM visits WHERE id = $1")
            .bind(visit_id)
            .fetch_optional(self.pool())
            .await?;
        row.map(|row| {
            let text: String = row.try_get("status")?;
            VisitStatus::parse(&text)
                .ok_or_else(|| StoreError::Corrupt(format!("visit {visit_id}: status {text:?}")))
        })
        .transpose()
    }
}
