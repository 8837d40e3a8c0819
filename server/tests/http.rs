//! The HTTP surface, driven in-process through the router: pages, login,
//! sessions, cross-site refusal and who may see what.

use crate::common;

use app::zone::ServiceZone;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::web::{
    app_for, call, get, intake, json_call, log_in, login_call, send, session_token, Answer, HOST,
};
use common::TestDb;
use server::demo::DEMO_PASSWORD;
use sqlx::Row;
use tower::ServiceExt;

fn set_cookie_header(answer: &Answer) -> &str {
    answer
        .headers
        .get(header::SET_COOKIE)
        .expect("a Set-Cookie header")
        .to_str()
        .unwrap()
}

async fn seeded(db: &TestDb) -> axum::Router {
    server::demo::seed_if_empty(&db.store, ServiceZone::DEFAULT, server::demo::History::None)
        .await
        .unwrap();
    app_for(db)
}

async fn healthz_reports_a_working_database(db: &TestDb) {
    let answer = send(&app_for(db), get("/healthz", None)).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.body, r#"{"database":"ok","status":"ok"}"#);
}

async fn without_a_session_today_redirects_to_login(db: &TestDb) {
    let app = seeded(db).await;
    let answer = send(&app, get("/", None)).await;
    assert_eq!(answer.status, StatusCode::FOUND, "{}", answer.body);
    assert_eq!(answer.headers.get(header::LOCATION).unwrap(), "/login");
    let login_page = send(&app, get("/login", None)).await;
    assert_eq!(login_page.status, StatusCode::OK);
    assert!(login_page.body.contains(r#"<html lang="zh-CN""#));
    assert!(login_page
        .body
        .contains("autocomplete=\"current-password\""));
}

async fn login_sets_a_hardened_cookie_and_shows_the_technicians_day(db: &TestDb) {
    let app = seeded(db).await;
    let answer = send(&app, login_call("Tech.Wang", DEMO_PASSWORD, None)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let cookie = set_cookie_header(&answer);
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"),
        "{cookie}"
    );
    let user: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(user["login"], "tech.wang");
    assert_eq!(user["role"], "technician");
    assert!(!answer.body.contains("argon2"), "no hash leaves the server");
    let token = session_token(&answer).unwrap();

    let page = send(&app, get("/", Some(&token))).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("今日工单")
            && page.body.contains("王秀英")
            && page.body.contains("09:00–11:00")
    );
    assert!(page.body.contains("王师傅"));
    assert!(
        !page.body.contains("孙磊"),
        "another technician's customer leaked"
    );
    let english = Request::get("/")
        .header(header::HOST, HOST)
        .header(
            header::COOKIE,
            format!("doorstep_locale=en; doorstep_session={token}"),
        )
        .body(Body::empty())
        .unwrap();
    let page = send(&app, english).await;
    assert!(page.body.contains(r#"<html lang="en""#));
    assert!(page.body.contains("Today's visits") || page.body.contains("Today&#x27;s visits"));
}

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

async fn server_functions_refuse_calls_without_a_session(db: &TestDb) {
    let app = seeded(db).await;
    let answer = send(&app, call("/api/today/list", "", None)).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", answer.body);
    let forged = send(&app, call("/api/today/list", "", Some("0000"))).await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED, "a made-up token");
    let nobody = send(&app, call("/api/auth/who_am_i", "", Some("0000"))).await;
    assert_eq!(
        (nobody.status, nobody.body.as_str()),
        (StatusCode::OK, "null")
    );
}

async fn wrong_passwords_are_refused_alike_and_then_throttled(db: &TestDb) {
    let app = seeded(db).await;
    let wrong = send(&app, login_call("tech.wang", "guess", None)).await;
    let unknown = send(&app, login_call("nobody", "guess", None)).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        wrong.body, unknown.body,
        "an unknown login must look like a wrong password"
    );
    assert!(session_token(&wrong).is_none());
    for _ in 0..4 {
        send(&app, login_call("tech.wang", "guess", None)).await;
    }
    // Five failures: even the right password now waits.
    let locked = send(&app, login_call("tech.wang", DEMO_PASSWORD, None)).await;
    assert_eq!(
        locked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        locked.body
    );
    let retry_after: u32 = locked
        .headers
        .get(header::RETRY_AFTER)
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry_after), "{retry_after}");
    assert!(session_token(&locked).is_none());
    // Another account is not locked by tech.wang's failures.
    log_in(&app, "tech.li").await;
}

async fn bad_login_input_is_named(db: &TestDb) {
    let app = seeded(db).await;
    let answer = send(&app, login_call("a", "x", None)).await;
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        answer.body
    );
    assert!(answer.body.contains("\"login\""), "{}", answer.body);
    let long = "x".repeat(200);
    let answer = send(&app, login_call("tech.wang", &long, None)).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.body.contains("\"password\""), "{}", answer.body);
}

