//! Complaints on record.

use sqlx::{Any, Executor, Row};

use super::{Store, StoreError};
use crate::domain::complaint::Complaint;
use crate::domain::ids::RecordId;

pub async fn insert_complaint<'c>(
    db: impl Executor<'c, Database = Any>,
    complaint: &Complaint,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO complaints (id, work_order_id, visit_id, source, received_at_ms, description) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(complaint.id.as_str())
    .bind(complaint.work_order_id.as_str())
    .bind(complaint.visit_id.as_ref().map(RecordId::as_str))
    .bind(complaint.source.as_str())
    .bind(complaint.received_at.unix_millis())
    .bind(complaint.description.as_str())
    .execute(db)
    .await?;
    Ok(())
}

impl Store {
    pub async fn count_complaints(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM complaints")
            .fetch_one(self.pool())
            .await?;
        Ok(row.try_get::<i64, _>("n")?)
    }
}
