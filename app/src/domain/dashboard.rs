//! The dashboard's periods, its additive counts and what is derived from
//! them: rates, trends, technician scorecards and the quarterly service-star
//! ranking (服务之星). The store counts; everything a reader sees is derived
//! here, the same way for every table, chart and export.

use serde::{Deserialize, Serialize};

use super::metrics::{MeanDuration, Rate, RatingTotals, DAY_MS};
use super::time::{local_date, local_midnight, local_weekday, Timestamp, UtcOffset};
use super::validation::{Problem, ValidationError};
use super::work_order::CalendarDate;

const HOUR_MS: i64 = 3_600_000;

text_enum! {
    /// What the dashboard's period covers.
    pub enum PeriodKind {
        Day = "day",
        Week = "week",
        Month = "month",
        Quarter = "quarter",
        Custom = "custom",
    }
}

/// A custom period longer than a year is a different report.
pub const MAX_CUSTOM_DAYS: i64 = 366;

/// A period resolved to instants, with the width of its trend's buckets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub kind: PeriodKind,
    pub from: Timestamp,
    pub until: Timestamp,
    pub bucket_ms: i64,
}

impl Period {
    /// The day, the week (Monday to Sunday), the month or the quarter that
    /// holds `anchor`, or the custom days `anchor..=to`, on the local calendar.
    pub fn resolve(
        kind: PeriodKind,
        anchor: CalendarDate,
        to: Option<CalendarDate>,
        offset: UtcOffset,
    ) -> Result<Period, ValidationError> {
        let (year, month, day) = anchor.parts();
        let (year, day_start) = (
            i64::from(year),
            local_midnight(i64::from(year), month, day, offset),
        );
        let (from, until) = match kind {
            PeriodKind::Day => (day_start, add_days(day_start, 1)),
            PeriodKind::Week => {
                let monday = add_days(day_start, -i64::from(local_weekday(day_start, offset)));
                (monday, add_days(monday, 7))
            }
            PeriodKind::Month => {
                let (next_year, next_month) = if month == 12 {
                    (year + 1, 1)
                } else {
                    (year, month + 1)
                };
                (
                    local_midnight(year, month, 1, offset),
                    local_midnight(next_year, next_month, 1, offset),
                )
            }
            PeriodKind::Quarter => {
                let first_month = (month - 1) / 3 * 3 + 1;
                let (next_year, next_month) = if first_month == 10 {
                    (year + 1, 1)
                } else {
                    (year, first_month + 3)
                };
                (
                    local_midnight(year, first_month, 1, offset),
                    local_midnight(next_year, next_month, 1, offset),
                )
            }
            PeriodKind::Custom => {
                let to = to.ok_or_else(|| {
                    ValidationError::new(
                        "to",
                        Problem::BadFormat("a custom period needs an end date"),
                    )
                })?;
                let (to_year, to_month, to_day) = to.parts();
                let until = add_days(
                    local_midnight(i64::from(to_year), to_month, to_day, offset),
                    1,
                );
                if until <= day_start {
                    return Err(ValidationError::new(
                        "to",
                        Problem::BadFormat("the end date is before the start date"),
                    ));
                }
                if until.unix_millis() - day_start.unix_millis() > MAX_CUSTOM_DAYS * DAY_MS {
                    return Err(ValidationError::new(
                        "to",
                        Problem::BadFormat("a custom period is at most 366 days"),
                    ));
                }
                (day_start, until)
            }
        };
        let length = until.unix_millis() - from.unix_millis();
        let bucket_ms = match kind {
            PeriodKind::Day => HOUR_MS,
            PeriodKind::Quarter => 7 * DAY_MS,
            _ if length <= 62 * DAY_MS => DAY_MS,
            _ => 7 * DAY_MS,
        };
        Ok(Period {
            kind,
            from,
            until,
            bucket_ms,
        })
    }

    pub fn bucket_count(&self) -> usize {
        let length = self.until.unix_millis() - self.from.unix_millis();
        ((length + self.bucket_ms - 1) / self.bucket_ms) as usize
    }

    pub fn bucket_start(&self, bucket: usize) -> Timestamp {
        Timestamp::from_unix_millis(self.from.unix_millis() + bucket as i64 * self.bucket_ms)
    }

