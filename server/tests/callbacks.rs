//! The calls after a service and complaints from every source, through the
//! server: the region's call queue with each call's lateness and 1:10:100
//! weight, answering a call (was it fixed, five ratings) once, the complaint
//! and repeat work order it opens, a complaint taken by phone and owned by
//! the dispatcher who took it, and both counted on the dashboard. Both
//! engines.

use crate::common;

use app::api::auth::CurrentUser;
use app::api::callbacks::{CallItem, CallRecorded};
use app::api::complaints::QueueItem;
use app::api::dashboard::DashboardQuery;
use app::domain::auth::Role;
use app::domain::callback::FollowUpKind;
use app::domain::checklist::{default_template, ItemAnswer};
use app::domain::ids::RecordId;
use app::domain::signoff::VisitOutcome;
use app::domain::time::{local_date, Timestamp, UtcOffset};
use app::domain::visit::{Visit, VisitEvent};
use app::serverfns::dashboard::load_dashboard;
use app::zone::ServiceZone;
use axum::http::StatusCode;
use common::fixtures::{self, count, id, HOUR};
use common::web::{app_for, call, json_call, log_in, send, urlencode};
use common::TestDb;
use serde_json::json;
use sqlx::Row;

const DAY: i64 = 24 * HOUR;

async fn call_queue(app: &axum::Router, session: &str) -> Vec<CallItem> {
    let answer = send(app, call("/api/callbacks/queue", "", Some(session))).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    serde_json::from_str(&answer.body).unwrap()
}

async fn complaint_queue(app: &axum::Router, session: &str) -> Vec<QueueItem> {
    let answer = send(app, call("/api/complaints/queue", "", Some(session))).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    serde_json::from_str(&answer.body).unwrap()
}

/// A call's answer as the queue's form sends it.
fn answer(visit: &Visit, kind: &str, fixed: &str, ratings: [&str; 5]) -> serde_json::Value {
    json!({
        "input": {
            "visit_id": visit.id.to_string(),
            "kind": kind,
            "answer": {
                "fixed": fixed,
                "ratings": ratings,
                "comment": "",
                "complaint": "",
                "repeat_fault": "",
            },
            "repeat_start": "",
            "repeat_end": "",
        }
    })
}

async fn record(
    app: &axum::Router,
    session: &str,
    body: &serde_json::Value,
) -> (StatusCode, String) {
    let answer = send(app, json_call("/api/callbacks/record", body, Some(session))).await;
    (answer.status, answer.body)
}

/// 王秀英's washing machine fixed by `technician` and signed at `signed`.
async fn a_signed_visit(
    db: &TestDb,
    region: &RecordId,
    technician: &RecordId,
    signed: Timestamp,
) -> Visit {
    let store = &db.store;
    let order = fixtures::order(
        store,
        region,
        "王秀英",
        fixtures::window(signed.unix_millis() - 3 * HOUR, 2),
    )
    .await;
    let visit = &fixtures::visit(store, &order, Some(technician)).await;
    let before = |ms: i64| Timestamp::from_unix_millis(signed.unix_millis() - ms);
    for (event, at) in [
        (VisitEvent::CheckIn, before(2 * HOUR)),
        (VisitEvent::StartWork, before(2 * HOUR - 60_000)),
    ] {
        store
            .apply_visit_event(
                &id().to_string(),
                visit.id.as_str(),
                technician.as_str(),
                event,
                at,
            )
            .await
            .unwrap();
    }
    for item in default_template().items.iter().filter(|item| item.required) {
        store
            .record_checklist_answer(
                &id(),
                &visit.id,
                technician,
                &item.key,
                &ItemAnswer::Done {
                    at: before(HOUR),
                    note: None,
                    photo: None,
                },
            )
            .await
            .unwrap();
    }
    store
        .record_outcome(
            &id(),
            &visit.id,
            technician,
            &VisitOutcome::Fixed,
            before(HOUR),
        )
        .await
        .unwrap();
    store
        .apply_visit_event(
            &id().to_string(),
            visit.id.as_str(),
            technician.as_str(),
            VisitEvent::FinishWork,
            before(30 * 60_000),
        )
        .await
        .unwrap();
    fixtures::sign_content(store, &visit.id, technician, signed).await;
    visit.clone()
}

