//! When a step made on the phone happened. Online, the server's clock
//! decides; a step made offline reaches the server late (minutes, hours),
//! so it is timed by the phone's clock, which the server keeps beside its
//! own receive time.
//!
//! A phone's clock can be wrong, or set back on purpose to make a late
//! arrival look on time, so its time counts only when nothing the server
//! knows contradicts it: it is not earlier than the visit's assignment,
//! than the visit's previous step, or than the phone's own previous
//! operation (the outbox sends in the order things were made), nor ahead
//! of the server's clock by more than the skew allowance, and the phone's
//! clock was not measured far off when it sent. A contradicted time is
//! kept and flagged with the reason, and the step counts at the server's
//! receive time instead.

use super::time::Timestamp;

/// A step that reached the server this long after it was made (by the
/// phone's clock, corrected by the measured skew) was made offline. Below
/// it, the delay is the network's, and the server's clock is the better one.
pub const OFFLINE_AFTER_MS: i64 = 60 * 1_000;

/// How far a phone's clock may be from the server's before its times are
/// doubted: measured when it sends, or a time ahead of the server's.
pub const SKEW_ALLOWANCE_MS: i64 = 5 * 60 * 1_000;

/// Whether a phone clock this far from the server's (server minus phone)
/// is flagged.
pub fn clock_flagged(skew_ms: i64) -> bool {
    skew_ms.saturating_abs() > SKEW_ALLOWANCE_MS
}

/// The phone's view of a step: when it was made by the phone's clock, and
/// how far the phone's clock was from the server's when it was sent
/// (server minus phone), when either is known.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeviceClock {
    pub made_at: Option<Timestamp>,
    pub skew_ms: Option<i64>,
}

/// What the server knows happened before the step was made, so the
/// phone's time for it cannot be earlier.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EarliestPossible {
    /// When the visit was given to this technician.
    pub assigned: Option<Timestamp>,
    /// The visit's latest step before this one, as it counted.
    pub previous_step: Option<Timestamp>,
    /// The phone's time of the technician's operation received before
    /// this one (one not itself doubted).
    pub previous_operation: Option<Timestamp>,
}

text_enum! {
    /// Why a phone's time for a step was not believed: its clock was
    /// measured far from the server's; it is later than the server's own
    /// clock says it is now; or it is earlier than the assignment, the
    /// visit's previous step or the phone's previous operation.
    pub enum ClockDoubt {
        SkewOverAllowance = "skew_over_allowance",
        AheadOfServer = "ahead_of_server",
        BeforeAssignment = "before_assignment",
        BeforePreviousStep = "before_previous_step",
        BeforePreviousOperation = "before_previous_operation",
    }
}

/// The time a step counts at, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JudgedTime {
    /// The time the step counts at (on-time arrival is judged on it).
    pub at: Timestamp,
    pub made_offline: bool,
    /// Why the phone's time was not believed, if it was not.
    pub doubt: Option<ClockDoubt>,
}

impl JudgedTime {
    pub fn clock_flagged(&self) -> bool {
        self.doubt.is_some()
    }
}

impl DeviceClock {
    /// An outbox operation's clock: made at `made_at_ms` and sent at
    /// `sent_at_ms` by the phone's clock, received by the server at
    /// `received`.
    pub fn of_operation(made_at_ms: i64, sent_at_ms: i64, received: Timestamp) -> DeviceClock {
        DeviceClock {
            made_at: Some(Timestamp::from_unix_millis(made_at_ms)),
            skew_ms: Some(received.unix_millis().saturating_sub(sent_at_ms)),
        }
    }

    /// The time a step received by the server at `received` counts at:
    /// the phone's clock when the step was made offline and nothing
    /// contradicts it, the server's otherwise; never later than its
    /// receipt.
    pub fn judge(self, received: Timestamp, earliest: EarliestPossible) -> JudgedTime {
        let skew = self.skew_ms.unwrap_or(0);
        let made_offline = self.made_at.is_some_and(|made| {
            received
                .unix_millis()
                .saturating_sub(made.unix_millis().saturating_add(skew))
                > OFFLINE_AFTER_MS
        });
        let doubt = self.doubt(received, earliest);
        let at = match (self.made_at, doubt) {
            (Some(made), None) if made_offline && made <= received => made,
            _ => received,
        };
        JudgedTime {
            at,
            made_offline,
            doubt,
        }
    }

