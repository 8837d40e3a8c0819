//! The dashboard's figures on a small hand-made month whose right answers
//! are worked out below, on both engines; then the page and the CSV export
//! over HTTP.

use crate::common;

use app::api::auth::CurrentUser;
use app::api::dashboard::{Dashboard, DashboardQuery};
use app::domain::auth::Role;
use app::domain::checklist::{default_template, ItemAnswer};
use app::domain::complaint::{Complaint, ComplaintSource};
use app::domain::dashboard::{Figure, PeriodKind};
use app::domain::ids::RecordId;
use app::domain::insight::{FieldInsight, InsightCategory};
use app::domain::signoff::{NotFixedReason, VisitOutcome};
use app::domain::time::{local_midnight, AppointmentWindow, Timestamp, UtcOffset};
use app::domain::validation::Note;
use app::domain::visit::{Visit, VisitStatus, VisitTimes};
use app::domain::work_order::WorkOrder;
use app::serverfns::dashboard::load_dashboard;
use app::zone::ServiceZone;
use axum::body::Body;
use axum::http::Request;
use common::fixtures::{self, id, HOUR};
use common::web::{self, send};
use common::TestDb;

const MINUTE: i64 = 60_000;

/// `hour:minute` on 2026-11-`day`, Shanghai time.
fn nov(day: u8, hour: i64, minute: i64) -> Timestamp {
    let midnight = local_midnight(2026, 11, day, UtcOffset::CHINA).unix_millis();
    Timestamp::from_unix_millis(midnight + hour * HOUR + minute * MINUTE)
}

fn window(start: Timestamp, hours: i64) -> AppointmentWindow {
    AppointmentWindow::new(
        start,
        Timestamp::from_unix_millis(start.unix_millis() + hours * HOUR),
    )
    .unwrap()
}

struct Month {
    region: RecordId,
    other_region: RecordId,
    li: RecordId,
    wang: RecordId,
}

/// A visit as it ended: when the technician checked in and finished, how,
/// and which required items were skipped.
struct Made<'a> {
    order: &'a WorkOrder,
    technician: &'a RecordId,
    window: AppointmentWindow,
    status: VisitStatus,
    arrived: Option<Timestamp>,
    finished: Option<Timestamp>,
    fixed: Option<bool>,
    skipped: &'a [&'a str],
    ratings: Option<[u8; 5]>,
}

async fn make_visit(db: &TestDb, made: Made<'_>) -> RecordId {
    let store = &db.store;
    let visit = Visit {
        id: id(),
        work_order_id: made.order.id.clone(),
        technician_id: Some(made.technician.clone()),
        window: made.window,
        status: made.status,
        checklist_version: 1,
        times: VisitTimes {
            arrived: made.arrived,
            work_finished: made.finished,
            cancelled: (made.status == VisitStatus::Cancelled).then_some(made.window.start()),
            ..VisitTimes::default()
        },
        outcome: made.fixed.map(|fixed| {
            if fixed {
                VisitOutcome::Fixed
            } else {
                VisitOutcome::NotFixed {
                    reason: NotFixedReason::PartsUnavailable,
                }
            }
        }),
    };
    // Created when the window was agreed: the order's visits keep their order.
    let created = Timestamp::from_unix_millis(made.window.start().unix_millis() - 12 * HOUR);
    app::store::visits::insert_visit(store.pool(), &visit, ServiceZone::DEFAULT, created)
        .await
        .unwrap();
    if made.finished.is_some() {
        for item in default_template().items.iter().filter(|i| i.required) {
            if made.skipped.contains(&item.key.as_str()) {
                continue;
            }
            let answer = ItemAnswer::Done {
                at: made.window.start(),
                note: None,
                photo: None,
            };
            app::store::visit_records::upsert_checklist_result(
                store.pool(),
                &visit.id,
                &item.key,
                &answer,
            )
            .await
            .unwrap();
        }
    }
    if let Some(scores) = made.ratings {
        let sign_off = fixtures::content_sign_off(fixtures::ratings(scores));
        app::store::visit_records::insert_sign_off(
            store.pool(),
            &visit.id,
            &sign_off,
            made.finished.unwrap(),
        )
        .await
        .unwrap();
    }
    visit.id
}

