//! Following complaints up through the server: the four steps in order,
//! each once, by the complaint's region's dispatchers; the queue with each
//! complaint's next step, its clock and the cost of the wait. Both engines.

use crate::common;

use app::api::complaints::QueueItem;
use app::domain::auth::Role;
use app::domain::complaint::{Complaint, ComplaintSource};
use app::domain::complaint_clock::{ClockState, ComplaintStep};
use app::domain::time::Timestamp;
use app::domain::validation::Note;
use axum::http::StatusCode;
use common::fixtures::{self, id, HOUR};
use common::web::{app_for, call, log_in, send};
use common::TestDb;

fn now_ms() -> i64 {
    Timestamp::now().unix_millis()
}

async fn queue(app: &axum::Router, session: &str) -> Vec<QueueItem> {
    let answer = send(app, call("/api/complaints/queue", "", Some(session))).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    serde_json::from_str(&answer.body).unwrap()
}

async fn step(
    app: &axum::Router,
    session: &str,
    complaint: &str,
    step: &str,
    form: &str,
) -> (StatusCode, String) {
    let answer = send(
        app,
        call(
            "/api/complaints/step",
            &format!("complaint_id={complaint}&step={step}&{form}"),
            Some(session),
        ),
    )
    .await;
    (answer.status, answer.body)
}

/// A complaint on an order of 王秀英's in the region, received
/// `minutes_ago`, owned by nobody by name.
async fn unowned_complaint(
    store: &app::store::Store,
    region: &app::domain::ids::RecordId,
    source: ComplaintSource,
    minutes_ago: i64,
    text: &str,
) -> Complaint {
    let order = fixtures::order(
        store,
        region,
        "王秀英",
        fixtures::window(now_ms() - 5 * HOUR, 2),
    )
    .await;
    let complaint = Complaint {
        id: id(),
        work_order_id: order.id,
        visit_id: None,
        source,
        owner_id: None,
        received_at: Timestamp::from_unix_millis(now_ms() - minutes_ago * 60_000),
        description: Note::parse(text).unwrap(),
    };
    app::store::complaints::insert_complaint(store.pool(), &complaint)
        .await
        .unwrap();
    complaint
}

