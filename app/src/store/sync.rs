//! What the offline sync keeps beyond the change itself: each applied
//! operation's visit, kind and phone clock (the sync log); operations held
//! for the dispatcher when the office changed the visit meanwhile; and
//! photos arriving in pieces.

use sqlx::Row;

use super::visits::applied_answer;
use super::{corrupt, Store, StoreError};
use crate::api::desk::HeldWork;
use crate::api::sync::{HeldSettled, SyncedOperation};
use crate::domain::conflict::{hold_reason, HeldReason, SettlementOutcome};
use crate::domain::device_clock::{clock_flagged, DeviceClock};
use crate::domain::ids::RecordId;
use crate::domain::photo::MAX_PHOTO_BYTES;
use crate::domain::time::Timestamp;
use crate::domain::visit::VisitStatus;

/// An operation to hold: who sent it, for which visit, and as sent.
pub struct HeldOperation<'a> {
    pub operation_id: &'a RecordId,
    pub technician_id: &'a RecordId,
    pub visit_id: &'a RecordId,
    pub kind: &'a str,
    pub made_at: Timestamp,
    pub received_at: Timestamp,
    pub payload: &'a str,
}

/// Why a piece of a photo was not taken.
#[derive(Debug, thiserror::Error)]
pub enum PhotoUploadError {
    #[error("the photo is larger than {MAX_PHOTO_BYTES} bytes")]
    TooLarge,
    #[error("photo {0} is being sent by someone else")]
    NotYours(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for PhotoUploadError {
    fn from(error: sqlx::Error) -> Self {
        PhotoUploadError::Store(StoreError::Database(error))
    }
}

/// Base64 text of the largest photo accepted.
const MAX_PHOTO_BASE64: usize = MAX_PHOTO_BYTES.div_ceil(3) * 4;

impl Store {
    /// Whether the technician's operation, of this kind, was applied
    /// already; an id used by someone else or for another kind of change
    /// is refused (`applied_answer`).
    pub async fn operation_applied(
        &self,
        operation_id: &RecordId,
        technician_id: &RecordId,
        kind: &str,
    ) -> Result<bool, StoreError> {
        let mut conn = self.pool().acquire().await?;
        Ok(applied_answer(
            &mut conn,
            operation_id.as_str(),
            technician_id.as_str(),
            kind,
        )
        .await?
        .is_some())
    }

    /// Notes the visit, kind and phone clock of an applied operation. Its
    /// own statement after the change's transaction: a crash between the
    /// two leaves the note out, and the phone's resend (it got no answer)
    /// writes it then.
    pub async fn note_applied(
        &self,
        operation_id: &RecordId,
        technician_id: &RecordId,
        visit_id: &RecordId,
        kind: &str,
        clock: DeviceClock,
    ) -> Result<(), StoreError> {
        let _turn = self.write_turn().await;
        sqlx::query(
            "UPDATE applied_operations SET visit_id = $1, kind = $2, \
             device_at_ms = COALESCE(device_at_ms, $3), device_clock_skew_ms = $4 \
             WHERE operation_id = $5 AND user_id = $6 AND kind IS NULL",
        )
        .bind(visit_id.as_str())
        .bind(kind)
        .bind(clock.made_at.map(Timestamp::unix_millis))
        .bind(clock.skew_ms)
        .bind(operation_id.as_str())
        .bind(technician_id.as_str())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The reason an operation was held, if it was. A held id sent by
    /// someone else, or for another kind of change, is refused as an
    /// applied one is.
    pub async fn held_reason(
        &self,
        operation_id: &RecordId,
        technician_id: &RecordId,
        kind: &str,
    ) -> Result<Option<HeldReason>, StoreError> {
        let row = sqlx::query(
            "SELECT user_id, kind, reason FROM held_operations WHERE operation_id = $1",
        )
        .bind(operation_id.as_str())
        .fetch_optional(self.pool())
        .await?;
        if let Some(row) = &row {
            let held_for: String = row.try_get("user_id")?;
            let held_kind: String = row.try_get("kind")?;
            if held_for != technician_id.as_str() || held_kind != kind {
                return Err(StoreError::operation_id_in_use(operation_id));
            }
        }
        row.map(|row| {
            let reason: String = row.try_get("reason")?;
            HeldReason::parse(&reason)
                .ok_or_else(|| corrupt("held operation", operation_id.as_str(), reason))
        })
        .transpose()
    }

    /// Holds a refused operation when the office changed its visit (the
    /// rules in `domain::conflict`); answers the reason, or None when the
    /// refusal stands.
    pub async fn hold_if_changed_meanwhile(
        &self,
        held: HeldOperation<'_>,
    ) -> Result<Option<HeldReason>, StoreError> {
        let mut tx = self.begin().await?;
        let row = sqlx::query(
            "SELECT v.status, v.technician_id, \
             (SELECT COUNT(*) FROM visit_handovers h WHERE h.visit_id = v.id \
              AND h.technician_id = $2) AS handovers \
             FROM visits v WHERE v.id = $1",
        )
        .bind(held.visit_id.as_str())
        .bind(held.technician_id.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let status: String = row.try_get("status")?;
        let status = VisitStatus::parse(&status)
            .ok_or_else(|| corrupt("visit", held.visit_id.as_str(), &status))?;
        let assigned: Option<String> = row.try_get("technician_id")?;
        let had_it_before = row.try_get::<i64, _>("handovers")? > 0;
        let Some(reason) = hold_reason(
            status,
            assigned.as_deref(),
            held.technician_id.as_str(),
            had_it_before,
        ) else {
            return Ok(None);
        };
        sqlx::query(
            "INSERT INTO held_operations (operation_id, user_id, visit_id, kind, reason, \
             device_at_ms, received_at_ms, payload) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (operation_id) DO NOTHING",
        )
        .bind(held.operation_id.as_str())
        .bind(held.technician_id.as_str())
        .bind(held.visit_id.as_str())
        .bind(held.kind)
        .bind(reason.as_str())
        .bind(held.made_at.unix_millis())
        .bind(held.received_at.unix_millis())
        .bind(held.payload)
        .execute(&mut *tx)
        .await?;
        self.commit_announcing(tx, held.visit_id.as_str()).await?;
        Ok(Some(reason))
    }

    /// Takes the piece of a photo that starts at `offset` (in base64
    /// characters) and answers how much the server now has. A piece that
    /// is not the next one (a repeat, or one after a gap) changes nothing:
    /// the answer tells the phone where to go on from.
    pub async fn append_photo_upload(
        &self,
        photo_id: &RecordId,
        technician_id: &RecordId,
        offset: usize,
        piece: &str,
        now: Timestamp,
    ) -> Result<usize, PhotoUploadError> {
        let mut tx = self.begin().await?;
        let row = sqlx::query(
            "SELECT user_id, LENGTH(received) AS received_length FROM photo_uploads \
             WHERE photo_id = $1",
        )
        .bind(photo_id.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        let received = match row {
            Some(row) => {
                let owner: String = row.try_get("user_id")?;
                if owner != technician_id.as_str() {
                    return Err(PhotoUploadError::NotYours(photo_id.to_string()));
                }
                usize::try_from(row.try_get::<i64, _>("received_length")?).unwrap_or(0)
            }
            None => 0,
        };
        if offset != received || piece.is_empty() {
            return Ok(received);
        }
        let total = received + piece.len();
        if total > MAX_PHOTO_BASE64 {
            return Err(PhotoUploadError::TooLarge);
        }
        let statement = if received == 0 {
            "INSERT INTO photo_uploads (received, updated_at_ms, photo_id, user_id) \
             VALUES ($1, $2, $3, $4)"
        } else {
            "UPDATE photo_uploads SET received = received || $1, updated_at_ms = $2 \
             WHERE photo_id = $3 AND user_id = $4"
        };
        sqlx::query(statement)
            .bind(piece)
            .bind(now.unix_millis())
            .bind(photo_id.as_str())
            .bind(technician_id.as_str())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(total)
    }

    /// The photo's base64 text received so far.
    /// The photo this technician has sent up under `photo_id`, if all of
    /// it has arrived; another technician's upload is refused (403), as
    /// every crossing into someone else's work is.
    pub async fn photo_upload(
        &self,
        photo_id: &RecordId,
        technician_id: &RecordId,
    ) -> Result<Option<String>, PhotoUploadError> {
        let row = sqlx::query("SELECT user_id, received FROM photo_uploads WHERE photo_id = $1")
            .bind(photo_id.as_str())
            .fetch_optional(self.pool())
            .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let sent_by: String = row.try_get("user_id")?;
        if sent_by != technician_id.as_str() {
            return Err(PhotoUploadError::NotYours(photo_id.to_string()));
        }
        Ok(Some(row.try_get("received")?))
    }

    pub async fn drop_photo_upload(&self, photo_id: &RecordId) -> Result<(), StoreError> {
        let _turn = self.write_turn().await;
        sqlx::query("DELETE FROM photo_uploads WHERE photo_id = $1")
            .bind(photo_id.as_str())
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Every operation phones sent for the visit, applied or held, in the
    /// order the server received them.
    pub async fn sync_log(&self, visit_id: &RecordId) -> Result<Vec<SyncedOperation>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.operation_id, a.kind, u.display_name, a.device_at_ms, \
             a.applied_at_ms AS received_at_ms, a.device_clock_skew_ms, a.device_clock_doubt, \
             NULL AS held_reason, NULL AS outcome, NULL AS settled_by_name, \
             NULL AS settled_at_ms, NULL AS settlement_note \
             FROM applied_operations a JOIN users u ON u.id = a.user_id WHERE a.visit_id = $1 \
             AND NOT EXISTS (SELECT 1 FROM held_operations held \
                             WHERE held.operation_id = a.operation_id) \
             UNION ALL \
             SELECT h.operation_id, h.kind, u.display_name, h.device_at_ms, h.received_at_ms, \
             NULL, NULL, h.reason, h.outcome, s.display_name, h.settled_at_ms, \
             h.settlement_note FROM held_operations h JOIN users u ON u.id = h.user_id \
             LEFT JOIN users s ON s.id = h.settled_by WHERE h.visit_id = $1 \
             ORDER BY received_at_ms, operation_id",
        )
        .bind(visit_id.as_str())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let operation_id: String = row.try_get("operation_id")?;
                let held: Option<String> = row.try_get("held_reason")?;
                let held = held
                    .map(|reason| {
                        HeldReason::parse(&reason)
                            .ok_or_else(|| corrupt("held operation", &operation_id, reason))
                    })
                    .transpose()?;
                let clock_skew_ms: Option<i64> = row.try_get("device_clock_skew_ms")?;
                let doubted: Option<String> = row.try_get("device_clock_doubt")?;
                let outcome: Option<String> = row.try_get("outcome")?;
                let settled = outcome
                    .map(|outcome| -> Result<HeldSettled, StoreError> {
                        Ok(HeldSettled {
                            outcome: SettlementOutcome::parse(&outcome).ok_or_else(|| {
                                corrupt("held operation", &operation_id, &outcome)
                            })?,
                            by: row
                                .try_get::<Option<String>, _>("settled_by_name")?
                                .unwrap_or_default(),
                            at: super::optional_time(row, "settled_at_ms")?.ok_or_else(|| {
                                corrupt("held operation", &operation_id, "settled without a time")
                            })?,
                            note: row.try_get("settlement_note")?,
                        })
                    })
                    .transpose()?;
                Ok(SyncedOperation {
                    kind: row.try_get("kind")?,
                    made_by: row.try_get("display_name")?,
                    device_at: super::optional_time(row, "device_at_ms")?,
                    received_at: Timestamp::from_unix_millis(row.try_get("received_at_ms")?),
                    clock_flagged: clock_skew_ms.is_some_and(clock_flagged) || doubted.is_some(),
                    clock_skew_ms,
                    held,
                    settled,
                    operation_id,
                })
            })
            .collect()
    }

    /// The region's held work not yet settled, newest first (at most 100).
    pub async fn held_work_in_region(
        &self,
        region_id: &RecordId,
    ) -> Result<Vec<HeldWork>, StoreError> {
        let rows = sqlx::query(
            "SELECT h.operation_id, h.visit_id, c.name AS customer_name, u.display_name AS technician_name, \
             h.kind, h.reason, h.device_at_ms, h.received_at_ms FROM held_operations h \
             JOIN users u ON u.id = h.user_id JOIN visits v ON v.id = h.visit_id \
             JOIN work_orders w ON w.id = v.work_order_id \
             JOIN customers c ON c.id = w.customer_id \
             WHERE w.region_id = $1 AND h.settled_at_ms IS NULL \
             ORDER BY h.received_at_ms DESC, h.operation_id LIMIT 100",
        )
        .bind(region_id.as_str())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let visit_id: String = row.try_get("visit_id")?;
                let reason: String = row.try_get("reason")?;
                Ok(HeldWork {
                    reason: HeldReason::parse(&reason)
                        .ok_or_else(|| corrupt("held operation", &visit_id, &reason))?,
                    customer_name: row.try_get("customer_name")?,
                    technician_name: row.try_get("technician_name")?,
                    kind: row.try_get("kind")?,
                    device_at: Timestamp::from_unix_millis(row.try_get("device_at_ms")?),
                    received_at: Timestamp::from_unix_millis(row.try_get("received_at_ms")?),
                    operation_id: row.try_get("operation_id")?,
                    visit_id,
                })
            })
            .collect()
    }
}
