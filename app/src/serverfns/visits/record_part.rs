// A part is many fields, each named in its own refusal; the server
// function and the client stub its macro writes both take them one by one.
#![allow(clippy::too_many_arguments)]

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
    charge_reason: String,
) -> Result<(), AppError> {
    let step = super::technician_step(&operation_id, &visit_id).await?;
    let part = crate::api::visits::parse_part(
        &part_id,
        &part_code,
        &part_name,
        &quantity,
        &unit_price_fen,
        &charge_reason,
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
    // In warranty the part is free unless the technician says why not: by
    // the warranty of the day the visit is booked for.
    let record = store
        .visit_record(&step.visit_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let booked = record.visit.window.start();
    let offset = crate::context::service_zone().offset_at(booked);
    crate::domain::charges::check_part_charge(record.appliance.warranty_at(booked, offset), part)?;
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
