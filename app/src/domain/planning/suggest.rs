//! Who should take one order: the technicians of its region ranked, the
//! best [`SUGGESTED`] proposed with the time they would reach the door and
//! why, and every other technician with the reason they were passed over.
//! The dispatcher decides; a suggestion never assigns.
//!
//! Each technician's day is their other visits in window order; the order
//! is tried at every place in it, and the place that adds the least driving
//! while reaching the door inside the window, making no other visit late
//! and ending inside the working day, is theirs. Ranking: technicians with
//! nothing for the dispatcher to confirm first, then the least added
//! driving, then the lighter day, then the better on-time record.

use serde::{Deserialize, Serialize};

use super::travel::TravelModel;
use super::{time_stops, Minute, Stop};
use crate::domain::assignment::{AssignmentRefused, AssignmentWarning};
use crate::domain::metrics::Rate;
use crate::domain::technician::WorkingHours;
use crate::domain::validation::Coordinates;

/// How many technicians a suggestion proposes.
pub const SUGGESTED: usize = 3;

/// A visit on the technician's day, or the order being placed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DayVisit {
    /// None: the customer's home has no location on record.
    pub place: Option<Coordinates>,
    pub window: (Minute, Minute),
    pub work_minutes: u32,
}

/// A technician of the region as the suggestion weighs them.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    /// What the assignment rules say of this technician for this order.
    pub check: Result<Vec<AssignmentWarning>, AssignmentRefused>,
    pub hours: WorkingHours,
    /// Where the day starts, when known; otherwise the first visit's home.
    pub start: Option<Coordinates>,
    /// Their other visits that day (not cancelled), in any order.
    pub day: Vec<DayVisit>,
    /// Their recent arrivals: on time, out of those due.
    pub on_time: Rate,
}

/// Where the order would fit in a technician's day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fit {
    /// Minutes after local midnight at the customer's door: the drive's
    /// end, or the window's start when the drive ends before it.
    pub arrives: Minute,
    /// Its place in the day: after this many of their visits.
    pub after_visits: usize,
    /// Driving the order adds to the day, in road metres; None when the
    /// order's home has no location.
    pub added_m: Option<f64>,
    /// Visits on the day whose home has no location: their drives are not
    /// counted.
    pub unlocated: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Suggested {
    pub technician: usize,
    pub fit: Fit,
    pub visits_that_day: usize,
    pub on_time: Rate,
    /// What the dispatcher will be asked to confirm on assigning.
    pub warnings: Vec<AssignmentWarning>,
}

/// Why a technician is not among the suggestions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum PassedOver {
    /// The assignment rules refuse them for this order.
    Refused(AssignmentRefused),
    /// No place in their day reaches the door inside the window without
    /// making another visit late or working past their hours; the earliest
    /// they could be there, if at all within the day.
    NoArrivalInWindow { earliest: Option<Minute> },
    /// They could take it, but others fit better: their own figures, to
    /// set against the suggestions'.
    RankedLower(Suggested),
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Suggestions {
    /// Best first, at most [`SUGGESTED`].
    pub best: Vec<Suggested>,
    /// Everyone else, each once, with the reason.
    pub passed_over: Vec<(usize, PassedOver)>,
}

/// Ranks `candidates` (indexed as given) for `order`.
pub fn suggest(order: DayVisit, candidates: &[Candidate], travel: &dyn TravelModel) -> Suggestions {
    let mut able = Vec::new();
    let mut passed_over = Vec::new();
    for (technician, candidate) in candidates.iter().enumerate() {
        let warnings = match &candidate.check {
            Err(refused) => {
                passed_over.push((technician, PassedOver::Refused(refused.clone())));
                continue;
            }
            Ok(warnings) => warnings.clone(),
        };
        match fit(order, candidate, travel) {
            Ok(fit) => able.push(Suggested {
                technician,
                fit,
                visits_that_day: candidate.day.len(),
                on_time: candidate.on_time,
                warnings,
            }),
            Err(earliest) => {
                passed_over.push((technician, PassedOver::NoArrivalInWindow { earliest }))
            }
        }
    }
    able.sort_by(|a, b| rank_key(a).total_cmp_key(&rank_key(b)));
    let lower = able.split_off(able.len().min(SUGGESTED));
    passed_over.extend(
        lower
            .into_iter()
            .map(|suggested| (suggested.technician, PassedOver::RankedLower(suggested))),
    );
    passed_over.sort_by_key(|(technician, _)| *technician);
    Suggestions {
        best: able,
        passed_over,
    }
}

