//! The technician's work records: each through the store's one write
//! template (`store::write`).

use super::*;

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
         recorded_at_ms, charge_reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(part.id.as_str())
    .bind(visit_id.as_str())
    .bind(part.code.as_str())
    .bind(part.name.as_str())
    .bind(i64::from(part.quantity.value()))
    .bind(part.unit_price.fen())
    .bind(at.unix_millis())
    .bind(part.charge_reason.as_ref().map(Note::as_str))
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

impl Store {
    /// Writes an item's answer against the visit's own template version (a
    /// key that version lacks is refused), inside a work write
    /// (`begin_visit_work`), which keeps it as a revision on a signed record.
    pub(crate) async fn write_item_answer(
        &self,
        tx: &mut AnyConnection,
        visit: &Visit,
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
        Ok(())
    }

    /// Refuses to finish the work while a required checklist item is open or
    /// no outcome is recorded; read in the finishing transaction.
    pub(crate) async fn check_ready_to_finish(
        &self,
        tx: &mut AnyConnection,
        visit_id: &str,
    ) -> Result<(), VisitEventError> {
        let visit = crate::store::visits::visit_in(tx, visit_id).await?;
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
        let ids = (operation_id, visit_id, technician_id);
        let work = VisitWork::new(
            ids,
            checklist_action(answer),
            answer.at(),
            Reach::AtWorkOrSigned,
        );
        let Some(mut write) = self.begin_visit_work(work).await? else {
            return Ok(());
        };
        let visit = write.visit().clone();
        self.write_item_answer(write.tx(), &visit, item_key, answer)
            .await?;
        write
            .finish(Some(Amendment::ChecklistAnswer {
                item_key: item_key.to_string(),
                answer: answer.clone(),
            }))
            .await
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
        let ids = (operation_id, visit_id, technician_id);
        let work = VisitWork::new(ids, OUTCOME, at, Reach::AtWork);
        let Some(mut write) = self.begin_visit_work(work).await? else {
            return Ok(());
        };
        let (outcome, reason, detail) = outcome_columns(Some(outcome));
        sqlx::query(
            "UPDATE visits SET outcome = $1, not_fixed_reason = $2, not_fixed_detail = $3 \
             WHERE id = $4",
        )
        .bind(outcome)
        .bind(reason)
        .bind(detail)
        .bind(visit_id.as_str())
        .execute(write.tx())
        .await?;
        write.finish(None).await
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
        let ids = (operation_id, visit_id, technician_id);
        let work = VisitWork::new(ids, PART, at, Reach::AtWorkOrSigned);
        let Some(mut write) = self.begin_visit_work(work).await? else {
            return Ok(());
        };
        insert_part(write.tx(), visit_id, part, at).await?;
        write.finish(Some(Amendment::Part(part.clone()))).await
    }

    /// Takes back a part or fee (by its id) the customer has not signed
    /// for yet. Once per `operation_id`: the removal stays in the sync log
    /// as the operation that made it.
    pub async fn remove_charge(
        &self,
        operation_id: &RecordId,
        visit_id: &RecordId,
        technician_id: &RecordId,
        charge_id: &RecordId,
        at: Timestamp,
    ) -> Result<(), WorkRecordError> {
        let ids = (operation_id, visit_id, technician_id);
        let work = VisitWork::new(ids, REMOVE_CHARGE, at, Reach::UntilSigned);
        let Some(mut write) = self.begin_visit_work(work).await? else {
            return Ok(());
        };
        let mut removed = 0;
        for table in ["visit_parts", "visit_fees"] {
            // The table name comes from this fixed list, never from input.
            removed += sqlx::query(&format!(
                "DELETE FROM {table} WHERE id = $1 AND visit_id = $2"
            ))
            .bind(charge_id.as_str())
            .bind(visit_id.as_str())
            .execute(write.tx())
            .await?
            .rows_affected();
        }
        if removed == 0 {
            return Err(WorkRecordError::NoSuchCharge(charge_id.clone()));
        }
        write.finish(None).await
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
            technicians_visit(&mut tx, visit_id, technician_id).await?;
            return Err(StoreError::Corrupt(format!("visit {visit_id} vanished")).into());
        };
        let charge = schedule.charge(charge_id, code, quantity)?;
        let ids = (operation_id, visit_id, technician_id);
        let work = VisitWork::new(ids, FEE, at, Reach::AtWork);
        if let Some(mut write) = self.begin_visit_work(work).await? {
            insert_fee(write.tx(), visit_id, &charge, at).await?;
            write.finish(None).await?;
        }
        Ok(charge)
    }
}
