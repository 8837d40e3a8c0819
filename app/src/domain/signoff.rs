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

/// Read back from a sealed record: by the rules it was taken under, which
/// before the stroke bounds allowed any number of empty strokes. What is
/// sealed stays readable; `drawable_strokes` bounds what is drawn of it.
impl TryFrom<RawSignature> for Signature {
    type Error = ValidationError;
    fn try_from(raw: RawSignature) -> Result<Self, Self::Error> {
        Signature::check_points(&raw.strokes, Self::STORED_MAX_POINTS)?;
        Ok(Signature {
            strokes: raw.strokes,
        })
    }
}

impl Signature {
    pub const FIELD: &'static str = "signature";
    /// A Chinese name needs a few dozen strokes.
    pub const MAX_STROKES: usize = 64;
    /// About half a minute of one unbroken stroke on a phone's pad.
    pub const MAX_POINTS_PER_STROKE: usize = 2_000;
    pub const MAX_POINTS: usize = 10_000;
    /// The one bound signatures taken before the others had.
    const STORED_MAX_POINTS: usize = 20_000;

    /// A signature as the customer gives it: at least one stroke with some
    /// length, no empty stroke, and bounded strokes and points (a name is
    /// a few dozen strokes; the bounds keep the sealed record and its
    /// printed page small whatever a client sends).
    pub fn new(strokes: Vec<Vec<(f32, f32)>>) -> Result<Signature, ValidationError> {
        if strokes.len() > Self::MAX_STROKES {
            return Err(ValidationError::new(
                Self::FIELD,
                Problem::BadFormat("a signature has at most 64 strokes"),
            ));
        }
        if strokes.iter().any(Vec::is_empty) {
            return Err(ValidationError::new(
                Self::FIELD,
                Problem::BadFormat("a stroke has at least one point"),
            ));
        }
        if strokes
            .iter()
            .any(|stroke| stroke.len() > Self::MAX_POINTS_PER_STROKE)
        {
            return Err(ValidationError::new(
                Self::FIELD,
                Problem::BadFormat("a stroke has at most 2,000 points"),
            ));
        }
        Signature::check_points(&strokes, Self::MAX_POINTS)?;
        Ok(Signature { strokes })
    }

