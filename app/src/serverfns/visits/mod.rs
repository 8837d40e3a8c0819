mod charge_fee;
mod get_visit_record;
mod record_checklist_answer;
mod record_outcome;
mod record_part;
mod record_visit_event;
mod sign_off;

pub use charge_fee::*;
pub use get_visit_record::*;
pub use record_checklist_answer::*;
pub use record_outcome::*;
pub use record_part::*;
pub use record_visit_event::*;
pub use sign_off::*;

/// The assigned technician's step on a visit: who asks, and the operation
/// and visit ids, parsed. Every technician action starts here.
#[cfg(feature = "ssr")]
pub(crate) struct TechnicianStep {
    pub technician: crate::domain::ids::RecordId,
    pub operation_id: crate::domain::ids::RecordId,
    pub visit_id: crate::domain::ids::RecordId,
}

#[cfg(feature = "ssr")]
pub(crate) async fn technician_step(
    operation_id: &str,
    visit_id: &str,
) -> Result<TechnicianStep, crate::error::AppError> {
    use crate::domain::ids::RecordId;
    let user = crate::auth::require_role(&[crate::domain::auth::Role::Technician]).await?;
    Ok(TechnicianStep {
        technician: RecordId::parse("user", &user.id)?,
        operation_id: RecordId::parse("operation_id", operation_id)?,
        visit_id: RecordId::parse("visit_id", visit_id)?,
    })
}
