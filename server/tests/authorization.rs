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
const MATRIX: [(&str, [u16; 6]); 57] = [
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
    ("/api/desk/suggestions", [401, 403, 403, 200, 403, 200]),
    ("/api/desk/plan", [401, 403, 403, 200, 403, 200]),
    // Settling held work: dispatchers and admins; the demo holds none, so
    // those who pass the role's check find no such work (404). The region's
    // check is in offline_sync's settlement test.
    ("/api/desk/settle_held", [401, 403, 403, 404, 404, 404]),
    // Complaint owners: the region's dispatchers and admins; a complaint
    // that is not there is not found (the region's check is in the
    // complaints tests).
    ("/api/complaints/owners", [401, 403, 403, 200, 200, 200]),
    ("/api/complaints/owner", [401, 403, 403, 404, 404, 404]),
    // Customers: dispatchers and admins; another region's dispatcher finds
    // none of this region's customers (checked below) and may not open one.
    ("/api/customers/find", [401, 403, 403, 200, 200, 200]),
    ("/api/customers/file", [401, 403, 403, 200, 403, 200]),
    // The dashboard: dispatchers (held to their own region, whatever the
    // query names) and admins.
    ("/api/dashboard/get", [401, 403, 403, 200, 200, 200]),
    // Changing a visit: only the technician it is assigned to.
    ("/api/visits/event", [401, 200, 403, 403, 403, 403]),
    // Cancelling is not the technician's (it would take a late visit out
    // of the on-time figure): refused to everyone through this step.
    ("/api/visits/event#cancel", [401, 403, 403, 403, 403, 403]),
    // Recording the work at the home (after tech.wang's check-in above).
    ("/api/visits/checklist", [401, 200, 403, 403, 403, 403]),
    ("/api/visits/outcome", [401, 200, 403, 403, 403, 403]),
    ("/api/visits/part", [401, 200, 403, 403, 403, 403]),
    ("/api/visits/fee", [401, 200, 403, 403, 403, 403]),
    ("/api/visits/photo", [401, 200, 403, 403, 403, 403]),
    ("/api/visits/insight", [401, 200, 403, 403, 403, 403]),
    // Taking a charge back: tech.wang passes and meets the visit's records
    // (no such charge, 422); everyone else is stopped before.
    ("/api/visits/remove_charge", [401, 422, 403, 403, 403, 403]),
    // The company on the printed record: anyone logged in reads it.
    ("/api/company/get", [401, 200, 200, 200, 200, 200]),
    // The customer complains at sign-off: tech.wang's phone is let through
    // and meets the visit's state (not finished yet).
    ("/api/visits/complaint", [401, 409, 403, 403, 403, 403]),
    // Signing: tech.wang passes the checks and meets the state machine (the
    // work is not finished), everyone else is stopped before it.
    ("/api/visits/sign_off", [401, 409, 403, 403, 403, 403]),
    // Closing unsigned: the same, with why and what happened.
    ("/api/visits/close_unsigned", [401, 409, 403, 403, 403, 403]),
    // The phone's sync: its kit and photo pieces for technicians only; an
    // operation only from the visit's technician (tech.li never had it, so
    // nothing is held for him); the sync log for whoever reads the visit.
    ("/api/sync/kit", [401, 200, 200, 403, 403, 403]),
    ("/api/sync/photo_piece", [401, 200, 200, 403, 403, 403]),
    ("/api/sync/apply", [401, 200, 403, 403, 403, 403]),
    // A batch is for technicians; each operation in it is answered on its
    // own, so tech.li's is refused inside a 200 (checked below).
    ("/api/sync/apply_batch", [401, 200, 200, 403, 403, 403]),
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
    // The company: an empty name is refused (422).
    (
        "/api/admin/save_company_profile",
        [401, 403, 403, 403, 403, 422],
    ),
];

