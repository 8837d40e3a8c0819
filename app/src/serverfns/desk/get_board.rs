use leptos::prelude::*;

use crate::api::desk::Board;
use crate::api::error::AppError;

/// Today's board of the dispatcher's region (an admin names a region, or
/// gets the first by name and the list to pick another from): each
/// technician's lane with their visits, and the orders no one has yet.
#[server(prefix = "/api/desk", endpoint = "board")]
pub async fn get_board(region_id: Option<String>) -> Result<Board, AppError> {
    use crate::api::desk::Lane;
    use crate::context;
    use crate::domain::auth::{Role, VisitScope};
    use crate::domain::ids::RecordId;
    use crate::domain::time::Timestamp;
    use crate::domain::visit::arrival_risk;

    let user = crate::auth::require_role(&[Role::Dispatcher, Role::Admin]).await?;
    let store = context::store()?;
    // An admin works any region: the list to pick from.
    let regions = if user.role == Role::Admin {
        store.region_names().await?
    } else {
        Vec::new()
    };
    let given = region_id
        .as_deref()
        .map(str::trim)
        .filter(|given| !given.is_empty());
    let region = match (given, user.role) {
        (Some(given), _) => given.to_string(),
        (None, Role::Admin) => regions
            .first()
            .map(|(id, _)| id.clone())
            .ok_or(AppError::NotFound)?,
        (None, _) => user.region_id.clone().unwrap_or_default(),
    };
    let region = RecordId::parse("region_id", &region)?;
    if !user.viewer().may_manage_region(region.as_str()) {
        return Err(AppError::Forbidden);
    }
    let now = Timestamp::now();
    let (day_start, day_end) = context::service_zone().day_containing(now);
    let mut visits = store
        .visits_starting_between(day_start, day_end, &VisitScope::Region(region.to_string()))
        .await?;
    for visit in &mut visits {
        visit.risk = arrival_risk(visit.window, visit.status, now);
    }
    // A deactivated technician keeps a lane only while visits of
    // the day are still open on it, so the dispatcher sees them and
    // hands them on; it takes no new work.
    let lanes = store
        .technicians_of_region(&region)
        .await?
        .into_iter()
        .map(|technician| Lane {
            visits: visits
                .iter()
                .filter(|visit| visit.technician_id.as_deref() == Some(technician.id.as_str()))
                .cloned()
                .collect(),
            technician_id: technician.id.to_string(),
            name: technician.name,
            skills: technician.skills,
            brands: technician.brands.names().map(str::to_owned).collect(),
            working_hours: technician.working_hours,
            active: technician.active,
        })
        .filter(|lane| lane.active || lane.visits.iter().any(|visit| !visit.status.is_final()))
        .collect();
    Ok(Board {
        queue: store.unassigned_orders(&region).await?,
        held: store.held_work_in_region(&region).await?,
        region_id: region.to_string(),
        regions,
        lanes,
    })
}
