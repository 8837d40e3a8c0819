//! Attacks from outside that the limits must hold against: many attempts at
//! once, on one or several server processes.

use crate::common;

use app::store::Store;
use app::zone::ServiceZone;
use axum::http::StatusCode;
use common::web::{app_for, call, login_call, send};
use common::TestDb;

async fn seed_demo(db: &TestDb) {
    server::demo::seed_if_empty(&db.store, ServiceZone::DEFAULT, server::demo::History::None)
        .await
        .unwrap();
}

async fn seeded(db: &TestDb) -> axum::Router {
    seed_demo(db).await;
    app_for(db)
}

/// A second server process on the same database: its own pool and router.
async fn second_process(db: &TestDb) -> (Store, axum::Router) {
    let pool = server::db::connect(&db.database)
        .await
        .expect("a second connection pool");
    let store = Store::new(pool);
    let router = common::web::app_on(
        &store,
        app::auth::CookieSecurity::default(),
        server::http::hardening::RequestLimits::default(),
        "target/site",
    );
    (store, router)
}

/// Sends every request at once, half through each process, and counts the
/// answers by status.
async fn all_at_once(
    processes: &[axum::Router],
    requests: Vec<axum::http::Request<axum::body::Body>>,
) -> std::collections::BTreeMap<u16, usize> {
    let answers = futures::future::join_all(
        requests
            .into_iter()
            .enumerate()
            .map(|(n, request)| send(&processes[n % processes.len()], request)),
    )
    .await;
    let mut counts = std::collections::BTreeMap::new();
    for answer in answers {
        *counts.entry(answer.status.as_u16()).or_insert(0) += 1;
    }
    counts
}

async fn concurrent_wrong_passwords_are_checked_no_more_than_the_limit(db: &TestDb) {
    let app = seeded(db).await;
    let (second_store, second) = second_process(db).await;
    let processes = [app, second];

    // One account, 40 wrong passwords at once: at most 5 are checked, the
    // rest wait. (All 40 may be turned away: when every attempt is written
    // before any is counted, each sees the others.)
    let one_account = (0..40)
        .map(|_| login_call("tech.wang", "guess", None))
        .collect();
    let counts = all_at_once(&processes, one_account).await;
    let checked = counts.get(&401).copied().unwrap_or(0);
    assert!(checked <= 5, "at most 5 checks for one account: {counts:?}");
    assert_eq!(
        checked + counts.get(&429).copied().unwrap_or(0),
        40,
        "{counts:?}"
    );

    // Many accounts from one address (every in-process request shares one):
    // 20 are checked in all, counting the 5 above.
    let many_accounts = (0..40)
        .map(|n| login_call(&format!("nobody{n:02}"), "guess", None))
        .collect();
    let counts = all_at_once(&processes, many_accounts).await;
    let checked_too = counts.get(&401).copied().unwrap_or(0);
    assert!(
        checked + checked_too <= 20,
        "at most 20 checks for one address: {checked} then {counts:?}"
    );
    assert_eq!(
        checked_too + counts.get(&429).copied().unwrap_or(0),
        40,
        "{counts:?}"
    );
    second_store.pool().close().await;
}

async fn concurrent_wrong_codes_are_checked_no_more_than_the_limit(db: &TestDb) {
    let app = seeded(db).await;
    let (second_store, second) = second_process(db).await;
    let letters = app::domain::admin::password_code::ALPHABET;
    let guesses = (0..30)
        .map(|n| {
            // Well-formed codes, so that every guess reaches the check.
            let tail = [letters[n / letters.len()], letters[n % letters.len()]];
            let code = format!("ABCD-EFGH-JK{}", String::from_utf8_lossy(&tail));
            call(
                "/api/auth/set_password",
                &format!("login=tech.li&code={code}&password=a-long-new-password"),
                None,
            )
        })
        .collect();
    let counts = all_at_once(&[app, second], guesses).await;
    // A wrong code is named on the form (422); a throttled guess is 429.
    let checked = counts.get(&422).copied().unwrap_or(0);
    assert!(checked <= 5, "at most 5 codes checked: {counts:?}");
    assert_eq!(
        checked + counts.get(&429).copied().unwrap_or(0),
        30,
        "{counts:?}"
    );
    second_store.pool().close().await;
}

