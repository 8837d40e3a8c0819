//! Malformed input at every endpoint: generated payloads (random bytes,
//! JSON of the wrong shape, the right fields with wrong values, truncated
//! JSON, odd content types) sent to every server function the router
//! serves, by nobody and by each role, and generated paths and queries sent
//! to the pages and the other routes. Whatever arrives, the server answers
//! without a 5xx and without a panic, and an answer that refused the input
//! (400, 413, 415, 422) left the database as it was.
//!
//! The cases are drawn from a fixed seed, so a failure repeats; set
//! `DOORSTEP_MALFORMED_CASES` for a longer run (see docs/testing.md, "Fuzzing").

use crate::common;

use app::zone::ServiceZone;
use axum::body::Body;
use axum::http::{header, Method, Request};
use common::web::{app_for, log_in, send, send_unless_stream, urlencode, HOST, ORIGIN};
use common::TestDb;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRng, TestRunner};
use sqlx::Row;

/// Every table a refused request must leave alone. Not here: sessions and
/// login failures (a refused login is counted, by design), and the
/// dashboard's kept days (a cache filled by reads).
const TABLES: &[&str] = &[
    "visits",
    "users",
    "customers",
    "appliances",
    "work_orders",
    "applied_operations",
    "regions",
    "technicians",
    "checklist_results",
    "visit_fees",
    "visit_parts",
    "sign_offs",
    "complaints",
    "photos",
    "field_insights",
    "visit_record_revisions",
    "visit_handovers",
    "held_operations",
    "photo_uploads",
    "complaint_steps",
    "follow_up_calls",
    "callback_sampling",
    "password_codes",
    "admin_audit",
    "checklist_templates",
    "checklist_template_items",
    "service_points",
    "fee_schedule_versions",
    "fee_schedule_items",
    "fee_codes",
];

/// Row counts of every table and the state of every visit and work order,
/// read in one query.
async fn footprint(db: &TestDb) -> String {
    let counts = TABLES
        .iter()
        .map(|table| format!("(SELECT COUNT(*) FROM {table})"))
        .collect::<Vec<_>>()
        .join(" || ',' || ");
    let states = "(SELECT COALESCE(STRING_AGG(id || status || COALESCE(outcome, ''), ',' ORDER BY id), '') FROM visits)";
    let sqlite_states =
        "(SELECT COALESCE(GROUP_CONCAT(s, ','), '') FROM (SELECT id || status || COALESCE(outcome, '') AS s FROM visits ORDER BY id))";
    let orders =
        "(SELECT COALESCE(STRING_AGG(id || status, ',' ORDER BY id), '') FROM work_orders)";
    let sqlite_orders = "(SELECT COALESCE(GROUP_CONCAT(s, ','), '') FROM (SELECT id || status AS s FROM work_orders ORDER BY id))";
    let postgres = !db.database.is_sqlite();
    let sql = format!(
        "SELECT CAST({counts} AS TEXT) || ';' || {} || ';' || {} AS footprint",
        if postgres { states } else { sqlite_states },
        if postgres { orders } else { sqlite_orders },
    );
    sqlx::query(&sql)
        .fetch_one(db.store.pool())
        .await
        .unwrap()
        .try_get::<String, _>("footprint")
        .unwrap()
}

/// Field names the server functions take, so generated payloads often
/// reach the decoding of real fields rather than failing at the first key.
const FIELDS: &[&str] = &[
    "operation_id",
    "visit_id",
    "work_order_id",
    "technician_id",
    "region_id",
    "customer_id",
    "complaint_id",
    "photo_id",
    "login",
    "password",
    "event",
    "item_key",
    "answer",
    "outcome",
    "quantity",
    "unit_price_fen",
    "offset",
    "piece",
    "query",
    "step",
    "rates",
    "sign_off",
    "intake",
    "input",
    "operation",
    "data_base64",
    "made_at_ms",
    "sent_at_ms",
    "device_time_ms",
    "strokes",
    "customer_name",
    "existing_customer",
];

