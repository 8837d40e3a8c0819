//! The dispatch desk and the day's lists, through the router: work-order
//! intake, assignment, the board and its live events, and whose visits each
//! role sees on today's list.

use crate::common;

use app::domain::assignment::AssignmentWarning;
use app::zone::ServiceZone;
use axum::http::{header, StatusCode};
use common::fixtures::intake_counts;
use common::web::{
    assert_refused_naming, assign_call, call, get, intake, json_call, log_in, seeded, send,
    visit_event, Answer,
};
use common::TestDb;
use tower::ServiceExt;

async fn each_role_sees_its_own_visits(db: &TestDb) {
    let app = seeded(db).await;
    let count = |answer: Answer| {
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        serde_json::from_str::<Vec<serde_json::Value>>(&answer.body).unwrap()
    };
    let wang = log_in(&app, "tech.wang").await;
    let li = log_in(&app, "tech.li").await;
    let zhao = log_in(&app, "dispatch.zhao").await;
    let wang_visits = count(send(&app, call("/api/today/list", "", Some(&wang))).await);
    let li_visits = count(send(&app, call("/api/today/list", "", Some(&li))).await);
    let all_visits = count(send(&app, call("/api/today/list", "", Some(&zhao))).await);
    assert_eq!(wang_visits.len(), 6);
    assert_eq!(wang_visits[0]["customer_name"], "王秀英");
    assert_eq!(wang_visits[0]["utc_offset"], 480);
    assert_eq!(li_visits.len(), 2);
    assert!(li_visits.iter().all(|v| !wang_visits.contains(v)));
    assert_eq!(all_visits.len(), 8);

    // A dispatcher of another region sees none of this region's day.
    let west = common::fixtures::region(&db.store, "上海闵行服务区").await;
    common::fixtures::user(
        &db.store,
        "dispatch.sun",
        app::domain::auth::Role::Dispatcher,
        Some(&west),
    )
    .await;
    let sun = log_in(&app, "dispatch.sun").await;
    assert!(count(send(&app, call("/api/today/list", "", Some(&sun))).await).is_empty());
}

