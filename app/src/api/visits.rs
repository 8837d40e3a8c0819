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
/// the domain's `SignOff` on the server, each bad field named. Every answer
/// is the customer's own: `None` is "not answered yet", and a sign-off with
/// any answer missing is refused, never filled in.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SignOffInput {
    pub signer_name: String,
    /// Strokes of points in CSS pixels of the pad.
    pub strokes: Vec<Vec<(f32, f32)>>,
    pub customer_says_fixed: Option<bool>,
    /// The five 1–5 ratings.
    pub skill: Option<u8>,
    pub attitude: Option<u8>,
    pub timeliness: Option<u8>,
    pub parts_supply: Option<u8>,
    pub overall: Option<u8>,
    /// The four prohibitions, confirmed kept (true) or reported broken.
    pub no_arguing: Option<bool>,
    pub no_eating_drinking_smoking: Option<bool>,
    pub no_gifts: Option<bool>,
    pub no_extra_charges: Option<bool>,
    /// "The technician arrived at …, is that true?"
    pub arrival_confirmed: Option<bool>,
    /// Empty for none.
    pub comment: String,
    /// Latitude, longitude and accuracy in metres when the customer signed,
    /// if the technician allows positions.
    pub position: Option<(f64, f64, f64)>,
}

/// The questions of the sign-off, by the field each answer travels in, in
/// the order the screen asks them.
pub const SIGN_OFF_QUESTIONS: [&str; 11] = [
    "customer_says_fixed",
    "arrival_confirmed",
    "no_arguing",
    "no_eating_drinking_smoking",
    "no_gifts",
    "no_extra_charges",
    "skill",
    "attitude",
    "timeliness",
    "parts_supply",
    "overall",
];

