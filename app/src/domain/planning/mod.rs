//! Planning a region's day: which technician takes which visit, and in what
//! order. A plan keeps the hard rules (a visit goes to a technician trained
//! for its appliance, a pinned visit stays with its technician, no
//! technician works past the end of their day) and, within them, gets as
//! many technicians to the door inside the agreed window as it can, on as
//! little driving as it can. Late arrivals are allowed but cost far more
//! than any detour: a customer waiting at home is what the standard is
//! about.
//!
//! Times are minutes after the region's local midnight: a plan is for one
//! day. Routes are open: they start where the technician starts the day
//! and end at their last visit (the drive home is theirs).
//!
//! - [`travel`]: how long a drive takes, behind one trait.
//! - [`solver::plan`]: the planner (insertion, then ruin and recreate).
//! - [`day::propose`]: the rest of a region's day planned again, as
//!   changes to the assignments the dispatcher can take or leave.
//! - [`suggest::suggest`]: who should take one order, and why the others
//!   should not.
//! - [`baseline::nearest_first`]: the obvious plan, for comparison.
//! - [`city::synthetic_city`]: the fixed test city of the plan benchmark.

pub mod baseline;
pub mod city;
pub mod day;
pub mod solver;
pub mod suggest;
pub mod travel;

use serde::{Deserialize, Serialize};

use super::technician::{Skills, WorkingHours};
use super::validation::Coordinates;
use super::work_order::ApplianceCategory;
use travel::TravelModel;

/// Minutes after local midnight.
pub type Minute = u32;

#[derive(Clone, Debug, PartialEq)]
pub struct PlanTechnician {
    /// Where the day starts: home, or the first visit's neighbourhood.
    pub start: Coordinates,
    pub skills: Skills,
    pub hours: WorkingHours,
}

impl PlanTechnician {
    pub fn day_starts(&self) -> Minute {
        Minute::from(self.hours.from_minute())
    }

