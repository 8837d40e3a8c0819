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
    /// Days counted and kept (days kept already are not counted again).
    pub days: usize,
    pub took: Duration,
}

/// Counts every ended day of the history that is not kept under the
/// current epochs, a calendar quarter at a time as the dashboard's periods
/// cut them, with the dashboard's own grace and recall window. A quarter
/// bounds what one count holds in memory and how long keeping it holds
/// SQLite's writer; it is also long enough that PostgreSQL's plan, which
/// reads all the checklist answers once whatever the range (a hash join),
/// runs 9 times for two years instead of 25.
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
    let mut anchor = zone.calendar_date(earliest)?;
    loop {
        let quarter = Period::resolve(PeriodKind::Quarter, anchor, None, zone.offset_at(earliest))?;
        if quarter.from > now {
            break;
        }
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
        anchor = zone.calendar_date(quarter.until)?;
    }
    count.took = started.elapsed();
    Ok(count)
}

/// Runs [`count_history`] now and then every [`RECOUNT_EVERY`], logging
/// each pass; a failed pass is logged and tried again at the next.
pub fn spawn(store: Store, zone: ServiceZone) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut first = true;
        loop {
            match count_history(&store, zone, Timestamp::now()).await {
                Ok(count) if first => tracing::info!(
                    quarters = count.quarters,
                    days = count.days,
                    seconds = count.took.as_secs_f64(),
                    "dashboard: the history is counted"
                ),
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
            first = false;
            tokio::time::sleep(RECOUNT_EVERY).await;
        }
    })
}
