//! The service standard's figures as pure functions. The dashboard's SQL must
//! agree with these; tests check that on generated data.
//!
//! Edge cases, decided once here:
//! - On time: the check-in lies in `[start − grace, end + grace]` of the
//!   agreed window. Before that it is *early* (the customer may not be home:
//!   not on time, but not untimely either); after it, *late*.
//! - A visit never checked in is *missed* (counted late) once `end + grace`
//!   has passed; before that it is not yet due and counts nowhere.
//! - Cancelled visits count nowhere: nobody was due at the door.
//! - First-visit fix is provisional until the recall window has passed: a
//!   repeat call inside it turns a fix into a miss, so a recent period's rate
//!   can still fall.
//! - Rates with nothing to count are `None`, never 0 % or 100 %.

use serde::{Deserialize, Serialize};

use super::signoff::Ratings;
use super::time::{AppointmentWindow, Timestamp};

pub const MINUTE_MS: i64 = 60_000;
pub const DAY_MS: i64 = 24 * 60 * MINUTE_MS;

/// Tolerance around the appointment window, in minutes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grace {
    minutes: u16,
}

impl Grace {
    /// Four hours is already a different appointment.
    pub const MAX_MINUTES: u16 = 240;
    pub const NONE: Grace = Grace { minutes: 0 };

    pub fn from_minutes(minutes: u16) -> Option<Grace> {
        (minutes <= Self::MAX_MINUTES).then_some(Grace { minutes })
    }

    pub fn millis(self) -> i64 {
        i64::from(self.minutes) * MINUTE_MS
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Punctuality {
    OnTime,
    Early,
    Late,
    /// Never checked in and the window (plus grace) has passed.
    Missed,
    /// Not checked in, and there is still time.
    NotYetDue,
}

impl Punctuality {
    pub fn is_due(self) -> bool {
        self != Punctuality::NotYetDue
    }

    /// Counted by the untimely-rate control (服务不及时率).
    pub fn is_untimely(self) -> bool {
        matches!(self, Punctuality::Late | Punctuality::Missed)
    }
}

pub fn punctuality(
    window: AppointmentWindow,
    check_in: Option<Timestamp>,
    grace: Grace,
    now: Timestamp,
) -> Punctuality {
    let earliest = window.start().unix_millis().saturating_sub(grace.millis());
    let latest = window.end().unix_millis().saturating_add(grace.millis());
    match check_in {
        Some(at) if at.unix_millis() < earliest => Punctuality::Early,
        Some(at) if at.unix_millis() <= latest => Punctuality::OnTime,
        Some(_) => Punctuality::Late,
        None if now.unix_millis() > latest => Punctuality::Missed,
        None => Punctuality::NotYetDue,
    }
}

/// A count over a count, with the share and parts-per-million derived.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rate {
    pub count: u64,
    pub out_of: u64,
}

impl std::ops::Add for Rate {
    type Output = Rate;

    fn add(self, other: Rate) -> Rate {
        Rate {
            count: self.count + other.count,
            out_of: self.out_of + other.out_of,
        }
    }
}

impl Rate {
    pub fn share(self) -> Option<f64> {
        (self.out_of > 0).then(|| self.count as f64 / self.out_of as f64)
    }

