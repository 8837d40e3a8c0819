//! Putting a technician on a work order: the dispatcher's rules. A
//! technician works in their own region, on the appliances they are trained
//! for (and the brands they are authorised for, where their profile lists
//! any), inside the window agreed with the customer, and a visit already
//! under way at the home stays with the one who started it: those are
//! refused. A day already full, a window already crowded or hours outside
//! the technician's working day are allowed, but only once the dispatcher
//! has seen the warning and pressed again.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::ids::RecordId;
use super::technician::{Brands, Skills, WorkingHours};
use super::time::{AppointmentWindow, UtcOffset};
use super::visit::VisitStatus;
use super::work_order::ApplianceCategory;

/// Visits in one day a technician can do well (about 45 minutes' work each,
/// with travel between homes); one more asks the dispatcher first.
pub const BUSY_DAY_VISITS: usize = 6;
/// Other visits of the technician's whose windows overlap the new one, from
/// which the window counts as crowded: a third visit promised for the same
/// hours means one customer waits.
pub const CROWDED_WINDOW_VISITS: usize = 2;

#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum AssignmentRefused {
    #[error("the technician works in another service region than the work order's")]
    OtherRegion,
    #[error("the visit's window lies outside the window agreed with the customer")]
    OutsideAgreedWindow,
    #[error("the visit is {0}: it stays with the technician who started it")]
    AlreadyUnderWay(VisitStatus),
    #[error("the work order is closed or cancelled")]
    OrderClosed,
    #[error("the technician is not trained for {0:?}")]
    NoSkill(ApplianceCategory),
    #[error("the technician is not authorised for the brand {0}")]
    OtherBrand(String),
}

/// What the dispatcher is asked to confirm before an assignment goes ahead.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AssignmentWarning {
    /// The technician already has this many visits that day.
    BusyDay { visits: usize },
    /// This many of the technician's visits overlap the window.
    CrowdedWindow { overlapping: usize },
    /// The window lies outside the technician's working hours.
    OutsideWorkingHours { hours: WorkingHours },
}

/// Which warning the dispatcher confirms: a second press names the ones
/// they saw, so a warning that arose meanwhile is asked about again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    BusyDay,
    CrowdedWindow,
    OutsideWorkingHours,
}

impl WarningKind {
    pub const ALL: [WarningKind; 3] = [
        WarningKind::BusyDay,
        WarningKind::CrowdedWindow,
        WarningKind::OutsideWorkingHours,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WarningKind::BusyDay => "busy_day",
            WarningKind::CrowdedWindow => "crowded_window",
            WarningKind::OutsideWorkingHours => "outside_working_hours",
        }
    }

    pub fn parse(text: &str) -> Option<WarningKind> {
        WarningKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == text.trim())
    }
}

impl AssignmentWarning {
    pub fn kind(&self) -> WarningKind {
        match self {
            AssignmentWarning::BusyDay { .. } => WarningKind::BusyDay,
            AssignmentWarning::CrowdedWindow { .. } => WarningKind::CrowdedWindow,
            AssignmentWarning::OutsideWorkingHours { .. } => WarningKind::OutsideWorkingHours,
        }
    }
}

/// The technician as the rules weigh them for this order.
pub struct Candidate<'a> {
    pub region: &'a RecordId,
    /// None: an account whose profile names no skills yet.
    pub skills: Option<&'a Skills>,
    pub brands: &'a Brands,
    pub working_hours: WorkingHours,
    /// Their other visits on the window's local day (not cancelled; the
    /// visit being moved not counted).
    pub visits_that_day: usize,
    /// Their other open visits whose windows overlap the window.
    pub overlapping: usize,
}

/// What the dispatcher proposes, against what is on record.
pub struct Proposal<'a> {
    pub order_region: &'a RecordId,
    pub category: ApplianceCategory,
    pub brand: &'a str,
    pub technician: Candidate<'a>,
    pub agreed: AppointmentWindow,
    pub window: AppointmentWindow,
    /// The region's clock, for the working hours.
    pub utc_offset: UtcOffset,
    /// The order's visit still to be made, when there is one (a reassignment).
    pub open_visit: Option<VisitStatus>,
    pub order_open: bool,
}

/// A visit can be (re)assigned while nobody has reached the home yet.
pub fn may_reassign(status: VisitStatus) -> bool {
    matches!(status, VisitStatus::Dispatched | VisitStatus::OnTheWay)
}