    pub fn day_ends(&self) -> Minute {
        Minute::from(self.hours.until_minute())
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct PlanVisit {
    pub place: Coordinates,
    pub category: ApplianceCategory,
    /// The technician should be at the door from `window.0` up to
    /// `window.1`; earlier, they wait outside until `window.0`.
    pub window: (Minute, Minute),
    pub work_minutes: u32,
    /// The dispatcher's pin: this technician keeps the visit.
    pub pinned_to: Option<usize>,
    /// Technicians the assignment rules refuse for it beyond their skills
    /// (not authorised for the brand, say).
    pub ruled_out: Vec<usize>,
}

impl PlanVisit {
    /// May `technician` (trained for `skills`) take this visit?
    pub fn allows(&self, technician: usize, skills: &Skills) -> bool {
        skills.covers(self.category)
            && self.pinned_to.is_none_or(|pinned| pinned == technician)
            && !self.ruled_out.contains(&technician)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct PlanProblem {
    pub technicians: Vec<PlanTechnician>,
    pub visits: Vec<PlanVisit>,
}

/// One visit on a route, as the travel model times it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stop {
    pub visit: usize,
    /// At the door.
    pub arrives: Minute,
    /// Work starts: the arrival, or the window's start when early.
    pub starts: Minute,
    pub leaves: Minute,
    /// The drive here, in road metres.
    pub travel_m: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Route {
    pub technician: usize,
    pub stops: Vec<Stop>,
}

/// Why a visit is left out of the plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unplanned {
    /// Nobody in the region is trained for the appliance (or the technician
    /// it is pinned to is not).
    NoSkilledTechnician,
    /// Every technician who could take it would work past the end of
    /// their day.
    NoTimeLeft,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// One route per technician, in the problem's order.
    pub routes: Vec<Route>,
    pub unplanned: Vec<(usize, Unplanned)>,
}

/// The figures a dispatcher (and the benchmark) judges a plan by.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlanSummary {
    pub visits: usize,
    pub planned: usize,
    /// Planned visits reached inside their window.
    pub in_window: usize,
    pub travel_m: f64,
}

impl PlanSummary {
    /// Share of all the day's visits (planned or not) reached inside their
    /// window.
    pub fn in_window_share(&self) -> f64 {
        if self.visits == 0 {
            1.0
        } else {
            self.in_window as f64 / self.visits as f64
        }
    }
}

impl Plan {
    pub fn summary(&self, problem: &PlanProblem) -> PlanSummary {
        let stops = || self.routes.iter().flat_map(|route| route.stops.iter());
        PlanSummary {
            visits: problem.visits.len(),
            planned: stops().count(),
            in_window: stops()
                .filter(|stop| stop.arrives <= problem.visits[stop.visit].window.1)
                .count(),
            travel_m: stops().map(|stop| stop.travel_m).sum(),
        }
    }
}

/// A broken hard rule, found by re-timing the plan from scratch.
#[derive(Clone, Debug, PartialEq)]
pub enum Violation {
    NotTrained {
        visit: usize,
        technician: usize,
    },
    PinnedElsewhere {
        visit: usize,
        technician: usize,
    },
    /// Given to a technician the assignment rules refuse for it.
    RuledOut {
        visit: usize,
        technician: usize,
    },
    PastDayEnd {
        technician: usize,
        finishes: Minute,
    },
    /// Planned twice, or both planned and left out.
    Duplicated {
        visit: usize,
    },
    /// Neither planned nor left out.
    Missing {
        visit: usize,
    },
    /// Left out though a trained technician exists (for `NoSkilledTechnician`).
    WronglyUnplanned {
        visit: usize,
    },
    /// The route's times are not what the travel model gives.
    Mistimed {
        visit: usize,
    },
    UnknownTechnician {
        technician: usize,
    },
    /// A stop or a left-out entry naming a visit the problem does not have.
    UnknownVisit {
        visit: usize,
    },
}

/// Every hard rule the plan breaks; empty for a valid plan. Times are
/// recomputed from the route order, so a plan cannot pass on its own word.
pub fn violations(problem: &PlanProblem, plan: &Plan, travel: &dyn TravelModel) -> Vec<Violation> {
    let mut found = Vec::new();
    let mut seen = vec![0usize; problem.visits.len()];
    for route in &plan.routes {
        let Some(technician) = problem.technicians.get(route.technician) else {
            found.push(Violation::UnknownTechnician {
                technician: route.technician,
            });
            continue;
        };
        let unknown: Vec<usize> = route
            .stops
            .iter()
            .map(|stop| stop.visit)
            .filter(|&visit| visit >= problem.visits.len())
            .collect();
        if !unknown.is_empty() {
            found.extend(
                unknown
                    .into_iter()
                    .map(|visit| Violation::UnknownVisit { visit }),
            );
            continue;
        }
        let retimed = time_route(
            problem,
            route.technician,
            route.stops.iter().map(|stop| stop.visit),
            travel,
        );
        for (stop, expected) in route.stops.iter().zip(&retimed) {
            let visit = &problem.visits[stop.visit];
            seen[stop.visit] += 1;
            if !technician.skills.covers(visit.category) {
                found.push(Violation::NotTrained {
                    visit: stop.visit,
                    technician: route.technician,
                });
            }
            if visit
                .pinned_to
                .is_some_and(|pinned| pinned != route.technician)
            {
                found.push(Violation::PinnedElsewhere {
                    visit: stop.visit,
                    technician: route.technician,
                });
            }
            if visit.ruled_out.contains(&route.technician) {
                found.push(Violation::RuledOut {
                    visit: stop.visit,
                    technician: route.technician,
                });
            }
            if (stop.arrives, stop.starts, stop.leaves)
                != (expected.arrives, expected.starts, expected.leaves)
                || (stop.travel_m - expected.travel_m).abs() > 0.5
            {
                found.push(Violation::Mistimed { visit: stop.visit });
            }
        }
        if let Some(last) = retimed.last() {
            if last.leaves > technician.day_ends() {
                found.push(Violation::PastDayEnd {
                    technician: route.technician,
                    finishes: last.leaves,
                });
            }
        }
    }
    for &(visit, why) in &plan.unplanned {
        if visit >= seen.len() {
            found.push(Violation::UnknownVisit { visit });
            continue;
        }
        seen[visit] += 1;
        if why == Unplanned::NoSkilledTechnician
            && problem
                .technicians
                .iter()
                .enumerate()
                .any(|(index, technician)| problem.visits[visit].allows(index, &technician.skills))
        {
            found.push(Violation::WronglyUnplanned { visit });
        }
    }
    for (visit, &times) in seen.iter().enumerate() {
        match times {
            0 => found.push(Violation::Missing { visit }),
            1 => {}
            _ => found.push(Violation::Duplicated { visit }),
        }
    }
    found
}

/// Times a technician's visits in the given order: each drive leaves when
/// the previous visit ends, an early arrival waits for the window.
pub fn time_route(
    problem: &PlanProblem,
    technician: usize,
    visits: impl IntoIterator<Item = usize>,
    travel: &dyn TravelModel,
) -> Vec<Stop> {
    let who = &problem.technicians[technician];
    time_stops(
        who.start,
        who.day_starts(),
        visits.into_iter().map(|index| {
            let visit = &problem.visits[index];
            (index, visit.place, visit.window, visit.work_minutes)
        }),
        travel,
    )
}

/// [`time_route`] for any list of stops: (index, place, window, minutes of
/// work), leaving `start` at `clock`.
pub fn time_stops(
    start: Coordinates,
    clock: Minute,
    visits: impl IntoIterator<Item = (usize, Coordinates, (Minute, Minute), u32)>,
    travel: &dyn TravelModel,
) -> Vec<Stop> {
    let (mut at, mut clock) = (start, clock);
    visits
        .into_iter()
        .map(|(index, place, window, work_minutes)| {
            let leg = travel.leg(at, place, clock);
            let arrives = clock + leg.minutes;
            let starts = arrives.max(window.0);
            let leaves = starts + work_minutes;
            at = place;
            clock = leaves;
            Stop {
                visit: index,
                arrives,
                starts,
                leaves,
                travel_m: leg.metres,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::city::synthetic_city;
    use super::travel::ModelledTravel;
    use super::*;

    #[test]
    fn a_stop_naming_no_visit_of_the_problem_is_reported_not_timed() {
        let problem = synthetic_city(1);
        let travel = ModelledTravel::default();
        let mut plan = baseline::nearest_first(&problem, &travel);
        let route = plan
            .routes
            .iter_mut()
            .find(|route| !route.stops.is_empty())
            .unwrap();
        route.stops[0].visit = 999;
        plan.unplanned.push((1000, Unplanned::NoTimeLeft));
        let found = violations(&problem, &plan, &travel);
        assert!(found.contains(&Violation::UnknownVisit { visit: 999 }));
        assert!(found.contains(&Violation::UnknownVisit { visit: 1000 }));
    }

    #[test]
    fn a_plan_that_breaks_the_rules_is_caught_on_retiming() {
        let problem = synthetic_city(1);
        let travel = ModelledTravel::default();
        let mut plan = baseline::nearest_first(&problem, &travel);
        assert_eq!(violations(&problem, &plan, &travel), vec![]);

        // Claim an earlier arrival than the drive allows.
        let route = plan
            .routes
            .iter_mut()
            .find(|route| !route.stops.is_empty())
            .unwrap();
        route.stops[0].arrives -= 1;
        let visit = route.stops[0].visit;
        assert!(violations(&problem, &plan, &travel).contains(&Violation::Mistimed { visit }));

        // Move a visit to a technician not trained for it.
        let mut plan = baseline::nearest_first(&problem, &travel);
        let (from, to) = (0..plan.routes.len())
            .flat_map(|a| (0..plan.routes.len()).map(move |b| (a, b)))
            .find(|&(a, b)| {
                plan.routes[a].stops.first().is_some_and(|stop| {
                    !problem.technicians[b]
                        .skills
                        .covers(problem.visits[stop.visit].category)
                })
            })
            .unwrap();
        let stop = plan.routes[from].stops.remove(0);
        plan.routes[to].stops.push(stop);
        let found = violations(&problem, &plan, &travel);
        assert!(
            found.contains(&Violation::NotTrained {
                visit: stop.visit,
                technician: to
            }),
            "{found:?}"
        );

        // Drop a visit altogether.
        let mut plan = baseline::nearest_first(&problem, &travel);
        let dropped = plan
            .routes
            .iter_mut()
            .find_map(|route| route.stops.pop())
            .unwrap();
        assert!(
            violations(&problem, &plan, &travel).contains(&Violation::Missing {
                visit: dropped.visit
            })
        );
    }
}
