//! The clocks every complaint runs on from the moment it is received
//! (seed 000): reply and apologise within 1 h, the handling result within
//! 24 h, the rectification sheet within 48 h, the customer called back
//! within 72 h. Elapsed time, not the calendar: a complaint received at
//! 23:30 is due a reply at 00:30, and a clock change in the region (daylight
//! saving) moves no deadline. Done exactly at the deadline is on time.

use serde::{Deserialize, Serialize};

use super::time::Timestamp;

const HOUR_MS: i64 = 3_600_000;

text_enum! {
    /// The four steps of handling a complaint, in order.
    pub enum ComplaintStep {
        Reply = "reply",
        HandlingResult = "handling_result",
        Rectification = "rectification",
        CustomerCallback = "customer_callback",
    }
}

impl ComplaintStep {
    /// How long after receipt the step is due.
    pub fn due_within_ms(self) -> i64 {
        HOUR_MS
            * match self {
                ComplaintStep::Reply => 1,
                ComplaintStep::HandlingResult => 24,
                ComplaintStep::Rectification => 48,
                ComplaintStep::CustomerCallback => 72,
            }
    }

    pub fn due_at(self, received: Timestamp) -> Timestamp {
        Timestamp::from_unix_millis(received.unix_millis().saturating_add(self.due_within_ms()))
    }
}

/// The step to do next: the four go in order, each once.
pub fn next_step(done: &[ComplaintStep]) -> Option<ComplaintStep> {
    ComplaintStep::ALL
        .iter()
        .copied()
        .find(|step| !done.contains(step))
}

/// Why a step can't be recorded now.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StepRefused {
    #[error("the complaint's steps are all done")]
    AllDone,
    #[error("the next step is {next}, not {asked}", next = .next.as_str(), asked = .asked.as_str())]
    OutOfOrder {
        next: ComplaintStep,
        asked: ComplaintStep,
    },
}

/// Checks that `asked` is the next step of a complaint whose steps `done`
/// are recorded.
pub fn check_next(done: &[ComplaintStep], asked: ComplaintStep) -> Result<(), StepRefused> {
    match next_step(done) {
        None => Err(StepRefused::AllDone),
        Some(next) if next != asked => Err(StepRefused::OutOfOrder { next, asked }),
        Some(_) => Ok(()),
    }
}

/// Where one step's clock stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClockState {
    /// Not done, still in time: this long left (0 at the deadline itself).
    Running {
        left_ms: i64,
    },
    /// Not done and past its deadline by this long: escalated to an admin.
    Overdue {
        by_ms: i64,
    },
    DoneOnTime,
    /// Done, this long after its deadline.
    DoneLate {
        by_ms: i64,
    },
}

impl ClockState {
    /// Overdue items go up to an admin.
    pub fn escalates(self) -> bool {
        matches!(self, ClockState::Overdue { .. })
    }
}

/// The step's clock for a complaint received at `received`, done at `done`
/// (if it is), read at `now`.
pub fn clock(
    step: ComplaintStep,
    received: Timestamp,
    done: Option<Timestamp>,
    now: Timestamp,
) -> ClockState {
    let due = step.due_at(received).unix_millis();
    match done {
        Some(done) if done.unix_millis() <= due => ClockState::DoneOnTime,
        Some(done) => ClockState::DoneLate {
            by_ms: done.unix_millis() - due,
        },
        None if now.unix_millis() <= due => ClockState::Running {
            left_ms: due - now.unix_millis(),
        },
        None => ClockState::Overdue {
            by_ms: now.unix_millis() - due,
        },
    }
}

