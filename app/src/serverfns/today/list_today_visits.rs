use leptos::prelude::*;

use super::TodayVisit;
use crate::error::AppError;

/// The visits scheduled for today in the service region, in appointment order.
#[server(prefix = "/api/today", endpoint = "list")]
pub async fn list_today_visits() -> Result<Vec<TodayVisit>, AppError> {
    use crate::domain::time::Timestamp;
    use crate::serverfns::context;

    let store = context::store()?;
    let now = Timestamp::from_unix_millis(chrono::Utc::now().timestamp_millis());
    let (day_start, day_end) = context::service_zone().day_containing(now);
    store
        .visits_starting_between(day_start, day_end)
        .await
        .map_err(|e| AppError::from(e).into_response_error())
}
