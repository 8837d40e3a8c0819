use leptos::prelude::*;

use crate::api::error::AppError;

/// A spare part fitted on the visit; its id is made on the device, like the
/// operation's. The price is per piece, in fen (zero under warranty).
#[server(prefix = "/api/visits", endpoint = "part")]
pub async fn record_part(
    operation_id: String,
    visit_id: String,
    part_id: String,
    part_code: String,
    part_name: String,
    quantity: String,
    unit_price_fen: String,
) -> Result<(), AppError> {
    let step = super::technician_step(&operation_id, &visit_id).await?;
    let part = crate::api::visits::parse_part(
        &part_id,
        &part_code,
        &part_name,
        &quantity,
        &unit_price_fen,
    )?;
    record_part_typed(&crate::context::store()?, &step, &part).await
}

/// The action itself, for every caller (this server function, the sync).
#[cfg(feature = "ssr")]
pub(crate) async fn record_part_typed(
    store: &crate::store::Store,
    step: &super::TechnicianStep,
    part: &crate::domain::charges::PartUsed,
) -> Result<(), AppError> {
    Ok(store
        .record_part(
            &step.operation_id,
            &step.visit_id,
            &step.technician,
            part,
            crate::domain::time::Timestamp::now(),
        )
        .await?)
}
