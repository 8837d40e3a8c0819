use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::api::error::AppError;
use crate::api::sync::{SentOperation, SyncAnswer};

/// One operation from a phone's outbox. Applied at most once, forever: a
/// repeat answers what the first got. An operation the office made
/// impossible meanwhile (visit cancelled or given to someone else) is held
/// for the dispatcher, never dropped (`domain::conflict`).
#[server(prefix = "/api/sync", endpoint = "apply", input = Json)]
pub async fn apply_operation(operation: SentOperation) -> Result<SyncAnswer, AppError> {
    use crate::domain::ids::RecordId;

    let user = crate::auth::require_role(&[crate::domain::auth::Role::Technician]).await?;
    let technician = RecordId::parse("user", &user.id)?;
    let store = crate::context::store()?;
    apply_sent(&store, &technician, &operation).await
}

/// One operation as the phone sent it, alone or in a batch: held when the
/// office made it impossible meanwhile, else applied once; the refusal
/// otherwise.
#[cfg(feature = "ssr")]
pub(crate) async fn apply_sent(
    store: &crate::store::Store,
    technician: &crate::domain::ids::RecordId,
    operation: &SentOperation,
) -> Result<SyncAnswer, AppError> {
    use crate::domain::device_clock::DeviceClock;
    use crate::domain::ids::RecordId;
    use crate::domain::time::Timestamp;
    use crate::serverfns::visits::TechnicianStep;
    use crate::store::sync::HeldOperation;

    let step = TechnicianStep {
        technician: technician.clone(),
        operation_id: RecordId::parse("operation_id", &operation.operation_id)?,
        visit_id: RecordId::parse("visit_id", &operation.visit_id)?,
    };
    let received = Timestamp::now();
    let clock = DeviceClock::of_operation(operation.made_at_ms, operation.sent_at_ms, received);
    let kind = operation.change.kind();
    let (operation_id, technician) = (&step.operation_id, &step.technician);
    if let Some(reason) = store.held_reason(operation_id, technician, kind).await? {
        return Ok(SyncAnswer::Held(reason));
    }
    let Err(refusal) = apply_once(store, &step, operation, clock).await else {
        return Ok(SyncAnswer::Applied);
    };
    let payload = serde_json::to_string(operation).map_err(|error| {
        tracing::error!(%error, "operation not serialisable");
        AppError::Internal
    })?;
    let held = store
        .hold_if_changed_meanwhile(HeldOperation {
            operation_id,
            technician_id: technician,
            visit_id: &step.visit_id,
            kind,
            made_at: Timestamp::from_unix_millis(operation.made_at_ms),
            received_at: received,
            payload: &payload,
        })
        .await?;
    match held {
        Some(reason) => Ok(SyncAnswer::Held(reason)),
        None => Err(refusal),
    }
}

/// Applies an operation at most once, forever: one already applied is
/// only noted again; otherwise its change goes through `apply_change`.
/// Answers the refusal when the change was not applied. The phone's sync
/// and the desk's settlement of held work both come here.
#[cfg(feature = "ssr")]
pub(crate) async fn apply_once(
    store: &crate::store::Store,
    step: &crate::serverfns::visits::TechnicianStep,
    operation: &SentOperation,
    clock: crate::domain::device_clock::DeviceClock,
) -> Result<(), AppError> {
    let kind = operation.change.kind();
    let (operation_id, technician) = (&step.operation_id, &step.technician);
    if !store
        .operation_applied(operation_id, technician, kind)
        .await?
    {
        if let Err(refusal) = apply_change(store, step, operation, clock).await {
            // The same operation sent twice at once (a retry racing the
            // first send) on several processes: the one that lost finds it
            // applied and answers as a repeat; the first notes it.
            if matches!(refusal, AppError::Conflict { .. })
                && store
                    .operation_applied(operation_id, technician, kind)
                    .await
                    .unwrap_or(false)
            {
                return Ok(());
            }
            return Err(refusal);
        }
    }
    store
        .note_applied(operation_id, technician, &step.visit_id, kind, clock)
        .await?;
    Ok(())
}

