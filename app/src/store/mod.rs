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
pub mod admin;
pub mod arrivals;
pub mod assignments;
pub mod complaint_owners;
pub mod complaint_steps;
pub mod complaints;
pub mod customers;
pub mod dashboard;
pub mod dashboard_cache;
pub mod day_plan;
pub mod dialect;
pub mod follow_up_calls;
pub mod held_work;
pub mod insights;
pub mod photos;
pub mod reference;
pub mod regions;
pub mod suggestions;
pub mod sync;
pub mod visit_records;
pub mod visits;
pub mod work_orders;
mod write;

use sqlx::AnyPool;
use thiserror::Error;

#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    engine: dialect::Engine,
    /// SQLite's one write lock, taken in turn inside this process (see
    /// `write_turn`); None on PostgreSQL.
    write_turns: Option<std::sync::Arc<tokio::sync::Semaphore>>,
    /// Visit ids just changed, for the live boards this process serves. On
    /// PostgreSQL they arrive from the database (every process's changes,
    /// through `relay_change`); on SQLite from this process's own commits.
    changes: tokio::sync::broadcast::Sender<String>,
    /// How far from the customer a check-in may be (`domain::arrival`).
    arrival_radius: crate::domain::arrival::ArrivalRadius,
}

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// No random source for a new id.
    #[error("no random source for a new id")]
    NoRandomness(#[from] crate::domain::ids::NoRandomness),
    /// A write that breaks a rule its caller should have checked first.
    #[error("write refused: {0}")]
    Refused(String),
    /// An id the client made (an operation's, a part's, a photo's …) is
    /// already used for another record or action: the client's mistake.
    #[error("id in use: {0}")]
    IdInUse(String),
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

/// An optional timestamp column of a row that may not be there.
pub(crate) fn optional_time_of(
    row: Option<&sqlx::any::AnyRow>,
    column: &str,
) -> Result<Option<crate::domain::time::Timestamp>, StoreError> {
    match row {
        Some(row) => optional_time(row, column),
        None => Ok(None),
    }
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
        let engine = dialect::Engine::of(&pool);
        let write_turns = (engine == dialect::Engine::Sqlite)
            .then(|| std::sync::Arc::new(tokio::sync::Semaphore::new(1)));
        Store {
            pool,
            engine,
            write_turns,
            changes,
            arrival_radius: crate::domain::arrival::ArrivalRadius::DEFAULT,
        }
    }

    /// The store, judging check-ins by `radius` instead of the default.
    pub fn with_arrival_radius(mut self, radius: crate::domain::arrival::ArrivalRadius) -> Self {
        self.arrival_radius = radius;
        self
    }

    pub fn arrival_radius(&self) -> crate::domain::arrival::ArrivalRadius {
        self.arrival_radius
    }

    /// This process's turn to write, on SQLite: held from before a write
    /// begins until it ends. SQLite lets one connection write at a time;
    /// left to its busy handler, the others poll for the lock with growing
    /// sleeps, unfairly, while holding pool connections the reads need.
    /// Measured with `bench load` at 200 operations per second: fewer than
    /// 12 acknowledged per second, pool timeouts and "database is locked".
    /// Queued here in order instead, writers wait without a connection and
    /// the lock only passes between processes (rare) through the busy
    /// timeout. On PostgreSQL every writer goes at once (None).
    pub async fn write_turn(&self) -> Option<tokio::sync::OwnedSemaphorePermit> {
        match &self.write_turns {
            Some(turns) => turns.clone().acquire_owned().await.ok(),
            None => None,
        }
    }

    pub fn engine(&self) -> dialect::Engine {
        self.engine
    }

    /// Commits a change to a visit and tells whoever watches a board, in
    /// any server process. On PostgreSQL the notification is part of the
    /// transaction: it is delivered exactly when the change commits, so a
    /// process killed at any moment never announces what was not stored
    /// nor stores what it did not announce. Nobody listening is fine.
    pub async fn commit_announcing(
        &self,
        mut tx: WriteTransaction,
        visit_id: &str,
    ) -> Result<(), StoreError> {
        if self.engine.notifies_through_database() {
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(dialect::VISIT_CHANGES_CHANNEL)
                .bind(visit_id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        } else {
            tx.commit().await?;
            self.relay_change(visit_id.to_string());
        }
        Ok(())
    }

    /// Hands a committed change to this process's boards: called by
    /// `commit_announcing` on SQLite and by the server's database listener
    /// on PostgreSQL. An empty id means "changes may have been missed":
    /// boards reload whole.
    pub fn relay_change(&self, visit_id: String) {
        let _ = self.changes.send(visit_id);
    }

    /// The visit ids announced from now on.
    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<String> {
        self.changes.subscribe()
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// A transaction that may write, in this process's write turn.
    pub async fn begin(&self) -> Result<WriteTransaction, StoreError> {
        let turn = self.write_turn().await;
        let transaction = self.pool.begin_with(self.engine.begin_statement()).await?;
        Ok(WriteTransaction {
            transaction,
            _turn: turn,
        })
    }

    /// A round trip to the database, for health checks.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }
}

/// A transaction holding the write turn until it commits or is dropped
/// (rolled back). Used as the connection it runs on: `&mut *tx`.
pub struct WriteTransaction {
    transaction: sqlx::Transaction<'static, sqlx::Any>,
    _turn: Option<tokio::sync::OwnedSemaphorePermit>,
}

impl WriteTransaction {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.transaction.commit().await
    }
}

impl std::ops::Deref for WriteTransaction {
    type Target = sqlx::AnyConnection;

    fn deref(&self) -> &sqlx::AnyConnection {
        &self.transaction
    }
}

impl std::ops::DerefMut for WriteTransaction {
    fn deref_mut(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.transaction
    }
}

impl StoreError {
    /// An operation id sent again by someone else or for another action.
    pub(crate) fn operation_id_in_use(operation_id: impl std::fmt::Display) -> StoreError {
        StoreError::IdInUse(format!(
            "operation id {operation_id} was used for another action"
        ))
    }

    pub(crate) fn is_transient(&self) -> bool {
        matches!(
            self,
            StoreError::Database(
                sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_)
            )
        )
    }
}
