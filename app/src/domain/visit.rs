//! The visit lifecycle as an explicit state machine. Every change of a
//! visit's status goes through `VisitStatus::apply`; a step out of order is an
//! error naming the step and why, never a silent no-op.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::ids::RecordId;
use super::signoff::VisitOutcome;
use super::time::{AppointmentWindow, Timestamp};

text_enum! {
    /// Where a visit stands, in the order of the work at the customer's home:
    /// dispatched (on a technician's list), on the way, arrived (checked in:
    /// the on-time moment), work started (checklist and repair), work finished
    /// (outcome recorded), then signed by the customer or closed unsigned
    /// (the customer absent or refusing; sealed all the same); or cancelled
    /// before the work was done.
    pub enum VisitStatus {
        Dispatched = "dispatched",
        OnTheWay = "on_the_way",
        Arrived = "arrived",
        WorkStarted = "work_started",
        WorkFinished = "work_finished",
        Signed = "signed",
        ClosedUnsigned = "closed_unsigned",
        Cancelled = "cancelled",
    }
}

text_enum! {
    /// What a technician, customer or dispatcher does to a visit.
    pub enum VisitEvent {
        SetOff = "set_off",
        CheckIn = "check_in",
        StartWork = "start_work",
        FinishWork = "finish_work",
        SignOff = "sign_off",
        CloseUnsigned = "close_unsigned",
        Cancel = "cancel",
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("cannot {event} a visit that is {from}: {reason}")]
pub struct IllegalTransition {
    pub from: VisitStatus,
    pub event: VisitEvent,
    pub reason: &'static str,
}

impl VisitEvent {
    /// Whether the assigned technician takes this step from the visit
    /// page: not cancelling, which is the office's with a reason, so that a
    /// late visit cannot be taken out of the on-time figure by the one who
    /// was late. (Signing is the technician's step too, but it goes through
    /// the sign-off, with the customer's signature.)
    pub fn is_technicians_step(self) -> bool {
        !matches!(self, VisitEvent::Cancel)
    }

    /// Signing carries the customer's answers and signature, closing
    /// without them the reason why: neither is a step on its own.
    pub fn needs_its_form(self) -> bool {
        matches!(self, VisitEvent::SignOff | VisitEvent::CloseUnsigned)
    }
}

impl VisitStatus {
    /// No event leads out of a final state.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            VisitStatus::Signed | VisitStatus::ClosedUnsigned | VisitStatus::Cancelled
        )
    }

    /// The work is done and the visit closed, with the customer's
    /// signature or without it: its record is sealed, and it is a completed
    /// service in every figure.
    pub fn is_closed(self) -> bool {
        matches!(self, VisitStatus::Signed | VisitStatus::ClosedUnsigned)
    }

    /// Checklist results, parts, fees and the outcome are recorded while the
    /// technician is at the customer's home and the work is not finished.
    pub fn accepts_work_records(self) -> bool {
        matches!(self, VisitStatus::Arrived | VisitStatus::WorkStarted)
    }

    /// The technician has reached the customer (checked in at some point).
    pub fn has_arrived(self) -> bool {
        matches!(
            self,
            VisitStatus::Arrived
                | VisitStatus::WorkStarted
                | VisitStatus::WorkFinished
                | VisitStatus::Signed
                | VisitStatus::ClosedUnsigned
        )
    }

    /// The state after `event`, or why the event is not allowed now.
    pub fn apply(self, event: VisitEvent) -> Result<VisitStatus, IllegalTransition> {
        use VisitEvent as E;
        use VisitStatus as S;
        let refuse = |reason| {
            Err(IllegalTransition {
                from: self,
                event,
                reason,
            })
        };
        match (self, event) {
            (S::Signed, _) => refuse("the customer has signed and the record is sealed"),
            (S::ClosedUnsigned, _) => {
                refuse("the visit was closed without the customer's signature")
            }
            (S::Cancelled, _) => refuse("the visit was cancelled"),
            (S::Dispatched, E::SetOff) => Ok(S::OnTheWay),
            // Checking in without "on the way" is allowed: the technician may
            // have come straight from the previous customer next door.
            (S::Dispatched | S::OnTheWay, E::CheckIn) => Ok(S::Arrived),
            (S::Arrived, E::StartWork) => Ok(S::WorkStarted),
            (S::WorkStarted, E::FinishWork) => Ok(S::WorkFinished),
            (S::WorkFinished, E::SignOff) => Ok(S::Signed),
            (S::WorkFinished, E::CloseUnsigned) => Ok(S::ClosedUnsigned),
            (S::Dispatched | S::OnTheWay | S::Arrived | S::WorkStarted, E::Cancel) => {
                Ok(S::Cancelled)
            }
            (S::WorkFinished, E::Cancel) => refuse("the work is done; it can only be signed off"),
            (_, E::SetOff) => refuse("the technician has already set off"),
            (S::Dispatched | S::OnTheWay, _) => refuse("the technician has not checked in yet"),
            (_, E::CheckIn) => refuse("the technician has already checked in"),
            (S::Arrived, _) => refuse("the work has not started yet"),
            (_, E::StartWork) => refuse("the work has already started"),
            (S::WorkStarted, _) => refuse("the outcome has not been recorded yet"),
            (S::WorkFinished, E::FinishWork) => refuse("the outcome is already recorded"),
        }
    }
}