    /// A bucket's name on a chart: its hour for a day's hourly buckets
    /// ("14:00"), else the local date it starts on ("12-03").
    pub fn bucket_label(&self, bucket: usize, offset: UtcOffset) -> String {
        let start = self.bucket_start(bucket);
        if self.bucket_ms < 24 * 3_600_000 {
            let (hour, minute) = super::time::local_hour_minute(start, offset);
            format!("{hour:02}:{minute:02}")
        } else {
            let (_, month, day) = local_date(start, offset);
            format!("{month:02}-{day:02}")
        }
    }

    /// The local date the period starts on, for labels and links.
    pub fn first_day(&self, offset: UtcOffset) -> (i64, u8, u8) {
        local_date(self.from, offset)
    }

    /// The local date of the period's last day.
    pub fn last_day(&self, offset: UtcOffset) -> (i64, u8, u8) {
        local_date(
            Timestamp::from_unix_millis(self.until.unix_millis() - 1),
            offset,
        )
    }
}

fn add_days(at: Timestamp, days: i64) -> Timestamp {
    Timestamp::from_unix_millis(at.unix_millis() + days * DAY_MS)
}

/// Everything the dashboard counts for one slice (a bucket, a technician, or
/// the whole period). Every field adds up across slices, so totals, trends
/// and scorecards come from one set of rows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FigureCounts {
    pub visits_due: u64,
    pub on_time: u64,
    /// On-time arrivals that are also verified (`domain::arrival`).
    #[serde(default)]
    pub verified_on_time: u64,
    pub untimely: u64,
    /// Orders whose first visit has finished.
    pub first_visits_finished: u64,
    pub first_visit_fixes: u64,
    pub repeat_calls: u64,
    pub required_items_due: u64,
    pub required_items_missed: u64,
    pub completed_services: u64,
    pub complaints: u64,
    pub ratings: RatingTotals,
    /// Of the ratings, those given on the sign-off screen that preset every
    /// answer (before the customer chose each one).
    #[serde(default)]
    pub preset_ratings: u64,
    /// Of the completed services, those closed without the customer's
    /// signature (absent or refusing): no rating, always called back.
    #[serde(default)]
    pub closed_unsigned: u64,
    pub to_arrival: MeanDuration,
    pub to_fix: MeanDuration,
}

impl std::ops::Add for FigureCounts {
    type Output = FigureCounts;

    fn add(self, other: FigureCounts) -> FigureCounts {
        FigureCounts {
            visits_due: self.visits_due + other.visits_due,
            on_time: self.on_time + other.on_time,
            verified_on_time: self.verified_on_time + other.verified_on_time,
            untimely: self.untimely + other.untimely,
            first_visits_finished: self.first_visits_finished + other.first_visits_finished,
            first_visit_fixes: self.first_visit_fixes + other.first_visit_fixes,
            repeat_calls: self.repeat_calls + other.repeat_calls,
            required_items_due: self.required_items_due + other.required_items_due,
            required_items_missed: self.required_items_missed + other.required_items_missed,
            completed_services: self.completed_services + other.completed_services,
            complaints: self.complaints + other.complaints,
            ratings: self.ratings + other.ratings,
            preset_ratings: self.preset_ratings + other.preset_ratings,
            closed_unsigned: self.closed_unsigned + other.closed_unsigned,
            to_arrival: self.to_arrival + other.to_arrival,
            to_fix: self.to_fix + other.to_fix,
        }
    }
}

impl FigureCounts {
    pub fn on_time_rate(&self) -> Rate {
        Rate {
            count: self.on_time,
            out_of: self.visits_due,
        }
    }

    /// On time and verified, over the same visits due as `on_time_rate`.
    pub fn verified_on_time_rate(&self) -> Rate {
        Rate {
            count: self.verified_on_time,
            out_of: self.visits_due,
        }
    }

    pub fn untimely_rate(&self) -> Rate {
        Rate {
            count: self.untimely,
            out_of: self.visits_due,
        }
    }

    pub fn first_visit_fix_rate(&self) -> Rate {
        Rate {
            count: self.first_visit_fixes,
            out_of: self.first_visits_finished,
        }
    }

    pub fn repeat_call_rate(&self) -> Rate {
        Rate {
            count: self.repeat_calls,
            out_of: self.first_visits_finished,
        }
    }