async fn order_registered(db: &TestDb, region: &RecordId, at: Timestamp) -> WorkOrder {
    let order = fixtures::order(
        &db.store,
        region,
        "王秀英",
        window(Timestamp::from_unix_millis(at.unix_millis() + 24 * HOUR), 2),
    )
    .await;
    let order = WorkOrder {
        registered_at: at,
        ..order
    };
    sqlx::query("UPDATE work_orders SET registered_at_ms = $1 WHERE id = $2")
        .bind(at.unix_millis())
        .bind(order.id.as_str())
        .execute(db.store.pool())
        .await
        .unwrap();
    order
}

/// November 2026 in 东区, worked out by hand:
///
/// | order | technician | registered | visit window | check-in | end | outcome |
/// |---|---|---|---|---|---|---|
/// | A | 李 | 11-02 08:00 | 11-03 09–11 | 09:30 on time | 10:30 | fixed; signed 5 5 5 5 5 |
/// | B | 李 | 11-05 08:00 | 11-06 09–11 | 11:30 late | 12:30 | not fixed, `shoe_covers` skipped |
/// |   | 李 |             | 11-08 09–11 | 09:10 on time | 10:00 | fixed; signed 4 4 4 4 4; complaint |
/// | C | 王 | 11-10 08:00 | 11-11 14–16 | 14:00 on time | 15:00 | fixed; signed 3 4 5 2 1 |
/// | D | 王 | 11-20 08:00 | 11-21 09–11 | never (missed) | | same appliance and fault as C |
/// | E | 王 | 11-24 08:00 | 11-25 09–11 | cancelled | | |
/// | G | 李 | 11-30 08:00 | 11-30 23–01 | 23:30 on time | | still working |
/// | H | 李 | 11-30 09:00 | 12-01 00–02 | outside the month | | |
///
/// Plus an order in another region, which a dispatcher of 东区 never sees.
async fn hand_made_month(db: &TestDb) -> Month {
    let store = &db.store;
    let region = fixtures::region(store, "东区").await;
    let other_region = fixtures::region(store, "西区").await;
    let li = fixtures::user(store, "tech.li", Role::Technician, Some(&region)).await;
    let wang = fixtures::user(store, "tech.wang", Role::Technician, Some(&region)).await;
    let zhao = fixtures::user(store, "tech.zhao", Role::Technician, Some(&other_region)).await;
    fixtures::user(store, "disp.east", Role::Dispatcher, Some(&region)).await;
    fixtures::user(store, "admin", Role::Admin, None).await;

    let a = order_registered(db, &region, nov(2, 8, 0)).await;
    let a1 = make_visit(
        db,
        Made {
            order: &a,
            technician: &li,
            window: window(nov(3, 9, 0), 2),
            status: VisitStatus::Signed,
            arrived: Some(nov(3, 9, 30)),
            finished: Some(nov(3, 10, 30)),
            fixed: Some(true),
            skipped: &[],
            ratings: Some([5, 5, 5, 5, 5]),
        },
    )
    .await;
    let b = order_registered(db, &region, nov(5, 8, 0)).await;
    make_visit(
        db,
        Made {
            order: &b,
            technician: &li,
            window: window(nov(6, 9, 0), 2),
            status: VisitStatus::WorkFinished,
            arrived: Some(nov(6, 11, 30)),
            finished: Some(nov(6, 12, 30)),
            fixed: Some(false),
            skipped: &["shoe_covers"],
            ratings: None,
        },
    )
    .await;
    let b2 = make_visit(
        db,
        Made {
            order: &b,
            technician: &li,
            window: window(nov(8, 9, 0), 2),
            status: VisitStatus::Signed,
            arrived: Some(nov(8, 9, 10)),
            finished: Some(nov(8, 10, 0)),
            fixed: Some(true),
            skipped: &[],
            ratings: Some([4, 4, 4, 4, 4]),
        },
    )
    .await;
    app::store::complaints::insert_complaint(
        store.pool(),
        &Complaint {
            id: id(),
            work_order_id: b.id.clone(),
            visit_id: Some(b2),
            source: ComplaintSource::SignOff,
            owner_id: None,
            received_at: nov(8, 10, 5),
            description: Note::parse("师傅迟到").unwrap(),
        },
    )
    .await
    .unwrap();
    let c = order_registered(db, &region, nov(10, 8, 0)).await;
    let c1 = make_visit(
        db,
        Made {
            order: &c,
            technician: &wang,
            window: window(nov(11, 14, 0), 2),
            status: VisitStatus::Signed,
            arrived: Some(nov(11, 14, 0)),
            finished: Some(nov(11, 15, 0)),
            fixed: Some(true),
            skipped: &[],
            ratings: Some([3, 4, 5, 2, 1]),
        },
    )
    .await;
    // D: the same washing machine and fault as C, ten days after C's fix.
    let d = WorkOrder {
        id: id(),
        registered_at: nov(20, 8, 0),
        appointment: window(nov(21, 9, 0), 2),
        ..c.clone()
    };
    app::store::work_orders::insert_work_order(store.pool(), &d, ServiceZone::DEFAULT)
        .await
        .unwrap();
    make_visit(
        db,
        Made {
            order: &d,
            technician: &wang,
            window: window(nov(21, 9, 0), 2),
            status: VisitStatus::Dispatched,
            arrived: None,
            finished: None,
            fixed: None,
            skipped: &[],
            ratings: None,
        },
    )
    .await;
    let e = order_registered(db, &region, nov(24, 8, 0)).await;
    make_visit(
        db,
        Made {
            order: &e,
            technician: &wang,
            window: window(nov(25, 9, 0), 2),
            status: VisitStatus::Cancelled,
            arrived: None,
            finished: None,
            fixed: None,
            skipped: &[],
            ratings: None,
        },
    )
    .await;
    let g = order_registered(db, &region, nov(30, 8, 0)).await;
    make_visit(
        db,
        Made {
            order: &g,
            technician: &li,
            window: window(nov(30, 23, 0), 2),
            status: VisitStatus::Arrived,
            arrived: Some(nov(30, 23, 30)),
            finished: None,
            fixed: None,
            skipped: &[],
            ratings: None,
        },
    )
    .await;
    let h = order_registered(db, &region, nov(30, 9, 0)).await;
    make_visit(
        db,
        Made {
            order: &h,
            technician: &li,
            window: window(nov(30, 24, 0), 2),
            status: VisitStatus::Arrived,
            arrived: Some(nov(30, 24, 5)),
            finished: None,
            fixed: None,
            skipped: &[],
            ratings: None,
        },
    )
    .await;
    let west = order_registered(db, &other_region, nov(12, 8, 0)).await;
    make_visit(
        db,
        Made {
            order: &west,
            technician: &zhao,
            window: window(nov(13, 9, 0), 2),
            status: VisitStatus::Signed,
            arrived: Some(nov(13, 15, 0)),
            finished: Some(nov(13, 16, 0)),
            fixed: Some(false),
            skipped: &["greeting", "clean_up"],
            ratings: Some([1, 1, 1, 1, 1]),
        },
    )
    .await;
    for (visit, technician, category, note) in [
        (&a1, &li, InsightCategory::ProductDefect, "门封条容易脱落"),
        (&c1, &wang, InsightCategory::UserSuggestion, "希望增加童锁"),
        (&c1, &wang, InsightCategory::ProductDefect, "排水泵噪音大"),
    ] {
        store
            .add_field_insight(
                &id(),
                technician,
                &FieldInsight {
                    id: id(),
                    visit_id: visit.clone(),
                    category,
                    note: Note::parse(note).unwrap(),
                    written_at: nov(11, 16, 0),
                },
            )
            .await
            .unwrap();
    }
    Month {
        region,
        other_region,
        li,
        wang,
    }
}

