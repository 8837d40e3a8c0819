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
    use crate::context;
    use crate::domain::device_clock::DeviceClock;
    use crate::domain::ids::RecordId;
    use crate::domain::time::Timestamp;
    use crate::store::sync::HeldOperation;

    let user = crate::auth::require_role(&[crate::domain::auth::Role::Technician]).await?;
    let technician = RecordId::parse("user", &user.id)?;
    let operation_id = RecordId::parse("operation_id", &operation.operation_id)?;
    let visit_id = RecordId::parse("visit_id", &operation.visit_id)?;
    let store = context::store()?;
    let received = Timestamp::now();
    let clock = DeviceClock {
        made_at: Some(Timestamp::from_unix_millis(operation.made_at_ms)),
        skew_ms: Some(received.unix_millis().saturating_sub(operation.sent_at_ms)),
    };
    let kind = operation.change.kind();
    if let Some(reason) = store.held_reason(&operation_id, &technician, kind).await? {
        return Ok(SyncAnswer::Held(reason));
    }
    if !store
        .operation_applied(&operation_id, &technician, kind)
        .await?
    {
        provide_context(clock);
        if let Err(refusal) = apply(&operation, &technician).await {
            // The same operation sent twice at once (a retry racing
            // the first send) on several processes: the one that
            // lost finds it applied and answers as a repeat.
            if matches!(refusal, AppError::Conflict { .. })
                && store
                    .operation_applied(&operation_id, &technician, kind)
                    .await
                    .unwrap_or(false)
            {
                if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                    response.set_status(http::StatusCode::OK);
                }
                return Ok(SyncAnswer::Applied);
            }
            let payload = serde_json::to_string(&operation).map_err(|error| {
                tracing::error!(%error, "operation not serialisable");
                AppError::Internal
            })?;
            let held = store
                .hold_if_changed_meanwhile(HeldOperation {
                    operation_id: &operation_id,
                    technician_id: &technician,
                    visit_id: &visit_id,
                    kind,
                    made_at: Timestamp::from_unix_millis(operation.made_at_ms),
                    received_at: received,
                    payload: &payload,
                })
                .await?;
            return match held {
                Some(reason) => {
                    // The refused action set its own status on the response.
                    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                        response.set_status(http::StatusCode::OK);
                    }
                    Ok(SyncAnswer::Held(reason))
                }
                None => Err(refusal),
            };
        }
    }
    store
        .note_applied(&operation_id, &technician, &visit_id, kind, clock)
        .await?;
    Ok(SyncAnswer::Applied)
}

/// The change, through the server function of its action, so every rule
/// and check of the action holds for the outbox too.
#[cfg(feature = "ssr")]
async fn apply(
    operation: &SentOperation,
    technician: &crate::domain::ids::RecordId,
) -> Result<(), AppError> {
    use crate::api::sync::Change;
    use crate::domain::ids::RecordId;
    use crate::serverfns::visits::*;

    let (op, visit) = (operation.operation_id.clone(), operation.visit_id.clone());
    let text = |value: Option<f64>| value.map(|v| v.to_string());
    match operation.change.clone() {
        Change::Step { event, position } => record_visit_event(
            op,
            visit,
            event.as_str().into(),
            Some(operation.made_at_ms.to_string()),
            text(position.map(|p| p.0)),
            text(position.map(|p| p.1)),
            text(position.map(|p| p.2)),
        )
        .await
        .map(|_| ()),
        Change::Done { item_key } => {
            record_checklist_answer(
                op,
                visit,
                item_key,
                "done".into(),
                String::new(),
                String::new(),
                String::new(),
            )
            .await
        }
        Change::NotApplicable { item_key, reason } => {
            record_checklist_answer(
                op,
                visit,
                item_key,
                "not_applicable".into(),
                String::new(),
                String::new(),
                reason,
            )
            .await
        }
        Change::Photo { item_key, photo_id } => {
            let store = crate::context::store()?;
            let photo = RecordId::parse("photo_id", &photo_id)?;
            let data = store
                .photo_upload(&photo, technician)
                .await?
                .ok_or_else(|| AppError::InvalidInput {
                    field: "photo".into(),
                    message: "the photo has not arrived yet; it is sent again".into(),
                })?;
            attach_photo(op, visit, item_key, photo_id, data).await?;
            store.drop_photo_upload(&photo).await?;
            Ok(())
        }
        Change::Outcome {
            fixed,
            reason,
            detail,
        } => {
            let outcome = crate::api::sync::outcome_name(fixed);
            record_outcome(op, visit, outcome.into(), reason, detail).await
        }
        Change::Part {
            part_id,
            code,
            name,
            quantity,
            unit_price_fen,
        } => record_part(op, visit, part_id, code, name, quantity, unit_price_fen).await,
        Change::Fee {
            charge_id,
            code,
            quantity,
        } => charge_fee(op, visit, charge_id, code, quantity)
            .await
            .map(|_| ()),
        Change::Insight {
            insight_id,
            category,
            note,
        } => add_field_insight(op, visit, insight_id, category, note).await,
        Change::Complaint {
            complaint_id,
            description,
        } => file_sign_off_complaint(op, visit, complaint_id, description)
            .await
            .map(|_| ()),
        Change::SignOff { sign_off } => sign_off_visit(op, visit, sign_off).await.map(|_| ()),
    }
}
