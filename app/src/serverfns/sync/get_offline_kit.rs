use leptos::prelude::*;

use crate::api::error::AppError;
use crate::api::sync::OfflineKit;

/// The technician's visits of today and tomorrow, whole, for the phone to
/// keep: it runs them from this when there is no network.
#[server(prefix = "/api/sync", endpoint = "kit")]
pub async fn get_offline_kit() -> Result<OfflineKit, AppError> {
    use crate::api::sync::{KeptVisit, KitVisit};
    use crate::context;
    use crate::domain::ids::RecordId;
    use crate::domain::time::Timestamp;
    use crate::serverfns::visits::history_of;

    let user = crate::auth::require_role(&[crate::domain::auth::Role::Technician]).await?;
    let store = context::store()?;
    let now = Timestamp::now();
    let zone = context::service_zone();
    let (today_start, today_end) = zone.day_containing(now);
    let (_, tomorrow_end) = zone.day_containing(today_end);
    let days = store
        .visits_starting_between(today_start, tomorrow_end, &user.viewer().visit_scope())
        .await?;
    let mut visits = Vec::with_capacity(days.len());
    for visit in &days {
        let id = RecordId::parse("visit_id", &visit.id)?;
        let Some(record) = store.visit_record(&id).await? else {
            continue;
        };
        let kit = KitVisit {
            record,
            history: history_of(&store, &id).await?,
        };
        visits.push(KeptVisit::of(&kit).map_err(|e| {
            tracing::error!(visit = %id, "cannot write the kit's visit as JSON: {e}");
            AppError::Internal
        })?);
    }
    Ok(OfflineKit {
        fetched_at_ms: now.unix_millis(),
        days,
        visits,
    })
}