    pub fn omission_rate(&self) -> Rate {
        Rate {
            count: self.required_items_missed,
            out_of: self.required_items_due,
        }
    }

    /// Checklist compliance: the required items that were answered.
    pub fn compliance_rate(&self) -> Rate {
        Rate {
            count: self.required_items_due - self.required_items_missed,
            out_of: self.required_items_due,
        }
    }

    pub fn complaint_rate(&self) -> Rate {
        Rate {
            count: self.complaints,
            out_of: self.completed_services,
        }
    }

    pub fn figure(&self, figure: Figure) -> Option<f64> {
        match figure {
            Figure::OnTime => self.on_time_rate().share(),
            Figure::FirstVisitFix => self.first_visit_fix_rate().share(),
            Figure::Compliance => self.compliance_rate().share(),
            Figure::RepeatCalls => self.repeat_call_rate().share(),
            Figure::Rating => self.ratings.mean_of_all(),
            Figure::HoursToArrival => self.to_arrival.mean_minutes().map(|m| m / 60.0),
            Figure::HoursToFix => self.to_fix.mean_minutes().map(|m| m / 60.0),
            Figure::ComplaintPpm => self.complaint_rate().ppm().map(|p| p as f64),
            Figure::UntimelyPpm => self.untimely_rate().ppm().map(|p| p as f64),
            Figure::OmissionPpm => self.omission_rate().ppm().map(|p| p as f64),
        }
    }
}

text_enum! {
    /// The figures the dashboard charts, each with its trend.
    pub enum Figure {
        OnTime = "on_time",
        FirstVisitFix = "first_visit_fix",
        Compliance = "compliance",
        RepeatCalls = "repeat_calls",
        Rating = "rating",
        HoursToArrival = "hours_to_arrival",
        HoursToFix = "hours_to_fix",
        ComplaintPpm = "complaint_ppm",
        UntimelyPpm = "untimely_ppm",
        OmissionPpm = "omission_ppm",
    }
}

impl Figure {
    pub fn is_share(self) -> bool {
        matches!(
            self,
            Figure::OnTime | Figure::FirstVisitFix | Figure::Compliance | Figure::RepeatCalls
        )
    }

    /// Higher is better for the rates of success and the rating; lower for
    /// the rest.
    pub fn higher_is_better(self) -> bool {
        matches!(
            self,
            Figure::OnTime | Figure::FirstVisitFix | Figure::Compliance | Figure::Rating
        )
    }
}

/// A technician's figures over a period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scorecard {
    pub technician_id: String,
    pub name: String,
    pub counts: FigureCounts,
}

/// To be ranked for a quarter's service star a technician needs this many
/// completed services: a handful of lucky visits is not a record.
pub const STAR_MIN_COMPLETED: u64 = 20;

