//! The planner: a vehicle-routing solver with time windows, skills, pins
//! and day ends. It builds a plan by regret insertion (the visit that would
//! lose most by waiting goes in first, at its cheapest place), then
//! improves it by ruin and recreate: take out a few visits (at random, or
//! a visit and its neighbours), put them back by regret insertion, and keep
//! the result when it is no worse than the best so far by a margin that
//! shrinks to nothing. It stops after a fixed number of rounds, so a seed
//! always gives the same plan.
//!
//! The cost of a plan is its road metres, plus a penalty for each late
//! arrival larger than any detour in a city, plus a larger one for each
//! visit left out.

use super::travel::TravelModel;
use super::{time_route, Minute, Plan, PlanProblem, Route, Unplanned};

/// A late arrival costs as much as 100 km of driving...
const LATE_PENALTY_M: f64 = 100_000.0;
/// ...and each minute of it as much as 1 km more, so a plan with the same
/// number of late arrivals but shorter waits is still better.
const LATE_MINUTE_M: f64 = 1_000.0;
/// A visit left out costs as much as 10,000 km.
const UNPLANNED_PENALTY_M: f64 = 10_000_000.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlannerSettings {
    /// Rounds of ruin and recreate.
    pub iterations: u32,
    pub seed: u64,
}

impl Default for PlannerSettings {
    /// Measured with `bench plan`: the rounds that fit comfortably in the
    /// time a dispatcher waits for a region's day (docs/performance.md).
    fn default() -> Self {
        PlannerSettings {
            iterations: 2_000,
            seed: 1,
        }
    }
}

pub fn plan(problem: &PlanProblem, travel: &dyn TravelModel, settings: PlannerSettings) -> Plan {
    let planner = Planner::new(problem, travel);
    let mut rng = fastrand::Rng::with_seed(settings.seed);
    let mut current = planner.empty();
    planner.recreate(&mut current, (0..problem.visits.len()).collect());
    let mut best = current.clone();
    let (mut current_cost, mut best_cost) = (current.cost(), current.cost());
    for round in 0..settings.iterations {
        let mut candidate = current.clone();
        let removed = planner.ruin(&mut candidate, &mut rng);
        planner.recreate(&mut candidate, removed);
        let cost = candidate.cost();
        // Record-to-record: accept a little worse early on, to leave a
        // local optimum; nothing worse at the end.
        let margin =
            0.02 * f64::from(settings.iterations - round) / f64::from(settings.iterations.max(1));
        if cost < best_cost * (1.0 + margin) || cost < current_cost {
            current = candidate;
            current_cost = cost;
            if cost < best_cost - 1e-6 {
                best = current.clone();
                best_cost = cost;
            }
        }
    }
    planner.finish(best)
}

/// A working plan: each technician's visits in order, with their times.
#[derive(Clone)]
struct Working {
    routes: Vec<Vec<usize>>,
    timings: Vec<Timing>,
    unplanned: Vec<usize>,
}

impl Working {
    fn cost(&self) -> f64 {
        self.timings
            .iter()
            .map(|timing| {
                timing.travel_m
                    + LATE_PENALTY_M * f64::from(timing.late_count)
                    + LATE_MINUTE_M * f64::from(timing.late_minutes)
            })
            .sum::<f64>()
            + UNPLANNED_PENALTY_M * self.unplanned.len() as f64
    }
}

#[derive(Clone, Default)]
struct Timing {
    arrives: Vec<Minute>,
    starts: Vec<Minute>,
    leaves: Vec<Minute>,
    travel_m: f64,
    late_count: u32,
    late_minutes: u32,
}

struct Planner<'a> {
    problem: &'a PlanProblem,
    travel: &'a dyn TravelModel,
    /// Road metres between points: the visits, then the technicians' starts.
    metres: Vec<f64>,
    points: usize,
    /// May visit v go to technician t (trained, and not pinned elsewhere)?
    allowed: Vec<Vec<bool>>,
}

impl<'a> Planner<'a> {
    fn new(problem: &'a PlanProblem, travel: &'a dyn TravelModel) -> Self {
        let places: Vec<_> = problem
            .visits
            .iter()
            .map(|visit| visit.place)
            .chain(
                problem
                    .technicians
                    .iter()
                    .map(|technician| technician.start),
            )
            .collect();
        let points = places.len();
        let metres = places
            .iter()
            .flat_map(|&from| places.iter().map(move |&to| (from, to)))
            .map(|(from, to)| travel.metres(from, to))
            .collect();
        let allowed = problem
            .visits
            .iter()
            .map(|visit| {
                problem
                    .technicians
                    .iter()
                    .enumerate()
                    .map(|(index, technician)| visit.allows(index, &technician.skills))
                    .collect()
            })
            .collect();
        Planner {
            problem,
            travel,
            metres,
            points,
            allowed,
        }
    }

