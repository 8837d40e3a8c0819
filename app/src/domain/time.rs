//! Time as the product stores it: UTC instants, with the service region's
//! offset kept beside them so a technician sees the customer's local clock.

use serde::{Deserialize, Serialize};
use thiserror::Error;

const MILLIS_PER_MINUTE: i64 = 60_000;
const MINUTES_PER_DAY: i64 = 24 * 60;

/// Milliseconds since the Unix epoch, UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Timestamp(i64);

impl Timestamp {
    pub const fn from_unix_millis(millis: i64) -> Self {
        Timestamp(millis)
    }

    pub const fn unix_millis(self) -> i64 {
        self.0
    }

    /// The system clock. Only the edges (server functions, the UI) call it;
    /// rules take the time as an argument.
    pub fn now() -> Self {
        #[cfg(target_arch = "wasm32")]
        {
            Timestamp(js_sys_now())
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            let since_epoch = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default();
            Timestamp(
                (since_epoch.as_millis() as i64)
                    .saturating_add(CLOCK_SHIFT_MS.load(std::sync::atomic::Ordering::Relaxed)),
            )
        }
    }

    /// Moves this process's clock by `ms` from the system's, from now on:
    /// set once at start (`DOORSTEP_CLOCK_SHIFT_MS`) to run the product as
    /// if on another day, as the browser tests do on the 1st of a month,
    /// on its last day and at 23:55. The clock keeps running.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn shift_clock(ms: i64) {
        CLOCK_SHIFT_MS.store(ms, std::sync::atomic::Ordering::Relaxed);
    }
}

#[cfg(not(target_arch = "wasm32"))]
static CLOCK_SHIFT_MS: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);

#[cfg(target_arch = "wasm32")]
fn js_sys_now() -> i64 {
    #[wasm_bindgen::prelude::wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_namespace = Date, js_name = now)]
        fn date_now() -> f64;
    }
    date_now() as i64
}

/// Offset of a local clock from UTC, in whole minutes. Real offsets lie
/// within ±18 h; anything outside is corrupt data, refused at the edge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "i32", into = "i32")]
pub struct UtcOffset(i32);

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum TimeError {
    #[error("UTC offset {0} min is outside ±18 h")]
    OffsetOutOfRange(i32),
    #[error("the appointment window ends before it starts")]
    WindowEndsBeforeStart,
    #[error("the appointment window is empty (it ends when it starts)")]
    WindowEmpty,
    #[error("the appointment window is longer than one day")]
    WindowTooLong,
}

impl UtcOffset {
    pub const MAX_MINUTES: i32 = 18 * 60;
    /// China Standard Time, the default service region's clock.
    pub const CHINA: UtcOffset = UtcOffset(8 * 60);

    pub fn from_minutes(minutes: i32) -> Result<Self, TimeError> {
        if minutes.abs() > Self::MAX_MINUTES {
            return Err(TimeError::OffsetOutOfRange(minutes));
        }
        Ok(UtcOffset(minutes))
    }

    pub const fn minutes(self) -> i32 {
        self.0
    }
}

/// `+08:00`, as ISO 8601 writes an offset.
impl std::fmt::Display for UtcOffset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.0 < 0 { '-' } else { '+' };
        let minutes = self.0.abs();
        write!(f, "{sign}{:02}:{:02}", minutes / 60, minutes % 60)
    }
}

impl TryFrom<i32> for UtcOffset {
    type Error = TimeError;
    fn try_from(minutes: i32) -> Result<Self, Self::Error> {
        UtcOffset::from_minutes(minutes)
    }
}

impl From<UtcOffset> for i32 {
    fn from(offset: UtcOffset) -> i32 {
        offset.0
    }
}

/// "HH:MM" of a minute of the day (0 to 1440; 1440 is "24:00").
pub fn format_minute_of_day(minute: u32) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// A length of time in whole days, hours and minutes, rounded up to the
/// minute: how late something is, or how long is left, in words people say.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub days: u64,
    pub hours: u64,
    pub minutes: u64,
}