/// Values that are wrong for every field they are given to: not ids, not
/// numbers in range, not one of any enumeration's names.
fn wrong_value() -> impl Strategy<Value = serde_json::Value> {
    prop_oneof![
        Just(serde_json::Value::Null),
        Just(serde_json::json!(-1)),
        Just(serde_json::json!(1e308)),
        Just(serde_json::json!(18_446_744_073_709_551_615u64)),
        Just(serde_json::json!(true)),
        Just(serde_json::json!([])),
        Just(serde_json::json!({})),
        Just(serde_json::json!("")),
        Just(serde_json::json!("\u{0}")),
        Just(serde_json::json!("' OR 1=1 --")),
        Just(serde_json::json!("../../etc/passwd")),
        Just(serde_json::json!("x".repeat(5000))),
        // Text that displays other than it reads, and invisible text.
        Just(serde_json::json!("王\u{202E}秀英")),
        Just(serde_json::json!("\u{FEFF}\u{200B}\u{2060}")),
        // Times no phone could have, and a signature padded with empty strokes.
        Just(serde_json::json!(i64::MIN)),
        Just(serde_json::json!(0)),
        Just(serde_json::json!(vec![serde_json::json!([]); 5_000])),
        "[\\PC]{1,24}".prop_map(|text| serde_json::json!(format!("不是{text}"))),
    ]
}

fn json_shape() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        wrong_value(),
        any::<i64>().prop_map(serde_json::Value::from),
        "[\\PC]{0,12}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            proptest::collection::btree_map(
                prop_oneof![
                    proptest::sample::select(FIELDS).prop_map(str::to_string),
                    "[a-z_]{1,10}"
                ],
                inner,
                0..6
            )
            .prop_map(|map| serde_json::Value::Object(map.into_iter().collect())),
        ]
    })
}

#[derive(Clone, Debug)]
struct Payload {
    content_type: Option<&'static str>,
    body: Vec<u8>,
}

fn payload() -> impl Strategy<Value = Payload> {
    let form = proptest::collection::vec((proptest::sample::select(FIELDS), wrong_value()), 0..6)
        .prop_map(|pairs| {
            pairs
                .into_iter()
                .map(|(key, value)| {
                    let text = match value {
                        serde_json::Value::String(text) => text,
                        other => other.to_string(),
                    };
                    format!("{key}={}", urlencode(&text))
                })
                .collect::<Vec<_>>()
                .join("&")
                .into_bytes()
        });
    let fields_json =
        proptest::collection::btree_map(proptest::sample::select(FIELDS), wrong_value(), 0..6)
            .prop_map(|map| {
                serde_json::Value::Object(
                    map.into_iter()
                        .map(|(key, value)| (key.to_string(), value))
                        .collect(),
                )
                .to_string()
                .into_bytes()
            });
    let truncated_json = (json_shape(), any::<prop::sample::Index>()).prop_map(|(json, cut)| {
        let text = serde_json::to_string(&serde_json::json!({ "operation": json })).unwrap();
        // Cut inside the text: always before the closing brace.
        let at = cut.index(text.len() - 1);
        text.as_bytes()[..at].to_vec()
    });
    let content_type = prop_oneof![
        Just(Some("application/x-www-form-urlencoded")),
        Just(Some("application/json")),
        Just(Some("text/plain")),
        Just(Some("multipart/form-data; boundary=x")),
        Just(Some("application/cbor")),
        Just(None),
    ];
    (
        content_type,
        prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..300),
            form,
            fields_json,
            json_shape().prop_map(|json| json.to_string().into_bytes()),
            truncated_json,
        ],
    )
        .prop_map(|(content_type, body)| Payload { content_type, body })
}

/// Paths and queries for the routes that are not server functions.
fn odd_get() -> impl Strategy<Value = String> {
    let segment = prop_oneof![
        Just("%00".to_string()),
        Just("..%2F..%2Fetc%2Fpasswd".to_string()),
        Just("%FF%FE".to_string()),
        Just("x".repeat(3000)),
        Just("019a0000-0000-7000-8000-000000000000".to_string()),
        "[a-zA-Z0-9%._~-]{0,40}",
    ];
    (
        proptest::sample::select(
            &[
                "/visits/{}",
                "/visits/{}/record",
                "/customers/{}",
                "/api/photos/{}",
                "/api/desk/events?region_id={}",
                "/api/dashboard/export.csv?table={}&period=month&date={}",
                "/api/admin/audit.csv?lang={}",
                "/admin?{}={}",
                "/set-password?login={}",
                "/dashboard?period={}&date={}&region={}",
                "/?lang={}",
                "/login?next={}",
                "/{}",
            ][..],
        ),
        segment.clone(),
        segment.clone(),
        segment,
    )
        .prop_map(|(template, a, b, c)| {
            template
                .replacen("{}", &a, 1)
                .replacen("{}", &b, 1)
                .replacen("{}", &c, 1)
        })
}

