//! When a step made on the phone happened. Online, the server's clock
//! decides; a step made offline reaches the server late (minutes, hours),
//! so it is timed by the phone's clock, which the server keeps beside its
//! own receive time. A phone whose clock is far from the server's is
//! flagged for the dispatcher, since its times can't be trusted blindly.

use super::time::Timestamp;

/// A step that reached the server this long after it was made (by the
/// phone's clock, corrected by the measured skew) was made offline. Below
/// it, the delay is the network's, and the server's clock is the better one.
pub const OFFLINE_AFTER_MS: i64 = 60 * 1_000;

/// A phone clock this far from the server's is flagged.
pub const FLAG_SKEW_OVER_MS: i64 = 5 * 60 * 1_000;

/// Whether a phone clock this far from the server's (server minus phone)
/// is flagged.
pub fn clock_flagged(skew_ms: i64) -> bool {
    skew_ms.saturating_abs() > FLAG_SKEW_OVER_MS
}

/// The phone's view of a step: when it was made by the phone's clock, and
/// how far the phone's clock was from the server's when it was sent
/// (server minus phone), when either is known.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeviceClock {
    pub made_at: Option<Timestamp>,
    pub skew_ms: Option<i64>,
}

/// The time a step counts at, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JudgedTime {
    /// The time the step counts at (on-time arrival is judged on it).
    pub at: Timestamp,
    pub made_offline: bool,
    pub clock_flagged: bool,
}

impl DeviceClock {
    /// The time a step received by the server at `received` counts at:
    /// the phone's clock when the step was made offline, the server's
    /// otherwise; never later than its receipt.
    pub fn judge(self, received: Timestamp) -> JudgedTime {
        let skew = self.skew_ms.unwrap_or(0);
        let clock_flagged = self.skew_ms.is_some_and(clock_flagged);
        let made_offline = self.made_at.is_some_and(|made| {
            received
                .unix_millis()
                .saturating_sub(made.unix_millis().saturating_add(skew))
                > OFFLINE_AFTER_MS
        });
        let at = match self.made_at {
            Some(made) if made_offline && made.unix_millis() <= received.unix_millis() => made,
            _ => received,
        };
        JudgedTime {
            at,
            made_offline,
            clock_flagged,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const RECEIVED: Timestamp = Timestamp::from_unix_millis(1_795_000_000_000);

    fn clock(made_ms_before: i64, skew_ms: Option<i64>) -> DeviceClock {
        DeviceClock {
            made_at: Some(Timestamp::from_unix_millis(
                RECEIVED.unix_millis() - made_ms_before,
            )),
            skew_ms,
        }
    }

    #[test]
    fn an_online_step_counts_at_its_receipt() {
        let judged = clock(800, Some(0)).judge(RECEIVED);
        assert_eq!(judged.at, RECEIVED);
        assert!(!judged.made_offline);
        assert!(!judged.clock_flagged);
    }

    #[test]
    fn a_step_made_offline_counts_at_the_phones_time() {
        let two_hours = 2 * 3_600_000;
        let judged = clock(two_hours, Some(1_500)).judge(RECEIVED);
        assert_eq!(judged.at.unix_millis(), RECEIVED.unix_millis() - two_hours);
        assert!(judged.made_offline);
        assert!(!judged.clock_flagged);
    }

    #[test]
    fn a_phone_clock_behind_by_hours_is_flagged_not_taken_as_offline() {
        // The phone's clock runs 3 h behind; the step was made just now.
        let three_hours = 3 * 3_600_000;
        let judged = clock(three_hours, Some(three_hours)).judge(RECEIVED);
        assert!(judged.clock_flagged);
        assert!(!judged.made_offline);
        assert_eq!(judged.at, RECEIVED);
    }

    #[test]
    fn no_device_time_means_the_servers() {
        let judged = DeviceClock::default().judge(RECEIVED);
        assert_eq!(judged.at, RECEIVED);
        assert!(!judged.made_offline && !judged.clock_flagged);
    }

    proptest! {
        #[test]
        fn a_step_never_counts_after_it_was_received(
            before in -10_000_000_000i64..10_000_000_000,
            skew in proptest::option::of(-10_000_000_000i64..10_000_000_000),
        ) {
            let judged = clock(before, skew).judge(RECEIVED);
            prop_assert!(judged.at <= RECEIVED);
            // Either the server's time or the phone's, nothing in between.
            prop_assert!(judged.at == RECEIVED || judged.at.unix_millis() == RECEIVED.unix_millis() - before);
            prop_assert_eq!(judged.clock_flagged, skew.is_some_and(|s| s.abs() > FLAG_SKEW_OVER_MS));
        }
    }
}
