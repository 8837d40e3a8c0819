use leptos::prelude::*;

use crate::api::error::AppError;

/// Gives a complaint an owner by name (谁受理谁负责): `to` empty takes it
/// for whoever calls; otherwise a dispatcher of its region or an admin.
/// Taken from a named owner or handed on, it needs a `reason`, kept with the
/// change and in the audit log. By the region's dispatchers and admins.
/// `change_id` is the screen's, once per change. Answers the owner's name.
#[server(prefix = "/api/complaints", endpoint = "owner")]
pub async fn change_complaint_owner(
    change_id: String,
    complaint_id: String,
    to: Option<String>,
    reason: Option<String>,
) -> Result<String, AppError> {
    use crate::context;
    use crate::domain::auth::Role;
    use crate::domain::ids::RecordId;
    use crate::domain::time::Timestamp;
    use crate::domain::validation::OwnerChangeReason;
    use crate::store::complaint_owners::OwnerChange;

    let user = crate::auth::require_role(&[Role::Dispatcher, Role::Admin]).await?;
    let by = RecordId::parse("user", &user.id)?;
    let change_id = RecordId::parse("change_id", &change_id)?;
    let complaint_id = RecordId::parse("complaint_id", &complaint_id)?;
    let to = match to.as_deref().map(str::trim).filter(|to| !to.is_empty()) {
        Some(to) => RecordId::parse("to", to)?,
        None => by.clone(),
    };
    let reason = reason
        .as_deref()
        .filter(|reason| !reason.trim().is_empty())
        .map(OwnerChangeReason::parse)
        .transpose()?;
    let store = context::store()?;
    super::check_complaint_region(&store, &user, &complaint_id).await?;
    let owner = store
        .change_complaint_owner(OwnerChange {
            id: &change_id,
            complaint_id: &complaint_id,
            to: &to,
            by: &by,
            reason: reason.as_ref(),
            at: Timestamp::now(),
        })
        .await?;
    tracing::info!(complaint = %complaint_id, to = %to, user = %user.id, "complaint owner changed");
    Ok(owner)
}