/// When each step of a visit happened (server time).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitTimes {
    pub dispatched: Option<Timestamp>,
    pub on_the_way: Option<Timestamp>,
    pub arrived: Option<Timestamp>,
    pub work_started: Option<Timestamp>,
    pub work_finished: Option<Timestamp>,
    pub signed: Option<Timestamp>,
    /// Closed without the customer's signature. Left out when absent, so
    /// records sealed before it existed still verify.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_unsigned: Option<Timestamp>,
    pub cancelled: Option<Timestamp>,
}

impl VisitTimes {
    /// The latest of the technician's steps taken so far (set off, check
    /// in, start, finish): a next step cannot have come before it.
    pub fn latest_step(&self) -> Option<Timestamp> {
        [
            self.on_the_way,
            self.arrived,
            self.work_started,
            self.work_finished,
        ]
        .into_iter()
        .flatten()
        .max()
    }
}

/// One trip to the customer's home. A work order may need several (a part
/// to fetch, a second technician); each keeps its own window and steps.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    pub id: RecordId,
    pub work_order_id: RecordId,
    /// None until a dispatcher assigns one.
    pub technician_id: Option<RecordId>,
    /// The time agreed with the customer for this visit.
    pub window: AppointmentWindow,
    pub status: VisitStatus,
    /// The checklist template version the visit runs by, fixed when it is
    /// made: editing the template later never changes what this visit owed.
    pub checklist_version: u32,
    pub times: VisitTimes,
    pub outcome: Option<VisitOutcome>,
}

impl Visit {
    /// A visit just made for a work order: dispatched at `dispatched_at`,
    /// nothing done yet, on the template version in force.
    pub fn dispatched(
        id: RecordId,
        work_order_id: RecordId,
        technician_id: Option<RecordId>,
        window: AppointmentWindow,
        checklist_version: u32,
        dispatched_at: Timestamp,
    ) -> Visit {
        Visit {
            id,
            work_order_id,
            technician_id,
            window,
            status: VisitStatus::Dispatched,
            checklist_version,
            times: VisitTimes {
                dispatched: Some(dispatched_at),
                ..VisitTimes::default()
            },
            outcome: None,
        }
    }
}

impl std::fmt::Display for VisitStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.as_str().replace('_', " "))
    }
}

impl std::fmt::Display for VisitEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            VisitEvent::SetOff => "set off for",
            VisitEvent::CheckIn => "check in to",
            VisitEvent::StartWork => "start work on",
            VisitEvent::FinishWork => "finish work on",
            VisitEvent::SignOff => "sign off",
            VisitEvent::CloseUnsigned => "close without the customer's signature",
            VisitEvent::Cancel => "cancel",
        })
    }
}

/// How a visit not yet checked in stands against its window, for the
/// technician's list: a visit at risk stands out before it turns late.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArrivalRisk {
    /// Checked in, cancelled, or the window is still comfortably ahead.
    None,
    /// Not checked in, and the window ends within `AT_RISK_BEFORE_END`.
    AtRisk,
    /// Not checked in, and the window has ended.
    Late,
}

/// How long before the window's end a visit not yet checked in is flagged:
/// about one trip across a district by scooter.
pub const AT_RISK_BEFORE_END_MS: i64 = 30 * 60 * 1000;

pub fn arrival_risk(window: AppointmentWindow, status: VisitStatus, now: Timestamp) -> ArrivalRisk {
    let still_to_arrive = matches!(status, VisitStatus::Dispatched | VisitStatus::OnTheWay);
    let end = window.end().unix_millis();
    match now.unix_millis() {
        _ if !still_to_arrive => ArrivalRisk::None,
        now if now > end => ArrivalRisk::Late,
        now if now >= end - AT_RISK_BEFORE_END_MS => ArrivalRisk::AtRisk,
        _ => ArrivalRisk::None,
    }
}

