use leptos::prelude::*;

use crate::api::complaints::QueueItem;
use crate::api::error::AppError;

/// The complaint steps due today or overdue, oldest complaint first, then
/// the ones due later (a step may be done early): a dispatcher's region's,
/// or every region's for an admin (overdue steps escalate to admins).
#[server(prefix = "/api/complaints", endpoint = "queue")]
pub async fn get_complaint_queue() -> Result<Vec<QueueItem>, AppError> {
    use crate::context;
    use crate::domain::complaint_clock::{clock, cost_weight, next_step};
    use crate::domain::time::Timestamp;

    let scope = crate::serverfns::queue_scope().await?;
    let store = context::store()?;
    let now = Timestamp::now();
    let (_, end_of_today) = context::service_zone().day_containing(now);
    let open = store.open_complaints(scope.region.as_deref()).await?;
    let mut items: Vec<QueueItem> = open
        .into_iter()
        .filter_map(|complaint| {
            let done: Vec<_> = complaint.done.iter().map(|d| d.step).collect();
            let next = next_step(&done)?;
            let due_at = next.due_at(complaint.received_at);
            Some(QueueItem {
                next,
                due_at,
                clock: clock(next, complaint.received_at, None, now),
                cost_weight: cost_weight(complaint.received_at, now),
                due_today: due_at < end_of_today,
                mine: complaint.owner_id.as_deref() == Some(scope.viewer_id.as_str()),
                complaint,
            })
        })
        .collect();
    // Stable: within each part the store's oldest-first order stays.
    items.sort_by_key(|item| !item.due_today);
    Ok(items)
}