fn dispatcher(month: &Month) -> CurrentUser {
    CurrentUser {
        id: id().to_string(),
        login: "disp.east".into(),
        display_name: "调度".into(),
        role: Role::Dispatcher,
        region_id: Some(month.region.to_string()),
    }
}

fn november() -> DashboardQuery {
    DashboardQuery {
        period: "month".into(),
        date: "2026-11-15".into(),
        ..DashboardQuery::default()
    }
}

/// December 5th: everything in November is due.
fn december() -> Timestamp {
    Timestamp::from_unix_millis(local_midnight(2026, 12, 5, UtcOffset::CHINA).unix_millis())
}

async fn dashboard(db: &TestDb, user: &CurrentUser, query: DashboardQuery) -> Dashboard {
    load_dashboard(&db.store, user, query, ServiceZone::DEFAULT, december())
        .await
        .unwrap()
}

fn shown(dashboard: &Dashboard, figure: Figure) -> String {
    app::domain::dashboard::format_figure(figure, dashboard.total.figure(figure))
}

async fn the_figures_of_a_hand_made_month(db: &TestDb) {
    let month = hand_made_month(db).await;
    // A dispatcher of 东区 asking for 西区 still gets 东区.
    let board = dashboard(
        db,
        &dispatcher(&month),
        DashboardQuery {
            region: month.other_region.to_string(),
            ..november()
        },
    )
    .await;
    assert_eq!(board.query.region, month.region.to_string());
    let total = board.total;
    // Due: A, B×2, C, D, G (E cancelled, H in December). On time: A, B's
    // second, C (at the very start), G. Untimely: B's first (late), D (missed).
    assert_eq!((total.visits_due, total.on_time, total.untimely), (6, 4, 2));
    assert_eq!(shown(&board, Figure::OnTime), "66.7%");
    assert_eq!(shown(&board, Figure::UntimelyPpm), "333,333");
    // First visits finished: A, B, C. Only A is a first-visit fix: B needed a
    // second visit, C was called again for the same fault ten days later.
    assert_eq!(
        (
            total.first_visits_finished,
            total.first_visit_fixes,
            total.repeat_calls
        ),
        (3, 1, 1)
    );
    assert_eq!(shown(&board, Figure::FirstVisitFix), "33.3%");
    assert_eq!(shown(&board, Figure::RepeatCalls), "33.3%");
    // Four finished visits × 10 required items, but the one not signed yet
    // is not due the item its signature completes; B's first skipped one.
    assert_eq!(
        (total.required_items_due, total.required_items_missed),
        (39, 1)
    );
    assert_eq!(shown(&board, Figure::Compliance), "97.4%");
    assert_eq!(shown(&board, Figure::OmissionPpm), "25,641");
    // Signed: A, B's second, C; one complaint.
    assert_eq!((total.completed_services, total.complaints), (3, 1));
    assert_eq!(shown(&board, Figure::ComplaintPpm), "333,333");
    // Ratings: skill (5+4+3)/3, attitude 13/3, timeliness 14/3, parts 11/3,
    // overall 10/3; all five together 60/15.
    let means = total.ratings.means().unwrap();
    let expected = [4.0, 13.0 / 3.0, 14.0 / 3.0, 11.0 / 3.0, 10.0 / 3.0];
    for (mean, want) in means.iter().zip(expected) {
        assert!((mean - want).abs() < 1e-9, "{means:?}");
    }
    assert_eq!(shown(&board, Figure::Rating), "4.00");
    // Registration to check-in: A 25.5 h, B 27.5 h, C 30 h, G 15.5 h.
    assert_eq!(total.to_arrival.count, 4);
    assert_eq!(total.to_arrival.total_ms, 985 * HOUR / 10);
    assert_eq!(shown(&board, Figure::HoursToArrival), "24.6");
    // Registration to the fixing visit's end: A 26.5 h, B 74 h, C 31 h.
    assert_eq!(total.to_fix.count, 3);
    assert_eq!(total.to_fix.total_ms, 1315 * HOUR / 10);
    assert_eq!(shown(&board, Figure::HoursToFix), "43.8");

    // The trend: one bucket per day of November.
    assert_eq!(board.trend.len(), 30);
    assert_eq!(board.trend[2].on_time, 1); // 11-03, A
    assert_eq!(board.trend[5].untimely, 1); // 11-06, B's first
    assert_eq!(board.trend[10].repeat_calls, 1); // 11-11, C
    assert_eq!(board.trend[20].untimely, 1); // 11-21, D
    assert_eq!(board.trend[29].on_time, 1); // 11-30 23:00, G
    assert_eq!(
        board
            .trend
            .iter()
            .map(|b| b.visits_due)
            .collect::<Vec<_>>()
            .iter()
            .sum::<u64>(),
        6
    );

    // Scorecards: 李 has A, B×2, G; 王 has C, D.
    let card = |name: &str| {
        board
            .scorecards
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("no scorecard for {name}"))
            .counts
    };
    let li = card("tech.li 的名字");
    assert_eq!(
        (
            li.visits_due,
            li.on_time,
            li.completed_services,
            li.complaints
        ),
        (4, 3, 2, 1)
    );
    assert_eq!((li.first_visits_finished, li.first_visit_fixes), (2, 1));
    let wang = card("tech.wang 的名字");
    assert_eq!((wang.visits_due, wang.on_time, wang.untimely), (2, 1, 1));
    assert_eq!((wang.first_visits_finished, wang.repeat_calls), (1, 1));
    assert_eq!(board.scorecards.len(), 2, "no one from 西区");
    assert!(board.stars.is_none(), "the ranking is for a quarter");

    // Items: shoe covers 3 of 4, the rest 4 of 4; the optional one-stop
    // check is not counted.
    let item = |key: &str| board.items.iter().find(|i| i.key == key).map(|i| i.rate);
    assert_eq!(
        item("shoe_covers").map(|r| (r.count, r.out_of)),
        Some((3, 4))
    );
    assert_eq!(item("greeting").map(|r| (r.count, r.out_of)), Some((4, 4)));
    assert_eq!(item("one_stop_check"), None);
    assert_eq!(board.items.len(), 10);
    assert_eq!(
        board.items[0].key, "show_id_card",
        "in the template's order"
    );

    // Field insights by product and kind.
    assert_eq!(board.insights.len(), 2);
    assert_eq!(board.insights[0].insight_category, "product_defect");
    assert_eq!(board.insights[0].count, 2);
    assert_eq!(board.insights[0].appliance_category, "washing_machine");
    let notes: Vec<&str> = board.insights[0]
        .notes
        .iter()
        .map(|n| n.note.as_str())
        .collect();
    assert!(notes.contains(&"门封条容易脱落") && notes.contains(&"排水泵噪音大"));

    // One technician: only their visits.
    let only_wang = dashboard(
        db,
        &dispatcher(&month),
        DashboardQuery {
            technician: month.wang.to_string(),
            ..november()
        },
    )
    .await;
    assert_eq!(only_wang.total, wang);
    // A week: 11-02 to 11-08 holds A and both of B's visits.
    let week = dashboard(
        db,
        &dispatcher(&month),
        DashboardQuery {
            period: "week".into(),
            date: "2026-11-05".into(),
            ..november()
        },
    )
    .await;
    assert_eq!(week.period.kind, PeriodKind::Week);
    assert_eq!((week.total.visits_due, week.total.on_time), (3, 2));
    assert_eq!(week.trend.len(), 7);
    // A custom span across the month's end takes in H as well.
    let custom = dashboard(
        db,
        &dispatcher(&month),
        DashboardQuery {
            period: "custom".into(),
            date: "2026-11-30".into(),
            to: "2026-12-01".into(),
            ..november()
        },
    )
    .await;
    assert_eq!((custom.total.visits_due, custom.total.on_time), (2, 2));

    // An admin sees every region unless they choose one.
    let admin = CurrentUser {
        role: Role::Admin,
        region_id: None,
        ..dispatcher(&month)
    };
    let everywhere = dashboard(db, &admin, november()).await;
    assert_eq!(everywhere.total.visits_due, 7);
    assert_eq!(everywhere.total.required_items_missed, 3);
    assert_eq!(everywhere.regions.len(), 2);
    let west_only = dashboard(
        db,
        &admin,
        DashboardQuery {
            region: month.other_region.to_string(),
            ..november()
        },
    )
    .await;
    assert_eq!(west_only.total.visits_due, 1);

    // The quarter ranks no one: nobody has 20 completed services.
    let quarter = dashboard(
        db,
        &dispatcher(&month),
        DashboardQuery {
            period: "quarter".into(),
            ..november()
        },
    )
    .await;
    assert_eq!(quarter.stars.as_ref().map(Vec::len), Some(0));
    assert_eq!(
        quarter.total.visits_due,
        board.total.visits_due + 1,
        "November and H on December 1st"
    );

    // Bad filters are refused with the field named.
    for (query, field) in [
        (
            DashboardQuery {
                period: "year".into(),
                ..november()
            },
            "period",
        ),
        (
            DashboardQuery {
                date: "2026-13-01".into(),
                ..november()
            },
            "date",
        ),
        (
            DashboardQuery {
                period: "custom".into(),
                to: "2026-11-01".into(),
                ..november()
            },
            "to",
        ),
        (
            DashboardQuery {
                technician: "not an id".into(),
                ..november()
            },
            "technician",
        ),
    ] {
        match load_dashboard(
            &db.store,
            &dispatcher(&month),
            query,
            ServiceZone::DEFAULT,
            december(),
        )
        .await
        {
            Err(app::api::error::AppError::InvalidInput { field: named, .. }) => {
                assert_eq!(named, field)
            }
            other => panic!("expected {field} refused, got {other:?}"),
        }
    }
    let _ = month.li;
}

