//! Driving the router in-process, as a browser or the app would.

use app::auth::CookieSecurity;
use app::zone::ServiceZone;
use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use server::demo::DEMO_PASSWORD;
use server::http::client_address::ClientLimits;
use server::http::hardening::RequestLimits;
use server::http::{router, AppState};
use tower::ServiceExt;

use super::TestDb;

pub const HOST: &str = "doorstep.test";
pub const ORIGIN: &str = "http://doorstep.test";

pub fn app_for(db: &TestDb) -> axum::Router {
    app_with(db, CookieSecurity::default(), RequestLimits::default())
}

/// The router with other cookie settings or request limits.
pub fn app_with(
    db: &TestDb,
    cookie_security: CookieSecurity,
    limits: RequestLimits,
) -> axum::Router {
    app_serving(db, cookie_security, limits, "target/site")
}

/// The router with its static files taken from `site_root`.
pub fn app_serving(
    db: &TestDb,
    cookie_security: CookieSecurity,
    limits: RequestLimits,
    site_root: &str,
) -> axum::Router {
    app_on(&db.store, cookie_security, limits, site_root)
}

/// The router with these client limits (trusted proxies, shares).
pub fn app_with_clients(db: &TestDb, clients: ClientLimits) -> axum::Router {
    app_built(
        &db.store,
        CookieSecurity::default(),
        RequestLimits::default(),
        "target/site",
        clients,
    )
}

/// The router over a given store: a second server process on the same
/// database has a store (a pool) of its own.
pub fn app_on(
    store: &app::store::Store,
    cookie_security: CookieSecurity,
    limits: RequestLimits,
    site_root: &str,
) -> axum::Router {
    app_built(
        store,
        cookie_security,
        limits,
        site_root,
        ClientLimits::default(),
    )
}

