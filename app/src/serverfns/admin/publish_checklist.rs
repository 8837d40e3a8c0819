use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::api::error::AppError;
use crate::domain::checklist::{ChecklistTemplate, TemplateItemForm};

/// Publishes the edited checklist as a new version; admins only. Visits
/// dispatched from then on run by it; a visit already dispatched or under
/// way keeps its version. A bad item is named (`item_<n>_<field>`) and
/// nothing is written.
#[server(prefix = "/api/admin", endpoint = "publish_checklist", input = Json)]
pub async fn publish_checklist(
    items: Vec<TemplateItemForm>,
) -> Result<ChecklistTemplate, AppError> {
    use crate::context;
    use crate::domain::auth::Role;
    use crate::domain::checklist::check_template;
    use crate::domain::time::Timestamp;

    let admin = crate::auth::require_role(&[Role::Admin]).await?;
    let store = context::store()?;
    let version = store.current_checklist_version().await?;
    let current = store
        .checklist_template(version)
        .await?
        .ok_or(AppError::Internal)?;
    let keys = store.checklist_keys_ever_used().await?;
    let checked =
        check_template(&items, &current, &keys).map_err(|refused| AppError::InvalidInput {
            field: refused.field(),
            message: refused.error.problem.to_string(),
            problem: Some((&refused.error.problem).into()),
        })?;
    let published = store
        .publish_checklist_template(&current, &checked, &admin.id, Timestamp::now())
        .await?;
    tracing::info!(admin = %admin.id, version = published.version, "checklist published");
    Ok(published)
}
