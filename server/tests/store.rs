//! The store's queries on both engines.

use crate::common;

use app::domain::auth::{Role, VisitScope};
use app::domain::time::Timestamp;
use app::domain::visit::VisitStatus;
use app::zone::ServiceZone;
use common::fixtures::{self, HOUR, SHANGHAI_MIDNIGHT};
use common::TestDb;
use server::demo::{History, Seeded};
use sqlx::Row;

async fn migrations_are_recorded_and_rerun_safely(db: &TestDb) {
    server::db::migrate(db.store.pool())
        .await
        .expect("second run is a no-op");
    let row = sqlx::query("SELECT COUNT(*) AS n FROM _sqlx_migrations WHERE success = $1")
        .bind(true)
        .fetch_one(db.store.pool())
        .await
        .unwrap();
    let files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
        .unwrap()
        .filter(|entry| {
            entry
                .as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "sql"))
        })
        .count();
    assert!(files >= 8, "the migrations folder is read: {files}");
    assert_eq!(row.try_get::<i64, _>("n").unwrap(), files as i64);
}

async fn visits_in_a_day_come_back_in_appointment_order_within_scope(db: &TestDb) {
    let store = &db.store;
    let east = fixtures::region(store, "东区").await;
    let west = fixtures::region(store, "西区").await;
    let wang = fixtures::user(store, "tech.wang", Role::Technician, Some(&east)).await;
    let day_start = SHANGHAI_MIDNIGHT;
    let day_end = day_start + 24 * HOUR;
    // Made out of order, plus one on each side of the day, one in another
    // region, and one cancelled.
    for (name, start, region, technician) in [
        ("下午", day_start + 14 * HOUR, &east, Some(&wang)),
        ("上午", day_start + 9 * HOUR, &east, None),
        ("午夜", day_start, &east, Some(&wang)),
        ("昨天", day_start - HOUR, &east, Some(&wang)),
        ("明天", day_end, &east, Some(&wang)),
        ("西区客户", day_start + 10 * HOUR, &west, None),
    ] {
        let order = fixtures::order(store, region, name, fixtures::window(start, 2)).await;
        fixtures::visit(store, &order, technician).await;
    }
    let cancelled = fixtures::order(
        store,
        &east,
        "取消",
        fixtures::window(day_start + 8 * HOUR, 2),
    )
    .await;
    let cancelled = fixtures::visit(store, &cancelled, Some(&wang)).await;
    sqlx::query("UPDATE visits SET status = 'cancelled' WHERE id = $1")
        .bind(cancelled.id.as_str())
        .execute(store.pool())
        .await
        .unwrap();

    let day = |scope: VisitScope| async move {
        store
            .visits_starting_between(
                Timestamp::from_unix_millis(day_start),
                Timestamp::from_unix_millis(day_end),
                &scope,
            )
            .await
            .unwrap()
            .into_iter()
            .map(|v| v.customer_name)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        day(VisitScope::All).await,
        ["午夜", "上午", "西区客户", "下午"]
    );
    assert_eq!(
        day(VisitScope::Region(east.to_string())).await,
        ["午夜", "上午", "下午"]
    );
    assert_eq!(
        day(VisitScope::AssignedTo(wang.to_string())).await,
        ["午夜", "下午"]
    );
    assert!(day(VisitScope::Nothing).await.is_empty());

    let today = store
        .visits_starting_between(
            Timestamp::from_unix_millis(day_start),
            Timestamp::from_unix_millis(day_end),
            &VisitScope::All,
        )
        .await
        .unwrap();
    let morning = &today[1];
    assert_eq!(morning.utc_offset.minutes(), 480);
    assert_eq!(
        morning.window.format_local(morning.utc_offset),
        "09:00–11:00"
    );
    assert_eq!(morning.customer_address, "上午 的地址");
    assert_eq!(morning.customer_phone.as_str(), "13812345678");
    assert_eq!(morning.appliance, "海尔 EG100");
    assert_eq!(morning.reported_fault, "不脱水");
    assert_eq!(morning.status, VisitStatus::Dispatched);
    assert_eq!(store.count_visits().await.unwrap(), 7);
}

/// A raw visit row with the given window and zone, on a real work order.
async fn insert_raw_visit(
    db: &TestDb,
    id: &str,
    start: i64,
    end: i64,
    zone: &str,
) -> Result<(), sqlx::Error> {
    let region = fixtures::region(&db.store, &format!("区 {id}")).await;
    let order = fixtures::order(
        &db.store,
        &region,
        "客户",
        fixtures::window(SHANGHAI_MIDNIGHT, 2),
    )
    .await;
    sqlx::query(
        "INSERT INTO visits (id, work_order_id, window_start_ms, window_end_ms, time_zone, \
         checklist_version, status, created_at_ms) VALUES ($1, $2, $3, $4, $5, 1, 'dispatched', 0)",
    )
    .bind(id)
    .bind(order.id.as_str())
    .bind(start)
    .bind(end)
    .bind(zone)
    .execute(db.store.pool())
    .await
    .map(|_| ())
}

async fn the_database_refuses_a_window_that_ends_before_it_starts(db: &TestDb) {
    let result = insert_raw_visit(
        db,
        "backwards",
        SHANGHAI_MIDNIGHT + 2000,
        SHANGHAI_MIDNIGHT + 1000,
        "Asia/Shanghai",
    )
    .await;
    assert!(result.is_err(), "CHECK constraint must refuse the row");
    assert_eq!(db.store.count_visits().await.unwrap(), 0);
    insert_raw_visit(
        db,
        "forwards",
        SHANGHAI_MIDNIGHT + 1000,
        SHANGHAI_MIDNIGHT + 2000,
        "Asia/Shanghai",
    )
    .await
    .expect("the same row the right way round is accepted");
}