/// The 1:10:100 rule: a complaint handled at once costs 1, the next day
/// 10, after three days 100. "At once" is within its first 24 h, "the next
/// day" within 72 h.
pub fn cost_weight(received: Timestamp, handled_or_now: Timestamp) -> u32 {
    let waited = handled_or_now.unix_millis() - received.unix_millis();
    if waited < 24 * HOUR_MS {
        1
    } else if waited < 72 * HOUR_MS {
        10
    } else {
        100
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::{format_local_date_time, UtcOffset};
    use proptest::prelude::*;

    const MINUTE: i64 = 60_000;

    fn at(ms: i64) -> Timestamp {
        Timestamp::from_unix_millis(ms)
    }

    /// 2026-11-25 23:30 in Shanghai.
    const LATE_EVENING: i64 = 1_795_620_600_000;

    #[test]
    fn the_reply_clock_at_59_60_and_61_minutes() {
        let received = at(LATE_EVENING);
        let after = |minutes: i64| at(LATE_EVENING + minutes * MINUTE);
        let reply = ComplaintStep::Reply;
        assert_eq!(
            clock(reply, received, None, after(59)),
            ClockState::Running { left_ms: MINUTE }
        );
        assert_eq!(
            clock(reply, received, None, after(60)),
            ClockState::Running { left_ms: 0 }
        );
        assert_eq!(
            clock(reply, received, None, after(61)),
            ClockState::Overdue { by_ms: MINUTE }
        );
        assert!(!clock(reply, received, None, after(60)).escalates());
        assert!(clock(reply, received, None, after(61)).escalates());
        assert_eq!(
            clock(reply, received, Some(after(59)), after(500)),
            ClockState::DoneOnTime
        );
        assert_eq!(
            clock(reply, received, Some(after(60)), after(500)),
            ClockState::DoneOnTime
        );
        assert_eq!(
            clock(reply, received, Some(after(61)), after(500)),
            ClockState::DoneLate { by_ms: MINUTE }
        );
    }

    #[test]
    fn every_step_turns_overdue_one_minute_after_its_hours() {
        let received = at(LATE_EVENING);
        for (step, hours) in [
            (ComplaintStep::Reply, 1),
            (ComplaintStep::HandlingResult, 24),
            (ComplaintStep::Rectification, 48),
            (ComplaintStep::CustomerCallback, 72),
        ] {
            let deadline = LATE_EVENING + hours * 60 * MINUTE;
            assert_eq!(
                clock(step, received, None, at(deadline - MINUTE)),
                ClockState::Running { left_ms: MINUTE },
                "{step:?}"
            );
            assert_eq!(
                clock(step, received, None, at(deadline)),
                ClockState::Running { left_ms: 0 }
            );
            assert_eq!(
                clock(step, received, None, at(deadline + MINUTE)),
                ClockState::Overdue { by_ms: MINUTE }
            );
        }
    }

    #[test]
    fn a_complaint_at_23_30_is_due_its_reply_at_00_30_the_next_day() {
        let received = at(LATE_EVENING);
        let due = ComplaintStep::Reply.due_at(received);
        assert_eq!(
            format_local_date_time(received, UtcOffset::CHINA),
            "2026-11-25 23:30"
        );
        assert_eq!(
            format_local_date_time(due, UtcOffset::CHINA),
            "2026-11-26 00:30"
        );
        // Past midnight, 59 minutes in: still running.
        assert_eq!(
            clock(
                ComplaintStep::Reply,
                received,
                None,
                at(LATE_EVENING + 59 * MINUTE)
            ),
            ClockState::Running { left_ms: MINUTE }
        );
    }

    #[test]
    fn a_clock_change_in_the_region_moves_no_deadline() {
        // New York, 2026-03-08: at 02:00 EST the clocks go to 03:00 EDT.
        // Received 01:30 EST (06:30 UTC); one hour later it is 03:30 EDT.
        let received = at(1_772_951_400_000);
        let (est, edt) = (
            UtcOffset::try_from(-5 * 60).unwrap(),
            UtcOffset::try_from(-4 * 60).unwrap(),
        );
        assert_eq!(format_local_date_time(received, est), "2026-03-08 01:30");
        let due = ComplaintStep::Reply.due_at(received);
        assert_eq!(format_local_date_time(due, edt), "2026-03-08 03:30");
        assert_eq!(due.unix_millis() - received.unix_millis(), 60 * MINUTE);
        // On the wall clock 2 h have passed at 03:29 EDT, by elapsed time 59 min.
        assert_eq!(
            clock(
                ComplaintStep::Reply,
                received,
                None,
                at(received.unix_millis() + 59 * MINUTE)
            ),
            ClockState::Running { left_ms: MINUTE }
        );
        // In autumn (2026-11-01, at 02:00 EDT the clocks go back to 01:00
        // EST): received 01:30 EDT, due an hour later, at 01:30 EST, the
        // same reading on the wall clock.
        let autumn = at(1_793_511_000_000);
        assert_eq!(format_local_date_time(autumn, edt), "2026-11-01 01:30");
        let due = ComplaintStep::Reply.due_at(autumn);
        assert_eq!(format_local_date_time(due, est), "2026-11-01 01:30");
        assert_eq!(due.unix_millis() - autumn.unix_millis(), 60 * MINUTE);
    }

    #[test]
    fn the_cost_of_waiting_is_1_then_10_then_100() {
        let received = at(LATE_EVENING);
        let after_hours =
            |hours: i64, minutes: i64| at(LATE_EVENING + hours * 60 * MINUTE + minutes * MINUTE);
        assert_eq!(cost_weight(received, received), 1);
        assert_eq!(cost_weight(received, after_hours(23, 59)), 1);
        assert_eq!(cost_weight(received, after_hours(24, 0)), 10);
        assert_eq!(cost_weight(received, after_hours(71, 59)), 10);
        assert_eq!(cost_weight(received, after_hours(72, 0)), 100);
    }

    #[test]
    fn steps_go_in_order_each_once() {
        use ComplaintStep::*;
        assert_eq!(next_step(&[]), Some(Reply));
        assert_eq!(check_next(&[], Reply), Ok(()));
        assert_eq!(
            check_next(&[], Rectification),
            Err(StepRefused::OutOfOrder {
                next: Reply,
                asked: Rectification
            })
        );
        assert_eq!(next_step(&[Reply, HandlingResult]), Some(Rectification));
        assert_eq!(
            check_next(
                &[Reply, HandlingResult, Rectification, CustomerCallback],
                Reply
            ),
            Err(StepRefused::AllDone)
        );
    }

    proptest! {
        #[test]
        fn a_step_is_overdue_exactly_when_undone_past_its_deadline(
            step in proptest::sample::select(ComplaintStep::ALL.to_vec()),
            received in 0i64..4_000_000_000_000,
            later in 0i64..10 * 24 * 3_600_000,
        ) {
            let now = at(received + later);
            let state = clock(step, at(received), None, now);
            prop_assert_eq!(state.escalates(), later > step.due_within_ms());
        }
    }
}