async fn a_work_order_is_taken_whole_or_not_at_all(db: &TestDb) {
    let app = seeded(db).await;
    let zhao = log_in(&app, "dispatch.zhao").await;
    let before = intake_counts(db).await;
    let good = intake("");
    let create = |body: &serde_json::Value, session: &str| {
        json_call(
            "/api/work_orders/create",
            &serde_json::json!({ "intake": body }),
            Some(session),
        )
    };
    let answer = send(&app, create(&good, &zhao)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(
        answer.body,
        format!("\"{}\"", good["work_order_id"].as_str().unwrap())
    );
    let after = intake_counts(db).await;
    assert_eq!(after, [before[0] + 1, before[1] + 1, before[2] + 1]);
    let id =
        app::domain::ids::RecordId::parse("id", good["work_order_id"].as_str().unwrap()).unwrap();
    let order = db.store.work_order(&id).await.unwrap().unwrap();
    assert_eq!(order.reported_fault.as_str(), "洗衣时底部漏水");
    assert_eq!(
        order
            .appointment
            .format_local(app::domain::time::UtcOffset::CHINA),
        "09:00–11:00",
        "read on the region's clock"
    );

    // The same submission again (a retry after a lost answer) doubles nothing.
    let again = send(&app, create(&good, &zhao)).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert_eq!(intake_counts(db).await, after);

    // Each bad field is named, and nothing of the order is written.
    let spoilt = |field: &str, value: &str| {
        let mut body = intake("");
        body[field] = serde_json::Value::String(value.to_string());
        body
    };
    let mut warranty_first = intake("");
    warranty_first["warranty_end"] = "2022-01-01".into();
    let cases = [
        (spoilt("customer_name", &"王".repeat(51)), "customer_name"),
        (spoilt("customer_name", "  "), "customer_name"),
        (spoilt("customer_phone", "12345"), "customer_phone"),
        (spoilt("customer_phone", "138-1234-567x"), "customer_phone"),
        (
            spoilt("customer_address", &"路".repeat(201)),
            "customer_address",
        ),
        (spoilt("brand", &"海".repeat(41)), "brand"),
        (spoilt("serial_number", "SN\u{7}1"), "serial_number"),
        (spoilt("category", "toaster"), "category"),
        (spoilt("purchase_date", "2026-02-30"), "purchase_date"),
        (warranty_first, "warranty_end"),
        (
            spoilt("reported_fault", &"漏".repeat(1001)),
            "reported_fault",
        ),
        (spoilt("fault_category", "gremlins"), "fault_category"),
        (spoilt("channel", "fax"), "channel"),
        (spoilt("priority", "whenever"), "priority"),
        (spoilt("customer_location", "人民广场"), "customer_location"),
        (
            spoilt("customer_location", "121.4737, 31.2304"),
            "customer_location",
        ),
        (
            spoilt("appointment_start", "tomorrow morning"),
            "appointment_start",
        ),
        (
            spoilt("appointment_end", "2026-11-26T08:00"),
            "appointment_end",
        ),
        (
            spoilt("appointment_end", "2026-11-26T09:00"),
            "appointment_end",
        ),
        (spoilt("work_order_id", "WO-1"), "work_order_id"),
        (spoilt("customer_id", ""), "customer_id"),
    ];
    for (body, field) in cases {
        let answer = send(&app, create(&body, &zhao)).await;
        assert_refused_naming(&answer, field);
        assert_eq!(
            intake_counts(db).await,
            after,
            "{field}: something was written"
        );
    }
    let backwards = send(
        &app,
        create(&spoilt("appointment_end", "2026-11-26T08:00"), &zhao),
    )
    .await;
    assert!(
        backwards.body.contains("must end after it starts"),
        "{}",
        backwards.body
    );

    // An admin names the region; one that does not exist is refused.
    let admin = log_in(&app, "admin").await;
    let nowhere = intake(&uuid::Uuid::now_v7().to_string());
    let answer = send(&app, create(&nowhere, &admin)).await;
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        answer.body
    );
    assert!(answer.body.contains("region_id"), "{}", answer.body);
    let answer = send(&app, create(&intake(""), &admin)).await;
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "an admin must name the region: {}",
        answer.body
    );
    assert_eq!(intake_counts(db).await, after);

    // A place typed for a new customer is kept with them.
    let mut located = intake("");
    located["customer_location"] = "31.2304, 121.4737".into();
    let answer = send(&app, create(&located, &zhao)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let customer_id =
        app::domain::ids::RecordId::parse("id", located["customer_id"].as_str().unwrap()).unwrap();
    let place = || async {
        db.store
            .customer(&customer_id)
            .await
            .unwrap()
            .unwrap()
            .coordinates
            .map(|at| (at.latitude(), at.longitude()))
    };
    assert_eq!(place().await, Some((31.2304, 121.4737)));
    // For a customer on file, a place fills in a missing one and never
    // moves a known one in passing.
    let repeat = |location: &str| {
        let mut body = intake("");
        body["existing_customer"] = true.into();
        body["customer_id"] = located["customer_id"].clone();
        body["customer_location"] = location.into();
        body
    };
    let answer = send(&app, create(&repeat("31.0000, 121.0000"), &zhao)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(place().await, Some((31.2304, 121.4737)));
    sqlx::query("UPDATE customers SET latitude = NULL, longitude = NULL WHERE id = $1")
        .bind(customer_id.as_str())
        .execute(db.store.pool())
        .await
        .unwrap();
    let answer = send(&app, create(&repeat("31.0000, 121.0000"), &zhao)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(place().await, Some((31.0, 121.0)));
}

async fn today_flags_visits_whose_window_is_running_out(db: &TestDb) {
    use app::domain::time::Timestamp;
    let app = seeded(db).await;
    let wang = log_in(&app, "tech.wang").await;
    let list = || async {
        let answer = send(&app, call("/api/today/list", "", Some(&wang))).await;
        serde_json::from_str::<Vec<serde_json::Value>>(&answer.body).unwrap()
    };
    let visits = list().await;
    let (first, second) = (
        visits[0]["id"].as_str().unwrap().to_string(),
        visits[1]["id"].as_str().unwrap().to_string(),
    );
    let now = Timestamp::now().unix_millis();
    let (day_start, _) = ServiceZone::DEFAULT.day_containing(Timestamp::now());
    let day_start = day_start.unix_millis();
    // Today's, and at most a few hours long even in the day's last minutes
    // (a window may not be longer than a day).
    let window_start = day_start.max(now - 2 * 3_600_000);
    let set_window = |visit: String, end: i64| async move {
        sqlx::query("UPDATE visits SET window_start_ms = $1, window_end_ms = $2 WHERE id = $3")
            .bind(window_start)
            .bind(end)
            .bind(visit)
            .execute(db.store.pool())
            .await
            .unwrap();
    };
    // Ends in ten minutes, not checked in: at risk.
    set_window(first.clone(), now + 10 * 60_000).await;
    // Ended a second ago (when the day is old enough to hold such a window): late.
    let late_possible = now - 1_000 > day_start;
    if late_possible {
        set_window(second.clone(), now - 1_000).await;
    }
    let risk_of = |visits: &[serde_json::Value], id: &str| {
        visits
            .iter()
            .find(|v| v["id"] == id)
            .map(|v| v["risk"].as_str().unwrap().to_string())
            .unwrap()
    };
    let visits = list().await;
    assert_eq!(risk_of(&visits, &first), "at_risk");
    if late_possible {
        assert_eq!(risk_of(&visits, &second), "late");
    }
    // Once checked in, the flag goes.
    let answer = send(
        &app,
        visit_event(
            &uuid::Uuid::now_v7().to_string(),
            &first,
            "check_in",
            Some(&wang),
        ),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(risk_of(&list().await, &first), "none");
    // The page shows the flag on the card, with tap-to-call and the map.
    let page = send(&app, get("/", Some(&wang))).await.body;
    assert!(page.contains("href=\"tel:"), "tap to call");
    assert!(
        page.contains("https://uri.amap.com/search?keyword="),
        "map link"
    );
}

async fn the_desk_takes_an_order_assigns_it_and_tells_the_board(db: &TestDb) {
    use app::api::desk::Board;
    use http_body_util::BodyExt;
    let app = seeded(db).await;
    let dispatcher = log_in(&app, "dispatch.zhao").await;
    let board = |session: String| {
        let app = app.clone();
        async move {
            let answer = send(&app, call("/api/desk/board", "", Some(&session))).await;
            assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
            serde_json::from_str::<Board>(&answer.body).unwrap()
        }
    };
    let before = board(dispatcher.clone()).await;
    assert_eq!(before.lanes.len(), 8, "the region's eight technicians");
    let wang = before
        .lanes
        .iter()
        .find(|l| l.name == "王师傅")
        .unwrap()
        .technician_id
        .clone();
    assert_eq!(
        before
            .lanes
            .iter()
            .find(|l| l.technician_id == wang)
            .unwrap()
            .visits
            .len(),
        6
    );

    // A new customer's order, today 14:00–16:00 in Shanghai.
    let mut intake = common::web::intake(&before.region_id);
    let date = common::web::shanghai_date(0);
    intake["appointment_start"] = format!("{date}T14:00").into();
    intake["appointment_end"] = format!("{date}T16:00").into();
    let taken = send(
        &app,
        json_call(
            "/api/work_orders/create",
            &serde_json::json!({ "intake": intake }),
            Some(&dispatcher),
        ),
    )
    .await;
    assert_eq!(taken.status, StatusCode::OK, "{}", taken.body);
    let order: String = serde_json::from_str(&taken.body).unwrap();
    let queued = board(dispatcher.clone()).await.queue;
    assert_eq!(
        queued.iter().filter(|o| o.id == order).count(),
        1,
        "in the queue"
    );

    // Another region's technician, and a time outside the agreed window, are refused by name.
    let west = common::fixtures::region(&db.store, "上海闵行服务区").await;
    let outsider = common::fixtures::user(
        &db.store,
        "tech.sun",
        app::domain::auth::Role::Technician,
        Some(&west),
    )
    .await;
    let refused = send(
        &app,
        assign_call(&order, outsider.as_str(), None, &dispatcher),
    )
    .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    let error: app::api::error::AppError = serde_json::from_str(&refused.body).unwrap();
    assert_eq!(
        error.user_message(app::i18n::Locale::ZhCn.messages()),
        "不能派单：该师傅属于其他服务区。"
    );
    let early = (format!("{date}T13:00"), format!("{date}T15:00"));
    let refused = send(
        &app,
        assign_call(&order, &wang, Some((&early.0, &early.1)), &dispatcher),
    )
    .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(
        refused.body.contains("OutsideAgreedWindow"),
        "{}",
        refused.body
    );
    assert_refused_naming(
        &send(
            &app,
            assign_call(&order, &wang, Some((&early.0, "")), &dispatcher),
        )
        .await,
        "window_end",
    );
    assert_refused_naming(
        &send(&app, assign_call(&order, "wang", None, &dispatcher)).await,
        "technician_id",
    );
    assert_eq!(
        board(dispatcher.clone()).await.queue.len(),
        queued.len(),
        "nothing assigned"
    );

    // Listening to the board, then assigning: the assignment is heard.
    let events = app
        .clone()
        .oneshot(get("/api/desk/events", Some(&dispatcher)))
        .await
        .unwrap();
    assert_eq!(events.status(), StatusCode::OK);
    assert_eq!(events.headers()[header::CONTENT_TYPE], "text/event-stream");
    // tech.wang's demo day holds six visits, two of them over 14:00–16:00:
    // the desk asks first, and nothing is written until it is confirmed.
    let asked = send(&app, assign_call(&order, &wang, None, &dispatcher)).await;
    assert_eq!(asked.status, StatusCode::CONFLICT, "{}", asked.body);
    let asked: app::api::error::AppError = serde_json::from_str(&asked.body).unwrap();
    assert_eq!(
        asked,
        app::api::error::AppError::AssignmentNeedsConfirmation {
            warnings: vec![
                AssignmentWarning::BusyDay { visits: 6 },
                AssignmentWarning::CrowdedWindow { overlapping: 2 },
            ]
        }
    );
    assert_eq!(
        board(dispatcher.clone()).await.queue.len(),
        queued.len(),
        "nothing assigned before the second press"
    );
    let assigned = send(
        &app,
        call(
            "/api/desk/assign",
            &format!(
                "operation_id={}&work_order_id={order}&technician_id={wang}&visit_id={}\
                 &confirmed=busy_day,crowded_window",
                uuid::Uuid::now_v7(),
                uuid::Uuid::now_v7()
            ),
            Some(&dispatcher),
        ),
    )
    .await;
    assert_eq!(assigned.status, StatusCode::OK, "{}", assigned.body);
    let visit: String = serde_json::from_str(&assigned.body).unwrap();
    let mut body = events.into_body();
    let frame = tokio::time::timeout(std::time::Duration::from_secs(5), body.frame())
        .await
        .expect("an event within 5 s")
        .unwrap()
        .unwrap();
    let text = String::from_utf8(frame.into_data().unwrap().to_vec()).unwrap();
    assert_eq!(text, format!("data: {visit}\n\n"));
    // A visit whose window ends within half an hour, not checked in, is flagged on the board.
    let now = app::domain::time::Timestamp::now().unix_millis();
    let (day_start, _) = ServiceZone::DEFAULT.day_containing(app::domain::time::Timestamp::now());
    // Started today, and short enough in the day's last minutes too (a
    // window may not be longer than a day).
    sqlx::query("UPDATE visits SET window_start_ms = $1, window_end_ms = $2 WHERE id = $3")
        .bind(day_start.unix_millis().max(now - 2 * 3_600_000))
        .bind(now + 10 * 60_000)
        .bind(&visit)
        .execute(db.store.pool())
        .await
        .unwrap();
    let after = board(dispatcher.clone()).await;
    let flagged = after
        .lanes
        .iter()
        .flat_map(|l| &l.visits)
        .find(|v| v.id == visit)
        .unwrap();
    assert_eq!(flagged.risk, app::domain::visit::ArrivalRisk::AtRisk);
    assert!(after.queue.iter().all(|o| o.id != order));
    let lane = after
        .lanes
        .iter()
        .find(|l| l.technician_id == wang)
        .unwrap();
    assert_eq!(lane.visits.len(), 7);
    assert!(lane
        .visits
        .iter()
        .any(|v| v.id == visit && v.work_order_id == order));

    // A deactivated dispatcher's open stream ends at the next change.
    let listening = app
        .clone()
        .oneshot(get("/api/desk/events", Some(&dispatcher)))
        .await
        .unwrap();
    let zhao = db
        .store
        .user_by_login(&app::domain::auth::LoginName::parse("dispatch.zhao").unwrap())
        .await
        .unwrap()
        .unwrap();
    db.store.set_user_active(&zhao.id, false).await.unwrap();
    db.store.relay_change(visit.clone());
    let mut body = listening.into_body();
    let end = tokio::time::timeout(std::time::Duration::from_secs(5), body.frame())
        .await
        .expect("the stream answers within 5 s");
    assert!(end.is_none(), "a deactivated account still heard: {end:?}");

    // Only dispatchers and admins listen.
    let technician = log_in(&app, "tech.wang").await;
    assert_eq!(
        send(&app, get("/api/desk/events", Some(&technician)))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        send(&app, get("/api/desk/events", None)).await.status,
        StatusCode::UNAUTHORIZED
    );
}

/// An admin has no region of their own: the desk opens on the first region
/// by name, with every region to pick another from; a dispatcher gets no list.
async fn an_admin_opens_the_first_regions_board_and_may_pick_another(db: &TestDb) {
    let app = seeded(db).await;
    common::fixtures::region(&db.store, "上海闵行服务区").await;
    let board = |form: String, session: String| {
        let app = app.clone();
        async move {
            let answer = send(&app, call("/api/desk/board", &form, Some(&session))).await;
            assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
            serde_json::from_str::<serde_json::Value>(&answer.body).unwrap()
        }
    };
    let admin = log_in(&app, "admin").await;
    let first = board(String::new(), admin.clone()).await;
    let regions = first["regions"].as_array().unwrap().clone();
    assert_eq!(regions.len(), 2);
    assert_eq!(first["region_id"], regions[0][0]);
    let other = regions[1][0].as_str().unwrap();
    let picked = board(format!("region_id={other}"), admin).await;
    assert_eq!(picked["region_id"], other);
    assert_eq!(picked["regions"].as_array().unwrap().len(), 2);
    let zhao = log_in(&app, "dispatch.zhao").await;
    let own = board(String::new(), zhao).await;
    assert!(own["regions"].as_array().unwrap().is_empty());
    assert!(!own["lanes"].as_array().unwrap().is_empty());
}

/// A point `north_km` and `east_km` from a corner of Pudong.
fn pudong(north_km: f64, east_km: f64) -> app::domain::validation::Coordinates {
    app::domain::validation::Coordinates::new(31.2 + north_km / 111.2, 121.5 + east_km / 95.0)
        .unwrap()
}

async fn the_rest_of_the_day_is_planned_from_where_everyone_is(db: &TestDb) {
    use app::domain::planning::day::{propose, Change, Holder, NotPlanned};
    use app::domain::planning::solver::PlannerSettings;
    use app::domain::planning::travel::ModelledTravel;
    use app::domain::time::Timestamp;
    use app::store::day_plan::PlanDay;
    use common::fixtures::{located_order, technician, visit, window, HOUR, SHANGHAI_MIDNIGHT};

    let store = &db.store;
    let region = common::fixtures::region(store, "计划测试区").await;
    let run = |sql: String| async move {
        sqlx::query(&sql).execute(store.pool()).await.unwrap();
    };
    // By name: a at work, b authorised for another brand only, c off
    // shift at noon, d free and last seen at a home in the east.
    let a = technician(store, "plan.a", &region).await;
    let b = technician(store, "plan.b", &region).await;
    let c = technician(store, "plan.c", &region).await;
    let d = technician(store, "plan.d", &region).await;
    run(format!(
        "UPDATE technicians SET brands = '小天鹅' WHERE user_id = '{b}'"
    ))
    .await;
    run(format!(
        "UPDATE technicians SET working_from_minute = 480, working_until_minute = 720 \
         WHERE user_id = '{c}'"
    ))
    .await;
    let at = |hour: i64| SHANGHAI_MIDNIGHT + hour * HOUR;
    let order = |name: &'static str, hour: i64, home: Option<_>| {
        located_order(store, &region, name, window(at(hour), 2), home)
    };

    // a has been at 顾家 since 12:40: free at 13:25, there.
    let at_work = order("顾家", 12, Some(pudong(0.0, 0.0))).await;
    let at_work = visit(store, &at_work, Some(&a)).await;
    run(format!(
        "UPDATE visits SET status = 'arrived', arrived_at_ms = {} WHERE id = '{}'",
        at(12) + 40 * 60_000,
        at_work.id
    ))
    .await;
    // d signed at 9 km north and east this morning.
    let signed = order("丁家", 9, Some(pudong(9.0, 9.0))).await;
    let signed = visit(store, &signed, Some(&d)).await;
    run(format!(
        "UPDATE visits SET status = 'signed', signed_at_ms = {} WHERE id = '{}'",
        at(10),
        signed.id
    ))
    .await;
    // c is off shift with one visit still dispatched and one set off for.
    let handed = order("陈家", 14, Some(pudong(1.0, 1.0))).await;
    let handed = visit(store, &handed, Some(&c)).await;
    let set_off = order("程家", 14, Some(pudong(2.0, 2.0))).await;
    let set_off = visit(store, &set_off, Some(&c)).await;
    run(format!(
        "UPDATE visits SET status = 'on_the_way' WHERE id = '{}'",
        set_off.id
    ))
    .await;
    // d's afternoon visit far from everyone, pinned by the dispatcher.
    let pinned = order("邓家", 15, Some(pudong(10.0, 10.0))).await;
    let pinned = visit(store, &pinned, Some(&d)).await;
    // In the queue: one near a's customer, one with no location.
    let queued = order("齐家", 14, Some(pudong(0.5, 0.5))).await;
    let unlocated = order("吴家", 14, None).await;
    run(format!(
        "UPDATE work_orders SET status = 'open' WHERE id IN ('{}', '{}')",
        queued.id, unlocated.id
    ))
    .await;

    let day = PlanDay {
        starts: Timestamp::from_unix_millis(SHANGHAI_MIDNIGHT),
        ends: Timestamp::from_unix_millis(SHANGHAI_MIDNIGHT + 24 * HOUR),
        now: Timestamp::from_unix_millis(at(13)),
    };
    let pins = std::collections::HashSet::from([pinned.id.to_string()]);
    let inputs = store.day_plan_inputs(&region, day, &pins).await.unwrap();
    let names: Vec<&str> = inputs.technicians.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "plan.a 的名字",
            "plan.b 的名字",
            "plan.c 的名字",
            "plan.d 的名字"
        ]
    );
    let (ta, td) = (&inputs.technicians[0].day, &inputs.technicians[3].day);
    assert_eq!(
        (ta.at, ta.free_from),
        (Some(pudong(0.0, 0.0)), 12 * 60 + 40 + 45)
    );
    assert_eq!((td.at, td.free_from), (Some(pudong(9.0, 9.0)), 13 * 60));
    assert_eq!(inputs.technicians[1].day.at, None);
    let item = |order: &str| {
        inputs
            .items
            .iter()
            .position(|item| item.work_order_id == order)
            .unwrap_or_else(|| panic!("{order} is in the day"))
    };
    let (handed_item, set_off_item, pinned_item, queued_item, unlocated_item) = (
        item(handed.work_order_id.as_str()),
        item(set_off.work_order_id.as_str()),
        item(pinned.work_order_id.as_str()),
        item(queued.id.as_str()),
        item(unlocated.id.as_str()),
    );
    assert_eq!(
        inputs.items.len(),
        5,
        "neither the visit under way nor the signed one"
    );
    assert_eq!(inputs.items[handed_item].day.holder, Holder::Movable(2));
    assert_eq!(inputs.items[set_off_item].day.holder, Holder::Kept(2));
    assert_eq!(inputs.items[pinned_item].day.holder, Holder::Kept(3));
    assert_eq!(inputs.items[queued_item].day.holder, Holder::Nobody);
    assert!(
        inputs.items.iter().all(|item| item.day.ruled_out == [1]),
        "b is not authorised for 海尔"
    );

    let technicians: Vec<_> = inputs.technicians.iter().map(|t| t.day.clone()).collect();
    let items: Vec<_> = inputs.items.iter().map(|i| i.day.clone()).collect();
    let proposal = propose(
        &technicians,
        &items,
        &ModelledTravel::default(),
        PlannerSettings::default(),
    );
    let placed = |item: usize| {
        proposal.routes.iter().enumerate().find_map(|(who, route)| {
            route
                .iter()
                .find(|stop| stop.item == item)
                .map(|stop| (who, stop.change))
        })
    };
    assert_eq!(
        placed(queued_item),
        Some((0, Change::Takes)),
        "a is nearest"
    );
    let (taker, change) = placed(handed_item).expect("planned");
    assert!(taker == 0 || taker == 3, "not b, not c: {taker}");
    assert_eq!(change, Change::TakesOver { from: 2 });
    assert_eq!(placed(pinned_item), Some((3, Change::Keeps)));
    assert_eq!(proposal.not_planned, {
        let mut expected = vec![
            (set_off_item, NotPlanned::HoursOver),
            (unlocated_item, NotPlanned::NoLocation),
        ];
        expected.sort_by_key(|&(item, _)| item);
        expected
    });
    assert!(proposal.routes[1].is_empty() && proposal.routes[2].is_empty());
    assert_eq!(
        (proposal.now.unassigned, proposal.proposed.unassigned),
        (2, 1)
    );
    assert_eq!(proposal.proposed.late, 0);
}

