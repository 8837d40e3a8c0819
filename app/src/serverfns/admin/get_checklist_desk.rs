use leptos::prelude::*;

use crate::api::admin::ChecklistDesk;
use crate::api::error::AppError;

/// The checklist template new visits run by, and every version published;
/// admins only.
#[server(prefix = "/api/admin", endpoint = "checklist")]
pub async fn get_checklist_desk() -> Result<ChecklistDesk, AppError> {
    use crate::context;
    use crate::domain::auth::Role;

    crate::auth::require_role(&[Role::Admin]).await?;
    let store = context::store()?;
    let version = store.current_checklist_version().await?;
    let current = store.checklist_template(version).await?.ok_or_else(|| {
        tracing::error!(version, "the current checklist version has no items");
        AppError::Internal
    })?;
    let versions = store.checklist_versions().await?;
    Ok(ChecklistDesk { current, versions })
}