    /// Parts per million, rounded half up.
    pub fn ppm(self) -> Option<u64> {
        (self.out_of > 0).then(|| {
            let scaled = u128::from(self.count) * 1_000_000;
            let out_of = u128::from(self.out_of);
            ((scaled + out_of / 2) / out_of) as u64
        })
    }
}

/// The three controls (三个控制) each aim below this.
pub const CONTROL_TARGET_PPM: u64 = 10;

pub fn meets_control_target(rate: Rate) -> Option<bool> {
    rate.ppm().map(|ppm| ppm < CONTROL_TARGET_PPM)
}

/// One visit as the arrival figures see it.
#[derive(Clone, Copy, Debug)]
pub struct VisitArrival {
    pub window: AppointmentWindow,
    pub check_in: Option<Timestamp>,
    pub cancelled: bool,
}

/// On-time arrival rate (随叫随到): on-time check-ins over visits due.
pub fn on_time_rate(visits: &[VisitArrival], grace: Grace, now: Timestamp) -> Rate {
    arrival_rate(visits, grace, now, |p| p == Punctuality::OnTime)
}

/// Untimely rate (服务不及时率): late or missed arrivals over visits due.
pub fn untimely_rate(visits: &[VisitArrival], grace: Grace, now: Timestamp) -> Rate {
    arrival_rate(visits, grace, now, Punctuality::is_untimely)
}

fn arrival_rate(
    visits: &[VisitArrival],
    grace: Grace,
    now: Timestamp,
    counts: impl Fn(Punctuality) -> bool,
) -> Rate {
    visits
        .iter()
        .filter(|visit| !visit.cancelled)
        .map(|visit| punctuality(visit.window, visit.check_in, grace, now))
        .filter(|p| p.is_due())
        .fold(Rate::default(), |rate, p| Rate {
            count: rate.count + u64::from(counts(p)),
            out_of: rate.out_of + 1,
        })
}

/// How a finished visit ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitResult {
    Fixed,
    NotFixed,
}

/// A visit of a work order, as first-visit fix sees it.
#[derive(Clone, Copy, Debug, Default)]
pub struct OrderVisit {
    pub arrived_at: Option<Timestamp>,
    pub finished_at: Option<Timestamp>,
    pub result: Option<VisitResult>,
    pub cancelled: bool,
}

/// A work order with what first-visit fix needs to judge it.
#[derive(Clone, Debug)]
pub struct OrderForFix<'a> {
    pub id: &'a str,
    pub appliance_id: &'a str,
    pub fault_category: &'a str,
    pub registered_at: Timestamp,
    /// In the order they were made.
    pub visits: Vec<OrderVisit>,
}

impl OrderForFix<'_> {
    /// The first visit that was not cancelled: the one first-visit fix,
    /// the response times and the dashboard's scope are about.
    pub fn first_visit(&self) -> Option<&OrderVisit> {
        self.visits.iter().find(|v| !v.cancelled)
    }
}

/// Repeat calls for the same appliance and fault inside this many days after
/// the fix turn the fix into a miss.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecallWindow {
    days: u16,
}

impl RecallWindow {
    pub const DEFAULT: RecallWindow = RecallWindow { days: 30 };

    pub fn from_days(days: u16) -> Option<RecallWindow> {
        (1..=365).contains(&days).then_some(RecallWindow { days })
    }

    pub fn millis(self) -> i64 {
        i64::from(self.days) * DAY_MS
    }
}

/// How an order's first visit turned out, once it has finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FirstVisitVerdict {
    pub fixed_by_first: bool,
    pub needed_another_visit: bool,
    /// Another order for the same appliance and fault, registered after this
    /// one and within the recall window after the first visit finished.
    pub repeat_call: bool,
}

impl FirstVisitVerdict {
    pub fn is_first_visit_fix(self) -> bool {
        self.fixed_by_first && !self.needed_another_visit && !self.repeat_call
    }
}