    fn start_point(&self, technician: usize) -> usize {
        self.problem.visits.len() + technician
    }

    fn metres(&self, from: usize, to: usize) -> f64 {
        self.metres[from * self.points + to]
    }

    fn empty(&self) -> Working {
        Working {
            routes: vec![Vec::new(); self.problem.technicians.len()],
            timings: vec![Timing::default(); self.problem.technicians.len()],
            unplanned: Vec::new(),
        }
    }

    fn retime(&self, technician: usize, route: &[usize]) -> Timing {
        let mut timing = Timing::default();
        let mut at = self.start_point(technician);
        let mut clock = self.problem.technicians[technician].day_starts();
        for &index in route {
            let visit = &self.problem.visits[index];
            let metres = self.metres(at, index);
            let arrives = clock + self.travel.minutes_for(metres, clock);
            let starts = arrives.max(visit.window.0);
            let late = arrives > visit.window.1;
            clock = starts + visit.work_minutes;
            timing.arrives.push(arrives);
            timing.starts.push(starts);
            timing.leaves.push(clock);
            timing.travel_m += metres;
            timing.late_count += u32::from(late);
            timing.late_minutes += arrives.saturating_sub(visit.window.1);
            at = index;
        }
        timing
    }

    /// The added cost of putting `visit` into `technician`'s route before
    /// position `at`, or None when the day would end too late.
    fn insertion_cost(
        &self,
        working: &Working,
        technician: usize,
        at: usize,
        visit: usize,
    ) -> Option<f64> {
        let (route, timing) = (&working.routes[technician], &working.timings[technician]);
        let who = &self.problem.technicians[technician];
        let new = &self.problem.visits[visit];
        let (before, mut clock) = match at {
            0 => (self.start_point(technician), who.day_starts()),
            _ => (route[at - 1], timing.leaves[at - 1]),
        };
        let to_new = self.metres(before, visit);
        let arrives = clock + self.travel.minutes_for(to_new, clock);
        let lateness = |arrives: Minute, until: Minute| {
            let minutes = arrives.saturating_sub(until);
            (minutes > 0) as u8 as f64 * LATE_PENALTY_M + f64::from(minutes) * LATE_MINUTE_M
        };
        let mut late_change = lateness(arrives, new.window.1);
        clock = arrives.max(new.window.0) + new.work_minutes;
        let mut travel_change = to_new;
        if let Some(&next) = route.get(at) {
            travel_change += self.metres(visit, next) - self.metres(before, next);
        }
        // Push the later visits back; once one starts as before, so does
        // the rest of the day (and an unchanged start means an unchanged
        // lateness: either the arrival is the start, or it waited for the
        // window).
        let mut finishes = clock;
        let mut previous = visit;
        for (position, &later) in route.iter().enumerate().skip(at) {
            let later_visit = &self.problem.visits[later];
            let arrives = clock + self.travel.minutes_for(self.metres(previous, later), clock);
            let starts = arrives.max(later_visit.window.0);
            if starts == timing.starts[position] {
                finishes = *timing.leaves.last().expect("a later visit");
                break;
            }
            late_change += lateness(arrives, later_visit.window.1)
                - lateness(timing.arrives[position], later_visit.window.1);
            clock = starts + later_visit.work_minutes;
            finishes = clock;
            previous = later;
        }
        (finishes <= who.day_ends()).then_some(travel_change + late_change)
    }

    /// The cheapest place in one technician's route, if any.
    fn best_place(
        &self,
        working: &Working,
        technician: usize,
        visit: usize,
    ) -> Option<(f64, usize)> {
        if !self.allowed[visit][technician] {
            return None;
        }
        (0..=working.routes[technician].len())
            .filter_map(|at| {
                self.insertion_cost(working, technician, at, visit)
                    .map(|cost| (cost, at))
            })
            .min_by(|a, b| a.0.total_cmp(&b.0))
    }

