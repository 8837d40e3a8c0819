use leptos::prelude::*;

use crate::api::error::AppError;
use crate::api::sync::KitAnswer;

/// The technician's visits of today and tomorrow, whole, for the phone to
/// keep: it runs them from this when there is no network. `have` names the
/// version the phone keeps; when the kit is still that, only that is said.
#[server(prefix = "/api/sync", endpoint = "kit")]
pub async fn get_offline_kit(have: Option<String>) -> Result<KitAnswer, AppError> {
    use crate::api::sync::{KeptVisit, KitVisit, OfflineKit};
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
    let version = kit_version(&days, &visits)?;
    if have.as_deref() == Some(version.as_str()) {
        return Ok(KitAnswer::Unchanged);
    }
    Ok(KitAnswer::Changed(OfflineKit {
        fetched_at_ms: now.unix_millis(),
        version,
        days,
        visits,
    }))
}

/// The kit's contents named by their hash: any change to a visit, its
/// record or history, or to the day's list gives another version.
#[cfg(feature = "ssr")]
fn kit_version(
    days: &[crate::api::today::TodayVisit],
    visits: &[crate::api::sync::KeptVisit],
) -> Result<String, AppError> {
    let contents = serde_json::to_vec(&(days, visits)).map_err(|error| {
        tracing::error!(%error, "cannot write the kit as JSON");
        AppError::Internal
    })?;
    Ok(crate::hashing::sha256_hex(&contents))
}