/// A login form of exactly `size` bytes, sent with its length declared or
/// in chunks with none (as a phone streaming an upload does).
fn login_form_of(size: usize, declared: bool) -> axum::http::Request<axum::body::Body> {
    use axum::body::{Body, Bytes};
    use axum::http::{header, Request};
    let head = "login=tech.wang&password=";
    let form = format!("{head}{}", "x".repeat(size - head.len()));
    let request = Request::post("/api/auth/login")
        .header(header::HOST, common::web::HOST)
        .header(header::ORIGIN, common::web::ORIGIN)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if declared {
        return request
            .header(header::CONTENT_LENGTH, form.len())
            .body(Body::from(form))
            .unwrap();
    }
    let chunks: Vec<Result<Bytes, std::io::Error>> = form
        .into_bytes()
        .chunks(64 * 1024)
        .map(|chunk| Ok(Bytes::copy_from_slice(chunk)))
        .collect();
    request
        .body(Body::from_stream(futures::stream::iter(chunks)))
        .unwrap()
}

async fn one_body_limit_answers_413_at_its_edge_declared_or_not(db: &TestDb) {
    use server::http::hardening::MAX_BODY_BYTES;
    let app = seeded(db).await;
    for declared in [true, false] {
        // Up to the limit the form is read: the password is then named as
        // too long (422), whatever axum's own default limit is.
        for size in [2 * 1024 * 1024 + 1, MAX_BODY_BYTES] {
            let answer = send(&app, login_form_of(size, declared)).await;
            assert_eq!(
                answer.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{size} bytes, declared {declared}: {}",
                answer.body
            );
            assert!(answer.body.contains("\"password\""), "{}", answer.body);
        }
        let answer = send(&app, login_form_of(MAX_BODY_BYTES + 1, declared)).await;
        assert_eq!(
            answer.status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "one byte over, declared {declared}: {}",
            answer.body
        );
        assert_eq!(
            serde_json::from_str::<app::api::error::AppError>(&answer.body).unwrap(),
            app::api::error::AppError::TooLarge {
                max_bytes: MAX_BODY_BYTES as u64
            }
        );
    }
}

fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

async fn first_visit_of(app: &axum::Router, session: &str) -> String {
    let answer = send(app, call("/api/today/list", "", Some(session))).await;
    let visits: Vec<serde_json::Value> = serde_json::from_str(&answer.body).unwrap();
    visits[0]["id"].as_str().unwrap().to_string()
}

/// Sends one change as the phone's sync does, made and sent at
/// `made_at_ms` and now by the phone's clock (which agrees with the
/// server's), under a new operation id unless one is given.
async fn sync_change(
    app: &axum::Router,
    session: &str,
    visit: &str,
    change: app::api::sync::Change,
    made_at_ms: i64,
    operation_id: Option<&str>,
) -> common::web::Answer {
    let sent = app::api::sync::SentOperation {
        operation_id: operation_id.map_or_else(new_id, str::to_owned),
        made_at_ms,
        sent_at_ms: app::domain::time::Timestamp::now().unix_millis(),
        visit_id: visit.to_string(),
        change,
    };
    send(
        app,
        common::web::json_call(
            "/api/sync/apply",
            &serde_json::json!({ "operation": sent }),
            Some(session),
        ),
    )
    .await
}

fn now_ms() -> i64 {
    app::domain::time::Timestamp::now().unix_millis()
}

/// A refusal as the app reads it: 409 with a sentence.
fn assert_conflict(answer: &common::web::Answer, what: &str) {
    assert_eq!(
        answer.status,
        StatusCode::CONFLICT,
        "{what}: {}",
        answer.body
    );
    match serde_json::from_str::<app::api::error::AppError>(&answer.body) {
        Ok(app::api::error::AppError::Conflict { message }) => {
            assert!(message.len() > 20, "{what}: a sentence, not {message:?}")
        }
        other => panic!("{what}: {other:?} from {}", answer.body),
    }
}