    /// Regret insertion: repeatedly place the visit whose best place beats
    /// its second best (in another route) by the most.
    fn recreate(&self, working: &mut Working, mut pending: Vec<usize>) {
        pending.append(&mut working.unplanned);
        pending.sort_unstable();
        pending.dedup();
        let technicians = self.problem.technicians.len();
        let mut places: Vec<Vec<Option<(f64, usize)>>> = pending
            .iter()
            .map(|&visit| {
                (0..technicians)
                    .map(|t| self.best_place(working, t, visit))
                    .collect()
            })
            .collect();
        while !pending.is_empty() {
            let mut chosen: Option<(f64, f64, usize, usize, usize)> = None; // regret, cost, index, technician, at
            for (index, options) in places.iter().enumerate() {
                let mut first: Option<(f64, usize, usize)> = None;
                let mut second = f64::INFINITY;
                for (technician, option) in options.iter().enumerate() {
                    if let Some((cost, at)) = *option {
                        match first {
                            Some((best, _, _)) if cost >= best => second = second.min(cost),
                            _ => {
                                if let Some((best, _, _)) = first {
                                    second = second.min(best);
                                }
                                first = Some((cost, technician, at));
                            }
                        }
                    }
                }
                let Some((cost, technician, at)) = first else {
                    continue;
                };
                let regret = if second.is_finite() {
                    second - cost
                } else {
                    f64::MAX
                };
                let better = match chosen {
                    None => true,
                    Some((best_regret, best_cost, ..)) => {
                        regret > best_regret || (regret == best_regret && cost < best_cost)
                    }
                };
                if better {
                    chosen = Some((regret, cost, index, technician, at));
                }
            }
            let Some((_, _, index, technician, at)) = chosen else {
                // Nothing left fits anywhere.
                working.unplanned.append(&mut pending);
                return;
            };
            let visit = pending.swap_remove(index);
            places.swap_remove(index);
            working.routes[technician].insert(at, visit);
            working.timings[technician] = self.retime(technician, &working.routes[technician]);
            for (options, &visit) in places.iter_mut().zip(&pending) {
                options[technician] = self.best_place(working, technician, visit);
            }
        }
    }

    /// Takes some visits out, in one of four ways: at random; one visit
    /// and its nearest planned neighbours; runs of consecutive visits from
    /// the routes passing nearest one visit; or the late visits with a few
    /// of their neighbours. Returns them (the ones left out before are
    /// tried again by `recreate`).
    fn ruin(&self, working: &mut Working, rng: &mut fastrand::Rng) -> Vec<usize> {
        let planned: Vec<usize> = working.routes.iter().flatten().copied().collect();
        if planned.is_empty() {
            return Vec::new();
        }
        let count = rng.usize(4..=20).min(planned.len());
        let seed = planned[rng.usize(..planned.len())];
        let nearest = |count: usize| {
            let mut nearest = planned.clone();
            nearest.sort_by(|&a, &b| self.metres(seed, a).total_cmp(&self.metres(seed, b)));
            nearest.truncate(count);
            nearest
        };
        let mut removed: Vec<usize> = match rng.usize(..4) {
            0 => {
                let mut chosen = planned.clone();
                rng.shuffle(&mut chosen);
                chosen.truncate(count);
                chosen
            }
            1 => nearest(count),
            2 => {
                let mut strings = Vec::new();
                let mut routes_done = Vec::new();
                for near in nearest(planned.len()) {
                    if strings.len() >= count {
                        break;
                    }
                    let Some(technician) = working
                        .routes
                        .iter()
                        .position(|route| route.contains(&near))
                    else {
                        continue;
                    };
                    if routes_done.contains(&technician) {
                        continue;
                    }
                    routes_done.push(technician);
                    let route = &working.routes[technician];
                    let at = route
                        .iter()
                        .position(|&visit| visit == near)
                        .expect("in the route");
                    let length = rng.usize(1..=5).min(route.len());
                    let first = at
                        .saturating_sub(rng.usize(..length))
                        .min(route.len() - length);
                    strings.extend_from_slice(&route[first..first + length]);
                }
                strings
            }
            _ => {
                let mut late: Vec<usize> = working
                    .routes
                    .iter()
                    .zip(&working.timings)
                    .flat_map(|(route, timing)| {
                        route
                            .iter()
                            .zip(&timing.arrives)
                            .filter(|&(&visit, &arrives)| {
                                arrives > self.problem.visits[visit].window.1
                            })
                            .map(|(&visit, _)| visit)
                    })
                    .collect();
                late.extend(nearest(count / 2));
                late
            }
        };
        removed.sort_unstable();
        removed.dedup();
        for (technician, route) in working.routes.iter_mut().enumerate() {
            let before = route.len();
            route.retain(|visit| removed.binary_search(visit).is_err());
            if route.len() != before {
                working.timings[technician] = self.retime(technician, route);
            }
        }
        removed
    }

