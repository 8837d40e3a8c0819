use leptos::prelude::*;

use crate::api::error::AppError;
use crate::domain::record::VisitRecord;

/// The whole record of one visit (一票到底服务记录单): for its technician,
/// the dispatchers of its region, and admins.
#[server(prefix = "/api/visits", endpoint = "record")]
pub async fn get_visit_record(visit_id: String) -> Result<VisitRecord, AppError> {
    let (store, visit_id) = super::readable_visit(&visit_id).await?;
    store
        .visit_record(&visit_id)
        .await?
        .map(VisitRecord::for_reading)
        .ok_or(AppError::NotFound)
}