/// Ids the client makes, sent again under a new operation, and operation
/// ids sent again by someone else or for another action: 409 with a
/// sentence, nothing written, and nothing logged at ERROR (it is the
/// client's mistake, not the operator's).
async fn reused_client_ids_are_conflicts_not_failures(db: &TestDb) {
    use common::web::{json_call, log_in};
    let app = seeded(db).await;
    let log = common::CapturedLog::default();
    let _logging = log.capture();
    let wang = log_in(&app, "tech.wang").await;
    let li = log_in(&app, "tech.li").await;
    let visit = first_visit_of(&app, &wang).await;
    let step = |operation: &str, event: &str| {
        call(
            "/api/visits/event",
            &format!("operation_id={operation}&visit_id={visit}&event={event}"),
            Some(&wang),
        )
    };
    let checked_in = send(&app, step(&new_id(), "check_in")).await;
    assert_eq!(checked_in.status, StatusCode::OK, "{}", checked_in.body);

    let part = |operation: &str, part_id: &str| {
        call(
            "/api/visits/part",
            &format!(
                "operation_id={operation}&visit_id={visit}&part_id={part_id}&part_code=WM-1\
                 &part_name=%E9%97%A8%E5%B0%81&quantity=1&unit_price_fen=100&charge_reason=not%20covered"
            ),
            Some(&wang),
        )
    };
    let fee = |operation: &str, charge_id: &str| {
        call(
            "/api/visits/fee",
            &format!(
                "operation_id={operation}&visit_id={visit}&charge_id={charge_id}\
                 &fee_code=labor-std&quantity=1"
            ),
            Some(&wang),
        )
    };
    let insight = |operation: &str, insight_id: &str| {
        call(
            "/api/visits/insight",
            &format!(
                "operation_id={operation}&visit_id={visit}&insight_id={insight_id}\
                 &category=user_suggestion&note=%E5%A5%BD"
            ),
            Some(&wang),
        )
    };
    let photo = |operation: &str, photo_id: &str| {
        use base64::Engine;
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
        jpeg.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0\xFF\xD9");
        json_call(
            "/api/visits/photo",
            &serde_json::json!({
                "operation_id": operation,
                "visit_id": visit,
                "item_key": "trial_run",
                "photo_id": photo_id,
                "data_base64": base64::engine::general_purpose::STANDARD.encode(jpeg),
            }),
            Some(&wang),
        )
    };
    type MakeCall<'a> = &'a dyn Fn(&str, &str) -> axum::http::Request<axum::body::Body>;
    let first_part_operation = new_id();
    for (what, make, table) in [
        ("part_id", &part as MakeCall, "visit_parts"),
        ("charge_id", &fee as MakeCall, "visit_fees"),
        ("insight_id", &insight as MakeCall, "field_insights"),
        ("photo_id", &photo as MakeCall, "photos"),
    ] {
        let record_id = new_id();
        let operation = if what == "part_id" {
            first_part_operation.clone()
        } else {
            new_id()
        };
        let first = send(&app, make(&operation, &record_id)).await;
        assert_eq!(first.status, StatusCode::OK, "{what}: {}", first.body);
        let repeat = send(&app, make(&operation, &record_id)).await;
        assert_eq!(
            repeat.status,
            StatusCode::OK,
            "{what}: a resend is harmless"
        );
        let rows = common::fixtures::count(&db.store, table).await;
        assert_conflict(&send(&app, make(&new_id(), &record_id)).await, what);
        assert_eq!(
            common::fixtures::count(&db.store, table).await,
            rows,
            "{what}"
        );
    }

    // An operation id is one action by one person.
    let li_visit = first_visit_of(&app, &li).await;
    let by_li = call(
        "/api/visits/event",
        &format!("operation_id={first_part_operation}&visit_id={li_visit}&event=set_off"),
        Some(&li),
    );
    assert_conflict(
        &send(&app, by_li).await,
        "another technician's operation id",
    );
    assert_conflict(
        &send(&app, step(&first_part_operation, "start_work")).await,
        "a part's operation id for a step",
    );
    let checklist = call(
        "/api/visits/checklist",
        &format!(
            "operation_id={first_part_operation}&visit_id={visit}&item_key=greeting\
             &answer=done&note=&photo_id=&reason="
        ),
        Some(&wang),
    );
    assert_conflict(
        &send(&app, checklist).await,
        "a part's operation id for an item",
    );
    let synced = sync_change(
        &app,
        &wang,
        &visit,
        app::api::sync::Change::Done {
            item_key: "greeting".into(),
        },
        now_ms(),
        Some(&first_part_operation),
    )
    .await;
    assert_conflict(&synced, "a part's operation id through the sync");
    let status: String = sqlx::query_scalar("SELECT status FROM visits WHERE id = $1")
        .bind(&visit)
        .fetch_one(db.store.pool())
        .await
        .unwrap();
    assert_eq!(status, "arrived", "no step was taken");
    assert_eq!(
        common::fixtures::count(&db.store, "checklist_results").await,
        1
    );

    // The dispatcher's new visit under an id already taken.
    let dispatcher = log_in(&app, "dispatch.zhao").await;
    let region: String = sqlx::query_scalar("SELECT id FROM regions LIMIT 1")
        .fetch_one(db.store.pool())
        .await
        .unwrap();
    let order: String = common::web::ok_json(
        &app,
        json_call(
            "/api/work_orders/create",
            &serde_json::json!({ "intake": common::web::intake(&region) }),
            Some(&dispatcher),
        ),
    )
    .await;
    let technician: String = sqlx::query_scalar("SELECT id FROM users WHERE login = 'tech.li'")
        .fetch_one(db.store.pool())
        .await
        .unwrap();
    let visits = common::fixtures::count(&db.store, "visits").await;
    let assign = call(
        "/api/desk/assign",
        &format!(
            "operation_id={}&work_order_id={order}&technician_id={technician}&visit_id={visit}",
            new_id()
        ),
        Some(&dispatcher),
    );
    assert_conflict(&send(&app, assign).await, "an assignment's visit_id");
    assert_eq!(common::fixtures::count(&db.store, "visits").await, visits);

    assert_eq!(
        log.errors(),
        Vec::<String>::new(),
        "client mistakes are not errors"
    );
}