async fn the_page_and_its_exports_over_http(db: &TestDb) {
    let month = hand_made_month(db).await;
    let app = web::app_for(db);
    let dispatcher = web::log_in(&app, "disp.east").await;
    // The page: served with its charts drawn, before any WASM runs.
    let page = send(
        &app,
        Request::get("/dashboard?period=month&date=2026-11-15")
            .header("cookie", format!("doorstep_session={dispatcher}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("服务质量看板"),
        "{}",
        page.body.chars().take(500).collect::<String>()
    );
    assert_eq!(page.body.matches("data-testid=\"trend-chart\"").count(), 10);
    assert!(page.body.contains("<polyline"));
    assert!(page.body.contains("66.7%"), "on-time rate on the page");
    assert!(page.body.contains("门封条容易脱落"));

    let export = |table: &str, lang: &str, session: Option<&str>| {
        let mut request = Request::get(format!(
            "/api/dashboard/export.csv?table={table}&period=month&date=2026-11-15&lang={lang}"
        ));
        if let Some(token) = session {
            request = request.header("cookie", format!("doorstep_session={token}"));
        }
        request.body(Body::empty()).unwrap()
    };
    let figures = send(&app, export("figures", "zh-CN", Some(&dispatcher))).await;
    assert_eq!(figures.status, 200);
    assert!(figures.body.starts_with('\u{feff}'));
    let lines: Vec<&str> = figures
        .body
        .trim_start_matches('\u{feff}')
        .lines()
        .collect();
    assert_eq!(lines[0], "服务标准指标,数值,计数,总数,目标");
    assert_eq!(lines[1], "准时上门率,66.7%,4,6,");
    // Written straight into the tables, these arrivals were never checked:
    // none is verified, over the same visits due.
    assert_eq!(lines[2], "准时上门率 · 已核实,0.0%,0,6,");
    assert_eq!(
        lines[10],
        "服务不及时率（PPM）,\"333,333\",2,6,< 10 PPM · 未达标"
    );
    let english = send(&app, export("figures", "en", Some(&dispatcher))).await;
    let lines: Vec<&str> = english.body.lines().collect();
    assert_eq!(lines[3], "First-visit fix,33.3%,1,3,");
    let items = send(&app, export("items", "en", Some(&dispatcher))).await;
    assert!(
        items
            .body
            .contains("Put on shoe covers (or own clean shoes),3,4,75.0%"),
        "{}",
        items.body
    );
    let technicians = send(&app, export("technicians", "zh-CN", Some(&dispatcher))).await;
    assert_eq!(
        technicians.body.lines().count(),
        3,
        "header and two technicians"
    );
    let insights = send(&app, export("insights", "zh-CN", Some(&dispatcher))).await;
    assert!(
        insights.body.contains("洗衣机 海尔 EG100,产品缺陷,2,"),
        "{}",
        insights.body
    );
    let trend = send(&app, export("trend", "zh-CN", Some(&dispatcher))).await;
    assert_eq!(trend.body.lines().count(), 31);
    assert!(
        trend.body.contains("2026-11-03 00:00,100.0%"),
        "{}",
        trend.body
    );

    // Who may not, and what is wrong.
    let technician = web::log_in(&app, "tech.li").await;
    assert_eq!(
        send(&app, export("figures", "zh-CN", Some(&technician)))
            .await
            .status,
        403
    );
    assert_eq!(
        send(&app, export("figures", "zh-CN", None)).await.status,
        401
    );
    let unknown = send(&app, export("salaries", "en", Some(&dispatcher))).await;
    assert_eq!(unknown.status, 422);
    assert!(unknown.body.contains("table"), "{}", unknown.body);
    let technician_page = send(
        &app,
        Request::get("/dashboard")
            .header("cookie", format!("doorstep_session={technician}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(!technician_page.body.contains("data-testid=\"trend-chart\""));
    let _ = (month.li, month.wang);
}

on_both_engines!(
    the_figures_of_a_hand_made_month,
    the_page_and_its_exports_over_http
);
