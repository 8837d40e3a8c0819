//! The dashboard's past days are counted by the server, not by the first
//! person who asks. At start it counts whatever history is not yet counted
//! (a database restored or written by SQL, days that closed while the
//! server was down) while it serves requests; then, once an hour, the days
//! that closed since and the days a write made stale.

use std::time::{Duration, Instant};

use app::domain::dashboard::{Period, PeriodKind};
use app::domain::metrics::{Grace, RecallWindow};
use app::domain::time::Timestamp;
use app::domain::validation::ValidationError;
use app::domain::work_order::CalendarDate;
use app::store::{Store, StoreError};
use app::zone::ServiceZone;
use thiserror::Error;

/// How often the job looks for days to count after the start.
pub const RECOUNT_EVERY: Duration = Duration::from_secs(3600);

#[derive(Debug, Error)]
pub enum HistoryError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A stored time outside the calendar the dashboard can show.
    #[error("a visit window outside the calendar: {0}")]
    Calendar(#[from] ValidationError),
}

/// What one pass counted, and how long it took.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HistoryCount {
    /// Quarters looked at, from the earliest visit's to the current one.
    pub quarters: usize,
    /// Days counted and kept (days kept already are not counted again; a
    /// day whose windows are still open is counted but not kept).
    pub days: usize,
    pub took: Duration,
}

/// Counts every ended day of the history that is not kept under the
/// current epochs, a calendar quarter at a time (see [`quarters`]), with
/// the dashboard's own grace and recall window.
pub async fn count_history(
    store: &Store,
    zone: ServiceZone,
    now: Timestamp,
) -> Result<HistoryCount, HistoryError> {
    let started = Instant::now();
    let mut count = HistoryCount {
        quarters: 0,
        days: 0,
        took: Duration::ZERO,
    };
    let Some(earliest) = store.earliest_window_start().await? else {
        return Ok(count);
    };
    for quarter in quarters(zone, earliest, now)? {
        count.days += store
            .keep_ended_days(
                quarter.from,
                quarter.until,
                Grace::NONE,
                RecallWindow::DEFAULT,
                now,
            )
            .await?;
        count.quarters += 1;
    }
    count.took = started.elapsed();
    Ok(count)
}

/// The calendar quarters from the one holding `earliest` to the one holding
/// `now`. Their days start where the dashboard's periods start them: at
/// local midnights on the zone's offset at `now`, as a request made now
/// resolves them, so what is kept is what the next request looks for.
///
/// A quarter bounds what one count holds in memory. It is also long enough
/// that PostgreSQL's plan, which reads all the checklist answers once
/// whatever the range (a hash join), runs 9 times for two years instead of
/// 25 month by month.
pub fn quarters(
    zone: ServiceZone,
    earliest: Timestamp,
    now: Timestamp,
) -> Result<Vec<Period>, ValidationError> {
    let offset = zone.offset_at(now);
    let (mut year, month, _) = zone.calendar_date(earliest)?.parts();
    let mut first_month = (month - 1) / 3 * 3 + 1;
    let mut quarters = Vec::new();
    loop {
        let anchor = CalendarDate::new("date", year, first_month, 1)?;
        let quarter = Period::resolve(PeriodKind::Quarter, anchor, None, offset)?;
        if quarter.from >= now {
            return Ok(quarters);
        }
        quarters.push(quarter);
        (year, first_month) = match first_month {
            10 => (year + 1, 1),
            _ => (year, first_month + 3),
        };
    }
}

/// Runs [`count_history`] now and then every [`RECOUNT_EVERY`], logging
/// each pass; a failed pass is logged and tried again at the next.
pub fn spawn(store: Store, zone: ServiceZone) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut counted_once = false;
        loop {
            match count_history(&store, zone, Timestamp::now()).await {
                Ok(count) if !counted_once => {
                    counted_once = true;
                    tracing::info!(
                        quarters = count.quarters,
                        days = count.days,
                        seconds = count.took.as_secs_f64(),
                        "dashboard: the history is counted"
                    )
                }
                Ok(count) if count.days > 0 => tracing::info!(
                    days = count.days,
                    seconds = count.took.as_secs_f64(),
                    "dashboard: closed and changed days counted"
                ),
                Ok(_) => {}
                Err(error) => {
                    tracing::warn!(%error, "dashboard: counting the history failed")
                }
            }
            tokio::time::sleep(RECOUNT_EVERY).await;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::time::{local_midnight, UtcOffset};

    const HOUR_MS: i64 = 3_600_000;

    fn at_midnight(
        zone: ServiceZone,
        year: i64,
        month: u8,
        day: u8,
        probe: Timestamp,
    ) -> Timestamp {
        local_midnight(year, month, day, zone.offset_at(probe))
    }

    #[test]
    fn quarters_run_from_the_earliest_visits_to_now_without_gaps() {
        let shanghai = ServiceZone::DEFAULT;
        let now = local_midnight(2026, 12, 25, UtcOffset::CHINA);
        let earliest = local_midnight(2025, 2, 10, UtcOffset::CHINA);
        let found = quarters(shanghai, earliest, now).unwrap();
        assert_eq!(found.len(), 8, "2025's four, then 2026's four");
        assert_eq!(found[0].from, local_midnight(2025, 1, 1, UtcOffset::CHINA));
        assert!(found.windows(2).all(|pair| pair[0].until == pair[1].from));
        assert!(found[7].from < now && now < found[7].until);
        // Exactly at the start of a quarter, that quarter has no ended day.
        let new_year = local_midnight(2027, 1, 1, UtcOffset::CHINA);
        assert_eq!(quarters(shanghai, earliest, new_year).unwrap().len(), 8);
    }

    /// Where the clocks change, every quarter starts at midnight on the
    /// offset of now, as a request made now cuts its days; and the passage
    /// from a summer quarter to a winter one ends (it once went round the
    /// fourth quarter forever, its end read back on winter time falling on
    /// 31 December).
    #[test]
    fn quarters_follow_the_offset_of_now_where_the_clocks_change() {
        let new_york = ServiceZone::from_name("America/New_York").unwrap();
        let winter = Timestamp::from_unix_millis(
            local_midnight(2027, 2, 10, UtcOffset::from_minutes(-300).unwrap()).unix_millis()
                + 12 * HOUR_MS,
        );
        let summer = local_midnight(2026, 7, 20, UtcOffset::from_minutes(-240).unwrap());
        let found = quarters(new_york, summer, winter).unwrap();
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].from, at_midnight(new_york, 2026, 7, 1, winter));
        assert_eq!(found[1].from, at_midnight(new_york, 2026, 10, 1, winter));
        assert_eq!(found[2].from, at_midnight(new_york, 2027, 1, 1, winter));
        assert!(found.windows(2).all(|pair| pair[0].until == pair[1].from));
        // In summer the same history is cut on summer time.
        let august = local_midnight(2026, 8, 15, UtcOffset::from_minutes(-240).unwrap());
        let found = quarters(new_york, summer, august).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].from, at_midnight(new_york, 2026, 7, 1, august));
    }
}
