//! Sessions and the plain HTTP surface, driven in-process through the
//! router: health, pages, login and logout, throttling, cross-site refusal.

use crate::common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::web::{
    app_for, call, get, log_in, login_call, seeded, send, session_token, Answer, HOST,
};
use common::TestDb;
use server::demo::DEMO_PASSWORD;

fn set_cookie_header(answer: &Answer) -> &str {
    answer
        .headers
        .get(header::SET_COOKIE)
        .expect("a Set-Cookie header")
        .to_str()
        .unwrap()
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

on_both_engines!(
    healthz_reports_a_working_database,
    without_a_session_today_redirects_to_login,
    login_sets_a_hardened_cookie_and_shows_the_technicians_day,
    server_functions_refuse_calls_without_a_session,
    wrong_passwords_are_refused_alike_and_then_throttled,
    bad_login_input_is_named,
    a_login_replaces_the_session_the_browser_came_with,
    logout_ends_the_session,
    a_deactivated_account_is_refused_at_once,
    cross_site_calls_are_refused_and_change_nothing,
    an_unknown_page_is_a_404,
    a_closed_database_makes_health_and_data_unavailable,
);
