//! Whether an arrival can be believed. The recorded on-time rate counts the
//! check-in time as kept; the verified rate counts only the on-time
//! check-ins that nothing casts doubt on and something confirms.
//!
//! Decided once here:
//! - A position whose reported accuracy is worse than `POOR_ACCURACY_M` is
//!   no position at all.
//! - The place of the visit is where the dispatcher located the customer,
//!   else where a customer signed on the phone (the phone is in the
//!   customer's home then); never where a check-in was.
//! - A check-in farther from the place than the radius, after allowing for
//!   both positions' reported accuracy, is flagged. So is a check-in whose
//!   phone time was not believed, and one whose time the customer denied.
//! - Verified: nothing flagged it, and either its position passed the
//!   distance check or the customer confirmed its time.
//! - The verified rate has the on-time rate's denominator (visits due), so
//!   a flag or a missing position can only lower it.

use serde::{Deserialize, Serialize};

use super::metrics::{punctuality, Grace, Punctuality, Rate, VisitArrival};
use super::time::Timestamp;
use super::validation::Coordinates;
use super::visit::PositionFix;

/// A reported accuracy worse than this (in metres) counts as no position:
/// a cell-tower guess says nothing about which building the phone is in.
pub const POOR_ACCURACY_M: f64 = 500.0;

/// How far from the place of the visit a check-in may be, in metres,
/// before the reported accuracies are allowed for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArrivalRadius {
    metres: u32,
}

impl ArrivalRadius {
    /// About one block of flats in a Chinese city, with its car park.
    pub const DEFAULT: ArrivalRadius = ArrivalRadius { metres: 300 };
    /// Closer than this a phone's own error decides the answer.
    pub const MIN_METRES: u32 = 50;
    /// Farther than this a check-in from the next district would pass.
    pub const MAX_METRES: u32 = 5_000;

    pub fn from_metres(metres: u32) -> Option<ArrivalRadius> {
        (Self::MIN_METRES..=Self::MAX_METRES)
            .contains(&metres)
            .then_some(ArrivalRadius { metres })
    }

    pub fn metres(self) -> u32 {
        self.metres
    }
}

impl Default for ArrivalRadius {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// The great-circle distance in metres (haversine on the mean Earth
/// radius): within a few metres of the ellipsoid at a city's scale.
pub fn distance_m(a: Coordinates, b: Coordinates) -> f64 {
    const EARTH_RADIUS_M: f64 = 6_371_008.8;
    let (lat_a, lat_b) = (a.latitude().to_radians(), b.latitude().to_radians());
    let d_lat = lat_b - lat_a;
    let d_lon = (b.longitude() - a.longitude()).to_radians();
    let h = (d_lat / 2.0).sin().powi(2) + lat_a.cos() * lat_b.cos() * (d_lon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

/// Where the visit took place, as far as anyone knows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum VisitPlace {
    /// Located by the dispatcher for the customer: taken as exact.
    Located(Coordinates),
    /// Where a customer of this address signed on the phone.
    SignedAt(PositionFix),
}

impl VisitPlace {
    fn coordinates(self) -> Coordinates {
        match self {
            VisitPlace::Located(at) => at,
            VisitPlace::SignedAt(fix) => fix.coordinates,
        }
    }

    fn accuracy_m(self) -> f64 {
        match self {
            VisitPlace::Located(_) => 0.0,
            VisitPlace::SignedAt(fix) => fix.accuracy_m,
        }
    }
}

/// A position that says where the phone was: one with an accuracy no
/// worse than `POOR_ACCURACY_M`.
pub fn usable(fix: Option<PositionFix>) -> Option<PositionFix> {
    fix.filter(|fix| fix.accuracy_m <= POOR_ACCURACY_M)
}

text_enum! {
    /// What the check-in's position says about the arrival.
    pub enum PositionCheck {
        // Within the radius of the place of the visit.
        Passed = "passed",
        // Farther than the radius: flagged.
        TooFar = "too_far",
        // The phone gave no position, or one too coarse to use.
        NoPosition = "no_position",
        // Nobody knows yet where the customer is.
        NoPlace = "no_place",
    }
}

/// The position check and, when both positions are known, the distance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PositionVerdict {
    pub check: PositionCheck,
    pub distance_m: Option<u32>,
}

pub fn check_position(
    check_in: Option<PositionFix>,
    place: Option<VisitPlace>,
    radius: ArrivalRadius,
) -> PositionVerdict {
    let Some(fix) = usable(check_in) else {
        return PositionVerdict {
            check: PositionCheck::NoPosition,
            distance_m: None,
        };
    };
    let place = match place {
        Some(VisitPlace::SignedAt(signed)) => usable(Some(signed)).map(VisitPlace::SignedAt),
        located => located,
    };
    let Some(place) = place else {
        return PositionVerdict {
            check: PositionCheck::NoPlace,
            distance_m: None,
        };
    };
    let distance = distance_m(fix.coordinates, place.coordinates());
    let allowed = f64::from(radius.metres()) + fix.accuracy_m + place.accuracy_m();
    PositionVerdict {
        check: if distance > allowed {
            PositionCheck::TooFar
        } else {
            PositionCheck::Passed
        },
        // Rounded to the metre; a distance on Earth fits in u32.
        distance_m: Some(distance.round() as u32),
    }
}

text_enum! {
    /// Why an arrival is not believed as recorded.
    pub enum ArrivalFlag {
        // Checked in farther from the customer than the radius.
        TooFar = "too_far",
        // The phone's time for the check-in was not believed.
        DeviceClock = "device_clock",
        // The customer said the arrival time shown was not true.
        CustomerDenied = "customer_denied",
    }
}

/// What is known about one arrival.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArrivalEvidence {
    pub position: PositionCheck,
    /// The phone's time for the check-in was not believed.
    pub clock_doubted: bool,
    /// The customer's answer to "the technician arrived at …, is that
    /// true?"; `None` when not asked: no sign-off yet, the customer was
    /// absent, or signed before the question existed.
    pub customer_confirmed: Option<bool>,
}