/// The window first proposed for the follow-up visit a "not fixed" opens:
/// the same hours the next day, for the dispatcher to confirm with the
/// customer.
pub fn follow_up_window(window: AppointmentWindow) -> AppointmentWindow {
    const DAY_MS: i64 = 24 * 60 * 60 * 1000;
    let shift = |t: Timestamp| Timestamp::from_unix_millis(t.unix_millis() + DAY_MS);
    AppointmentWindow::new(shift(window.start()), shift(window.end()))
        .expect("shifting both ends by a day keeps the end after the start")
}

/// Where the phone was at a step (check-in, the customer's signature),
/// when the technician allows it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PositionFix {
    pub coordinates: super::validation::Coordinates,
    /// The radius the phone reports, in metres.
    pub accuracy_m: f64,
}

impl PositionFix {
    pub fn new(
        latitude: f64,
        longitude: f64,
        accuracy_m: f64,
    ) -> Result<Self, super::validation::ValidationError> {
        use super::validation::{Coordinates, Problem, ValidationError};
        let coordinates = Coordinates::new(latitude, longitude)?;
        if !accuracy_m.is_finite() || !(0.0..=100_000.0).contains(&accuracy_m) {
            return Err(ValidationError::new(
                "accuracy_m",
                Problem::OutOfRange {
                    min: "0".into(),
                    max: "100000".into(),
                },
            ));
        }
        Ok(PositionFix {
            coordinates,
            accuracy_m,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use VisitEvent as E;
    use VisitStatus as S;

    const EVENTS: &[VisitEvent] = VisitEvent::ALL;

    #[test]
    fn the_work_runs_in_order_to_a_signature() {
        let mut status = S::Dispatched;
        for (event, expected) in [
            (E::SetOff, S::OnTheWay),
            (E::CheckIn, S::Arrived),
            (E::StartWork, S::WorkStarted),
            (E::FinishWork, S::WorkFinished),
            (E::SignOff, S::Signed),
        ] {
            status = status.apply(event).unwrap();
            assert_eq!(status, expected);
        }
    }

    #[test]
    fn finished_work_closes_signed_or_unsigned_and_either_is_final() {
        assert_eq!(
            S::WorkFinished.apply(E::CloseUnsigned),
            Ok(S::ClosedUnsigned)
        );
        for status in [S::Dispatched, S::OnTheWay, S::Arrived, S::WorkStarted] {
            assert!(status.apply(E::CloseUnsigned).is_err(), "{status}");
        }
        assert!(S::ClosedUnsigned.is_final());
        assert!(S::ClosedUnsigned.is_closed() && S::Signed.is_closed());
        assert!(!S::WorkFinished.is_closed() && !S::Cancelled.is_closed());
        let error = S::ClosedUnsigned.apply(E::SignOff).unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot sign off a visit that is closed unsigned: \
             the visit was closed without the customer's signature"
        );
        assert!(S::Signed.apply(E::CloseUnsigned).is_err());
        assert!(E::SignOff.needs_its_form() && E::CloseUnsigned.needs_its_form());
        assert!(!E::FinishWork.needs_its_form());
    }

    #[test]
    fn work_is_recorded_only_at_the_customers_home() {
        let open: Vec<VisitStatus> = S::ALL
            .iter()
            .copied()
            .filter(|s| s.accepts_work_records())
            .collect();
        assert_eq!(open, [S::Arrived, S::WorkStarted]);
    }

    #[test]
    fn check_in_may_skip_on_the_way() {
        assert_eq!(S::Dispatched.apply(E::CheckIn), Ok(S::Arrived));
    }

    #[test]
    fn illegal_steps_say_which_and_why() {
        let error = S::Dispatched.apply(E::SignOff).unwrap_err();
        assert_eq!(error.from, S::Dispatched);
        assert_eq!(error.event, E::SignOff);
        assert_eq!(
            error.to_string(),
            "cannot sign off a visit that is dispatched: the technician has not checked in yet"
        );
        let error = S::Signed.apply(E::Cancel).unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot cancel a visit that is signed: the customer has signed and the record is sealed"
        );
        assert!(S::WorkFinished.apply(E::Cancel).is_err());
        assert!(S::Arrived.apply(E::CheckIn).is_err());
    }

    #[test]
    fn statuses_round_trip_through_text() {
        for &status in S::ALL {
            assert_eq!(S::parse(status.as_str()), Some(status));
        }
        assert_eq!(S::parse("done"), None);
        for &event in VisitEvent::ALL {
            assert_eq!(VisitEvent::parse(event.as_str()), Some(event));
            assert_eq!(
                serde_json::to_string(&event).unwrap(),
                format!("\"{}\"", event.as_str())
            );
        }
        assert_eq!(VisitEvent::parse("teleport"), None);
    }

    proptest! {
        /// Whatever is tried, in any order: a refused event leaves nothing
        /// changed, final states stay final, and arrival is never undone.
        #[test]
        fn random_event_sequences_keep_the_invariants(events in proptest::collection::vec(0..EVENTS.len(), 0..40)) {
            let mut status = S::Dispatched;
            let mut arrived = false;
            for index in events {
                let event = EVENTS[index];
                match status.apply(event) {
                    Ok(next) => {
                        prop_assert!(!status.is_final());
                        prop_assert_ne!(next, status, "a legal event always moves the visit");
                        if arrived && next != S::Cancelled {
                            prop_assert!(next.has_arrived());
                        }
                        status = next;
                    }
                    Err(error) => {
                        prop_assert_eq!(error.from, status);
                        prop_assert_eq!(error.event, event);
                        prop_assert!(!error.reason.is_empty());
                    }
                }
                arrived |= status.has_arrived();
            }
        }

        /// Signed or closed unsigned, a visit is completed only through
        /// every step of the work.
        #[test]
        fn a_signature_needs_every_step(events in proptest::collection::vec(0..EVENTS.len(), 0..40)) {
            let mut status = S::Dispatched;
            let mut seen = Vec::new();
            for index in events {
                if let Ok(next) = status.apply(EVENTS[index]) {
                    seen.push(next);
                    status = next;
                }
            }
            if status.is_closed() {
                for required in [S::Arrived, S::WorkStarted, S::WorkFinished] {
                    prop_assert!(seen.contains(&required));
                }
            }
        }
    }

    fn window_of(start_ms: i64, end_ms: i64) -> AppointmentWindow {
        AppointmentWindow::new(
            Timestamp::from_unix_millis(start_ms),
            Timestamp::from_unix_millis(end_ms),
        )
        .unwrap()
    }

    #[test]
    fn a_visit_turns_at_risk_thirty_minutes_before_its_window_ends() {
        let hour = 3_600_000;
        let window = window_of(10 * hour, 12 * hour);
        let at = |ms: i64| Timestamp::from_unix_millis(ms);
        let end = 12 * hour;
        for status in [S::Dispatched, S::OnTheWay] {
            assert_eq!(
                arrival_risk(window, status, at(end - AT_RISK_BEFORE_END_MS - 1)),
                ArrivalRisk::None
            );
            assert_eq!(
                arrival_risk(window, status, at(end - AT_RISK_BEFORE_END_MS)),
                ArrivalRisk::AtRisk
            );
            assert_eq!(arrival_risk(window, status, at(end)), ArrivalRisk::AtRisk);
            assert_eq!(arrival_risk(window, status, at(end + 1)), ArrivalRisk::Late);
        }
        for status in [
            S::Arrived,
            S::WorkStarted,
            S::WorkFinished,
            S::Signed,
            S::ClosedUnsigned,
            S::Cancelled,
        ] {
            assert_eq!(
                arrival_risk(window, status, at(end + hour)),
                ArrivalRisk::None
            );
        }
    }

    #[test]
    fn the_follow_up_is_first_proposed_for_the_same_hours_next_day() {
        let day = 24 * 3_600_000;
        let proposed = follow_up_window(window_of(1_000, 2_000));
        assert_eq!(proposed, window_of(1_000 + day, 2_000 + day));
    }

    #[test]
    fn a_check_in_position_must_be_on_earth_with_a_sane_accuracy() {
        assert!(PositionFix::new(31.22, 121.54, 12.0).is_ok());
        assert_eq!(
            PositionFix::new(91.0, 121.0, 5.0).unwrap_err().field,
            "latitude"
        );
        assert_eq!(
            PositionFix::new(31.0, 121.0, -1.0).unwrap_err().field,
            "accuracy_m"
        );
        assert_eq!(
            PositionFix::new(31.0, 121.0, f64::NAN).unwrap_err().field,
            "accuracy_m"
        );
    }
}