fn cases_per_endpoint() -> usize {
    std::env::var("DOORSTEP_MALFORMED_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(12)
}

fn draw<S: Strategy>(strategy: &S, runner: &mut TestRunner) -> S::Value {
    strategy.new_tree(runner).unwrap().current()
}

fn is_refusal_of_input(status: u16) -> bool {
    matches!(status, 400 | 413 | 415 | 422)
}

async fn malformed_input_is_refused_cleanly(db: &TestDb) {
    server::demo::seed_if_empty(&db.store, ServiceZone::DEFAULT, server::demo::History::None)
        .await
        .unwrap();
    let app = app_for(db);
    let mut sessions = vec![None];
    for login in ["tech.wang", "dispatch.zhao", "admin"] {
        sessions.push(Some(log_in(&app, login).await));
    }
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::deterministic_rng(proptest::test_runner::RngAlgorithm::ChaCha),
    );
    let mut paths: Vec<&str> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .collect();
    paths.sort_unstable();
    assert!(paths.len() >= 30, "the server functions are registered");

    let (mut sent, mut refused) = (0usize, 0usize);
    let payloads = payload();
    for path in &paths {
        for case in 0..cases_per_endpoint() {
            let payload = draw(&payloads, &mut runner);
            let session = sessions[case % sessions.len()].as_deref();
            let mut request = Request::post(*path)
                .extension(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                    [192, 0, 2, 10],
                    40_000,
                ))))
                .header(header::HOST, HOST)
                .header(header::ORIGIN, ORIGIN)
                .header(header::ACCEPT, "application/json");
            if let Some(content_type) = payload.content_type {
                request = request.header(header::CONTENT_TYPE, content_type);
            }
            if let Some(token) = session {
                request = request.header(header::COOKIE, format!("doorstep_session={token}"));
            }
            // Forwarding headers from a peer nobody trusts, some of them garbage.
            request = request
                .header(
                    "x-forwarded-for",
                    ["203.0.113.9", "unknown, ::1", "[", "1.2.3.4:99999"][case % 4],
                )
                .header(
                    "forwarded",
                    ["for=\"[::1]:80\"", "for=;;", "by=x", "for=192.0.2.1"][case % 4],
                );
            let before = footprint(db).await;
            let answer = send(
                &app,
                request.body(Body::from(payload.body.clone())).unwrap(),
            )
            .await;
            let status = answer.status.as_u16();
            sent += 1;
            assert!(
                status < 500,
                "{path} answered {status} to {payload:?} (as {}): {}",
                if session.is_some() {
                    "a signed-in role"
                } else {
                    "nobody"
                },
                answer.body
            );
            if is_refusal_of_input(status) {
                refused += 1;
                assert_eq!(
                    footprint(db).await,
                    before,
                    "{path} refused {payload:?} with {status} but wrote"
                );
                assert!(
                    !answer.body.contains("panicked") && !answer.body.contains("sqlx"),
                    "{path}: internal detail shown: {}",
                    answer.body
                );
            }
        }
    }
    // Most generated payloads must be refused as input, or the test would
    // be throwing valid calls.
    assert!(
        refused * 2 > sent,
        "only {refused} of {sent} payloads were refused as malformed"
    );

    let gets = odd_get();
    for case in 0..cases_per_endpoint() * 10 {
        let path = draw(&gets, &mut runner);
        let session = sessions[case % sessions.len()].as_deref();
        let mut request = Request::builder()
            .method(Method::GET)
            .uri(&path)
            .header(header::HOST, HOST);
        if let Some(token) = session {
            request = request.header(header::COOKIE, format!("doorstep_session={token}"));
        }
        let Ok(request) = request.body(Body::empty()) else {
            // Not a URI at all: no request of it can reach the server.
            continue;
        };
        let before = footprint(db).await;
        // A dispatcher's own board stream is a valid GET that never ends.
        let answer = send_unless_stream(&app, request).await;
        let status = answer.status.as_u16();
        assert!(
            status < 500,
            "GET {path} answered {status}: {}",
            answer.body
        );
        assert_eq!(footprint(db).await, before, "GET {path} wrote");
    }
}

on_both_engines!(malformed_input_is_refused_cleanly);
