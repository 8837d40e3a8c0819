//! What happens to work a technician did offline when the office changed
//! the visit meanwhile. The written rules:
//!
//! 1. The technician's work is never dropped. An operation the server can't
//!    apply because of what the office did is *held*: kept whole, with who
//!    made it, the phone's time and the server's, for the region's
//!    dispatchers to settle.
//! 2. The visit was cancelled meanwhile → held, reason "cancelled". The
//!    dispatcher decides whether the cancellation stands (the customer may
//!    have been served after all).
//! 3. The visit was given to another technician meanwhile → held, reason
//!    "reassigned". The new technician's visit is not touched; the
//!    dispatcher sees both.
//! 4. Only work of the visit's technician, or of one who had the visit
//!    before it changed hands, is held; anyone else is refused.
//! 5. A refusal that is the technician's own (a step out of order, a
//!    missing item, bad input) is not held: the phone shows it with what
//!    to do, and the technician can make the change again.
//! 6. A held operation answers every repeat with "held", like an applied
//!    one answers with its first answer.

use super::visit::VisitStatus;

text_enum! {
    /// Why an operation was held for the dispatcher instead of applied.
    pub enum HeldReason {
        Reassigned = "reassigned",
        Cancelled = "cancelled",
    }
}

/// Whether an operation refused on this visit is to be held (rules 2–5):
/// `assigned` is the visit's technician now, `technician` the one whose
/// phone sent the operation, `had_it_before` whether the visit was handed
/// from them to someone else.
pub fn hold_reason(
    status: VisitStatus,
    assigned: Option<&str>,
    technician: &str,
    had_it_before: bool,
) -> Option<HeldReason> {
    let theirs = assigned == Some(technician);
    if !theirs && !had_it_before {
        None
    } else if status == VisitStatus::Cancelled {
        Some(HeldReason::Cancelled)
    } else if assigned != Some(technician) {
        Some(HeldReason::Reassigned)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cancelled_visit_holds_whoever_has_it() {
        assert_eq!(
            hold_reason(VisitStatus::Cancelled, Some("wang"), "wang", false),
            Some(HeldReason::Cancelled)
        );
        for assigned in [Some("li"), None] {
            assert_eq!(
                hold_reason(VisitStatus::Cancelled, assigned, "wang", true),
                Some(HeldReason::Cancelled)
            );
        }
    }

    #[test]
    fn a_visit_given_to_someone_else_holds() {
        assert_eq!(
            hold_reason(VisitStatus::Dispatched, Some("li"), "wang", true),
            Some(HeldReason::Reassigned)
        );
        assert_eq!(
            hold_reason(VisitStatus::Dispatched, None, "wang", true),
            Some(HeldReason::Reassigned)
        );
    }

    #[test]
    fn a_technician_who_never_had_the_visit_is_refused_not_held() {
        for status in VisitStatus::ALL.iter().copied() {
            assert_eq!(hold_reason(status, Some("li"), "wang", false), None);
            assert_eq!(hold_reason(status, None, "wang", false), None);
        }
    }

    #[test]
    fn the_technicians_own_visit_never_holds() {
        for status in VisitStatus::ALL
            .iter()
            .copied()
            .filter(|s| *s != VisitStatus::Cancelled)
        {
            for had_it_before in [false, true] {
                assert_eq!(
                    hold_reason(status, Some("wang"), "wang", had_it_before),
                    None
                );
            }
        }
    }
}
