//! The authorization matrix: every server function the router serves, called
//! by nobody, two technicians, a dispatcher of the visit's region, a
//! dispatcher of another region and an admin. A refused call changes
//! nothing. A new server function that is not in the matrix fails
//! `every_server_function_is_in_the_matrix`.

use crate::common;

use app::domain::auth::Role;
use app::domain::visit::VisitStatus;
use app::zone::ServiceZone;
use axum::body::Body;
use axum::http::Request;
use common::fixtures;
use common::web::{app_for, call, intake, json_call, log_in, send};
use common::TestDb;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Caller {
    Nobody,
    TechWang,
    TechLi,
    Dispatcher,
    OtherRegionDispatcher,
    Admin,
}

impl Caller {
    fn login(self) -> Option<&'static str> {
        match self {
            Caller::Nobody => None,
            Caller::TechWang => Some("tech.wang"),
            Caller::TechLi => Some("tech.li"),
            Caller::Dispatcher => Some("dispatch.zhao"),
            Caller::OtherRegionDispatcher => Some("dispatch.sun"),
            Caller::Admin => Some("admin"),
        }
    }

    fn column(self) -> usize {
        self as usize
    }
}

/// Expected status per caller, in the order Nobody, TechWang, TechLi,
/// Dispatcher, OtherRegionDispatcher, Admin. The visit in each call is
/// tech.wang's first visit; the work order is for the demo region.
const MATRIX: [(&str, [u16; 6]); 46] = [
    // Public: anyone may try to log in, log out, or ask who they are.
    ("/api/auth/who_am_i", [200, 200, 200, 200, 200, 200]),
    ("/api/auth/login", [401, 401, 401, 401, 401, 401]),
    ("/api/auth/logout", [200, 200, 200, 200, 200, 200]),
    // Setting a password with a one-time code: anyone may try; a wrong code
    // is named (422).
    ("/api/auth/set_password", [422, 422, 422, 422, 422, 422]),
    // Reading the day: any signed-in role (each sees its own scope, below).
    ("/api/today/list", [401, 200, 200, 200, 200, 200]),
    // Reading a visit's record: its technician, its region's dispatchers, admins.
    ("/api/visits/record", [401, 200, 403, 200, 403, 200]),
    ("/api/visits/history", [401, 200, 403, 200, 403, 200]),
    // The desk: the region's dispatchers and admins
    // (the board names the region). Reassigning tech.wang's visit to tech.wang,
    // before he checks in below: the region's dispatcher and admins only.
    ("/api/desk/board", [401, 403, 403, 200, 403, 200]),
    ("/api/desk/assign", [401, 403, 403, 200, 403, 200]),
    // Customers: dispatchers and admins; another region's dispatcher finds
    // none of this region's customers (checked below) and may not open one.
    ("/api/customers/find", [401, 403, 403, 200, 200, 200]),
    ("/api/customers/file", [401, 403, 403, 200, 403, 200]),
    // The dashboard: dispatchers (held to their own region, whatever the
    // query names) and admins.
    ("/api/dashboard/get", [401, 403, 403, 200, 200, 200]),
    // Changing a visit: only the technician it is assigned to.
    ("/api/visits/event", [401, 200, 403, 403, 403, 403]),
    // Recording the work at the home (after tech.wang's check-in above).
    ("/api/visits/checklist", [401, 200, 403, 403, 403, 403]),
    ("/api/visits/outcome", [401, 200, 403, 403, 403, 403]),
    ("/api/visits/part", [401, 200, 403, 403, 403, 403]),
    ("/api/visits/fee", [401, 200, 403, 403, 403, 403]),
    ("/api/visits/photo", [401, 200, 403, 403, 403, 403]),
    ("/api/visits/insight", [401, 200, 403, 403, 403, 403]),
    // The customer complains at sign-off: tech.wang's phone is let through
    // and meets the visit's state (not finished yet).
    ("/api/visits/complaint", [401, 409, 403, 403, 403, 403]),
    // Signing: tech.wang passes the checks and meets the state machine (the
    // work is not finished), everyone else is stopped before it.
    ("/api/visits/sign_off", [401, 409, 403, 403, 403, 403]),
    // The phone's sync: its kit and photo pieces for technicians only; an
    // operation only from the visit's technician (tech.li never had it, so
    // nothing is held for him); the sync log for whoever reads the visit.
    ("/api/sync/kit", [401, 200, 200, 403, 403, 403]),
    ("/api/sync/photo_piece", [401, 200, 200, 403, 403, 403]),
    ("/api/sync/apply", [401, 200, 403, 403, 403, 403]),
    ("/api/sync/log", [401, 200, 403, 200, 403, 200]),
    // Following complaints up: dispatchers (their region's queue) and admins
    // (every region's); a step on a complaint that does not exist is 404
    // once the role passes.
    ("/api/complaints/queue", [401, 403, 403, 200, 200, 200]),
    ("/api/complaints/step", [401, 403, 403, 404, 404, 404]),
    // Taking a complaint by phone about a work order: its region's
    // dispatchers and admins, who then own it.
    ("/api/complaints/take", [401, 403, 403, 200, 403, 200]),
    // The calls after service: the same people; answering a call that does
    // not exist is 404 once the role passes.
    ("/api/callbacks/queue", [401, 403, 403, 200, 200, 200]),
    ("/api/callbacks/record", [401, 403, 403, 404, 404, 404]),
    // The sampling rates: read on the queue page (a dispatcher gets none),
    // changed by admins only.
    ("/api/callbacks/sampling", [401, 403, 403, 200, 200, 200]),
    (
        "/api/callbacks/set_sampling",
        [401, 403, 403, 403, 403, 200],
    ),
    // Taking a work order for a region: its dispatchers and admins.
    ("/api/work_orders/create", [401, 403, 403, 200, 403, 200]),
    // The admin desk: admins only. Editing, switching off or issuing a code
    // for an account that does not exist is 404 once the role passes.
    ("/api/admin/people", [401, 403, 403, 403, 403, 200]),
    ("/api/admin/audit", [401, 403, 403, 403, 403, 200]),
    ("/api/admin/create_person", [401, 403, 403, 403, 403, 200]),
    ("/api/admin/edit_person", [401, 403, 403, 403, 403, 404]),
    ("/api/admin/set_active", [401, 403, 403, 403, 403, 404]),
    ("/api/admin/issue_code", [401, 403, 403, 403, 403, 404]),
    // The checklist: an empty list is refused (422) once the role passes.
    ("/api/admin/checklist", [401, 403, 403, 403, 403, 200]),
    (
        "/api/admin/publish_checklist",
        [401, 403, 403, 403, 403, 422],
    ),
    // The fee schedule: a category that does not exist is refused (422).
    ("/api/admin/fees", [401, 403, 403, 403, 403, 200]),
    ("/api/admin/publish_fees", [401, 403, 403, 403, 403, 422]),
    // Regions and service points: a name left empty is refused (422).
    ("/api/admin/places", [401, 403, 403, 403, 403, 200]),
    ("/api/admin/save_region", [401, 403, 403, 403, 403, 422]),
    (
        "/api/admin/save_service_point",
        [401, 403, 403, 403, 403, 422],
    ),
];

