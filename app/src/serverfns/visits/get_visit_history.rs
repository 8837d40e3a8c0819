use leptos::prelude::*;

use crate::api::error::AppError;
use crate::api::visits::VisitHistory;

/// The appliance's other visits, the visit's field insights and its
/// sign-off complaints: for whoever may read the visit's record.
#[server(prefix = "/api/visits", endpoint = "history")]
pub async fn get_visit_history(visit_id: String) -> Result<VisitHistory, AppError> {
    let (store, visit_id) = super::readable_visit(&visit_id).await?;
    Ok(super::history_of(&store, &visit_id).await?)
}
