//! What happens at the customer's home, on record: checklist results, the
//! outcome, parts, fees and the customer's sign-off; and the whole record
//! read back as one value.

use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Executor, Row};

use super::dashboard_cache::{forget_counted_days, Touched};
use super::visits::{
    applied_answer, outcome_columns, record_applied, visit_from_row, VisitEventError, VISIT_COLUMNS,
};
use super::{corrupt, flag, Store, StoreError};
use crate::domain::charges::{ChargeError, FeeCharge, Money, PartUsed, Quantity};
use crate::domain::checklist::{ItemAnswer, UnknownItem};
use crate::domain::ids::RecordId;
use crate::domain::record::{
    ready_to_finish, Amendment, RecordChange, RecordRevision, RecordedAnswer, SealCheck,
    VisitRecord,
};
use crate::domain::signoff::{
    ConductConfirmations, Ratings, Score, SignOff, Signature, VisitOutcome,
};
use crate::domain::time::Timestamp;
use crate::domain::validation::{FeeCode, Note, PartCode, PartName, PersonName, ValidationError};
use crate::domain::visit::{Visit, VisitEvent, VisitStatus};

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
    #[error("the visit is {0}: the customer complains at sign-off, once the work is finished")]
    NotAtSignOff(VisitStatus),

    /// A checklist answer naming a photo this visit does not have.
    #[error("photo {0} is not one of this visit's photos")]
    NoSuchPhoto(RecordId),
    /// A checklist answer naming another visit's photo.
    #[error("photo {0} belongs to another visit")]
    OtherVisitsPhoto(RecordId),
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

/// Work records answer "done" to a repeated operation.
const APPLIED: &str = "applied";

/// The actions an operation id is kept with, named as the sync names the
/// kinds of change (`sync::operation::Change::kind`); a visit step is
/// named by its event.
pub(crate) const CHECKLIST_DONE: &str = "checklist_done";
pub(crate) const CHECKLIST_NOT_APPLICABLE: &str = "checklist_not_applicable";
pub(crate) const CHECKLIST_PHOTO: &str = "checklist_photo";
pub(crate) const OUTCOME: &str = "outcome";
pub(crate) const PART: &str = "part";
pub(crate) const FEE: &str = "fee";
pub(crate) const FIELD_INSIGHT: &str = "field_insight";
pub(crate) const COMPLAINT: &str = "complaint";
pub(crate) const SIGN_OFF: &str = "sign_off";

fn checklist_action(answer: &ItemAnswer) -> &'static str {
    match answer {
        ItemAnswer::Done { .. } => CHECKLIST_DONE,
        ItemAnswer::NotApplicable { .. } => CHECKLIST_NOT_APPLICABLE,
    }
}

/// Whether this technician's operation, of this action (its kind as the
/// sync names it), was applied already; an id used by someone else or for
/// another action is refused (`applied_answer`).
pub(crate) async fn already_applied(
    tx: &mut AnyConnection,
    (operation_id, technician_id, action): (&RecordId, &RecordId, &str),
) -> Result<bool, StoreError> {
    Ok(
        applied_answer(tx, operation_id.as_str(), technician_id.as_str(), action)
            .await?
            .is_some(),
    )
}

pub(crate) async fn mark_applied(
    tx: &mut AnyConnection,
    (operation_id, technician_id, action): (&RecordId, &RecordId, &str),
    at: Timestamp,
) -> Result<(), StoreError> {
    record_applied(
        tx,
        (operation_id.as_str(), technician_id.as_str(), action),
        (at, None),
        APPLIED,
    )
    .await
}

/// The visit, if it is assigned to this technician, whatever its status;
/// read inside the writing transaction.
pub(crate) async fn technicians_visit(
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
    Ok(visit)
}

/// Whether a work record may still be added once the customer has signed
/// (as a new revision of the record) or only while at work.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum AfterSigning {
    Refused,
    NewRevision,
}

/// The visit, if it is this technician's and they are at work on it (or it
/// is signed and the record takes the change as a new revision). Read
/// inside the writing transaction so the check and the write see one state.
pub(crate) async fn visit_for_work(
    tx: &mut AnyConnection,
    visit_id: &RecordId,
    technician_id: &RecordId,
    after_signing: AfterSigning,
) -> Result<Visit, WorkRecordError> {
    let visit = technicians_visit(tx, visit_id, technician_id).await?;
    let signed_and_amendable =
        visit.status == VisitStatus::Signed && after_signing == AfterSigning::NewRevision;
    if !visit.status.accepts_work_records() && !signed_and_amendable {
        return Err(WorkRecordError::NotAtWork(visit.status));
    }
    Ok(visit)
}

