//! The demo database tells a dispatcher's realistic story: one region, its
//! people, 200 customers and six months of visits that are mostly, but not
//! all, on time and fixed first time, with a few complaints. The figures are
//! measured with the domain's own metric definitions.

use crate::common;

use app::domain::auth::Role;
use app::domain::metrics::{
    first_visit_fix_rate, on_time_rate, Grace, OrderForFix, OrderVisit, RecallWindow, VisitArrival,
    VisitResult, DAY_MS,
};
use app::domain::time::{AppointmentWindow, Timestamp};
use app::zone::ServiceZone;
use common::fixtures::count;
use common::TestDb;
use server::demo::History;
use sqlx::Row;

async fn scalar(db: &TestDb, sql: &str) -> i64 {
    sqlx::query(sql)
        .fetch_one(db.store.pool())
        .await
        .unwrap()
        .try_get::<i64, _>(0)
        .unwrap()
}

async fn six_months_of_history_with_its_rough_edges(db: &TestDb) {
    let store = &db.store;
    let written = server::demo::seed_if_empty(store, ServiceZone::DEFAULT, History::SIX_MONTHS)
        .await
        .unwrap();
    assert_eq!(written.users, 11);
    assert_eq!(written.visits, 8, "today's visits");
    assert!(written.history_orders >= 900, "{written:?}");

    assert_eq!(store.count_regions().await.unwrap(), 1);
    for (role, expected) in [
        (Role::Technician, 8),
        (Role::Dispatcher, 2),
        (Role::Admin, 1),
    ] {
        let n = sqlx::query("SELECT COUNT(*) AS n FROM users WHERE role = $1")
            .bind(role.as_str())
            .fetch_one(store.pool())
            .await
            .unwrap()
            .try_get::<i64, _>("n")
            .unwrap();
        assert_eq!(n, expected, "{role:?}");
    }
    assert_eq!(count(store, "technicians").await, 8);
    assert_eq!(count(store, "customers").await, 200);
    assert!(count(store, "appliances").await > 200);
    let now = Timestamp::now().unix_millis();
    let oldest = scalar(db, "SELECT MIN(registered_at_ms) FROM work_orders").await;
    assert!(
        now - oldest >= 180 * DAY_MS,
        "history reaches back about six months"
    );

    // Rough edges a dashboard must show.
    assert!(
        scalar(
            db,
            "SELECT COUNT(*) FROM visits WHERE arrived_at_ms > window_end_ms"
        )
        .await
            > 0,
        "some late"
    );
    assert!(
        scalar(
            db,
            "SELECT COUNT(*) FROM visits WHERE outcome = 'not_fixed'"
        )
        .await
            > 0,
        "some not fixed"
    );
    assert!(
        scalar(db, "SELECT COUNT(*) FROM (SELECT work_order_id FROM visits GROUP BY work_order_id HAVING COUNT(*) > 1) AS repeated").await > 0,
        "some orders needed a second visit"
    );
    assert!(
        store.count_complaints().await.unwrap() > 0,
        "some complaints"
    );
    assert!(
        scalar(
            db,
            // Required items of the visit's template version with no result.
            "SELECT COUNT(*) FROM visits v WHERE v.status = 'signed' AND \
             (SELECT COUNT(*) FROM checklist_results r JOIN checklist_template_items i \
                ON i.version = v.checklist_version AND i.item_key = r.item_key \
              WHERE r.visit_id = v.id AND i.required = 1) < \
             (SELECT COUNT(*) FROM checklist_template_items i \
              WHERE i.version = v.checklist_version AND i.required = 1)"
        )
        .await
            > 0,
        "some checklist omissions"
    );
    assert_eq!(
        scalar(db, "SELECT COUNT(*) FROM visits WHERE status = 'signed'").await,
        count(store, "sign_offs").await,
        "every signed visit has its sign-off"
    );

    // Measured by the domain's definitions: realistic, not perfect.
    let rows = sqlx::query(
        "SELECT v.work_order_id, v.window_start_ms, v.window_end_ms, v.arrived_at_ms, \
         v.work_finished_at_ms, v.status, v.outcome, w.appliance_id, w.fault_category, \
         w.registered_at_ms FROM visits v JOIN work_orders w ON w.id = v.work_order_id \
         WHERE v.window_end_ms < $1 ORDER BY w.registered_at_ms, w.id, v.created_at_ms, v.id",
    )
    .bind(now - DAY_MS)
    .fetch_all(store.pool())
    .await
    .unwrap();
    let text = |row: &sqlx::any::AnyRow, column: &str| row.try_get::<String, _>(column).unwrap();
    let arrivals: Vec<VisitArrival> = rows
        .iter()
        .map(|row| VisitArrival {
            window: AppointmentWindow::new(
                Timestamp::from_unix_millis(row.try_get("window_start_ms").unwrap()),
                Timestamp::from_unix_millis(row.try_get("window_end_ms").unwrap()),
            )
            .unwrap(),
            check_in: row
                .try_get::<Option<i64>, _>("arrived_at_ms")
                .unwrap()
                .map(Timestamp::from_unix_millis),
            cancelled: text(row, "status") == "cancelled",
        })
        .collect();
    let on_time = on_time_rate(&arrivals, Grace::NONE, Timestamp::from_unix_millis(now))
        .share()
        .unwrap();
    assert!((0.85..0.99).contains(&on_time), "on-time share {on_time}");

    let mut orders: Vec<OrderForFix<'_>> = Vec::new();
    let mut ids: Vec<(String, String, String)> = rows
        .iter()
        .map(|row| {
            (
                text(row, "work_order_id"),
                text(row, "appliance_id"),
                text(row, "fault_category"),
            )
        })
        .collect();
    ids.dedup();
    for (id, appliance, fault) in &ids {
        let visits: Vec<OrderVisit> = rows
            .iter()
            .filter(|row| &text(row, "work_order_id") == id)
            .map(|row| OrderVisit {
                arrived_at: row
                    .try_get::<Option<i64>, _>("arrived_at_ms")
                    .unwrap()
                    .map(Timestamp::from_unix_millis),
                finished_at: row
                    .try_get::<Option<i64>, _>("work_finished_at_ms")
                    .unwrap()
                    .map(Timestamp::from_unix_millis),
                result: row
                    .try_get::<Option<String>, _>("outcome")
                    .unwrap()
                    .map(|o| {
                        if o == "fixed" {
                            VisitResult::Fixed
                        } else {
                            VisitResult::NotFixed
                        }
                    }),
                cancelled: text(row, "status") == "cancelled",
            })
            .collect();
        let registered = rows
            .iter()
            .find(|row| &text(row, "work_order_id") == id)
            .map(|row| row.try_get::<i64, _>("registered_at_ms").unwrap())
            .unwrap();
        orders.push(OrderForFix {
            id,
            appliance_id: appliance,
            fault_category: fault,
            registered_at: Timestamp::from_unix_millis(registered),
            visits,
        });
    }
    let first_fix = first_visit_fix_rate(&orders, RecallWindow::DEFAULT)
        .share()
        .unwrap();
    assert!(
        (0.75..0.97).contains(&first_fix),
        "first-visit fix share {first_fix}"
    );
}

on_both_engines!(six_months_of_history_with_its_rough_edges);
