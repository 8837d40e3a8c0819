//! Field insights (信息增值) noted on visits.

use sqlx::Row;

use super::visit_records::WorkRecordError;
use super::write::{Reach, VisitWork};
use super::{corrupt, Store, StoreError};
use crate::domain::ids::RecordId;
use crate::domain::insight::{FieldInsight, InsightCategory};
use crate::domain::time::Timestamp;
use crate::domain::validation::Note;

impl Store {
    /// A note on any of the technician's own visits, whatever its status:
    /// what was seen in the home is worth keeping even after signing. Once
    /// per operation; the note's id is made on the device.
    pub async fn add_field_insight(
        &self,
        operation_id: &RecordId,
        technician_id: &RecordId,
        insight: &FieldInsight,
    ) -> Result<(), WorkRecordError> {
        let ids = (operation_id, &insight.visit_id, technician_id);
        let work = VisitWork::new(
            ids,
            super::visit_records::FIELD_INSIGHT,
            insight.written_at,
            Reach::AnyStatus,
        );
        let Some(mut write) = self.begin_visit_work(work).await? else {
            return Ok(());
        };
        sqlx::query(
            "INSERT INTO field_insights (id, visit_id, category, note, written_by, \
             written_at_ms) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(insight.id.as_str())
        .bind(insight.visit_id.as_str())
        .bind(insight.category.as_str())
        .bind(insight.note.as_str())
        .bind(technician_id.as_str())
        .bind(insight.written_at.unix_millis())
        .execute(write.tx())
        .await?;
        write.finish(None).await
    }

    pub async fn field_insights_of(
        &self,
        visit_id: &RecordId,
    ) -> Result<Vec<FieldInsight>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, category, note, written_at_ms FROM field_insights WHERE visit_id = $1 \
             ORDER BY written_at_ms, id",
        )
        .bind(visit_id.as_str())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let bad =
                    |e: &dyn std::fmt::Display| corrupt("field insight", visit_id.as_str(), e);
                let category: String = row.try_get("category")?;
                Ok(FieldInsight {
                    id: RecordId::parse("id", &row.try_get::<String, _>("id")?)
                        .map_err(|e| bad(&e))?,
                    visit_id: visit_id.clone(),
                    category: InsightCategory::parse(&category)
                        .ok_or_else(|| bad(&format!("category {category:?}")))?,
                    note: Note::parse(&row.try_get::<String, _>("note")?).map_err(|e| bad(&e))?,
                    written_at: Timestamp::from_unix_millis(row.try_get("written_at_ms")?),
                })
            })
            .collect()
    }
}
