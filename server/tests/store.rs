//! The store's queries on both engines.

mod common;

use app::domain::time::{AppointmentWindow, Timestamp};
use app::store::visits::NewVisit;
use app::zone::ServiceZone;
use common::TestDb;
use sqlx::Row;

const HOUR: i64 = 3_600_000;
// 2026-11-25T00:00:00+08:00
const SHANGHAI_MIDNIGHT: i64 = 1_795_536_000_000;

fn visit(customer: &str, start_ms: i64, hours: i64) -> NewVisit {
    NewVisit {
        id: uuid::Uuid::now_v7().to_string(),
        customer_name: customer.into(),
        customer_address: format!("{customer} 的地址"),
        appliance: "洗衣机".into(),
        reported_fault: "不脱水".into(),
        window: AppointmentWindow::new(
            Timestamp::from_unix_millis(start_ms),
            Timestamp::from_unix_millis(start_ms + hours * HOUR),
        )
        .unwrap(),
        time_zone: ServiceZone::DEFAULT,
        technician_id: None,
        created_at: Timestamp::from_unix_millis(start_ms - 24 * HOUR),
    }
}

async fn migrations_are_recorded_and_rerun_safely(db: &TestDb) {
    server::db::migrate(db.store.pool())
        .await
        .expect("second run is a no-op");
    let row = sqlx::query("SELECT COUNT(*) AS n FROM _sqlx_migrations WHERE success = $1")
        .bind(true)
        .fetch_one(db.store.pool())
        .await
        .unwrap();
    assert_eq!(row.try_get::<i64, _>("n").unwrap(), 4);
}

async fn visits_in_a_day_come_back_in_appointment_order(db: &TestDb) {
    let day_start = SHANGHAI_MIDNIGHT;
    let day_end = day_start + 24 * HOUR;
    // Inserted out of order, plus one on each side of the day.
    for v in [
        visit("下午", day_start + 14 * HOUR, 2),
        visit("上午", day_start + 9 * HOUR, 2),
        visit("午夜", day_start, 1),
        visit("昨天", day_start - HOUR, 2),
        visit("明天", day_end, 2),
    ] {
        db.store.insert_visit(&v).await.unwrap();
    }
    let today = db
        .store
        .visits_starting_between(
            Timestamp::from_unix_millis(day_start),
            Timestamp::from_unix_millis(day_end),
            None,
        )
        .await
        .unwrap();
    let names: Vec<&str> = today.iter().map(|v| v.customer_name.as_str()).collect();
    assert_eq!(names, ["午夜", "上午", "下午"]);
    let morning = &today[1];
    assert_eq!(morning.utc_offset.minutes(), 480);
    assert_eq!(
        morning.window.format_local(morning.utc_offset),
        "09:00–11:00"
    );
    assert_eq!(morning.customer_address, "上午 的地址");
    assert_eq!(db.store.count_visits().await.unwrap(), 5);
}

async fn the_database_refuses_a_window_that_ends_before_it_starts(db: &TestDb) {
    let result = sqlx::query(
        "INSERT INTO visits (id, customer_name, customer_address, appliance, reported_fault, \
         window_start_ms, window_end_ms, time_zone, created_at_ms) \
         VALUES ('x', 'a', 'b', 'c', 'd', 2000, 1000, 'Asia/Shanghai', 0)",
    )
    .execute(db.store.pool())
    .await;
    assert!(result.is_err(), "CHECK constraint must refuse the row");
    assert_eq!(db.store.count_visits().await.unwrap(), 0);
}

async fn a_corrupt_stored_zone_is_an_error_not_a_guess(db: &TestDb) {
    sqlx::query(
        "INSERT INTO visits (id, customer_name, customer_address, appliance, reported_fault, \
         window_start_ms, window_end_ms, time_zone, created_at_ms) \
         VALUES ('bad-zone', 'a', 'b', 'c', 'd', 1000, 2000, 'Nowhere/Land', 0)",
    )
    .execute(db.store.pool())
    .await
    .unwrap();
    let error = db
        .store
        .visits_starting_between(
            Timestamp::from_unix_millis(0),
            Timestamp::from_unix_millis(5000),
            None,
        )
        .await
        .unwrap_err();
    assert!(error.to_string().contains("bad-zone"), "{error}");
}

async fn demo_data_fills_only_an_empty_database(db: &TestDb) {
    let written = server::demo::seed_if_empty(&db.store, ServiceZone::DEFAULT)
        .await
        .unwrap();
    assert_eq!(
        written,
        server::demo::Seeded {
            users: 4,
            visits: 8
        }
    );
    let again = server::demo::seed_if_empty(&db.store, ServiceZone::DEFAULT)
        .await
        .unwrap();
    assert_eq!(again, server::demo::Seeded::default());
    assert_eq!(db.store.count_visits().await.unwrap(), 8);
}

async fn demo_accounts_and_visits_are_seeded_independently(db: &TestDb) {
    // A database from before accounts existed: visits, no accounts.
    db.store
        .insert_visit(&visit("旧客户", SHANGHAI_MIDNIGHT, 2))
        .await
        .unwrap();
    let written = server::demo::seed_if_empty(&db.store, ServiceZone::DEFAULT)
        .await
        .unwrap();
    assert_eq!(
        written,
        server::demo::Seeded {
            users: 4,
            visits: 0
        }
    );
    assert_eq!(
        db.store.count_visits().await.unwrap(),
        1,
        "existing visits untouched"
    );
    assert_eq!(db.store.count_users().await.unwrap(), 4);
}

