//! What happens at the customer's home, on record: checklist results, the
//! outcome, parts, fees and the customer's sign-off; and the whole record
//! read back as one value.

use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Executor, Row};

use super::visits::{outcome_columns, visit_from_row, VISIT_COLUMNS};
use super::{corrupt, flag, Store, StoreError};
use crate::domain::charges::{ChargeError, FeeCharge, Money, PartUsed, Quantity};
use crate::domain::checklist::{ItemAnswer, UnknownItem};
use crate::domain::ids::RecordId;
use crate::domain::record::{RecordedAnswer, VisitRecord};
use crate::domain::signoff::{
    ConductConfirmations, Ratings, Score, SignOff, Signature, VisitOutcome,
};
use crate::domain::time::Timestamp;
use crate::domain::validation::{FeeCode, Note, PartCode, PartName, PersonName, ValidationError};
use crate::domain::visit::{Visit, VisitStatus};

/// Writes (or replaces) the result of one checklist item.
pub async fn upsert_checklist_result<'c>(
    db: impl Executor<'c, Database = Any>,
    visit_id: &RecordId,
    item_key: &str,
    answer: &ItemAnswer,
) -> Result<(), StoreError> {
    let (kind, at, note, photo, reason) = match answer {
        ItemAnswer::Done { at, note, photo } => (
            "done",
            *at,
            note.as_ref().map(Note::as_str),
            photo.as_ref().map(RecordId::as_str),
            None,
        ),
        ItemAnswer::NotApplicable { at, reason } => {
            ("not_applicable", *at, None, None, Some(reason.as_str()))
        }
    };
    sqlx::query(
        "INSERT INTO checklist_results (visit_id, item_key, answer, answered_at_ms, note, \
         photo_id, reason) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (visit_id, item_key) DO UPDATE SET answer = excluded.answer, \
         answered_at_ms = excluded.answered_at_ms, note = excluded.note, \
         photo_id = excluded.photo_id, reason = excluded.reason",
    )
    .bind(visit_id.as_str())
    .bind(item_key)
    .bind(kind)
    .bind(at.unix_millis())
    .bind(note)
    .bind(photo)
    .bind(reason)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn insert_part<'c>(
    db: impl Executor<'c, Database = Any>,
    visit_id: &RecordId,
    part: &PartUsed,
    at: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO visit_parts (id, visit_id, part_code, part_name, quantity, unit_price_fen, \
         recorded_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(part.id.as_str())
    .bind(visit_id.as_str())
    .bind(part.code.as_str())
    .bind(part.name.as_str())
    .bind(i64::from(part.quantity.value()))
    .bind(part.unit_price.fen())
    .bind(at.unix_millis())
    .execute(db)
    .await?;
    Ok(())
}

pub async fn insert_fee<'c>(
    db: impl Executor<'c, Database = Any>,
    visit_id: &RecordId,
    fee: &FeeCharge,
    at: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO visit_fees (id, visit_id, fee_code, quantity, unit_amount_fen, \
         charged_at_ms) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(fee.id.as_str())
    .bind(visit_id.as_str())
    .bind(fee.code.as_str())
    .bind(i64::from(fee.quantity.value()))
    .bind(fee.unit_amount.fen())
    .bind(at.unix_millis())
    .execute(db)
    .await?;
    Ok(())
}