struct Setting {
    region: RecordId,
    wang: RecordId,
    visit: Visit,
    signed: Timestamp,
}

/// A contracted service point (every service called back) with no survey
/// sample, so the calls are the callback and the tracking call; the
/// service was signed four days ago, so the callback is a day late.
async fn a_service_four_days_ago(db: &TestDb) -> Setting {
    let store = &db.store;
    sqlx::query("UPDATE callback_sampling SET phone_survey_permille = 0")
        .execute(store.pool())
        .await
        .unwrap();
    let region = fixtures::region(store, "东区").await;
    sqlx::query("UPDATE regions SET service_point_level = 'contracted' WHERE id = $1")
        .bind(region.as_str())
        .execute(store.pool())
        .await
        .unwrap();
    let west = fixtures::region(store, "西区").await;
    let wang = fixtures::user(store, "tech.wang", Role::Technician, Some(&region)).await;
    fixtures::user(store, "dispatch.zhao", Role::Dispatcher, Some(&region)).await;
    fixtures::user(store, "dispatch.sun", Role::Dispatcher, Some(&west)).await;
    fixtures::user(store, "admin", Role::Admin, None).await;
    let signed = Timestamp::from_unix_millis(Timestamp::now().unix_millis() - 4 * DAY);
    let visit = a_signed_visit(db, &region, &wang, signed).await;
    Setting {
        region,
        wang,
        visit,
        signed,
    }
}

