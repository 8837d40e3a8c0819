mod add_field_insight;
mod attach_photo;
mod charge_fee;
mod close_unsigned;
mod file_sign_off_complaint;
mod get_visit_history;
mod get_visit_record;
mod record_checklist_answer;
mod record_outcome;
mod record_part;
mod record_visit_event;
mod remove_charge;
mod sign_off;

pub use add_field_insight::*;
pub use attach_photo::*;
pub use charge_fee::*;
pub use close_unsigned::*;
pub use file_sign_off_complaint::*;
pub use get_visit_history::*;
pub use get_visit_record::*;
pub use record_checklist_answer::*;
pub use record_outcome::*;
pub use record_part::*;
pub use record_visit_event::*;
pub use remove_charge::*;
pub use sign_off::*;

#[cfg(feature = "ssr")]
use crate::api::visits::VisitHistory;

/// What surrounds the visit's record.
#[cfg(feature = "ssr")]
pub(crate) async fn history_of(
    store: &crate::store::Store,
    visit_id: &crate::domain::ids::RecordId,
) -> Result<VisitHistory, crate::store::StoreError> {
    let fee_schedule = store
        .fee_schedule_of_visit(visit_id)
        .await?
        .ok_or_else(|| crate::store::StoreError::Corrupt(format!("no visit {visit_id}")))?;
    Ok(VisitHistory {
        other_visits: store.other_visits_to_appliance(visit_id).await?,
        insights: store.field_insights_of(visit_id).await?,
        complaint_ids: store.complaints_of_visit(visit_id).await?,
        fee_schedule,
    })
}

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
) -> Result<TechnicianStep, crate::api::error::AppError> {
    use crate::domain::ids::RecordId;
    let user = crate::auth::require_role(&[crate::domain::auth::Role::Technician]).await?;
    Ok(TechnicianStep {
        technician: RecordId::parse("user", &user.id)?,
        operation_id: RecordId::parse("operation_id", operation_id)?,
        visit_id: RecordId::parse("visit_id", visit_id)?,
    })
}

/// The visit, for a caller who may read it (its technician, its region's
/// dispatchers, admins): the store and the parsed id. Every read of a visit
/// starts here.
#[cfg(feature = "ssr")]
pub(crate) async fn readable_visit(
    visit_id: &str,
) -> Result<(crate::store::Store, crate::domain::ids::RecordId), crate::api::error::AppError> {
    use crate::api::error::AppError;
    let user = crate::auth::current_user().await?;
    let visit_id = crate::domain::ids::RecordId::parse("visit_id", visit_id)?;
    let store = crate::context::store()?;
    let place = store
        .visit_place(visit_id.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    if !user.viewer().may_read_visit(place.as_place()) {
        return Err(AppError::Forbidden);
    }
    Ok((store, visit_id))
}
