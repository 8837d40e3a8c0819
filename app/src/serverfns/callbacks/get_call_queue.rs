use leptos::prelude::*;

use crate::api::callbacks::CallItem;
use crate::api::error::AppError;

/// The calls not yet made, the earliest due first (so overdue and due-today
/// calls lead): a dispatcher's region's, or every region's for an admin
/// (late calls escalate to admins).
#[server(prefix = "/api/callbacks", endpoint = "queue")]
pub async fn get_call_queue() -> Result<Vec<CallItem>, AppError> {
    use crate::context;
    use crate::domain::callback::call_delay_weight;
    use crate::domain::time::Timestamp;

    let scope = crate::serverfns::queue_scope().await?;
    let store = context::store()?;
    let now = Timestamp::now();
    let (_, end_of_today) = context::service_zone().day_containing(now);
    let calls = store.open_follow_up_calls(scope.region.as_deref()).await?;
    Ok(calls
        .into_iter()
        .map(|call| {
            let late_by = now.unix_millis() - call.due_at.unix_millis();
            CallItem {
                overdue_by_ms: (late_by > 0).then_some(late_by),
                cost_weight: call_delay_weight(call.due_at, now),
                due_today: call.due_at < end_of_today,
                call,
            }
        })
        .collect())
}
