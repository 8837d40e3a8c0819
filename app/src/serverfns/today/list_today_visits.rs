use leptos::prelude::*;

use crate::api::error::AppError;
use crate::api::today::TodayVisit;

/// The visits scheduled for today in the service region, in appointment
/// order: a technician's own, a dispatcher's region's, or all for an admin.
#[server(prefix = "/api/today", endpoint = "list")]
pub async fn list_today_visits() -> Result<Vec<TodayVisit>, AppError> {
    use crate::context;
    use crate::domain::time::Timestamp;
    use crate::domain::visit::arrival_risk;

    let user = crate::auth::current_user().await?;
    let store = context::store()?;
    let now = Timestamp::now();
    let (day_start, day_end) = context::service_zone().day_containing(now);
    let mut visits = store
        .visits_starting_between(day_start, day_end, &user.viewer().visit_scope())
        .await?;
    for visit in &mut visits {
        visit.risk = arrival_risk(visit.window, visit.status, now);
    }
    Ok(visits)
}
