use leptos::prelude::*;

use crate::api::error::AppError;

/// The visit's outcome: fixed, or not fixed with a reason (parts, skill,
/// time, or another reason told in `detail`). Once per operation id.
#[server(prefix = "/api/visits", endpoint = "outcome")]
pub async fn record_outcome(
    operation_id: String,
    visit_id: String,
    outcome: String,
    reason: String,
    detail: String,
) -> Result<(), AppError> {
    let step = super::technician_step(&operation_id, &visit_id).await?;
    let outcome = crate::api::visits::parse_outcome(&outcome, &reason, &detail)?;
    record_outcome_typed(&crate::context::store()?, &step, &outcome).await
}

/// The action itself, for every caller (this server function, the sync).
#[cfg(feature = "ssr")]
pub(crate) async fn record_outcome_typed(
    store: &crate::store::Store,
    step: &super::TechnicianStep,
    outcome: &crate::domain::signoff::VisitOutcome,
) -> Result<(), AppError> {
    Ok(store
        .record_outcome(
            &step.operation_id,
            &step.visit_id,
            &step.technician,
            outcome,
            crate::domain::time::Timestamp::now(),
        )
        .await?)
}
