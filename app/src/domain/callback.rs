//! Callbacks after the service (三天内服务回访, 七天内用户追踪): which
//! completed services get a callback and a tracking call, by the service
//! point's level (三级回访: contracted points 100%, company-run 50%,
//! headquarters spot checks 20%), and which customers fall in the month's
//! 20% phone survey. The choice is a hash of the record's id, so it is the
//! same on every run and every server, and can't be steered by the order in
//! which services finish.

use serde::{Deserialize, Serialize};

use super::signoff::{Ratings, Score};
use super::time::{local_date, local_midnight, AppointmentWindow, Timestamp, UtcOffset};
use super::validation::{FaultDescription, Note, Problem, ValidationError};

const DAY_MS: i64 = 24 * 3_600_000;

/// The callback is due within 3 days of the service, the tracking call
/// within 7.
pub const CALLBACK_WITHIN_MS: i64 = 3 * DAY_MS;
pub const TRACKING_WITHIN_MS: i64 = 7 * DAY_MS;

text_enum! {
    /// Who runs the service point, which sets how many of its services
    /// are called back.
    pub enum ServicePointLevel {
        Contracted = "contracted",
        CompanyRun = "company_run",
        Headquarters = "headquarters",
    }
}

/// A share in thousandths (0–1000).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub struct Permille(u16);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("a share is 0 to 1000 thousandths, not {0}")]
pub struct NotAShare(u16);

impl TryFrom<u16> for Permille {
    type Error = NotAShare;
    fn try_from(value: u16) -> Result<Self, NotAShare> {
        if value <= 1000 {
            Ok(Permille(value))
        } else {
            Err(NotAShare(value))
        }
    }
}

impl From<Permille> for u16 {
    fn from(share: Permille) -> u16 {
        share.0
    }
}

/// The sampling rates; an admin may change them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SamplingRates {
    pub contracted: Permille,
    pub company_run: Permille,
    pub headquarters: Permille,
    /// The month's phone survey of customers.
    pub phone_survey: Permille,
}

impl Default for SamplingRates {
    /// The service standard's: 100%, 50%, 20%; 20% surveyed a month.
    fn default() -> Self {
        SamplingRates {
            contracted: Permille(1000),
            company_run: Permille(500),
            headquarters: Permille(200),
            phone_survey: Permille(200),
        }
    }
}

impl SamplingRates {
    pub fn for_level(&self, level: ServicePointLevel) -> Permille {
        match level {
            ServicePointLevel::Contracted => self.contracted,
            ServicePointLevel::CompanyRun => self.company_run,
            ServicePointLevel::Headquarters => self.headquarters,
        }
    }
}

/// The rates as an admin types them: whole percents, 0–100 each.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SamplingForm {
    pub contracted: String,
    pub company_run: String,
    pub headquarters: String,
    pub phone_survey: String,
}

impl SamplingForm {
    pub fn of(rates: &SamplingRates) -> SamplingForm {
        let percent = |share: Permille| (share.0 / 10).to_string();
        SamplingForm {
            contracted: percent(rates.contracted),
            company_run: percent(rates.company_run),
            headquarters: percent(rates.headquarters),
            phone_survey: percent(rates.phone_survey),
        }
    }

    /// Each field a whole percent from 0 to 100, the first bad one named.
    pub fn check(&self) -> Result<SamplingRates, ValidationError> {
        let share = |field: &'static str, text: &str| {
            text.trim()
                .parse::<u16>()
                .ok()
                .filter(|percent| *percent <= 100)
                .map(|percent| Permille(percent * 10))
                .ok_or_else(|| {
                    ValidationError::new(
                        field,
                        Problem::OutOfRange {
                            min: "0".into(),
                            max: "100".into(),
                        },
                    )
                })
        };
        Ok(SamplingRates {
            contracted: share("contracted", &self.contracted)?,
            company_run: share("company_run", &self.company_run)?,
            headquarters: share("headquarters", &self.headquarters)?,
            phone_survey: share("phone_survey", &self.phone_survey)?,
        })
    }
}

