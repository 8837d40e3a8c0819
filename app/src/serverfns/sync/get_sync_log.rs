use leptos::prelude::*;

use crate::api::error::AppError;
use crate::api::sync::SyncedOperation;

/// What phones sent for a visit, applied or held, with the phone's clock
/// and the server's: for whoever may read the visit.
#[server(prefix = "/api/sync", endpoint = "log")]
pub async fn get_sync_log(visit_id: String) -> Result<Vec<SyncedOperation>, AppError> {
    let (store, visit_id) = crate::serverfns::visits::readable_visit(&visit_id).await?;
    Ok(store.sync_log(&visit_id).await?)
}