/// The desk's plan endpoint: tomorrow is the whole day ahead, so an order
/// of tomorrow's queue is placed whatever the hour the test runs at; a bad
/// choice of day or pin is named.
async fn the_desk_plans_tomorrow_and_names_a_bad_request(db: &TestDb) {
    use app::api::desk::{Board, DayPlan};
    use app::domain::planning::day::{Change, PlanWhich};
    let app = seeded(db).await;
    let dispatcher = log_in(&app, "dispatch.zhao").await;
    let board = send(&app, call("/api/desk/board", "", Some(&dispatcher))).await;
    let board: Board = serde_json::from_str(&board.body).unwrap();
    let region = app::domain::ids::RecordId::parse("region_id", &board.region_id).unwrap();
    let zone = ServiceZone::DEFAULT;
    let (_, today_ends) = zone.day_containing(app::domain::time::Timestamp::now());
    let tomorrow_ten = today_ends.unix_millis() + 10 * common::fixtures::HOUR;
    let order = common::fixtures::located_order(
        &db.store,
        &region,
        "明天的客户",
        common::fixtures::window(tomorrow_ten, 2),
        Some(pudong(1.0, 1.0)),
    )
    .await;
    sqlx::query("UPDATE work_orders SET status = 'open' WHERE id = $1")
        .bind(order.id.as_str())
        .execute(db.store.pool())
        .await
        .unwrap();

    let planned = send(
        &app,
        call("/api/desk/plan", "which=tomorrow", Some(&dispatcher)),
    )
    .await;
    assert_eq!(planned.status, StatusCode::OK, "{}", planned.body);
    let plan: DayPlan = serde_json::from_str(&planned.body).unwrap();
    assert_eq!(plan.which, PlanWhich::Tomorrow);
    let stop = plan
        .lanes
        .iter()
        .flat_map(|lane| lane.stops.iter())
        .find(|stop| stop.work.work_order_id == order.id.as_str())
        .expect("tomorrow's order is placed");
    assert_eq!(stop.change, Change::Takes);
    assert!(!stop.late);
    assert!(
        stop.arrives >= 10 * 60 && stop.arrives <= 12 * 60,
        "{stop:?}"
    );

    let refused = send(
        &app,
        call("/api/desk/plan", "which=yesterday", Some(&dispatcher)),
    )
    .await;
    assert_refused_naming(&refused, "which");
    let refused = send(
        &app,
        call(
            "/api/desk/plan",
            "which=tomorrow&pinned=not-an-id",
            Some(&dispatcher),
        ),
    )
    .await;
    assert_refused_naming(&refused, "pinned");
}

on_both_engines!(
    each_role_sees_its_own_visits,
    a_work_order_is_taken_whole_or_not_at_all,
    today_flags_visits_whose_window_is_running_out,
    the_desk_takes_an_order_assigns_it_and_tells_the_board,
    an_admin_opens_the_first_regions_board_and_may_pick_another,
    the_rest_of_the_day_is_planned_from_where_everyone_is,
    the_desk_plans_tomorrow_and_names_a_bad_request,
);
