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
    use crate::domain::auth::Role;
    use crate::domain::ids::RecordId;
    use crate::domain::time::Timestamp;
    use crate::domain::visit::VisitEvent;
    use crate::serverfns::context;

    context::finish(
        async move {
            let user = crate::auth::require_role(&[Role::Technician]).await?;
            let operation_id = RecordId::parse("operation_id", &operation_id)?;
            let visit_id = RecordId::parse("visit_id", &visit_id)?;
            let event = VisitEvent::parse(&event).ok_or_else(|| AppError::InvalidInput {
                field: "event".into(),
                message: format!("unknown step {event:?}"),
            })?;
            let store = context::store()?;
            store
                .apply_visit_event(
                    operation_id.as_str(),
                    visit_id.as_str(),
                    &user.id,
                    event,
                    Timestamp::now(),
                )
                .await
                .map_err(AppError::from)
        }
        .await,
    )
}
