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
    use super::{technician_step, TechnicianStep};
    use crate::context;
    use crate::domain::time::Timestamp;

    let TechnicianStep {
        technician,
        operation_id,
        visit_id,
    } = technician_step(&operation_id, &visit_id).await?;
    let outcome = crate::api::visits::parse_outcome(&outcome, &reason, &detail)?;
    context::store()?
        .record_outcome(
            &operation_id,
            &visit_id,
            &technician,
            &outcome,
            Timestamp::now(),
        )
        .await
        .map_err(AppError::from)
}
