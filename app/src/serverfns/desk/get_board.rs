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
    use crate::domain::time::Timestamp;
    use crate::domain::visit::arrival_risk;

    let user = crate::auth::require_role(&[Role::Dispatcher, Role::Admin]).await?;
    let (region, regions) = super::desk_region(&user, region_id.as_deref()).await?;
    let store = context::store()?;
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
