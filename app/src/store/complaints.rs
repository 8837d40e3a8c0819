//! Complaints on record.

use sqlx::{Any, Executor, Row};

use super::visit_records::WorkRecordError;
use super::write::{Reach, VisitWork};
use super::{Store, StoreError};
use crate::domain::complaint::{Complaint, ComplaintSource};
use crate::domain::ids::RecordId;
use crate::domain::time::Timestamp;
use crate::domain::validation::Note;

pub async fn insert_complaint<'c>(
    db: impl Executor<'c, Database = Any>,
    complaint: &Complaint,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO complaints (id, work_order_id, visit_id, source, owner_id, received_at_ms, \
         description) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(complaint.id.as_str())
    .bind(complaint.work_order_id.as_str())
    .bind(complaint.visit_id.as_ref().map(RecordId::as_str))
    .bind(complaint.source.as_str())
    .bind(complaint.owner_id.as_ref().map(RecordId::as_str))
    .bind(complaint.received_at.unix_millis())
    .bind(complaint.description.as_str())
    .execute(db)
    .await?;
    Ok(())
}

impl Store {
    /// "I am not satisfied / I want to complain", pressed by the customer on
    /// the sign-off screen of the technician's phone: the complaint is on
    /// the visit's work order from that moment. Once per operation; the
    /// complaint's id is made on the device.
    pub async fn file_sign_off_complaint(
        &self,
        operation_id: &RecordId,
        technician_id: &RecordId,
        complaint_id: RecordId,
        visit_id: &RecordId,
        description: Note,
        at: Timestamp,
    ) -> Result<Complaint, WorkRecordError> {
        let ids = (operation_id, visit_id, technician_id);
        let work = VisitWork::new(ids, super::visit_records::COMPLAINT, at, Reach::AtSignOff);
        let complaint = |work_order_id| Complaint {
            id: complaint_id,
            work_order_id,
            visit_id: Some(visit_id.clone()),
            source: ComplaintSource::SignOff,
            owner_id: None,
            received_at: at,
            description,
        };
        let Some(mut write) = self.begin_visit_work(work).await? else {
            // A repeat writes nothing; it is answered, to the visit's own
            // technician only, with the complaint this send describes.
            let visit = self
                .visit(visit_id)
                .await?
                .ok_or_else(|| WorkRecordError::NotFound(visit_id.clone()))?;
            if visit.technician_id.as_ref() != Some(technician_id) {
                return Err(WorkRecordError::NotYours(visit_id.clone()));
            }
            return Ok(complaint(visit.work_order_id));
        };
        let complaint = complaint(write.visit().work_order_id.clone());
        insert_complaint(write.tx(), &complaint).await?;
        write.finish(None).await?;
        Ok(complaint)
    }

    pub async fn complaints_of_visit(
        &self,
        visit_id: &RecordId,
    ) -> Result<Vec<String>, StoreError> {
        let rows =
            sqlx::query("SELECT id FROM complaints WHERE visit_id = $1 ORDER BY received_at_ms")
                .bind(visit_id.as_str())
                .fetch_all(self.pool())
                .await?;
        rows.iter().map(|row| Ok(row.try_get("id")?)).collect()
    }

    pub async fn count_complaints(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM complaints")
            .fetch_one(self.pool())
            .await?;
        Ok(row.try_get::<i64, _>("n")?)
    }
}