/// A number in 0..1000 from the text, the same everywhere (FNV-1a, then
/// a SplitMix64 finish so that ids differing only at the end spread too).
fn draw(text: &str) -> u16 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash = (hash ^ (hash >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    hash = (hash ^ (hash >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    hash ^= hash >> 31;
    (hash % 1000) as u16
}

/// The calls a completed service gets, if it is sampled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallbackPlan {
    pub callback_due: Timestamp,
    pub tracking_due: Timestamp,
}

/// Whether the service (by its visit id) done at a point of `level` is
/// called back, and by when.
pub fn plan_callback(
    visit_id: &str,
    level: ServicePointLevel,
    rates: &SamplingRates,
    completed: Timestamp,
) -> Option<CallbackPlan> {
    (draw(visit_id) < rates.for_level(level).0).then(|| CallbackPlan::after(completed))
}

impl CallbackPlan {
    /// The callback and tracking calls of a service completed at
    /// `completed`; a visit closed without the customer's signature gets
    /// them whatever the sampling.
    pub fn after(completed: Timestamp) -> CallbackPlan {
        CallbackPlan {
            callback_due: Timestamp::from_unix_millis(completed.unix_millis() + CALLBACK_WITHIN_MS),
            tracking_due: Timestamp::from_unix_millis(completed.unix_millis() + TRACKING_WITHIN_MS),
        }
    }
}

/// Whether the customer is in the phone survey of the month `(year,
/// month)`: a different fifth of customers each month.
pub fn in_phone_survey(customer_id: &str, (year, month): (i64, u8), rates: &SamplingRates) -> bool {
    draw(&format!("{customer_id}/{year}-{month:02}")) < rates.phone_survey.0
}

text_enum! {
    /// The three calls after a service: the callback (3 days), the user
    /// tracking call (7 days), and the month's phone survey.
    pub enum FollowUpKind {
        Callback = "callback",
        Tracking = "tracking",
        Survey = "survey",
    }
}

/// The month's phone survey of a customer served in it: which month, and
/// the end of that month (local midnight starting the next), by which the
/// call is due.
pub fn survey_month(served: Timestamp, offset: UtcOffset) -> ((i64, u8), Timestamp) {
    let (year, month, _) = local_date(served, offset);
    let (next_year, next_month) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    (
        (year, month),
        local_midnight(next_year, next_month, 1, offset),
    )
}

/// The 1:10:100 rule on a call after the service: made by its due time it
/// costs 1, late 10, three days or more late 100.
pub fn call_delay_weight(due: Timestamp, done_or_now: Timestamp) -> u32 {
    let late_by = done_or_now.unix_millis() - due.unix_millis();
    if late_by <= 0 {
        1
    } else if late_by < 3 * DAY_MS {
        10
    } else {
        100
    }
}

/// A repeat work order opened on a call: the same appliance and fault
/// category as the service called about, so first-visit fix counts it as a
/// repeat call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepeatOrder {
    pub reported_fault: FaultDescription,
    pub appointment: AppointmentWindow,
}

/// What the customer said on a call, checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallAnswer {
    /// "Was it fixed?" (问题是否解决)
    pub customer_says_fixed: bool,
    pub ratings: Ratings,
    pub comment: Option<Note>,
    /// A complaint the customer made on the call (its description).
    pub complaint: Option<Note>,
    pub repeat_order: Option<RepeatOrder>,
}

/// The call's answer as the form sends it: texts, with empty meaning none.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallAnswerForm {
    /// "yes" or "no".
    pub fixed: String,
    /// Skill, attitude, timeliness, parts supply, overall: 1–5 each.
    pub ratings: [String; 5],
    pub comment: String,
    pub complaint: String,
    pub repeat_fault: String,
}

