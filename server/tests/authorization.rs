//! The authorization matrix: every server function the router serves, called
//! by nobody, two technicians, a dispatcher and an admin. A new server
//! function that is not in the matrix fails `every_server_function_is_in_the_matrix`.

mod common;

use app::auth::CookieSecurity;
use app::zone::ServiceZone;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::TestDb;
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use server::http::{router, AppState};
use tower::ServiceExt;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Caller {
    Nobody,
    TechWang,
    TechLi,
    Dispatcher,
    Admin,
}

impl Caller {
    fn login(self) -> Option<&'static str> {
        match self {
            Caller::Nobody => None,
            Caller::TechWang => Some("tech.wang"),
            Caller::TechLi => Some("tech.li"),
            Caller::Dispatcher => Some("dispatch.zhao"),
            Caller::Admin => Some("admin"),
        }
    }
}

/// Expected status per caller, in the order Nobody, TechWang, TechLi,
/// Dispatcher, Admin. The visit in each call is tech.wang's first visit.
const MATRIX: [(&str, [u16; 5]); 5] = [
    // Public: anyone may try to log in, log out, or ask who they are.
    ("/api/auth/who_am_i", [200, 200, 200, 200, 200]),
    ("/api/auth/login", [401, 401, 401, 401, 401]),
    ("/api/auth/logout", [200, 200, 200, 200, 200]),
    // Reading the day: any signed-in role (each sees its own scope).
    ("/api/today/list", [401, 200, 200, 200, 200]),
    // Changing a visit: only the technician it is assigned to.
    ("/api/visits/event", [401, 200, 403, 403, 403]),
];

const CALLERS: [Caller; 5] = [
    Caller::Nobody,
    Caller::TechLi,
    Caller::Dispatcher,
    Caller::Admin,
    // Last: the assigned technician's call is the one that changes the visit.
    Caller::TechWang,
];

fn column(caller: Caller) -> usize {
    match caller {
        Caller::Nobody => 0,
        Caller::TechWang => 1,
        Caller::TechLi => 2,
        Caller::Dispatcher => 3,
        Caller::Admin => 4,
    }
}

fn post(path: &str, form: String, session: Option<&str>) -> Request<Body> {
    let mut request = Request::post(path)
        .header(header::HOST, "doorstep.test")
        .header(header::ORIGIN, "http://doorstep.test")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json");
    if let Some(token) = session {
        request = request.header(header::COOKIE, format!("doorstep_session={token}"));
    }
    request.body(Body::from(form)).unwrap()
}

async fn send(
    app: &axum::Router,
    request: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let response = app.clone().oneshot(request).await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

async fn session_of(app: &axum::Router, caller: Caller) -> Option<String> {
    let login = caller.login()?;
    let form = format!("login={login}&password={}", server::demo::DEMO_PASSWORD);
    let (status, headers, body) = send(app, post("/api/auth/login", form, None)).await;
    assert_eq!(status, StatusCode::OK, "{login}: {body}");
    headers
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|c| c.strip_prefix("doorstep_session="))
        .and_then(|c| c.split(';').next())
        .map(str::to_string)
}

fn form_for(path: &str, visit_id: &str) -> String {
    match path {
        "/api/auth/login" => "login=tech.wang&password=wrong-password".into(),
        "/api/visits/event" => format!(
            "operation_id={}&visit_id={visit_id}&event=check_in",
            uuid::Uuid::now_v7()
        ),
        _ => String::new(),
    }
}

async fn every_role_gets_exactly_its_rights(db: &TestDb) {
    server::demo::seed_if_empty(&db.store, ServiceZone::DEFAULT)
        .await
        .unwrap();
    let app = router(AppState {
        leptos_options: LeptosOptions::builder().output_name("doorstep").build(),
        store: db.store.clone(),
        service_zone: ServiceZone::DEFAULT,
        cookie_security: CookieSecurity::default(),
    });
    let wang = session_of(&app, Caller::TechWang).await.unwrap();
    let (_, _, today) = send(&app, post("/api/today/list", String::new(), Some(&wang))).await;
    let visits: Vec<serde_json::Value> = serde_json::from_str(&today).unwrap();
    let visit_id = visits[0]["id"].as_str().unwrap().to_string();

    for (path, expected) in MATRIX {
        for caller in CALLERS {
            // A fresh session per call: logout in the matrix must not end the next one.
            let session = session_of(&app, caller).await;
            let status_before = db.store.visit_status(&visit_id).await.unwrap();
            let (status, _, body) = send(
                &app,
                post(path, form_for(path, &visit_id), session.as_deref()),
            )
            .await;
            assert_eq!(
                status.as_u16(),
                expected[column(caller)],
                "{path} as {caller:?}: {body}"
            );
            if !status.is_success() {
                assert_eq!(
                    db.store.visit_status(&visit_id).await.unwrap(),
                    status_before,
                    "{path} as {caller:?} was refused but changed the visit"
                );
            }
        }
    }
    assert_eq!(
        db.store.visit_status(&visit_id).await.unwrap(),
        Some(app::domain::visit::VisitStatus::Arrived),
        "only tech.wang's own check-in took effect"
    );
}

on_both_engines!(every_role_gets_exactly_its_rights);

#[test]
fn every_server_function_is_in_the_matrix() {
    let mut served: Vec<&str> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .collect();
    served.sort_unstable();
    let mut covered: Vec<&str> = MATRIX.iter().map(|(path, _)| *path).collect();
    covered.sort_unstable();
    assert_eq!(
        served, covered,
        "add each new server function to the matrix"
    );
}
