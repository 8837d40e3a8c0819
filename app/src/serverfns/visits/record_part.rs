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
    use super::{technician_step, TechnicianStep};
    use crate::context;
    use crate::domain::charges::{Money, PartUsed, Quantity};
    use crate::domain::ids::RecordId;
    use crate::domain::time::Timestamp;
    use crate::domain::validation::{PartCode, PartName};
    use crate::serverfns::input;

    let TechnicianStep {
        technician,
        operation_id,
        visit_id,
    } = technician_step(&operation_id, &visit_id).await?;
    let part = PartUsed {
        id: RecordId::parse("part_id", &part_id)?,
        code: PartCode::parse(&part_code)?,
        name: PartName::parse(&part_name)?,
        quantity: Quantity::new(input::whole_number("quantity", &quantity)?)?,
        unit_price: Money::from_fen(
            "unit_price_fen",
            input::whole_number("unit_price_fen", &unit_price_fen)?,
        )?,
    };
    context::store()?
        .record_part(
            &operation_id,
            &visit_id,
            &technician,
            &part,
            Timestamp::now(),
        )
        .await
        .map_err(AppError::from)
}