async fn a_login_replaces_the_session_the_browser_came_with(db: &TestDb) {
    let app = seeded(db).await;
    let first = log_in(&app, "tech.wang").await;
    let request = login_call("tech.wang", DEMO_PASSWORD, Some(&first));
    let second = session_token(&send(&app, request).await).unwrap();
    assert_ne!(first, second, "a fresh session id at every login");
    let old = send(&app, call("/api/auth/who_am_i", "", Some(&first))).await;
    assert_eq!(old.body, "null", "the old id is dead");
    let old = send(&app, call("/api/today/list", "", Some(&first))).await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    let new = send(&app, call("/api/auth/who_am_i", "", Some(&second))).await;
    assert_eq!(new.status, StatusCode::OK);
    assert!(new.body.contains("\"login\":\"tech.wang\""), "{}", new.body);
}

async fn logout_ends_the_session(db: &TestDb) {
    let app = seeded(db).await;
    let token = log_in(&app, "tech.wang").await;
    let answer = send(&app, call("/api/auth/logout", "", Some(&token))).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let cookie = set_cookie_header(&answer);
    assert!(cookie.contains("Max-Age=0"), "{cookie}");
    let after = send(&app, call("/api/today/list", "", Some(&token))).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
}

async fn a_deactivated_account_is_refused_at_once(db: &TestDb) {
    let app = seeded(db).await;
    let token = log_in(&app, "tech.wang").await;
    let login = app::domain::auth::LoginName::parse("tech.wang").unwrap();
    let user = db.store.user_by_login(&login).await.unwrap().unwrap();
    db.store.set_user_active(&user.id, false).await.unwrap();
    assert_eq!(db.store.count_sessions_of(&user.id).await.unwrap(), 0);
    let after = send(&app, call("/api/today/list", "", Some(&token))).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    let again = send(&app, login_call("tech.wang", DEMO_PASSWORD, None)).await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
}

async fn cross_site_calls_are_refused_and_change_nothing(db: &TestDb) {
    let app = seeded(db).await;
    let token = log_in(&app, "tech.wang").await;
    let mut forged = call("/api/auth/logout", "", Some(&token));
    forged
        .headers_mut()
        .insert(header::ORIGIN, "https://evil.example".parse().unwrap());
    let answer = send(&app, forged).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    let mut unlabelled = call("/api/auth/logout", "", Some(&token));
    unlabelled.headers_mut().remove(header::ORIGIN);
    assert_eq!(send(&app, unlabelled).await.status, StatusCode::FORBIDDEN);
    // The session survived both attempts.
    let still = send(&app, call("/api/today/list", "", Some(&token))).await;
    assert_eq!(still.status, StatusCode::OK);
}

async fn an_unknown_page_is_a_404(db: &TestDb) {
    let answer = send(&app_for(db), get("/no-such-page", None)).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert!(answer.body.contains("页面不存在"));
}

async fn a_closed_database_makes_health_and_data_unavailable(db: &TestDb) {
    let app = seeded(db).await;
    let token = log_in(&app, "tech.wang").await;
    db.store.pool().close().await;
    let answer = send(&app, get("/healthz", None)).await;
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        answer.body,
        r#"{"error":"database unavailable","status":"error"}"#
    );
    let answer = send(&app, call("/api/today/list", "", Some(&token))).await;
    assert_eq!(
        answer.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        answer.body
    );
    assert!(
        !answer.body.to_lowercase().contains("closed"),
        "internal detail leaked: {}",
        answer.body
    );
}

async fn first_visit_id_of(app: &axum::Router, token: &str) -> String {
    let answer = send(app, call("/api/today/list", "", Some(token))).await;
    let visits: Vec<serde_json::Value> = serde_json::from_str(&answer.body).unwrap();
    visits[0]["id"].as_str().unwrap().to_string()
}

fn visit_event(operation: &str, visit: &str, event: &str, session: Option<&str>) -> Request<Body> {
    call(
        "/api/visits/event",
        &format!("operation_id={operation}&visit_id={visit}&event={event}"),
        session,
    )
}