impl ArrivalEvidence {
    pub fn flags(&self) -> Vec<ArrivalFlag> {
        [
            (self.position == PositionCheck::TooFar, ArrivalFlag::TooFar),
            (self.clock_doubted, ArrivalFlag::DeviceClock),
            (
                self.customer_confirmed == Some(false),
                ArrivalFlag::CustomerDenied,
            ),
        ]
        .into_iter()
        .filter_map(|(flagged, flag)| flagged.then_some(flag))
        .collect()
    }

    pub fn is_flagged(&self) -> bool {
        !self.flags().is_empty()
    }

    /// Nothing flagged it, and its position or the customer confirms it.
    pub fn is_verified(&self) -> bool {
        !self.is_flagged()
            && (self.position == PositionCheck::Passed || self.customer_confirmed == Some(true))
    }
}

/// An arrival's check as kept on the visit, for its record and the
/// dispatcher: `None` position before anyone checked in.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArrivalCheck {
    pub position: Option<PositionCheck>,
    pub distance_m: Option<u32>,
    pub flags: Vec<ArrivalFlag>,
    pub verified: bool,
}

/// One visit as the verified arrival figure sees it.
#[derive(Clone, Copy, Debug)]
pub struct CheckedArrival {
    pub arrival: VisitArrival,
    pub evidence: ArrivalEvidence,
}

