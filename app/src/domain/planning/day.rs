//! The rest of a region's day, planned again from where everyone is now:
//! the planner's routes set against today's assignments, so the
//! dispatcher sees each change (an order from the queue given to someone,
//! a visit handed from one technician to another) and takes all, some or
//! none of them. Nothing here assigns.
//!
//! What the planner may not move: a visit the dispatcher pinned, and a
//! visit its technician has set off for. A visit already under way is not
//! planned at all: it is where its technician is, and they are free when
//! its work should end. A technician whose working hours are over takes
//! nothing more; the visits they still hold go to others where the rules
//! allow, and those they must keep are listed as outside the plan.

use serde::{Deserialize, Serialize};

use super::solver::{plan, PlannerSettings};
use super::travel::TravelModel;
use super::{time_route, Minute, PlanProblem, PlanTechnician, PlanVisit, Unplanned};
use crate::domain::technician::{Skills, WorkingHours};
use crate::domain::validation::Coordinates;
use crate::domain::work_order::ApplianceCategory;

text_enum! {
    /// Which day the desk plans: what is left of today, or all of
    /// tomorrow (the evening's dispatch).
    pub enum PlanWhich {
        RestOfToday = "rest_of_today",
        Tomorrow = "tomorrow",
    }
}

/// A technician of the region as the rest of the day finds them.
#[derive(Clone, Debug, PartialEq)]
pub struct DayTechnician {
    /// None: an account whose profile names no skills yet; it takes
    /// nothing.
    pub skills: Option<Skills>,
    pub hours: WorkingHours,
    /// Where they are: the home they are working at, or the last they
    /// finished today; None when they have not been anywhere yet today.
    pub at: Option<Coordinates>,
    /// When they are free for the next visit: now, or when the work they
    /// are doing should end.
    pub free_from: Minute,
}

/// Who has a piece of the day's work now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Holder {
    /// An order in the queue: nobody yet.
    Nobody,
    /// Assigned; the plan may hand it to someone else.
    Movable(usize),
    /// Stays with this technician: pinned by the dispatcher, or they have
    /// set off for it.
    Kept(usize),
}

impl Holder {
    pub fn technician(self) -> Option<usize> {
        match self {
            Holder::Nobody => None,
            Holder::Movable(technician) | Holder::Kept(technician) => Some(technician),
        }
    }
}

/// An order or visit still to be made today.
#[derive(Clone, Debug, PartialEq)]
pub struct DayItem {
    /// None: the customer's home has no location on record.
    pub place: Option<Coordinates>,
    pub category: ApplianceCategory,
    pub window: (Minute, Minute),
    pub work_minutes: u32,
    pub holder: Holder,
    /// Technicians the assignment rules refuse for it (trained for
    /// another appliance, not authorised for the brand).
    pub ruled_out: Vec<usize>,
}

/// What the plan does with a piece of work.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    /// Stays with the technician who has it.
    Keeps,
    /// From the queue.
    Takes,
    /// Handed over from another technician.
    TakesOver { from: usize },
}

/// One stop of a technician's proposed route, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposedStop {
    pub item: usize,
    /// Minutes after local midnight at the door, by the travel model: the
    /// drive's end, or the window's start when the drive ends before it.
    pub arrives: Minute,
    pub late: bool,
    pub change: Change,
}

/// Why a piece of work is outside the proposal; it stays as it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotPlanned {
    /// The customer's home has no location, so no drive can be timed.
    NoLocation,
    /// Nobody with time left today may take it under the rules.
    NoSkilledTechnician,
    /// Everyone who may take it would work past their hours.
    NoTimeLeft,
    /// It stays with a technician who takes no more work today (their
    /// hours are over, or they were deactivated).
    HoursOver,
}

/// The figures a day is judged by, as assigned now or as proposed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DayFigures {
    /// Arrivals after the window's end.
    pub late: usize,
    /// Road metres still to drive.
    pub travel_m: f64,
    /// Orders of the day no technician has.
    pub unassigned: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DayProposal {
    /// One route per technician, as given (empty for a technician whose
    /// hours are over).
    pub routes: Vec<Vec<ProposedStop>>,
    pub not_planned: Vec<(usize, NotPlanned)>,
    /// The rest of the day as assigned now: each technician's work in
    /// window order.
    pub now: DayFigures,
    pub proposed: DayFigures,
}

impl DayProposal {
    /// The stops that change an assignment, with their technician.
    pub fn changes(&self) -> impl Iterator<Item = (usize, &ProposedStop)> {
        self.routes
            .iter()
            .enumerate()
            .flat_map(|(technician, route)| {
                route
                    .iter()
                    .filter(|stop| stop.change != Change::Keeps)
                    .map(move |stop| (technician, stop))
            })
    }
}