/// `None` until the first visit has finished. `orders` is the set searched
/// for repeat calls.
pub fn first_visit_verdict(
    order: &OrderForFix<'_>,
    orders: &[OrderForFix<'_>],
    recall: RecallWindow,
) -> Option<FirstVisitVerdict> {
    let mut active = order.visits.iter().filter(|v| !v.cancelled);
    let first = active.next()?;
    let finished_at = first.finished_at?;
    let recall_until = finished_at.unix_millis().saturating_add(recall.millis());
    Some(FirstVisitVerdict {
        fixed_by_first: first.result == Some(VisitResult::Fixed),
        needed_another_visit: active.next().is_some(),
        repeat_call: orders.iter().any(|other| {
            other.id != order.id
                && other.appliance_id == order.appliance_id
                && other.fault_category == order.fault_category
                && other.registered_at > order.registered_at
                && other.registered_at.unix_millis() <= recall_until
        }),
    })
}

/// First-visit fix rate (到了就好): of the work orders whose first visit has
/// finished, those fixed by it with no further visit and no repeat order for
/// the same appliance and fault registered within the recall window after
/// that visit. `orders` is also the set searched for repeat calls.
pub fn first_visit_fix_rate(orders: &[OrderForFix<'_>], recall: RecallWindow) -> Rate {
    verdict_rate(orders, recall, FirstVisitVerdict::is_first_visit_fix)
}

/// Repeat-call rate: of the same orders, those followed by a repeat call
/// inside the recall window (the repeat-call side of first-visit fix).
pub fn repeat_call_rate(orders: &[OrderForFix<'_>], recall: RecallWindow) -> Rate {
    verdict_rate(orders, recall, |verdict| verdict.repeat_call)
}

fn verdict_rate(
    orders: &[OrderForFix<'_>],
    recall: RecallWindow,
    counts: impl Fn(FirstVisitVerdict) -> bool,
) -> Rate {
    orders
        .iter()
        .filter_map(|order| first_visit_verdict(order, orders, recall))
        .fold(Rate::default(), |rate, verdict| Rate {
            count: rate.count + u64::from(counts(verdict)),
            out_of: rate.out_of + 1,
        })
}

/// A mean of durations, kept as a sum and a count so that parts add up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeanDuration {
    pub total_ms: i64,
    pub count: u64,
}

impl std::ops::Add for MeanDuration {
    type Output = MeanDuration;

    fn add(self, other: MeanDuration) -> MeanDuration {
        MeanDuration {
            total_ms: self.total_ms + other.total_ms,
            count: self.count + other.count,
        }
    }
}

impl MeanDuration {
    pub fn mean_minutes(self) -> Option<f64> {
        (self.count > 0).then(|| self.total_ms as f64 / self.count as f64 / MINUTE_MS as f64)
    }
}

/// From registration to the first visit's check-in, over orders whose first
/// visit has checked in.
pub fn time_to_arrival<'a>(orders: impl IntoIterator<Item = &'a OrderForFix<'a>>) -> MeanDuration {
    mean_since_registration(orders, |order| order.first_visit()?.arrived_at)
}

/// From registration to the end of the earliest visit that fixed it, over
/// orders a visit has fixed.
pub fn time_to_fix<'a>(orders: impl IntoIterator<Item = &'a OrderForFix<'a>>) -> MeanDuration {
    mean_since_registration(orders, |order| {
        order
            .visits
            .iter()
            .filter(|v| !v.cancelled && v.result == Some(VisitResult::Fixed))
            .filter_map(|v| v.finished_at)
            .min()
    })
}

fn mean_since_registration<'a>(
    orders: impl IntoIterator<Item = &'a OrderForFix<'a>>,
    until: impl Fn(&OrderForFix<'_>) -> Option<Timestamp>,
) -> MeanDuration {
    orders
        .into_iter()
        .filter_map(|order| Some(until(order)?.unix_millis() - order.registered_at.unix_millis()))
        .fold(MeanDuration::default(), |mean, ms| MeanDuration {
            total_ms: mean.total_ms + ms,
            count: mean.count + 1,
        })
}

/// The five rating dimensions summed over sign-offs, so that parts add up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingTotals {
    pub count: u64,
    pub skill: u64,
    pub attitude: u64,
    pub timeliness: u64,
    pub parts_supply: u64,
    pub overall: u64,
}

impl std::ops::Add for RatingTotals {
    type Output = RatingTotals;

    fn add(self, other: RatingTotals) -> RatingTotals {
        RatingTotals {
            count: self.count + other.count,
            skill: self.skill + other.skill,
            attitude: self.attitude + other.attitude,
            timeliness: self.timeliness + other.timeliness,
            parts_supply: self.parts_supply + other.parts_supply,
            overall: self.overall + other.overall,
        }
    }
}

impl RatingTotals {
    pub fn of(ratings: &Ratings) -> RatingTotals {
        RatingTotals {
            count: 1,
            skill: u64::from(ratings.skill.value()),
            attitude: u64::from(ratings.attitude.value()),
            timeliness: u64::from(ratings.timeliness.value()),
            parts_supply: u64::from(ratings.parts_supply.value()),
            overall: u64::from(ratings.overall.value()),
        }
    }

