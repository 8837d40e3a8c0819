//! The same day solved by `vrp-core`, the maintained Rust solver for
//! vehicle routing, so `bench plan --vrp-core` can weigh the hand-written
//! planner against it. Built only with the server's `vrp-core` feature:
//! the crate and its dependencies stay out of the product and of CI.
//!
//! vrp-core is given the project's travel model (time-dependent, through
//! its `TransportCost`), the technicians' skills as a hard constraint,
//! their hours as shifts and the visits' windows as hard windows. Visits it
//! cannot place inside a window are then added where they cost the least
//! road, arriving late (or left unplanned when no day has room), so both
//! plans are judged by the same retiming (`planning::time_route`,
//! `planning::violations`) and the same count of arrivals in window.

use std::collections::HashSet;
use std::sync::Arc;

use app::domain::planning::travel::{ModelledTravel, TravelModel};
use app::domain::planning::{time_route, Minute, Plan, PlanProblem, Route, Unplanned};
use app::domain::validation::Coordinates;
use app::domain::work_order::ApplianceCategory;
use vrp_core::models::common::{Distance, Duration, Location, Profile, TimeWindow, Timestamp};
use vrp_core::models::problem::{TravelTime, VehicleIdDimension};
use vrp_core::models::solution::Route as VrpRoute;
use vrp_core::prelude::*;
use vrp_core::rosomaxa::utils::Parallelism;

/// Keys of the job's and the vehicle's own properties in vrp-core's
/// `Dimensions`: the visit's appliance category, the technician's skills.
struct VisitCategory;
struct TechnicianSkills;

/// Only a technician trained for the appliance may take the visit.
struct SkillConstraint {
    code: ViolationCode,
}

impl FeatureConstraint for SkillConstraint {
    fn evaluate(&self, move_ctx: &MoveContext<'_>) -> Option<ConstraintViolation> {
        match move_ctx {
            MoveContext::Route { route_ctx, job, .. } => {
                let skills = route_ctx
                    .route()
                    .actor
                    .vehicle
                    .dimens
                    .get_value::<TechnicianSkills, HashSet<ApplianceCategory>>();
                let category = job.dimens().get_value::<VisitCategory, ApplianceCategory>();
                match (category, skills) {
                    (Some(category), Some(skills)) if skills.contains(category) => None,
                    _ => ConstraintViolation::fail(self.code),
                }
            }
            MoveContext::Activity { .. } => None,
        }
    }
}

/// The project's travel model over a table of road metres. Locations
/// `0..T` are the technicians' starts, `T..T+V` the visits.
struct ModelCosts {
    size: usize,
    metres: Vec<f64>,
    travel: ModelledTravel,
}

impl ModelCosts {
    fn metres(&self, from: Location, to: Location) -> f64 {
        self.metres[from * self.size + to]
    }
}

impl TransportCost for ModelCosts {
    fn duration_approx(&self, _: &Profile, from: Location, to: Location) -> Duration {
        Duration::from(self.travel.minutes_for(self.metres(from, to), 12 * 60))
    }

    fn distance_approx(&self, _: &Profile, from: Location, to: Location) -> Distance {
        self.metres(from, to)
    }

    fn duration(&self, _: &VrpRoute, from: Location, to: Location, at: TravelTime) -> Duration {
        let metres = self.metres(from, to);
        let departs = match at {
            TravelTime::Departure(time) => time,
            // Leaving so as to arrive at `time`: taken as leaving a noon
            // drive's length before.
            TravelTime::Arrival(time) => {
                time - Duration::from(self.travel.minutes_for(metres, 12 * 60))
            }
        };
        Duration::from(
            self.travel
                .minutes_for(metres, departs.max(0.0).floor() as Minute),
        )
    }

    fn distance(&self, _: &VrpRoute, from: Location, to: Location, _: TravelTime) -> Distance {
        self.metres(from, to)
    }
}