/// Verified on-time rate: on-time check-ins that are verified, over the
/// visits due (the recorded rate's denominator).
pub fn verified_on_time_rate(visits: &[CheckedArrival], grace: Grace, now: Timestamp) -> Rate {
    visits
        .iter()
        .filter(|visit| !visit.arrival.cancelled)
        .fold(Rate::default(), |rate, visit| {
            let arrival = visit.arrival;
            let punctuality = punctuality(arrival.window, arrival.check_in, grace, now);
            if !punctuality.is_due() {
                return rate;
            }
            let counted = punctuality == Punctuality::OnTime && visit.evidence.is_verified();
            Rate {
                count: rate.count + u64::from(counted),
                out_of: rate.out_of + 1,
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::metrics::{on_time_rate, MINUTE_MS};
    use crate::domain::time::AppointmentWindow;
    use proptest::prelude::*;

    /// 上海 人民广场, and points a known distance north of it (one
    /// degree of latitude is 111.2 km on the mean sphere).
    const SQUARE: (f64, f64) = (31.2304, 121.4737);

    fn north_of_square(metres: f64) -> Coordinates {
        Coordinates::new(SQUARE.0 + metres / 111_195.0, SQUARE.1).unwrap()
    }

    fn fix(at: Coordinates, accuracy_m: f64) -> Option<PositionFix> {
        Some(PositionFix::new(at.latitude(), at.longitude(), accuracy_m).unwrap())
    }

    fn located() -> Option<VisitPlace> {
        Some(VisitPlace::Located(north_of_square(0.0)))
    }

    #[test]
    fn distances_match_known_ones() {
        let d = distance_m(north_of_square(0.0), north_of_square(1_000.0));
        assert!((d - 1_000.0).abs() < 1.0, "{d}");
        // 上海 人民广场 to 北京 天安门: about 1,067 km.
        let beijing = Coordinates::new(39.9087, 116.3975).unwrap();
        let d = distance_m(north_of_square(0.0), beijing);
        assert!((1_060_000.0..1_075_000.0).contains(&d), "{d}");
        assert_eq!(distance_m(beijing, beijing), 0.0);
    }

    #[test]
    fn a_check_in_two_kilometres_away_is_flagged_and_one_within_a_hundred_metres_is_not() {
        let far = check_position(
            fix(north_of_square(2_000.0), 20.0),
            located(),
            ArrivalRadius::DEFAULT,
        );
        assert_eq!(far.check, PositionCheck::TooFar);
        assert_eq!(far.distance_m, Some(2_000));
        let near = check_position(
            fix(north_of_square(100.0), 20.0),
            located(),
            ArrivalRadius::DEFAULT,
        );
        assert_eq!(near.check, PositionCheck::Passed);
    }

    #[test]
    fn the_reported_accuracy_is_allowed_for() {
        // 400 m away: too far with a precise fix, within reach of a 150 m one.
        let precise = check_position(
            fix(north_of_square(400.0), 10.0),
            located(),
            ArrivalRadius::DEFAULT,
        );
        assert_eq!(precise.check, PositionCheck::TooFar);
        let coarse = check_position(
            fix(north_of_square(400.0), 150.0),
            located(),
            ArrivalRadius::DEFAULT,
        );
        assert_eq!(coarse.check, PositionCheck::Passed);
        // And the sign-off's accuracy too, when the place was learned from one.
        let signed = Some(VisitPlace::SignedAt(
            fix(north_of_square(0.0), 150.0).unwrap(),
        ));
        let learned = check_position(
            fix(north_of_square(400.0), 10.0),
            signed,
            ArrivalRadius::DEFAULT,
        );
        assert_eq!(learned.check, PositionCheck::Passed);
    }

    #[test]
    fn a_position_worse_than_five_hundred_metres_is_no_position() {
        let poor = check_position(
            fix(north_of_square(0.0), 501.0),
            located(),
            ArrivalRadius::DEFAULT,
        );
        assert_eq!(poor.check, PositionCheck::NoPosition);
        assert_eq!(poor.distance_m, None);
        let edge = check_position(
            fix(north_of_square(0.0), 500.0),
            located(),
            ArrivalRadius::DEFAULT,
        );
        assert_eq!(edge.check, PositionCheck::Passed);
        // A poor sign-off position teaches nothing about the place either.
        let signed_poorly = Some(VisitPlace::SignedAt(
            fix(north_of_square(0.0), 800.0).unwrap(),
        ));
        let unplaced = check_position(
            fix(north_of_square(0.0), 10.0),
            signed_poorly,
            ArrivalRadius::DEFAULT,
        );
        assert_eq!(unplaced.check, PositionCheck::NoPlace);
    }

    #[test]
    fn a_missing_position_or_place_is_no_check() {
        assert_eq!(
            check_position(None, located(), ArrivalRadius::DEFAULT).check,
            PositionCheck::NoPosition
        );
        let no_place = check_position(
            fix(north_of_square(0.0), 10.0),
            None,
            ArrivalRadius::DEFAULT,
        );
        assert_eq!(no_place.check, PositionCheck::NoPlace);
        assert_eq!(no_place.distance_m, None);
    }

    #[test]
    fn the_radius_is_configurable_within_bounds() {
        assert_eq!(ArrivalRadius::default().metres(), 300);
        assert!(ArrivalRadius::from_metres(49).is_none());
        assert!(ArrivalRadius::from_metres(5_001).is_none());
        let wide = ArrivalRadius::from_metres(3_000).unwrap();
        let far = check_position(fix(north_of_square(2_000.0), 20.0), located(), wide);
        assert_eq!(far.check, PositionCheck::Passed);
    }

    fn evidence(
        position: PositionCheck,
        clock_doubted: bool,
        customer: Option<bool>,
    ) -> ArrivalEvidence {
        ArrivalEvidence {
            position,
            clock_doubted,
            customer_confirmed: customer,
        }
    }

    #[test]
    fn an_arrival_is_verified_by_its_position_or_the_customer_and_unflagged() {
        use PositionCheck::*;
        assert!(evidence(Passed, false, None).is_verified());
        assert!(evidence(NoPosition, false, Some(true)).is_verified());
        assert!(evidence(NoPlace, false, Some(true)).is_verified());
        // Customer absent and no position: nothing confirms it.
        assert!(!evidence(NoPosition, false, None).is_verified());
        assert!(!evidence(NoPlace, false, None).is_verified());
        // Any flag outweighs every confirmation.
        assert!(!evidence(TooFar, false, Some(true)).is_verified());
        assert!(!evidence(Passed, true, Some(true)).is_verified());
        assert!(!evidence(Passed, false, Some(false)).is_verified());
        assert_eq!(
            evidence(TooFar, true, Some(false)).flags(),
            vec![
                ArrivalFlag::TooFar,
                ArrivalFlag::DeviceClock,
                ArrivalFlag::CustomerDenied
            ]
        );
        assert!(evidence(NoPosition, false, None).flags().is_empty());
    }

    fn window_at(start_min: i64) -> AppointmentWindow {
        AppointmentWindow::new(
            Timestamp::from_unix_millis(start_min * MINUTE_MS),
            Timestamp::from_unix_millis((start_min + 120) * MINUTE_MS),
        )
        .unwrap()
    }

    #[test]
    fn the_verified_rate_shares_the_recorded_denominator() {
        let on_time = |evidence| CheckedArrival {
            arrival: VisitArrival {
                window: window_at(0),
                check_in: Some(Timestamp::from_unix_millis(30 * MINUTE_MS)),
                cancelled: false,
            },
            evidence,
        };
        let verified = on_time(evidence(PositionCheck::Passed, false, None));
        let flagged = on_time(evidence(PositionCheck::TooFar, false, Some(true)));
        let unconfirmed = on_time(evidence(PositionCheck::NoPosition, false, None));
        let not_yet_due = CheckedArrival {
            arrival: VisitArrival {
                window: window_at(10_000),
                check_in: None,
                cancelled: false,
            },
            evidence: evidence(PositionCheck::NoPosition, false, None),
        };
        let visits = [verified, flagged, unconfirmed, not_yet_due];
        let now = Timestamp::from_unix_millis(1_000 * MINUTE_MS);
        let rate = verified_on_time_rate(&visits, Grace::NONE, now);
        assert_eq!(
            rate,
            Rate {
                count: 1,
                out_of: 3
            }
        );
        let arrivals: Vec<_> = visits.iter().map(|v| v.arrival).collect();
        assert_eq!(
            on_time_rate(&arrivals, Grace::NONE, now),
            Rate {
                count: 3,
                out_of: 3
            }
        );
    }

    fn any_evidence() -> impl Strategy<Value = ArrivalEvidence> {
        (
            prop::sample::select(PositionCheck::ALL.to_vec()),
            any::<bool>(),
            prop::option::of(any::<bool>()),
        )
            .prop_map(
                |(position, clock_doubted, customer_confirmed)| ArrivalEvidence {
                    position,
                    clock_doubted,
                    customer_confirmed,
                },
            )
    }

    fn any_checked_arrival() -> impl Strategy<Value = CheckedArrival> {
        (
            0i64..2_000,
            prop::option::of(-200i64..2_400),
            any::<bool>(),
            any_evidence(),
        )
            .prop_map(|(start, check_in, cancelled, evidence)| CheckedArrival {
                arrival: VisitArrival {
                    window: window_at(start),
                    check_in: check_in
                        .map(|m| Timestamp::from_unix_millis((start + m) * MINUTE_MS)),
                    cancelled,
                },
                evidence,
            })
    }

    proptest! {
        #[test]
        fn verified_never_exceeds_recorded(
            visits in prop::collection::vec(any_checked_arrival(), 0..40),
            now_min in 0i64..5_000,
        ) {
            let now = Timestamp::from_unix_millis(now_min * MINUTE_MS);
            let grace = Grace::from_minutes(15).unwrap();
            let verified = verified_on_time_rate(&visits, grace, now);
            let arrivals: Vec<_> = visits.iter().map(|v| v.arrival).collect();
            let recorded = on_time_rate(&arrivals, grace, now);
            prop_assert_eq!(verified.out_of, recorded.out_of);
            prop_assert!(verified.count <= recorded.count);
        }

        #[test]
        fn a_flag_never_raises_the_verified_rate(
            mut visits in prop::collection::vec(any_checked_arrival(), 1..20),
            which in any::<prop::sample::Index>(),
            flag in 0usize..3,
        ) {
            let now = Timestamp::from_unix_millis(10_000 * MINUTE_MS);
            let before = verified_on_time_rate(&visits, Grace::NONE, now);
            let chosen = which.index(visits.len());
            let evidence = &mut visits[chosen].evidence;
            match flag {
                0 => evidence.position = PositionCheck::TooFar,
                1 => evidence.clock_doubted = true,
                _ => evidence.customer_confirmed = Some(false),
            }
            let after = verified_on_time_rate(&visits, Grace::NONE, now);
            prop_assert_eq!(after.out_of, before.out_of);
            prop_assert!(after.count <= before.count);
        }
    }
}
