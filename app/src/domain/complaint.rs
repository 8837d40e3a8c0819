//! Complaints on record: the complaint rate (服务投诉率) counts them. The
//! handling clocks (1 h reply, 24 h result, 48 h rectification, 72 h
//! callback) build on this record.

use serde::{Deserialize, Serialize};

use super::ids::RecordId;
use super::time::Timestamp;
use super::validation::{Note, OwnerChangeReason};

text_enum! {
    /// Where the complaint came in (谁受理谁负责: whoever receives it owns
    /// it): at sign-off ("I am not satisfied / I want to complain"), by
    /// phone, or at a callback.
    pub enum ComplaintSource {
        SignOff = "sign_off",
        Phone = "phone",
        Callback = "callback",
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Complaint {
    pub id: RecordId,
    pub work_order_id: RecordId,
    /// The visit complained about, when the customer names one.
    pub visit_id: Option<RecordId>,
    pub source: ComplaintSource,
    /// Whoever received it (谁受理谁负责): the dispatcher who took the call
    /// or made the callback. None for a complaint made on the technician's
    /// phone at sign-off: the region's dispatchers own those.
    pub owner_id: Option<RecordId>,
    pub received_at: Timestamp,
    pub description: Note,
}

/// Why a change of a complaint's owner is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OwnerChangeRefused {
    #[error("the complaint is already theirs")]
    AlreadyTheirs,
    #[error("a complaint a named person owns changes hands only with a reason")]
    ReasonNeeded,
    #[error("only a dispatcher of the complaint's region or an admin can own it")]
    NotAnOwner,
    #[error("the complaint changed owner meanwhile")]
    ChangedMeanwhile,
}

/// Whether a complaint may pass from `current` (None: the region's
/// dispatchers, nobody by name) to `to` (谁受理谁负责: the owner answers for
/// it). Taking an unowned complaint needs no reason; taking it from a named
/// owner, or handing it on, does, and the reason is kept.
pub fn change_owner(
    current: Option<&str>,
    to: &str,
    reason: Option<&OwnerChangeReason>,
) -> Result<(), OwnerChangeRefused> {
    match current {
        Some(owner) if owner == to => Err(OwnerChangeRefused::AlreadyTheirs),
        Some(_) if reason.is_none() => Err(OwnerChangeRefused::ReasonNeeded),
        _ => Ok(()),
    }
}

/// The rectification sheet (问题整改工作单) filed within 48 h of a complaint:
/// what the problem is, why it happened, what was done at once, what will
/// stop it coming back, and how that was checked. Every part is required.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RectificationSheet {
    pub problem: Note,
    pub root_cause: Note,
    pub immediate_action: Note,
    pub long_term_action: Note,
    pub verification: Note,
}

impl RectificationSheet {
    /// The sheet as the form sends it, each part checked and named when
    /// it is missing or too long.
    pub fn parse(
        [problem, root_cause, immediate_action, long_term_action, verification]: [&str; 5],
    ) -> Result<Self, super::validation::ValidationError> {
        let part = |field: &'static str, text: &str| {
            Note::parse(text)
                .map_err(|error| super::validation::ValidationError::new(field, error.problem))
        };
        Ok(RectificationSheet {
            problem: part("problem", problem)?,
            root_cause: part("root_cause", root_cause)?,
            immediate_action: part("immediate_action", immediate_action)?,
            long_term_action: part("long_term_action", long_term_action)?,
            verification: part("verification", verification)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unowned_complaint_is_taken_and_a_named_owner_gives_it_up_only_with_a_reason() {
        let reason = OwnerChangeReason::parse("赵调度休假，转钱调度跟进").unwrap();
        assert_eq!(change_owner(None, "zhao", None), Ok(()));
        assert_eq!(
            change_owner(Some("zhao"), "zhao", Some(&reason)),
            Err(OwnerChangeRefused::AlreadyTheirs)
        );
        assert_eq!(
            change_owner(Some("zhao"), "qian", None),
            Err(OwnerChangeRefused::ReasonNeeded)
        );
        assert_eq!(change_owner(Some("zhao"), "qian", Some(&reason)), Ok(()));
        assert!(OwnerChangeReason::parse(" ").is_err());
    }

    #[test]
    fn a_rectification_sheet_needs_every_part() {
        let full = [
            "门封未压紧",
            "安装时未按规范检查",
            "已上门重新安装",
            "安装后增加漏水检查项",
            "回访用户确认不再漏水",
        ];
        assert!(RectificationSheet::parse(full).is_ok());
        for missing in 0..5 {
            let mut parts = full;
            parts[missing] = "  ";
            let error = RectificationSheet::parse(parts).unwrap_err();
            let expected = [
                "problem",
                "root_cause",
                "immediate_action",
                "long_term_action",
                "verification",
            ];
            assert_eq!(error.field, expected[missing]);
        }
    }
}
