//! Queries, one module per aggregate. One API over both engines: the pool is
//! sqlx's `Any`, the SQL is portable (`$n` placeholders work on SQLite and
//! PostgreSQL alike), and any dialect difference belongs in one module here.
//! Column types are the ones `Any` decodes on both engines: TEXT, BIGINT and
//! INTEGER (flags are 0/1: `Any` cannot decode SQLite's BOOLEAN).

pub mod accounts;
pub mod visits;
pub mod work_orders;

use sqlx::AnyPool;
use thiserror::Error;

use crate::error::AppError;

#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
}

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

impl Store {
    pub fn new(pool: AnyPool) -> Self {
        Store { pool }
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
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
