use leptos::prelude::*;

use crate::api::desk::DayPlan;
use crate::api::error::AppError;

/// A region's day planned again (a dispatcher's own; an admin names one):
/// `which` is `rest_of_today` (the default: from where everyone is now)
/// or `tomorrow` (the whole day ahead). Every technician's route, the
/// queue's orders of that day placed, and each change to the day's
/// assignments marked. `pinned`: comma-separated visit ids the planner
/// must leave with their technician. Proposes only: taking a change is
/// `assign_technician`.
#[server(prefix = "/api/desk", endpoint = "plan")]
pub async fn get_day_plan(
    region_id: Option<String>,
    which: Option<String>,
    pinned: Option<String>,
) -> Result<DayPlan, AppError> {
    use std::collections::HashSet;

    use crate::api::desk::{NotPlannedWork, PlannedLane, PlannedStop, PlannedWork};
    use crate::context;
    use crate::domain::auth::Role;
    use crate::domain::ids::RecordId;
    use crate::domain::planning::day::{propose, Holder, PlanWhich};
    use crate::domain::planning::solver::PlannerSettings;
    use crate::domain::planning::travel::ModelledTravel;
    use crate::domain::time::Timestamp;
    use crate::store::day_plan::PlanDay;

    let user = crate::auth::require_role(&[Role::Dispatcher, Role::Admin]).await?;
    let (region, _) = super::desk_region(&user, region_id.as_deref()).await?;
    let pinned: HashSet<String> = pinned
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(|id| RecordId::parse("pinned", id).map(|id| id.to_string()))
        .collect::<Result<_, _>>()?;
    let which = match which.as_deref().map(str::trim).filter(|w| !w.is_empty()) {
        None => PlanWhich::RestOfToday,
        Some(given) => PlanWhich::parse(given).ok_or_else(|| AppError::InvalidInput {
            field: "which".into(),
            message: "rest_of_today or tomorrow".into(),
            problem: None,
        })?,
    };
    let now = Timestamp::now();
    let zone = context::service_zone();
    let today = zone.day_containing(now);
    let (starts, ends, now) = match which {
        PlanWhich::RestOfToday => (today.0, today.1, now),
        PlanWhich::Tomorrow => {
            let (starts, ends) = zone.day_containing(today.1);
            (starts, ends, starts)
        }
    };
    let store = context::store()?;
    let inputs = store
        .day_plan_inputs(&region, PlanDay { starts, ends, now }, &pinned)
        .await?;
    let (technicians, items): (Vec<_>, Vec<_>) = (
        inputs.technicians.iter().map(|t| t.day.clone()).collect(),
        inputs.items.iter().map(|item| item.day.clone()).collect(),
    );
    // The planner is a second of arithmetic: off the request threads.
    let proposal = tokio::task::spawn_blocking(move || {
        propose(
            &technicians,
            &items,
            &ModelledTravel::default(),
            PlannerSettings::default(),
        )
    })
    .await
    .map_err(|error| {
        tracing::error!(%error, "the day planner stopped");
        AppError::Internal
    })?;

    let work = |item: usize| {
        let row = &inputs.items[item];
        PlannedWork {
            work_order_id: row.work_order_id.clone(),
            visit_id: row.visit_id.clone(),
            customer_name: row.customer_name.clone(),
            window: row.window,
            utc_offset: row.utc_offset,
            kept: matches!(row.day.holder, Holder::Kept(_)),
            holder_name: row
                .day
                .holder
                .technician()
                .map(|technician| inputs.technicians[technician].name.clone()),
        }
    };
    Ok(DayPlan {
        region_id: region.to_string(),
        which,
        lanes: inputs
            .technicians
            .iter()
            .zip(&proposal.routes)
            .filter(|(technician, route)| technician.active || !route.is_empty())
            .map(|(technician, route)| PlannedLane {
                technician_id: technician.id.to_string(),
                name: technician.name.clone(),
                stops: route
                    .iter()
                    .map(|stop| PlannedStop {
                        work: work(stop.item),
                        arrives: stop.arrives,
                        late: stop.late,
                        change: stop.change,
                    })
                    .collect(),
            })
            .collect(),
        not_planned: proposal
            .not_planned
            .iter()
            .map(|&(item, why)| NotPlannedWork {
                work: work(item),
                why,
            })
            .collect(),
        now: proposal.now,
        proposed: proposal.proposed,
    })
}
