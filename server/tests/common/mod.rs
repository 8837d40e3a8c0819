//! A fresh, migrated database per test, on either engine.

#![allow(dead_code)]

use app::store::Store;
use server::config::DatabaseUrl;
use sqlx::{Connection, Executor};

pub struct TestDb {
    pub store: Store,
    pub database: DatabaseUrl,
    cleanup: Cleanup,
}

enum Cleanup {
    SqliteDir(std::path::PathBuf),
    PostgresDatabase { admin_url: String, name: String },
}

fn unique_name() -> String {
    format!("doorstep_test_{}", uuid::Uuid::now_v7().simple())
}

/// Errors the code logs show in a failing test's output.
fn init_logs() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter("warn")
        .with_test_writer()
        .try_init();
}

pub async fn fresh_sqlite() -> TestDb {
    init_logs();
    let dir = std::env::temp_dir().join(unique_name());
    let url = format!("sqlite://{}/doorstep.db", dir.display());
    let database = DatabaseUrl::parse(&url).expect("test SQLite URL");
    let pool = server::db::connect(&database).await.expect("open SQLite");
    server::db::migrate(&pool).await.expect("migrate SQLite");
    TestDb {
        store: Store::new(pool),
        database,
        cleanup: Cleanup::SqliteDir(dir),
    }
}

/// A new database on the PostgreSQL server named by DOORSTEP_TEST_PG_URL
/// (default: this machine's), dropped when the test ends.
pub async fn fresh_postgres() -> TestDb {
    init_logs();
    let admin_url = std::env::var("DOORSTEP_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let name = unique_name();
    let mut admin = sqlx::PgConnection::connect(&admin_url)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {admin_url} is required for these tests: {e}"));
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("create test database");
    admin.close().await.ok();
    let (base, _) = admin_url
        .rsplit_once('/')
        .expect("PostgreSQL URL with a database");
    let database = DatabaseUrl::parse(&format!("{base}/{name}")).expect("test PostgreSQL URL");
    let pool = server::db::connect(&database)
        .await
        .expect("connect PostgreSQL");
    server::db::migrate(&pool)
        .await
        .expect("migrate PostgreSQL");
    TestDb {
        store: Store::new(pool),
        database,
        cleanup: Cleanup::PostgresDatabase { admin_url, name },
    }
}

impl TestDb {
    pub async fn close(self) {
        self.store.pool().close().await;
        match self.cleanup {
            Cleanup::SqliteDir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::PostgresDatabase { admin_url, name } => {
                if let Ok(mut admin) = sqlx::PgConnection::connect(&admin_url).await {
                    let _ = admin
                        .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                        .await;
                }
            }
        }
    }
}

/// Runs one async test body once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test]
                async fn sqlite() {
                    let db = $crate::common::fresh_sqlite().await;
                    super::$name(&db).await;
                    db.close().await;
                }

                #[tokio::test]
                async fn postgres() {
                    let db = $crate::common::fresh_postgres().await;
                    super::$name(&db).await;
                    db.close().await;
                }
            }
        )*
    };
}