pub async fn insert_sign_off<'c>(
    db: impl Executor<'c, Database = Any>,
    visit_id: &RecordId,
    sign_off: &SignOff,
    at: Timestamp,
) -> Result<(), StoreError> {
    let signature = serde_json::to_string(&sign_off.signature)
        .map_err(|e| StoreError::Refused(format!("signature of visit {visit_id}: {e}")))?;
    let score = |s: Score| i32::from(s.value());
    let ratings = &sign_off.ratings;
    let conduct = &sign_off.conduct;
    sqlx::query(
        "INSERT INTO sign_offs (visit_id, signer_name, signature, customer_says_fixed, \
         rating_skill, rating_attitude, rating_timeliness, rating_parts_supply, rating_overall, \
         no_arguing, no_eating_drinking_smoking, no_gifts, no_extra_charges, comment, \
         signed_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
    )
    .bind(visit_id.as_str())
    .bind(sign_off.signer.as_str())
    .bind(signature)
    .bind(i32::from(sign_off.customer_says_fixed))
    .bind(score(ratings.skill))
    .bind(score(ratings.attitude))
    .bind(score(ratings.timeliness))
    .bind(score(ratings.parts_supply))
    .bind(score(ratings.overall))
    .bind(i32::from(conduct.no_arguing))
    .bind(i32::from(conduct.no_eating_drinking_smoking))
    .bind(i32::from(conduct.no_gifts))
    .bind(i32::from(conduct.no_extra_charges))
    .bind(sign_off.comment.as_ref().map(Note::as_str))
    .bind(at.unix_millis())
    .execute(db)
    .await?;
    Ok(())
}

