use leptos::prelude::*;

use super::TodayVisit;
use crate::error::AppError;

/// The visits scheduled for today in the service region, in appointment
/// order: a technician's own, a dispatcher's region's, or all for an admin.
#[server(prefix = "/api/today", endpoint = "list")]
pub async fn list_today_visits() -> Result<Vec<TodayVisit>, AppError> {
    use crate::domain::time::Timestamp;
    use crate::serverfns::context;

    context::finish(
        async move {
            let user = crate::auth::current_user().await?;
            let store = context::store()?;
            let (day_start, day_end) = context::service_zone().day_containing(Timestamp::now());
            Ok(store
                .visits_starting_between(day_start, day_end, &user.viewer().visit_scope())
                .await?)
        }
        .await,
    )
}
