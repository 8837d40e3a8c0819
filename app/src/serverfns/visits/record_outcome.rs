use leptos::prelude::*;

use crate::error::AppError;

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
    use crate::domain::time::Timestamp;
    use crate::serverfns::context;

    context::finish(
        async move {
            let TechnicianStep {
                technician,
                operation_id,
                visit_id,
            } = technician_step(&operation_id, &visit_id).await?;
            let outcome = parse_outcome(&outcome, &reason, &detail)?;
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
        .await,
    )
}

/// The outcome as the form sends it, checked: on the server before it is
/// stored, on the phone before it is queued.
pub fn parse_outcome(
    outcome: &str,
    reason: &str,
    detail: &str,
) -> Result<crate::domain::signoff::VisitOutcome, AppError> {
    use crate::domain::signoff::{NotFixedReason, VisitOutcome};
    use crate::domain::validation::{Note, ValidationError};
    Ok(match (outcome.trim(), reason.trim()) {
        ("fixed", _) => VisitOutcome::Fixed,
        ("not_fixed", reason) => VisitOutcome::NotFixed {
            reason: match reason {
                "parts_unavailable" => NotFixedReason::PartsUnavailable,
                "skill" => NotFixedReason::Skill,
                "time_ran_out" => NotFixedReason::TimeRanOut,
                "other" => NotFixedReason::Other(
                    Note::parse(detail)
                        .map_err(|error| ValidationError::new("detail", error.problem))?,
                ),
                other => {
                    return Err(AppError::InvalidInput {
                        field: "reason".into(),
                        message: format!(
                        "expected parts_unavailable, skill, time_ran_out or other, not {other:?}"
                    ),
                    })
                }
            },
        },
        (other, _) => {
            return Err(AppError::InvalidInput {
                field: "outcome".into(),
                message: format!("expected fixed or not_fixed, not {other:?}"),
            })
        }
    })
}
