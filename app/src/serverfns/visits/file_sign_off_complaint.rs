use leptos::prelude::*;

use crate::api::error::AppError;

/// "I am not satisfied / I want to complain" on the sign-off screen: the
/// customer's complaint, received on the technician's phone. Answers the
/// complaint's id.
#[server(prefix = "/api/visits", endpoint = "complaint")]
pub async fn file_sign_off_complaint(
    operation_id: String,
    visit_id: String,
    complaint_id: String,
    description: String,
) -> Result<String, AppError> {
    let step = super::technician_step(&operation_id, &visit_id).await?;
    let complaint_id = crate::domain::ids::RecordId::parse("complaint_id", &complaint_id)?;
    let description = crate::api::visits::parse_complaint(&description)?;
    file_sign_off_complaint_typed(&crate::context::store()?, &step, complaint_id, description).await
}

/// The action itself, for every caller (this server function, the sync).
#[cfg(feature = "ssr")]
pub(crate) async fn file_sign_off_complaint_typed(
    store: &crate::store::Store,
    step: &super::TechnicianStep,
    complaint_id: crate::domain::ids::RecordId,
    description: crate::domain::validation::Note,
) -> Result<String, AppError> {
    let complaint = store
        .file_sign_off_complaint(
            &step.operation_id,
            &step.technician,
            complaint_id,
            &step.visit_id,
            description,
            crate::domain::time::Timestamp::now(),
        )
        .await?;
    Ok(complaint.id.to_string())
}
