//! Following complaints up: each complaint's four steps, recorded once and
//! in order (the rules in `domain::complaint_clock`), and the queue of
//! complaints with a step still to do.

use sqlx::Row;

use super::{corrupt, Store, StoreError};
use crate::api::complaints::{DoneStep, OpenComplaint};
use crate::domain::complaint::ComplaintSource;
use crate::domain::complaint_clock::{check_next, ComplaintStep, StepRefused};
use crate::domain::ids::RecordId;
use crate::domain::time::Timestamp;

#[derive(Debug, thiserror::Error)]
pub enum ComplaintStepError {
    #[error("complaint {0} not found")]
    NotFound(String),
    #[error(transparent)]
    Refused(#[from] StepRefused),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for ComplaintStepError {
    fn from(error: sqlx::Error) -> Self {
        ComplaintStepError::Store(StoreError::Database(error))
    }
}

fn steps_of(rows: &[sqlx::any::AnyRow], complaint_id: &str) -> Result<Vec<DoneStep>, StoreError> {
    rows.iter()
        .map(|row| {
            let step: String = row.try_get("step")?;
            Ok(DoneStep {
                step: ComplaintStep::parse(&step)
                    .ok_or_else(|| corrupt("complaint step", complaint_id, &step))?,
                done_at: Timestamp::from_unix_millis(row.try_get("done_at_ms")?),
                done_by: row.try_get("done_by_name")?,
                details: row.try_get("details")?,
            })
        })
        .collect()
}

impl Store {
    /// The region a complaint belongs to (its work order's), if it exists.
    pub async fn complaint_region(
        &self,
        complaint_id: &RecordId,
    ) -> Result<Option<String>, StoreError> {
        let row = sqlx::query(
            "SELECT w.region_id FROM complaints c JOIN work_orders w ON w.id = c.work_order_id \
             WHERE c.id = $1",
        )
        .bind(complaint_id.as_str())
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|row| row.try_get("region_id")).transpose()?)
    }

    /// Records the complaint's next step, in one transaction; a step out of
    /// order, or one already done, is refused.
    pub async fn record_complaint_step(
        &self,
        complaint_id: &RecordId,
        step: ComplaintStep,
        details: &str,
        by: &RecordId,
        at: Timestamp,
    ) -> Result<(), ComplaintStepError> {
        let mut tx = self.begin().await?;
        let exists = sqlx::query("SELECT id FROM complaints WHERE id = $1")
            .bind(complaint_id.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Err(ComplaintStepError::NotFound(complaint_id.to_string()));
        }
        let done: Vec<ComplaintStep> =
            sqlx::query("SELECT step FROM complaint_steps WHERE complaint_id = $1")
                .bind(complaint_id.as_str())
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .filter_map(|row| ComplaintStep::parse(&row.get::<String, _>("step")))
                .collect();
        check_next(&done, step)?;
        sqlx::query(
            "INSERT INTO complaint_steps (complaint_id, step, done_at_ms, done_by, details) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(complaint_id.as_str())
        .bind(step.as_str())
        .bind(at.unix_millis())
        .bind(by.as_str())
        .bind(details)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Complaints with a step still to do, in a region (or all regions),
    /// oldest first (at most 200), each with the steps done so far (two
    /// queries, whatever the number of complaints).
    pub async fn open_complaints(
        &self,
        region_id: Option<&str>,
    ) -> Result<Vec<OpenComplaint>, StoreError> {
        let rows = sqlx::query(
            "SELECT c.id, c.source, c.received_at_ms, c.description, cu.name AS customer_name, \
             cu.phone AS customer_phone, w.region_id, r.name AS region_name, c.owner_id, \
             o.display_name AS owner_name \
             FROM complaints c JOIN work_orders w ON w.id = c.work_order_id \
             JOIN regions r ON r.id = w.region_id \
             JOIN customers cu ON cu.id = w.customer_id \
             LEFT JOIN users o ON o.id = c.owner_id \
             WHERE ($1 IS NULL OR w.region_id = $1) \
             AND (SELECT COUNT(*) FROM complaint_steps s WHERE s.complaint_id = c.id) < 4 \
             ORDER BY c.received_at_ms, c.id LIMIT 200",
        )
        .bind(region_id)
        .fetch_all(self.pool())
        .await?;
        // Every open complaint's steps in one query, grouped here.
        let step_rows = sqlx::query(
            "SELECT s.complaint_id, s.step, s.done_at_ms, s.details, \
             u.display_name AS done_by_name FROM complaint_steps s \
             JOIN users u ON u.id = s.done_by JOIN complaints c ON c.id = s.complaint_id \
             JOIN work_orders w ON w.id = c.work_order_id \
             WHERE ($1 IS NULL OR w.region_id = $1) \
             AND (SELECT COUNT(*) FROM complaint_steps t WHERE t.complaint_id = c.id) < 4 \
             ORDER BY s.complaint_id, s.done_at_ms",
        )
        .bind(region_id)
        .fetch_all(self.pool())
        .await?;
        let mut steps_by_complaint: std::collections::HashMap<String, Vec<sqlx::any::AnyRow>> =
            std::collections::HashMap::new();
        for row in step_rows {
            let complaint_id: String = row.try_get("complaint_id")?;
            steps_by_complaint
                .entry(complaint_id)
                .or_default()
                .push(row);
        }
        let mut open = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: String = row.try_get("id")?;
            let source: String = row.try_get("source")?;
            let steps = steps_by_complaint.remove(&id).unwrap_or_default();
            open.push(OpenComplaint {
                source: ComplaintSource::parse(&source)
                    .ok_or_else(|| corrupt("complaint", &id, &source))?,
                received_at: Timestamp::from_unix_millis(row.try_get("received_at_ms")?),
                description: row.try_get("description")?,
                customer_name: row.try_get("customer_name")?,
                customer_phone: row.try_get("customer_phone")?,
                owner_id: row.try_get("owner_id")?,
                owner_name: row.try_get("owner_name")?,
                done: steps_of(&steps, &id)?,
                region_id: row.try_get("region_id")?,
                region_name: row.try_get("region_name")?,
                id,
            });
        }
        Ok(open)
    }
}