    /// Means in the dimensions' order: skill, attitude, timeliness, parts
    /// supply, overall.
    pub fn means(self) -> Option<[f64; 5]> {
        (self.count > 0).then(|| {
            [
                self.skill,
                self.attitude,
                self.timeliness,
                self.parts_supply,
                self.overall,
            ]
            .map(|sum| sum as f64 / self.count as f64)
        })
    }

    /// The five dimensions averaged, as the makers score dealers.
    pub fn mean_of_all(self) -> Option<f64> {
        self.means().map(|means| means.iter().sum::<f64>() / 5.0)
    }
}

/// Checklist omission (服务遗漏率): required items not done over required
/// items due, for visits whose work is finished. "Not applicable" with a
/// reason is an answer, not an omission.
pub fn omission_rate<'a>(finished_visits: impl IntoIterator<Item = &'a [RequiredItem]>) -> Rate {
    finished_visits
        .into_iter()
        .flatten()
        .fold(Rate::default(), |rate, item| Rate {
            count: rate.count + u64::from(!item.answered),
            out_of: rate.out_of + 1,
        })
}

/// Compliance per checklist item: answered over due, for the required items
/// of finished visits, by item key.
pub fn compliance_by_item<'a>(
    items: impl IntoIterator<Item = (&'a str, RequiredItem)>,
) -> std::collections::BTreeMap<String, Rate> {
    let mut by_item = std::collections::BTreeMap::<String, Rate>::new();
    for (key, item) in items {
        let rate = by_item.entry(key.to_string()).or_default();
        rate.count += u64::from(item.answered);
        rate.out_of += 1;
    }
    by_item
}

/// A required checklist item of a finished visit: answered is done, or not
/// applicable with a reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequiredItem {
    pub answered: bool,
}