async fn login_failures_are_counted_per_account_and_address_inside_the_window(db: &TestDb) {
    let store = &db.store;
    for (login, address, at) in [
        ("tech.wang", "10.0.0.1", 1_000),
        ("tech.wang", "10.0.0.2", 2_000),
        ("tech.li", "10.0.0.1", 3_000),
        ("tech.wang", "10.0.0.1", 500), // before the window
    ] {
        store
            .record_login_failure(login, address, Timestamp::from_unix_millis(at))
            .await
            .unwrap();
    }
    let recent = store
        .recent_login_failures("tech.wang", "10.0.0.1", Timestamp::from_unix_millis(1_000))
        .await
        .unwrap();
    assert_eq!(recent.for_account, 2);
    assert_eq!(
        recent.oldest_for_account,
        Some(Timestamp::from_unix_millis(1_000))
    );
    assert_eq!(recent.for_address, 2);
    assert_eq!(
        recent.oldest_for_address,
        Some(Timestamp::from_unix_millis(1_000))
    );
    let none = store
        .recent_login_failures("nobody", "10.9.9.9", Timestamp::from_unix_millis(0))
        .await
        .unwrap();
    assert_eq!(none, app::domain::auth::RecentFailures::default());
}

async fn sessions_start_touch_and_end(db: &TestDb) {
    use app::domain::auth::{LoginName, Role};
    use app::store::accounts::NewUser;
    let store = &db.store;
    let login = LoginName::parse("tech.zhou").unwrap();
    store
        .insert_user(&NewUser {
            id: "u1".into(),
            login: login.clone(),
            display_name: "周师傅".into(),
            role: Role::Technician,
            password_hash: "$argon2id$placeholder".into(),
            created_at: Timestamp::from_unix_millis(0),
        })
        .await
        .unwrap();
    let duplicate = store
        .insert_user(&NewUser {
            id: "u2".into(),
            login: login.clone(),
            display_name: "另一个".into(),
            role: Role::Admin,
            password_hash: "x".into(),
            created_at: Timestamp::from_unix_millis(0),
        })
        .await;
    assert!(duplicate.is_err(), "logins are unique");
    store
        .record_login_failure("tech.zhou", "1.1.1.1", Timestamp::from_unix_millis(5))
        .await
        .unwrap();
    store
        .start_session(
            "h1",
            "u1",
            "tech.zhou",
            None,
            Timestamp::from_unix_millis(10),
        )
        .await
        .unwrap();
    let cleared = store
        .recent_login_failures("tech.zhou", "2.2.2.2", Timestamp::from_unix_millis(0))
        .await
        .unwrap();
    assert_eq!(
        cleared.for_account, 0,
        "a successful login clears the account's failures"
    );
    store
        .touch_session("h1", Timestamp::from_unix_millis(99))
        .await
        .unwrap();
    let session = store.session_by_token_hash("h1").await.unwrap().unwrap();
    assert_eq!(session.user.display_name, "周师傅");
    assert_eq!(session.user.role, Role::Technician);
    assert!(session.user.active);
    assert_eq!(session.created_at, Timestamp::from_unix_millis(10));
    assert_eq!(session.last_seen, Timestamp::from_unix_millis(99));
    store
        .start_session(
            "h2",
            "u1",
            "tech.zhou",
            Some("h1"),
            Timestamp::from_unix_millis(100),
        )
        .await
        .unwrap();
    assert!(
        store.session_by_token_hash("h1").await.unwrap().is_none(),
        "replaced"
    );
    assert_eq!(store.count_sessions_of("u1").await.unwrap(), 1);
    store.end_session("h2").await.unwrap();
    assert!(store.session_by_token_hash("h2").await.unwrap().is_none());
}

async fn ping_answers(db: &TestDb) {
    db.store.ping().await.unwrap();
}

on_both_engines!(
    migrations_are_recorded_and_rerun_safely,
    visits_in_a_day_come_back_in_appointment_order,
    the_database_refuses_a_window_that_ends_before_it_starts,
    a_corrupt_stored_zone_is_an_error_not_a_guess,
    demo_data_fills_only_an_empty_database,
    demo_accounts_and_visits_are_seeded_independently,
    login_failures_are_counted_per_account_and_address_inside_the_window,
    sessions_start_touch_and_end,
    ping_answers,
);

#[tokio::test]
async fn sqlite_runs_in_wal_with_foreign_keys_and_full_sync() {
    let db = common::fresh_sqlite().await;
    let pool = db.store.pool();
    let pragma = |name: &'static str| async move {
        let row = sqlx::query(&format!("PRAGMA {name}"))
            .fetch_one(pool)
            .await
            .unwrap();
        row.try_get::<String, _>(0)
            .or_else(|_| row.try_get::<i64, _>(0).map(|n| n.to_string()))
            .unwrap()
    };
    assert_eq!(pragma("journal_mode").await.to_lowercase(), "wal");
    assert_eq!(pragma("foreign_keys").await, "1");
    assert_eq!(pragma("busy_timeout").await, "5000");
    assert_eq!(pragma("synchronous").await, "2");
    db.close().await;
}