async fn a_callback_is_answered_once_and_opens_what_it_must(db: &TestDb) {
    let store = &db.store;
    let Setting {
        region,
        visit,
        signed,
        ..
    } = a_service_four_days_ago(db).await;
    let app = app_for(db);
    let zhao = log_in(&app, "dispatch.zhao").await;
    let sun = log_in(&app, "dispatch.sun").await;
    let admin = log_in(&app, "admin").await;

    let calls = call_queue(&app, &zhao).await;
    let kinds: Vec<FollowUpKind> = calls.iter().map(|item| item.call.kind).collect();
    assert_eq!(
        kinds,
        [FollowUpKind::Callback, FollowUpKind::Tracking],
        "earliest due first"
    );
    let callback = &calls[0];
    assert_eq!(
        callback.call.due_at.unix_millis(),
        signed.unix_millis() + 3 * DAY
    );
    assert!(
        matches!(callback.overdue_by_ms, Some(late) if (DAY - 60_000..DAY + 60_000).contains(&late))
    );
    assert_eq!((callback.cost_weight, callback.due_today), (10, true));
    assert_eq!(callback.call.customer_name, "王秀英");
    let tracking = &calls[1];
    assert_eq!((tracking.overdue_by_ms, tracking.cost_weight), (None, 1));
    // Another region's dispatcher sees none and may answer none; an admin
    // sees every region's (late calls escalate).
    assert!(call_queue(&app, &sun).await.is_empty());
    let every_region = call_queue(&app, &admin).await;
    assert_eq!(every_region.len(), 2);
    // Each call names its region, for the admin's region filter.
    for item in &every_region {
        assert_eq!(
            (item.call.region_id.as_str(), item.call.region_name.as_str()),
            (region.as_str(), "东区")
        );
    }
    let satisfied = answer(&visit, "callback", "yes", ["5", "5", "5", "5", "5"]);
    assert_eq!(
        record(&app, &sun, &satisfied).await.0,
        StatusCode::FORBIDDEN
    );

    // Bad answers are refused with the field named, and nothing is written.
    let orders_before = count(store, "work_orders").await;
    for (body, field) in [
        (
            answer(&visit, "callback", "", ["5", "5", "5", "5", "5"]),
            "fixed",
        ),
        (
            answer(&visit, "callback", "yes", ["5", "", "5", "5", "5"]),
            "rating_attitude",
        ),
        (
            answer(&visit, "callback", "yes", ["5", "5", "5", "5", "9"]),
            "rating_overall",
        ),
        (
            answer(&visit, "callback", "no", ["2", "3", "3", "3", "2"]),
            "repeat_fault",
        ),
        (
            answer(&visit, "nightly", "yes", ["5", "5", "5", "5", "5"]),
            "kind",
        ),
    ] {
        let (status, body) = record(&app, &zhao, &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.contains(field), "{field}: {body}");
    }
    let mut repeat_without_time = answer(&visit, "callback", "no", ["2", "3", "3", "3", "2"]);
    repeat_without_time["input"]["answer"]["repeat_fault"] = json!("又漏水了");
    let (status, body) = record(&app, &zhao, &repeat_without_time).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("repeat_start"), "{body}");
    assert_eq!(call_queue(&app, &zhao).await.len(), 2);
    assert_eq!(count(store, "complaints").await, 0);
    assert_eq!(count(store, "work_orders").await, orders_before);

    // Not fixed: a complaint (owned by the caller) and a repeat work order
    // for the same appliance and fault, with the answer, in one go.
    let mut not_fixed = repeat_without_time;
    not_fixed["input"]["answer"]["complaint"] = json!("修完第二天又漏水，要求赔偿");
    not_fixed["input"]["answer"]["comment"] = json!("用户不满意");
    let (year, month, day) = local_date(Timestamp::now(), UtcOffset::CHINA);
    let today_at = |hour: u8| format!("{year}-{month:02}-{day:02}T{hour:02}:00");
    not_fixed["input"]["repeat_start"] = json!(today_at(20));
    not_fixed["input"]["repeat_end"] = json!(today_at(22));
    let (status, body) = record(&app, &zhao, &not_fixed).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let opened: CallRecorded = serde_json::from_str(&body).unwrap();
    let complaint_id = opened.complaint_id.clone().unwrap();
    let repeat_id = opened.repeat_work_order_id.clone().unwrap();

    let stored = sqlx::query(
        "SELECT f.done_at_ms, f.customer_says_fixed, f.rating_skill, f.rating_overall, f.comment, \
         f.complaint_id, f.repeat_work_order_id, u.login FROM follow_up_calls f \
         JOIN users u ON u.id = f.done_by WHERE f.visit_id = $1 AND f.kind = 'callback'",
    )
    .bind(visit.id.as_str())
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert!(stored.get::<Option<i64>, _>("done_at_ms").is_some());
    assert_eq!(stored.get::<Option<i32>, _>("customer_says_fixed"), Some(0));
    assert_eq!(
        (
            stored.get::<Option<i32>, _>("rating_skill"),
            stored.get::<Option<i32>, _>("rating_overall")
        ),
        (Some(2), Some(2))
    );
    assert_eq!(
        stored.get::<Option<String>, _>("comment").as_deref(),
        Some("用户不满意")
    );
    assert_eq!(
        stored.get::<Option<String>, _>("complaint_id"),
        Some(complaint_id.clone())
    );
    assert_eq!(
        stored.get::<Option<String>, _>("repeat_work_order_id"),
        Some(repeat_id.clone())
    );
    assert_eq!(stored.get::<String, _>("login"), "dispatch.zhao");

    let complaint = sqlx::query(
        "SELECT k.source, k.visit_id, u.login FROM complaints k JOIN users u ON u.id = k.owner_id \
         WHERE k.id = $1",
    )
    .bind(&complaint_id)
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(complaint.get::<String, _>("source"), "callback");
    assert_eq!(
        complaint.get::<Option<String>, _>("visit_id"),
        Some(visit.id.to_string())
    );
    assert_eq!(complaint.get::<String, _>("login"), "dispatch.zhao");

    let original = store
        .work_order(&visit.work_order_id)
        .await
        .unwrap()
        .unwrap();
    let repeat = store
        .work_order(&RecordId::parse("id", &repeat_id).unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            &repeat.appliance_id,
            repeat.fault_category,
            &repeat.region_id
        ),
        (&original.appliance_id, original.fault_category, &region)
    );
    assert!(repeat.reported_fault.as_str().contains("又漏水了"));
    assert_eq!(repeat.priority, app::domain::work_order::Priority::Urgent);

    // Answered once: a second answer is refused and changes nothing.
    let (status, body) = record(&app, &zhao, &satisfied).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(count(store, "complaints").await, 1);
    let left: Vec<FollowUpKind> = call_queue(&app, &zhao)
        .await
        .iter()
        .map(|item| item.call.kind)
        .collect();
    assert_eq!(left, [FollowUpKind::Tracking]);

    // The complaint runs on its clocks from the call, owned by zhao.
    let complaints = complaint_queue(&app, &zhao).await;
    assert_eq!(complaints.len(), 1);
    assert_eq!(complaints[0].complaint.id, complaint_id);
    assert_eq!(
        complaints[0].complaint.owner_name.as_deref(),
        Some("dispatch.zhao 的名字")
    );

    // The dashboard counts the complaint, and the repeat order turns the
    // first visit's fix into a miss (a repeat call): in the month of the
    // visit's window, which began three hours before the signature (the
    // month before it, early on the first of a month).
    let window_start = Timestamp::from_unix_millis(signed.unix_millis() - 3 * HOUR);
    let (year, month, day) = local_date(window_start, UtcOffset::CHINA);
    let board = load_dashboard(
        store,
        &CurrentUser {
            id: id().to_string(),
            login: "admin".into(),
            display_name: "admin".into(),
            role: Role::Admin,
            region_id: None,
        },
        DashboardQuery {
            period: "month".into(),
            date: format!("{year}-{month:02}-{day:02}"),
            ..DashboardQuery::default()
        },
        ServiceZone::DEFAULT,
        Timestamp::now(),
    )
    .await
    .unwrap();
    let total = board.total;
    assert_eq!(
        (total.completed_services, total.complaints),
        (1, 1),
        "{total:?}"
    );
    assert_eq!(
        (
            total.first_visits_finished,
            total.first_visit_fixes,
            total.repeat_calls
        ),
        (1, 0, 1),
        "{total:?}"
    );
}

