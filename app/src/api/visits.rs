use serde::{Deserialize, Serialize};

use super::error::AppError;

use crate::domain::charges::FeeSchedule;
use crate::domain::insight::FieldInsight;
use crate::domain::signoff::VisitOutcome;
use crate::domain::time::{AppointmentWindow, UtcOffset};
use crate::domain::visit::VisitStatus;

/// Another visit to the same appliance, as the visit page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtherVisit {
    pub id: String,
    pub window: AppointmentWindow,
    pub utc_offset: UtcOffset,
    pub status: VisitStatus,
    pub outcome: Option<VisitOutcome>,
    pub reported_fault: String,
    pub technician_name: Option<String>,
    /// Opened because the visit being read ended "not fixed".
    pub is_follow_up_of_this: bool,
}

/// What surrounds a visit's record on its page: the appliance's other
/// visits, the field-insight notes, and complaints filed at its sign-off.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitHistory {
    pub other_visits: Vec<OtherVisit>,
    pub insights: Vec<FieldInsight>,
    pub complaint_ids: Vec<String>,
    /// The fees the technician may charge (统一收费标准): the visit's
    /// appliance category in the visit's version, to pick from and to show
    /// the customer at sign-off.
    pub fee_schedule: FeeSchedule,
}

/// What the customer gives on the sign-off screen, as sent: checked into
/// the domain's `SignOff` on the server, each bad field named.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SignOffInput {
    pub signer_name: String,
    /// Strokes of points in CSS pixels of the pad.
    pub strokes: Vec<Vec<(f32, f32)>>,
    pub customer_says_fixed: bool,
    /// The five 1–5 ratings.
    pub skill: u8,
    pub attitude: u8,
    pub timeliness: u8,
    pub parts_supply: u8,
    pub overall: u8,
    /// The four prohibitions, confirmed kept (true) or reported broken.
    pub no_arguing: bool,
    pub no_eating_drinking_smoking: bool,
    pub no_gifts: bool,
    pub no_extra_charges: bool,
    /// Empty for none.
    pub comment: String,
}

impl SignOffInput {
    /// The sign-off as the customer gave it, checked into the domain's
    /// `SignOff`: on the server, and on the phone before it is queued.
    pub fn check(&self) -> Result<crate::domain::signoff::SignOff, AppError> {
        use crate::domain::signoff::{ConductConfirmations, Ratings, Score, SignOff, Signature};
        use crate::domain::validation::{Note, PersonName, ValidationError};
        let input = self;
        Ok(SignOff {
            signer: PersonName::parse(&input.signer_name)
                .map_err(|error| ValidationError::new("signer_name", error.problem))?,
            signature: Signature::new(input.strokes.clone())?,
            customer_says_fixed: input.customer_says_fixed,
            ratings: Ratings {
                skill: Score::new("skill", input.skill)?,
                attitude: Score::new("attitude", input.attitude)?,
                timeliness: Score::new("timeliness", input.timeliness)?,
                parts_supply: Score::new("parts_supply", input.parts_supply)?,
                overall: Score::new("overall", input.overall)?,
            },
            conduct: ConductConfirmations {
                no_arguing: input.no_arguing,
                no_eating_drinking_smoking: input.no_eating_drinking_smoking,
                no_gifts: input.no_gifts,
                no_extra_charges: input.no_extra_charges,
            },
            comment: (!input.comment.trim().is_empty())
                .then(|| Note::parse(&input.comment))
                .transpose()
                .map_err(|error| ValidationError::new("comment", error.problem))?,
        })
    }
}

