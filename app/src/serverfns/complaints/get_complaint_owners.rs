use leptos::prelude::*;

use crate::api::error::AppError;

/// Who a complaint of the caller's queue may be handed to, id and name: the
/// region's active dispatchers and the admins (every region's dispatchers
/// for an admin).
#[server(prefix = "/api/complaints", endpoint = "owners")]
pub async fn get_complaint_owners() -> Result<Vec<(String, String)>, AppError> {
    let scope = crate::serverfns::queue_scope().await?;
    let store = crate::context::store()?;
    Ok(store.complaint_owners(scope.region.as_deref()).await?)
}