/// Cancelling is the office's: a technician's cancel, straight or through
/// the sync, is refused and the visit stays due.
async fn a_technician_cannot_cancel_a_visit(db: &TestDb) {
    use app::api::sync::Change;
    use common::web::log_in;
    let app = seeded(db).await;
    let wang = log_in(&app, "tech.wang").await;
    let visit = first_visit_of(&app, &wang).await;
    let straight = call(
        "/api/visits/event",
        &format!("operation_id={}&visit_id={visit}&event=cancel", new_id()),
        Some(&wang),
    );
    assert_eq!(send(&app, straight).await.status, StatusCode::FORBIDDEN);
    let cancel = Change::Step {
        event: app::domain::visit::VisitEvent::Cancel,
        position: None,
    };
    let synced = sync_change(&app, &wang, &visit, cancel, now_ms(), None).await;
    assert_eq!(synced.status, StatusCode::FORBIDDEN, "{}", synced.body);
    let status: String = sqlx::query_scalar("SELECT status FROM visits WHERE id = $1")
        .bind(&visit)
        .fetch_one(db.store.pool())
        .await
        .unwrap();
    assert_eq!(status, "dispatched");
}

/// A photo sent up by one technician cannot be attached by another: 403,
/// as every crossing into someone else's work is.
async fn another_technicians_upload_is_forbidden(db: &TestDb) {
    use app::api::sync::Change;
    use common::web::{json_call, log_in};
    let app = seeded(db).await;
    let li = log_in(&app, "tech.li").await;
    let upload = new_id();
    let piece = send(
        &app,
        json_call(
            "/api/sync/photo_piece",
            &serde_json::json!({ "photo_id": upload, "offset": 0, "piece": "/9j/4AAQSkZJRgABAQAAAQABAAD/2Q==" }),
            Some(&li),
        ),
    )
    .await;
    assert_eq!(piece.status, StatusCode::OK, "{}", piece.body);
    let wang = log_in(&app, "tech.wang").await;
    let visit = first_visit_of(&app, &wang).await;
    let checked_in = call(
        "/api/visits/event",
        &format!("operation_id={}&visit_id={visit}&event=check_in", new_id()),
        Some(&wang),
    );
    assert_eq!(send(&app, checked_in).await.status, StatusCode::OK);
    let photo = Change::Photo {
        item_key: "trial_run".into(),
        photo_id: upload,
    };
    let answer = sync_change(&app, &wang, &visit, photo, now_ms(), None).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.body);
    assert_eq!(common::fixtures::count(&db.store, "photos").await, 0);
}