impl Span {
    /// A negative length is none.
    pub fn of_millis(ms: i64) -> Span {
        let minutes = u64::try_from(ms).unwrap_or(0).div_ceil(60_000);
        Span {
            days: minutes / (24 * 60),
            hours: minutes % (24 * 60) / 60,
            minutes: minutes % 60,
        }
    }

    /// The two largest units worth saying: days and hours from a day up,
    /// hours and minutes below a day; a zero second unit left out.
    pub fn two_largest(self) -> (u64, SpanUnit, Option<(u64, SpanUnit)>) {
        let second = |value: u64, unit| (value > 0).then_some((value, unit));
        if self.days > 0 {
            (
                self.days,
                SpanUnit::Days,
                second(self.hours, SpanUnit::Hours),
            )
        } else if self.hours > 0 {
            (
                self.hours,
                SpanUnit::Hours,
                second(self.minutes, SpanUnit::Minutes),
            )
        } else {
            (self.minutes, SpanUnit::Minutes, None)
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpanUnit {
    Days,
    Hours,
    Minutes,
}

/// The start of the local day that `at` falls on.
pub fn local_day_start(at: Timestamp, offset: UtcOffset) -> Timestamp {
    let (year, month, day) = local_date(at, offset);
    local_midnight(year, month, day, offset)
}

/// Hour and minute on the local clock at `at`.
pub fn local_hour_minute(at: Timestamp, offset: UtcOffset) -> (u8, u8) {
    let local_minutes = at.0.div_euclid(MILLIS_PER_MINUTE) + i64::from(offset.0);
    let minute_of_day = local_minutes.rem_euclid(MINUTES_PER_DAY);
    ((minute_of_day / 60) as u8, (minute_of_day % 60) as u8)
}

/// Year, month and day on the local calendar at `at` (proleptic Gregorian;
/// Howard Hinnant's days-to-civil), so the phone needs no date library.
pub fn local_date(at: Timestamp, offset: UtcOffset) -> (i64, u8, u8) {
    let local_minutes = at.0.div_euclid(MILLIS_PER_MINUTE) + i64::from(offset.0);
    let days = local_minutes.div_euclid(MINUTES_PER_DAY) + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u8;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u8;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The instant local midnight begins on a calendar day (the inverse of
/// `local_date`; Hinnant's days-from-civil). Months and days out of range
/// roll over the way the arithmetic takes them, so callers pass real dates.
pub fn local_midnight(year: i64, month: u8, day: u8, offset: UtcOffset) -> Timestamp {
    let year = year - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month = i64::from(month);
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    Timestamp((days * MINUTES_PER_DAY - i64::from(offset.0)) * MILLIS_PER_MINUTE)
}

/// Day of the week at `at` on the local calendar: 0 is Monday, 6 Sunday.
pub fn local_weekday(at: Timestamp, offset: UtcOffset) -> u8 {
    let local_minutes = at.0.div_euclid(MILLIS_PER_MINUTE) + i64::from(offset.0);
    // 1970-01-01 was a Thursday.
    (local_minutes.div_euclid(MINUTES_PER_DAY) + 3).rem_euclid(7) as u8
}

/// "2026-11-26 09:30" on the local clock.
pub fn format_local_date_time(at: Timestamp, offset: UtcOffset) -> String {
    let (year, month, day) = local_date(at, offset);
    format!(
        "{year}-{month:02}-{day:02} {}",
        format_local_time(at, offset)
    )
}

/// "HH:MM" on the local clock, the way appointment times are spoken.
pub fn format_local_time(at: Timestamp, offset: UtcOffset) -> String {
    let (hour, minute) = local_hour_minute(at, offset);
    format!("{hour:02}:{minute:02}")
}

/// The time span agreed with the customer for a visit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawWindow", into = "RawWindow")]
pub struct AppointmentWindow {
    start: Timestamp,
    end: Timestamp,
}

#[derive(Serialize, Deserialize)]
struct RawWindow {
    start: Timestamp,
    end: Timestamp,
}

impl AppointmentWindow {
    pub const MAX_LENGTH_MILLIS: i64 = MINUTES_PER_DAY * MILLIS_PER_MINUTE;

    pub fn new(start: Timestamp, end: Timestamp) -> Result<Self, TimeError> {
        match end.0.checked_sub(start.0) {
            Some(length) if length < 0 => Err(TimeError::WindowEndsBeforeStart),
            Some(0) => Err(TimeError::WindowEmpty),
            Some(length) if length > Self::MAX_LENGTH_MILLIS => Err(TimeError::WindowTooLong),
            Some(_) => Ok(AppointmentWindow { start, end }),
            // The difference overflows only when the two are absurdly far apart.
            None if end.0 < start.0 => Err(TimeError::WindowEndsBeforeStart),
            None => Err(TimeError::WindowTooLong),
        }
    }

    pub fn start(&self) -> Timestamp {
        self.start
    }

    pub fn end(&self) -> Timestamp {
        self.end
    }

    /// "09:00–11:00" on the local clock.
    pub fn format_local(&self, offset: UtcOffset) -> String {
        format!(
            "{}–{}",
            format_local_time(self.start, offset),
            format_local_time(self.end, offset)
        )
    }
}

impl AppointmentWindow {
    /// "2026-11-27 09:00–11:00" on the local clock, for lists spanning days.
    pub fn format_local_with_date(&self, offset: UtcOffset) -> String {
        let (year, month, day) = local_date(self.start, offset);
        format!("{year}-{month:02}-{day:02} {}", self.format_local(offset))
    }
}

impl TryFrom<RawWindow> for AppointmentWindow {
    type Error = TimeError;
    fn try_from(raw: RawWindow) -> Result<Self, Self::Error> {
        AppointmentWindow::new(raw.start, raw.end)
    }
}

impl From<AppointmentWindow> for RawWindow {
    fn from(window: AppointmentWindow) -> Self {
        RawWindow {
            start: window.start,
            end: window.end,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn offsets_print_as_iso_8601() {
        assert_eq!(UtcOffset::CHINA.to_string(), "+08:00");
        assert_eq!(
            UtcOffset::from_minutes(-(4 * 60 + 30)).unwrap().to_string(),
            "-04:30"
        );
        assert_eq!(UtcOffset::from_minutes(0).unwrap().to_string(), "+00:00");
    }

    #[test]
    fn local_midnight_inverts_local_date_and_weekdays_follow() {
        let china = UtcOffset::CHINA;
        // 2026-11-25T00:00+08:00 is 2026-11-24T16:00Z, a Wednesday.
        let midnight = local_midnight(2026, 11, 25, china);
        assert_eq!(midnight.unix_millis(), 1_795_536_000_000);
        assert_eq!(local_weekday(midnight, china), 2);
        assert_eq!(
            local_weekday(
                Timestamp::from_unix_millis(midnight.unix_millis() - 1),
                china
            ),
            1
        );
        assert_eq!(
            local_midnight(2024, 2, 29, china).unix_millis(),
            1_709_136_000_000
        );
        assert_eq!(
            local_midnight(1970, 1, 1, UtcOffset::from_minutes(0).unwrap()).unix_millis(),
            0
        );
    }

    #[test]
    fn a_span_says_its_two_largest_units() {
        const MINUTE: i64 = 60_000;
        let span = |ms: i64| Span::of_millis(ms).two_largest();
        // 3 days 2 hours and 5 minutes: the minutes are not worth saying.
        let late = (3 * 24 * 60 + 2 * 60 + 5) * MINUTE;
        assert_eq!(span(late), (3, SpanUnit::Days, Some((2, SpanUnit::Hours))));
        assert_eq!(span(24 * 60 * MINUTE), (1, SpanUnit::Days, None));
        assert_eq!(
            span(125 * MINUTE),
            (2, SpanUnit::Hours, Some((5, SpanUnit::Minutes)))
        );
        // Rounded up: a second late is a minute late.
        assert_eq!(span(1_000), (1, SpanUnit::Minutes, None));
        assert_eq!(span(0), (0, SpanUnit::Minutes, None));
        assert_eq!(span(-5 * MINUTE), (0, SpanUnit::Minutes, None));
    }

    proptest::proptest! {
        #[test]
        fn a_span_adds_up_to_its_length_in_minutes(ms in 0i64..10_000_000_000_000) {
            let span = Span::of_millis(ms);
            proptest::prop_assert!(span.hours < 24 && span.minutes < 60);
            let minutes = span.days * 24 * 60 + span.hours * 60 + span.minutes;
            proptest::prop_assert_eq!(minutes, (ms as u64).div_ceil(60_000));
        }

        #[test]
        fn local_midnight_is_the_start_of_its_local_date(ms in -2_000_000_000_000i64..6_000_000_000_000, minutes in -720i32..=840) {
            let offset = UtcOffset::from_minutes(minutes).unwrap();
            let at = Timestamp::from_unix_millis(ms);
            let (year, month, day) = local_date(at, offset);
            let midnight = local_midnight(year, month, day, offset);
            proptest::prop_assert!(midnight <= at);
            proptest::prop_assert!(at.unix_millis() - midnight.unix_millis() < 24 * 3_600_000);
            proptest::prop_assert_eq!(local_date(midnight, offset), (year, month, day));
        }
    }

    #[test]
    fn local_dates_follow_the_calendar_across_midnight_and_leap_days() {
        let china = UtcOffset::CHINA;
        let at = |ms: i64| Timestamp::from_unix_millis(ms);
        assert_eq!(local_date(at(0), china), (1970, 1, 1));
        // 2024-02-28 16:00 UTC is 2024-02-29 00:00 in Shanghai.
        assert_eq!(local_date(at(1_709_136_000_000), china), (2024, 2, 29));
        assert_eq!(local_date(at(1_709_136_000_000 - 1), china), (2024, 2, 28));
        assert_eq!(
            local_date(at(1_709_136_000_000), UtcOffset::from_minutes(0).unwrap()),
            (2024, 2, 28)
        );
        // 2026-12-31 16:30 UTC is New Year's Day in Shanghai.
        assert_eq!(local_date(at(1_798_734_600_000), china), (2027, 1, 1));
        assert_eq!(
            local_date(at(-1), UtcOffset::from_minutes(0).unwrap()),
            (1969, 12, 31)
        );
        let window = AppointmentWindow::new(
            at(1_709_136_000_000 + 9 * 3_600_000),
            at(1_709_136_000_000 + 11 * 3_600_000),
        )
        .unwrap();
        assert_eq!(
            window.format_local_with_date(china),
            "2024-02-29 09:00–11:00"
        );
        assert_eq!(
            format_local_date_time(window.start(), china),
            "2024-02-29 09:00"
        );
    }

    use super::*;
    use proptest::prelude::*;

    const HOUR: i64 = 60 * MILLIS_PER_MINUTE;
    // 2026-11-25T00:00:00Z
    const MIDNIGHT_UTC: i64 = 1_795_564_800_000;

    #[test]
    fn formats_the_local_clock_of_the_region() {
        let at = Timestamp::from_unix_millis(MIDNIGHT_UTC + HOUR + 30 * MILLIS_PER_MINUTE);
        assert_eq!(format_local_time(at, UtcOffset::CHINA), "09:30");
        assert_eq!(
            format_local_time(at, UtcOffset::from_minutes(0).unwrap()),
            "01:30"
        );
        assert_eq!(
            format_local_time(at, UtcOffset::from_minutes(-5 * 60).unwrap()),
            "20:30"
        );
    }

    #[test]
    fn times_before_the_epoch_format_correctly() {
        let at = Timestamp::from_unix_millis(-MILLIS_PER_MINUTE);
        assert_eq!(
            format_local_time(at, UtcOffset::from_minutes(0).unwrap()),
            "23:59"
        );
    }

    #[test]
    fn offsets_beyond_eighteen_hours_are_refused() {
        assert!(UtcOffset::from_minutes(18 * 60).is_ok());
        assert!(UtcOffset::from_minutes(-18 * 60).is_ok());
        assert_eq!(
            UtcOffset::from_minutes(18 * 60 + 1),
            Err(TimeError::OffsetOutOfRange(18 * 60 + 1))
        );
        assert!(serde_json::from_str::<UtcOffset>("9999").is_err());
    }

    #[test]
    fn window_must_start_before_it_ends_and_last_at_most_a_day() {
        let start = Timestamp::from_unix_millis(MIDNIGHT_UTC);
        let at = |ms| Timestamp::from_unix_millis(MIDNIGHT_UTC + ms);
        assert_eq!(
            AppointmentWindow::new(start, at(-1)),
            Err(TimeError::WindowEndsBeforeStart)
        );
        assert_eq!(
            AppointmentWindow::new(start, start),
            Err(TimeError::WindowEmpty)
        );
        assert_eq!(
            AppointmentWindow::new(start, at(24 * HOUR + 1)),
            Err(TimeError::WindowTooLong)
        );
        assert!(AppointmentWindow::new(start, at(24 * HOUR)).is_ok());
        let window = AppointmentWindow::new(at(HOUR), at(3 * HOUR)).unwrap();
        assert_eq!(window.format_local(UtcOffset::CHINA), "09:00–11:00");
        assert_eq!(
            AppointmentWindow::new(
                Timestamp::from_unix_millis(i64::MAX),
                Timestamp::from_unix_millis(i64::MIN)
            ),
            Err(TimeError::WindowEndsBeforeStart)
        );
        assert_eq!(
            AppointmentWindow::new(
                Timestamp::from_unix_millis(i64::MIN),
                Timestamp::from_unix_millis(i64::MAX)
            ),
            Err(TimeError::WindowTooLong)
        );
    }

    #[test]
    fn a_bad_window_cannot_be_deserialised() {
        let bad = r#"{"start":2000,"end":1000}"#;
        assert!(serde_json::from_str::<AppointmentWindow>(bad).is_err());
        let good = r#"{"start":1000,"end":2000}"#;
        let window: AppointmentWindow = serde_json::from_str(good).unwrap();
        assert_eq!(window.end().unix_millis(), 2000);
    }

    proptest! {
        #[test]
        fn local_time_is_always_a_valid_clock_reading(
            millis in any::<i64>(),
            offset in -UtcOffset::MAX_MINUTES..=UtcOffset::MAX_MINUTES,
        ) {
            let offset = UtcOffset::from_minutes(offset).unwrap();
            let (hour, minute) = local_hour_minute(Timestamp::from_unix_millis(millis), offset);
            prop_assert!(hour < 24 && minute < 60);
            prop_assert_eq!(format_local_time(Timestamp::from_unix_millis(millis), offset).len(), 5);
        }

        #[test]
        fn window_accepts_exactly_positive_lengths_up_to_a_day(
            start in -4_000_000_000_000i64..4_000_000_000_000,
            length in -2 * AppointmentWindow::MAX_LENGTH_MILLIS..2 * AppointmentWindow::MAX_LENGTH_MILLIS,
        ) {
            let result = AppointmentWindow::new(
                Timestamp::from_unix_millis(start),
                Timestamp::from_unix_millis(start + length),
            );
            prop_assert_eq!(result.is_ok(), length > 0 && length <= AppointmentWindow::MAX_LENGTH_MILLIS);
        }

        #[test]
        fn shifting_by_a_whole_day_keeps_the_clock(
            millis in -4_000_000_000_000i64..4_000_000_000_000,
            offset in -UtcOffset::MAX_MINUTES..=UtcOffset::MAX_MINUTES,
        ) {
            let offset = UtcOffset::from_minutes(offset).unwrap();
            let day = MINUTES_PER_DAY * MILLIS_PER_MINUTE;
            prop_assert_eq!(
                local_hour_minute(Timestamp::from_unix_millis(millis), offset),
                local_hour_minute(Timestamp::from_unix_millis(millis + day), offset)
            );
        }
    }
}