/// A service-star score out of 100, from the same figures as the dashboard:
/// on-time arrival 25, first-visit fix 25, checklist compliance 20 and the
/// customers' rating 30 (the ranking is "partly chosen by customers"), less
/// 5 points per 1 % of completed services complained about. Figures with
/// nothing to count give no points.
pub fn star_score(counts: &FigureCounts) -> f64 {
    let share = |rate: Rate| rate.share().unwrap_or(0.0);
    let rating = counts
        .ratings
        .mean_of_all()
        .map(|mean| (mean - 1.0) / 4.0)
        .unwrap_or(0.0);
    let complaint_penalty = share(counts.complaint_rate()) * 100.0 * 5.0;
    let score = 25.0 * share(counts.on_time_rate())
        + 25.0 * share(counts.first_visit_fix_rate())
        + 20.0 * share(counts.compliance_rate())
        + 30.0 * rating
        - complaint_penalty;
    score.max(0.0)
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StarRank {
    pub rank: usize,
    pub score: f64,
    pub scorecard: Scorecard,
}

/// The quarter's ranking: technicians with enough completed services, best
/// score first; equal scores go to more completed services, then by name,
/// and share a rank.
pub fn service_star_ranking(scorecards: &[Scorecard]) -> Vec<StarRank> {
    let mut eligible: Vec<(f64, &Scorecard)> = scorecards
        .iter()
        .filter(|card| card.counts.completed_services >= STAR_MIN_COMPLETED)
        .map(|card| ((star_score(&card.counts) * 10.0).round() / 10.0, card))
        .collect();
    eligible.sort_by(|(a_score, a), (b_score, b)| {
        b_score
            .total_cmp(a_score)
            .then(
                b.counts
                    .completed_services
                    .cmp(&a.counts.completed_services),
            )
            .then(a.name.cmp(&b.name))
    });
    let mut ranked: Vec<StarRank> = Vec::with_capacity(eligible.len());
    for (position, (score, card)) in eligible.into_iter().enumerate() {
        let rank = match ranked.last() {
            Some(previous) if previous.score == score => previous.rank,
            _ => position + 1,
        };
        ranked.push(StarRank {
            rank,
            score,
            scorecard: card.clone(),
        });
    }
    ranked
}

/// A number as the chosen locale writes it: grouped thousands and a fixed
/// number of decimals. Simplified Chinese and English both group by three
/// with "," and use "." for decimals.
pub fn format_number(value: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole.to_string(), Some(fraction.to_string())),
        None => (text.to_string(), None),
    };
    let mut grouped = String::new();
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    let shows_a_digit = text.chars().any(|c| c.is_ascii_digit() && c != '0');
    let sign = if value < 0.0 && shows_a_digit {
        "-"
    } else {
        ""
    };
    match fraction {
        Some(fraction) => format!("{sign}{grouped}.{fraction}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A figure for a table cell or a CSV field: shares as percentages with one
/// decimal, PPM as whole numbers, ratings with two decimals, hours with one;
/// "—" when there is nothing to count.
pub fn format_figure(figure: Figure, value: Option<f64>) -> String {
    match value {
        None => "—".to_string(),
        Some(v) if figure.is_share() => format!("{}%", format_number(v * 100.0, 1)),
        Some(v) => match figure {
            Figure::ComplaintPpm | Figure::UntimelyPpm | Figure::OmissionPpm => format_number(v, 0),
            Figure::Rating => format_number(v, 2),
            _ => format_number(v, 1),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> CalendarDate {
        CalendarDate::parse("date", text).unwrap()
    }

    const CHINA: UtcOffset = UtcOffset::CHINA;

    #[test]
    fn periods_resolve_on_the_local_calendar() {
        let day = Period::resolve(PeriodKind::Day, date("2026-11-25"), None, CHINA).unwrap();
        assert_eq!(day.from.unix_millis(), 1_795_536_000_000);
        assert_eq!(day.until.unix_millis() - day.from.unix_millis(), DAY_MS);
        assert_eq!(day.bucket_count(), 24);
        // 2026-11-25 is a Wednesday: its week starts on Monday the 23rd.
        let week = Period::resolve(PeriodKind::Week, date("2026-11-25"), None, CHINA).unwrap();
        assert_eq!(week.first_day(CHINA), (2026, 11, 23));
        assert_eq!(week.last_day(CHINA), (2026, 11, 29));
        assert_eq!(week.bucket_count(), 7);
        let month = Period::resolve(PeriodKind::Month, date("2026-12-31"), None, CHINA).unwrap();
        assert_eq!(month.first_day(CHINA), (2026, 12, 1));
        assert_eq!(month.last_day(CHINA), (2026, 12, 31));
        assert_eq!(month.bucket_count(), 31);
        let february = Period::resolve(PeriodKind::Month, date("2028-02-10"), None, CHINA).unwrap();
        assert_eq!(february.bucket_count(), 29);
        let quarter =
            Period::resolve(PeriodKind::Quarter, date("2026-11-25"), None, CHINA).unwrap();
        assert_eq!(quarter.first_day(CHINA), (2026, 10, 1));
        assert_eq!(quarter.last_day(CHINA), (2026, 12, 31));
        let custom = Period::resolve(
            PeriodKind::Custom,
            date("2026-01-01"),
            Some(date("2026-12-31")),
            CHINA,
        )
        .unwrap();
        assert_eq!(custom.bucket_ms, 7 * DAY_MS);
        assert_eq!(custom.bucket_count(), 53);
    }

    #[test]
    fn a_bucket_is_named_by_its_hour_in_a_day_and_by_its_date_otherwise() {
        let day = Period::resolve(PeriodKind::Day, date("2026-11-25"), None, CHINA).unwrap();
        assert_eq!(day.bucket_label(14, CHINA), "14:00");
        let month = Period::resolve(PeriodKind::Month, date("2026-12-31"), None, CHINA).unwrap();
        assert_eq!(month.bucket_label(0, CHINA), "12-01");
        assert_eq!(month.bucket_label(30, CHINA), "12-31");
    }

    #[test]
    fn bad_custom_periods_are_refused_with_the_field_named() {
        let backwards = Period::resolve(
            PeriodKind::Custom,
            date("2026-11-25"),
            Some(date("2026-11-24")),
            CHINA,
        );
        assert_eq!(backwards.unwrap_err().field, "to");
        let too_long = Period::resolve(
            PeriodKind::Custom,
            date("2025-01-01"),
            Some(date("2026-01-02")),
            CHINA,
        );
        assert_eq!(too_long.unwrap_err().field, "to");
        let no_end = Period::resolve(PeriodKind::Custom, date("2025-01-01"), None, CHINA);
        assert_eq!(no_end.unwrap_err().field, "to");
    }

    fn card(name: &str, completed: u64, on_time: u64, complaints: u64) -> Scorecard {
        Scorecard {
            technician_id: name.to_string(),
            name: name.to_string(),
            counts: FigureCounts {
                visits_due: completed,
                on_time,
                first_visits_finished: completed,
                first_visit_fixes: completed,
                required_items_due: completed * 10,
                completed_services: completed,
                complaints,
                ratings: RatingTotals {
                    count: completed,
                    skill: 5 * completed,
                    attitude: 5 * completed,
                    timeliness: 5 * completed,
                    parts_supply: 5 * completed,
                    overall: 5 * completed,
                },
                ..FigureCounts::default()
            },
        }
    }

    #[test]
    fn star_score_weighs_the_standard_and_the_customers() {
        // Perfect everything: 100.
        assert_eq!(star_score(&card("a", 40, 40, 0).counts), 100.0);
        // Half on time loses 12.5.
        assert_eq!(star_score(&card("a", 40, 20, 0).counts), 87.5);
        // One complaint in 40 services (2.5 %) costs 12.5 points.
        assert_eq!(star_score(&card("a", 40, 40, 1).counts), 87.5);
        assert_eq!(star_score(&FigureCounts::default()), 0.0);
    }

    #[test]
    fn the_ranking_needs_enough_services_and_shares_ties() {
        let ranking = service_star_ranking(&[
            card("刘", 40, 20, 0),
            card("王", 40, 40, 0),
            card("陈", 19, 19, 0),
            card("李", 50, 50, 1),
            card("张", 40, 40, 1),
        ]);
        let names: Vec<(&str, usize)> = ranking
            .iter()
            .map(|r| (r.scorecard.name.as_str(), r.rank))
            .collect();
        // 陈 has too few services. 李: 1 complaint in 50 (2 %) → 90. 张 (1 in
        // 40) and 刘 (half on time) score 87.5 on 40 services each: same rank,
        // listed by name (刘 U+5218 before 张 U+5F20).
        assert_eq!(names, [("王", 1), ("李", 2), ("刘", 3), ("张", 3)]);
    }

    #[test]
    fn numbers_and_figures_are_formatted_for_reading() {
        assert_eq!(format_number(1_234_567.891, 2), "1,234,567.89");
        assert_eq!(format_number(999.0, 0), "999");
        assert_eq!(format_number(-1_000.5, 1), "-1,000.5");
        assert_eq!(format_number(-0.01, 1), "0.0");
        assert_eq!(format_figure(Figure::OnTime, Some(0.9567)), "95.7%");
        assert_eq!(
            format_figure(Figure::ComplaintPpm, Some(12_345.0)),
            "12,345"
        );
        assert_eq!(format_figure(Figure::Rating, Some(4.5)), "4.50");
        assert_eq!(format_figure(Figure::HoursToFix, None), "—");
    }

    #[test]
    fn counts_add_up_field_by_field() {
        let one = card("a", 10, 5, 1).counts;
        let two = one + one;
        assert_eq!(two.on_time_rate().share(), one.on_time_rate().share());
        assert_eq!(two.completed_services, 20);
        assert_eq!(two.ratings.count, 20);
        assert_eq!(two.figure(Figure::Compliance), Some(1.0));
        assert_eq!(two.figure(Figure::ComplaintPpm), Some(100_000.0));
    }
}