/// Smaller is better, compared field by field.
struct RankKey {
    warnings: usize,
    added_m: f64,
    visits_that_day: usize,
    /// On-time share in thousandths, negated; no record ranks as half.
    late_share: i64,
    technician: usize,
}

impl RankKey {
    fn total_cmp_key(&self, other: &RankKey) -> std::cmp::Ordering {
        self.warnings
            .cmp(&other.warnings)
            .then(self.added_m.total_cmp(&other.added_m))
            .then(self.visits_that_day.cmp(&other.visits_that_day))
            .then(self.late_share.cmp(&other.late_share))
            .then(self.technician.cmp(&other.technician))
    }
}

fn rank_key(suggested: &Suggested) -> RankKey {
    let Rate { count, out_of } = suggested.on_time;
    let share = (count.min(out_of) * 1000)
        .checked_div(out_of)
        .map_or(500, |share| share as i64);
    RankKey {
        warnings: suggested.warnings.len(),
        added_m: suggested.fit.added_m.unwrap_or(0.0),
        visits_that_day: suggested.visits_that_day,
        late_share: -share,
        technician: suggested.technician,
    }
}

/// The best place for `order` in the candidate's day, or the earliest
/// arrival seen when none reaches the door in time.
fn fit(
    order: DayVisit,
    candidate: &Candidate,
    travel: &dyn TravelModel,
) -> Result<Fit, Option<Minute>> {
    let mut day = candidate.day.clone();
    day.sort_by_key(|visit| visit.window);
    // A home with no location is taken to be where the technician last
    // was: its drive is not counted, and the suggestion says how many.
    let known = |visits: &[DayVisit]| -> Vec<Coordinates> {
        let mut at = candidate
            .start
            .or_else(|| visits.iter().find_map(|visit| visit.place));
        visits
            .iter()
            .map(|visit| {
                at = visit.place.or(at);
                at.unwrap_or(FALLBACK)
            })
            .collect()
    };
    let timed = |visits: &[DayVisit]| {
        let places = known(visits);
        let start = candidate
            .start
            .or_else(|| places.first().copied())
            .unwrap_or(FALLBACK);
        time_stops(
            start,
            Minute::from(candidate.hours.from_minute()),
            visits
                .iter()
                .zip(places)
                .enumerate()
                .map(|(index, (visit, place))| (index, place, visit.window, visit.work_minutes)),
            travel,
        )
    };
    let late = |visits: &[DayVisit], stops: &[Stop]| {
        stops
            .iter()
            .zip(visits)
            .filter(|(stop, visit)| stop.arrives > visit.window.1)
            .count()
    };
    let before = timed(&day);
    let late_before = late(&day, &before);
    let road_before: f64 = before.iter().map(|stop| stop.travel_m).sum();
    let day_ends = Minute::from(candidate.hours.until_minute());
    let unlocated = day.iter().filter(|visit| visit.place.is_none()).count();

    let mut best: Option<Fit> = None;
    let mut earliest: Option<Minute> = None;
    for position in 0..=day.len() {
        let mut tried = day.clone();
        tried.insert(position, order);
        let stops = timed(&tried);
        let arrives = stops[position].starts;
        if stops.last().is_some_and(|last| last.leaves > day_ends) {
            continue;
        }
        // The order itself late counts once here; any other is a visit
        // this placing makes late.
        let others_late = late(&tried, &stops) - usize::from(arrives > order.window.1);
        if others_late > late_before {
            continue;
        }
        earliest = Some(earliest.map_or(arrives, |seen| seen.min(arrives)));
        if arrives > order.window.1 {
            continue;
        }
        let road: f64 = stops.iter().map(|stop| stop.travel_m).sum();
        let candidate_fit = Fit {
            arrives,
            after_visits: position,
            added_m: order.place.map(|_| (road - road_before).max(0.0)),
            unlocated,
        };
        let better = match &best {
            None => true,
            Some(seen) => {
                let (a, b) = (
                    candidate_fit.added_m.unwrap_or(0.0),
                    seen.added_m.unwrap_or(0.0),
                );
                a < b - 0.5 || ((a - b).abs() <= 0.5 && candidate_fit.arrives < seen.arrives)
            }
        };
        if better {
            best = Some(candidate_fit);
        }
    }
    best.ok_or(earliest)
}

