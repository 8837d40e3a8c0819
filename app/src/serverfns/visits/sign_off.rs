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
    let step = super::technician_step(&operation_id, &visit_id).await?;
    let signed = sign_off.check()?;
    sign_off_visit_typed(&crate::context::store()?, &step, &signed).await
}

/// The action itself, for every caller (this server function, the sync).
#[cfg(feature = "ssr")]
pub(crate) async fn sign_off_visit_typed(
    store: &crate::store::Store,
    step: &super::TechnicianStep,
    signed: &crate::domain::signoff::SignOff,
) -> Result<VisitStatus, AppError> {
    Ok(store
        .sign_off(
            &step.operation_id,
            &step.visit_id,
            &step.technician,
            signed,
            crate::domain::time::Timestamp::now(),
        )
        .await?)
}