/// A photo item counts as photographed only with a photo of this visit:
/// a made-up photo id is named (422), another visit's is refused (403).
async fn a_checklist_answer_takes_only_this_visits_photos(db: &TestDb) {
    use common::web::{json_call, log_in};
    let app = seeded(db).await;
    let wang = log_in(&app, "tech.wang").await;
    let answer: Vec<serde_json::Value> =
        common::web::ok_json(&app, call("/api/today/list", "", Some(&wang))).await;
    let (first, second) = (
        answer[0]["id"].as_str().unwrap().to_string(),
        answer[1]["id"].as_str().unwrap().to_string(),
    );
    for visit in [&first, &second] {
        let checked_in = call(
            "/api/visits/event",
            &format!("operation_id={}&visit_id={visit}&event=check_in", new_id()),
            Some(&wang),
        );
        let checked_in = send(&app, checked_in).await;
        assert!(
            checked_in.status == StatusCode::OK || checked_in.status == StatusCode::CONFLICT,
            "{}",
            checked_in.body
        );
    }
    let photo_id = new_id();
    let photo = json_call(
        "/api/visits/photo",
        &serde_json::json!({
            "operation_id": new_id(),
            "visit_id": second,
            "item_key": "trial_run",
            "photo_id": photo_id,
            "data_base64": "/9j/4AAQSkZJRgABAQAAAQABAAD/2Q==",
        }),
        Some(&wang),
    );
    let stored = send(&app, photo).await;
    let item_with = |visit: &str, photo: &str| {
        call(
            "/api/visits/checklist",
            &format!(
                "operation_id={}&visit_id={visit}&item_key=trial_run&answer=done&note=\
                 &photo_id={photo}&reason=",
                new_id()
            ),
            Some(&wang),
        )
    };
    let results = common::fixtures::count(&db.store, "checklist_results").await;
    let made_up = send(&app, item_with(&first, &new_id())).await;
    assert_eq!(
        made_up.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        made_up.body
    );
    assert!(made_up.body.contains("\"photo_id\""), "{}", made_up.body);
    if stored.status == StatusCode::OK {
        let others = send(&app, item_with(&first, &photo_id)).await;
        assert_eq!(others.status, StatusCode::FORBIDDEN, "{}", others.body);
    } else {
        panic!("the photo was not stored: {}", stored.body);
    }
    assert_eq!(
        common::fixtures::count(&db.store, "checklist_results").await,
        results
    );
}

crate::on_both_engines!(
    a_checklist_answer_takes_only_this_visits_photos,
    a_technician_cannot_cancel_a_visit,
    another_technicians_upload_is_forbidden,
    reused_client_ids_are_conflicts_not_failures,
    one_body_limit_answers_413_at_its_edge_declared_or_not,
    concurrent_wrong_passwords_are_checked_no_more_than_the_limit,
    concurrent_wrong_codes_are_checked_no_more_than_the_limit,
);