const CALLERS: [Caller; 6] = [
    Caller::Nobody,
    Caller::TechLi,
    Caller::Dispatcher,
    Caller::OtherRegionDispatcher,
    Caller::Admin,
    // Last: the assigned technician's call is the one that changes the visit.
    Caller::TechWang,
];

fn request_for(
    path: &str,
    (visit_id, work_order_id, technician_id, customer_id): (&str, &str, &str, &str),
    region_id: &str,
    session: Option<&str>,
) -> Request<Body> {
    match path {
        "/api/desk/board" => call(path, &format!("region_id={region_id}"), session),
        // The first demo customer, 王秀英, by name.
        "/api/customers/find" => call(path, "query=王秀英", session),
        "/api/customers/file" => call(path, &format!("customer_id={customer_id}"), session),
        "/api/dashboard/get" => call(
            path,
            &format!(
                "query[period]=month&query[date]=&query[to]=&query[region]={region_id}&query[technician]="
            ),
            session,
        ),
        "/api/desk/assign" => call(
            path,
            &format!(
                "operation_id={}&work_order_id={work_order_id}&technician_id={technician_id}&visit_id={}",
                uuid::Uuid::now_v7(),
                uuid::Uuid::now_v7()
            ),
            session,
        ),
        "/api/work_orders/create" => json_call(
            path,
            &serde_json::json!({ "intake": intake(region_id) }),
            session,
        ),
        // A different unknown account each time, so the matrix's own
        // failures never reach the per-account throttle.
        "/api/auth/login" => call(
            path,
            &format!(
                "login=ghost-{}&password=wrong-password",
                &uuid::Uuid::now_v7().simple().to_string()[24..]
            ),
            session,
        ),
        "/api/visits/event" => call(
            path,
            &format!(
                "operation_id={}&visit_id={visit_id}&event=check_in",
                uuid::Uuid::now_v7()
            ),
            session,
        ),
        "/api/auth/set_password" => call(
            path,
            &format!(
                "login=ghost-{}&code=ABCD-EFGH-JKMN&password=a-long-new-password",
                &uuid::Uuid::now_v7().simple().to_string()[24..]
            ),
            session,
        ),
        "/api/admin/create_person" | "/api/admin/edit_person" => {
            let suffix = &uuid::Uuid::now_v7().simple().to_string()[20..];
            json_call(
                path,
                &serde_json::json!({
                    "id": uuid::Uuid::now_v7().to_string(),
                    "person": {
                        "login": format!("tech-{suffix}"), "name": "新师傅", "role": "technician",
                        "region_id": region_id, "employee_number": format!("E{suffix}"),
                        "service_card_number": format!("SC{suffix}"), "skills": ["dryer"],
                    },
                }),
                session,
            )
        }
        "/api/admin/save_region" => json_call(
            path,
            &serde_json::json!({ "id": "", "region": {
                "name": "", "time_zone": "Asia/Shanghai", "level": "company_run" } }),
            session,
        ),
        "/api/admin/save_service_point" => json_call(
            path,
            &serde_json::json!({ "id": "", "point": { "region_id": region_id,
                "name": "", "time_zone": "Asia/Shanghai", "level": "contracted" } }),
            session,
        ),
        "/api/admin/publish_checklist" => {
            json_call(path, &serde_json::json!({ "items": [] }), session)
        }
        "/api/admin/publish_fees" => json_call(
            path,
            &serde_json::json!({ "category": "spaceship", "items": [] }),
            session,
        ),
        "/api/admin/set_active" => call(
            path,
            &format!("id={}&active=false", uuid::Uuid::now_v7()),
            session,
        ),
        "/api/admin/issue_code" => call(path, &format!("id={}", uuid::Uuid::now_v7()), session),
        "/api/callbacks/set_sampling" => call(
            path,
            "rates[contracted]=100&rates[company_run]=50&rates[headquarters]=20&rates[phone_survey]=20",
            session,
        ),
        "/api/sync/kit"
        | "/api/complaints/queue"
        | "/api/callbacks/queue"
        | "/api/callbacks/sampling" => {
            call(path, "", session)
        }
        "/api/complaints/take" => call(
            path,
            &format!("work_order_id={work_order_id}&description=师傅迟到且态度差"),
            session,
        ),
        "/api/callbacks/record" => json_call(
            path,
            &serde_json::json!({ "input": {
                "visit_id": uuid::Uuid::now_v7().to_string(),
                "kind": "callback",
                "answer": { "fixed": "yes", "ratings": ["5", "5", "5", "5", "5"],
                    "comment": "", "complaint": "", "repeat_fault": "" },
                "repeat_start": "", "repeat_end": "",
            }}),
            session,
        ),
        "/api/complaints/step" => call(
            path,
            &format!(
                "complaint_id={}&step=reply&note=已致电致歉",
                uuid::Uuid::now_v7()
            ),
            session,
        ),
        "/api/sync/photo_piece" => json_call(
            path,
            &serde_json::json!({
                "photo_id": uuid::Uuid::now_v7().to_string(),
                "offset": 0,
                "piece": "/9j/4AAQ",
            }),
            session,
        ),
        "/api/sync/apply" => json_call(
            path,
            &serde_json::json!({ "operation": {
                "operation_id": uuid::Uuid::now_v7().to_string(),
                "made_at_ms": 1_795_000_000_000i64,
                "sent_at_ms": 1_795_000_000_000i64,
                "visit_id": visit_id,
                "change": { "kind": "insight", "insight_id": uuid::Uuid::now_v7().to_string(),
                    "category": "product_defect", "note": "门封老化" },
            }}),
            session,
        ),
        "/api/visits/record" | "/api/visits/history" | "/api/sync/log" => {
            call(path, &format!("visit_id={visit_id}"), session)
        }
        "/api/visits/photo" => json_call(
            path,
            &serde_json::json!({
                "operation_id": uuid::Uuid::now_v7().to_string(),
                "visit_id": visit_id,
                "item_key": "trial_run",
                "photo_id": uuid::Uuid::now_v7().to_string(),
                // A JPEG's first bytes: FF D8 FF E0.
                "data_base64": "/9j/4AAQSkZJRgABAQAAAQABAAD/2Q==",
            }),
            session,
        ),
        "/api/visits/insight" => call(
            path,
            &format!(
                "operation_id={}&visit_id={visit_id}&insight_id={}&category=product_defect&note=门封老化",
                uuid::Uuid::now_v7(),
                uuid::Uuid::now_v7()
            ),
            session,
        ),
        "/api/visits/complaint" => call(
            path,
            &format!(
                "operation_id={}&visit_id={visit_id}&complaint_id={}&description=不满意",
                uuid::Uuid::now_v7(),
                uuid::Uuid::now_v7()
            ),
            session,
        ),
        "/api/visits/checklist" => call(
            path,
            &format!(
                "operation_id={}&visit_id={visit_id}&item_key=show_id_card&answer=done&note=&photo_id=&reason=",
                uuid::Uuid::now_v7()
            ),
            session,
        ),
        "/api/visits/part" => call(
            path,
            &format!(
                "operation_id={}&visit_id={visit_id}&part_id={}&part_code=WM-BELT-01&part_name=belt&quantity=1&unit_price_fen=4500",
                uuid::Uuid::now_v7(),
                uuid::Uuid::now_v7()
            ),
            session,
        ),
        "/api/visits/fee" => call(
            path,
            &format!(
                "operation_id={}&visit_id={visit_id}&charge_id={}&fee_code=VISIT&quantity=1",
                uuid::Uuid::now_v7(),
                uuid::Uuid::now_v7()
            ),
            session,
        ),
        "/api/visits/sign_off" => json_call(
            path,
            &serde_json::json!({
                "operation_id": uuid::Uuid::now_v7().to_string(),
                "visit_id": visit_id,
                "sign_off": common::web::signature_json(),
            }),
            session,
        ),
        "/api/visits/outcome" => call(
            path,
            &format!(
                "operation_id={}&visit_id={visit_id}&outcome=fixed&reason=&detail=",
                uuid::Uuid::now_v7()
            ),
            session,
        ),
        _ => call(path, "", session),
    }
}