/// The calls that take an id of a customer, appliance, visit, work order,
/// complaint or call, made with another region's records: a visit of
/// 上海闵行服务区 for its technician tech.xu, its work order, customer and
/// appliance, a phone complaint and a callback due on it. Columns as in
/// MATRIX: tech.wang and tech.li work in the demo region and dispatch.zhao
/// dispatches it; dispatch.sun is these records' own dispatcher.
const CROSSINGS: [(&str, [u16; 6]); 23] = [
    ("/api/visits/record", [401, 403, 403, 403, 200, 200]),
    ("/api/visits/history", [401, 403, 403, 403, 200, 200]),
    ("/api/sync/log", [401, 403, 403, 403, 200, 200]),
    ("/photo", [401, 403, 403, 403, 200, 200]),
    ("/api/customers/file", [401, 403, 403, 403, 200, 200]),
    // Found by name: zhao gets none of them (checked below).
    ("/api/customers/find", [401, 403, 403, 200, 200, 200]),
    // An order in the demo region for the other region's customer and
    // appliance: refused to zhao (not his customer) and to sun (not his
    // region); an admin may.
    (
        "/api/work_orders/create#existing",
        [401, 403, 403, 403, 403, 200],
    ),
    // sun and admins pass the region's check and meet tech.xu at work.
    ("/api/desk/assign", [401, 403, 403, 403, 409, 409]),
    // Suggestions for sun's order: his and admins' to read.
    ("/api/desk/suggestions", [401, 403, 403, 403, 200, 200]),
    ("/api/complaints/take", [401, 403, 403, 403, 200, 200]),
    // sun replies first, so the admin's reply meets the next step due.
    ("/api/complaints/step", [401, 403, 403, 403, 200, 409]),
    // Answered by sun first, so the admin's second answer is a conflict.
    ("/api/callbacks/record", [401, 403, 403, 403, 200, 409]),
    // Only tech.xu works on his visit.
    ("/api/visits/event", [401, 403, 403, 403, 403, 403]),
    ("/api/visits/checklist", [401, 403, 403, 403, 403, 403]),
    ("/api/visits/outcome", [401, 403, 403, 403, 403, 403]),
    ("/api/visits/part", [401, 403, 403, 403, 403, 403]),
    ("/api/visits/fee", [401, 403, 403, 403, 403, 403]),
    ("/api/visits/photo", [401, 403, 403, 403, 403, 403]),
    ("/api/visits/insight", [401, 403, 403, 403, 403, 403]),
    ("/api/visits/complaint", [401, 403, 403, 403, 403, 403]),
    ("/api/visits/sign_off", [401, 403, 403, 403, 403, 403]),
    ("/api/visits/close_unsigned", [401, 403, 403, 403, 403, 403]),
    ("/api/sync/apply", [401, 403, 403, 403, 403, 403]),
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

/// A field insight from a phone's outbox, as the sync sends it.
fn insight_operation(visit_id: &str) -> serde_json::Value {
    serde_json::json!({
        "operation_id": uuid::Uuid::now_v7().to_string(),
        "made_at_ms": 1_795_000_000_000i64,
        "sent_at_ms": 1_795_000_000_000i64,
        "visit_id": visit_id,
        "change": { "kind": "insight", "insight_id": uuid::Uuid::now_v7().to_string(),
            "category": "product_defect", "note": "门封老化" },
    })
}

fn request_for(
    path: &str,
    (visit_id, work_order_id, technician_id, customer_id): (&str, &str, &str, &str),
    region_id: &str,
    session: Option<&str>,
) -> Request<Body> {
    match path {
        "/api/desk/board" | "/api/desk/plan" => {
            call(path, &format!("region_id={region_id}"), session)
        }
        "/api/desk/suggestions" => call(path, &format!("work_order_id={work_order_id}"), session),
        "/api/complaints/owner" => call(
            path,
            &format!(
                "change_id={}&complaint_id={}",
                uuid::Uuid::now_v7(),
                uuid::Uuid::now_v7()
            ),
            session,
        ),
        "/api/desk/settle_held" => call(
            path,
            &format!(
                "settlement_id={}&operation_id={}&outcome=recorded",
                uuid::Uuid::now_v7(),
                uuid::Uuid::now_v7()
            ),
            session,
        ),
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
        "/api/visits/event#cancel" => call(
            "/api/visits/event",
            &format!(
                "operation_id={}&visit_id={visit_id}&event=cancel",
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
        "/api/admin/save_company_profile" => json_call(
            path,
            &serde_json::json!({ "company": { "name": "", "hotline": "400-820-8820" } }),
            session,
        ),
        "/api/visits/remove_charge" => call(
            path,
            &format!(
                "operation_id={}&visit_id={visit_id}&charge_id={}",
                uuid::Uuid::now_v7(),
                uuid::Uuid::now_v7()
            ),
            session,
        ),
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
        | "/api/complaints/owners"
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
            &serde_json::json!({ "operation": insight_operation(visit_id) }),
            session,
        ),
        "/api/sync/apply_batch" => json_call(
            path,
            &serde_json::json!({ "batch": { "operations": [insight_operation(visit_id)] } }),
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
                "operation_id={}&visit_id={visit_id}&part_id={}&part_code=WM-BELT-01&part_name=belt&quantity=1&unit_price_fen=4500&charge_reason=not%20covered",
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
        "/api/visits/close_unsigned" => call(
            path,
            &format!(
                "operation_id={}&visit_id={visit_id}&why=customer_absent&reason=away",
                uuid::Uuid::now_v7()
            ),
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
            if path == "/api/sync/apply_batch" && caller == Caller::TechLi {
                let answer: app::api::sync::BatchAnswer =
                    serde_json::from_str(&answer.body).unwrap();
                assert!(
                    matches!(
                        answer.answers[..],
                        [app::api::sync::AnsweredOperation {
                            answer: app::api::sync::OperationAnswer::Refused(
                                app::api::error::AppError::Forbidden
                            ),
                            ..
                        }]
                    ),
                    "{answer:?}"
                );
                assert_eq!(
                    footprint(db, &visit_id).await,
                    before,
                    "tech.li's batch changed something"
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
    // One insight straight, one through the sync, one in a batch; a phone
    // complaint taken by the region's dispatcher and one by an admin.
    assert_eq!((photos, insights, complaints), (1, 3, 2));
    assert_eq!(fixtures::count(&db.store, "visit_fees").await, 1);
}

/// The other region's records for `CROSSINGS`.
struct OtherRegion {
    region: String,
    demo_region: String,
    visit: String,
    order: String,
    technician: String,
    customer: String,
    appliance: String,
    complaint: String,
    photo: String,
}

fn crossing_request(path: &str, west: &OtherRegion, session: Option<&str>) -> Request<Body> {
    match path {
        "/photo" => {
            let mut request = common::web::get(&format!("/api/photos/{}", west.photo), session);
            request.headers_mut().insert(
                axum::http::header::ACCEPT,
                axum::http::HeaderValue::from_static("image/*"),
            );
            request
        }
        "/api/customers/find" => call(path, "query=吴西区", session),
        "/api/work_orders/create#existing" => {
            let mut order = intake(&west.demo_region);
            order["existing_customer"] = true.into();
            order["customer_id"] = west.customer.clone().into();
            order["existing_appliance"] = true.into();
            order["appliance_id"] = west.appliance.clone().into();
            json_call(
                "/api/work_orders/create",
                &serde_json::json!({ "intake": order }),
                session,
            )
        }
        "/api/complaints/step" => call(
            path,
            &format!("complaint_id={}&step=reply&note=已致电致歉", west.complaint),
            session,
        ),
        "/api/callbacks/record" => json_call(
            path,
            &serde_json::json!({ "input": {
                "visit_id": west.visit,
                "kind": "callback",
                "answer": { "fixed": "yes", "ratings": ["5", "5", "5", "5", "5"],
                    "comment": "", "complaint": "", "repeat_fault": "" },
                "repeat_start": "", "repeat_end": "",
            }}),
            session,
        ),
        _ => request_for(
            path,
            (&west.visit, &west.order, &west.technician, &west.customer),
            &west.region,
            session,
        ),
    }
}

async fn another_regions_records_are_out_of_reach(db: &TestDb) {
    use sqlx::Row;
    server::demo::seed_if_empty(&db.store, ServiceZone::DEFAULT, server::demo::History::None)
        .await
        .unwrap();
    let store = &db.store;
    let demo_region: String = sqlx::query("SELECT id FROM regions LIMIT 1")
        .fetch_one(store.pool())
        .await
        .unwrap()
        .get("id");
    let west = fixtures::region(store, "上海闵行服务区").await;
    fixtures::user(store, "dispatch.sun", Role::Dispatcher, Some(&west)).await;
    let xu = fixtures::user(store, "tech.xu", Role::Technician, Some(&west)).await;
    let now = app::domain::time::Timestamp::now().unix_millis();
    let order = fixtures::order(store, &west, "吴西区", fixtures::window(now, 2)).await;
    let visit = fixtures::visit(store, &order, Some(&xu)).await;
    let app = app_for(db);

    // tech.xu at work on his visit, with a photo; sun takes a complaint on
    // the order; a callback is due on the visit.
    let xu_session = log_in(&app, "tech.xu").await;
    let checked_in = send(
        &app,
        request_for(
            "/api/visits/event",
            (visit.id.as_str(), "", "", ""),
            "",
            Some(&xu_session),
        ),
    )
    .await;
    assert_eq!(checked_in.status.as_u16(), 200, "{}", checked_in.body);
    let photo = send(
        &app,
        request_for(
            "/api/visits/photo",
            (visit.id.as_str(), "", "", ""),
            "",
            Some(&xu_session),
        ),
    )
    .await;
    assert_eq!(photo.status.as_u16(), 200, "{}", photo.body);
    let photo: String = sqlx::query("SELECT id FROM photos WHERE visit_id = $1")
        .bind(visit.id.as_str())
        .fetch_one(store.pool())
        .await
        .unwrap()
        .get("id");
    let sun = log_in(&app, "dispatch.sun").await;
    let complaint: String = common::web::ok_json(
        &app,
        request_for(
            "/api/complaints/take",
            ("", order.id.as_str(), "", ""),
            "",
            Some(&sun),
        ),
    )
    .await;
    sqlx::query(
        "INSERT INTO follow_up_calls (visit_id, kind, due_at_ms) VALUES ($1, 'callback', $2)",
    )
    .bind(visit.id.as_str())
    .bind(now)
    .execute(store.pool())
    .await
    .unwrap();
    let west = OtherRegion {
        region: west.to_string(),
        demo_region,
        visit: visit.id.to_string(),
        order: order.id.to_string(),
        technician: xu.to_string(),
        customer: order.customer_id.to_string(),
        appliance: order.appliance_id.to_string(),
        complaint,
        photo,
    };

    for (path, expected) in CROSSINGS {
        for caller in CALLERS {
            let session = match caller.login() {
                Some(login) => Some(log_in(&app, login).await),
                None => None,
            };
            let before = footprint(db, &west.visit).await;
            let answer = send(&app, crossing_request(path, &west, session.as_deref())).await;
            assert_eq!(
                answer.status.as_u16(),
                expected[caller.column()],
                "{path} with the other region's records as {caller:?}: {}",
                answer.body
            );
            if !answer.status.is_success() {
                assert_eq!(
                    footprint(db, &west.visit).await,
                    before,
                    "{path} as {caller:?} was refused but changed something"
                );
            }
            if path == "/api/customers/find" {
                let found = answer.body.contains(&west.customer);
                let may_see = matches!(caller, Caller::OtherRegionDispatcher | Caller::Admin);
                assert_eq!(found, may_see, "{path} as {caller:?}: {}", answer.body);
            }
        }
    }
}

on_both_engines!(
    every_role_gets_exactly_its_rights,
    another_regions_records_are_out_of_reach
);

#[test]
fn every_server_function_is_in_the_matrix() {
    let mut served: Vec<&str> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .collect();
    served.sort_unstable();
    // A path may stand more than once, for another case (`#case`).
    let mut covered: Vec<&str> = MATRIX
        .iter()
        .map(|(path, _)| path.split('#').next().unwrap_or(path))
        .collect();
    covered.sort_unstable();
    covered.dedup();
    assert_eq!(
        served, covered,
        "add each new server function to the matrix"
    );
}
