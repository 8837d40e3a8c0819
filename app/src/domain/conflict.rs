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
//! 7. A dispatcher settles each held operation once: applies it to the
//!    visit as it now stands (only where the visit's rules take it, as if
//!    the phone had sent it now), keeps it as the technician's record of
//!    the visit they had (the visit itself unchanged), or closes it with a
//!    reason. A settlement carries its own id: the same settlement sent
//!    again answers as the first; another one for settled work is refused.

use super::validation::SettlementNote;
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

text_enum! {
    /// How a dispatcher settled held work (rule 7): applied to the visit
    /// as it now stands, kept as the technician's record of the visit they
    /// had, or closed with a reason.
    pub enum SettlementOutcome {
        Applied = "applied",
        Recorded = "recorded",
        Closed = "closed",
    }
}

/// A settlement as the dispatcher asks for it: closing needs a reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Settlement {
    Apply,
    Record,
    Close(SettlementNote),
}

impl Settlement {
    pub fn outcome(&self) -> SettlementOutcome {
        match self {
            Settlement::Apply => SettlementOutcome::Applied,
            Settlement::Record => SettlementOutcome::Recorded,
            Settlement::Close(_) => SettlementOutcome::Closed,
        }
    }

    pub fn note(&self) -> Option<&SettlementNote> {
        match self {
            Settlement::Close(note) => Some(note),
            Settlement::Apply | Settlement::Record => None,
        }
    }
}

/// What a settlement asked with `id` meets (rule 7): work not settled yet,
/// the same settlement again, or work another settlement already closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettlementTurn {
    Fresh,
    Repeat,
    AlreadySettled,
}

/// `settled_by` is the id of the settlement already made, if any.
pub fn settlement_turn(settled_by: Option<&str>, id: &str) -> SettlementTurn {
    match settled_by {
        None => SettlementTurn::Fresh,
        Some(first) if first == id => SettlementTurn::Repeat,
        Some(_) => SettlementTurn::AlreadySettled,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn held_work_is_settled_once_and_a_repeat_answers_as_the_first() {
        assert_eq!(settlement_turn(None, "s-1"), SettlementTurn::Fresh);
        assert_eq!(settlement_turn(Some("s-1"), "s-1"), SettlementTurn::Repeat);
        assert_eq!(
            settlement_turn(Some("s-1"), "s-2"),
            SettlementTurn::AlreadySettled
        );
    }

    #[test]
    fn only_closing_carries_a_reason() {
        let note = SettlementNote::parse("客户已另约时间，本次未上门").unwrap();
        assert_eq!(
            Settlement::Close(note.clone()).outcome(),
            SettlementOutcome::Closed
        );
        assert_eq!(Settlement::Close(note.clone()).note(), Some(&note));
        assert_eq!(Settlement::Apply.note(), None);
        assert_eq!(Settlement::Record.outcome(), SettlementOutcome::Recorded);
        assert!(SettlementNote::parse("   ").is_err());
        assert!(SettlementNote::parse(&"长".repeat(301)).is_err());
    }

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