async fn a_complaint_taken_by_phone_is_owned_by_who_took_it(db: &TestDb) {
    let store = &db.store;
    let Setting { visit, wang, .. } = a_service_four_days_ago(db).await;
    let app = app_for(db);
    let zhao = log_in(&app, "dispatch.zhao").await;
    let sun = log_in(&app, "dispatch.sun").await;
    let take = |session: String, order: String, description: &'static str| {
        let app = app.clone();
        async move {
            let answer = send(
                &app,
                call(
                    "/api/complaints/take",
                    &format!(
                        "work_order_id={order}&description={}",
                        urlencode(description)
                    ),
                    Some(&session),
                ),
            )
            .await;
            (answer.status, answer.body)
        }
    };
    let order = visit.work_order_id.to_string();
    // Another region's dispatcher, an unknown order, an empty complaint:
    // refused, nothing written.
    assert_eq!(
        take(sun, order.clone(), "师傅态度差").await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        take(zhao.clone(), id().to_string(), "师傅态度差").await.0,
        StatusCode::NOT_FOUND
    );
    let (status, body) = take(zhao.clone(), order.clone(), "   ").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("description"), "{body}");
    assert_eq!(count(store, "complaints").await, 0);

    let (status, body) = take(zhao.clone(), order.clone(), "师傅态度差，还多收了钱").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let complaint_id: String = serde_json::from_str(&body).unwrap();
    let stored = sqlx::query(
        "SELECT k.source, k.visit_id, k.received_at_ms, u.login FROM complaints k \
         JOIN users u ON u.id = k.owner_id WHERE k.id = $1",
    )
    .bind(&complaint_id)
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(stored.get::<String, _>("source"), "phone");
    assert_eq!(
        stored.get::<Option<String>, _>("visit_id"),
        Some(visit.id.to_string()),
        "put on the order's latest visit"
    );
    assert_eq!(stored.get::<String, _>("login"), "dispatch.zhao");
    let received = stored.get::<i64, _>("received_at_ms");
    assert!((Timestamp::now().unix_millis() - received).abs() < 60_000);

    // Its clocks run from receipt: the reply is due within the hour.
    let queue = complaint_queue(&app, &zhao).await;
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].due_at.unix_millis(), received + HOUR);
    assert_eq!(
        queue[0].complaint.owner_name.as_deref(),
        Some("dispatch.zhao 的名字")
    );
    let _ = wang;
}