impl SignOffInput {
    /// The questions not answered yet, in the order the screen asks them.
    pub fn unanswered(&self) -> Vec<&'static str> {
        let answered = [
            self.customer_says_fixed.is_some(),
            self.arrival_confirmed.is_some(),
            self.no_arguing.is_some(),
            self.no_eating_drinking_smoking.is_some(),
            self.no_gifts.is_some(),
            self.no_extra_charges.is_some(),
            self.skill.is_some(),
            self.attitude.is_some(),
            self.timeliness.is_some(),
            self.parts_supply.is_some(),
            self.overall.is_some(),
        ];
        SIGN_OFF_QUESTIONS
            .into_iter()
            .zip(answered)
            .filter(|(_, answered)| !answered)
            .map(|(question, _)| question)
            .collect()
    }

    /// The sign-off as the customer gave it, checked into the domain's
    /// `SignOff`: on the server, and on the phone before it is queued.
    pub fn check(&self) -> Result<crate::domain::signoff::SignOff, AppError> {
        use crate::domain::signoff::{ConductConfirmations, Ratings, Score, SignOff, Signature};
        use crate::domain::validation::{Note, PersonName, Problem, ValidationError};
        use crate::domain::visit::PositionFix;
        let input = self;
        if let Some(question) = input.unanswered().first() {
            return Err(ValidationError::new(question, Problem::Unanswered).into());
        }
        let answer = |value: Option<bool>| value.unwrap_or_default();
        let score = |field: &'static str, value: Option<u8>| Score::new(field, value.unwrap_or(0));
        Ok(SignOff {
            signer: PersonName::parse(&input.signer_name)
                .map_err(|error| ValidationError::new("signer_name", error.problem))?,
            signature: Signature::new(input.strokes.clone())?,
            customer_says_fixed: answer(input.customer_says_fixed),
            ratings: Ratings {
                skill: score("skill", input.skill)?,
                attitude: score("attitude", input.attitude)?,
                timeliness: score("timeliness", input.timeliness)?,
                parts_supply: score("parts_supply", input.parts_supply)?,
                overall: score("overall", input.overall)?,
            },
            conduct: ConductConfirmations {
                no_arguing: answer(input.no_arguing),
                no_eating_drinking_smoking: answer(input.no_eating_drinking_smoking),
                no_gifts: answer(input.no_gifts),
                no_extra_charges: answer(input.no_extra_charges),
            },
            comment: (!input.comment.trim().is_empty())
                .then(|| Note::parse(&input.comment))
                .transpose()
                .map_err(|error| ValidationError::new("comment", error.problem))?,
            arrival_confirmed: input.arrival_confirmed,
            position: input
                .position
                .map(|(latitude, longitude, accuracy)| {
                    PositionFix::new(latitude, longitude, accuracy)
                })
                .transpose()?,
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

/// Why the customer did not sign, as the closing form or the outbox sends
/// it: which of the two (nothing chosen is refused by name) and the
/// technician's account of it.
pub fn parse_unsigned_close(
    why: &str,
    reason: &str,
) -> Result<crate::domain::signoff::UnsignedClose, AppError> {
    use crate::domain::signoff::{NoSignature, UnsignedClose};
    use crate::domain::validation::{Note, Problem, ValidationError};
    let why = NoSignature::parse(why).ok_or(ValidationError::new("why", Problem::Unanswered))?;
    let reason =
        Note::parse(reason).map_err(|error| ValidationError::new("reason", error.problem))?;
    Ok(UnsignedClose { why, reason })
}

/// A part as the part form or the outbox sends it, checked.
pub fn parse_part(
    part_id: &str,
    code: &str,
    name: &str,
    quantity: &str,
    unit_price_fen: &str,
    charge_reason: &str,
) -> Result<crate::domain::charges::PartUsed, AppError> {
    use crate::domain::charges::{Money, PartUsed, Quantity};
    use crate::domain::ids::RecordId;
    use crate::domain::validation::{Note, PartCode, PartName, ValidationError};
    Ok(PartUsed {
        charge_reason: (!charge_reason.trim().is_empty())
            .then(|| Note::parse(charge_reason))
            .transpose()
            .map_err(|error| ValidationError::new("charge_reason", error.problem))?,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sign_off_with_any_answer_missing_is_refused_never_filled_in() {
        let empty = SignOffInput::default();
        assert_eq!(empty.unanswered(), SIGN_OFF_QUESTIONS.to_vec());
        let mut input = SignOffInput {
            signer_name: "王秀英".into(),
            strokes: vec![vec![(1.0, 1.0), (20.0, 9.0)]],
            customer_says_fixed: Some(true),
            skill: Some(5),
            attitude: Some(4),
            timeliness: Some(3),
            parts_supply: Some(5),
            overall: Some(4),
            no_arguing: Some(true),
            no_eating_drinking_smoking: Some(true),
            no_gifts: Some(true),
            no_extra_charges: Some(false),
            arrival_confirmed: Some(false),
            comment: String::new(),
            position: None,
        };
        let signed = input.check().unwrap();
        assert_eq!(signed.arrival_confirmed, Some(false));
        assert_eq!(signed.conduct.breaches(), vec!["no_extra_charges"]);
        input.timeliness = None;
        match input.check() {
            Err(AppError::InvalidInput { field, problem, .. }) => {
                assert_eq!(field, "timeliness");
                assert_eq!(problem, Some(super::super::error::InputProblem::Unanswered));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn closing_unsigned_needs_which_of_the_two_and_what_happened() {
        use super::super::error::InputProblem;
        use crate::domain::signoff::NoSignature;
        let refused = |why: &str, reason: &str| match parse_unsigned_close(why, reason) {
            Err(AppError::InvalidInput { field, problem, .. }) => (field, problem),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            refused("", "用户不在家"),
            ("why".to_string(), Some(InputProblem::Unanswered))
        );
        assert_eq!(
            refused("customer_asleep", "用户不在家"),
            ("why".to_string(), Some(InputProblem::Unanswered))
        );
        assert_eq!(
            refused("customer_absent", "  "),
            ("reason".to_string(), Some(InputProblem::Empty))
        );
        let closing = parse_unsigned_close("customer_refused", "对收费有异议").unwrap();
        assert_eq!(closing.why, NoSignature::CustomerRefused);
        assert_eq!(closing.reason.as_str(), "对收费有异议");
    }
}