    /// Bounded, finite points, and some stroke with length.
    fn check_points(strokes: &[Vec<(f32, f32)>], max_points: usize) -> Result<(), ValidationError> {
        let points: usize = strokes.iter().map(Vec::len).sum();
        if points > max_points {
            return Err(ValidationError::new(
                Self::FIELD,
                Problem::TooLong { max: max_points },
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
        Ok(())
    }

    pub fn strokes(&self) -> &[Vec<(f32, f32)>] {
        &self.strokes
    }

    /// The signature as drawn: `drawable_strokes` only.
    pub fn drawable(&self) -> Signature {
        Signature {
            strokes: self.drawable_strokes().map(<[_]>::to_vec).collect(),
        }
    }

    /// The strokes to draw: the empty ones left out, and no more strokes
    /// or points than a signature may have now, so that one stored before
    /// the bounds still prints as a small page.
    pub fn drawable_strokes(&self) -> impl Iterator<Item = &[(f32, f32)]> {
        let mut points_left = Self::MAX_POINTS;
        self.strokes
            .iter()
            .filter(|stroke| !stroke.is_empty())
            .take(Self::MAX_STROKES)
            .map_while(move |stroke| {
                let take = stroke
                    .len()
                    .min(Self::MAX_POINTS_PER_STROKE)
                    .min(points_left);
                points_left -= take;
                (take > 0).then(|| &stroke[..take])
            })
    }
}

text_enum! {
    /// Why the customer did not sign: gone when the work was done, or
    /// there and unwilling.
    pub enum NoSignature {
        CustomerAbsent = "customer_absent",
        CustomerRefused = "customer_refused",
    }
}

/// A visit closed without the customer's signature: which of the two, and
/// the technician's account of it. It is sealed like a signed record,
/// counts as a completed service in every figure, has no ratings, and is
/// always called back, whatever the sampling, since nobody but the
/// technician vouches for the work.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnsignedClose {
    pub why: NoSignature,
    pub reason: Note,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignOff {
    pub signer: PersonName,
    pub signature: Signature,
    pub customer_says_fixed: bool,
    pub ratings: Ratings,
    pub conduct: ConductConfirmations,
    pub comment: Option<Note>,
    /// The customer's answer to "the technician arrived at …, is that
    /// true?". Absent (and so outside the seal) on sign-offs taken before
    /// the question was asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrival_confirmed: Option<bool>,
    /// Where the phone was when the customer signed, if the technician
    /// allows positions: the place of the visit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<super::visit::PositionFix>,
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
    fn a_signature_is_bounded_in_strokes_and_points() {
        let stroke = |n: usize| vec![(1.0f32, 2.0f32); n];
        let problem = |strokes| Signature::new(strokes).unwrap_err().problem;
        // A name of many strokes, dots among them, is taken.
        let mut name = vec![stroke(2); Signature::MAX_STROKES - 1];
        name.push(stroke(1));
        assert!(Signature::new(name).is_ok());
        assert!(matches!(
            problem(vec![stroke(2); Signature::MAX_STROKES + 1]),
            Problem::BadFormat(_)
        ));
        // Empty strokes beside a real one: refused, not padded out.
        assert!(matches!(
            problem(vec![stroke(2), stroke(0)]),
            Problem::BadFormat(_)
        ));
        assert!(Signature::new(vec![stroke(Signature::MAX_POINTS_PER_STROKE)]).is_ok());
        assert!(matches!(
            problem(vec![stroke(Signature::MAX_POINTS_PER_STROKE + 1)]),
            Problem::BadFormat(_)
        ));
        let many = vec![stroke(Signature::MAX_POINTS_PER_STROKE); 5];
        assert!(Signature::new(many.clone()).is_ok());
        let mut over = many;
        over.push(stroke(1));
        assert_eq!(
            problem(over),
            Problem::TooLong {
                max: Signature::MAX_POINTS
            }
        );
    }

    #[test]
    fn a_signature_stored_before_the_bounds_still_reads_and_draws_small() {
        let mut strokes = vec![Vec::new(); 600_000];
        strokes.push(vec![(1.0f32, 1.0f32), (9.0, 4.0)]);
        let json = serde_json::json!({ "strokes": strokes }).to_string();
        let stored: Signature = serde_json::from_str(&json).unwrap();
        let drawn: Vec<_> = stored.drawable_strokes().collect();
        assert_eq!(drawn, [&[(1.0f32, 1.0f32), (9.0, 4.0)][..]]);
    }

    proptest::proptest! {
        #[test]
        fn what_is_drawn_never_exceeds_the_bounds(
            lengths in proptest::collection::vec(0usize..3_000, 0..120)
        ) {
            let strokes: Vec<Vec<(f32, f32)>> =
                lengths.iter().map(|&n| vec![(0.0, 0.0); n]).collect();
            let signature = Signature { strokes };
            let drawn: Vec<_> = signature.drawable_strokes().collect();
            proptest::prop_assert!(drawn.len() <= Signature::MAX_STROKES);
            proptest::prop_assert!(drawn.iter().all(|s| !s.is_empty() && s.len() <= Signature::MAX_POINTS_PER_STROKE));
            proptest::prop_assert!(drawn.iter().map(|s| s.len()).sum::<usize>() <= Signature::MAX_POINTS);
            // Whatever the new rules take is drawn whole.
            if let Ok(valid) = Signature::new(signature.strokes.clone()) {
                let whole: Vec<_> = valid.drawable_strokes().collect();
                proptest::prop_assert_eq!(whole.len(), valid.strokes().len());
            }
        }
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
