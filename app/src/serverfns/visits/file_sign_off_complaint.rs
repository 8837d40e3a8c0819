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
    use super::{technician_step, TechnicianStep};
    use crate::context;
    use crate::domain::ids::RecordId;
    use crate::domain::time::Timestamp;
    use crate::domain::validation::{Note, ValidationError};

    let TechnicianStep {
        technician,
        operation_id,
        visit_id,
    } = technician_step(&operation_id, &visit_id).await?;
    let complaint_id = RecordId::parse("complaint_id", &complaint_id)?;
    let description = Note::parse(&description)
        .map_err(|error| ValidationError::new("description", error.problem))?;
    let complaint = context::store()?
        .file_sign_off_complaint(
            &operation_id,
            &technician,
            complaint_id,
            &visit_id,
            description,
            Timestamp::now(),
        )
        .await?;
    Ok(complaint.id.to_string())
}