/// What a call could change: the visit's status, the work orders, the
/// checklist results, parts, sign-offs, photos, insights, complaints, and
/// the outcome.
async fn footprint(db: &TestDb, visit_id: &str) -> (Option<VisitStatus>, [i64; 7], Option<String>) {
    use sqlx::Row;
    let outcome = sqlx::query("SELECT outcome FROM visits WHERE id = $1")
        .bind(visit_id)
        .fetch_one(db.store.pool())
        .await
        .unwrap()
        .try_get::<Option<String>, _>("outcome")
        .unwrap();
    let mut rows = [0; 7];
    for (n, table) in [
        "work_orders",
        "checklist_results",
        "visit_parts",
        "sign_offs",
        "photos",
        "field_insights",
        "complaints",
    ]
    .into_iter()
    .enumerate()
    {
        rows[n] = fixtures::count(&db.store, table).await;
    }
    (
        db.store.visit_status(visit_id).await.unwrap(),
        rows,
        outcome,
    )
}

async fn every_role_gets_exactly_its_rights(db: &TestDb) {
    server::demo::seed_if_empty(&db.store, ServiceZone::DEFAULT, server::demo::History::None)
        .await
        .unwrap();
    let west = fixtures::region(&db.store, "上海闵行服务区").await;
    fixtures::user(&db.store, "dispatch.sun", Role::Dispatcher, Some(&west)).await;
    let app = app_for(db);
    let wang = log_in(&app, "tech.wang").await;
    let today = send(&app, call("/api/today/list", "", Some(&wang))).await;
    let visits: Vec<serde_json::Value> = serde_json::from_str(&today.body).unwrap();
    let visit_id = visits[0]["id"].as_str().unwrap().to_string();
    let region_id = db
        .store
        .visit_place(&visit_id)
        .await
        .unwrap()
        .unwrap()
        .region_id;

    let visit = db
        .store
        .visit(&app::domain::ids::RecordId::parse("id", &visit_id).unwrap())
        .await
        .unwrap()
        .unwrap();
    let work_order_id = visit.work_order_id.to_string();
    let wang_id = visit.technician_id.unwrap().to_string();
    let customer_id = db
        .store
        .work_order(&visit.work_order_id)
        .await
        .unwrap()
        .unwrap()
        .customer_id
        .to_string();
    for (path, expected) in MATRIX {
        for caller in CALLERS {
            // A fresh session per call: logout in the matrix must not end the next one.
            let session = match caller.login() {
                Some(login) => Some(log_in(&app, login).await),
                None => None,
            };
            let before = footprint(db, &visit_id).await;
            let answer = send(
                &app,
                request_for(
                    path,
                    (&visit_id, &work_order_id, &wang_id, &customer_id),
                    &region_id,
                    session.as_deref(),
                ),
            )
            .await;
            assert_eq!(
                answer.status.as_u16(),
                expected[caller.column()],
                "{path} as {caller:?}: {}",
                answer.body
            );
            if !answer.status.is_success() {
                assert_eq!(
                    footprint(db, &visit_id).await,
                    before,
                    "{path} as {caller:?} was refused but changed something"
                );
            }
            if (path == "/api/today/list" || path == "/api/customers/find")
                && caller == Caller::OtherRegionDispatcher
            {
                assert_eq!(answer.body, "[]", "another region's {path} leaked");
            }
            if path == "/api/customers/find" && caller == Caller::Dispatcher {
                assert!(answer.body.contains(&customer_id), "{}", answer.body);
            }
        }
    }
    let (status, [_, results, parts, sign_offs, photos, insights, complaints], outcome) =
        footprint(db, &visit_id).await;
    assert_eq!(
        (status, results, parts, sign_offs, outcome.as_deref()),
        (Some(VisitStatus::Arrived), 2, 1, 0, Some("fixed")),
        "only tech.wang's own steps took effect"
    );
    // One insight straight, one through the sync; a phone complaint taken
    // by the region's dispatcher and one by an admin.
    assert_eq!((photos, insights, complaints), (1, 2, 2));
    assert_eq!(fixtures::count(&db.store, "visit_fees").await, 1);
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