impl Store {
    /// Writes an item's answer against the visit's own template version (a
    /// key that version lacks is refused); on a signed record the change is
    /// its next revision.
    pub(crate) async fn write_item_answer(
        &self,
        tx: &mut AnyConnection,
        visit: &Visit,
        technician_id: &RecordId,
        item_key: &str,
        answer: &ItemAnswer,
    ) -> Result<(), WorkRecordError> {
        let template = self
            .checklist_template(visit.checklist_version)
            .await?
            .ok_or_else(|| {
                corrupt(
                    "visit",
                    visit.id.as_str(),
                    "its checklist template is missing",
                )
            })?;
        template.item(item_key)?;
        // A photo item is done with a photo of this visit, not any id: a
        // made-up one would count the item as photographed.
        if let ItemAnswer::Done {
            photo: Some(photo), ..
        } = answer
        {
            let of_visit: Option<String> =
                sqlx::query_scalar("SELECT visit_id FROM photos WHERE id = $1")
                    .bind(photo.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
            match of_visit {
                None => return Err(WorkRecordError::NoSuchPhoto(photo.clone())),
                Some(of_visit) if of_visit != visit.id.as_str() => {
                    return Err(WorkRecordError::OtherVisitsPhoto(photo.clone()))
                }
                Some(_) => {}
            }
        }
        upsert_checklist_result(&mut *tx, &visit.id, item_key, answer).await?;
        if visit.status == VisitStatus::Signed {
            let amendment = Amendment::ChecklistAnswer {
                item_key: item_key.to_string(),
                answer: answer.clone(),
            };
            self.add_revision(tx, &visit.id, &amendment, technician_id, answer.at())
                .await?;
        }
        forget_counted_days(tx, Touched::Visit(visit.id.as_str())).await?;
        Ok(())
    }

    /// Refuses to finish the work while a required checklist item is open or
    /// no outcome is recorded; read in the finishing transaction.
    pub(crate) async fn check_ready_to_finish(
        &self,
        tx: &mut AnyConnection,
        visit_id: &str,
    ) -> Result<(), VisitEventError> {
        let visit = super::visits::visit_in(tx, visit_id).await?;
        let template = self
            .checklist_template(visit.checklist_version)
            .await?
            .ok_or_else(|| corrupt("visit", visit_id, "its checklist template is missing"))?;
        let answers = answers_of(tx, visit_id).await?;
        let answer_for = |key: &str| {
            answers
                .iter()
                .find(|recorded| recorded.item_key == key)
                .map(|recorded| &recorded.answer)
        };
        ready_to_finish(&template, answer_for, visit.outcome.as_ref())?;
        Ok(())
    }

    /// Records a checklist item's result against the visit's own template
    /// version; a key that version lacks is refused.
    /// Once per `operation_id`, like every technician's step.
    pub async fn record_checklist_answer(
        &self,
        operation_id: &RecordId,
        visit_id: &RecordId,
        technician_id: &RecordId,
        item_key: &str,
        answer: &ItemAnswer,
    ) -> Result<(), WorkRecordError> {
        let mut tx = self.begin().await?;
        if already_applied(
            &mut tx,
            (operation_id, technician_id, checklist_action(answer)),
        )
        .await?
        {
            return Ok(());
        }
        let visit =
            visit_for_work(&mut tx, visit_id, technician_id, AfterSigning::NewRevision).await?;
        self.write_item_answer(&mut tx, &visit, technician_id, item_key, answer)
            .await?;
        mark_applied(
            &mut tx,
            (operation_id, technician_id, checklist_action(answer)),
            answer.at(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Once per `operation_id`; a later outcome replaces an earlier one
    /// until the work is finished.
    pub async fn record_outcome(
        &self,
        operation_id: &RecordId,
        visit_id: &RecordId,
        technician_id: &RecordId,
        outcome: &VisitOutcome,
        at: Timestamp,
    ) -> Result<(), WorkRecordError> {
        let mut tx = self.begin().await?;
        if already_applied(&mut tx, (operation_id, technician_id, OUTCOME)).await? {
            return Ok(());
        }
        visit_for_work(&mut tx, visit_id, technician_id, AfterSigning::Refused).await?;
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
        mark_applied(&mut tx, (operation_id, technician_id, OUTCOME), at).await?;
        forget_counted_days(&mut tx, Touched::Visit(visit_id.as_str())).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Once per `operation_id`.
    pub async fn record_part(
        &self,
        operation_id: &RecordId,
        visit_id: &RecordId,
        technician_id: &RecordId,
        part: &PartUsed,
        at: Timestamp,
    ) -> Result<(), WorkRecordError> {
        let mut tx = self.begin().await?;
        if already_applied(&mut tx, (operation_id, technician_id, PART)).await? {
            return Ok(());
        }
        let visit =
            visit_for_work(&mut tx, visit_id, technician_id, AfterSigning::NewRevision).await?;
        insert_part(&mut *tx, visit_id, part, at).await?;
        if visit.status == VisitStatus::Signed {
            let amendment = Amendment::Part(part.clone());
            self.add_revision(&mut tx, visit_id, &amendment, technician_id, at)
                .await?;
        }
        mark_applied(&mut tx, (operation_id, technician_id, PART), at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Charges a fee at the amount of the visit's schedule (its category, in
    /// its version); a code that schedule does not list is refused (no
    /// charges outside the fee schedule). Once per `operation_id`; the
    /// charge's own id is the client's too.
    #[allow(clippy::too_many_arguments)]
    pub async fn charge_fee(
        &self,
        operation_id: &RecordId,
        visit_id: &RecordId,
        technician_id: &RecordId,
        charge_id: RecordId,
        code: FeeCode,
        quantity: Quantity,
        at: Timestamp,
    ) -> Result<FeeCharge, WorkRecordError> {
        let Some(schedule) = self.fee_schedule_of_visit(visit_id).await? else {
            // No such visit: refused as every action on it is.
            let mut tx = self.begin().await?;
            visit_for_work(&mut tx, visit_id, technician_id, AfterSigning::Refused).await?;
            return Err(StoreError::Corrupt(format!("visit {visit_id} vanished")).into());
        };
        let charge = schedule.charge(charge_id, code, quantity)?;
        let mut tx = self.begin().await?;
        if already_applied(&mut tx, (operation_id, technician_id, FEE)).await? {
            return Ok(charge);
        }
        visit_for_work(&mut tx, visit_id, technician_id, AfterSigning::Refused).await?;
        insert_fee(&mut *tx, visit_id, &charge, at).await?;
        mark_applied(&mut tx, (operation_id, technician_id, FEE), at).await?;
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

        let mut answers = answers_of(&mut *self.pool().acquire().await?, id).await?;
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
        let stored_seal: Option<String> =
            sqlx::query("SELECT seal_sha256 FROM visits WHERE id = $1")
                .bind(id)
                .fetch_one(self.pool())
                .await?
                .try_get("seal_sha256")?;

        let revisions = self.revisions_of(id).await?;
        let mut record = VisitRecord {
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
            seal: None,
            revisions: Vec::new(),
        };
        if let Some(sha256) = stored_seal {
            // Intact: the signed revision still hashes to the seal, and the
            // record as read is the latest revision (nothing changed it
            // outside the app). Records sealed before revisions were kept
            // are checked against the seal alone.
            let (live, _) = content_of(&record)?;
            let intact = match (revisions.first(), revisions.last()) {
                (Some((signed, _)), Some((_, latest_content))) => {
                    signed.intact && signed.sha256 == sha256 && *latest_content == live
                }
                _ => crate::hashing::sha256_hex(live.as_bytes()) == sha256,
            };
            record.seal = Some(SealCheck { sha256, intact });
        }
        record.revisions = revisions
            .into_iter()
            .map(|(revision, _)| revision)
            .collect();
        Ok(Some(record))
    }

    /// The customer's sign-off, with the state machine's step to `signed`
    /// and the seal, in one transaction, once per `operation_id`. The seal
    /// is computed over the record as it will stand: once the work is
    /// finished nothing but the signature can change it, and the status
    /// guard on the update makes sure nothing did.
    pub async fn sign_off(
        &self,
        operation_id: &RecordId,
        visit_id: &RecordId,
        technician_id: &RecordId,
        sign_off: &SignOff,
        at: Timestamp,
    ) -> Result<VisitStatus, VisitEventError> {
        let mut tx = self.begin().await?;
        if let Some(answer) = applied_answer(
            &mut tx,
            operation_id.as_str(),
            technician_id.as_str(),
            SIGN_OFF,
        )
        .await?
        {
            return VisitStatus::parse(&answer).ok_or_else(|| {
                VisitEventError::Store(StoreError::operation_id_in_use(operation_id))
            });
        }
        let mut record = self
            .visit_record(visit_id)
            .await?
            .ok_or_else(|| VisitEventError::NotFound(visit_id.to_string()))?;
        if record.visit.technician_id.as_ref() != Some(technician_id) {
            return Err(VisitEventError::NotYours(visit_id.to_string()));
        }
        let current = record.visit.status;
        let next = current.apply(VisitEvent::SignOff)?;
        record.visit.status = next;
        record.visit.times.signed = Some(at);
        record.sign_off = Some(sign_off.clone());
        let (content, seal) = content_of(&record)?;
        let updated = sqlx::query(
            "UPDATE visits SET status = $1, signed_at_ms = $2, seal_sha256 = $3 \
             WHERE id = $4 AND status = $5",
        )
        .bind(next.as_str())
        .bind(at.unix_millis())
        .bind(&seal)
        .bind(visit_id.as_str())
        .bind(current.as_str())
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() != 1 {
            return Err(VisitEventError::ChangedMeanwhile(visit_id.to_string()));
        }
        insert_sign_off(&mut *tx, visit_id, sign_off, at).await?;
        super::follow_up_calls::schedule_follow_up_calls(&mut tx, visit_id, at).await?;
        insert_revision(
            &mut tx,
            visit_id,
            1,
            (&content, &seal),
            RecordChange::Signed,
            technician_id,
            at,
        )
        .await?;
        record_applied(
            &mut tx,
            (operation_id.as_str(), technician_id.as_str(), SIGN_OFF),
            (at, None),
            next.as_str(),
        )
        .await?;
        forget_counted_days(&mut tx, Touched::Visit(visit_id.as_str())).await?;
        self.commit_announcing(tx, visit_id.as_str()).await?;
        Ok(next)
    }
}

/// The record's sealed content as JSON (struct fields in their declared
/// order, lists in the order the record is read in) and its SHA-256.
fn content_of(record: &VisitRecord) -> Result<(String, String), StoreError> {
    let content = serde_json::to_string(&record.sealed_content()).map_err(|e| {
        corrupt(
            "visit",
            record.visit.id.as_str(),
            format!("cannot serialise for the seal: {e}"),
        )
    })?;
    let sha256 = crate::hashing::sha256_hex(content.as_bytes());
    Ok((content, sha256))
}

async fn insert_revision(
    tx: &mut AnyConnection,
    visit_id: &RecordId,
    number: u32,
    (content, sha256): (&str, &str),
    change: RecordChange,
    changed_by: &RecordId,
    at: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO visit_record_revisions (visit_id, revision, content_json, sha256, change, \
         changed_by, changed_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(visit_id.as_str())
    .bind(i64::from(number))
    .bind(content)
    .bind(sha256)
    .bind(change.as_str())
    .bind(changed_by.as_str())
    .bind(at.unix_millis())
    .execute(tx)
    .await?;
    Ok(())
}

impl Store {
    /// A change to a signed record becomes its next revision, in the
    /// transaction of the change. The record is read as it stood before
    /// (committed state) and the amendment applied to it, so revision 1,
    /// the record as signed, is never rewritten; two changes racing for one
    /// revision number collide on the key and one is refused whole.
    pub(crate) async fn add_revision(
        &self,
        tx: &mut AnyConnection,
        visit_id: &RecordId,
        amendment: &Amendment,
        changed_by: &RecordId,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let mut record = self
            .visit_record(visit_id)
            .await?
            .ok_or_else(|| corrupt("visit", visit_id.as_str(), "signed but unreadable"))?;
        record.amend(amendment);
        let content = content_of(&record)?;
        let next = record
            .revisions
            .last()
            .map_or(1, |latest| latest.number + 1);
        insert_revision(
            tx,
            visit_id,
            next,
            (&content.0, &content.1),
            amendment.change(),
            changed_by,
            at,
        )
        .await
    }

    /// The revisions of a record with their stored content, oldest first.
    async fn revisions_of(
        &self,
        visit_id: &str,
    ) -> Result<Vec<(RecordRevision, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT r.revision, r.content_json, r.sha256, r.change, r.changed_at_ms, \
             u.display_name FROM visit_record_revisions r JOIN users u ON u.id = r.changed_by \
             WHERE r.visit_id = $1 ORDER BY r.revision",
        )
        .bind(visit_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let bad = |e: &dyn std::fmt::Display| corrupt("revision of visit", visit_id, e);
                let content: String = row.try_get("content_json")?;
                let sha256: String = row.try_get("sha256")?;
                let change: String = row.try_get("change")?;
                let revision = RecordRevision {
                    number: u32::try_from(row.try_get::<i64, _>("revision")?)
                        .map_err(|e| bad(&e))?,
                    intact: crate::hashing::sha256_hex(content.as_bytes()) == sha256,
                    sha256,
                    change: RecordChange::parse(&change)
                        .ok_or_else(|| bad(&format!("change {change:?}")))?,
                    changed_by: row.try_get("display_name")?,
                    changed_at: Timestamp::from_unix_millis(row.try_get("changed_at_ms")?),
                };
                Ok((revision, content))
            })
            .collect()
    }
}

async fn answers_of(
    conn: &mut AnyConnection,
    visit_id: &str,
) -> Result<Vec<RecordedAnswer>, StoreError> {
    let rows = sqlx::query(
        "SELECT item_key, answer, answered_at_ms, note, photo_id, reason \
         FROM checklist_results WHERE visit_id = $1",
    )
    .bind(visit_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| answer_from_row(row, visit_id))
        .collect()
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
