use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::api::error::AppError;
use crate::domain::visit::VisitStatus;

/// The customer signs: the visit becomes `signed` and its record sealed.
#[server(prefix = "/api/visits", endpoint = "sign_off", input = Json)]
pub async fn sign_off_visit(
    operation_id: String,
    visit_id: String,
    sign_off: crate::api::visits::SignOffInput,
) -> Result<VisitStatus, AppError> {
    use super::{technician_step, TechnicianStep};
    use crate::context;
    use crate::domain::time::Timestamp;

    let TechnicianStep {
        technician,
        operation_id,
        visit_id,
    } = technician_step(&operation_id, &visit_id).await?;
    let signed = sign_off.check()?;
    context::store()?
        .sign_off(
            &operation_id,
            &visit_id,
            &technician,
            &signed,
            Timestamp::now(),
        )
        .await
        .map_err(AppError::from)
}