fn app_built(
    store: &app::store::Store,
    cookie_security: CookieSecurity,
    limits: RequestLimits,
    site_root: &str,
    clients: ClientLimits,
) -> axum::Router {
    let leptos_options = LeptosOptions::builder()
        .output_name("doorstep")
        .site_root(site_root)
        .build();
    router(AppState {
        leptos_options,
        store: store.clone(),
        service_zone: ServiceZone::DEFAULT,
        cookie_security,
        limits,
        clients,
    })
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

pub async fn send(app: &axum::Router, request: Request<Body>) -> Answer {
    read(app.clone().oneshot(request).await.unwrap()).await
}

/// Sends a request that must succeed, and reads its JSON answer.
pub async fn ok_json<T: serde::de::DeserializeOwned>(
    app: &axum::Router,
    request: Request<Body>,
) -> T {
    let answer = send(app, request).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    serde_json::from_str(&answer.body).unwrap_or_else(|e| panic!("{e}: {}", answer.body))
}

/// Like `send`, but the body of a live event stream (which stays open while
/// the session lasts) is left unread, and the answer's body is empty.
pub async fn send_unless_stream(app: &axum::Router, request: Request<Body>) -> Answer {
    let response = app.clone().oneshot(request).await.unwrap();
    let is_stream = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/event-stream"));
    if is_stream {
        return Answer {
            status: response.status(),
            headers: response.headers().clone(),
            body: String::new(),
        };
    }
    read(response).await
}

async fn read(response: axum::response::Response) -> Answer {
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

fn server_call(
    path: &str,
    content_type: &str,
    body: String,
    session: Option<&str>,
) -> Request<Body> {
    let mut request = Request::post(path)
        .header(header::HOST, HOST)
        .header(header::ORIGIN, ORIGIN)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::ACCEPT, "application/json");
    if let Some(token) = session {
        request = request.header(header::COOKIE, format!("doorstep_session={token}"));
    }
    request.body(Body::from(body)).unwrap()
}

/// A server-function call as the browser makes it: POST, form-encoded, from
/// this site.
pub fn call(path: &str, form: &str, session: Option<&str>) -> Request<Body> {
    server_call(
        path,
        "application/x-www-form-urlencoded",
        form.to_string(),
        session,
    )
}

/// A page load as the browser makes it.
pub fn get(path: &str, session: Option<&str>) -> Request<Body> {
    let mut request = Request::get(path)
        .header(header::HOST, HOST)
        .header(header::ACCEPT, "text/html,application/xhtml+xml");
    if let Some(token) = session {
        request = request.header(header::COOKIE, format!("doorstep_session={token}"));
    }
    request.body(Body::empty()).unwrap()
}

/// The same with a JSON body, for the functions that take one.
pub fn json_call(path: &str, body: &serde_json::Value, session: Option<&str>) -> Request<Body> {
    server_call(path, "application/json", body.to_string(), session)
}

pub fn login_call(login: &str, password: &str, session: Option<&str>) -> Request<Body> {
    call(
        "/api/auth/login",
        &format!("login={login}&password={password}"),
        session,
    )
}

pub fn session_token(answer: &Answer) -> Option<String> {
    server::load::client::session_token(&answer.headers)
}

pub async fn log_in(app: &axum::Router, login: &str) -> String {
    let answer = send(app, login_call(login, DEMO_PASSWORD, None)).await;
    assert_eq!(answer.status, StatusCode::OK, "{login}: {}", answer.body);
    session_token(&answer).expect("login sets the session cookie")
}

/// A complete, valid intake for a new work order, with fresh ids; tests
/// spoil one field at a time.
pub fn intake(region_id: &str) -> serde_json::Value {
    let fresh = || uuid::Uuid::now_v7().to_string();
    serde_json::json!({
        "work_order_id": fresh(),
        "customer_id": fresh(),
        "appliance_id": fresh(),
        "customer_name": "吴桂英",
        "customer_phone": "139 2025 0001",
        "customer_address": "上海市浦东新区金桥路 100 弄 2 号 301 室",
        "brand": "海尔",
        "category": "washing_machine",
        "model": "EG100",
        "serial_number": "EG100-2301-00042",
        "purchase_date": "2023-01-15",
        "warranty_end": "2028-01-15",
        "reported_fault": "洗衣时底部漏水",
        "fault_category": "leak",
        "channel": "phone",
        "priority": "normal",
        "appointment_start": "2026-11-26T09:00",
        "appointment_end": "2026-11-26T11:00",
        "region_id": region_id,
    })
}

/// The date `days` from today in Shanghai, as the intake's appointment
/// fields take it: `2026-11-27`.
pub fn shanghai_date(days: i64) -> String {
    use app::domain::time::{local_date, Timestamp, UtcOffset};
    let at = Timestamp::from_unix_millis(Timestamp::now().unix_millis() + days * 86_400_000);
    let (year, month, day) = local_date(at, UtcOffset::CHINA);
    format!("{year}-{month:02}-{day:02}")
}

/// A complete sign-off as the customer gives it: a signature of two
/// strokes, all five ratings, every prohibition confirmed kept.
pub fn signature_json() -> serde_json::Value {
    serde_json::json!({
        "signer_name": "王秀英",
        "strokes": [[[10.0, 40.0], [60.5, 22.0], [120.0, 44.25]], [[130.0, 30.0], [170.0, 35.0]]],
        "customer_says_fixed": true,
        "skill": 5,
        "attitude": 5,
        "timeliness": 4,
        "parts_supply": 5,
        "overall": 5,
        "no_arguing": true,
        "no_eating_drinking_smoking": true,
        "no_gifts": true,
        "no_extra_charges": true,
        "arrival_confirmed": true,
        "comment": "师傅很专业",
    })
}

/// Percent-encodes every byte but the unreserved ones, for form bodies.
pub fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

/// The router over the demo data (no history).
pub async fn seeded(db: &TestDb) -> axum::Router {
    server::demo::seed_if_empty(&db.store, ServiceZone::DEFAULT, server::demo::History::None)
        .await
        .unwrap();
    app_for(db)
}

/// The id of the first visit on this session's list for today.
pub async fn first_visit_id_of(app: &axum::Router, token: &str) -> String {
    let answer = send(app, call("/api/today/list", "", Some(token))).await;
    let visits: Vec<serde_json::Value> = serde_json::from_str(&answer.body).unwrap();
    visits[0]["id"].as_str().unwrap().to_string()
}

/// A 422 whose answer names `field`, as the form shows it.
pub fn assert_refused_naming(answer: &Answer, field: &str) {
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

/// A step on a visit (`set_off`, `check_in`, ...) under this operation id.
pub fn visit_event(
    operation: &str,
    visit: &str,
    event: &str,
    session: Option<&str>,
) -> Request<Body> {
    call(
        "/api/visits/event",
        &format!("operation_id={operation}&visit_id={visit}&event={event}"),
        session,
    )
}

/// A checklist answer under a fresh operation id, without note or photo.
pub fn checklist_call(
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

/// The visit's outcome under a fresh operation id.
pub fn outcome_call(
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

/// A part used on the visit, with fresh operation and part ids.
pub fn part_call(
    visit: &str,
    code: &str,
    quantity: &str,
    price: &str,
    session: &str,
) -> Request<Body> {
    call(
        "/api/visits/part",
        &format!(
            "operation_id={}&visit_id={visit}&part_id={}&part_code={code}&part_name=门封圈&quantity={quantity}&unit_price_fen={price}&charge_reason={reason}",
            uuid::Uuid::now_v7(),
            uuid::Uuid::now_v7(),
            // Priced parts on the in-warranty demo appliance say why.
            reason = if price == "0" { "" } else { "not%20covered%20by%20the%20warranty" },
        ),
        Some(session),
    )
}

/// A fee charged on the visit, with fresh operation and charge ids.
pub fn fee_call(visit: &str, code: &str, quantity: &str, session: &str) -> Request<Body> {
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

/// A checklist item's photo, base64-encoded, under a fresh operation id.
pub fn photo_call(
    visit: &str,
    item: &str,
    photo_id: &str,
    data: &str,
    session: &str,
) -> Request<Body> {
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

/// A work order assigned to a technician, with the window when one is
/// given, and fresh operation and visit ids.
pub fn assign_call(
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
