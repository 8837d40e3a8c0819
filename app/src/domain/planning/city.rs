//! The plan benchmark's city, fixed so the planner cannot be tuned to it:
//! a 20 × 20 km square; 12 technicians starting at 08:00 at random points,
//! each trained for 2 of the 6 appliance categories and working until
//! 20:00, the pairs dealt out so that every category has 4 technicians (as
//! a company staffs them: a random draw can leave 19 orders to 2
//! technicians, which no plan serves inside the windows); 100 visits at
//! uniform random points, each for one category, with a 2-hour window
//! starting on the hour from 08:00 to 16:00 and 45 minutes' work. A seed
//! gives the same city on every machine.

use super::{Minute, PlanProblem, PlanTechnician, PlanVisit};
use crate::domain::technician::{Skills, WorkingHours};
use crate::domain::validation::Coordinates;
use crate::domain::work_order::ApplianceCategory;

pub const TECHNICIANS: usize = 12;
pub const VISITS: usize = 100;
pub const SIDE_KM: f64 = 20.0;
/// The categories of the city (every one but "other").
pub const CATEGORIES: [ApplianceCategory; 6] = [
    ApplianceCategory::WashingMachine,
    ApplianceCategory::Dryer,
    ApplianceCategory::Refrigerator,
    ApplianceCategory::AirConditioner,
    ApplianceCategory::WaterHeater,
    ApplianceCategory::Dishwasher,
];
/// The square's south-west corner (in Hefei; any city would do).
const SOUTH_WEST: (f64, f64) = (31.75, 117.15);
const KM_PER_DEGREE_LATITUDE: f64 = 111.2;

pub fn synthetic_city(seed: u64) -> PlanProblem {
    let mut rng = fastrand::Rng::with_seed(seed);
    let technicians = (0..TECHNICIANS)
        .map(|index| {
            let start = random_point(&mut rng);
            // (0,1) (1,2) … (5,0), then (0,2) (1,3) … (5,1).
            let first = index % CATEGORIES.len();
            let second = (first + 1 + index / CATEGORIES.len()) % CATEGORIES.len();
            PlanTechnician {
                start,
                skills: Skills::new(vec![CATEGORIES[first], CATEGORIES[second]])
                    .expect("two categories"),
                hours: WorkingHours::new(8 * 60, 20 * 60).expect("08:00 to 20:00"),
            }
        })
        .collect();
    let visits = (0..VISITS)
        .map(|_| {
            let place = random_point(&mut rng);
            let from: Minute = (8 + rng.u32(0..=8)) * 60;
            PlanVisit {
                place,
                category: CATEGORIES[rng.usize(..CATEGORIES.len())],
                window: (from, from + 120),
                work_minutes: 45,
                pinned_to: None,
                ruled_out: Vec::new(),
            }
        })
        .collect();
    PlanProblem {
        technicians,
        visits,
    }
}

fn random_point(rng: &mut fastrand::Rng) -> Coordinates {
    let (north_km, east_km) = (rng.f64() * SIDE_KM, rng.f64() * SIDE_KM);
    let km_per_degree_longitude = KM_PER_DEGREE_LATITUDE * SOUTH_WEST.0.to_radians().cos();
    Coordinates::new(
        SOUTH_WEST.0 + north_km / KM_PER_DEGREE_LATITUDE,
        SOUTH_WEST.1 + east_km / km_per_degree_longitude,
    )
    .expect("inside the square")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_city_is_as_fixed_and_the_same_for_a_seed() {
        let city = synthetic_city(3);
        assert_eq!(city, synthetic_city(3));
        assert_ne!(city, synthetic_city(4));
        assert_eq!(city.technicians.len(), TECHNICIANS);
        assert_eq!(city.visits.len(), VISITS);
        for category in CATEGORIES {
            let trained = city
                .technicians
                .iter()
                .filter(|t| t.skills.covers(category))
                .count();
            assert_eq!(trained, 4, "{category:?}");
        }
        for technician in &city.technicians {
            assert_eq!(technician.skills.categories().len(), 2);
            assert_eq!(
                (
                    technician.hours.from_minute(),
                    technician.hours.until_minute()
                ),
                (480, 1200)
            );
        }
        for visit in &city.visits {
            let (from, until) = visit.window;
            assert!((480..=960).contains(&from) && from % 60 == 0, "{from}");
            assert_eq!(until - from, 120);
            assert_eq!(visit.work_minutes, 45);
            let north = (visit.place.latitude() - SOUTH_WEST.0) * KM_PER_DEGREE_LATITUDE;
            assert!((0.0..=SIDE_KM).contains(&north));
        }
    }
}
