use leptos::prelude::*;

use crate::api::error::AppError;

/// A complaint a customer made by phone, taken by a dispatcher (or admin)
/// of the work order's region, who owns it from then on (谁受理谁负责). Its
/// clocks run from now. Answers the new complaint's id.
#[server(prefix = "/api/complaints", endpoint = "take")]
pub async fn take_phone_complaint(
    work_order_id: String,
    description: String,
) -> Result<String, AppError> {
    use crate::context;
    use crate::domain::auth::Role;
    use crate::domain::complaint::{Complaint, ComplaintSource};
    use crate::domain::ids::RecordId;
    use crate::domain::time::Timestamp;
    use crate::domain::validation::{Note, ValidationError};

    let user = crate::auth::require_role(&[Role::Dispatcher, Role::Admin]).await?;
    let work_order_id = RecordId::parse("work_order_id", &work_order_id)?;
    let store = context::store()?;
    let order = store
        .work_order(&work_order_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !user.viewer().may_manage_region(order.region_id.as_str()) {
        return Err(AppError::Forbidden);
    }
    let description = Note::parse(&description)
        .map_err(|error| ValidationError::new("description", error.problem))?;
    let complaint = store
        .take_phone_complaint(Complaint {
            id: crate::domain::ids::new_id()?,
            work_order_id,
            visit_id: None,
            source: ComplaintSource::Phone,
            owner_id: Some(RecordId::parse("user", &user.id)?),
            received_at: Timestamp::now(),
            description,
        })
        .await?;
    tracing::info!(complaint = %complaint.id, user = %user.id, "complaint taken by phone");
    Ok(complaint.id.to_string())
}
