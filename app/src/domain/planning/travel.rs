//! How long a drive between two homes takes. There is no road data on the
//! phone or offline, so the model is deliberately plain: the great-circle
//! distance times a detour factor for the street grid, at a speed that
//! depends on the hour the drive starts, plus fixed minutes to park and
//! climb to the flat. A routing service can replace it behind
//! [`TravelModel`].

use serde::{Deserialize, Serialize};

use super::Minute;
use crate::domain::arrival::distance_m;
use crate::domain::validation::Coordinates;

/// One drive: road metres and whole minutes door to door.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Leg {
    pub metres: f64,
    pub minutes: Minute,
}

pub trait TravelModel {
    /// The drive from `from` to `to`, leaving at `departs`.
    fn leg(&self, from: Coordinates, to: Coordinates, departs: Minute) -> Leg;

    /// Road metres, whatever the hour.
    fn metres(&self, from: Coordinates, to: Coordinates) -> f64 {
        self.leg(from, to, 12 * 60).metres
    }

    /// The drive over `metres` of road leaving at `departs`: lets a planner
    /// keep a table of metres and ask for the minutes.
    fn minutes_for(&self, metres: f64, departs: Minute) -> Minute;
}

/// The configurable model. Its defaults are a Chinese city's service
/// drive by electric scooter or van: streets about 1.35 times the straight
/// line, 25 km/h, 15 km/h in the morning and evening rush, and 8 minutes to
/// park, find the building and climb.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelledTravel {
    pub detour_factor: f64,
    pub speed_kmh: f64,
    pub rush_speed_kmh: f64,
    /// Drives that start inside these (from, until) minutes go at the rush
    /// speed.
    pub rush_hours: [(Minute, Minute); 2],
    pub park_and_climb_minutes: Minute,
}

impl Default for ModelledTravel {
    fn default() -> Self {
        ModelledTravel {
            detour_factor: 1.35,
            speed_kmh: 25.0,
            rush_speed_kmh: 15.0,
            rush_hours: [(7 * 60, 9 * 60), (17 * 60, 19 * 60)],
            park_and_climb_minutes: 8,
        }
    }
}

impl ModelledTravel {
    fn in_rush(&self, minute: Minute) -> bool {
        let minute_of_day = minute % (24 * 60);
        self.rush_hours
            .iter()
            .any(|&(from, until)| (from..until).contains(&minute_of_day))
    }

    /// The next minute after `minute` at which the speed may change.
    fn next_change(&self, minute: Minute) -> Minute {
        let day = minute / (24 * 60) * (24 * 60);
        self.rush_hours
            .iter()
            .flat_map(|&(from, until)| [day + from, day + until, day + 24 * 60 + from])
            .filter(|&change| change > minute)
            .min()
            .unwrap_or(day + 24 * 60)
    }
}

impl TravelModel for ModelledTravel {
    fn leg(&self, from: Coordinates, to: Coordinates, departs: Minute) -> Leg {
        let metres = distance_m(from, to) * self.detour_factor;
        Leg {
            metres,
            minutes: self.minutes_for(metres, departs),
        }
    }

    /// The drive runs at the speed of each stretch of the clock it passes
    /// through, so leaving later never means arriving earlier.
    fn minutes_for(&self, metres: f64, departs: Minute) -> Minute {
        // Another job in the same building is a walk down the stairs.
        if metres < 50.0 {
            return 0;
        }
        let (mut left_km, mut clock) = (metres / 1000.0, f64::from(departs));
        loop {
            let minute = clock.floor() as Minute;
            let speed = if self.in_rush(minute) {
                self.rush_speed_kmh
            } else {
                self.speed_kmh
            }
            .max(1.0);
            let stretch = f64::from(self.next_change(minute)) - clock;
            let reach_km = speed * stretch / 60.0;
            if left_km <= reach_km {
                clock += left_km / speed * 60.0;
                break;
            }
            left_km -= reach_km;
            clock += stretch;
        }
        (clock - f64::from(departs) - 1e-9).ceil() as Minute + self.park_and_climb_minutes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(lat: f64, lon: f64) -> Coordinates {
        Coordinates::new(lat, lon).unwrap()
    }

    #[test]
    fn a_drive_is_the_detoured_distance_at_the_hours_speed_plus_parking() {
        let model = ModelledTravel::default();
        // About 10 km due north.
        let (a, b) = (at(31.80, 117.20), at(31.80 + 10.0 / 111.2, 117.20));
        let noon = model.leg(a, b, 12 * 60);
        assert!((noon.metres - 13_500.0).abs() < 100.0, "{}", noon.metres);
        // 13.5 km at 25 km/h is 32.4 minutes, rounded up, plus 8.
        assert_eq!(noon.minutes, 33 + 8);
        // In the morning rush the same drive is slower: 54 minutes, plus 8.
        assert_eq!(model.leg(a, b, 8 * 60).minutes, 54 + 8);
        assert_eq!(model.leg(a, b, 9 * 60).minutes, 33 + 8);
        // Leaving at 08:30: 7.5 km in the rush's last half hour, the other
        // 6 km at 25 km/h (14.4 minutes).
        assert_eq!(model.leg(a, b, 8 * 60 + 30).minutes, 45 + 8);
        // Next door: no drive at all.
        assert_eq!(model.leg(a, a, 12 * 60).minutes, 0);
    }

    #[test]
    fn leaving_later_never_arrives_earlier() {
        let model = ModelledTravel::default();
        for metres in [800.0, 5_000.0, 13_500.0, 40_000.0] {
            let mut last = 0;
            for departs in 6 * 60..22 * 60 {
                let arrives = departs + model.minutes_for(metres, departs);
                assert!(arrives >= last, "{metres} m leaving at {departs}");
                last = arrives;
            }
        }
    }

    #[test]
    fn the_model_is_configurable() {
        let slow = ModelledTravel {
            speed_kmh: 12.5,
            park_and_climb_minutes: 0,
            ..ModelledTravel::default()
        };
        assert_eq!(slow.minutes_for(12_500.0, 12 * 60), 60);
    }
}