/// Refused, or allowed with what the dispatcher must confirm first (none:
/// it goes ahead at once).
pub fn check_assignment(
    proposal: &Proposal<'_>,
) -> Result<Vec<AssignmentWarning>, AssignmentRefused> {
    let technician = &proposal.technician;
    if !proposal.order_open {
        return Err(AssignmentRefused::OrderClosed);
    }
    if proposal.order_region != technician.region {
        return Err(AssignmentRefused::OtherRegion);
    }
    if let Some(status) = proposal.open_visit.filter(|s| !may_reassign(*s)) {
        return Err(AssignmentRefused::AlreadyUnderWay(status));
    }
    if !technician
        .skills
        .is_some_and(|skills| skills.covers(proposal.category))
    {
        return Err(AssignmentRefused::NoSkill(proposal.category));
    }
    if !technician.brands.covers(proposal.brand) {
        return Err(AssignmentRefused::OtherBrand(proposal.brand.to_string()));
    }
    let (agreed, window) = (proposal.agreed, proposal.window);
    if window.start() < agreed.start() || window.end() > agreed.end() {
        return Err(AssignmentRefused::OutsideAgreedWindow);
    }
    let mut warnings = Vec::new();
    if technician.visits_that_day >= BUSY_DAY_VISITS {
        warnings.push(AssignmentWarning::BusyDay {
            visits: technician.visits_that_day,
        });
    }
    if technician.overlapping >= CROWDED_WINDOW_VISITS {
        warnings.push(AssignmentWarning::CrowdedWindow {
            overlapping: technician.overlapping,
        });
    }
    if !technician.working_hours.cover(window, proposal.utc_offset) {
        warnings.push(AssignmentWarning::OutsideWorkingHours {
            hours: technician.working_hours,
        });
    }
    Ok(warnings)
}

