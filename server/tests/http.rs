//! The HTTP surface, driven in-process through the router.

mod common;

use app::zone::ServiceZone;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::TestDb;
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use server::http::{router, AppState};
use tower::ServiceExt;

fn app_for(db: &TestDb) -> axum::Router {
    let leptos_options = LeptosOptions::builder()
        .output_name("doorstep")
        .site_root("target/site")
        .build();
    router(AppState {
        leptos_options,
        store: db.store.clone(),
        service_zone: ServiceZone::DEFAULT,
    })
}

async fn send(app: axum::Router, request: Request<Body>) -> (StatusCode, String) {
    let response = app.oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

fn get(path: &str) -> Request<Body> {
    Request::get(path).body(Body::empty()).unwrap()
}

async fn healthz_reports_a_working_database(db: &TestDb) {
    let (status, body) = send(app_for(db), get("/healthz")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, r#"{"database":"ok","status":"ok"}"#);
}

async fn today_page_is_rendered_on_the_server_in_chinese(db: &TestDb) {
    server::demo::seed_if_empty(&db.store, ServiceZone::DEFAULT)
        .await
        .unwrap();
    let (status, html) = send(app_for(db), get("/")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"<html lang="zh-CN""#), "{html}");
    assert!(html.contains("今日工单"));
    assert!(html.contains("王秀英"));
    assert!(html.contains("09:00–11:00"));
    assert!(
        html.contains("/pkg/doorstep.wasm") || html.contains("doorstep_bg.wasm"),
        "{html}"
    );
}

async fn the_locale_cookie_renders_english(db: &TestDb) {
    let request = Request::get("/")
        .header(header::COOKIE, "other=1; doorstep_locale=en")
        .body(Body::empty())
        .unwrap();
    let (status, html) = send(app_for(db), request).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"<html lang="en""#), "{html}");
    assert!(html.contains("Today's visits") || html.contains("Today&#x27;s visits"));
    assert!(html.contains("No visits are scheduled for today."));
    assert!(!html.contains("今日工单"));
}

async fn the_today_server_function_answers_json(db: &TestDb) {
    server::demo::seed_if_empty(&db.store, ServiceZone::DEFAULT)
        .await
        .unwrap();
    let request = Request::post("/api/today/list")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .body(Body::empty())
        .unwrap();
    let (status, body) = send(app_for(db), request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let visits: Vec<serde_json::Value> = serde_json::from_str(&body).unwrap();
    assert_eq!(visits.len(), 6);
    assert_eq!(visits[0]["customer_name"], "王秀英");
    assert_eq!(visits[0]["utc_offset"], 480);
}

async fn an_unknown_page_is_a_404(db: &TestDb) {
    let (status, html) = send(app_for(db), get("/no-such-page")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("页面不存在"));
}

async fn a_closed_database_makes_health_and_data_unavailable(db: &TestDb) {
    let app = app_for(db);
    db.store.pool().close().await;
    let (status, body) = send(app.clone(), get("/healthz")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body, r#"{"error":"database unavailable","status":"error"}"#);
    let request = Request::post("/api/today/list")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::empty())
        .unwrap();
    let (status, body) = send(app, request).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(!body.contains("closed"), "internal detail leaked: {body}");
}

on_both_engines!(
    healthz_reports_a_working_database,
    today_page_is_rendered_on_the_server_in_chinese,
    the_locale_cookie_renders_english,
    the_today_server_function_answers_json,
    an_unknown_page_is_a_404,
    a_closed_database_makes_health_and_data_unavailable,
);