/// Solves `problem` with vrp-core for `generations`, then adds what it left
/// out late at the cheapest place.
pub fn plan(
    problem: &PlanProblem,
    travel: ModelledTravel,
    generations: usize,
) -> Result<Plan, GenericError> {
    let technicians = problem.technicians.len();
    let places: Vec<Coordinates> = problem
        .technicians
        .iter()
        .map(|technician| technician.start)
        .chain(problem.visits.iter().map(|visit| visit.place))
        .collect();
    let metres = places
        .iter()
        .flat_map(|&from| places.iter().map(move |&to| (from, to)))
        .map(|(from, to)| travel.metres(from, to))
        .collect();
    let transport: Arc<dyn TransportCost> = Arc::new(ModelCosts {
        size: places.len(),
        metres,
        travel,
    });

    let jobs = problem
        .visits
        .iter()
        .enumerate()
        .map(|(index, visit)| {
            SingleBuilder::default()
                .id(&format!("v{index}"))
                .location(technicians + index)?
                .duration(Duration::from(visit.work_minutes))?
                .times(vec![TimeWindow::new(
                    Timestamp::from(visit.window.0),
                    Timestamp::from(visit.window.1),
                )])?
                .dimension(|dimens| {
                    dimens.set_value::<VisitCategory, _>(visit.category);
                })
                .build_as_job()
        })
        .collect::<Result<Vec<_>, _>>()?;
    let vehicles = problem
        .technicians
        .iter()
        .enumerate()
        .map(|(index, technician)| {
            VehicleBuilder::default()
                .id(&format!("t{index}"))
                .add_detail(
                    VehicleDetailBuilder::default()
                        .set_start_location(index)
                        .set_start_time(Timestamp::from(technician.hours.from_minute()))
                        .set_end_time(Timestamp::from(technician.hours.until_minute()))
                        .build()?,
                )
                .set_distance_cost(1.0)
                .dimension(|dimens| {
                    dimens.set_value::<TechnicianSkills, HashSet<ApplianceCategory>>(
                        ALL_CATEGORIES
                            .into_iter()
                            .filter(|&category| technician.skills.covers(category))
                            .collect(),
                    );
                })
                .build()
        })
        .collect::<Result<Vec<_>, _>>()?;

    let goal = GoalContextBuilder::with_features(&[
        MinimizeUnassignedBuilder::new("min-unassigned").build()?,
        TransportFeatureBuilder::new("min-distance")
            .set_transport_cost(transport.clone())
            .set_time_constrained(true)
            .build_minimize_distance()?,
        FeatureBuilder::default()
            .with_name("skills")
            .with_constraint(SkillConstraint {
                code: ViolationCode::default(),
            })
            .build()?,
    ])?
    .build()?;
    let vrp = Arc::new(
        ProblemBuilder::default()
            .add_jobs(jobs.into_iter())
            .add_vehicles(vehicles.into_iter())
            .with_goal(goal)
            .with_transport_cost(transport)
            .with_logger(Arc::new(|_: &str| {}))
            .build()?,
    );
    // Its own random numbers from a fixed seed, and quiet.
    let environment = Environment::new(
        Arc::new(DefaultRandom::new_repeatable()),
        None,
        Parallelism::default(),
        Arc::new(|_: &str| {}),
        false,
    );
    let config = VrpConfigBuilder::new(vrp.clone())
        .set_environment(Arc::new(environment))
        .prebuild()?
        .with_max_generations(Some(generations))
        .build()?;
    let solution = Solver::new(vrp, config).solve()?;

    let mut orders: Vec<Vec<usize>> = vec![Vec::new(); technicians];
    for route in &solution.routes {
        let technician = index_of(route.actor.vehicle.dimens.get_vehicle_id(), 't')?;
        for activity in route.tour.all_activities() {
            if activity.job.is_some() {
                orders[technician].push(activity.place.location - technicians);
            }
        }
    }
    let mut left: Vec<usize> = (0..problem.visits.len())
        .filter(|visit| !orders.iter().flatten().any(|planned| planned == visit))
        .collect();
    left.sort_by_key(|&visit| problem.visits[visit].window.0);
    let mut unplanned = Vec::new();
    for visit in left {
        if !insert_cheapest(problem, &travel, &mut orders, visit) {
            unplanned.push((visit, Unplanned::NoTimeLeft));
        }
    }
    Ok(Plan {
        routes: orders
            .into_iter()
            .enumerate()
            .map(|(technician, order)| Route {
                technician,
                stops: time_route(problem, technician, order, &travel),
            })
            .collect(),
        unplanned,
    })
}

const ALL_CATEGORIES: [ApplianceCategory; 6] = app::domain::planning::city::CATEGORIES;

fn index_of(id: Option<&String>, prefix: char) -> Result<usize, GenericError> {
    id.and_then(|id| id.strip_prefix(prefix))
        .and_then(|number| number.parse().ok())
        .ok_or_else(|| GenericError::from(format!("vrp-core answered an unknown id {id:?}")))
}

/// Adds `visit` where it adds the least road, within the day, late if need
/// be; false when no trained technician's day has room for it.
fn insert_cheapest(
    problem: &PlanProblem,
    travel: &dyn TravelModel,
    orders: &mut [Vec<usize>],
    visit: usize,
) -> bool {
    let road = |technician: usize, order: &[usize]| -> Option<f64> {
        let stops = time_route(problem, technician, order.iter().copied(), travel);
        let ends = Minute::from(problem.technicians[technician].hours.until_minute());
        (stops.last().is_none_or(|last| last.leaves <= ends))
            .then(|| stops.iter().map(|stop| stop.travel_m).sum())
    };
    let mut best: Option<(f64, usize, usize)> = None;
    for (technician, order) in orders.iter().enumerate() {
        if !problem.technicians[technician]
            .skills
            .covers(problem.visits[visit].category)
        {
            continue;
        }
        let before = road(technician, order).unwrap_or(0.0);
        for position in 0..=order.len() {
            let mut tried = order.clone();
            tried.insert(position, visit);
            if let Some(after) = road(technician, &tried) {
                if best.is_none_or(|(cost, ..)| after - before < cost) {
                    best = Some((after - before, technician, position));
                }
            }
        }
    }
    if let Some((_, technician, position)) = best {
        orders[technician].insert(position, visit);
    }
    best.is_some()
}