/// A request as it arrives from `peer`, with the forwarding header a proxy
/// (or a client pretending to be one) adds.
fn from_peer(
    peer: &str,
    forwarded_for: Option<&str>,
    mut request: axum::http::Request<axum::body::Body>,
) -> axum::http::Request<axum::body::Body> {
    let peer: std::net::SocketAddr = format!("{peer}:40000").parse().unwrap();
    request
        .extensions_mut()
        .insert(axum::extract::ConnectInfo(peer));
    if let Some(forwarded) = forwarded_for {
        request.headers_mut().insert(
            "x-forwarded-for",
            axum::http::HeaderValue::from_str(forwarded).unwrap(),
        );
    }
    request
}

/// Behind a trusted proxy each person is known by the address the proxy
/// forwards: 20 wrong logins from one forwarded address lock that address
/// only. From any other peer the header changes nothing.
async fn throttling_behind_a_trusted_proxy_is_per_forwarded_address(db: &TestDb) {
    use server::http::client_address::{
        ClientLimits, TrustedProxies, DEFAULT_MAX_IN_PROGRESS_PER_CLIENT,
    };
    seed_demo(db).await;
    let clients = ClientLimits::new(
        TrustedProxies::parse("10.0.0.1").unwrap(),
        DEFAULT_MAX_IN_PROGRESS_PER_CLIENT,
    );
    let app = common::web::app_with_clients(db, clients);
    let proxy = "10.0.0.1";
    for n in 0..20 {
        let wrong = login_call(&format!("nobody{n:02}"), "wrong-password", None);
        let answer = send(&app, from_peer(proxy, Some("203.0.113.9"), wrong)).await;
        assert_eq!(
            answer.status,
            StatusCode::UNAUTHORIZED,
            "{n}: {}",
            answer.body
        );
    }
    let right = || login_call("tech.wang", server::demo::DEMO_PASSWORD, None);
    let locked = send(&app, from_peer(proxy, Some("203.0.113.9"), right())).await;
    assert_eq!(
        locked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        locked.body
    );
    // Another person behind the same proxy is not locked out.
    let other = send(&app, from_peer(proxy, Some("198.51.100.7"), right())).await;
    assert_eq!(other.status, StatusCode::OK, "{}", other.body);
    // A peer that is not a trusted proxy is its own address, whatever it
    // forwards: naming the locked address neither locks it out …
    let untrusted = "192.0.2.50";
    let named = send(&app, from_peer(untrusted, Some("203.0.113.9"), right())).await;
    assert_eq!(named.status, StatusCode::OK, "{}", named.body);
    // … nor spreads its own failures over made-up addresses.
    for n in 0..20 {
        let wrong = login_call(&format!("ghost{n:02}"), "wrong-password", None);
        let forwarded = format!("198.51.100.{n}");
        let answer = send(&app, from_peer(untrusted, Some(&forwarded), wrong)).await;
        assert_eq!(
            answer.status,
            StatusCode::UNAUTHORIZED,
            "{n}: {}",
            answer.body
        );
    }
    let spread = send(&app, from_peer(untrusted, Some("198.51.100.99"), right())).await;
    assert_eq!(
        spread.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        spread.body
    );
}

/// Reads an HTTP answer's status line from a raw connection.
async fn status_of(stream: &mut tokio::net::TcpStream) -> std::io::Result<u16> {
    use tokio::io::AsyncReadExt;
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n") {
        if stream.read(&mut byte).await? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        head.push(byte[0]);
    }
    let line = String::from_utf8_lossy(&head);
    line.split_whitespace()
        .nth(1)
        .and_then(|status| status.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("not a status line: {line:?}")))
}

/// A login's request head, from this site, declaring a body of `length`.
fn login_head(length: usize) -> String {
    format!(
        "POST /api/auth/login HTTP/1.1\r\nHost: {host}\r\nOrigin: {origin}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nAccept: application/json\r\n\
         Content-Length: {length}\r\n\r\n",
        host = common::web::HOST,
        origin = common::web::ORIGIN,
    )
}

/// A connection from a given loopback address (127.0.0.0/8 is all this
/// machine's), so that the server sees distinct clients.
async fn connect_from(
    local: &str,
    server: std::net::SocketAddr,
) -> std::io::Result<tokio::net::TcpStream> {
    let socket = tokio::net::TcpSocket::new_v4()?;
    socket.bind(format!("{local}:0").parse().unwrap())?;
    socket.connect(server).await
}

