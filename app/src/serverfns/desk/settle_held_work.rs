use leptos::prelude::*;

use crate::api::error::AppError;
use crate::domain::conflict::SettlementOutcome;

/// Settles one operation held for the dispatcher (`domain::conflict`, rule
/// 7): `applied` runs it through its action's rules against the visit as it
/// now stands, as if the phone sent it now (a refusal leaves it held);
/// `recorded` keeps it as the technician's record of the visit they had;
/// `closed` needs a `note` saying why. `settlement_id` is the screen's for
/// this settlement: sent again, it answers as the first did; another
/// settlement of settled work is refused. Answers the outcome.
#[server(prefix = "/api/desk", endpoint = "settle_held")]
pub async fn settle_held_work(
    settlement_id: String,
    operation_id: String,
    outcome: String,
    note: Option<String>,
) -> Result<SettlementOutcome, AppError> {
    use crate::context;
    use crate::domain::auth::Role;
    use crate::domain::conflict::{Settlement, SettlementTurn};
    use crate::domain::ids::RecordId;
    use crate::domain::time::Timestamp;
    use crate::domain::validation::SettlementNote;
    use crate::store::held_work::{Claim, HeldSettlement};

    let user = crate::auth::require_role(&[Role::Dispatcher, Role::Admin]).await?;
    let dispatcher = RecordId::parse("user", &user.id)?;
    let settlement_id = RecordId::parse("settlement_id", &settlement_id)?;
    let operation_id = RecordId::parse("operation_id", &operation_id)?;
    let settlement = match SettlementOutcome::parse(outcome.trim()) {
        Some(SettlementOutcome::Applied) => Settlement::Apply,
        Some(SettlementOutcome::Recorded) => Settlement::Record,
        Some(SettlementOutcome::Closed) => {
            Settlement::Close(SettlementNote::parse(note.as_deref().unwrap_or_default())?)
        }
        None => {
            return Err(AppError::InvalidInput {
                field: "outcome".into(),
                message: "expected applied, recorded or closed".into(),
                problem: None,
            })
        }
    };
    let store = context::store()?;
    let held = store
        .held_operation(&operation_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !user.viewer().may_manage_region(&held.region_id) {
        return Err(AppError::Forbidden);
    }
    // Claimed first: two settlements of the same work never both act.
    match store.claim_held_work(&settlement_id, &operation_id).await? {
        Claim::Ours => {}
        Claim::Settled(SettlementTurn::Repeat, stored) => return Ok(stored),
        Claim::Settled(_, _) | Claim::Taken => return Err(AppError::AlreadySettled),
    }
    if settlement == Settlement::Apply {
        if let Err(refusal) = apply_held(&store, &operation_id, &held).await {
            store
                .release_held_work(&settlement_id, &operation_id)
                .await?;
            return Err(refusal);
        }
    }
    store
        .settle_held_work(HeldSettlement {
            settlement_id: &settlement_id,
            operation_id: &operation_id,
            dispatcher_id: &dispatcher,
            settlement: &settlement,
            at: Timestamp::now(),
        })
        .await?;
    let stored = settlement.outcome();
    tracing::info!(operation = %operation_id, outcome = stored.as_str(), user = %user.id, "held work settled");
    Ok(stored)
}

/// The held operation through its action's typed core, as if the phone
/// sent it now with its own times: the rules of the visit as it stands.
#[cfg(feature = "ssr")]
async fn apply_held(
    store: &crate::store::Store,
    operation_id: &crate::domain::ids::RecordId,
    held: &crate::store::held_work::HeldRecord,
) -> Result<(), AppError> {
    use crate::api::sync::SentOperation;
    use crate::domain::device_clock::DeviceClock;
    use crate::serverfns::visits::TechnicianStep;

    let operation: SentOperation = serde_json::from_str(&held.payload).map_err(|error| {
        tracing::error!(%error, operation = %operation_id, "held operation unreadable");
        AppError::Internal
    })?;
    let step = TechnicianStep {
        technician: held.technician_id.clone(),
        operation_id: operation_id.clone(),
        visit_id: held.visit_id.clone(),
    };
    let clock =
        DeviceClock::of_operation(operation.made_at_ms, operation.sent_at_ms, held.received_at);
    crate::serverfns::sync::apply_once(store, &step, &operation, clock).await
}