/// Stands in for a place when neither the technician's start nor any home
/// of the day is located: every drive is then between the same point.
const FALLBACK: Coordinates = Coordinates::NOWHERE;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::planning::travel::ModelledTravel;
    use crate::domain::work_order::ApplianceCategory;
    use proptest::prelude::*;

    fn at(north_km: f64, east_km: f64) -> Coordinates {
        Coordinates::new(31.80 + north_km / 111.2, 117.20 + east_km / 94.5).unwrap()
    }

    fn hours() -> WorkingHours {
        WorkingHours::new(8 * 60, 20 * 60).unwrap()
    }

    fn able(start: Coordinates, day: Vec<DayVisit>) -> Candidate {
        Candidate {
            check: Ok(Vec::new()),
            hours: hours(),
            start: Some(start),
            day,
            on_time: Rate {
                count: 9,
                out_of: 10,
            },
        }
    }

    fn visit(place: Coordinates, from_h: u32) -> DayVisit {
        DayVisit {
            place: Some(place),
            window: (from_h * 60, (from_h + 2) * 60),
            work_minutes: 45,
        }
    }

    #[test]
    fn the_nearest_free_technician_comes_first_with_the_arrival_and_the_added_drive() {
        let order = visit(at(0.0, 0.0), 8);
        let candidates = vec![
            able(at(8.0, 0.0), vec![]),
            able(at(1.0, 0.0), vec![]),
            able(at(4.0, 0.0), vec![]),
            able(at(6.0, 0.0), vec![]),
        ];
        let travel = ModelledTravel::default();
        let found = suggest(order, &candidates, &travel);
        let order_of: Vec<usize> = found.best.iter().map(|s| s.technician).collect();
        assert_eq!(order_of, vec![1, 2, 3]);
        // 1 km north: 1.35 km of road, about 4 minutes at 25 km/h, plus 8
        // to park; leaving at 08:00 in the rush at 15 km/h: 6 minutes.
        let first = &found.best[0];
        assert!((first.fit.added_m.unwrap() - 1350.0).abs() < 20.0);
        assert_eq!(first.fit.arrives, 8 * 60 + 6 + 8);
        assert_eq!(found.passed_over.len(), 1);
        assert!(matches!(
            found.passed_over[0],
            (0, PassedOver::RankedLower(ref lower)) if lower.fit.added_m > first.fit.added_m
        ));
    }

    #[test]
    fn a_refused_technician_is_passed_over_with_the_rule() {
        let order = visit(at(0.0, 0.0), 10);
        let mut untrained = able(at(0.0, 0.0), vec![]);
        untrained.check = Err(AssignmentRefused::NoSkill(
            ApplianceCategory::AirConditioner,
        ));
        let found = suggest(
            order,
            &[untrained, able(at(5.0, 0.0), vec![])],
            &ModelledTravel::default(),
        );
        assert_eq!(found.best.len(), 1);
        assert_eq!(found.best[0].technician, 1);
        assert_eq!(
            found.passed_over,
            vec![(
                0,
                PassedOver::Refused(AssignmentRefused::NoSkill(
                    ApplianceCategory::AirConditioner
                ))
            )]
        );
    }

    #[test]
    fn a_day_that_cannot_reach_the_window_is_passed_over_with_the_earliest_arrival() {
        // Booked 08:00–12:00 right across town from the order at 10–12.
        let far = at(15.0, 15.0);
        let booked = vec![DayVisit {
            place: Some(far),
            window: (8 * 60, 9 * 60),
            work_minutes: 170,
        }];
        let order = visit(at(0.0, 0.0), 10);
        let found = suggest(order, &[able(far, booked)], &ModelledTravel::default());
        assert!(found.best.is_empty());
        match &found.passed_over[..] {
            [(
                0,
                PassedOver::NoArrivalInWindow {
                    earliest: Some(earliest),
                },
            )] => {
                assert!(*earliest > 12 * 60, "{earliest}")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_order_goes_where_it_adds_least_without_making_another_visit_late() {
        // Visits at 2 km and 4 km east; the order at 3 km fits between.
        let day = vec![visit(at(0.0, 4.0), 12), visit(at(0.0, 2.0), 8)];
        let order = visit(at(0.0, 3.0), 10);
        let found = suggest(
            order,
            &[able(at(0.0, 0.0), day)],
            &ModelledTravel::default(),
        );
        let fit = &found.best[0].fit;
        assert_eq!(fit.after_visits, 1);
        // The detour from 2 km to 4 km through 3 km adds nothing.
        assert!(fit.added_m.unwrap() < 50.0, "{:?}", fit.added_m);
    }

    #[test]
    fn a_technician_with_something_to_confirm_ranks_after_one_without() {
        let order = visit(at(0.0, 0.0), 10);
        let mut busy = able(at(0.0, 0.1), vec![]);
        busy.check = Ok(vec![AssignmentWarning::BusyDay { visits: 7 }]);
        let found = suggest(
            order,
            &[busy, able(at(5.0, 0.0), vec![])],
            &ModelledTravel::default(),
        );
        let order_of: Vec<usize> = found.best.iter().map(|s| s.technician).collect();
        assert_eq!(order_of, vec![1, 0]);
        assert_eq!(found.best[1].warnings.len(), 1);
    }

    #[test]
    fn homes_without_a_location_are_counted_not_guessed() {
        let order = DayVisit {
            place: None,
            ..visit(at(0.0, 0.0), 10)
        };
        let day = vec![DayVisit {
            place: None,
            ..visit(at(0.0, 0.0), 8)
        }];
        let found = suggest(
            order,
            &[able(at(0.0, 0.0), day)],
            &ModelledTravel::default(),
        );
        let fit = &found.best[0].fit;
        assert_eq!(fit.added_m, None);
        assert_eq!(fit.unlocated, 1);
    }

    fn candidate_strategy() -> impl Strategy<Value = Candidate> {
        let day_visit = (0.0..10.0f64, 0.0..10.0f64, 8u32..17, any::<bool>()).prop_map(
            |(north, east, from_h, located)| DayVisit {
                place: located.then(|| at(north, east)),
                window: (from_h * 60, (from_h + 2) * 60),
                work_minutes: 45,
            },
        );
        (
            0.0..10.0f64,
            0.0..10.0f64,
            prop::collection::vec(day_visit, 0..9),
            0u8..4,
            0u64..20,
        )
            .prop_map(|(north, east, day, rule, on_time)| Candidate {
                check: match rule {
                    0 => Err(AssignmentRefused::OtherRegion),
                    1 => Ok(vec![AssignmentWarning::BusyDay { visits: day.len() }]),
                    _ => Ok(Vec::new()),
                },
                hours: hours(),
                start: Some(at(north, east)),
                day,
                on_time: Rate {
                    count: on_time.min(10),
                    out_of: 10,
                },
            })
    }

    proptest! {
        /// Every technician is either suggested or passed over with a
        /// reason, once; at most three are suggested, best first, and each
        /// suggestion reaches the door inside the window.
        #[test]
        fn every_technician_is_suggested_or_given_a_reason(
            candidates in prop::collection::vec(candidate_strategy(), 0..10),
            north in 0.0..10.0f64,
            east in 0.0..10.0f64,
            from_h in 8u32..17,
        ) {
            let order = visit(at(north, east), from_h);
            let found = suggest(order, &candidates, &ModelledTravel::default());
            prop_assert!(found.best.len() <= SUGGESTED);
            let mut seen: Vec<usize> = found
                .best
                .iter()
                .map(|s| s.technician)
                .chain(found.passed_over.iter().map(|(t, _)| *t))
                .collect();
            seen.sort_unstable();
            prop_assert_eq!(seen, (0..candidates.len()).collect::<Vec<_>>());
            for suggested in &found.best {
                prop_assert!(suggested.fit.arrives <= order.window.1);
                prop_assert!(candidates[suggested.technician].check.is_ok());
            }
            for pair in found.best.windows(2) {
                prop_assert!(rank_key(&pair[0]).total_cmp_key(&rank_key(&pair[1])).is_lt());
            }
            // Nobody passed over for ranking beats the last suggestion.
            if let Some(last) = found.best.last() {
                for (_, why) in &found.passed_over {
                    if let PassedOver::RankedLower(lower) = why {
                        prop_assert!(rank_key(last).total_cmp_key(&rank_key(lower)).is_lt());
                    }
                }
            }
            // Refusals are exactly the technicians the rules refused.
            for (technician, why) in &found.passed_over {
                prop_assert_eq!(
                    matches!(why, PassedOver::Refused(_)),
                    candidates[*technician].check.is_err()
                );
            }
        }
    }
}