/// The warnings the dispatcher has not confirmed yet.
pub fn unconfirmed(
    warnings: Vec<AssignmentWarning>,
    confirmed: &[WarningKind],
) -> Vec<AssignmentWarning> {
    warnings
        .into_iter()
        .filter(|warning| !confirmed.contains(&warning.kind()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::{local_midnight, Timestamp};
    use proptest::prelude::*;
    use ApplianceCategory as A;

    /// A window on 1 June 2026, China time, by local hours.
    fn window(start_h: i64, end_h: i64) -> AppointmentWindow {
        let midnight = local_midnight(2026, 6, 1, UtcOffset::CHINA).unix_millis();
        let h = |n: i64| Timestamp::from_unix_millis(midnight + n * 3_600_000);
        AppointmentWindow::new(h(start_h), h(end_h)).unwrap()
    }

    fn id(n: u8) -> RecordId {
        RecordId::parse("id", &format!("0190a0b0-0000-7000-8000-0000000000{n:02}")).unwrap()
    }

    struct Case {
        region: RecordId,
        skills: Option<Skills>,
        brands: Brands,
        hours: WorkingHours,
        visits_that_day: usize,
        overlapping: usize,
        category: A,
        brand: &'static str,
        window: AppointmentWindow,
        open_visit: Option<VisitStatus>,
        order_open: bool,
    }

    impl Case {
        /// An east-region washing-machine order, 09:00–11:00, and a free
        /// east-region technician trained for washing machines.
        fn fitting() -> Case {
            Case {
                region: id(1),
                skills: Some(Skills::new(vec![A::WashingMachine, A::Dryer]).unwrap()),
                brands: Brands::default(),
                hours: WorkingHours::DAY_SHIFT,
                visits_that_day: 0,
                overlapping: 0,
                category: A::WashingMachine,
                brand: "海尔",
                window: window(9, 11),
                open_visit: None,
                order_open: true,
            }
        }

        fn check(&self) -> Result<Vec<AssignmentWarning>, AssignmentRefused> {
            let east = id(1);
            check_assignment(&Proposal {
                order_region: &east,
                category: self.category,
                brand: self.brand,
                technician: Candidate {
                    region: &self.region,
                    skills: self.skills.as_ref(),
                    brands: &self.brands,
                    working_hours: self.hours,
                    visits_that_day: self.visits_that_day,
                    overlapping: self.overlapping,
                },
                agreed: window(9, 11),
                window: self.window,
                utc_offset: UtcOffset::CHINA,
                open_visit: self.open_visit,
                order_open: self.order_open,
            })
        }
    }

    #[test]
    fn a_trained_technician_of_the_region_inside_the_agreed_window_is_accepted() {
        assert_eq!(Case::fitting().check(), Ok(vec![]));
        let narrower = Case {
            window: window(9, 10),
            ..Case::fitting()
        };
        assert_eq!(narrower.check(), Ok(vec![]));
        let reassigned = Case {
            open_visit: Some(VisitStatus::OnTheWay),
            ..Case::fitting()
        };
        assert_eq!(reassigned.check(), Ok(vec![]));
        let authorised = Case {
            brands: Brands::parse("海尔,美的").unwrap(),
            ..Case::fitting()
        };
        assert_eq!(authorised.check(), Ok(vec![]));
    }

    #[test]
    fn a_hard_mismatch_is_refused_with_its_reason() {
        let refused = |case: Case| case.check().unwrap_err();
        assert_eq!(
            refused(Case {
                window: window(10, 12),
                ..Case::fitting()
            }),
            AssignmentRefused::OutsideAgreedWindow
        );
        assert_eq!(
            refused(Case {
                window: window(8, 10),
                ..Case::fitting()
            }),
            AssignmentRefused::OutsideAgreedWindow
        );
        assert_eq!(
            refused(Case {
                region: id(2),
                ..Case::fitting()
            }),
            AssignmentRefused::OtherRegion
        );
        assert_eq!(
            refused(Case {
                category: A::AirConditioner,
                ..Case::fitting()
            }),
            AssignmentRefused::NoSkill(A::AirConditioner)
        );
        assert_eq!(
            refused(Case {
                skills: None,
                ..Case::fitting()
            }),
            AssignmentRefused::NoSkill(A::WashingMachine)
        );
        assert_eq!(
            refused(Case {
                brands: Brands::parse("美的").unwrap(),
                ..Case::fitting()
            }),
            AssignmentRefused::OtherBrand("海尔".into())
        );
        for started in [
            VisitStatus::Arrived,
            VisitStatus::WorkStarted,
            VisitStatus::Signed,
        ] {
            assert_eq!(
                refused(Case {
                    open_visit: Some(started),
                    ..Case::fitting()
                }),
                AssignmentRefused::AlreadyUnderWay(started)
            );
        }
        assert_eq!(
            refused(Case {
                order_open: false,
                ..Case::fitting()
            }),
            AssignmentRefused::OrderClosed
        );
    }

    #[test]
    fn a_full_day_a_crowded_window_or_hours_off_shift_warn_and_need_confirming() {
        let warned = |case: Case| case.check().unwrap();
        assert_eq!(
            warned(Case {
                visits_that_day: BUSY_DAY_VISITS - 1,
                ..Case::fitting()
            }),
            vec![]
        );
        assert_eq!(
            warned(Case {
                visits_that_day: BUSY_DAY_VISITS,
                ..Case::fitting()
            }),
            vec![AssignmentWarning::BusyDay {
                visits: BUSY_DAY_VISITS
            }]
        );
        assert_eq!(
            warned(Case {
                overlapping: 1,
                ..Case::fitting()
            }),
            vec![]
        );
        assert_eq!(
            warned(Case {
                overlapping: 2,
                ..Case::fitting()
            }),
            vec![AssignmentWarning::CrowdedWindow { overlapping: 2 }]
        );
        let late_shift = WorkingHours::parse("10:00", "20:00").unwrap();
        let all = warned(Case {
            hours: late_shift,
            visits_that_day: 7,
            overlapping: 3,
            ..Case::fitting()
        });
        assert_eq!(
            all,
            vec![
                AssignmentWarning::BusyDay { visits: 7 },
                AssignmentWarning::CrowdedWindow { overlapping: 3 },
                AssignmentWarning::OutsideWorkingHours { hours: late_shift },
            ]
        );
        // The second press confirms what was shown; anything else still asks.
        assert_eq!(unconfirmed(all.clone(), &WarningKind::ALL), vec![]);
        assert_eq!(
            unconfirmed(all, &[WarningKind::BusyDay, WarningKind::CrowdedWindow]),
            vec![AssignmentWarning::OutsideWorkingHours { hours: late_shift }]
        );
        // A hard mismatch is refused however many warnings are confirmed.
        let untrained = Case {
            category: A::Refrigerator,
            visits_that_day: 9,
            ..Case::fitting()
        };
        assert_eq!(
            untrained.check(),
            Err(AssignmentRefused::NoSkill(A::Refrigerator))
        );
    }

    #[test]
    fn warning_kinds_read_back_from_their_names() {
        for kind in WarningKind::ALL {
            assert_eq!(WarningKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(WarningKind::parse("everything"), None);
    }

    proptest! {
        /// Whatever the load, a technician without the order's category is
        /// refused and one with it is never refused for the load.
        #[test]
        fn load_only_ever_warns(visits in 0usize..20, overlapping in 0usize..6, skill in 0usize..7, need in 0usize..7) {
            let case = Case {
                skills: Some(Skills::new(vec![A::ALL[skill]]).unwrap()),
                category: A::ALL[need],
                visits_that_day: visits,
                overlapping,
                ..Case::fitting()
            };
            match case.check() {
                Err(refusal) => prop_assert_eq!(refusal, AssignmentRefused::NoSkill(A::ALL[need])),
                Ok(warnings) => {
                    prop_assert_eq!(skill, need);
                    prop_assert_eq!(warnings.len(), usize::from(visits >= BUSY_DAY_VISITS) + usize::from(overlapping >= CROWDED_WINDOW_VISITS));
                }
            }
        }
    }
}
