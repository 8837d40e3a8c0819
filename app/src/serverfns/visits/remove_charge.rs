use leptos::prelude::*;

use crate::api::error::AppError;

/// Takes back a part or fee (by its id) before the customer signs: the
/// compensating operation for a charge made by mistake.
#[server(prefix = "/api/visits", endpoint = "remove_charge")]
pub async fn remove_charge(
    operation_id: String,
    visit_id: String,
    charge_id: String,
) -> Result<(), AppError> {
    let step = super::technician_step(&operation_id, &visit_id).await?;
    let charge_id = crate::domain::ids::RecordId::parse("charge_id", &charge_id)?;
    remove_charge_typed(&crate::context::store()?, &step, &charge_id).await
}

/// The action itself, for every caller (this server function, the sync).
#[cfg(feature = "ssr")]
pub(crate) async fn remove_charge_typed(
    store: &crate::store::Store,
    step: &super::TechnicianStep,
    charge_id: &crate::domain::ids::RecordId,
) -> Result<(), AppError> {
    Ok(store
        .remove_charge(
            &step.operation_id,
            &step.visit_id,
            &step.technician,
            charge_id,
            crate::domain::time::Timestamp::now(),
        )
        .await?)
}