/// Plans the rest of the day. The same day always gives the same proposal
/// (the planner's rounds and seed are fixed by `settings`).
pub fn propose(
    technicians: &[DayTechnician],
    items: &[DayItem],
    travel: &dyn TravelModel,
    settings: PlannerSettings,
) -> DayProposal {
    // Technicians with time left, as the planner numbers them.
    let mut planner_index = vec![None; technicians.len()];
    let mut planned_technicians = Vec::new();
    for (index, technician) in technicians.iter().enumerate() {
        let (Some(hours), Some(skills)) = (hours_left(technician), technician.skills.clone())
        else {
            continue;
        };
        planner_index[index] = Some(planned_technicians.len());
        planned_technicians.push((
            index,
            PlanTechnician {
                start: technician
                    .at
                    .or_else(|| centre(items, Some(index)))
                    .or_else(|| centre(items, None))
                    .unwrap_or(Coordinates::NOWHERE),
                skills,
                hours,
            },
        ));
    }

    let mut not_planned = Vec::new();
    let mut planned_items = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let Some(place) = item.place else {
            not_planned.push((index, NotPlanned::NoLocation));
            continue;
        };
        let pinned_to = match item.holder {
            Holder::Kept(technician) => match planner_index[technician] {
                Some(planned) => Some(planned),
                None => {
                    not_planned.push((index, NotPlanned::HoursOver));
                    continue;
                }
            },
            Holder::Nobody | Holder::Movable(_) => None,
        };
        planned_items.push((
            index,
            PlanVisit {
                place,
                category: item.category,
                window: item.window,
                work_minutes: item.work_minutes,
                pinned_to,
                ruled_out: item
                    .ruled_out
                    .iter()
                    .filter_map(|&technician| planner_index.get(technician).copied().flatten())
                    .collect(),
            },
        ));
    }

    let problem = PlanProblem {
        technicians: planned_technicians
            .iter()
            .map(|(_, technician)| technician.clone())
            .collect(),
        visits: planned_items
            .iter()
            .map(|(_, visit)| visit.clone())
            .collect(),
    };
    let planned = plan(&problem, travel, settings);

    let mut routes = vec![Vec::new(); technicians.len()];
    let mut proposed = DayFigures::default();
    for route in &planned.routes {
        let technician = planned_technicians[route.technician].0;
        for stop in &route.stops {
            let (item, visit) = &planned_items[stop.visit];
            let late = stop.arrives > visit.window.1;
            proposed.late += usize::from(late);
            proposed.travel_m += stop.travel_m;
            routes[technician].push(ProposedStop {
                item: *item,
                arrives: stop.starts,
                late,
                change: match items[*item].holder {
                    Holder::Nobody => Change::Takes,
                    Holder::Movable(from) | Holder::Kept(from) if from != technician => {
                        Change::TakesOver { from }
                    }
                    Holder::Movable(_) | Holder::Kept(_) => Change::Keeps,
                },
            });
        }
    }
    not_planned.extend(planned.unplanned.iter().map(|&(visit, why)| {
        (
            planned_items[visit].0,
            match why {
                Unplanned::NoSkilledTechnician => NotPlanned::NoSkilledTechnician,
                Unplanned::NoTimeLeft => NotPlanned::NoTimeLeft,
            },
        )
    }));
    not_planned.sort_by_key(|&(item, _)| item);
    proposed.unassigned = not_planned
        .iter()
        .filter(|(item, _)| items[*item].holder == Holder::Nobody)
        .count();

    DayProposal {
        routes,
        now: as_assigned(
            &problem,
            &planned_technicians,
            &planned_items,
            items,
            travel,
        ),
        proposed,
        not_planned,
    }
}

/// The figures of the day as assigned now: each technician with time left
/// does the located work they hold in window order.
fn as_assigned(
    problem: &PlanProblem,
    planned_technicians: &[(usize, PlanTechnician)],
    planned_items: &[(usize, PlanVisit)],
    items: &[DayItem],
    travel: &dyn TravelModel,
) -> DayFigures {
    let mut figures = DayFigures {
        unassigned: items
            .iter()
            .filter(|item| item.holder == Holder::Nobody)
            .count(),
        ..DayFigures::default()
    };
    for (planned, (technician, _)) in planned_technicians.iter().enumerate() {
        let mut held: Vec<usize> = planned_items
            .iter()
            .enumerate()
            .filter(|(_, (item, _))| items[*item].holder.technician() == Some(*technician))
            .map(|(visit, _)| visit)
            .collect();
        held.sort_by_key(|&visit| (problem.visits[visit].window, visit));
        for stop in time_route(problem, planned, held, travel) {
            figures.late += usize::from(stop.arrives > problem.visits[stop.visit].window.1);
            figures.travel_m += stop.travel_m;
        }
    }
    figures
}

