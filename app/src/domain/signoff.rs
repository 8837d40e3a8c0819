//! How a visit ends: the technician's outcome and the customer's sign-off.

use serde::{Deserialize, Serialize};

use super::validation::{Note, PersonName, Problem, ValidationError};

/// Why a visit did not fix the fault; each opens a follow-up visit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "reason", content = "detail")]
pub enum NotFixedReason {
    PartsUnavailable,
    Skill,
    TimeRanOut,
    Other(Note),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "result")]
pub enum VisitOutcome {
    Fixed,
    NotFixed { reason: NotFixedReason },
}

impl VisitOutcome {
    pub fn needs_follow_up(&self) -> bool {
        matches!(self, VisitOutcome::NotFixed { .. })
    }
}

/// A 1–5 score on one satisfaction dimension.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Score(u8);

impl Score {
    pub fn new(field: &'static str, value: u8) -> Result<Score, ValidationError> {
        if (1..=5).contains(&value) {
            Ok(Score(value))
        } else {
            Err(ValidationError::new(
                field,
                Problem::OutOfRange {
                    min: "1".into(),
                    max: "5".into(),
                },
            ))
        }
    }

    pub fn value(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Score {
    type Error = ValidationError;
    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Score::new("rating", value)
    }
}

impl From<Score> for u8 {
    fn from(score: Score) -> u8 {
        score.0
    }
}

/// The five dimensions the makers score service on (服务技能, 服务态度,
/// 服务及时性, 配件供应, 服务综合).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ratings {
    pub skill: Score,
    pub attitude: Score,
    pub timeliness: Score,
    pub parts_supply: Score,
    pub overall: Score,
}

impl Ratings {
    pub fn average(&self) -> f64 {
        let sum: u32 = [
            self.skill,
            self.attitude,
            self.timeliness,
            self.parts_supply,
            self.overall,
        ]
        .iter()
        .map(|s| u32::from(s.value()))
        .sum();
        f64::from(sum) / 5.0
    }
}

/// The four prohibitions (四不准), confirmed by the customer: `true` means the
/// customer confirms the technician kept the rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConductConfirmations {
    pub no_arguing: bool,
    pub no_eating_drinking_smoking: bool,
    pub no_gifts: bool,
    pub no_extra_charges: bool,
}

impl ConductConfirmations {
    /// Any "no" is a reported breach that needs a complaint on record.
    pub fn breaches(&self) -> Vec<&'static str> {
        [
            (self.no_arguing, "no_arguing"),
            (
                self.no_eating_drinking_smoking,
                "no_eating_drinking_smoking",
            ),
            (self.no_gifts, "no_gifts"),
            (self.no_extra_charges, "no_extra_charges"),
        ]
        .into_iter()
        .filter(|(kept, _)| !kept)
        .map(|(_, rule)| rule)
        .collect()
    }
}

/// A signature as drawn: strokes of points in CSS pixels of the pad.
/// Deserialising checks it like `new`, so a stored or sent signature
/// without a stroke cannot pass as one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawSignature")]
pub struct Signature {
    strokes: Vec<Vec<(f32, f32)>>,
}

#[derive(Deserialize)]
struct RawSignature {
    strokes: Vec<Vec<(f32, f32)>>,
}

impl TryFrom<RawSignature> for Signature {
    type Error = ValidationError;
    fn try_from(raw: RawSignature) -> Result<Self, Self::Error> {
        Signature::new(raw.strokes)
    }
}

impl Signature {
    pub const FIELD: &'static str = "signature";
    pub const MAX_POINTS: usize = 20_000;

    /// A signature needs at least one stroke with some length, and a bounded
    /// number of finite points.
    pub fn new(strokes: Vec<Vec<(f32, f32)>>) -> Result<Signature, ValidationError> {
        let points: usize = strokes.iter().map(Vec::len).sum();
        if points > Self::MAX_POINTS {
            return Err(ValidationError::new(
                Self::FIELD,
                Problem::TooLong {
                    max: Self::MAX_POINTS,
                },
            ));
        }
        if strokes
            .iter()
            .flatten()
            .any(|(x, y)| !x.is_finite() || !y.is_finite())
        {
            return Err(ValidationError::new(
                Self::FIELD,
                Problem::BadFormat("points must be finite numbers"),
            ));
        }
        if !strokes.iter().any(|stroke| stroke.len() >= 2) {
            return Err(ValidationError::new(Self::FIELD, Problem::Empty));
        }
        Ok(Signature { strokes })
    }

    pub fn strokes(&self) -> &[Vec<(f32, f32)>] {
        &self.strokes
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignOff {
    pub signer: PersonName,
    pub signature: Signature,
    pub customer_says_fixed: bool,
    pub ratings: Ratings,
    pub conduct: ConductConfirmations,
    pub comment: Option<Note>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_are_one_to_five() {
        assert!(Score::new("skill", 0).is_err());
        assert_eq!(Score::new("skill", 6).unwrap_err().field, "skill");
        assert_eq!(Score::new("skill", 5).unwrap().value(), 5);
        assert!(serde_json::from_str::<Score>("9").is_err());
    }

    #[test]
    fn ratings_average_the_five_dimensions() {
        let s = |v| Score::new("x", v).unwrap();
        let ratings = Ratings {
            skill: s(5),
            attitude: s(4),
            timeliness: s(3),
            parts_supply: s(5),
            overall: s(4),
        };
        assert!((ratings.average() - 4.2).abs() < 1e-9);
    }

    #[test]
    fn a_signature_without_a_stroke_is_refused() {
        assert_eq!(Signature::new(vec![]).unwrap_err().problem, Problem::Empty);
        assert_eq!(
            Signature::new(vec![vec![(1.0, 1.0)]]).unwrap_err().problem,
            Problem::Empty
        );
        assert!(Signature::new(vec![vec![(1.0, 1.0), (f32::NAN, 2.0)]]).is_err());
        assert!(Signature::new(vec![vec![(0.0, 0.0); Signature::MAX_POINTS + 1]]).is_err());
        let drawn = Signature::new(vec![vec![(1.0, 1.0), (5.0, 3.0)]]).unwrap();
        let json = serde_json::to_string(&drawn).unwrap();
        assert_eq!(serde_json::from_str::<Signature>(&json).unwrap(), drawn);
        assert!(serde_json::from_str::<Signature>(r#"{"strokes":[]}"#).is_err());
    }

    #[test]
    fn conduct_breaches_are_listed() {
        let all_kept = ConductConfirmations {
            no_arguing: true,
            no_eating_drinking_smoking: true,
            no_gifts: true,
            no_extra_charges: true,
        };
        assert!(all_kept.breaches().is_empty());
        let charged = ConductConfirmations {
            no_extra_charges: false,
            ..all_kept
        };
        assert_eq!(charged.breaches(), ["no_extra_charges"]);
    }

    #[test]
    fn not_fixed_outcomes_need_a_follow_up() {
        assert!(!VisitOutcome::Fixed.needs_follow_up());
        assert!(VisitOutcome::NotFixed {
            reason: NotFixedReason::PartsUnavailable
        }
        .needs_follow_up());
        let json = serde_json::to_string(&VisitOutcome::NotFixed {
            reason: NotFixedReason::Skill,
        })
        .unwrap();
        assert_eq!(
            json,
            r#"{"result":"not_fixed","reason":{"reason":"skill"}}"#
        );
    }
}