async fn a_corrupt_stored_zone_is_an_error_not_a_guess(db: &TestDb) {
    insert_raw_visit(
        db,
        "bad-zone",
        SHANGHAI_MIDNIGHT + 1000,
        SHANGHAI_MIDNIGHT + 2000,
        "Nowhere/Land",
    )
    .await
    .unwrap();
    let error = db
        .store
        .visits_starting_between(
            Timestamp::from_unix_millis(SHANGHAI_MIDNIGHT),
            Timestamp::from_unix_millis(SHANGHAI_MIDNIGHT + 5000),
            &VisitScope::All,
        )
        .await
        .unwrap_err();
    assert!(error.to_string().contains("bad-zone"), "{error}");
}

async fn demo_data_fills_only_an_empty_database(db: &TestDb) {
    let written = server::demo::seed_if_empty(&db.store, ServiceZone::DEFAULT, History::None)
        .await
        .unwrap();
    assert_eq!(
        written,
        Seeded {
            users: 11,
            visits: 8,
            history_orders: 0,
        }
    );
    let again = server::demo::seed_if_empty(&db.store, ServiceZone::DEFAULT, History::None)
        .await
        .unwrap();
    assert_eq!(again, Seeded::default());
    assert_eq!(db.store.count_visits().await.unwrap(), 8);
    assert_eq!(db.store.count_regions().await.unwrap(), 1);
}

async fn demo_accounts_and_visits_are_seeded_independently(db: &TestDb) {
    // A database with visits and no accounts.
    let region = fixtures::region(&db.store, "旧区").await;
    let order = fixtures::order(
        &db.store,
        &region,
        "旧客户",
        fixtures::window(SHANGHAI_MIDNIGHT, 2),
    )
    .await;
    fixtures::visit(&db.store, &order, None).await;
    let written = server::demo::seed_if_empty(&db.store, ServiceZone::DEFAULT, History::None)
        .await
        .unwrap();
    assert_eq!(
        written,
        Seeded {
            users: 11,
            visits: 0,
            history_orders: 0,
        }
    );
    assert_eq!(
        db.store.count_visits().await.unwrap(),
        1,
        "existing visits untouched"
    );
    assert_eq!(db.store.count_users().await.unwrap(), 11);
}

async fn login_failures_are_counted_per_account_and_address_inside_the_window(db: &TestDb) {
    let store = &db.store;
    let at = Timestamp::from_unix_millis;
    for (attempt, login, address, ms) in [
        ("a1", "tech.wang", "10.0.0.1", 1_000),
        ("a2", "tech.wang", "10.0.0.2", 2_000),
        ("a3", "tech.li", "10.0.0.1", 3_000),
        ("a4", "tech.wang", "10.0.0.1", 500), // before the window
    ] {
        store
            .reserve_login_attempt(attempt, login, address, at(ms), at(0))
            .await
            .unwrap();
    }
    // The attempt asking is not among the ones it is told of.
    let recent = store
        .reserve_login_attempt("a5", "tech.wang", "10.0.0.1", at(4_000), at(1_000))
        .await
        .unwrap();
    assert_eq!(recent.for_account, 2);
    assert_eq!(recent.oldest_for_account, Some(at(1_000)));
    assert_eq!(recent.for_address, 2);
    assert_eq!(recent.oldest_for_address, Some(at(1_000)));
    // Turned away, an attempt takes its reservation back out.
    store.release_login_attempt("a5").await.unwrap();
    let after = store
        .reserve_login_attempt("a6", "tech.wang", "10.0.0.1", at(5_000), at(1_000))
        .await
        .unwrap();
    assert_eq!((after.for_account, after.for_address), (2, 2));
    let none = store
        .reserve_login_attempt("a7", "nobody", "10.9.9.9", at(5_000), at(0))
        .await
        .unwrap();
    assert_eq!(none, app::domain::auth::RecentFailures::default());
}

async fn sessions_start_touch_and_end(db: &TestDb) {
    use app::domain::auth::LoginName;
    use app::store::accounts::{insert_user, NewUser};
    let store = &db.store;
    let region = fixtures::region(store, "东区").await;
    let login = LoginName::parse("tech.zhou").unwrap();
    let new_user = |id: &str, role, region_id: Option<String>| NewUser {
        id: id.into(),
        login: login.clone(),
        display_name: "周师傅".into(),
        role,
        region_id,
        password_hash: "$argon2id$placeholder".into(),
        created_at: Timestamp::from_unix_millis(0),
    };
    insert_user(
        store.pool(),
        &new_user("u1", Role::Technician, Some(region.to_string())),
    )
    .await
    .unwrap();
    let duplicate = insert_user(store.pool(), &new_user("u2", Role::Admin, None)).await;
    assert!(duplicate.is_err(), "logins are unique");
    let regionless = insert_user(store.pool(), &new_user("u3", Role::Dispatcher, None)).await;
    assert!(
        matches!(regionless, Err(app::store::StoreError::Refused(_))),
        "a dispatcher needs a region: {regionless:?}"
    );
    assert_eq!(store.count_users().await.unwrap(), 1);
    store
        .reserve_login_attempt(
            "failed",
            "tech.zhou",
            "1.1.1.1",
            Timestamp::from_unix_millis(5),
            Timestamp::from_unix_millis(0),
        )
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
        .reserve_login_attempt(
            "next",
            "tech.zhou",
            "2.2.2.2",
            Timestamp::from_unix_millis(11),
            Timestamp::from_unix_millis(0),
        )
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
    assert_eq!(session.user.region_id, Some(region.to_string()));
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
    visits_in_a_day_come_back_in_appointment_order_within_scope,
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
