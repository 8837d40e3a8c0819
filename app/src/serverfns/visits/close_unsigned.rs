use leptos::prelude::*;

use crate::api::error::AppError;
use crate::domain::visit::VisitStatus;

/// The visit closed without the customer's signature: `why` is
/// "customer_absent" or "customer_refused", `reason` the technician's
/// account. Sealed, counted, and always called back.
#[server(prefix = "/api/visits", endpoint = "close_unsigned")]
pub async fn close_unsigned(
    operation_id: String,
    visit_id: String,
    why: String,
    reason: String,
) -> Result<VisitStatus, AppError> {
    let step = super::technician_step(&operation_id, &visit_id).await?;
    let closing = crate::api::visits::parse_unsigned_close(&why, &reason)?;
    close_unsigned_typed(&crate::context::store()?, &step, &closing).await
}

/// The action itself, for every caller (this server function, the sync).
#[cfg(feature = "ssr")]
pub(crate) async fn close_unsigned_typed(
    store: &crate::store::Store,
    step: &super::TechnicianStep,
    closing: &crate::domain::signoff::UnsignedClose,
) -> Result<VisitStatus, AppError> {
    Ok(store
        .close_unsigned(
            &step.operation_id,
            &step.visit_id,
            &step.technician,
            closing,
            crate::domain::time::Timestamp::now(),
        )
        .await?)
}
