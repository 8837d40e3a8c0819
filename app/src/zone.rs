//! The service region's time zone on the server, where the tz database lives
//! (it stays out of the WASM: the browser gets plain offsets).

use chrono::{Days, NaiveTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use thiserror::Error;

use crate::domain::time::{Timestamp, UtcOffset};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServiceZone(Tz);

#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("unknown time zone {0:?}; use an IANA name such as Asia/Shanghai")]
pub struct UnknownZone(pub String);

impl ServiceZone {
    pub const DEFAULT: ServiceZone = ServiceZone(chrono_tz::Asia::Shanghai);

    pub fn from_name(name: &str) -> Result<Self, UnknownZone> {
        name.parse::<Tz>()
            .map(ServiceZone)
            .map_err(|_| UnknownZone(name.to_string()))
    }

    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    pub fn offset_at(&self, at: Timestamp) -> UtcOffset {
        let utc = Utc
            .timestamp_millis_opt(at.unix_millis())
            .single()
            .unwrap_or_default();
        let seconds = self
            .0
            .offset_from_utc_datetime(&utc.naive_utc())
            .fix()
            .local_minus_utc();
        // The tz database has no offset beyond ±18 h, so this cannot fail.
        UtcOffset::from_minutes(seconds / 60).unwrap_or(UtcOffset::CHINA)
    }

    /// The local calendar date at `at`.
    pub fn calendar_date(
        &self,
        at: Timestamp,
    ) -> Result<crate::domain::work_order::CalendarDate, crate::domain::validation::ValidationError>
    {
        use chrono::Datelike;
        let utc = Utc
            .timestamp_millis_opt(at.unix_millis())
            .single()
            .unwrap_or_default();
        let date = utc.with_timezone(&self.0).date_naive();
        crate::domain::work_order::CalendarDate::new(
            "date",
            u16::try_from(date.year()).unwrap_or(0),
            date.month() as u8,
            date.day() as u8,
        )
    }

    /// A local date and time as a form sends it (`YYYY-MM-DDTHH:MM`, the
    /// value of an `<input type="datetime-local">`) on this zone's clock.
    /// A time skipped by a daylight-saving change is refused; a repeated one
    /// means its first occurrence.
    pub fn parse_local(
        &self,
        field: &'static str,
        value: &str,
    ) -> Result<Timestamp, crate::domain::validation::ValidationError> {
        use crate::domain::validation::{Problem, ValidationError};
        let bad = |why| ValidationError::new(field, Problem::BadFormat(why));
        let value = value.trim();
        if value.is_empty() {
            return Err(ValidationError::new(field, Problem::Empty));
        }
        let local = chrono::NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M")
            .map_err(|_| bad("expected a local date and time as YYYY-MM-DDTHH:MM"))?;
        self.0
            .from_local_datetime(&local)
            .earliest()
            .map(|t| Timestamp::from_unix_millis(t.timestamp_millis()))
            .ok_or_else(|| bad("that local time does not exist (clocks skipped it)"))
    }

    /// `[start, end)` of the local calendar day containing `at`. Days around a
    /// daylight-saving change are 23 or 25 hours long, which is why this asks
    /// the tz database instead of adding 24 h.
    pub fn day_containing(&self, at: Timestamp) -> (Timestamp, Timestamp) {
        let utc = Utc
            .timestamp_millis_opt(at.unix_millis())
            .single()
            .unwrap_or_default();
        let local_date = utc.with_timezone(&self.0).date_naive();
        let start_of = |date: chrono::NaiveDate| {
            let midnight = date.and_time(NaiveTime::MIN);
            // Midnight may not exist (a zone that skips it); the earliest valid
            // local time after it starts the day then.
            let start = self
                .0
                .from_local_datetime(&midnight)
                .earliest()
                .or_else(|| {
                    self.0
                        .from_local_datetime(&(midnight + chrono::Duration::hours(1)))
                        .earliest()
                })
                .map(|t| t.timestamp_millis())
                .unwrap_or(midnight.and_utc().timestamp_millis());
            Timestamp::from_unix_millis(start)
        };
        let next_date = local_date
            .checked_add_days(Days::new(1))
            .unwrap_or(local_date);
        (start_of(local_date), start_of(next_date))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_times_are_read_on_the_regions_clock() {
        let zone = ServiceZone::DEFAULT;
        assert_eq!(
            zone.parse_local("appointment_start", "2026-11-25T09:00")
                .unwrap()
                .unix_millis(),
            1_795_568_400_000
        );
        for bad in [
            "",
            "2026-11-25",
            "2026-11-25 09:00",
            "2026-13-01T09:00",
            "tomorrow",
        ] {
            assert_eq!(
                zone.parse_local("appointment_start", bad)
                    .unwrap_err()
                    .field,
                "appointment_start",
                "{bad}"
            );
        }
        let new_york = ServiceZone::from_name("America/New_York").unwrap();
        assert!(
            new_york.parse_local("t", "2026-03-08T02:30").is_err(),
            "skipped by daylight saving"
        );
    }

    const HOUR: i64 = 3_600_000;

    fn at(rfc3339: &str) -> Timestamp {
        Timestamp::from_unix_millis(
            chrono::DateTime::parse_from_rfc3339(rfc3339)
                .unwrap()
                .timestamp_millis(),
        )
    }

    #[test]
    fn shanghai_day_starts_at_sixteen_utc() {
        let zone = ServiceZone::DEFAULT;
        let (start, end) = zone.day_containing(at("2026-11-25T03:00:00Z"));
        assert_eq!(start, at("2026-11-24T16:00:00Z"));
        assert_eq!(end, at("2026-11-25T16:00:00Z"));
        // 23:30 UTC is already the next morning in Shanghai.
        let (start, _) = zone.day_containing(at("2026-11-25T23:30:00Z"));
        assert_eq!(start, at("2026-11-25T16:00:00Z"));
        assert_eq!(zone.offset_at(start).minutes(), 480);
    }

    #[test]
    fn daylight_saving_days_are_not_24_hours() {
        let berlin = ServiceZone::from_name("Europe/Berlin").unwrap();
        let (start, end) = berlin.day_containing(at("2026-03-29T12:00:00Z"));
        assert_eq!(end.unix_millis() - start.unix_millis(), 23 * HOUR);
        let (start, end) = berlin.day_containing(at("2026-10-25T12:00:00Z"));
        assert_eq!(end.unix_millis() - start.unix_millis(), 25 * HOUR);
        assert_eq!(berlin.offset_at(at("2026-07-01T12:00:00Z")).minutes(), 120);
        assert_eq!(berlin.offset_at(at("2026-12-01T12:00:00Z")).minutes(), 60);
    }

    #[test]
    fn unknown_zone_names_are_refused_with_the_name() {
        let error = ServiceZone::from_name("Mars/Olympus").unwrap_err();
        assert!(error.to_string().contains("Mars/Olympus"));
        assert_eq!(
            ServiceZone::from_name("Asia/Shanghai"),
            Ok(ServiceZone::DEFAULT)
        );
    }
}
