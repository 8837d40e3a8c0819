//! The plan a dispatcher would make by hand, to measure the planner
//! against: visits in order of window start, each to the trained
//! technician nearest to where they will be, among those who can still
//! arrive inside the window.

use super::travel::TravelModel;
use super::{time_route, Plan, PlanProblem, Route, Unplanned};

pub fn nearest_first(problem: &PlanProblem, travel: &dyn TravelModel) -> Plan {
    let mut order: Vec<usize> = (0..problem.visits.len()).collect();
    order.sort_by_key(|&visit| (problem.visits[visit].window.0, visit));
    let mut routes: Vec<Vec<usize>> = vec![Vec::new(); problem.technicians.len()];
    let mut unplanned = Vec::new();
    for visit in order {
        let wanted = &problem.visits[visit];
        // (in window, distance) for each technician who may take it and
        // still finish the day in time.
        let mut best: Option<(bool, f64, usize)> = None;
        let mut anyone_trained = false;
        for (technician, who) in problem.technicians.iter().enumerate() {
            if !who.skills.covers(wanted.category)
                || wanted.pinned_to.is_some_and(|pinned| pinned != technician)
            {
                continue;
            }
            anyone_trained = true;
            let route = &routes[technician];
            let last_place = route
                .last()
                .map_or(who.start, |&last| problem.visits[last].place);
            let timed = time_route(
                problem,
                technician,
                route.iter().copied().chain([visit]),
                travel,
            );
            let stop = timed.last().expect("the new visit");
            if stop.leaves > who.day_ends() {
                continue;
            }
            let candidate = (
                stop.arrives <= wanted.window.1,
                travel.metres(last_place, wanted.place),
                technician,
            );
            let better = match best {
                None => true,
                // Inside the window first, then nearest.
                Some((in_window, metres, _)) => {
                    (candidate.0 && !in_window)
                        || (candidate.0 == in_window && candidate.1 < metres)
                }
            };
            if better {
                best = Some(candidate);
            }
        }
        match best {
            Some((_, _, technician)) => routes[technician].push(visit),
            None if anyone_trained => unplanned.push((visit, Unplanned::NoTimeLeft)),
            None => unplanned.push((visit, Unplanned::NoSkilledTechnician)),
        }
    }
    Plan {
        routes: routes
            .into_iter()
            .enumerate()
            .map(|(technician, visits)| Route {
                technician,
                stops: time_route(problem, technician, visits, travel),
            })
            .collect(),
        unplanned,
    }
}