/// 600 connections from one address send a login's headers and never its
/// body, each opened again as soon as it is dropped, while another client
/// logs in: it is answered within 2 s. Bounded: the stalling stops with
/// the test, which gives up after 20 s.
async fn stalled_bodies_from_one_client_do_not_starve_the_others(db: &TestDb) {
    use tokio::io::AsyncWriteExt;
    seed_demo(db).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server_address = listener.local_addr().unwrap();
    let router = app_for(db);
    let server = tokio::spawn(server::serve::serve(
        listener,
        router,
        server::serve::ConnectionLimits::default(),
        std::future::pending(),
    ));
    let stalling = tokio::spawn(async move {
        let mut tasks = Vec::new();
        for _ in 0..600 {
            tasks.push(tokio::spawn(async move {
                loop {
                    if let Ok(mut stream) = connect_from("127.0.0.1", server_address).await {
                        if stream.write_all(login_head(100).as_bytes()).await.is_ok() {
                            // Held open until the server drops it.
                            let _ = status_of(&mut stream).await;
                        }
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                }
            }));
        }
        futures::future::join_all(tasks).await;
    });
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;

    let result = tokio::time::timeout(std::time::Duration::from_secs(20), async {
        let started = std::time::Instant::now();
        let body = "login=tech.wang&password=wrong-password";
        let mut stream = connect_from("127.0.0.2", server_address).await?;
        stream.write_all(login_head(body.len()).as_bytes()).await?;
        stream.write_all(body.as_bytes()).await?;
        let status = status_of(&mut stream).await?;
        Ok::<_, std::io::Error>((status, started.elapsed()))
    })
    .await;
    stalling.abort();
    server.abort();
    let (status, took) = result
        .expect("the other client was answered within 20 s")
        .expect("the other client's connection worked");
    assert_eq!(status, 401, "the other client's login was checked");
    assert!(
        took < std::time::Duration::from_secs(2),
        "the other client waited {took:?}"
    );
}

/// A client that sends part of a request's head and then nothing is cut
/// off after the header read timeout (shortened here to 1 s).
async fn a_request_head_sent_too_slowly_is_cut_off(db: &TestDb) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server_address = listener.local_addr().unwrap();
    let server = tokio::spawn(server::serve::serve(
        listener,
        app_for(db),
        server::serve::ConnectionLimits {
            header_read_timeout: std::time::Duration::from_secs(1),
            ..server::serve::ConnectionLimits::default()
        },
        std::future::pending(),
    ));
    let mut stream = tokio::net::TcpStream::connect(server_address)
        .await
        .unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: doorstep.test\r\n")
        .await
        .unwrap();
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        stream.read_to_end(&mut rest),
    )
    .await;
    server.abort();
    assert!(
        matches!(closed, Ok(Ok(_))),
        "the half-sent head was not cut off within 5 s: {closed:?}"
    );
}

crate::on_both_engines!(
    throttling_behind_a_trusted_proxy_is_per_forwarded_address,
    stalled_bodies_from_one_client_do_not_starve_the_others,
    a_request_head_sent_too_slowly_is_cut_off,
);