async fn a_technician_walks_a_visit_through_its_states_once_per_operation(db: &TestDb) {
    let app = seeded(db).await;
    let wang = log_in(&app, "tech.wang").await;
    let visit = first_visit_id_of(&app, &wang).await;
    let set_off = uuid::Uuid::now_v7().to_string();
    let answer = send(&app, visit_event(&set_off, &visit, "set_off", Some(&wang))).await;
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (StatusCode::OK, "\"on_the_way\"")
    );
    // The phone resends the same operation (lost answer): same reply, applied once.
    let again = send(&app, visit_event(&set_off, &visit, "set_off", Some(&wang))).await;
    assert_eq!(
        (again.status, again.body.as_str()),
        (StatusCode::OK, "\"on_the_way\"")
    );
    let check_in = uuid::Uuid::now_v7().to_string();
    let answer = send(
        &app,
        visit_event(&check_in, &visit, "check_in", Some(&wang)),
    )
    .await;
    assert_eq!(answer.body, "\"arrived\"");
    // A new operation that does not fit the state is refused, naming the step and why.
    let sign = uuid::Uuid::now_v7().to_string();
    let answer = send(&app, visit_event(&sign, &visit, "sign_off", Some(&wang))).await;
    assert_eq!(answer.status, StatusCode::CONFLICT, "{}", answer.body);
    assert!(
        answer
            .body
            .contains("cannot sign off a visit that is arrived"),
        "{}",
        answer.body
    );
    let status = db.store.visit_status(&visit).await.unwrap();
    assert_eq!(status, Some(app::domain::visit::VisitStatus::Arrived));
    let applied: i64 = sqlx::query("SELECT COUNT(*) AS n FROM applied_operations")
        .fetch_one(db.store.pool())
        .await
        .unwrap()
        .get("n");
    assert_eq!(applied, 2);
}

async fn only_the_assigned_technician_may_change_a_visit(db: &TestDb) {
    let app = seeded(db).await;
    let wang = log_in(&app, "tech.wang").await;
    let li = log_in(&app, "tech.li").await;
    let zhao = log_in(&app, "dispatch.zhao").await;
    let visit = first_visit_id_of(&app, &wang).await;
    let operation = || uuid::Uuid::now_v7().to_string();
    for (who, session, expected) in [
        (
            "another technician",
            Some(li.as_str()),
            StatusCode::FORBIDDEN,
        ),
        ("a dispatcher", Some(zhao.as_str()), StatusCode::FORBIDDEN),
        ("nobody", None, StatusCode::UNAUTHORIZED),
    ] {
        let answer = send(&app, visit_event(&operation(), &visit, "check_in", session)).await;
        assert_eq!(answer.status, expected, "{who}: {}", answer.body);
    }
    assert_eq!(
        db.store.visit_status(&visit).await.unwrap(),
        Some(app::domain::visit::VisitStatus::Dispatched),
        "nothing changed"
    );
}

async fn bad_visit_event_input_is_named(db: &TestDb) {
    let app = seeded(db).await;
    let wang = log_in(&app, "tech.wang").await;
    let visit = first_visit_id_of(&app, &wang).await;
    let op = uuid::Uuid::now_v7().to_string();
    let answer = send(
        &app,
        visit_event("not-a-uuid", &visit, "check_in", Some(&wang)),
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.body.contains("operation_id"), "{}", answer.body);
    let answer = send(&app, visit_event(&op, "123", "check_in", Some(&wang))).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.body.contains("visit_id"), "{}", answer.body);
    let unknown = uuid::Uuid::now_v7().to_string();
    let answer = send(&app, visit_event(&op, &unknown, "check_in", Some(&wang))).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    let answer = send(&app, visit_event(&op, &visit, "teleport", Some(&wang))).await;
    assert!(
        answer.status.is_client_error(),
        "{}: {}",
        answer.status,
        answer.body
    );
    assert_eq!(
        db.store.visit_status(&visit).await.unwrap(),
        Some(app::domain::visit::VisitStatus::Dispatched)
    );
}

async fn the_visit_record_comes_whole_and_bad_ids_are_named(db: &TestDb) {
    let app = seeded(db).await;
    let wang = log_in(&app, "tech.wang").await;
    let visit = first_visit_id_of(&app, &wang).await;
    let answer = send(
        &app,
        call(
            "/api/visits/record",
            &format!("visit_id={visit}"),
            Some(&wang),
        ),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let record: app::domain::record::VisitRecord = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(record.visit.id.as_str(), visit);
    assert_eq!(record.customer.name.as_str(), "王秀英");
    assert_eq!(record.appliance.model.as_str(), "EG100");
    assert_eq!(record.checklist, app::domain::checklist::default_template());
    assert_eq!(record.technician_name.as_deref(), Some("王师傅"));
    assert!(record.answers.is_empty() && record.sign_off.is_none());

    let answer = send(&app, call("/api/visits/record", "visit_id=42", Some(&wang))).await;
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        answer.body
    );
    assert!(answer.body.contains("visit_id"), "{}", answer.body);
    let unknown = uuid::Uuid::now_v7();
    let answer = send(
        &app,
        call(
            "/api/visits/record",
            &format!("visit_id={unknown}"),
            Some(&wang),
        ),
    )
    .await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND, "{}", answer.body);
}

/// A 422 whose answer names `field`, as the form shows it.
fn assert_refused_naming(answer: &Answer, field: &str) {
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{field}: {}",
        answer.body
    );
    assert!(
        answer.body.contains(&format!("\"field\":\"{field}\"")),
        "{field} not named: {}",
        answer.body
    );
}

