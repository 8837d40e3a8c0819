//! Queries, one module per aggregate. One API over both engines: the pool is
//! sqlx's `Any`, the SQL is portable (`$n` placeholders work on SQLite and
//! PostgreSQL alike), and any dialect difference belongs in one module here.
//! Column types are the ones `Any` decodes on both engines: TEXT, BIGINT and
//! INTEGER (flags are 0/1: `Any` cannot decode SQLite's BOOLEAN).
//!
//! Reads are `Store` methods. Single-statement writes are functions over any
//! executor (`store.pool()` or `&mut *transaction`), so a caller writing many
//! records at once (the demo history) can put them in one transaction;
//! writes that must read first are `Store` methods with their own.
//! The single-statement writes leave the dashboard's kept days alone: the
//! operations built on them call `dashboard_cache::forget_counted_days` in
//! their transaction, and so must any other caller writing after the
//! dashboard has kept a day (the demo history writes before).

pub mod accounts;
pub mod assignments;
pub mod complaint_steps;
pub mod complaints;
pub mod customers;
pub mod dashboard;
pub mod dashboard_cache;
pub mod follow_up_calls;
pub mod insights;
pub mod metrics;
pub mod photos;
pub mod reference;
pub mod regions;
pub mod sync;
pub mod visit_records;
pub mod visits;
pub mod work_orders;

use sqlx::AnyPool;
use thiserror::Error;

use crate::error::AppError;

#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    /// Visit ids just changed, for the live board. In this process only;
    /// several processes behind one database need the database's own
    /// notifications (issue 9).
    changes: tokio::sync::broadcast::Sender<String>,
}

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// A write that breaks a rule its caller should have checked first.
    #[error("write refused: {0}")]
    Refused(String),
}

/// A corrupt row, named by what it is and its id.
pub(crate) fn corrupt(what: &str, id: &str, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what} {id}: {detail}"))
}

/// Reads an INTEGER 0/1 flag.
pub(crate) fn flag(row: &sqlx::any::AnyRow, column: &str) -> Result<bool, StoreError> {
    use sqlx::Row;
    Ok(row.try_get::<i32, _>(column)? == 1)
}

/// An optional timestamp column.
pub(crate) fn optional_time(
    row: &sqlx::any::AnyRow,
    column: &str,
) -> Result<Option<crate::domain::time::Timestamp>, StoreError> {
    use sqlx::Row;
    Ok(row
        .try_get::<Option<i64>, _>(column)?
        .map(crate::domain::time::Timestamp::from_unix_millis))
}

/// Whether a write failed because the row (or a unique value) is already
/// there: the caller's id was used before.
pub fn is_unique_violation(error: &StoreError) -> bool {
    match error {
        StoreError::Database(sqlx::Error::Database(db)) => db.is_unique_violation(),
        _ => false,
    }
}

impl Store {
    pub fn new(pool: AnyPool) -> Self {
        let (changes, _) = tokio::sync::broadcast::channel(1024);
        Store { pool, changes }
    }

    /// Tells whoever watches the board that a visit changed. Called after
    /// the change is committed; nobody listening is fine.
    pub fn announce(&self, visit_id: &crate::domain::ids::RecordId) {
        let _ = self.changes.send(visit_id.to_string());
    }

    /// The visit ids announced from now on.
    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<String> {
        self.changes.subscribe()
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
        Ok(self.pool.begin().await?)
    }

    /// A round trip to the database, for health checks.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }
}

impl StoreError {
    fn is_transient(&self) -> bool {
        matches!(
            self,
            StoreError::Database(
                sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_)
            )
        )
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        // The detail goes to the log only; the user learns whether to retry.
        tracing::error!(%error, "store error");
        if error.is_transient() {
            AppError::Unavailable
        } else {
            AppError::Internal
        }
    }
}