    fn finish(&self, working: Working) -> Plan {
        let routes = working
            .routes
            .into_iter()
            .enumerate()
            .map(|(technician, visits)| Route {
                technician,
                stops: time_route(self.problem, technician, visits, self.travel),
            })
            .collect();
        let mut unplanned: Vec<(usize, Unplanned)> = working
            .unplanned
            .into_iter()
            .map(|visit| {
                let why = if self.allowed[visit].iter().any(|&allowed| allowed) {
                    Unplanned::NoTimeLeft
                } else {
                    Unplanned::NoSkilledTechnician
                };
                (visit, why)
            })
            .collect();
        unplanned.sort_by_key(|&(visit, _)| visit);
        Plan { routes, unplanned }
    }
}

#[cfg(test)]
mod tests {
    use super::super::baseline::nearest_first;
    use super::super::city::synthetic_city;
    use super::super::travel::ModelledTravel;
    use super::super::{violations, PlanTechnician, PlanVisit};
    use super::*;
    use crate::domain::technician::{Skills, WorkingHours};
    use crate::domain::validation::Coordinates;
    use crate::domain::work_order::ApplianceCategory;
    use proptest::prelude::*;

    const FEW: PlannerSettings = PlannerSettings {
        iterations: 150,
        seed: 7,
    };

    #[test]
    fn the_plan_keeps_the_rules_and_drives_less_than_the_obvious_plan() {
        let travel = ModelledTravel::default();
        let city = synthetic_city(2);
        let baseline = nearest_first(&city, &travel);
        let planned = plan(&city, &travel, FEW);
        assert_eq!(violations(&city, &planned, &travel), vec![]);
        let (ours, theirs) = (planned.summary(&city), baseline.summary(&city));
        assert!(ours.in_window >= theirs.in_window, "{ours:?} {theirs:?}");
        assert!(ours.travel_m < theirs.travel_m, "{ours:?} {theirs:?}");
    }

    #[test]
    fn a_seed_gives_the_same_plan() {
        let travel = ModelledTravel::default();
        let city = synthetic_city(4);
        assert_eq!(plan(&city, &travel, FEW), plan(&city, &travel, FEW));
    }

    #[test]
    fn a_visit_nobody_is_trained_for_is_left_out_with_the_reason() {
        let travel = ModelledTravel::default();
        let mut city = synthetic_city(1);
        city.visits[5].category = ApplianceCategory::Other;
        let planned = plan(&city, &travel, FEW);
        assert!(planned
            .unplanned
            .contains(&(5, Unplanned::NoSkilledTechnician)));
        assert_eq!(violations(&city, &planned, &travel), vec![]);
    }

    fn at(north_km: f64, east_km: f64) -> Coordinates {
        Coordinates::new(31.75 + north_km / 111.2, 117.15 + east_km / 94.6).unwrap()
    }

    fn small_problem() -> impl Strategy<Value = PlanProblem> {
        let technician = (0.0..10.0f64, 0.0..10.0f64, 0usize..3, 8u16..10, 15u16..21).prop_map(
            |(north, east, skill, from, until)| PlanTechnician {
                start: at(north, east),
                skills: Skills::new(vec![ApplianceCategory::ALL[skill]]).unwrap(),
                hours: WorkingHours::new(from * 60, until * 60).unwrap(),
            },
        );
        let visit = (
            0.0..10.0f64,
            0.0..10.0f64,
            0usize..4,
            8u32..17,
            20u32..90,
            proptest::option::of(0usize..3),
            proptest::option::of(0usize..3),
        )
            .prop_map(
                |(north, east, category, hour, work, pinned, ruled_out)| PlanVisit {
                    place: at(north, east),
                    category: ApplianceCategory::ALL[category],
                    window: (hour * 60, hour * 60 + 120),
                    work_minutes: work,
                    pinned_to: pinned,
                    ruled_out: ruled_out.into_iter().collect(),
                },
            );
        (
            proptest::collection::vec(technician, 1..4),
            proptest::collection::vec(visit, 0..14),
        )
            .prop_map(|(technicians, mut visits)| {
                for visit in &mut visits {
                    visit.pinned_to = visit.pinned_to.filter(|&pinned| pinned < technicians.len());
                    visit
                        .ruled_out
                        .retain(|&ruled_out| ruled_out < technicians.len());
                }
                PlanProblem {
                    technicians,
                    visits,
                }
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Whatever the day: every visit planned once or left out with a
        /// true reason, on a trained technician, pins kept, no day overrun.
        #[test]
        fn any_plan_keeps_the_hard_rules(problem in small_problem(), seed in 0u64..1000) {
            let travel = ModelledTravel::default();
            let planned = plan(&problem, &travel, PlannerSettings { iterations: 30, seed });
            prop_assert_eq!(violations(&problem, &planned, &travel), vec![]);
        }
    }
}