/// Why a record of the work at the customer's home was not written.
#[derive(Debug, thiserror::Error)]
pub enum WorkRecordError {
    #[error("visit {0} not found")]
    NotFound(RecordId),
    #[error("visit {0} is not assigned to this technician")]
    NotYours(RecordId),
    #[error("the visit is {0}: work is recorded between check-in and finishing the work")]
    NotAtWork(VisitStatus),
    #[error(transparent)]
    UnknownItem(#[from] UnknownItem),
    #[error(transparent)]
    NotOnSchedule(#[from] ChargeError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for WorkRecordError {
    fn from(error: sqlx::Error) -> Self {
        WorkRecordError::Store(StoreError::Database(error))
    }
}

/// The visit, if it is this technician's and they are at work on it. Read
/// inside the writing transaction so the check and the write see one state.
async fn visit_at_work(
    tx: &mut AnyConnection,
    visit_id: &RecordId,
    technician_id: &RecordId,
) -> Result<Visit, WorkRecordError> {
    let row = sqlx::query(&format!(
        "SELECT {VISIT_COLUMNS} FROM visits v WHERE v.id = $1"
    ))
    .bind(visit_id.as_str())
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| WorkRecordError::NotFound(visit_id.clone()))?;
    let visit = visit_from_row(&row)?;
    if visit.technician_id.as_ref() != Some(technician_id) {
        return Err(WorkRecordError::NotYours(visit_id.clone()));
    }
    if !visit.status.accepts_work_records() {
        return Err(WorkRecordError::NotAtWork(visit.status));
    }
    Ok(visit)
}

impl Store {
    /// Records a checklist item's result against the visit's own template
    /// version; a key that version lacks is refused.
    pub async fn record_checklist_answer(
        &self,
        visit_id: &RecordId,
        technician_id: &RecordId,
        item_key: &str,
        answer: &ItemAnswer,
    ) -> Result<(), WorkRecordError> {
        let mut tx = self.begin().await?;
        let visit = visit_at_work(&mut tx, visit_id, technician_id).await?;
        let template = self
            .checklist_template(visit.checklist_version)
            .await?
            .ok_or_else(|| {
                corrupt(
                    "visit",
                    visit_id.as_str(),
                    "its checklist template is missing",
                )
            })?;
        template.item(item_key)?;
        upsert_checklist_result(&mut *tx, visit_id, item_key, answer).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn record_outcome(
        &self,
        visit_id: &RecordId,
        technician_id: &RecordId,
        outcome: &VisitOutcome,
    ) -> Result<(), WorkRecordError> {
        let mut tx = self.begin().await?;
        visit_at_work(&mut tx, visit_id, technician_id).await?;
        let (outcome, reason, detail) = outcome_columns(Some(outcome));
        sqlx::query(
            "UPDATE visits SET outcome = $1, not_fixed_reason = $2, not_fixed_detail = $3 \
             WHERE id = $4",
        )
        .bind(outcome)
        .bind(reason)
        .bind(detail)
        .bind(visit_id.as_str())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn record_part(
        &self,
        visit_id: &RecordId,
        technician_id: &RecordId,
        part: &PartUsed,
        at: Timestamp,
    ) -> Result<(), WorkRecordError> {
        let mut tx = self.begin().await?;
        visit_at_work(&mut tx, visit_id, technician_id).await?;
        insert_part(&mut *tx, visit_id, part, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Charges a fee at the schedule's amount; a code the schedule does not
    /// list is refused (no charges outside the fee schedule).
    pub async fn charge_fee(
        &self,
        visit_id: &RecordId,
        technician_id: &RecordId,
        charge_id: RecordId,
        code: FeeCode,
        quantity: Quantity,
        at: Timestamp,
    ) -> Result<FeeCharge, WorkRecordError> {
        let schedule = self.fee_schedule().await?;
        let charge = schedule.charge(charge_id, code, quantity)?;
        let mut tx = self.begin().await?;
        visit_at_work(&mut tx, visit_id, technician_id).await?;
        insert_fee(&mut *tx, visit_id, &charge, at).await?;
        tx.commit().await?;
        Ok(charge)
    }

    /// Everything on the one-ticket service record of a visit.
    pub async fn visit_record(
        &self,
        visit_id: &RecordId,
    ) -> Result<Option<VisitRecord>, StoreError> {
        let Some(visit) = self.visit(visit_id).await? else {
            return Ok(None);
        };
        let id = visit_id.as_str();
        let missing = |what: &str| corrupt("visit", id, format!("its {what} is missing"));
        let work_order = self
            .work_order(&visit.work_order_id)
            .await?
            .ok_or_else(|| missing("work order"))?;
        let customer = self
            .customer(&work_order.customer_id)
            .await?
            .ok_or_else(|| missing("customer"))?;
        let appliance = self
            .appliance(&work_order.appliance_id)
            .await?
            .ok_or_else(|| missing("appliance"))?;
        let checklist = self
            .checklist_template(visit.checklist_version)
            .await?
            .ok_or_else(|| missing("checklist template"))?;
        let technician_name = match &visit.technician_id {
            Some(technician) => sqlx::query("SELECT display_name FROM users WHERE id = $1")
                .bind(technician.as_str())
                .fetch_optional(self.pool())
                .await?
                .map(|row| row.try_get::<String, _>("display_name"))
                .transpose()?,
            None => None,
        };

        let rows = sqlx::query(
            "SELECT item_key, answer, answered_at_ms, note, photo_id, reason \
             FROM checklist_results WHERE visit_id = $1",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        let mut answers = rows
            .iter()
            .map(|row| answer_from_row(row, id))
            .collect::<Result<Vec<_>, _>>()?;
        let position = |key: &str| checklist.items.iter().position(|item| item.key == key);
        answers.sort_by_key(|recorded| position(&recorded.item_key));

        let rows = sqlx::query(
            "SELECT id, part_code, part_name, quantity, unit_price_fen FROM visit_parts \
             WHERE visit_id = $1 ORDER BY recorded_at_ms, id",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        let parts = rows
            .iter()
            .map(|row| part_from_row(row, id))
            .collect::<Result<Vec<_>, _>>()?;

        let rows = sqlx::query(
            "SELECT id, fee_code, quantity, unit_amount_fen FROM visit_fees \
             WHERE visit_id = $1 ORDER BY charged_at_ms, id",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        let fees = rows
            .iter()
            .map(|row| fee_from_row(row, id))
            .collect::<Result<Vec<_>, _>>()?;

        let sign_off = sqlx::query("SELECT * FROM sign_offs WHERE visit_id = $1")
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .map(|row| sign_off_from_row(&row, id))
            .transpose()?;

        Ok(Some(VisitRecord {
            visit,
            work_order,
            customer,
            appliance,
            technician_name,
            checklist,
            answers,
            parts,
            fees,
            sign_off,
        }))
    }
}

fn answer_from_row(row: &AnyRow, visit_id: &str) -> Result<RecordedAnswer, StoreError> {
    let bad = |e: &dyn std::fmt::Display| corrupt("checklist result of visit", visit_id, e);
    let kind: String = row.try_get("answer")?;
    let at = Timestamp::from_unix_millis(row.try_get("answered_at_ms")?);
    let note: Option<String> = row.try_get("note")?;
    let photo: Option<String> = row.try_get("photo_id")?;
    let reason: Option<String> = row.try_get("reason")?;
    let answer = match kind.as_str() {
        "done" => ItemAnswer::Done {
            at,
            note: note
                .map(|n| Note::parse(&n))
                .transpose()
                .map_err(|e| bad(&e))?,
            photo: photo
                .map(|p| RecordId::parse("photo_id", &p))
                .transpose()
                .map_err(|e| bad(&e))?,
        },
        "not_applicable" => ItemAnswer::NotApplicable {
            at,
            reason: Note::parse(reason.as_deref().unwrap_or_default()).map_err(|e| bad(&e))?,
        },
        other => return Err(bad(&format!("answer {other:?}"))),
    };
    Ok(RecordedAnswer {
        item_key: row.try_get("item_key")?,
        answer,
    })
}

fn quantity(row: &AnyRow) -> Result<Quantity, ValidationError> {
    let value = row.try_get::<i64, _>("quantity").unwrap_or_default();
    Quantity::new(u32::try_from(value).unwrap_or(0))
}

fn part_from_row(row: &AnyRow, visit_id: &str) -> Result<PartUsed, StoreError> {
    let bad = |e: ValidationError| corrupt("part of visit", visit_id, e);
    Ok(PartUsed {
        id: RecordId::parse("id", &row.try_get::<String, _>("id")?).map_err(bad)?,
        code: PartCode::parse(&row.try_get::<String, _>("part_code")?).map_err(bad)?,
        name: PartName::parse(&row.try_get::<String, _>("part_name")?).map_err(bad)?,
        quantity: quantity(row).map_err(bad)?,
        unit_price: Money::from_fen("unit_price_fen", row.try_get("unit_price_fen")?)
            .map_err(bad)?,
    })
}

fn fee_from_row(row: &AnyRow, visit_id: &str) -> Result<FeeCharge, StoreError> {
    let bad = |e: ValidationError| corrupt("fee of visit", visit_id, e);
    Ok(FeeCharge {
        id: RecordId::parse("id", &row.try_get::<String, _>("id")?).map_err(bad)?,
        code: FeeCode::parse(&row.try_get::<String, _>("fee_code")?).map_err(bad)?,
        quantity: quantity(row).map_err(bad)?,
        unit_amount: Money::from_fen("unit_amount_fen", row.try_get("unit_amount_fen")?)
            .map_err(bad)?,
    })
}

fn sign_off_from_row(row: &AnyRow, visit_id: &str) -> Result<SignOff, StoreError> {
    let bad = |e: &dyn std::fmt::Display| corrupt("sign-off of visit", visit_id, e);
    let score = |column: &'static str| -> Result<Score, StoreError> {
        let value = row.try_get::<i32, _>(column)?;
        Score::new(column, u8::try_from(value).unwrap_or(0)).map_err(|e| bad(&e))
    };
    let signature: Signature =
        serde_json::from_str(&row.try_get::<String, _>("signature")?).map_err(|e| bad(&e))?;
    let comment: Option<String> = row.try_get("comment")?;
    Ok(SignOff {
        signer: PersonName::parse(&row.try_get::<String, _>("signer_name")?)
            .map_err(|e| bad(&e))?,
        signature,
        customer_says_fixed: flag(row, "customer_says_fixed")?,
        ratings: Ratings {
            skill: score("rating_skill")?,
            attitude: score("rating_attitude")?,
            timeliness: score("rating_timeliness")?,
            parts_supply: score("rating_parts_supply")?,
            overall: score("rating_overall")?,
        },
        conduct: ConductConfirmations {
            no_arguing: flag(row, "no_arguing")?,
            no_eating_drinking_smoking: flag(row, "no_eating_drinking_smoking")?,
            no_gifts: flag(row, "no_gifts")?,
            no_extra_charges: flag(row, "no_extra_charges")?,
        },
        comment: comment
            .map(|c| Note::parse(&c))
            .transpose()
            .map_err(|e| bad(&e))?,
    })
}
