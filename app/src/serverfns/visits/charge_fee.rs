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
    use super::{technician_step, TechnicianStep};
    use crate::context;
    use crate::domain::charges::Quantity;
    use crate::domain::ids::RecordId;
    use crate::domain::time::Timestamp;
    use crate::domain::validation::FeeCode;
    use crate::serverfns::input;

    let TechnicianStep {
        technician,
        operation_id,
        visit_id,
    } = technician_step(&operation_id, &visit_id).await?;
    let charge_id = RecordId::parse("charge_id", &charge_id)?;
    let code = FeeCode::parse(&fee_code)?;
    let quantity = Quantity::new(input::whole_number("quantity", &quantity)?)?;
    context::store()?
        .charge_fee(
            &operation_id,
            &visit_id,
            &technician,
            charge_id,
            code,
            quantity,
            Timestamp::now(),
        )
        .await
        .map_err(AppError::from)
}