    fn doubt(self, received: Timestamp, earliest: EarliestPossible) -> Option<ClockDoubt> {
        if self.skew_ms.is_some_and(clock_flagged) {
            return Some(ClockDoubt::SkewOverAllowance);
        }
        let made = self.made_at?;
        let before = |bound: Option<Timestamp>| bound.is_some_and(|bound| made < bound);
        if made.unix_millis() > received.unix_millis().saturating_add(SKEW_ALLOWANCE_MS) {
            Some(ClockDoubt::AheadOfServer)
        } else if before(earliest.assigned) {
            Some(ClockDoubt::BeforeAssignment)
        } else if before(earliest.previous_step) {
            Some(ClockDoubt::BeforePreviousStep)
        } else if before(earliest.previous_operation) {
            Some(ClockDoubt::BeforePreviousOperation)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const RECEIVED: Timestamp = Timestamp::from_unix_millis(1_795_000_000_000);
    const HOUR: i64 = 3_600_000;

    fn ago(ms: i64) -> Timestamp {
        Timestamp::from_unix_millis(RECEIVED.unix_millis() - ms)
    }

    fn clock(made_ms_before: i64, skew_ms: Option<i64>) -> DeviceClock {
        DeviceClock {
            made_at: Some(ago(made_ms_before)),
            skew_ms,
        }
    }

    const NOTHING_KNOWN: EarliestPossible = EarliestPossible {
        assigned: None,
        previous_step: None,
        previous_operation: None,
    };

    #[test]
    fn an_online_step_counts_at_its_receipt() {
        let judged = clock(800, Some(0)).judge(RECEIVED, NOTHING_KNOWN);
        assert_eq!(judged.at, RECEIVED);
        assert!(!judged.made_offline);
        assert!(!judged.clock_flagged());
    }

    #[test]
    fn a_step_made_offline_counts_at_the_phones_time() {
        let earliest = EarliestPossible {
            assigned: Some(ago(20 * HOUR)),
            previous_step: Some(ago(3 * HOUR)),
            previous_operation: Some(ago(2 * HOUR + 60_000)),
        };
        let judged = clock(2 * HOUR, Some(1_500)).judge(RECEIVED, earliest);
        assert_eq!(judged.at, ago(2 * HOUR));
        assert!(judged.made_offline);
        assert_eq!(judged.doubt, None);
    }

    #[test]
    fn a_phone_clock_behind_by_hours_is_flagged_not_taken_as_offline() {
        // The phone's clock runs 3 h behind; the step was made just now.
        let judged = clock(3 * HOUR, Some(3 * HOUR)).judge(RECEIVED, NOTHING_KNOWN);
        assert_eq!(judged.doubt, Some(ClockDoubt::SkewOverAllowance));
        assert_eq!(judged.at, RECEIVED);
    }

    #[test]
    fn no_device_time_means_the_servers() {
        let judged = DeviceClock::default().judge(RECEIVED, NOTHING_KNOWN);
        assert_eq!(judged.at, RECEIVED);
        assert!(!judged.made_offline && !judged.clock_flagged());
    }

    /// The review's case: set off online at 09:40, checked in hours late
    /// with the phone's time set back to 09:05, inside the window.
    #[test]
    fn a_check_in_set_back_before_the_set_off_counts_at_its_receipt() {
        let set_off = ago(3 * HOUR);
        let earliest = EarliestPossible {
            assigned: Some(ago(20 * HOUR)),
            previous_step: Some(set_off),
            previous_operation: Some(set_off),
        };
        let judged = clock(3 * HOUR + 35 * 60_000, Some(0)).judge(RECEIVED, earliest);
        assert_eq!(judged.doubt, Some(ClockDoubt::BeforePreviousStep));
        assert_eq!(judged.at, RECEIVED);
    }

    #[test]
    fn extreme_phone_times_are_doubted_and_never_counted() {
        let earliest = EarliestPossible {
            assigned: Some(ago(20 * HOUR)),
            ..NOTHING_KNOWN
        };
        for made in [0, i64::MIN, -1, i64::MAX] {
            let clock = DeviceClock {
                made_at: Some(Timestamp::from_unix_millis(made)),
                skew_ms: None,
            };
            let judged = clock.judge(RECEIVED, earliest);
            assert_eq!(judged.at, RECEIVED, "{made}");
            assert!(judged.clock_flagged(), "{made}");
        }
        let ahead = clock(-(SKEW_ALLOWANCE_MS + 1), None).judge(RECEIVED, NOTHING_KNOWN);
        assert_eq!(ahead.doubt, Some(ClockDoubt::AheadOfServer));
        let just_ahead = clock(-SKEW_ALLOWANCE_MS, None).judge(RECEIVED, NOTHING_KNOWN);
        assert_eq!(just_ahead.doubt, None);
        assert_eq!(just_ahead.at, RECEIVED);
    }

    #[test]
    fn each_bound_is_its_own_reason() {
        let bound = ago(HOUR);
        let made = clock(HOUR + 1, None);
        for (earliest, reason) in [
            (
                EarliestPossible {
                    assigned: Some(bound),
                    ..NOTHING_KNOWN
                },
                ClockDoubt::BeforeAssignment,
            ),
            (
                EarliestPossible {
                    previous_step: Some(bound),
                    ..NOTHING_KNOWN
                },
                ClockDoubt::BeforePreviousStep,
            ),
            (
                EarliestPossible {
                    previous_operation: Some(bound),
                    ..NOTHING_KNOWN
                },
                ClockDoubt::BeforePreviousOperation,
            ),
        ] {
            assert_eq!(made.judge(RECEIVED, earliest).doubt, Some(reason));
            // At the bound itself, the time stands.
            let at_bound = clock(HOUR, None).judge(RECEIVED, earliest);
            assert_eq!((at_bound.doubt, at_bound.at), (None, bound));
        }
    }

    #[test]
    fn doubts_round_trip() {
        for doubt in ClockDoubt::ALL {
            assert_eq!(ClockDoubt::parse(doubt.as_str()), Some(*doubt));
        }
    }

    fn any_time() -> impl Strategy<Value = Option<Timestamp>> {
        proptest::option::of(prop_oneof![
            any::<i64>().prop_map(Timestamp::from_unix_millis),
            (-30 * HOUR..30 * HOUR).prop_map(ago),
        ])
    }

    proptest! {
        #[test]
        fn a_step_never_counts_after_it_was_received_nor_before_what_preceded_it(
            made in any_time(),
            skew in proptest::option::of(prop_oneof![any::<i64>(), -HOUR..HOUR]),
            assigned in any_time(),
            previous_step in any_time(),
            previous_operation in any_time(),
        ) {
            let earliest = EarliestPossible { assigned, previous_step, previous_operation };
            let clock = DeviceClock { made_at: made, skew_ms: skew };
            let judged = clock.judge(RECEIVED, earliest);
            // Either the server's time or the phone's, nothing in between,
            // and never after the receipt.
            prop_assert!(judged.at <= RECEIVED);
            prop_assert!(judged.at == RECEIVED || Some(judged.at) == made);
            // A doubted time never counts.
            if judged.doubt.is_some() {
                prop_assert_eq!(judged.at, RECEIVED);
            }
            // A phone time that counts is no earlier than anything known
            // to have come before it, and its clock was within the allowance.
            if judged.at != RECEIVED {
                for bound in [assigned, previous_step, previous_operation].into_iter().flatten() {
                    prop_assert!(judged.at >= bound);
                }
                prop_assert!(!skew.is_some_and(clock_flagged));
            }
            // Doubted exactly when a rule is broken.
            let broken = skew.is_some_and(clock_flagged)
                || made.is_some_and(|made| {
                    made.unix_millis() > RECEIVED.unix_millis().saturating_add(SKEW_ALLOWANCE_MS)
                        || [assigned, previous_step, previous_operation]
                            .into_iter()
                            .flatten()
                            .any(|bound| made < bound)
                });
            prop_assert_eq!(judged.doubt.is_some(), broken);
        }
    }
}