async fn record_of(db: &TestDb, visit: &str) -> app::domain::record::VisitRecord {
    let id = app::domain::ids::RecordId::parse("id", visit).unwrap();
    db.store
        .visit_record(&id)
        .await
        .unwrap()
        .expect("the visit exists")
}

fn checklist_call(
    visit: &str,
    item: &str,
    answer: &str,
    reason: &str,
    session: &str,
) -> Request<Body> {
    call(
        "/api/visits/checklist",
        &format!(
            "operation_id={}&visit_id={visit}&item_key={item}&answer={answer}&note=&photo_id=&reason={reason}",
            uuid::Uuid::now_v7()
        ),
        Some(session),
    )
}

fn outcome_call(
    visit: &str,
    outcome: &str,
    reason: &str,
    detail: &str,
    session: &str,
) -> Request<Body> {
    call(
        "/api/visits/outcome",
        &format!(
            "operation_id={}&visit_id={visit}&outcome={outcome}&reason={reason}&detail={detail}",
            uuid::Uuid::now_v7()
        ),
        Some(session),
    )
}

fn part_call(visit: &str, code: &str, quantity: &str, price: &str, session: &str) -> Request<Body> {
    call(
        "/api/visits/part",
        &format!(
            "operation_id={}&visit_id={visit}&part_id={}&part_code={code}&part_name=门封圈&quantity={quantity}&unit_price_fen={price}",
            uuid::Uuid::now_v7(),
            uuid::Uuid::now_v7()
        ),
        Some(session),
    )
}

fn fee_call(visit: &str, code: &str, quantity: &str, session: &str) -> Request<Body> {
    call(
        "/api/visits/fee",
        &format!(
            "operation_id={}&visit_id={visit}&charge_id={}&fee_code={code}&quantity={quantity}",
            uuid::Uuid::now_v7(),
            uuid::Uuid::now_v7()
        ),
        Some(session),
    )
}

