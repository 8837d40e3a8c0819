use leptos::prelude::*;

use crate::domain::record::VisitRecord;
use crate::error::AppError;

/// The whole record of one visit (一票到底服务记录单): for its technician,
/// the dispatchers of its region, and admins.
#[server(prefix = "/api/visits", endpoint = "record")]
pub async fn get_visit_record(visit_id: String) -> Result<VisitRecord, AppError> {
    use crate::domain::ids::RecordId;
    use crate::serverfns::context;

    context::finish(
        async move {
            let user = crate::auth::current_user().await?;
            let visit_id = RecordId::parse("visit_id", &visit_id)?;
            let store = context::store()?;
            let place = store
                .visit_place(visit_id.as_str())
                .await?
                .ok_or(AppError::NotFound)?;
            if !user.viewer().may_read_visit(place.as_place()) {
                return Err(AppError::Forbidden);
            }
            store
                .visit_record(&visit_id)
                .await?
                .ok_or(AppError::NotFound)
        }
        .await,
    )
}