/// The outcome as the form sends it, checked: on the server before it is
/// stored, on the phone before it is queued.
pub fn parse_outcome(
    outcome: &str,
    reason: &str,
    detail: &str,
) -> Result<crate::domain::signoff::VisitOutcome, AppError> {
    use crate::domain::signoff::{NotFixedReason, VisitOutcome};
    use crate::domain::validation::{Note, ValidationError};
    Ok(match (outcome.trim(), reason.trim()) {
        ("fixed", _) => VisitOutcome::Fixed,
        ("not_fixed", reason) => VisitOutcome::NotFixed {
            reason: match reason {
                "parts_unavailable" => NotFixedReason::PartsUnavailable,
                "skill" => NotFixedReason::Skill,
                "time_ran_out" => NotFixedReason::TimeRanOut,
                "other" => NotFixedReason::Other(
                    Note::parse(detail)
                        .map_err(|error| ValidationError::new("detail", error.problem))?,
                ),
                other => {
                    return Err(AppError::InvalidInput {
                        field: "reason".into(),
                        message: format!(
                        "expected parts_unavailable, skill, time_ran_out or other, not {other:?}"
                    ),
                        problem: None,
                    })
                }
            },
        },
        (other, _) => {
            return Err(AppError::InvalidInput {
                field: "outcome".into(),
                message: format!("expected fixed or not_fixed, not {other:?}"),
                problem: None,
            })
        }
    })
}

/// A whole number from a form's text field, the field named when it is not.
pub fn whole_number<T: std::str::FromStr>(field: &str, value: &str) -> Result<T, AppError> {
    value.trim().parse().map_err(|_| AppError::InvalidInput {
        field: field.into(),
        message: format!("expected a whole number, not {:?}", value.trim()),
        problem: None,
    })
}

/// The reason a checklist item does not apply, named as the form names it.
pub fn parse_not_applicable_reason(
    reason: &str,
) -> Result<crate::domain::validation::Note, AppError> {
    use crate::domain::validation::{Note, ValidationError};
    Ok(Note::parse(reason).map_err(|error| ValidationError::new("reason", error.problem))?)
}

/// A part as the part form or the outbox sends it, checked.
pub fn parse_part(
    part_id: &str,
    code: &str,
    name: &str,
    quantity: &str,
    unit_price_fen: &str,
) -> Result<crate::domain::charges::PartUsed, AppError> {
    use crate::domain::charges::{Money, PartUsed, Quantity};
    use crate::domain::ids::RecordId;
    use crate::domain::validation::{PartCode, PartName};
    Ok(PartUsed {
        id: RecordId::parse("part_id", part_id)?,
        code: PartCode::parse(code)?,
        name: PartName::parse(name)?,
        quantity: Quantity::new(whole_number("quantity", quantity)?)?,
        unit_price: Money::from_fen(
            "unit_price_fen",
            whole_number("unit_price_fen", unit_price_fen)?,
        )?,
    })
}

/// A fee line as the fee form or the outbox sends it, checked: its id,
/// the schedule's code and the quantity (the amount is the schedule's).
pub fn parse_fee(
    charge_id: &str,
    code: &str,
    quantity: &str,
) -> Result<
    (
        crate::domain::ids::RecordId,
        crate::domain::validation::FeeCode,
        crate::domain::charges::Quantity,
    ),
    AppError,
> {
    use crate::domain::charges::Quantity;
    use crate::domain::ids::RecordId;
    use crate::domain::validation::FeeCode;
    Ok((
        RecordId::parse("charge_id", charge_id)?,
        FeeCode::parse(code)?,
        Quantity::new(whole_number("quantity", quantity)?)?,
    ))
}

/// A field insight's category and note, checked.
pub fn parse_insight(
    category: &str,
    note: &str,
) -> Result<
    (
        crate::domain::insight::InsightCategory,
        crate::domain::validation::Note,
    ),
    AppError,
> {
    use crate::domain::insight::InsightCategory;
    use crate::domain::validation::{Note, ValidationError};
    let category = InsightCategory::parse(category).ok_or_else(|| AppError::InvalidInput {
        field: "category".into(),
        message: format!("unknown category {category:?}"),
        problem: None,
    })?;
    let note = Note::parse(note).map_err(|error| ValidationError::new("note", error.problem))?;
    Ok((category, note))
}

/// What a customer's complaint at sign-off says, checked.
pub fn parse_complaint(description: &str) -> Result<crate::domain::validation::Note, AppError> {
    use crate::domain::validation::{Note, ValidationError};
    Ok(Note::parse(description)
        .map_err(|error| ValidationError::new("description", error.problem))?)
}