async fn finishing_needs_every_required_item_and_an_outcome(db: &TestDb) {
    let app = seeded(db).await;
    let wang = log_in(&app, "tech.wang").await;
    let visit = first_visit_id_of(&app, &wang).await;
    let step = |event: &'static str| {
        visit_event(
            &uuid::Uuid::now_v7().to_string(),
            &visit,
            event,
            Some(&wang),
        )
    };
    for (event, status) in [
        ("check_in", "\"arrived\""),
        ("start_work", "\"work_started\""),
    ] {
        let answer = send(&app, step(event)).await;
        assert_eq!(answer.body, status);
    }
    let template = app::domain::checklist::default_template();
    for item in template
        .items
        .iter()
        .filter(|item| item.key != "three_cloths")
    {
        let answer = send(&app, checklist_call(&visit, &item.key, "done", "", &wang)).await;
        assert_eq!(
            answer.status,
            StatusCode::OK,
            "{}: {}",
            item.key,
            answer.body
        );
    }
    let refused = send(&app, step("finish_work")).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    let error: app::error::AppError = serde_json::from_str(&refused.body).unwrap();
    assert_eq!(
        error,
        app::error::AppError::NotReadyToFinish {
            missing_items: vec!["three_cloths".into()],
            outcome_missing: true,
        }
    );
    let answer = send(
        &app,
        checklist_call(
            &visit,
            "three_cloths",
            "not_applicable",
            "用户自备垫布",
            &wang,
        ),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let answer = send(&app, outcome_call(&visit, "fixed", "", "", &wang)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let finished = send(&app, step("finish_work")).await;
    assert_eq!(
        (finished.status, finished.body.as_str()),
        (StatusCode::OK, "\"work_finished\"")
    );

    let record = record_of(db, &visit).await;
    assert_eq!(record.ready_to_finish(), Ok(()));
    assert!(matches!(
        record.answer("three_cloths"),
        Some(app::domain::checklist::ItemAnswer::NotApplicable { reason, .. }) if reason.as_str() == "用户自备垫布"
    ));
    // Finished work is closed to more records.
    let late = send(&app, checklist_call(&visit, "greeting", "done", "", &wang)).await;
    assert_eq!(late.status, StatusCode::CONFLICT, "{}", late.body);

    // The customer signs: not without strokes, nor past the rating scale,
    // nor through the plain step.
    let sign = |sign_off: &serde_json::Value, operation: &str| {
        json_call(
            "/api/visits/sign_off",
            &serde_json::json!({ "operation_id": operation, "visit_id": visit, "sign_off": sign_off }),
            Some(&wang),
        )
    };
    let mut no_strokes = common::web::signature_json();
    no_strokes["strokes"] = serde_json::json!([[[5.0, 5.0]]]);
    let mut too_good = common::web::signature_json();
    too_good["overall"] = 6.into();
    let mut nameless = common::web::signature_json();
    nameless["signer_name"] = "".into();
    for (body, field) in [
        (no_strokes, "signature"),
        (too_good, "overall"),
        (nameless, "signer_name"),
    ] {
        let answer = send(&app, sign(&body, &uuid::Uuid::now_v7().to_string())).await;
        assert_refused_naming(&answer, field);
    }
    let plain = send(&app, step("sign_off")).await;
    assert_eq!(
        plain.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        plain.body
    );
    let operation = uuid::Uuid::now_v7().to_string();
    let signed = send(&app, sign(&common::web::signature_json(), &operation)).await;
    assert_eq!(
        (signed.status, signed.body.as_str()),
        (StatusCode::OK, "\"signed\"")
    );
    let again = send(&app, sign(&common::web::signature_json(), &operation)).await;
    assert_eq!(
        (again.status, again.body.as_str()),
        (StatusCode::OK, "\"signed\""),
        "a resend is harmless"
    );

    // The record is sealed, and the seal notices a later change.
    let record = record_of(db, &visit).await;
    assert_eq!(record.visit.status, app::domain::visit::VisitStatus::Signed);
    assert_eq!(
        record
            .sign_off
            .as_ref()
            .map(|s| s.signature.strokes().len()),
        Some(2)
    );
    let seal = record.seal.clone().expect("sealed");
    assert!(seal.intact && seal.sha256.len() == 64, "{seal:?}");
    assert_eq!(common::fixtures::count(&db.store, "sign_offs").await, 1);
    sqlx::query("UPDATE checklist_results SET note = 'edited' WHERE visit_id = $1 AND item_key = 'greeting'")
        .bind(&visit)
        .execute(db.store.pool())
        .await
        .unwrap();
    let tampered = record_of(db, &visit).await;
    assert_eq!(
        tampered.seal.map(|s| (s.sha256, s.intact)),
        Some((seal.sha256, false))
    );
}

async fn bad_work_record_input_is_named(db: &TestDb) {
    let app = seeded(db).await;
    let wang = log_in(&app, "tech.wang").await;
    let visit = first_visit_id_of(&app, &wang).await;
    let answer = send(
        &app,
        visit_event(
            &uuid::Uuid::now_v7().to_string(),
            &visit,
            "check_in",
            Some(&wang),
        ),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    let long_note = "记".repeat(2001);
    for (request, field) in [
        (
            checklist_call(&visit, "free_gift", "done", "", &wang),
            "item_key",
        ),
        (
            checklist_call(&visit, "greeting", "maybe", "", &wang),
            "answer",
        ),
        (
            checklist_call(&visit, "greeting", "not_applicable", "", &wang),
            "reason",
        ),
        (
            checklist_call(&visit, "greeting", "not_applicable", &long_note, &wang),
            "reason",
        ),
        (
            checklist_call("42", "greeting", "done", "", &wang),
            "visit_id",
        ),
        (outcome_call(&visit, "sort_of", "", "", &wang), "outcome"),
        (
            outcome_call(&visit, "not_fixed", "bad_luck", "", &wang),
            "reason",
        ),
        (
            outcome_call(&visit, "not_fixed", "other", "", &wang),
            "detail",
        ),
        (part_call(&visit, "WM-1", "0", "100", &wang), "quantity"),
        (part_call(&visit, "WM-1", "two", "100", &wang), "quantity"),
        (
            part_call(&visit, "WM-1", "1", "-5", &wang),
            "unit_price_fen",
        ),
        (part_call(&visit, "门封", "1", "100", &wang), "part_code"),
        (fee_call(&visit, "TIP", "1", &wang), "fee_code"),
        (fee_call(&visit, "VISIT", "100", &wang), "quantity"),
    ] {
        let answer = send(&app, request).await;
        assert_refused_naming(&answer, field);
    }
    let unknown = uuid::Uuid::now_v7().to_string();
    let answer = send(
        &app,
        checklist_call(&unknown, "greeting", "done", "", &wang),
    )
    .await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND, "{}", answer.body);
    let record = record_of(db, &visit).await;
    assert!(
        record.answers.is_empty()
            && record.visit.outcome.is_none()
            && record.parts.is_empty()
            && record.fees.is_empty(),
        "nothing written"
    );

    // A fee is charged at the schedule's amount; the part at the price given.
    let fee = send(&app, fee_call(&visit, "labor-std", "2", &wang)).await;
    assert_eq!(fee.status, StatusCode::OK, "{}", fee.body);
    let fee: app::domain::charges::FeeCharge = serde_json::from_str(&fee.body).unwrap();
    assert_eq!(
        (fee.code.as_str(), fee.total().fen()),
        ("LABOR-STD", 16_000)
    );
    let part = send(&app, part_call(&visit, "wm-belt-01", "1", "4500", &wang)).await;
    assert_eq!(part.status, StatusCode::OK, "{}", part.body);
    let record = record_of(db, &visit).await;
    assert_eq!(record.total().fen(), 16_000 + 4_500);
}

async fn intake_counts(db: &TestDb) -> [i64; 3] {
    let store = &db.store;
    [
        common::fixtures::count(store, "customers").await,
        common::fixtures::count(store, "appliances").await,
        common::fixtures::count(store, "work_orders").await,
    ]
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
        backwards.body.contains("ends before it starts"),
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
}

/// A 1×1 JPEG as a phone's canvas would make it (trimmed header and body;
/// the server checks the type by its first bytes, not by decoding).
const TINY_JPEG: &[u8] = &[
    0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01,
    0x00, 0x01, 0x00, 0x00, 0xFF, 0xD9,
];

fn photo_call(visit: &str, item: &str, photo_id: &str, data: &str, session: &str) -> Request<Body> {
    json_call(
        "/api/visits/photo",
        &serde_json::json!({
            "operation_id": uuid::Uuid::now_v7().to_string(),
            "visit_id": visit,
            "item_key": item,
            "photo_id": photo_id,
            "data_base64": data,
        }),
        Some(session),
    )
}

async fn photos_are_checked_kept_and_shown_only_to_readers_of_the_visit(db: &TestDb) {
    use base64::Engine;
    let app = seeded(db).await;
    let wang = log_in(&app, "tech.wang").await;
    let visit = first_visit_id_of(&app, &wang).await;
    let op = || uuid::Uuid::now_v7().to_string();
    let answer = send(&app, visit_event(&op(), &visit, "check_in", Some(&wang))).await;
    assert_eq!(answer.status, StatusCode::OK);
    let encode = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    let jpeg = encode(TINY_JPEG);
    for (request, field) in [
        (
            photo_call(&visit, "trial_run", &op(), "not base64!", &wang),
            "photo",
        ),
        (
            photo_call(&visit, "trial_run", &op(), &encode(b"GIF89a...."), &wang),
            "photo",
        ),
        (
            photo_call(
                &visit,
                "trial_run",
                &op(),
                &encode(b"<svg onload=alert(1)>"),
                &wang,
            ),
            "photo",
        ),
        (photo_call(&visit, "trial_run", &op(), "", &wang), "photo"),
        (
            photo_call(&visit, "trial_run", "photo-1", &jpeg, &wang),
            "photo_id",
        ),
        (
            photo_call(&visit, "free_gift", &op(), &jpeg, &wang),
            "item_key",
        ),
    ] {
        assert_refused_naming(&send(&app, request).await, field);
    }
    let oversized = encode(&[TINY_JPEG, &vec![0u8; app::domain::photo::MAX_PHOTO_BYTES]].concat());
    assert_refused_naming(
        &send(
            &app,
            photo_call(&visit, "trial_run", &op(), &oversized, &wang),
        )
        .await,
        "photo",
    );
    assert_eq!(
        common::fixtures::count(&db.store, "photos").await,
        0,
        "nothing kept"
    );
    assert!(record_of(db, &visit).await.answers.is_empty());

    let photo_id = op();
    let answer = send(
        &app,
        photo_call(&visit, "trial_run", &photo_id, &jpeg, &wang),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert!(matches!(
        record_of(db, &visit).await.answer("trial_run"),
        Some(app::domain::checklist::ItemAnswer::Done { photo: Some(p), .. }) if p.as_str() == photo_id
    ));

    let path = format!("/api/photos/{photo_id}");
    let shown = send(&app, get(&path, Some(&wang))).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert_eq!(shown.headers[header::CONTENT_TYPE], "image/jpeg");
    assert_eq!(shown.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(shown.body, String::from_utf8_lossy(TINY_JPEG));
    let dispatcher = log_in(&app, "dispatch.zhao").await;
    assert_eq!(
        send(&app, get(&path, Some(&dispatcher))).await.status,
        StatusCode::OK
    );
    let li = log_in(&app, "tech.li").await;
    assert_eq!(
        send(&app, get(&path, Some(&li))).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        send(&app, get(&path, None)).await.status,
        StatusCode::UNAUTHORIZED
    );
    let unknown = format!("/api/photos/{}", op());
    assert_eq!(
        send(&app, get(&unknown, Some(&wang))).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        send(&app, get("/api/photos/..%2Fetc", Some(&wang)))
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // Another technician cannot add one to wang's visit either.
    let answer = send(&app, photo_call(&visit, "trial_run", &op(), &jpeg, &li)).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.body);
}

async fn check_in_takes_the_device_clock_and_a_whole_position(db: &TestDb) {
    let app = seeded(db).await;
    let wang = log_in(&app, "tech.wang").await;
    let visit = first_visit_id_of(&app, &wang).await;
    let check_in = |extra: &str| {
        call(
            "/api/visits/event",
            &format!(
                "operation_id={}&visit_id={visit}&event=check_in{extra}",
                uuid::Uuid::now_v7()
            ),
            Some(&wang),
        )
    };
    for (extra, field) in [
        ("&latitude=31.2&longitude=121.5", "latitude"),
        ("&latitude=91&longitude=121.5&accuracy_m=10", "latitude"),
        ("&latitude=31.2&longitude=east&accuracy_m=10", "longitude"),
        ("&latitude=31.2&longitude=121.5&accuracy_m=-1", "accuracy_m"),
        ("&device_time_ms=yesterday", "device_time_ms"),
    ] {
        assert_refused_naming(&send(&app, check_in(extra)).await, field);
    }
    assert_eq!(
        record_of(db, &visit).await.visit.times.arrived,
        None,
        "nothing written"
    );
    let device_ms = 1_790_000_000_000i64;
    let answer = send(
        &app,
        check_in(&format!(
            "&device_time_ms={device_ms}&latitude=31.2204&longitude=121.5447&accuracy_m=12"
        )),
    )
    .await;
    assert_eq!(answer.body, "\"arrived\"");
    let row = sqlx::query(
        "SELECT arrived_device_at_ms, arrived_latitude, arrived_longitude FROM visits WHERE id = $1",
    )
    .bind(&visit)
    .fetch_one(db.store.pool())
    .await
    .unwrap();
    assert_eq!(row.get::<i64, _>("arrived_device_at_ms"), device_ms);
    assert_eq!(row.get::<f64, _>("arrived_latitude"), 31.2204);
    assert_eq!(row.get::<f64, _>("arrived_longitude"), 121.5447);
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

async fn insights_and_sign_off_complaints_name_bad_input(db: &TestDb) {
    let app = seeded(db).await;
    let wang = log_in(&app, "tech.wang").await;
    let visit = first_visit_id_of(&app, &wang).await;
    let insight = |category: &str, note: &str| {
        call(
            "/api/visits/insight",
            &format!(
                "operation_id={}&visit_id={visit}&insight_id={}&category={category}&note={note}",
                uuid::Uuid::now_v7(),
                uuid::Uuid::now_v7()
            ),
            Some(&wang),
        )
    };
    let complaint = |description: &str| {
        call(
            "/api/visits/complaint",
            &format!(
                "operation_id={}&visit_id={visit}&complaint_id={}&description={description}",
                uuid::Uuid::now_v7(),
                uuid::Uuid::now_v7()
            ),
            Some(&wang),
        )
    };
    assert_refused_naming(&send(&app, insight("gossip", "门封老化")).await, "category");
    assert_refused_naming(&send(&app, insight("product_defect", "")).await, "note");
    assert_refused_naming(&send(&app, complaint("")).await, "description");
    let early = send(&app, complaint("不满意")).await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.body);
    assert_eq!(
        common::fixtures::count(&db.store, "field_insights").await,
        0
    );
    assert_eq!(db.store.count_complaints().await.unwrap(), 0);
    let answer = send(&app, insight("user_suggestion", "希望增加童锁提示")).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let history = send(
        &app,
        call(
            "/api/visits/history",
            &format!("visit_id={visit}"),
            Some(&wang),
        ),
    )
    .await;
    let history: app::serverfns::visits::VisitHistory =
        serde_json::from_str(&history.body).unwrap();
    assert_eq!(history.insights.len(), 1);
    assert_eq!(history.insights[0].note.as_str(), "希望增加童锁提示");
    assert!(!history.fee_schedule.items.is_empty());
    let li = log_in(&app, "tech.li").await;
    let refused = send(
        &app,
        call(
            "/api/visits/history",
            &format!("visit_id={visit}"),
            Some(&li),
        ),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

fn assign_call(
    order: &str,
    technician: &str,
    window: Option<(&str, &str)>,
    session: &str,
) -> Request<Body> {
    let window = window.map_or_else(String::new, |(start, end)| {
        format!("&window_start={start}&window_end={end}")
    });
    call(
        "/api/desk/assign",
        &format!(
            "operation_id={}&work_order_id={order}&technician_id={technician}&visit_id={}{window}",
            uuid::Uuid::now_v7(),
            uuid::Uuid::now_v7()
        ),
        Some(session),
    )
}

async fn the_desk_takes_an_order_assigns_it_and_tells_the_board(db: &TestDb) {
    use app::serverfns::desk::Board;
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
    let error: app::error::AppError = serde_json::from_str(&refused.body).unwrap();
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
    let assigned = send(&app, assign_call(&order, &wang, None, &dispatcher)).await;
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

async fn a_customer_on_file_is_found_reused_and_shown_whole(db: &TestDb) {
    use app::serverfns::customers::{CustomerFile, CustomerMatch};
    let app = seeded(db).await;
    let dispatcher = log_in(&app, "dispatch.zhao").await;
    let find = |query: &str| {
        let (app, dispatcher) = (app.clone(), dispatcher.clone());
        let query = query.to_string();
        async move {
            let answer = send(
                &app,
                call(
                    "/api/customers/find",
                    &format!("query={query}"),
                    Some(&dispatcher),
                ),
            )
            .await;
            assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
            serde_json::from_str::<Vec<CustomerMatch>>(&answer.body).unwrap()
        }
    };
    let by_name = find("王秀英").await;
    assert_eq!(by_name.len(), 1);
    let wang = &by_name[0];
    assert!(!wang.appliances.is_empty());
    let digits: String = wang
        .customer
        .phone
        .as_str()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let by_phone = find(&digits[digits.len() - 6..]).await;
    assert!(
        by_phone.iter().any(|m| m.customer.id == wang.customer.id),
        "found by the phone's last digits"
    );
    assert!(find("%").await.is_empty(), "a wildcard is only a character");
    assert!(
        find("12").await.is_empty(),
        "too few digits and no such name"
    );
    assert_refused_naming(
        &send(
            &app,
            call(
                "/api/customers/find",
                &format!("query={}", "王".repeat(51)),
                Some(&dispatcher),
            ),
        )
        .await,
        "query",
    );

    // A new order for the customer and appliance on file writes neither again.
    let before = intake_counts(db).await;
    let region = db
        .store
        .visit_place(&first_visit_id_of(&app, &log_in(&app, "tech.wang").await).await)
        .await
        .unwrap()
        .unwrap()
        .region_id;
    let mut intake = common::web::intake(&region);
    intake["existing_customer"] = true.into();
    intake["existing_appliance"] = true.into();
    intake["customer_id"] = wang.customer.id.to_string().into();
    intake["appliance_id"] = wang.appliances[0].appliance.id.to_string().into();
    intake["customer_name"] = "".into();
    let create = |body: &serde_json::Value| {
        json_call(
            "/api/work_orders/create",
            &serde_json::json!({ "intake": body }),
            Some(&dispatcher),
        )
    };
    let taken = send(&app, create(&intake)).await;
    assert_eq!(taken.status, StatusCode::OK, "{}", taken.body);
    assert_eq!(
        intake_counts(db).await,
        [before[0], before[1], before[2] + 1]
    );
    let other = find("李建国")
        .await
        .into_iter()
        .next()
        .expect("李建国 is on file");
    assert_ne!(other.customer.id, wang.customer.id);
    let mut foreign = intake.clone();
    foreign["work_order_id"] = uuid::Uuid::now_v7().to_string().into();
    foreign["appliance_id"] = other.appliances[0].appliance.id.to_string().into();
    assert_refused_naming(&send(&app, create(&foreign)).await, "appliance_id");
    let mut unknown = intake.clone();
    unknown["work_order_id"] = uuid::Uuid::now_v7().to_string().into();
    unknown["customer_id"] = uuid::Uuid::now_v7().to_string().into();
    assert_refused_naming(&send(&app, create(&unknown)).await, "customer_id");
    assert_eq!(
        intake_counts(db).await,
        [before[0], before[1], before[2] + 1],
        "nothing more written"
    );

    // The customer's file: appliances, visits, ratings, complaints.
    let answer = send(
        &app,
        call(
            "/api/customers/file",
            &format!("customer_id={}", wang.customer.id),
            Some(&dispatcher),
        ),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let file: CustomerFile = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(file.customer.id, wang.customer.id);
    assert_eq!(file.appliances.len(), wang.appliances.len());
    assert!(!file.visits.is_empty(), "today's visit at least");
    let page = send(
        &app,
        get(
            &format!("/customers/{}", wang.customer.id),
            Some(&dispatcher),
        ),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("用户档案"), "rendered on the server");
}

on_both_engines!(
    healthz_reports_a_working_database,
    without_a_session_today_redirects_to_login,
    login_sets_a_hardened_cookie_and_shows_the_technicians_day,
    each_role_sees_its_own_visits,
    server_functions_refuse_calls_without_a_session,
    wrong_passwords_are_refused_alike_and_then_throttled,
    bad_login_input_is_named,
    a_login_replaces_the_session_the_browser_came_with,
    logout_ends_the_session,
    a_deactivated_account_is_refused_at_once,
    cross_site_calls_are_refused_and_change_nothing,
    an_unknown_page_is_a_404,
    a_closed_database_makes_health_and_data_unavailable,
    a_technician_walks_a_visit_through_its_states_once_per_operation,
    only_the_assigned_technician_may_change_a_visit,
    bad_visit_event_input_is_named,
    the_visit_record_comes_whole_and_bad_ids_are_named,
    a_work_order_is_taken_whole_or_not_at_all,
    finishing_needs_every_required_item_and_an_outcome,
    bad_work_record_input_is_named,
    photos_are_checked_kept_and_shown_only_to_readers_of_the_visit,
    check_in_takes_the_device_clock_and_a_whole_position,
    today_flags_visits_whose_window_is_running_out,
    insights_and_sign_off_complaints_name_bad_input,
    the_desk_takes_an_order_assigns_it_and_tells_the_board,
    a_customer_on_file_is_found_reused_and_shown_whole,
);