/// The change, through the typed core of its action, so every rule and
/// check of the action holds for the outbox too. The change's text fields
/// are checked by the same parsers the action's form goes through. The
/// desk applies held work through it too, as if the phone sent it now.
#[cfg(feature = "ssr")]
async fn apply_change(
    store: &crate::store::Store,
    step: &crate::serverfns::visits::TechnicianStep,
    operation: &SentOperation,
    clock: crate::domain::device_clock::DeviceClock,
) -> Result<(), AppError> {
    use crate::api::sync::Change;
    use crate::api::visits as parse;
    use crate::domain::checklist::ItemAnswer;
    use crate::domain::ids::RecordId;
    use crate::domain::time::Timestamp;
    use crate::domain::visit::PositionFix;
    use crate::serverfns::visits::*;

    let at = Timestamp::now();
    match &operation.change {
        Change::Step { event, position } => {
            let fix = position
                .map(|(latitude, longitude, accuracy)| {
                    PositionFix::new(latitude, longitude, accuracy)
                })
                .transpose()?;
            record_visit_event_typed(store, step, *event, fix, clock).await?;
        }
        Change::Done { item_key } => {
            let answer = ItemAnswer::Done {
                at,
                note: None,
                photo: None,
            };
            record_checklist_answer_typed(store, step, item_key.trim(), &answer).await?;
        }
        Change::NotApplicable { item_key, reason } => {
            let answer = ItemAnswer::NotApplicable {
                at,
                reason: parse::parse_not_applicable_reason(reason)?,
            };
            record_checklist_answer_typed(store, step, item_key.trim(), &answer).await?;
        }
        Change::Photo { item_key, photo_id } => {
            let photo = RecordId::parse("photo_id", photo_id)?;
            let data = store
                .photo_upload(&photo, &step.technician)
                .await?
                .ok_or_else(|| AppError::InvalidInput {
                    field: "photo".into(),
                    message: "the photo has not arrived yet; it is sent again".into(),
                    problem: None,
                })?;
            attach_photo_typed(store, step, item_key, photo.clone(), &data).await?;
            store.drop_photo_upload(&photo).await?;
        }
        Change::Outcome {
            fixed,
            reason,
            detail,
        } => {
            let outcome =
                parse::parse_outcome(crate::api::sync::outcome_name(*fixed), reason, detail)?;
            record_outcome_typed(store, step, &outcome).await?;
        }
        Change::Part {
            part_id,
            code,
            name,
            quantity,
            unit_price_fen,
            charge_reason,
        } => {
            let part =
                parse::parse_part(part_id, code, name, quantity, unit_price_fen, charge_reason)?;
            record_part_typed(store, step, &part).await?;
        }
        Change::Fee {
            charge_id,
            code,
            quantity,
        } => {
            let (charge_id, code, quantity) = parse::parse_fee(charge_id, code, quantity)?;
            charge_fee_typed(store, step, charge_id, code, quantity).await?;
        }
        Change::RemoveCharge { charge_id } => {
            let charge_id = RecordId::parse("charge_id", charge_id)?;
            remove_charge_typed(store, step, &charge_id).await?;
        }
        Change::Insight {
            insight_id,
            category,
            note,
        } => {
            let insight_id = RecordId::parse("insight_id", insight_id)?;
            let (category, note) = parse::parse_insight(category, note)?;
            add_field_insight_typed(store, step, insight_id, category, note).await?;
        }
        Change::Complaint {
            complaint_id,
            description,
        } => {
            let complaint_id = RecordId::parse("complaint_id", complaint_id)?;
            let description = parse::parse_complaint(description)?;
            file_sign_off_complaint_typed(store, step, complaint_id, description).await?;
        }
        Change::SignOff { sign_off } => {
            sign_off_visit_typed(store, step, &sign_off.check()?).await?;
        }
        Change::CloseUnsigned { why, reason } => {
            let closing = crate::api::visits::parse_unsigned_close(why, reason)?;
            crate::serverfns::visits::close_unsigned_typed(store, step, &closing).await?;
        }
    }
    Ok(())
}
