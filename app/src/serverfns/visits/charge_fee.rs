use leptos::prelude::*;

use crate::api::error::AppError;
use crate::domain::charges::FeeCharge;

/// A fee from the unified fee schedule, at the schedule's amount: the
/// technician names the item and the quantity, never the price.
#[server(prefix = "/api/visits", endpoint = "fee")]
pub async fn charge_fee(
    operation_id: String,
    visit_id: String,
    charge_id: String,
    fee_code: String,
    quantity: String,
) -> Result<FeeCharge, AppError> {
    let step = super::technician_step(&operation_id, &visit_id).await?;
    let (charge_id, code, quantity) =
        crate::api::visits::parse_fee(&charge_id, &fee_code, &quantity)?;
    charge_fee_typed(&crate::context::store()?, &step, charge_id, code, quantity).await
}

/// The action itself, for every caller (this server function, the sync).
#[cfg(feature = "ssr")]
pub(crate) async fn charge_fee_typed(
    store: &crate::store::Store,
    step: &super::TechnicianStep,
    charge_id: crate::domain::ids::RecordId,
    code: crate::domain::validation::FeeCode,
    quantity: crate::domain::charges::Quantity,
) -> Result<FeeCharge, AppError> {
    Ok(store
        .charge_fee(
            &step.operation_id,
            &step.visit_id,
            &step.technician,
            charge_id,
            code,
            quantity,
            crate::domain::time::Timestamp::now(),
        )
        .await?)
}