/// The review's case: set off online, then a check-in sent hours later
/// through the sync with the phone's time set back inside the window,
/// before the set-off. It is kept, flagged with why, and counts at the
/// server's receive time; times no phone could have (0, −2⁶³) likewise.
async fn a_check_in_timed_before_what_preceded_it_counts_at_its_receipt(db: &TestDb) {
    use app::api::sync::Change;
    use common::web::log_in;
    use sqlx::Row;
    let app = seeded(db).await;
    let wang = log_in(&app, "tech.wang").await;
    let today: Vec<serde_json::Value> =
        common::web::ok_json(&app, call("/api/today/list", "", Some(&wang))).await;
    let visits: Vec<String> = today
        .iter()
        .map(|visit| visit["id"].as_str().unwrap().to_string())
        .collect();
    let now = app::domain::time::Timestamp::now().unix_millis();
    let set_off = call(
        "/api/visits/event",
        &format!(
            "operation_id={}&visit_id={}&event=set_off",
            new_id(),
            visits[0]
        ),
        Some(&wang),
    );
    assert_eq!(send(&app, set_off).await.status, StatusCode::OK);
    let set_off_at: i64 = sqlx::query("SELECT on_the_way_at_ms FROM visits WHERE id = $1")
        .bind(&visits[0])
        .fetch_one(db.store.pool())
        .await
        .unwrap()
        .get("on_the_way_at_ms");

    let cases = [
        (&visits[0], set_off_at - 35 * 60_000, "before_previous_step"),
        (&visits[1], 0, "before_assignment"),
        (&visits[2], i64::MIN, "before_assignment"),
        (&visits[3], now + 3_600_000, "ahead_of_server"),
    ];
    for (visit, made_at_ms, doubt) in cases {
        let check_in = Change::Step {
            event: app::domain::visit::VisitEvent::CheckIn,
            position: None,
        };
        let answer = sync_change(&app, &wang, visit, check_in, made_at_ms, None).await;
        assert_eq!(
            answer.status,
            StatusCode::OK,
            "{made_at_ms}: {}",
            answer.body
        );
        let row = sqlx::query(
            "SELECT arrived_at_ms, arrived_device_at_ms, arrived_received_at_ms, \
             arrival_clock_flagged, arrival_clock_doubt FROM visits WHERE id = $1",
        )
        .bind(visit.as_str())
        .fetch_one(db.store.pool())
        .await
        .unwrap();
        let received: i64 = row.get("arrived_received_at_ms");
        assert_eq!(
            row.get::<i64, _>("arrived_at_ms"),
            received,
            "{doubt}: counts at its receipt"
        );
        assert_eq!(
            row.get::<Option<i64>, _>("arrived_device_at_ms"),
            Some(made_at_ms),
            "kept"
        );
        assert_eq!(row.get::<i32, _>("arrival_clock_flagged"), 1, "{doubt}");
        assert_eq!(
            row.get::<Option<String>, _>("arrival_clock_doubt")
                .as_deref(),
            Some(doubt)
        );
    }
    // The sync log shows each of them flagged.
    let log: Vec<serde_json::Value> = common::web::ok_json(
        &app,
        call(
            "/api/sync/log",
            &format!("visit_id={}", visits[0]),
            Some(&wang),
        ),
    )
    .await;
    assert!(
        log.iter()
            .any(|entry| entry["clock_flagged"] == serde_json::json!(true)),
        "{log:?}"
    );
}

/// Answers with people's data are kept by no shared cache; a refused
/// cross-site request is the client's doing, not an error for the operator.
async fn personal_answers_are_not_cached_and_refusals_are_not_errors(db: &TestDb) {
    use common::web::{get, log_in};
    let app = seeded(db).await;
    let log = common::CapturedLog::default();
    let _logging = log.capture();
    let wang = log_in(&app, "tech.wang").await;
    for request in [
        get("/", Some(&wang)),
        get("/login", None),
        call("/api/today/list", "", Some(&wang)),
        call("/api/auth/who_am_i", "", Some(&wang)),
        call("/api/today/list", "", None),
    ] {
        let path = request.uri().path().to_string();
        let answer = send(&app, request).await;
        assert_eq!(
            answer
                .headers
                .get("cache-control")
                .map(|v| v.to_str().unwrap()),
            Some("private, no-store"),
            "{path} ({})",
            answer.status
        );
    }
    let mut cross_site = call("/api/today/list", "", Some(&wang));
    cross_site.headers_mut().insert(
        "origin",
        axum::http::HeaderValue::from_static("https://evil.example"),
    );
    assert_eq!(send(&app, cross_site).await.status, StatusCode::FORBIDDEN);
    assert_eq!(log.errors(), Vec::<String>::new());
}

crate::on_both_engines!(
    a_check_in_timed_before_what_preceded_it_counts_at_its_receipt,
    personal_answers_are_not_cached_and_refusals_are_not_errors,
);
