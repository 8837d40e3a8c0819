//! The HTTP surface, driven in-process through the router: pages, login,
//! sessions, cross-site refusal and who may see what.

mod common;

use app::zone::ServiceZone;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::web::{
    app_for, call, intake, json_call, log_in, login_call, send, session_token, Answer, HOST,
};
use common::TestDb;
use server::demo::DEMO_PASSWORD;
use sqlx::Row;

/// A page load as the browser makes it.
fn get(path: &str, session: Option<&str>) -> Request<Body> {
    let mut request = Request::get(path)
        .header(header::HOST, HOST)
        .header(header::ACCEPT, "text/html,application/xhtml+xml");
    if let Some(token) = session {
        request = request.header(header::COOKIE, format!("doorstep_session={token}"));
    }
    request.body(Body::empty()).unwrap()
}

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
        (spoilt("customer_name", &"王".repeat(51)), "name"),
        (spoilt("customer_name", "  "), "name"),
        (spoilt("customer_phone", "12345"), "phone"),
        (spoilt("customer_phone", "138-1234-567x"), "phone"),
        (spoilt("customer_address", &"路".repeat(201)), "address"),
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
);
