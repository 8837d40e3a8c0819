//! The customer's sign-off seals the record; a later change to it is kept
//! as the record's next revision, each hashed.

use super::*;
use crate::domain::checklist::SIGNED_BY_CUSTOMER;
use crate::domain::record::VisitChange;
use crate::store::follow_up_calls::{schedule_follow_up_calls, Sampling};

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
    let (columns, placeholders) = crate::store::dialect::optional_float_columns(
        sign_off.position.is_some(),
        &["signed_latitude", "signed_longitude", "signed_accuracy_m"],
        17,
    );
    let sql = format!(
        "INSERT INTO sign_offs (visit_id, signer_name, signature, customer_says_fixed, \
         rating_skill, rating_attitude, rating_timeliness, rating_parts_supply, rating_overall, \
         no_arguing, no_eating_drinking_smoking, no_gifts, no_extra_charges, comment, \
         signed_at_ms, answers_preset, arrival_confirmed{columns}) VALUES ($1, $2, $3, $4, $5, \
         $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 0, $16{placeholders})"
    );
    let mut insert = sqlx::query(&sql)
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
        .bind(sign_off.arrival_confirmed.map(i32::from));
    if let Some(fix) = sign_off.position {
        insert = insert
            .bind(fix.coordinates.latitude())
            .bind(fix.coordinates.longitude())
            .bind(fix.accuracy_m);
    }
    insert.execute(db).await?;
    Ok(())
}

/// How a visit is closed: by the customer's signature, or without it
/// (the customer absent, or refusing) with the technician's account.
#[derive(Clone, Copy)]
enum Closing<'a> {
    Signed(&'a SignOff),
    Unsigned(&'a UnsignedClose),
}

impl Closing<'_> {
    /// The action an operation id is kept for.
    fn action(self) -> &'static str {
        match self {
            Closing::Signed(_) => SIGN_OFF,
            Closing::Unsigned(_) => CLOSE_UNSIGNED,
        }
    }

    fn event(self) -> VisitEvent {
        match self {
            Closing::Signed(_) => VisitEvent::SignOff,
            Closing::Unsigned(_) => VisitEvent::CloseUnsigned,
        }
    }

    fn change(self) -> VisitChange {
        match self {
            Closing::Signed(sign_off) => VisitChange::SignOff(sign_off.clone()),
            Closing::Unsigned(closing) => VisitChange::CloseUnsigned(closing.clone()),
        }
    }

    fn time_column(self) -> &'static str {
        match self {
            Closing::Signed(_) => "signed_at_ms",
            Closing::Unsigned(_) => "closed_unsigned_at_ms",
        }
    }

    fn revision(self) -> RecordChange {
        match self {
            Closing::Signed(_) => RecordChange::Signed,
            Closing::Unsigned(_) => RecordChange::ClosedUnsigned,
        }
    }

    /// An unsigned visit is always called back: nobody confirmed the work.
    fn sampling(self) -> Sampling {
        match self {
            Closing::Signed(_) => Sampling::Drawn,
            Closing::Unsigned(_) => Sampling::Always,
        }
    }
}

impl Store {
    /// The customer's sign-off, with the state machine's step to `signed`
    /// and the seal, in one transaction, once per `operation_id`.
    pub async fn sign_off(
        &self,
        operation_id: &RecordId,
        visit_id: &RecordId,
        technician_id: &RecordId,
        sign_off: &SignOff,
        at: Timestamp,
    ) -> Result<VisitStatus, VisitEventError> {
        let closing = Closing::Signed(sign_off);
        self.close_visit(operation_id, visit_id, technician_id, closing, at)
            .await
    }

    /// The visit closed without the customer's signature (absent, or
    /// refusing), with the technician's reason: sealed like a signed
    /// record, a completed service in the figures, and always called back.
    /// One transaction, once per `operation_id`.
    pub async fn close_unsigned(
        &self,
        operation_id: &RecordId,
        visit_id: &RecordId,
        technician_id: &RecordId,
        unsigned: &UnsignedClose,
        at: Timestamp,
    ) -> Result<VisitStatus, VisitEventError> {
        let closing = Closing::Unsigned(unsigned);
        self.close_visit(operation_id, visit_id, technician_id, closing, at)
            .await
    }

    /// Closes and seals the record. The seal is computed over the record as
    /// it will stand (the record read, the closing applied as the phone
    /// predicts it): once the work is finished nothing but the closing can
    /// change it, and the status guard on the update makes sure nothing did.
    async fn close_visit(
        &self,
        operation_id: &RecordId,
        visit_id: &RecordId,
        technician_id: &RecordId,
        closing: Closing<'_>,
        at: Timestamp,
    ) -> Result<VisitStatus, VisitEventError> {
        let mut tx = self.begin().await?;
        let applied = (
            operation_id.as_str(),
            technician_id.as_str(),
            closing.action(),
        );
        if let Some(answer) = applied_answer(&mut tx, applied.0, applied.1, applied.2).await? {
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
        let next = current.apply(closing.event())?;
        record.predict(&closing.change(), at).map_err(|refused| {
            VisitEventError::Store(corrupt("visit", visit_id.as_str(), refused))
        })?;
        let (content, seal) = content_of(&record)?;
        let updated = sqlx::query(&format!(
            "UPDATE visits SET status = $1, {} = $2, seal_sha256 = $3 WHERE id = $4 AND status = $5",
            closing.time_column()
        ))
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
        match closing {
            Closing::Signed(sign_off) => {
                insert_sign_off(&mut *tx, visit_id, sign_off, at).await?;
                if let Some(signed) = record.answer(SIGNED_BY_CUSTOMER) {
                    upsert_checklist_result(&mut *tx, visit_id, SIGNED_BY_CUSTOMER, signed).await?;
                }
                // The customer's answer and the place of the visit are new
                // evidence on the arrival.
                crate::store::arrivals::refresh_arrival_check(
                    &mut tx,
                    visit_id.as_str(),
                    self.arrival_radius(),
                )
                .await?;
            }
            Closing::Unsigned(unsigned) => {
                sqlx::query(
                    "INSERT INTO unsigned_closes (visit_id, why, reason, closed_by, closed_at_ms) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(visit_id.as_str())
                .bind(unsigned.why.as_str())
                .bind(unsigned.reason.as_str())
                .bind(technician_id.as_str())
                .bind(at.unix_millis())
                .execute(&mut *tx)
                .await?;
            }
        }
        schedule_follow_up_calls(&mut tx, visit_id, at, closing.sampling()).await?;
        insert_revision(
            &mut tx,
            visit_id,
            1,
            (&content, &seal),
            closing.revision(),
            technician_id,
            at,
        )
        .await?;
        record_applied(&mut tx, applied, (at, None), next.as_str()).await?;
        forget_counted_days(&mut tx, Touched::Visit(visit_id.as_str())).await?;
        self.commit_announcing(tx, visit_id.as_str()).await?;
        Ok(next)
    }
}

/// The record's sealed content as JSON (struct fields in their declared
/// order, lists in the order the record is read in) and its SHA-256.
pub(super) fn content_of(record: &VisitRecord) -> Result<(String, String), StoreError> {
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
}