/// Complaint rate (服务投诉率): complaints over completed services.
pub fn complaint_rate(complaints: u64, completed_services: u64) -> Rate {
    Rate {
        count: complaints,
        out_of: completed_services,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const HOUR: i64 = 60 * MINUTE_MS;
    const NINE: i64 = 1_795_568_400_000; // 2026-11-25T09:00:00+08:00 is 01:00Z; any instant serves

    fn ts(ms: i64) -> Timestamp {
        Timestamp::from_unix_millis(ms)
    }

    fn window() -> AppointmentWindow {
        AppointmentWindow::new(ts(NINE), ts(NINE + 2 * HOUR)).unwrap()
    }

    fn grace(minutes: u16) -> Grace {
        Grace::from_minutes(minutes).unwrap()
    }

    #[test]
    fn punctuality_at_every_edge_of_the_window() {
        let g = grace(15);
        let late_edge = NINE + 2 * HOUR + 15 * MINUTE_MS;
        let early_edge = NINE - 15 * MINUTE_MS;
        let now = ts(NINE + 10 * HOUR);
        let at = |ms| punctuality(window(), Some(ts(ms)), g, now);
        assert_eq!(at(early_edge - 1), Punctuality::Early);
        assert_eq!(at(early_edge), Punctuality::OnTime);
        assert_eq!(at(NINE), Punctuality::OnTime);
        assert_eq!(at(late_edge), Punctuality::OnTime);
        assert_eq!(at(late_edge + 1), Punctuality::Late);
        // Never checked in: not yet due up to the last on-time moment, missed after.
        assert_eq!(
            punctuality(window(), None, g, ts(late_edge)),
            Punctuality::NotYetDue
        );
        assert_eq!(
            punctuality(window(), None, g, ts(late_edge + 1)),
            Punctuality::Missed
        );
        assert_eq!(
            punctuality(window(), Some(ts(NINE + 2 * HOUR + 1)), Grace::NONE, now),
            Punctuality::Late
        );
    }

    #[test]
    fn grace_is_bounded() {
        assert!(Grace::from_minutes(240).is_some());
        assert!(Grace::from_minutes(241).is_none());
    }

    #[test]
    fn arrival_rates_count_only_visits_due() {
        let now = ts(NINE + 5 * HOUR);
        let later = AppointmentWindow::new(ts(NINE + 6 * HOUR), ts(NINE + 8 * HOUR)).unwrap();
        let visits = [
            VisitArrival {
                window: window(),
                check_in: Some(ts(NINE + HOUR)),
                cancelled: false,
            },
            VisitArrival {
                window: window(),
                check_in: Some(ts(NINE + 3 * HOUR)),
                cancelled: false,
            },
            VisitArrival {
                window: window(),
                check_in: None,
                cancelled: false,
            },
            VisitArrival {
                window: window(),
                check_in: Some(ts(NINE - 2 * HOUR)),
                cancelled: false,
            },
            VisitArrival {
                window: window(),
                check_in: None,
                cancelled: true,
            },
            VisitArrival {
                window: later,
                check_in: None,
                cancelled: false,
            },
        ];
        let on_time = on_time_rate(&visits, Grace::NONE, now);
        assert_eq!(
            on_time,
            Rate {
                count: 1,
                out_of: 4
            }
        );
        let untimely = untimely_rate(&visits, Grace::NONE, now);
        assert_eq!(
            untimely,
            Rate {
                count: 2,
                out_of: 4
            }
        );
        assert_eq!(untimely.ppm(), Some(500_000));
        assert_eq!(on_time_rate(&[], Grace::NONE, now).share(), None);
    }

    #[test]
    fn ppm_rounds_half_up_and_needs_a_denominator() {
        assert_eq!(
            Rate {
                count: 1,
                out_of: 3
            }
            .ppm(),
            Some(333_333)
        );
        assert_eq!(
            Rate {
                count: 2,
                out_of: 3
            }
            .ppm(),
            Some(666_667)
        );
        assert_eq!(
            Rate {
                count: 1,
                out_of: 2_000_000
            }
            .ppm(),
            Some(1)
        ); // 0.5 rounds up
        assert_eq!(
            Rate {
                count: 0,
                out_of: 0
            }
            .ppm(),
            None
        );
        assert_eq!(
            meets_control_target(Rate {
                count: 9,
                out_of: 1_000_000
            }),
            Some(true)
        );
        assert_eq!(
            meets_control_target(Rate {
                count: 10,
                out_of: 1_000_000
            }),
            Some(false)
        );
        assert_eq!(meets_control_target(complaint_rate(0, 0)), None);
    }

    fn visit(finished_day: i64, result: VisitResult) -> OrderVisit {
        OrderVisit {
            arrived_at: Some(ts(finished_day * DAY_MS - HOUR)),
            finished_at: Some(ts(finished_day * DAY_MS)),
            result: Some(result),
            cancelled: false,
        }
    }

    fn order<'a>(
        id: &'a str,
        appliance: &'a str,
        fault: &'a str,
        day: i64,
        visits: Vec<OrderVisit>,
    ) -> OrderForFix<'a> {
        OrderForFix {
            id,
            appliance_id: appliance,
            fault_category: fault,
            registered_at: ts(day * DAY_MS),
            visits,
        }
    }

    #[test]
    fn first_visit_fix_edge_cases() {
        use VisitResult::*;
        let recall = RecallWindow::DEFAULT;
        // Fixed first time, nothing after: a fix.
        assert_eq!(
            first_visit_fix_rate(
                &[order("a", "w1", "noise", 0, vec![visit(1, Fixed)])],
                recall
            ),
            Rate {
                count: 1,
                out_of: 1
            }
        );
        // Needed a second visit: not a first-visit fix, even if the first said fixed.
        assert_eq!(
            first_visit_fix_rate(
                &[order(
                    "a",
                    "w1",
                    "noise",
                    0,
                    vec![visit(1, Fixed), visit(2, Fixed)]
                )],
                recall
            ),
            Rate {
                count: 0,
                out_of: 1
            }
        );
        // A cancelled first visit does not count as the first visit.
        let cancelled = OrderVisit {
            cancelled: true,
            ..OrderVisit::default()
        };
        assert_eq!(
            first_visit_fix_rate(
                &[order(
                    "a",
                    "w1",
                    "noise",
                    0,
                    vec![cancelled, visit(2, Fixed)]
                )],
                recall
            ),
            Rate {
                count: 1,
                out_of: 1
            }
        );
        // First visit not finished yet: not counted at all.
        let open = OrderVisit::default();
        assert_eq!(
            first_visit_fix_rate(&[order("a", "w1", "noise", 0, vec![open])], recall),
            Rate {
                count: 0,
                out_of: 0
            }
        );
        // Repeat order for the same appliance and fault on day 31 (30 days after the fix): a miss.
        let repeat_inside = [
            order("a", "w1", "noise", 0, vec![visit(1, Fixed)]),
            order("b", "w1", "noise", 31, vec![]),
        ];
        assert_eq!(
            first_visit_fix_rate(&repeat_inside, recall),
            Rate {
                count: 0,
                out_of: 1
            }
        );
        // One day later it is outside the window: still a fix.
        let repeat_outside = [
            order("a", "w1", "noise", 0, vec![visit(1, Fixed)]),
            order("b", "w1", "noise", 32, vec![]),
        ];
        assert_eq!(first_visit_fix_rate(&repeat_outside, recall).count, 1);
        // Another fault, or another appliance, is not a repeat.
        let other = [
            order("a", "w1", "noise", 0, vec![visit(1, Fixed)]),
            order("b", "w1", "no_water", 5, vec![]),
            order("c", "w2", "noise", 5, vec![]),
        ];
        assert_eq!(first_visit_fix_rate(&other, recall).count, 1);
        // Not fixed first time.
        assert_eq!(
            first_visit_fix_rate(
                &[order("a", "w1", "noise", 0, vec![visit(1, NotFixed)])],
                recall
            )
            .count,
            0
        );
        assert!(RecallWindow::from_days(0).is_none());
        assert!(RecallWindow::from_days(366).is_none());
    }

    #[test]
    fn omissions_count_unanswered_required_items() {
        let done = RequiredItem { answered: true };
        let missing = RequiredItem { answered: false };
        let visits: [&[RequiredItem]; 2] = [&[done, missing, done], &[done, done]];
        assert_eq!(
            omission_rate(visits),
            Rate {
                count: 1,
                out_of: 5
            }
        );
        assert_eq!(omission_rate(std::iter::empty()), Rate::default());
    }

    #[test]
    fn repeat_calls_and_response_times() {
        use VisitResult::*;
        let recall = RecallWindow::DEFAULT;
        let orders = [
            // Registered day 0, fixed day 1; repeated on day 20: a repeat call.
            order("a", "w1", "noise", 0, vec![visit(1, Fixed)]),
            order(
                "b",
                "w1",
                "noise",
                20,
                vec![visit(22, NotFixed), visit(24, Fixed)],
            ),
            // Not finished yet: no verdict, no time to fix, but an arrival.
            order(
                "c",
                "w2",
                "leak",
                3,
                vec![OrderVisit {
                    arrived_at: Some(ts(3 * DAY_MS + 2 * HOUR)),
                    ..OrderVisit::default()
                }],
            ),
        ];
        assert_eq!(
            repeat_call_rate(&orders, recall),
            Rate {
                count: 1,
                out_of: 2
            }
        );
        assert_eq!(first_visit_fix_rate(&orders, recall).count, 0);
        let verdict = first_visit_verdict(&orders[1], &orders, recall).unwrap();
        assert!(!verdict.fixed_by_first && verdict.needed_another_visit && !verdict.repeat_call);
        assert_eq!(first_visit_verdict(&orders[2], &orders, recall), None);
        // Arrival: a after 1 day − 1 h, b after 2 days − 1 h, c after 2 h.
        let arrival = time_to_arrival(&orders);
        assert_eq!(
            arrival,
            MeanDuration {
                total_ms: (DAY_MS - HOUR) + (2 * DAY_MS - HOUR) + 2 * HOUR,
                count: 3
            }
        );
        assert_eq!(arrival.mean_minutes(), Some(3.0 * 24.0 * 60.0 / 3.0));
        // Fix: a after 1 day, b after 4 days (its second visit fixed it).
        assert_eq!(
            time_to_fix(&orders),
            MeanDuration {
                total_ms: 5 * DAY_MS,
                count: 2
            }
        );
        assert_eq!(time_to_fix(&[]).mean_minutes(), None);
    }

    #[test]
    fn ratings_average_per_dimension_and_overall() {
        use crate::domain::signoff::Score;
        let score = |v| Score::new("rating", v).unwrap();
        let ratings = |values: [u8; 5]| Ratings {
            skill: score(values[0]),
            attitude: score(values[1]),
            timeliness: score(values[2]),
            parts_supply: score(values[3]),
            overall: score(values[4]),
        };
        let totals = RatingTotals::of(&ratings([5, 4, 3, 2, 1]))
            + RatingTotals::of(&ratings([5, 5, 5, 5, 4]));
        assert_eq!(totals.means(), Some([5.0, 4.5, 4.0, 3.5, 2.5]));
        assert_eq!(totals.mean_of_all(), Some(3.9));
        assert_eq!(RatingTotals::default().means(), None);
    }

    #[test]
    fn compliance_is_counted_per_item() {
        let done = RequiredItem { answered: true };
        let missing = RequiredItem { answered: false };
        let by_item = compliance_by_item([
            ("id_card", done),
            ("shoe_covers", missing),
            ("id_card", done),
            ("shoe_covers", done),
        ]);
        assert_eq!(
            by_item["id_card"],
            Rate {
                count: 2,
                out_of: 2
            }
        );
        assert_eq!(
            by_item["shoe_covers"],
            Rate {
                count: 1,
                out_of: 2
            }
        );
    }

    proptest! {
        #[test]
        fn arrival_verdicts_partition_the_visits_due(
            offsets in proptest::collection::vec(proptest::option::of(-6 * HOUR..8 * HOUR), 0..50),
            cancelled in proptest::collection::vec(any::<bool>(), 50),
            grace_minutes in 0u16..=240,
            now_offset in 0i64..12 * HOUR,
        ) {
            let visits: Vec<VisitArrival> = offsets.iter().zip(&cancelled).map(|(offset, &cancelled)| VisitArrival {
                window: window(),
                check_in: offset.map(|o| ts(NINE + o)),
                cancelled,
            }).collect();
            let g = grace(grace_minutes);
            let now = ts(NINE + now_offset);
            let on_time = on_time_rate(&visits, g, now);
            let untimely = untimely_rate(&visits, g, now);
            prop_assert_eq!(on_time.out_of, untimely.out_of);
            prop_assert!(on_time.count + untimely.count <= on_time.out_of);
            let early = visits.iter().filter(|v| !v.cancelled)
                .filter(|v| punctuality(v.window, v.check_in, g, now) == Punctuality::Early).count() as u64;
            prop_assert_eq!(on_time.count + untimely.count + early, on_time.out_of);
            if let Some(share) = on_time.share() {
                prop_assert!((0.0..=1.0).contains(&share));
            }
        }

        #[test]
        fn ppm_is_monotonic_and_bounded(count in 0u64..1_000_000, extra in 0u64..1_000_000) {
            let out_of = count + extra + 1;
            let ppm = Rate { count, out_of }.ppm().unwrap();
            prop_assert!(ppm <= 1_000_000);
            let one_more = Rate { count: count + 1, out_of: out_of + 1 }.ppm().unwrap();
            prop_assert!(one_more >= ppm);
        }

        #[test]
        fn a_longer_recall_window_never_raises_first_visit_fix(
            registrations in proptest::collection::vec((0usize..3, 0usize..2, 0i64..120, any::<bool>()), 1..30),
            short in 1u16..60, extra in 0u16..200,
        ) {
            let appliances = ["w1", "w2", "w3"];
            let faults = ["noise", "leak"];
            let ids: Vec<String> = (0..registrations.len()).map(|i| i.to_string()).collect();
            let orders: Vec<OrderForFix<'_>> = registrations.iter().enumerate().map(|(i, &(a, f, day, fixed))| {
                order(&ids[i], appliances[a], faults[f], day, vec![visit(day + 1, if fixed { VisitResult::Fixed } else { VisitResult::NotFixed })])
            }).collect();
            let short_rate = first_visit_fix_rate(&orders, RecallWindow::from_days(short).unwrap());
            let long_rate = first_visit_fix_rate(&orders, RecallWindow::from_days((short + extra).min(365)).unwrap());
            prop_assert_eq!(short_rate.out_of, long_rate.out_of);
            prop_assert!(long_rate.count <= short_rate.count);
        }
    }
}
