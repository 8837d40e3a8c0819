use leptos::prelude::*;

use super::TodayVisit;
use crate::error::AppError;

/// The visits scheduled for today in the service region, in appointment
/// order: a technician's own, or all of them for dispatchers and admins.
#[server(prefix = "/api/today", endpoint = "list")]
pub async fn list_today_visits() -> Result<Vec<TodayVisit>, AppError> {
    use crate::domain::auth::Role;
    use crate::domain::time::Timestamp;
    use crate::serverfns::context;

    context::finish(
        async move {
            let user = crate::auth::current_user().await?;
            let only_technician = (user.role == Role::Technician).then_some(user.id.as_str());
            let store = context::store()?;
            let (day_start, day_end) = context::service_zone().day_containing(Timestamp::now());
            Ok(store
                .visits_starting_between(day_start, day_end, only_technician)
                .await?)
        }
        .await,
    )
}
