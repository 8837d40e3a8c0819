use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::api::error::AppError;
use crate::domain::charges::{FeeItemForm, FeeSchedule};

/// Publishes one category's edited fee schedule as a new version (the other
/// categories carried over); admins only. Visits dispatched from then on
/// are charged by it; a visit already dispatched keeps its version. A bad
/// row is named (`item_<n>_<field>`) and nothing is written.
#[server(prefix = "/api/admin", endpoint = "publish_fees", input = Json)]
pub async fn publish_fee_schedule(
    category: String,
    items: Vec<FeeItemForm>,
) -> Result<FeeSchedule, AppError> {
    use crate::context;
    use crate::domain::auth::Role;
    use crate::domain::charges::check_fee_items;
    use crate::domain::time::Timestamp;
    use crate::domain::work_order::ApplianceCategory;

    let admin = crate::auth::require_role(&[Role::Admin]).await?;
    let category = ApplianceCategory::parse(&category).ok_or_else(|| AppError::InvalidInput {
        field: "category".into(),
        message: "not an appliance category".into(),
        problem: None,
    })?;
    let store = context::store()?;
    let current = store
        .fee_schedule(store.current_fee_schedule_version().await?, category)
        .await?;
    let checked = check_fee_items(&items, &current).map_err(|refused| AppError::InvalidInput {
        field: refused.field(),
        message: refused.error.problem.to_string(),
        problem: Some((&refused.error.problem).into()),
    })?;
    let published = store
        .publish_fee_schedule(&current, &checked, &admin.id, Timestamp::now())
        .await?;
    tracing::info!(
        admin = %admin.id,
        version = published.version,
        category = category.as_str(),
        "fee schedule published"
    );
    Ok(published)
}