async fn an_admin_sets_the_sampling_rates(db: &TestDb) {
    use app::domain::callback::{SamplingForm, SamplingRates};
    let store = &db.store;
    let region = fixtures::region(store, "东区").await;
    sqlx::query("UPDATE regions SET service_point_level = 'contracted' WHERE id = $1")
        .bind(region.as_str())
        .execute(store.pool())
        .await
        .unwrap();
    let wang = fixtures::user(store, "tech.wang", Role::Technician, Some(&region)).await;
    fixtures::user(store, "dispatch.zhao", Role::Dispatcher, Some(&region)).await;
    fixtures::user(store, "admin", Role::Admin, None).await;
    let app = app_for(db);
    let zhao = log_in(&app, "dispatch.zhao").await;
    let admin = log_in(&app, "admin").await;
    let read = |session: String| {
        let app = app.clone();
        async move {
            let answer = send(&app, call("/api/callbacks/sampling", "", Some(&session))).await;
            assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
            serde_json::from_str::<Option<SamplingForm>>(&answer.body).unwrap()
        }
    };
    assert_eq!(
        read(zhao.clone()).await,
        None,
        "a dispatcher reads no rates"
    );
    assert_eq!(
        read(admin.clone()).await,
        Some(SamplingForm::of(&SamplingRates::default()))
    );
    let set = |session: String, form: &'static str| {
        let app = app.clone();
        async move {
            let answer = send(
                &app,
                call("/api/callbacks/set_sampling", form, Some(&session)),
            )
            .await;
            (answer.status, answer.body)
        }
    };
    let zero =
        "rates[contracted]=0&rates[company_run]=0&rates[headquarters]=0&rates[phone_survey]=0";
    assert_eq!(set(zhao, zero).await.0, StatusCode::FORBIDDEN);
    let (status, body) = set(
        admin.clone(),
        "rates[contracted]=0&rates[company_run]=101&rates[headquarters]=0&rates[phone_survey]=0",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("company_run"), "{body}");
    assert_eq!(
        store.callback_sampling().await.unwrap(),
        SamplingRates::default()
    );

    let (status, body) = set(admin.clone(), zero).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(read(admin).await.unwrap().contracted, "0");
    // A contracted point now calls nobody back, and nobody is surveyed.
    let signed = Timestamp::from_unix_millis(Timestamp::now().unix_millis() - DAY);
    a_signed_visit(db, &region, &wang, signed).await;
    assert_eq!(count(store, "follow_up_calls").await, 0);
}

on_both_engines!(
    a_callback_is_answered_once_and_opens_what_it_must,
    a_complaint_taken_by_phone_is_owned_by_who_took_it,
    an_admin_sets_the_sampling_rates,
);
