//! Photos of checklist items, kept in the database so any server process
//! can answer for them.

use sqlx::Row;

use super::visit_records::WorkRecordError;
use super::write::{Reach, VisitWork};
use super::{corrupt, Store, StoreError};
use crate::domain::checklist::ItemAnswer;
use crate::domain::ids::RecordId;
use crate::domain::photo::ImageType;
use crate::domain::record::Amendment;
use crate::domain::time::Timestamp;

/// A photo as it arrived, already checked: its type read from its bytes.
#[derive(Clone, Debug)]
pub struct NewPhoto {
    pub id: RecordId,
    pub image_type: ImageType,
    pub byte_size: usize,
    pub sha256: String,
    pub data_base64: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredPhoto {
    pub visit_id: String,
    pub image_type: ImageType,
    pub data_base64: String,
}

impl Store {
    /// Stores the photo and marks its checklist item done with it (a note
    /// already on the item stays), in one transaction, once per operation.
    /// On a signed record the change is the record's next revision.
    pub async fn attach_photo(
        &self,
        operation_id: &RecordId,
        visit_id: &RecordId,
        technician_id: &RecordId,
        item_key: &str,
        photo: &NewPhoto,
        at: Timestamp,
    ) -> Result<(), WorkRecordError> {
        let ids = (operation_id, visit_id, technician_id);
        let work = VisitWork::new(
            ids,
            super::visit_records::CHECKLIST_PHOTO,
            at,
            Reach::AtWorkOrSigned,
        );
        let Some(mut write) = self.begin_visit_work(work).await? else {
            return Ok(());
        };
        let visit = write.visit().clone();
        sqlx::query(
            "INSERT INTO photos (id, visit_id, item_key, content_type, byte_size, sha256, \
             data_base64, taken_by, stored_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(photo.id.as_str())
        .bind(visit_id.as_str())
        .bind(item_key)
        .bind(photo.image_type.as_str())
        .bind(i64::try_from(photo.byte_size).unwrap_or(i64::MAX))
        .bind(&photo.sha256)
        .bind(&photo.data_base64)
        .bind(technician_id.as_str())
        .bind(at.unix_millis())
        .execute(write.tx())
        .await?;
        let note: Option<String> =
            sqlx::query("SELECT note FROM checklist_results WHERE visit_id = $1 AND item_key = $2")
                .bind(visit_id.as_str())
                .bind(item_key)
                .fetch_optional(write.tx())
                .await?
                .map(|row| row.try_get("note"))
                .transpose()?
                .flatten();
        let answer = ItemAnswer::Done {
            at,
            note: note
                .map(|n| crate::domain::validation::Note::parse(&n))
                .transpose()
                .map_err(|e| corrupt("checklist result of visit", visit_id.as_str(), e))?,
            photo: Some(photo.id.clone()),
        };
        self.write_item_answer(write.tx(), &visit, item_key, &answer)
            .await?;
        write
            .finish(Some(Amendment::ChecklistAnswer {
                item_key: item_key.to_string(),
                answer,
            }))
            .await
    }

    pub async fn photo(&self, photo_id: &RecordId) -> Result<Option<StoredPhoto>, StoreError> {
        let row =
            sqlx::query("SELECT visit_id, content_type, data_base64 FROM photos WHERE id = $1")
                .bind(photo_id.as_str())
                .fetch_optional(self.pool())
                .await?;
        row.map(|row| {
            let content_type: String = row.try_get("content_type")?;
            Ok(StoredPhoto {
                visit_id: row.try_get("visit_id")?,
                image_type: ImageType::parse(&content_type).ok_or_else(|| {
                    corrupt("photo", photo_id.as_str(), format!("type {content_type:?}"))
                })?,
                data_base64: row.try_get("data_base64")?,
            })
        })
        .transpose()
    }
}