/// The working hours still ahead: from when they are free (or their day
/// starts) to the end of their day; None when the day is over.
fn hours_left(technician: &DayTechnician) -> Option<WorkingHours> {
    let from = u16::try_from(technician.free_from)
        .unwrap_or(u16::MAX)
        .max(technician.hours.from_minute());
    WorkingHours::new(from, technician.hours.until_minute()).ok()
}

/// The middle of the located work `holder` has (all of it, for None): where
/// a technician not seen anywhere yet today is taken to start.
fn centre(items: &[DayItem], holder: Option<usize>) -> Option<Coordinates> {
    let places: Vec<Coordinates> = items
        .iter()
        .filter(|item| holder.is_none() || item.holder.technician() == holder)
        .filter_map(|item| item.place)
        .collect();
    if places.is_empty() {
        return None;
    }
    let count = places.len() as f64;
    Coordinates::new(
        places.iter().map(Coordinates::latitude).sum::<f64>() / count,
        places.iter().map(Coordinates::longitude).sum::<f64>() / count,
    )
    .ok()
}

#[cfg(test)]
mod tests {
    use super::super::travel::ModelledTravel;
    use super::*;
    use ApplianceCategory::{AirConditioner, WashingMachine};

    /// A point `north_km` and `east_km` from a corner of Hefei.
    fn at(north_km: f64, east_km: f64) -> Coordinates {
        Coordinates::new(31.75 + north_km / 111.2, 117.15 + east_km / 94.6).unwrap()
    }

    fn technician(skill: ApplianceCategory, place: Coordinates) -> DayTechnician {
        DayTechnician {
            skills: Some(Skills::new(vec![skill]).unwrap()),
            hours: WorkingHours::new(8 * 60, 18 * 60).unwrap(),
            at: Some(place),
            free_from: 9 * 60,
        }
    }

    fn item(
        category: ApplianceCategory,
        place: Coordinates,
        hour: Minute,
        holder: Holder,
    ) -> DayItem {
        DayItem {
            place: Some(place),
            category,
            window: (hour * 60, hour * 60 + 120),
            work_minutes: 45,
            holder,
            ruled_out: Vec::new(),
        }
    }

    fn propose_default(technicians: &[DayTechnician], items: &[DayItem]) -> DayProposal {
        propose(
            technicians,
            items,
            &ModelledTravel::default(),
            PlannerSettings::default(),
        )
    }

    fn holder_in(proposal: &DayProposal, item: usize) -> Option<(usize, ProposedStop)> {
        proposal
            .routes
            .iter()
            .enumerate()
            .find_map(|(technician, route)| {
                route
                    .iter()
                    .find(|stop| stop.item == item)
                    .map(|stop| (technician, *stop))
            })
    }

    #[test]
    fn a_queued_order_goes_to_the_nearest_technician_trained_for_it() {
        let technicians = [
            technician(WashingMachine, at(0.0, 0.0)),
            technician(AirConditioner, at(10.0, 10.0)),
            technician(AirConditioner, at(1.0, 1.0)),
        ];
        let items = [item(AirConditioner, at(0.5, 0.5), 10, Holder::Nobody)];
        let proposal = propose_default(&technicians, &items);
        let (who, stop) = holder_in(&proposal, 0).unwrap();
        assert_eq!(who, 2);
        assert_eq!(stop.change, Change::Takes);
        assert!(!stop.late);
        assert_eq!(proposal.now.unassigned, 1);
        assert_eq!(proposal.proposed.unassigned, 0);
        assert_eq!(proposal.changes().count(), 1);
    }

    #[test]
    fn a_visit_is_handed_over_when_another_is_far_nearer_unless_it_is_kept() {
        let technicians = [
            technician(WashingMachine, at(0.0, 0.0)),
            technician(WashingMachine, at(15.0, 15.0)),
        ];
        let far_away = item(WashingMachine, at(0.2, 0.2), 10, Holder::Movable(1));
        let proposal = propose_default(&technicians, std::slice::from_ref(&far_away));
        let (who, stop) = holder_in(&proposal, 0).unwrap();
        assert_eq!((who, stop.change), (0, Change::TakesOver { from: 1 }));
        assert!(proposal.proposed.travel_m < proposal.now.travel_m);

        let kept = DayItem {
            holder: Holder::Kept(1),
            ..far_away
        };
        let proposal = propose_default(&technicians, &[kept]);
        let (who, stop) = holder_in(&proposal, 0).unwrap();
        assert_eq!((who, stop.change), (1, Change::Keeps));
        assert_eq!(proposal.changes().count(), 0);
        assert_eq!(proposal.now, proposal.proposed);
    }

