use sqlx::Row;

use super::{Store, StoreError};
use crate::domain::time::{AppointmentWindow, Timestamp};
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
