//! Opening the database, per engine, and applying migrations. This is the one
//! place that knows which engine is behind the pool.

use std::time::Duration;

use app::store::StoreError;
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyConnection, AnyPool, Connection, Executor};
use thiserror::Error;

use crate::config::DatabaseUrl;

#[derive(Debug, Error)]
pub enum DbError {
    #[error("cannot create the database folder {path}: {source}")]
    CreateFolder {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot connect to {url}: {source}")]
    Connect { url: String, source: sqlx::Error },
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// SQLite settings for a system of record: WAL so readers never block the
/// writer, FULL sync so an acknowledged write survives power loss, a busy
/// timeout so concurrent writers wait instead of failing, and foreign keys
/// enforced (SQLite leaves them off unless asked, per connection).
const SQLITE_PRAGMAS: [&str; 7] = [
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA busy_timeout = 5000",
    "PRAGMA foreign_keys = ON",
    // Reports read months of visits: 64 MiB of page cache per connection
    // and reads through the OS page cache by memory map instead of a copy
    // per page (SQLite's defaults are 2 MiB and none).
    "PRAGMA cache_size = -65536",
    "PRAGMA mmap_size = 1073741824",
    "PRAGMA temp_store = MEMORY",
];

/// Connections per process when `DOORSTEP_DB_POOL` does not say.
///
/// SQLite: one writer at a time is all the engine allows; writing
/// transactions begin IMMEDIATE (`app::store::dialect`) so they queue on the
/// busy timeout instead of failing, and the other connections serve reads
/// meanwhile (WAL). Eight covers a 2-core server's concurrent reads; more
/// only adds writers waiting for the one lock.
///
/// PostgreSQL: sixteen per process, plus one for the board listener. Every
/// process behind a load balancer holds its own pool, so the sum over
/// processes must stay under the server's `max_connections` (100 by
/// default) with room for maintenance: six processes at 16 use 102, too
/// many; set `DOORSTEP_DB_POOL`, or put a pooler in front (docs/deployment.md).
pub fn default_pool_size(database: &DatabaseUrl) -> u32 {
    if database.is_sqlite() {
        8
    } else {
        16
    }
}

pub async fn connect(database: &DatabaseUrl) -> Result<AnyPool, DbError> {
    connect_sized(database, None).await
}

pub async fn connect_sized(
    database: &DatabaseUrl,
    pool_size: Option<u32>,
) -> Result<AnyPool, DbError> {
    sqlx::any::install_default_drivers();
    let url = match database {
        DatabaseUrl::Sqlite { url, path } => {
            if let Some(folder) = path.as_ref().and_then(|p| p.parent()) {
                if !folder.as_os_str().is_empty() {
                    std::fs::create_dir_all(folder).map_err(|source| DbError::CreateFolder {
                        path: folder.display().to_string(),
                        source,
                    })?;
                }
            }
            sqlite_url_creating_file(url)
        }
        DatabaseUrl::Postgres { url } => url.clone(),
    };
    let is_sqlite = database.is_sqlite();
    let options = AnyPoolOptions::new()
        .max_connections(pool_size.unwrap_or_else(|| default_pool_size(database)))
        .acquire_timeout(Duration::from_secs(10))
        .after_connect(move |connection, _| {
            Box::pin(async move {
                if is_sqlite {
                    apply_sqlite_pragmas(connection).await?;
                }
                Ok(())
            })
        });
    let pool = options
        .connect(&url)
        .await
        .map_err(|source| DbError::Connect {
            url: database.redacted().to_string(),
            source,
        })?;
    Ok(pool)
}

async fn apply_sqlite_pragmas(connection: &mut AnyConnection) -> Result<(), sqlx::Error> {
    for pragma in SQLITE_PRAGMAS {
        connection.execute(pragma).await?;
    }
    connection.ping().await
}

/// sqlx opens an SQLite file read-write but does not create it unless told;
/// the product creates its database on first start.
fn sqlite_url_creating_file(url: &str) -> String {
    if url.contains("mode=") || url.contains(":memory:") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

/// Brings the schema up to date, then the reference data whose one
/// definition is in the domain: the default checklist template and the
/// default fee schedule (each written only where none is stored yet).
pub async fn migrate(pool: &AnyPool) -> Result<(), DbError> {
    sqlx::migrate!("./migrations").run(pool).await?;
    let store = app::store::Store::new(pool.clone());
    let now = app::domain::time::Timestamp::now();
    store
        .ensure_checklist_template(&app::domain::checklist::default_template(), now)
        .await?;
    store.ensure_fee_schedule(now).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_url_gains_create_mode_once() {
        assert_eq!(
            sqlite_url_creating_file("sqlite://data/a.db"),
            "sqlite://data/a.db?mode=rwc"
        );
        assert_eq!(
            sqlite_url_creating_file("sqlite://data/a.db?cache=shared"),
            "sqlite://data/a.db?cache=shared&mode=rwc"
        );
        assert_eq!(
            sqlite_url_creating_file("sqlite://a.db?mode=ro"),
            "sqlite://a.db?mode=ro"
        );
        assert_eq!(
            sqlite_url_creating_file("sqlite::memory:"),
            "sqlite::memory:"
        );
    }
}