pub const RATING_FIELDS: [&str; 5] = [
    "rating_skill",
    "rating_attitude",
    "rating_timeliness",
    "rating_parts_supply",
    "rating_overall",
];

impl CallAnswerForm {
    /// Checks every field, naming the first bad one. A repeat order's
    /// window is read by the caller (it needs the service zone) and passed
    /// in when the form asks for one. A customer who says it is not fixed
    /// needs a repeat work order or a complaint: nothing a customer reports
    /// is left unhandled (四个不漏).
    pub fn check(
        &self,
        repeat_window: Option<AppointmentWindow>,
    ) -> Result<CallAnswer, ValidationError> {
        let customer_says_fixed = match self.fixed.trim() {
            "yes" => true,
            "no" => false,
            _ => return Err(ValidationError::new("fixed", Problem::Empty)),
        };
        let mut scores = [None; 5];
        for (n, (text, field)) in self.ratings.iter().zip(RATING_FIELDS).enumerate() {
            let value: u8 = text.trim().parse().map_err(|_| {
                ValidationError::new(
                    field,
                    Problem::OutOfRange {
                        min: "1".into(),
                        max: "5".into(),
                    },
                )
            })?;
            scores[n] = Some(Score::new(field, value)?);
        }
        let [Some(skill), Some(attitude), Some(timeliness), Some(parts_supply), Some(overall)] =
            scores
        else {
            unreachable!("every score was read above")
        };
        let optional_note = |field: &'static str, text: &str| {
            if text.trim().is_empty() {
                Ok(None)
            } else {
                Note::parse(text)
                    .map(Some)
                    .map_err(|error| ValidationError::new(field, error.problem))
            }
        };
        let repeat_order = if self.repeat_fault.trim().is_empty() {
            None
        } else {
            let appointment = repeat_window
                .ok_or_else(|| ValidationError::new("repeat_start", Problem::Empty))?;
            Some(RepeatOrder {
                reported_fault: FaultDescription::parse(&self.repeat_fault)
                    .map_err(|error| ValidationError::new("repeat_fault", error.problem))?,
                appointment,
            })
        };
        let answer = CallAnswer {
            customer_says_fixed,
            ratings: Ratings {
                skill,
                attitude,
                timeliness,
                parts_supply,
                overall,
            },
            comment: optional_note("comment", &self.comment)?,
            complaint: optional_note("complaint", &self.complaint)?,
            repeat_order,
        };
        if !answer.customer_says_fixed
            && answer.complaint.is_none()
            && answer.repeat_order.is_none()
        {
            return Err(ValidationError::new(
                "repeat_fault",
                Problem::BadFormat(
                    "the customer says it is not fixed: open a repeat work order or record a complaint",
                ),
            ));
        }
        Ok(answer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ids shaped like the app's UUIDv7s, made up from a counter.
    fn ids(count: u32) -> impl Iterator<Item = String> {
        (0..count).map(|n| {
            format!(
                "01a2{:04x}-{:04x}-7{:03x}-8{:03x}-{:012x}",
                n >> 16,
                n & 0xffff,
                n % 4096,
                (n * 7) % 4096,
                u64::from(n) * 2_654_435_761
            )
        })
    }

    fn share(hits: usize, of: u32) -> f64 {
        hits as f64 / f64::from(of)
    }

    const COMPLETED: Timestamp = Timestamp::from_unix_millis(1_795_620_600_000);

    #[test]
    fn the_rates_hold_over_10k_services() {
        let rates = SamplingRates::default();
        let services = 10_000;
        for (level, expected) in [
            (ServicePointLevel::Contracted, 1.0),
            (ServicePointLevel::CompanyRun, 0.5),
            (ServicePointLevel::Headquarters, 0.2),
        ] {
            let called = ids(services)
                .filter(|id| plan_callback(id, level, &rates, COMPLETED).is_some())
                .count();
            let got = share(called, services);
            // Three standard deviations of a fair draw at 10k: at most 1.5 points.
            assert!((got - expected).abs() <= 0.015, "{level:?}: {got}");
        }
    }

    #[test]
    fn the_choice_is_the_same_every_time() {
        let rates = SamplingRates::default();
        let first: Vec<bool> = ids(2_000)
            .map(|id| {
                plan_callback(&id, ServicePointLevel::CompanyRun, &rates, COMPLETED).is_some()
            })
            .collect();
        let again: Vec<bool> = ids(2_000)
            .map(|id| {
                plan_callback(&id, ServicePointLevel::CompanyRun, &rates, COMPLETED).is_some()
            })
            .collect();
        assert_eq!(first, again);
        // A headquarters sample is inside the company-run one: raising a
        // rate only adds services.
        for id in ids(2_000) {
            if plan_callback(&id, ServicePointLevel::Headquarters, &rates, COMPLETED).is_some() {
                assert!(
                    plan_callback(&id, ServicePointLevel::CompanyRun, &rates, COMPLETED).is_some()
                );
            }
        }
    }

    #[test]
    fn a_sampled_service_is_called_back_within_3_days_and_tracked_within_7() {
        let rates = SamplingRates::default();
        let plan = plan_callback("any", ServicePointLevel::Contracted, &rates, COMPLETED).unwrap();
        assert_eq!(
            plan.callback_due.unix_millis() - COMPLETED.unix_millis(),
            3 * 24 * 3_600_000
        );
        assert_eq!(
            plan.tracking_due.unix_millis() - COMPLETED.unix_millis(),
            7 * 24 * 3_600_000
        );
    }

    #[test]
    fn configured_rates_are_followed_and_checked() {
        let rates = SamplingRates {
            company_run: Permille::try_from(0).unwrap(),
            ..SamplingRates::default()
        };
        assert!(ids(1_000).all(|id| plan_callback(
            &id,
            ServicePointLevel::CompanyRun,
            &rates,
            COMPLETED
        )
        .is_none()));
        assert_eq!(Permille::try_from(1001), Err(NotAShare(1001)));
        assert!(serde_json::from_str::<Permille>("1200").is_err());
    }

    #[test]
    fn a_fifth_of_customers_are_surveyed_each_month_and_not_the_same_fifth() {
        let rates = SamplingRates::default();
        let customers = 10_000;
        let november: Vec<bool> = ids(customers)
            .map(|id| in_phone_survey(&id, (2026, 11), &rates))
            .collect();
        let december: Vec<bool> = ids(customers)
            .map(|id| in_phone_survey(&id, (2026, 12), &rates))
            .collect();
        for month in [&november, &december] {
            let got = share(month.iter().filter(|s| **s).count(), customers);
            assert!((got - 0.2).abs() <= 0.012, "{got}");
        }
        // Independent months: about a fifth of November's are surveyed again.
        let both = november
            .iter()
            .zip(&december)
            .filter(|(a, b)| **a && **b)
            .count();
        let again = share(both, customers) / 0.2;
        assert!((again - 0.2).abs() <= 0.05, "{again}");
    }

    #[test]
    fn the_survey_is_due_when_the_local_month_ends() {
        let china = UtcOffset::CHINA;
        // 2026-11-30 23:59 in Beijing is still November there.
        let last_minute = local_midnight(2026, 12, 1, china).unix_millis() - 60_000;
        let (month, due) = survey_month(Timestamp::from_unix_millis(last_minute), china);
        assert_eq!(month, (2026, 11));
        assert_eq!(due, local_midnight(2026, 12, 1, china));
        // One minute later it is December, due at the new year.
        let (month, due) = survey_month(Timestamp::from_unix_millis(last_minute + 60_000), china);
        assert_eq!(month, (2026, 12));
        assert_eq!(due, local_midnight(2027, 1, 1, china));
    }

    #[test]
    fn a_late_call_costs_ten_then_a_hundred() {
        let due = COMPLETED;
        let at = |ms: i64| Timestamp::from_unix_millis(due.unix_millis() + ms);
        assert_eq!(call_delay_weight(due, at(-1)), 1);
        assert_eq!(call_delay_weight(due, at(0)), 1);
        assert_eq!(call_delay_weight(due, at(1)), 10);
        assert_eq!(call_delay_weight(due, at(3 * DAY_MS - 1)), 10);
        assert_eq!(call_delay_weight(due, at(3 * DAY_MS)), 100);
    }

    fn satisfied() -> CallAnswerForm {
        CallAnswerForm {
            fixed: "yes".into(),
            ratings: ["5", "5", "4", "5", "5"].map(String::from),
            ..CallAnswerForm::default()
        }
    }

    #[test]
    fn a_call_answer_names_its_first_bad_field() {
        let answer = satisfied().check(None).unwrap();
        assert!(answer.customer_says_fixed);
        assert_eq!(answer.ratings.timeliness.value(), 4);
        assert_eq!(answer.comment, None);

        let mut form = satisfied();
        form.fixed = String::new();
        assert_eq!(form.check(None).unwrap_err().field, "fixed");
        for (n, field) in RATING_FIELDS.iter().enumerate() {
            for bad in ["", "0", "6", "五"] {
                let mut form = satisfied();
                form.ratings[n] = bad.into();
                assert_eq!(form.check(None).unwrap_err().field, *field, "{bad:?}");
            }
        }
        let mut form = satisfied();
        form.comment = "x".repeat(5000);
        assert_eq!(form.check(None).unwrap_err().field, "comment");
        let mut form = satisfied();
        form.repeat_fault = "又漏水了".into();
        assert_eq!(form.check(None).unwrap_err().field, "repeat_start");
    }

    #[test]
    fn not_fixed_needs_a_repeat_order_or_a_complaint() {
        let window = AppointmentWindow::new(
            COMPLETED,
            Timestamp::from_unix_millis(COMPLETED.unix_millis() + 7_200_000),
        )
        .unwrap();
        let mut form = satisfied();
        form.fixed = "no".into();
        assert_eq!(form.check(Some(window)).unwrap_err().field, "repeat_fault");

        let mut with_complaint = form.clone();
        with_complaint.complaint = "师傅没修好还收了钱".into();
        let answer = with_complaint.check(None).unwrap();
        assert_eq!(answer.complaint.unwrap().as_str(), "师傅没修好还收了钱");
        assert_eq!(answer.repeat_order, None);

        let mut with_repeat = form;
        with_repeat.repeat_fault = "又漏水了".into();
        let answer = with_repeat.check(Some(window)).unwrap();
        let repeat = answer.repeat_order.unwrap();
        assert_eq!(repeat.reported_fault.as_str(), "又漏水了");
        assert_eq!(repeat.appointment, window);
    }

    #[test]
    fn an_admin_types_whole_percents() {
        let form = SamplingForm::of(&SamplingRates::default());
        assert_eq!(
            (
                form.contracted.as_str(),
                form.company_run.as_str(),
                form.headquarters.as_str()
            ),
            ("100", "50", "20")
        );
        assert_eq!(form.check(), Ok(SamplingRates::default()));
        let zero = SamplingForm {
            phone_survey: " 0 ".into(),
            ..form.clone()
        };
        assert_eq!(zero.check().unwrap().phone_survey, Permille(0));
        for (bad, field) in [
            (
                SamplingForm {
                    contracted: "101".into(),
                    ..form.clone()
                },
                "contracted",
            ),
            (
                SamplingForm {
                    company_run: "-5".into(),
                    ..form.clone()
                },
                "company_run",
            ),
            (
                SamplingForm {
                    headquarters: "20%".into(),
                    ..form.clone()
                },
                "headquarters",
            ),
            (
                SamplingForm {
                    phone_survey: String::new(),
                    ..form.clone()
                },
                "phone_survey",
            ),
        ] {
            assert_eq!(bad.check().unwrap_err().field, field);
        }
    }
}