async fn a_complaint_walks_its_four_steps_in_order(db: &TestDb) {
    let store = &db.store;
    let east = fixtures::region(store, "东区").await;
    let west = fixtures::region(store, "西区").await;
    fixtures::user(store, "dispatch.zhao", Role::Dispatcher, Some(&east)).await;
    fixtures::user(store, "dispatch.sun", Role::Dispatcher, Some(&west)).await;
    fixtures::user(store, "admin", Role::Admin, None).await;
    // Received 90 minutes ago: the reply is half an hour overdue.
    let complaint = unowned_complaint(
        store,
        &east,
        ComplaintSource::Phone,
        90,
        "师傅上门迟到两小时",
    )
    .await;
    let app = app_for(db);
    let zhao = log_in(&app, "dispatch.zhao").await;
    let sun = log_in(&app, "dispatch.sun").await;
    let admin = log_in(&app, "admin").await;
    let complaint_id = complaint.id.to_string();

    let listed = queue(&app, &zhao).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].next, ComplaintStep::Reply);
    assert!(
        matches!(listed[0].clock, ClockState::Overdue { by_ms } if (29 * 60_000..32 * 60_000).contains(&by_ms))
    );
    assert_eq!(listed[0].cost_weight, 1);
    assert!(listed[0].due_today);
    // Another region's dispatcher sees none of it and may not touch it;
    // an admin sees every region's (overdue steps escalate to admins).
    assert!(queue(&app, &sun).await.is_empty());
    let every_region = queue(&app, &admin).await;
    assert_eq!(every_region.len(), 1);
    // The complaint names its region, for the admin's region filter.
    assert_eq!(
        (
            every_region[0].complaint.region_id.as_str(),
            every_region[0].complaint.region_name.as_str()
        ),
        (east.as_str(), "东区")
    );
    assert_eq!(
        step(&app, &sun, &complaint_id, "reply", "note=已致歉")
            .await
            .0,
        StatusCode::FORBIDDEN
    );

    // Out of order, or with nothing said: refused, nothing recorded.
    let (status, body) = step(&app, &zhao, &complaint_id, "handling_result", "note=已更换").await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.contains("reply"), "{body}");
    assert_eq!(
        step(&app, &zhao, &complaint_id, "reply", "note=").await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(fixtures::count(store, "complaint_steps").await, 0);

    assert_eq!(
        step(&app, &zhao, &complaint_id, "reply", "note=已电话致歉")
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(
        step(&app, &zhao, &complaint_id, "reply", "note=再次致歉")
            .await
            .0,
        StatusCode::CONFLICT
    );
    assert_eq!(
        step(
            &app,
            &admin,
            &complaint_id,
            "handling_result",
            "note=已安排上门"
        )
        .await
        .0,
        StatusCode::OK
    );
    // The rectification sheet needs all five parts.
    let (status, body) = step(
        &app,
        &zhao,
        &complaint_id,
        "rectification",
        "note=&sheet[0]=迟到&sheet[1]=排班过满&sheet[2]=致歉&sheet[3]=",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("long_term_action"), "{body}");
    let sheet = "note=&sheet[0]=迟到两小时&sheet[1]=排班过满&sheet[2]=当日致歉并改约&sheet[3]=每人每日不超过六单&sheet[4]=下周抽查排班";
    let (status, body) = step(&app, &zhao, &complaint_id, "rectification", sheet).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let listed = queue(&app, &zhao).await;
    assert_eq!(listed[0].next, ComplaintStep::CustomerCallback);
    // The callback is due on the third day: listed after what is due today.
    assert!(!listed[0].due_today);
    assert_eq!(listed[0].complaint.done.len(), 3);
    assert!(listed[0].complaint.done[2]
        .details
        .contains("每人每日不超过六单"));
    assert_eq!(
        step(
            &app,
            &zhao,
            &complaint_id,
            "customer_callback",
            "note=用户表示满意"
        )
        .await
        .0,
        StatusCode::OK
    );
    // All four done: it leaves the queue.
    assert!(queue(&app, &zhao).await.is_empty());
    assert_eq!(fixtures::count(store, "complaint_steps").await, 4);
}

/// 谁受理谁负责 by name: an unowned complaint is taken with a press, a named
/// owner's changes hands only with a reason and only to a dispatcher of its
/// region or an admin; each change is kept and audited, and the queue says
/// whose it is.
async fn a_complaint_is_taken_by_name_and_handed_on_with_a_reason(db: &TestDb) {
    let store = &db.store;
    let east = fixtures::region(store, "东区").await;
    let west = fixtures::region(store, "西区").await;
    fixtures::user(store, "dispatch.zhao", Role::Dispatcher, Some(&east)).await;
    let qian = fixtures::user(store, "dispatch.qian", Role::Dispatcher, Some(&east)).await;
    let sun = fixtures::user(store, "dispatch.sun", Role::Dispatcher, Some(&west)).await;
    let wang = fixtures::user(store, "tech.wang", Role::Technician, Some(&east)).await;
    let complaint = unowned_complaint(
        store,
        &east,
        ComplaintSource::SignOff,
        30,
        "安装后柜门关不严",
    )
    .await;
    let app = app_for(db);
    let zhao = log_in(&app, "dispatch.zhao").await;
    let sun_session = log_in(&app, "dispatch.sun").await;
    let complaint_id = complaint.id.to_string();
    let change = |session: &str, form: String| {
        call(
            "/api/complaints/owner",
            &format!("change_id={}&complaint_id={complaint_id}&{form}", id()),
            Some(session),
        )
    };

    // The region's dispatchers (and admins) may own it; the list says who.
    let owners = send(&app, call("/api/complaints/owners", "", Some(&zhao))).await;
    let owners: Vec<(String, String)> = serde_json::from_str(&owners.body).unwrap();
    let ids: Vec<&str> = owners.iter().map(|(id, _)| id.as_str()).collect();
    assert!(
        ids.contains(&qian.as_str())
            && !ids.contains(&sun.as_str())
            && !ids.contains(&wang.as_str())
    );
    // Unowned: taken with a press, no reason asked; the same change sent
    // again answers as the first, and changes nothing more.
    let take = id();
    let take_call = || {
        call(
            "/api/complaints/owner",
            &format!("change_id={take}&complaint_id={complaint_id}&to="),
            Some(&zhao),
        )
    };
    for _ in 0..2 {
        let taken = send(&app, take_call()).await;
        assert_eq!(taken.status, StatusCode::OK, "{}", taken.body);
        assert!(taken.body.contains("dispatch.zhao"), "{}", taken.body);
    }
    assert_eq!(fixtures::count(store, "complaint_owner_changes").await, 1);
    let listed = queue(&app, &zhao).await;
    assert!(listed[0].mine);
    assert!(listed[0]
        .complaint
        .owner_name
        .as_deref()
        .unwrap()
        .contains("dispatch.zhao"));
    // Taken again: already his.
    assert_eq!(
        send(&app, change(&zhao, "to=".into())).await.status,
        StatusCode::CONFLICT
    );
    // Handed on without a reason: refused, the reason named; to a technician
    // or another region's dispatcher: refused, the new owner named.
    let no_reason = send(&app, change(&zhao, format!("to={qian}"))).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.body.contains("reason"), "{}", no_reason.body);
    for nobody in [&wang, &sun] {
        let refused = send(&app, change(&zhao, format!("to={nobody}&reason=换人"))).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("\"to\""), "{}", refused.body);
    }
    // Another region's dispatcher may not touch it.
    let foreign = send(&app, change(&sun_session, "to=".into())).await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    // With a reason it changes hands; the queue shows the new owner.
    let handed = send(
        &app,
        change(&zhao, format!("to={qian}&reason=赵调度休假，转钱调度跟进")),
    )
    .await;
    assert_eq!(handed.status, StatusCode::OK, "{}", handed.body);
    let listed = queue(&app, &zhao).await;
    assert!(!listed[0].mine);
    assert_eq!(listed[0].complaint.owner_id.as_deref(), Some(qian.as_str()));
    // Two changes kept, with who had it and why; two audit lines.
    let kept: Vec<(Option<String>, Option<String>)> = sqlx::query(
        "SELECT from_id, reason FROM complaint_owner_changes WHERE complaint_id = $1 ORDER BY at_ms, id",
    )
    .bind(&complaint_id)
    .fetch_all(store.pool())
    .await
    .unwrap()
    .iter()
    .map(|row| {
        use sqlx::Row;
        (row.get("from_id"), row.get("reason"))
    })
    .collect();
    let mut kept = kept;
    // Unowned first.
    kept.sort_by_key(|(from, _)| from.is_some());
    assert_eq!(kept.len(), 2);
    assert_eq!(kept[0], (None, None));
    assert_eq!(kept[1].1.as_deref(), Some("赵调度休假，转钱调度跟进"));
    assert!(kept[1].0.is_some());
    assert_eq!(fixtures::count(store, "admin_audit").await, 2);
}

on_both_engines!(
    a_complaint_walks_its_four_steps_in_order,
    a_complaint_is_taken_by_name_and_handed_on_with_a_reason,
);
