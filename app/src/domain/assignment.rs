//! Putting a technician on a work order: the dispatcher's rules. A
//! technician works in their own region, inside the window agreed with the
//! customer, and a visit already under way at the home stays with the one
//! who started it.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::ids::RecordId;
use super::time::AppointmentWindow;
use super::visit::VisitStatus;

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
}

/// What the dispatcher proposes, against what is on record.
pub struct Proposal<'a> {
    pub order_region: &'a RecordId,
    pub technician_region: &'a RecordId,
    pub agreed: AppointmentWindow,
    pub window: AppointmentWindow,
    /// The order's visit still to be made, when there is one (a reassignment).
    pub open_visit: Option<VisitStatus>,
    pub order_open: bool,
}

/// A visit can be (re)assigned while nobody has reached the home yet.
pub fn may_reassign(status: VisitStatus) -> bool {
    matches!(status, VisitStatus::Dispatched | VisitStatus::OnTheWay)
}

pub fn check_assignment(proposal: &Proposal<'_>) -> Result<(), AssignmentRefused> {
    if !proposal.order_open {
        return Err(AssignmentRefused::OrderClosed);
    }
    if proposal.order_region != proposal.technician_region {
        return Err(AssignmentRefused::OtherRegion);
    }
    if let Some(status) = proposal.open_visit.filter(|s| !may_reassign(*s)) {
        return Err(AssignmentRefused::AlreadyUnderWay(status));
    }
    let (agreed, window) = (proposal.agreed, proposal.window);
    if window.start() < agreed.start() || window.end() > agreed.end() {
        return Err(AssignmentRefused::OutsideAgreedWindow);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::Timestamp;

    fn window(start_h: i64, end_h: i64) -> AppointmentWindow {
        let h = |n: i64| Timestamp::from_unix_millis(n * 3_600_000);
        AppointmentWindow::new(h(start_h), h(end_h)).unwrap()
    }

    fn id(n: u8) -> RecordId {
        RecordId::parse("id", &format!("0190a0b0-0000-7000-8000-0000000000{n:02}")).unwrap()
    }

    #[test]
    fn a_technician_of_the_region_inside_the_agreed_window_is_accepted() {
        let (east, west) = (id(1), id(2));
        let proposal = |technician_region, window, open_visit| Proposal {
            order_region: &east,
            technician_region,
            agreed: self::window(9, 11),
            window,
            open_visit,
            order_open: true,
        };
        assert_eq!(
            check_assignment(&proposal(&east, window(9, 11), None)),
            Ok(())
        );
        assert_eq!(
            check_assignment(&proposal(&east, window(9, 10), None)),
            Ok(())
        );
        assert_eq!(
            check_assignment(&proposal(&east, window(10, 12), None)),
            Err(AssignmentRefused::OutsideAgreedWindow)
        );
        assert_eq!(
            check_assignment(&proposal(&east, window(8, 10), None)),
            Err(AssignmentRefused::OutsideAgreedWindow)
        );
        assert_eq!(
            check_assignment(&proposal(&west, window(9, 11), None)),
            Err(AssignmentRefused::OtherRegion)
        );
        assert_eq!(
            check_assignment(&proposal(&east, window(9, 11), Some(VisitStatus::OnTheWay))),
            Ok(())
        );
        for started in [
            VisitStatus::Arrived,
            VisitStatus::WorkStarted,
            VisitStatus::Signed,
        ] {
            assert_eq!(
                check_assignment(&proposal(&east, window(9, 11), Some(started))),
                Err(AssignmentRefused::AlreadyUnderWay(started))
            );
        }
        let closed = Proposal {
            order_open: false,
            ..proposal(&east, window(9, 11), None)
        };
        assert_eq!(
            check_assignment(&closed),
            Err(AssignmentRefused::OrderClosed)
        );
    }
}