    #[test]
    fn a_technician_the_rules_refuse_gets_nothing_of_it_however_near() {
        let technicians = [
            technician(WashingMachine, at(0.0, 0.0)),
            technician(WashingMachine, at(12.0, 12.0)),
        ];
        let items = [DayItem {
            ruled_out: vec![0],
            ..item(WashingMachine, at(0.1, 0.1), 10, Holder::Nobody)
        }];
        let proposal = propose_default(&technicians, &items);
        assert_eq!(holder_in(&proposal, 0).unwrap().0, 1);

        let items = [DayItem {
            ruled_out: vec![0, 1],
            ..items[0].clone()
        }];
        let proposal = propose_default(&technicians, &items);
        assert_eq!(holder_in(&proposal, 0), None);
        assert_eq!(
            proposal.not_planned,
            vec![(0, NotPlanned::NoSkilledTechnician)]
        );
        assert_eq!(proposal.proposed.unassigned, 1);
    }

    #[test]
    fn a_technician_at_work_sets_off_from_there_when_that_work_ends() {
        let mut busy = technician(WashingMachine, at(0.0, 0.0));
        busy.free_from = 11 * 60;
        let items = [item(WashingMachine, at(0.0, 0.0), 10, Holder::Nobody)];
        let proposal = propose_default(&[busy], &items);
        let (_, stop) = holder_in(&proposal, 0).unwrap();
        // Same building: a walk down the stairs, at 11:00 and not before.
        assert_eq!(stop.arrives, 11 * 60);
    }

    #[test]
    fn work_without_a_location_or_kept_past_the_hours_stays_as_it_is() {
        let mut done = technician(WashingMachine, at(0.0, 0.0));
        done.free_from = 18 * 60;
        let available = technician(WashingMachine, at(5.0, 5.0));
        let items = [
            DayItem {
                place: None,
                ..item(WashingMachine, at(0.0, 0.0), 10, Holder::Nobody)
            },
            item(WashingMachine, at(1.0, 1.0), 10, Holder::Kept(0)),
            item(WashingMachine, at(1.0, 1.0), 10, Holder::Movable(0)),
        ];
        let proposal = propose_default(&[done, available], &items);
        assert_eq!(
            proposal.not_planned,
            vec![(0, NotPlanned::NoLocation), (1, NotPlanned::HoursOver)]
        );
        assert!(proposal.routes[0].is_empty());
        assert_eq!(
            holder_in(&proposal, 2).map(|(who, stop)| (who, stop.change)),
            Some((1, Change::TakesOver { from: 0 }))
        );
    }

    #[test]
    fn a_technician_not_seen_yet_today_starts_amid_their_own_work() {
        let mut unseen = technician(WashingMachine, at(0.0, 0.0));
        unseen.at = None;
        let items = [
            item(WashingMachine, at(4.0, 4.0), 9, Holder::Kept(0)),
            item(WashingMachine, at(6.0, 6.0), 13, Holder::Kept(0)),
        ];
        let proposal = propose_default(&[unseen], &items);
        let first = proposal.routes[0][0];
        // From the middle (5, 5) km: about 1.4 km as the crow flies, not
        // the 5.7 km from the corner.
        assert!(first.arrives < 9 * 60 + 20, "{first:?}");
    }

    #[test]
    fn the_same_day_gives_the_same_proposal() {
        let technicians: Vec<_> = (0..4)
            .map(|index| technician(WashingMachine, at(f64::from(index) * 3.0, 2.0)))
            .collect();
        let items: Vec<_> = (0..12)
            .map(|index| {
                item(
                    WashingMachine,
                    at(f64::from(index % 5) * 2.5, f64::from(index % 3) * 4.0),
                    9 + index % 6,
                    if index % 2 == 0 {
                        Holder::Nobody
                    } else {
                        Holder::Movable(index as usize % 4)
                    },
                )
            })
            .collect();
        let first = propose_default(&technicians, &items);
        assert_eq!(first, propose_default(&technicians, &items));
        let placed = first.routes.iter().map(Vec::len).sum::<usize>() + first.not_planned.len();
        assert_eq!(placed, items.len());
    }
}
