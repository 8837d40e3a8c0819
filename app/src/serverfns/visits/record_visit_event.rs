use leptos::prelude::*;

use crate::domain::visit::VisitStatus;
use crate::error::AppError;

/// A technician's step on their visit (set off, check in, …). Every call
/// carries an operation id made on the device; repeating it is harmless.
#[server(prefix = "/api/visits", endpoint = "event")]
pub async fn record_visit_event(
    operation_id: String,
    visit_id: String,
    event: String,
) -> Result<VisitStatus, AppError> {
    use super::{technician_step, TechnicianStep};
    use crate::domain::time::Timestamp;
    use crate::domain::visit::VisitEvent;
    use crate::serverfns::context;

    context::finish(
        async move {
            let TechnicianStep {
                technician,
                operation_id,
                visit_id,
            } = technician_step(&operation_id, &visit_id).await?;
            let event = VisitEvent::parse(&event).ok_or_else(|| AppError::InvalidInput {
                field: "event".into(),
                message: format!("unknown step {event:?}"),
            })?;
            let store = context::store()?;
            store
                .apply_visit_event(
                    operation_id.as_str(),
                    visit_id.as_str(),
                    technician.as_str(),
                    event,
                    Timestamp::now(),
                )
                .await
                .map_err(AppError::from)
        }
        .await,
    )
}
