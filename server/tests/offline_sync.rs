//! The phone's outbox against the real server: operations applied once
//! each whatever the network does, device times kept, photos resumed,
//! and work on a visit the office changed meanwhile held, never dropped.
//! Both engines.

use crate::common;

use std::cell::RefCell;

use app::api::sync::{
    BatchAnswer, Change, KitAnswer, KitVisit, OperationAnswer, SentBatch, SentOperation,
    SyncAnswer, VisitOperation, BATCH_MAX_OPERATIONS,
};
use app::api::visits::SignOffInput;
use app::domain::auth::Role;
use app::domain::checklist::default_template;
use app::domain::ids::RecordId;
use app::domain::visit::{VisitEvent, VisitStatus};
use app::sync::outbox::{flush, Delivery, Outbox, Pending};
use axum::http::StatusCode;
use common::fixtures::{self, count, id, HOUR};
use common::web::{app_for, call, json_call, log_in, send};
use common::{Dice, TestDb};
use sqlx::Row;

/// A 1×1 JPEG's bytes as base64 (the server checks the type by its first
/// bytes), padded with a comment segment so it goes up in several pieces.
fn photo_base64(pieces: usize) -> String {
    use base64::Engine;
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
    jpeg.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    jpeg.extend(std::iter::repeat_n(b'x', pieces * 3_000));
    jpeg.extend_from_slice(&[0xFF, 0xD9]);
    base64::engine::general_purpose::STANDARD.encode(jpeg)
}

fn now_ms() -> i64 {
    app::domain::time::Timestamp::now().unix_millis()
}

/// The outbox's change as the phone's sync sends it.
fn sent(pending: &Pending<VisitOperation>, sent_at_ms: i64) -> SentOperation {
    SentOperation {
        operation_id: pending.operation_id.clone(),
        made_at_ms: pending.made_at_ms,
        sent_at_ms,
        visit_id: pending.change.visit_id.clone(),
        change: pending.change.change.clone(),
    }
}

/// Posts to the sync as the phone does; answers the status and the
/// decoded answer (or the error body).
async fn post<T: serde::de::DeserializeOwned>(
    app: &axum::Router,
    session: &str,
    path: &str,
    body: serde_json::Value,
) -> (StatusCode, Result<T, String>) {
    let answer = send(app, json_call(path, &body, Some(session))).await;
    let decoded = if answer.status == StatusCode::OK {
        Ok(serde_json::from_str(&answer.body).unwrap())
    } else {
        Err(answer.body)
    };
    (answer.status, decoded)
}

/// Sends one operation alone.
async fn apply(
    app: &axum::Router,
    session: &str,
    pending: &Pending<VisitOperation>,
    sent_at_ms: i64,
) -> (StatusCode, Result<SyncAnswer, String>) {
    let body = serde_json::json!({ "operation": sent(pending, sent_at_ms) });
    post(app, session, "/api/sync/apply", body).await
}

/// Sends operations in one request.
async fn apply_batch(
    app: &axum::Router,
    session: &str,
    batch: &[Pending<VisitOperation>],
) -> (StatusCode, Result<BatchAnswer, String>) {
    let operations = batch
        .iter()
        .map(|pending| sent(pending, now_ms()))
        .collect();
    let body = serde_json::json!({ "batch": SentBatch { operations } });
    post(app, session, "/api/sync/apply_batch", body).await
}

/// The phone's deliveries for a batch's answer, as its sync reads them.
fn deliveries(
    batch: &[Pending<VisitOperation>],
    (status, answer): (StatusCode, Result<BatchAnswer, String>),
) -> Vec<(String, Delivery)> {
    match answer {
        Ok(answer) => answer
            .answers
            .into_iter()
            .map(|answered| (answered.operation_id, Delivery::of_answer(answered.answer)))
            .collect(),
        Err(body) => match serde_json::from_str::<app::api::error::AppError>(&body) {
            Ok(error) => vec![(
                batch[0].operation_id.clone(),
                Delivery::of::<()>(&Err(error)),
            )],
            Err(_) => panic!("{status}: {body}"),
        },
    }
}

async fn upload_piece(
    app: &axum::Router,
    session: &str,
    photo_id: &str,
    offset: usize,
    piece: &str,
) -> usize {
    let answer = send(
        app,
        json_call(
            "/api/sync/photo_piece",
            &serde_json::json!({ "photo_id": photo_id, "offset": offset, "piece": piece }),
            Some(session),
        ),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer.body.parse().unwrap()
}

/// A whole photo, in pieces of 3,000 characters.
async fn upload_whole(app: &axum::Router, session: &str, photo_id: &str, photo: &str) {
    let mut offset = 0;
    while offset < photo.len() {
        let end = (offset + 3_000).min(photo.len());
        offset = upload_piece(app, session, photo_id, offset, &photo[offset..end]).await;
    }
}

fn sign_off() -> SignOffInput {
    SignOffInput {
        signer_name: "王秀英".into(),
        strokes: vec![vec![(2.0, 3.0), (40.0, 22.0), (80.0, 9.0)]],
        customer_says_fixed: Some(true),
        skill: Some(5),
        attitude: Some(5),
        timeliness: Some(5),
        parts_supply: Some(4),
        overall: Some(5),
        no_arguing: Some(true),
        no_eating_drinking_smoking: Some(true),
        no_gifts: Some(true),
        no_extra_charges: Some(true),
        arrival_confirmed: Some(true),
        comment: String::new(),
        position: None,
    }
}

/// Every change of one whole visit, in the order a technician makes them:
/// the steps, each checklist item (with a photo where the template asks
/// for one), a part, a fee, a note, the outcome and the customer's
/// signature. Photos named here are uploaded before their change.
fn whole_visit(visit_id: &str, photo_id: &str) -> Vec<Change> {
    let mut changes = server::load::arrival_steps().to_vec();
    for (n, item) in default_template().items.iter().enumerate() {
        changes.push(if n == 0 {
            Change::Photo {
                item_key: item.key.clone(),
                photo_id: photo_id.to_string(),
            }
        } else {
            Change::Done {
                item_key: item.key.clone(),
            }
        });
    }
    changes.extend([
        Change::Part {
            part_id: id().to_string(),
            code: "wm-belt-01".into(),
            name: "洗衣机皮带".into(),
            quantity: "1".into(),
            unit_price_fen: "4500".into(),
            charge_reason: "保修不含的易损件".into(),
        },
        Change::Fee {
            charge_id: id().to_string(),
            code: app::domain::charges::FeeSchedule::default_for(
                app::domain::work_order::ApplianceCategory::WashingMachine,
            )
            .items[0]
                .code
                .to_string(),
            quantity: "1".into(),
        },
        Change::Insight {
            insight_id: id().to_string(),
            category: "user_suggestion".into(),
            note: format!("{visit_id}: 用户想换新冰箱"),
        },
        Change::Outcome {
            fixed: true,
            reason: String::new(),
            detail: String::new(),
        },
        Change::Step {
            event: VisitEvent::FinishWork,
            position: None,
        },
        Change::SignOff {
            sign_off: sign_off(),
        },
    ]);
    changes
}

fn pending(visit_id: &str, change: Change, made_at_ms: i64) -> Pending<VisitOperation> {
    Pending {
        operation_id: id().to_string(),
        made_at_ms,
        change: VisitOperation {
            visit_id: visit_id.to_string(),
            change,
        },
    }
}

/// A technician's day: the app, their session, their id and region, and
/// their visits' ids.
struct Day {
    app: axum::Router,
    session: String,
    technician: RecordId,
    region: RecordId,
    visits: Vec<String>,
}

/// A technician in a region with `visits` visits of their own, windows
/// around now.
async fn technician_with_visits(db: &TestDb, visits: usize) -> Day {
    let store = &db.store;
    let region = fixtures::region(store, "东区").await;
    let wang = fixtures::user(store, "tech.wang", Role::Technician, Some(&region)).await;
    let mut ids = Vec::new();
    for n in 0..visits {
        let start = now_ms() - 3 * HOUR;
        let order = fixtures::order(
            store,
            &region,
            &format!("客户{n}"),
            fixtures::window(start, 4),
        )
        .await;
        ids.push(
            fixtures::visit(store, &order, Some(&wang))
                .await
                .id
                .to_string(),
        );
    }
    let app = app_for(db);
    let session = log_in(&app, "tech.wang").await;
    Day {
        app,
        session,
        technician: wang,
        region,
        visits: ids,
    }
}

async fn a_visit_done_offline_arrives_once_with_the_phones_times(db: &TestDb) {
    let Day {
        app,
        session,
        visits,
        ..
    } = technician_with_visits(db, 1).await;
    let visit = &visits[0];
    let photo_id = id().to_string();
    let photo = photo_base64(4);
    // Made offline two hours ago, a minute apart, by a phone whose clock is
    // two seconds behind the server's.
    let made_from = now_ms() - 2 * HOUR;
    let operations: Vec<_> = whole_visit(visit, &photo_id)
        .into_iter()
        .enumerate()
        .map(|(n, change)| pending(visit, change, made_from + n as i64 * 60_000))
        .collect();
    upload_whole(&app, &session, &photo_id, &photo).await;
    for operation in &operations {
        // Each request answered twice: the same answer both times.
        let first = apply(&app, &session, operation, now_ms() - 2_000).await;
        let again = apply(&app, &session, operation, now_ms() - 2_000).await;
        assert_eq!(
            first.0,
            StatusCode::OK,
            "{:?}: {:?}",
            operation.change,
            first.1
        );
        assert_eq!(first, again);
        assert_eq!(first.1, Ok(SyncAnswer::Applied));
    }
    let rows = sqlx::query(
        "SELECT operation_id, kind, device_at_ms, device_clock_skew_ms FROM applied_operations \
         WHERE visit_id = $1 ORDER BY device_at_ms",
    )
    .bind(visit.as_str())
    .fetch_all(db.store.pool())
    .await
    .unwrap();
    assert_eq!(rows.len(), operations.len(), "every operation exactly once");
    for (row, operation) in rows.iter().zip(&operations) {
        assert_eq!(row.get::<String, _>("operation_id"), operation.operation_id);
        assert_eq!(row.get::<String, _>("kind"), operation.change.change.kind());
        assert_eq!(row.get::<i64, _>("device_at_ms"), operation.made_at_ms);
        let skew = row.get::<i64, _>("device_clock_skew_ms");
        assert!((2_000..60_000).contains(&skew), "skew {skew}");
    }
    let visit_row = sqlx::query(
        "SELECT status, on_the_way_at_ms, arrived_at_ms, arrived_received_at_ms, \
         arrival_clock_flagged, work_finished_at_ms FROM visits WHERE id = $1",
    )
    .bind(visit.as_str())
    .fetch_one(db.store.pool())
    .await
    .unwrap();
    assert_eq!(visit_row.get::<String, _>("status"), "signed");
    // The steps count at the phone's times: on time, though received hours later.
    assert_eq!(visit_row.get::<i64, _>("on_the_way_at_ms"), made_from);
    assert_eq!(visit_row.get::<i64, _>("arrived_at_ms"), made_from + 60_000);
    assert!(visit_row.get::<i64, _>("arrived_received_at_ms") > made_from + HOUR);
    assert_eq!(visit_row.get::<i32, _>("arrival_clock_flagged"), 0);
    let record = db
        .store
        .visit_record(&RecordId::parse("v", visit).unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.parts.len(), 1);
    assert_eq!(record.fees.len(), 1);
    assert!(record.seal.unwrap().intact);
    assert_eq!(count(&db.store, "photos").await, 1);
    assert_eq!(count(&db.store, "photo_uploads").await, 0);
    assert_eq!(count(&db.store, "field_insights").await, 1);
    // The sync log shows each operation with both clocks.
    let log = db
        .store
        .sync_log(&RecordId::parse("v", visit).unwrap())
        .await
        .unwrap();
    assert_eq!(log.len(), operations.len());
    assert!(log
        .iter()
        .all(|entry| entry.held.is_none() && !entry.clock_flagged));
}

/// The customer would not sign: the phone closes the visit unsigned
/// through the outbox, once, and a close with nothing chosen is refused
/// by name and changes nothing.
async fn a_visit_closed_unsigned_offline_arrives_once(db: &TestDb) {
    let Day {
        app,
        session,
        visits,
        ..
    } = technician_with_visits(db, 1).await;
    let visit = &visits[0];
    let photo_id = id().to_string();
    let photo = photo_base64(4);
    upload_whole(&app, &session, &photo_id, &photo).await;
    let mut changes = whole_visit(visit, &photo_id);
    assert!(matches!(changes.pop(), Some(Change::SignOff { .. })));
    let made_from = now_ms() - HOUR;
    for (n, change) in changes.into_iter().enumerate() {
        let operation = pending(visit, change, made_from + n as i64 * 60_000);
        let answer = apply(&app, &session, &operation, now_ms()).await;
        assert_eq!(answer.1, Ok(SyncAnswer::Applied), "{:?}", operation.change);
    }
    let unchosen = pending(
        visit,
        Change::CloseUnsigned {
            why: String::new(),
            reason: "用户拒绝签字".into(),
        },
        now_ms(),
    );
    let (status, answer) = apply(&app, &session, &unchosen, now_ms()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer:?}");
    assert!(answer.unwrap_err().contains("\"why\""));
    let closing = pending(
        visit,
        Change::CloseUnsigned {
            why: "customer_refused".into(),
            reason: "用户对收费有异议，拒绝签字".into(),
        },
        now_ms(),
    );
    for _ in 0..2 {
        let answer = apply(&app, &session, &closing, now_ms()).await;
        assert_eq!(answer.1, Ok(SyncAnswer::Applied));
    }
    let record = db
        .store
        .visit_record(&RecordId::parse("v", visit).unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.visit.status, VisitStatus::ClosedUnsigned);
    let unsigned = record.unsigned.unwrap();
    assert_eq!(unsigned.why.as_str(), "customer_refused");
    assert_eq!(unsigned.reason.as_str(), "用户对收费有异议，拒绝签字");
    assert!(record.seal.unwrap().intact);
    let log = db
        .store
        .sync_log(&RecordId::parse("v", visit).unwrap())
        .await
        .unwrap();
    assert_eq!(
        log.iter()
            .filter(|entry| entry.kind == "close_unsigned")
            .count(),
        1
    );
}

async fn a_phone_clock_far_from_the_servers_is_flagged(db: &TestDb) {
    let Day {
        app,
        session,
        visits,
        ..
    } = technician_with_visits(db, 1).await;
    let visit = &visits[0];
    // The phone's clock runs 20 minutes behind; the steps are made now.
    let behind = 20 * 60_000;
    for event in [VisitEvent::SetOff, VisitEvent::CheckIn] {
        let operation = pending(
            visit,
            Change::Step {
                event,
                position: None,
            },
            now_ms() - behind,
        );
        let answer = apply(&app, &session, &operation, now_ms() - behind).await;
        assert_eq!(answer.1, Ok(SyncAnswer::Applied));
    }
    let row = sqlx::query(
        "SELECT arrived_at_ms, arrived_received_at_ms, arrival_clock_flagged FROM visits \
         WHERE id = $1",
    )
    .bind(visit.as_str())
    .fetch_one(db.store.pool())
    .await
    .unwrap();
    assert_eq!(row.get::<i32, _>("arrival_clock_flagged"), 1);
    // Not taken for offline: the check-in counts when the server got it.
    assert_eq!(
        row.get::<i64, _>("arrived_at_ms"),
        row.get::<i64, _>("arrived_received_at_ms")
    );
    let log = db
        .store
        .sync_log(&RecordId::parse("v", visit).unwrap())
        .await
        .unwrap();
    assert!(log.iter().all(|entry| entry.clock_flagged));
}

async fn a_photo_upload_resumes_where_it_broke_off(db: &TestDb) {
    let Day {
        app,
        session,
        technician,
        region,
        ..
    } = technician_with_visits(db, 1).await;
    let photo_id = id().to_string();
    let photo = photo_base64(3);
    let piece = 4_000;
    assert_eq!(
        upload_piece(&app, &session, &photo_id, 0, &photo[..piece]).await,
        piece
    );
    // The answer was lost: the same piece again changes nothing.
    assert_eq!(
        upload_piece(&app, &session, &photo_id, 0, &photo[..piece]).await,
        piece
    );
    // A piece after a gap is not taken; the answer says where to go on.
    let gap = 2 * piece;
    assert_eq!(
        upload_piece(&app, &session, &photo_id, gap, &photo[gap..gap + piece]).await,
        piece
    );
    assert_eq!(
        upload_piece(&app, &session, &photo_id, piece, &photo[piece..]).await,
        photo.len()
    );
    let kept = db
        .store
        .photo_upload(&RecordId::parse("p", &photo_id).unwrap(), &technician)
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some(photo.as_str()));
    // Someone else can't add to it.
    fixtures::user(&db.store, "tech.li", Role::Technician, Some(&region)).await;
    let li = log_in(&app, "tech.li").await;
    let refused = send(
        &app,
        json_call(
            "/api/sync/photo_piece",
            &serde_json::json!({ "photo_id": photo_id, "offset": photo.len(), "piece": "AAAA" }),
            Some(&li),
        ),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

async fn work_on_a_visit_changed_meanwhile_is_held_for_the_dispatcher(db: &TestDb) {
    let Day {
        app,
        session,
        region,
        visits,
        ..
    } = technician_with_visits(db, 3).await;
    let (cancelled, reassigned, own) = (&visits[0], &visits[1], &visits[2]);
    let store = &db.store;
    let li = fixtures::technician(store, "tech.li", &region).await;
    // While the technician's phone was offline, the office cancelled one
    // visit and gave another to Li.
    sqlx::query("UPDATE visits SET status = 'cancelled' WHERE id = $1")
        .bind(cancelled.as_str())
        .execute(store.pool())
        .await
        .unwrap();
    let zhao = fixtures::user(store, "dispatch.zhao", Role::Dispatcher, Some(&region)).await;
    let order: String = sqlx::query("SELECT work_order_id FROM visits WHERE id = $1")
        .bind(reassigned.as_str())
        .fetch_one(store.pool())
        .await
        .unwrap()
        .get("work_order_id");
    store
        .assign(&app::store::assignments::Assignment {
            operation_id: &id(),
            dispatcher_id: &zhao,
            work_order_id: &RecordId::parse("o", &order).unwrap(),
            technician_id: &li,
            new_visit_id: &id(),
            window: None,
            confirmed: &[],
            at: app::domain::time::Timestamp::now(),
        })
        .await
        .unwrap();
    let set_off = |visit: &str| {
        pending(
            visit,
            Change::Step {
                event: VisitEvent::SetOff,
                position: None,
            },
            now_ms() - HOUR,
        )
    };
    use app::domain::conflict::HeldReason;
    for (visit, expected) in [
        (cancelled, HeldReason::Cancelled),
        (reassigned, HeldReason::Reassigned),
    ] {
        let operation = set_off(visit);
        for _ in 0..2 {
            let answer = apply(&app, &session, &operation, now_ms()).await;
            assert_eq!(answer, (StatusCode::OK, Ok(SyncAnswer::Held(expected))));
        }
    }
    assert_eq!(count(store, "held_operations").await, 2);
    // The region's dispatchers see it on their desk.
    let held = store.held_work_in_region(&region).await.unwrap();
    let mut reasons: Vec<_> = held.iter().map(|work| work.reason).collect();
    reasons.sort_by_key(|reason| reason.as_str());
    assert_eq!(reasons, [HeldReason::Cancelled, HeldReason::Reassigned]);
    assert!(held
        .iter()
        .all(|work| work.kind == "set_off" && work.technician_name.contains("tech.wang")));
    // The visits are as the office left them.
    let statuses: Vec<(String, Option<String>)> =
        sqlx::query("SELECT status, technician_id FROM visits WHERE id IN ($1, $2) ORDER BY id")
            .bind(cancelled.as_str())
            .bind(reassigned.as_str())
            .fetch_all(store.pool())
            .await
            .unwrap()
            .iter()
            .map(|row| (row.get("status"), row.get("technician_id")))
            .collect();
    assert!(statuses.contains(&(
        "cancelled".into(),
        Some(visits_owner(store, cancelled).await)
    )));
    assert!(statuses.contains(&("dispatched".into(), Some(li.to_string()))));
    let log = store
        .sync_log(&RecordId::parse("v", reassigned).unwrap())
        .await
        .unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].held, Some(HeldReason::Reassigned));
    // A refusal that is the technician's own is not held: the phone shows it.
    let out_of_order = pending(
        own,
        Change::Step {
            event: VisitEvent::StartWork,
            position: None,
        },
        now_ms(),
    );
    let answer = apply(&app, &session, &out_of_order, now_ms()).await;
    assert_eq!(answer.0, StatusCode::CONFLICT);
    // Nor is work on a visit the sender never had: Li on Wang's visit.
    let li_session = log_in(&app, "tech.li").await;
    let answer = apply(&app, &li_session, &set_off(own), now_ms()).await;
    assert_eq!(answer.0, StatusCode::FORBIDDEN);
    assert_eq!(count(store, "held_operations").await, 2);
}

/// Held work settled on the desk (`domain::conflict`, rule 7): applied only
/// where the visit as it stands takes it, kept as the technician's record,
/// or closed with a reason; once each, in the audit log, in the sync log.
async fn held_work_is_settled_once_and_shows_in_the_sync_log(db: &TestDb) {
    use app::domain::conflict::{HeldReason, SettlementOutcome};
    let Day {
        app,
        session,
        technician: wang,
        region,
        visits,
    } = technician_with_visits(db, 3).await;
    let (cancelled, reassigned, kept) = (&visits[0], &visits[1], &visits[2]);
    let store = &db.store;
    let li = fixtures::technician(store, "tech.li", &region).await;
    fixtures::user(store, "dispatch.zhao", Role::Dispatcher, Some(&region)).await;
    let west = fixtures::region(store, "西区").await;
    fixtures::user(store, "dispatch.sun", Role::Dispatcher, Some(&west)).await;
    sqlx::query("UPDATE visits SET status = 'cancelled' WHERE id IN ($1, $2)")
        .bind(cancelled.as_str())
        .bind(kept.as_str())
        .execute(store.pool())
        .await
        .unwrap();
    sqlx::query("UPDATE visits SET technician_id = $1 WHERE id = $2")
        .bind(li.as_str())
        .bind(reassigned.as_str())
        .execute(store.pool())
        .await
        .unwrap();
    sqlx::query("INSERT INTO visit_handovers (visit_id, technician_id, handed_over_at_ms) VALUES ($1, $2, $3)")
        .bind(reassigned.as_str())
        .bind(wang.as_str())
        .bind(now_ms())
        .execute(store.pool())
        .await
        .unwrap();
    let mut operations = Vec::new();
    for visit in [cancelled, reassigned, kept] {
        let operation = pending(
            visit,
            Change::Step {
                event: VisitEvent::SetOff,
                position: None,
            },
            now_ms() - HOUR,
        );
        let answer = apply(&app, &session, &operation, now_ms()).await;
        assert!(matches!(answer, (StatusCode::OK, Ok(SyncAnswer::Held(_)))));
        operations.push(operation.operation_id);
    }
    let zhao = log_in(&app, "dispatch.zhao").await;
    let sun = log_in(&app, "dispatch.sun").await;
    let settle = |session: &str, settlement: &str, operation: &str, outcome: &str, note: &str| {
        call(
            "/api/desk/settle_held",
            &format!(
                "settlement_id={settlement}&operation_id={operation}&outcome={outcome}&note={note}"
            ),
            Some(session),
        )
    };
    let unsettled = || async { store.held_work_in_region(&region).await.unwrap().len() };

    // Li has the visit now: Wang's set-off does not apply to it as it stands.
    let applying = id().to_string();
    let refused = send(
        &app,
        settle(&zhao, &applying, &operations[1], "applied", ""),
    )
    .await;
    assert!(
        [StatusCode::CONFLICT, StatusCode::FORBIDDEN].contains(&refused.status),
        "{}",
        refused.body
    );
    assert_eq!(unsettled().await, 3);
    // Another region's dispatcher may not settle it at all.
    let foreign = send(
        &app,
        settle(&sun, &id().to_string(), &operations[1], "recorded", ""),
    )
    .await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    // Given back to Wang, the work applies as if his phone sent it now; the
    // same settlement pressed again answers as the first.
    sqlx::query("UPDATE visits SET technician_id = $1 WHERE id = $2")
        .bind(wang.as_str())
        .bind(reassigned.as_str())
        .execute(store.pool())
        .await
        .unwrap();
    for _ in 0..2 {
        let applied = send(
            &app,
            settle(&zhao, &applying, &operations[1], "applied", ""),
        )
        .await;
        assert_eq!(applied.status, StatusCode::OK, "{}", applied.body);
        assert_eq!(
            serde_json::from_str::<SettlementOutcome>(&applied.body).unwrap(),
            SettlementOutcome::Applied
        );
    }
    let status: String = sqlx::query("SELECT status FROM visits WHERE id = $1")
        .bind(reassigned.as_str())
        .fetch_one(store.pool())
        .await
        .unwrap()
        .get("status");
    assert_eq!(VisitStatus::parse(&status), Some(VisitStatus::OnTheWay));

    // Closing needs a reason; with one it closes, and no other settlement
    // follows it.
    let closing = id().to_string();
    let no_reason = send(
        &app,
        settle(&zhao, &closing, &operations[0], "closed", "%20"),
    )
    .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        no_reason.body.contains("settlement_note"),
        "{}",
        no_reason.body
    );
    let reason = "客户来电说已另约时间，师傅未进门";
    let closed = send(
        &app,
        settle(&zhao, &closing, &operations[0], "closed", reason),
    )
    .await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
    let again = send(
        &app,
        settle(&zhao, &id().to_string(), &operations[0], "recorded", ""),
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("AlreadySettled"), "{}", again.body);
    // Kept as the technician's record: the visit stays cancelled.
    let recorded = send(
        &app,
        settle(&zhao, &id().to_string(), &operations[2], "recorded", ""),
    )
    .await;
    assert_eq!(recorded.status, StatusCode::OK, "{}", recorded.body);
    assert_eq!(visit_status(store, kept).await, "cancelled");
    assert_eq!(visit_status(store, cancelled).await, "cancelled");
    assert_eq!(unsettled().await, 0);

    // The sync log shows each settlement once, with who and why.
    let log = |visit: &str| {
        let visit = RecordId::parse("v", visit).unwrap();
        async move { store.sync_log(&visit).await.unwrap() }
    };
    let closed_log = log(cancelled).await;
    assert_eq!(closed_log.len(), 1);
    let settled = closed_log[0].settled.clone().expect("settled");
    assert_eq!(settled.outcome, SettlementOutcome::Closed);
    assert_eq!(settled.note.as_deref(), Some(reason));
    assert!(settled.by.contains("dispatch.zhao"), "{settled:?}");
    let applied_log = log(reassigned).await;
    assert_eq!(
        applied_log.len(),
        1,
        "applied once, listed once: {applied_log:?}"
    );
    assert_eq!(
        applied_log[0].settled.as_ref().map(|s| s.outcome),
        Some(SettlementOutcome::Applied)
    );
    assert_eq!(
        log(kept).await[0].settled.as_ref().map(|s| s.outcome),
        Some(SettlementOutcome::Recorded)
    );
    // Three settlements, three audit lines.
    let audited: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM admin_audit WHERE action = 'held_work_settled'")
            .fetch_one(store.pool())
            .await
            .unwrap()
            .get("n");
    assert_eq!(audited, 3);
    // The phone's resend still answers "held": its outbox is done with it.
    let resent = SentOperation {
        operation_id: operations[0].clone(),
        made_at_ms: now_ms() - HOUR,
        sent_at_ms: now_ms(),
        visit_id: cancelled.clone(),
        change: Change::Step {
            event: VisitEvent::SetOff,
            position: None,
        },
    };
    let answer = send(
        &app,
        json_call(
            "/api/sync/apply",
            &serde_json::json!({ "operation": resent }),
            Some(&session),
        ),
    )
    .await;
    assert_eq!(
        serde_json::from_str::<SyncAnswer>(&answer.body).unwrap(),
        SyncAnswer::Held(HeldReason::Cancelled)
    );
}

async fn visit_status(store: &app::store::Store, visit: &str) -> String {
    sqlx::query("SELECT status FROM visits WHERE id = $1")
        .bind(visit)
        .fetch_one(store.pool())
        .await
        .unwrap()
        .get("status")
}

async fn visits_owner(store: &app::store::Store, visit: &str) -> String {
    sqlx::query("SELECT technician_id FROM visits WHERE id = $1")
        .bind(visit)
        .fetch_one(store.pool())
        .await
        .unwrap()
        .get("technician_id")
}

/// A few hundred operations over several whole visits, made in an
/// interleaved order, sent through a connection that flaps: requests lost
/// on the way, answers lost on the way back, requests delivered twice,
/// photo uploads broken off halfway. When the network is back and the
/// outbox empty, the server holds exactly the operations the phone made,
/// each once.
async fn flapping_connectivity_leaves_the_server_with_exactly_the_phones_operations(db: &TestDb) {
    let Day {
        app,
        session,
        visits,
        ..
    } = technician_with_visits(db, 16).await;
    let mut dice = Dice(20261126);
    let photo = photo_base64(3);
    // Each visit's changes in order; visits interleaved at random.
    let mut queues: Vec<(String, String, std::collections::VecDeque<Change>)> = visits
        .iter()
        .map(|visit| {
            let photo_id = id().to_string();
            let changes = whole_visit(visit, &photo_id).into();
            (visit.clone(), photo_id, changes)
        })
        .collect();
    let outbox = RefCell::new(Outbox::<VisitOperation>::default());
    let mut made = Vec::new();
    let mut links_failed = 0;
    while queues.iter().any(|(_, _, changes)| !changes.is_empty()) {
        // A burst of changes made on the phone.
        for _ in 0..dice.below(6) {
            let open: Vec<usize> = (0..queues.len())
                .filter(|&n| !queues[n].2.is_empty())
                .collect();
            if open.is_empty() {
                break;
            }
            let n = open[dice.below(open.len() as u64) as usize];
            let change = queues[n].2.pop_front().unwrap();
            let operation = pending(&queues[n].0, change, now_ms());
            made.push(operation.operation_id.clone());
            outbox.borrow_mut().push(operation);
        }
        // An attempt to sync over a flapping link, in batches of the size
        // the phone sends.
        let fate = RefCell::new(Vec::new());
        for _ in 0..64 {
            fate.borrow_mut().push(dice.below(10));
        }
        flush(
            || outbox.borrow().batch(BATCH_MAX_OPERATIONS),
            |answers| outbox.borrow_mut().settle_all(answers, now_ms()).left,
            |batch| {
                let link = fate.borrow_mut().pop().unwrap_or(9);
                let cut = 1 + dice.below(batch.len() as u64) as usize;
                let (app, session, photo) = (&app, &session, &photo);
                async move {
                    let head = batch[0].operation_id.clone();
                    for pending in &batch {
                        if let Change::Photo { photo_id, .. } = &pending.change.change {
                            // Half the photo, then maybe the link breaks.
                            let half = photo.len() / 2;
                            let got = upload_piece(app, session, photo_id, 0, &photo[..half]).await;
                            if link == 1 {
                                return vec![(head, Delivery::Unreachable)];
                            }
                            upload_piece(app, session, photo_id, got, &photo[got..]).await;
                        }
                    }
                    match link {
                        // The request lost on the way.
                        0 => vec![(head, Delivery::Unreachable)],
                        // The answer lost on the way back.
                        2 => {
                            let _lost = apply_batch(app, session, &batch).await;
                            vec![(head, Delivery::Unreachable)]
                        }
                        // The request delivered twice.
                        3 => {
                            let _first = apply_batch(app, session, &batch).await;
                            deliveries(&batch, apply_batch(app, session, &batch).await)
                        }
                        // The request cut off on the way: the server got
                        // a prefix of the batch and answered it.
                        4 => deliveries(
                            &batch[..cut],
                            apply_batch(app, session, &batch[..cut]).await,
                        ),
                        _ => deliveries(&batch, apply_batch(app, session, &batch).await),
                    }
                }
            },
        )
        .await;
        if outbox.borrow().waiting_count() > 0 {
            links_failed += 1;
        }
    }
    // The network is back for good.
    flush(
        || outbox.borrow().batch(BATCH_MAX_OPERATIONS),
        |answers| outbox.borrow_mut().settle_all(answers, now_ms()).left,
        |batch| {
            let (app, session, photo) = (&app, &session, &photo);
            async move {
                for pending in &batch {
                    if let Change::Photo { photo_id, .. } = &pending.change.change {
                        let got = upload_piece(app, session, photo_id, 0, "").await;
                        upload_piece(app, session, photo_id, got, &photo[got..]).await;
                    }
                }
                deliveries(&batch, apply_batch(app, session, &batch).await)
            }
        },
    )
    .await;
    let outbox = outbox.into_inner();
    assert!(made.len() >= 300, "{} operations", made.len());
    assert!(links_failed > 10, "the link failed {links_failed} times");
    assert_eq!(outbox.waiting_count(), 0);
    let refused: Vec<_> = outbox
        .refused()
        .iter()
        .map(|r| (&r.pending.change.change, &r.reason))
        .collect();
    assert!(refused.is_empty(), "{refused:?}");
    let mut on_server: Vec<String> =
        sqlx::query("SELECT operation_id FROM applied_operations WHERE visit_id IS NOT NULL")
            .fetch_all(db.store.pool())
            .await
            .unwrap()
            .iter()
            .map(|row| row.get("operation_id"))
            .collect();
    on_server.sort();
    made.sort();
    assert_eq!(on_server, made);
    let signed: i64 = sqlx::query("SELECT COUNT(*) AS n FROM visits WHERE status = 'signed'")
        .fetch_one(db.store.pool())
        .await
        .unwrap()
        .get("n");
    assert_eq!(signed, 16);
    for table in ["visit_parts", "visit_fees", "photos", "field_insights"] {
        assert_eq!(count(&db.store, table).await, 16, "{table}");
    }
}

/// A visit done offline goes in one request: applied in the order made,
/// each operation answered by its own id, a bad one among them refused by
/// name while the rest go on, and the same request again answered the same
/// without applying anything twice.
async fn a_visit_done_offline_goes_in_one_request_each_operation_answered(db: &TestDb) {
    let Day {
        app,
        session,
        visits,
        ..
    } = technician_with_visits(db, 1).await;
    let visit = &visits[0];
    let photo_id = id().to_string();
    upload_whole(&app, &session, &photo_id, &photo_base64(2)).await;
    let made_from = now_ms() - HOUR;
    let mut changes = whole_visit(visit, &photo_id);
    changes.insert(
        5,
        Change::Done {
            item_key: "no_such_item".into(),
        },
    );
    let batch: Vec<_> = changes
        .into_iter()
        .enumerate()
        .map(|(n, change)| pending(visit, change, made_from + n as i64 * 1_000))
        .collect();
    assert!(
        batch.len() <= BATCH_MAX_OPERATIONS,
        "{} operations",
        batch.len()
    );

    let (status, answer) = apply_batch(&app, &session, &batch).await;
    assert_eq!(status, StatusCode::OK, "{answer:?}");
    let answers = answer.unwrap().answers;
    let ids: Vec<_> = answers.iter().map(|a| a.operation_id.clone()).collect();
    let sent: Vec<_> = batch.iter().map(|p| p.operation_id.clone()).collect();
    assert_eq!(ids, sent, "one answer per operation, in the order sent");
    for (n, answered) in answers.iter().enumerate() {
        if n == 5 {
            assert!(
                matches!(&answered.answer, OperationAnswer::Refused(app::api::error::AppError::InvalidInput { field, .. }) if field == "item_key"),
                "{:?}",
                answered.answer
            );
        } else {
            assert_eq!(answered.answer, OperationAnswer::Applied, "operation {n}");
        }
    }
    assert_eq!(visit_status(&db.store, visit).await, "signed");
    let applied = count(&db.store, "applied_operations").await;
    assert_eq!(applied, batch.len() as i64 - 1);

    // The answer was lost: the phone sends the same request again.
    let (_, again) = apply_batch(&app, &session, &batch).await;
    assert_eq!(again.unwrap().answers, answers);
    assert_eq!(count(&db.store, "applied_operations").await, applied);
    assert_eq!(count(&db.store, "visit_parts").await, 1);
    assert_eq!(count(&db.store, "field_insights").await, 1);
    let log = db
        .store
        .sync_log(&RecordId::parse("v", visit).unwrap())
        .await
        .unwrap();
    let made: std::collections::HashMap<_, _> = batch
        .iter()
        .map(|p| (p.operation_id.clone(), p.made_at_ms))
        .collect();
    for entry in &log {
        assert_eq!(
            entry.device_at.map(|at| at.unix_millis()),
            made.get(&entry.operation_id).copied()
        );
    }
}

/// A request with more operations than the server takes at once is
/// answered for its first `BATCH_MAX_OPERATIONS`; the phone sends the rest
/// (with the answered ones again, as a phone whose answer was lost would)
/// and each is applied once.
async fn a_batch_over_the_cap_is_answered_for_a_prefix_and_the_rest_applies_once(db: &TestDb) {
    let Day {
        app,
        session,
        visits,
        ..
    } = technician_with_visits(db, 1).await;
    let visit = &visits[0];
    let batch: Vec<_> = (0..BATCH_MAX_OPERATIONS + 8)
        .map(|n| {
            let note = Change::Insight {
                insight_id: id().to_string(),
                category: "user_suggestion".into(),
                note: format!("第{n}条：用户想换新冰箱"),
            };
            pending(visit, note, now_ms())
        })
        .collect();
    let (status, first) = apply_batch(&app, &session, &batch).await;
    assert_eq!(status, StatusCode::OK, "{first:?}");
    let first = first.unwrap().answers;
    assert_eq!(first.len(), BATCH_MAX_OPERATIONS);
    assert_eq!(first[0].operation_id, batch[0].operation_id);
    assert_eq!(
        first.last().unwrap().operation_id,
        batch[BATCH_MAX_OPERATIONS - 1].operation_id
    );
    assert_eq!(
        count(&db.store, "field_insights").await,
        BATCH_MAX_OPERATIONS as i64
    );

    let (_, rest) = apply_batch(&app, &session, &batch[BATCH_MAX_OPERATIONS - 4..]).await;
    let rest = rest.unwrap().answers;
    assert_eq!(rest.len(), 12);
    assert!(rest.iter().all(|a| a.answer == OperationAnswer::Applied));
    assert_eq!(count(&db.store, "field_insights").await, batch.len() as i64);
    assert_eq!(
        count(&db.store, "applied_operations").await,
        batch.len() as i64
    );
}

/// A visit of the day's technician, for `customer`, in the kit's days at
/// any hour: an hour from now is today or tomorrow whatever the time of day.
async fn visit_in_the_kits_days(
    db: &TestDb,
    day: &Day,
    customer: &str,
) -> app::domain::visit::Visit {
    let window = fixtures::window(now_ms() + HOUR, 2);
    let order = fixtures::order(&db.store, &day.region, customer, window).await;
    fixtures::visit(&db.store, &order, Some(&day.technician)).await
}

/// The kit is named by a version: asked with the version the phone keeps,
/// the server says it is unchanged and sends no visits; once a visit
/// changes, the kit comes down whole with a new version.
async fn the_kit_comes_down_only_when_it_changed(db: &TestDb) {
    let day = technician_with_visits(db, 0).await;
    let mut visits = Vec::new();
    for name in ["客户甲", "客户乙"] {
        visits.push(visit_in_the_kits_days(db, &day, name).await.id.to_string());
    }
    let Day { app, session, .. } = day;
    let kit = |have: Option<String>| {
        let (app, session) = (&app, &session);
        async move {
            let body = have
                .map(|version| format!("have={version}"))
                .unwrap_or_default();
            let answer = send(app, call("/api/sync/kit", &body, Some(session))).await;
            assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
            (
                answer.body.len(),
                serde_json::from_str::<KitAnswer>(&answer.body).unwrap(),
            )
        }
    };
    let (whole, KitAnswer::Changed(first)) = kit(None).await else {
        panic!("a phone with no kit gets the kit");
    };
    assert_eq!(first.visits.len(), 2);
    let (small, unchanged) = kit(Some(first.version.clone())).await;
    assert!(matches!(unchanged, KitAnswer::Unchanged));
    assert!(
        small < 32,
        "{small} bytes for an unchanged kit (the kit is {whole})"
    );
    // Someone else's version is not this kit.
    let (_, other) = kit(Some("0".repeat(64))).await;
    assert!(matches!(other, KitAnswer::Changed(_)));

    let set_off = pending(
        &visits[0],
        server::load::arrival_steps()[0].clone(),
        now_ms(),
    );
    let (status, _) = apply(&app, &session, &set_off, now_ms()).await;
    assert_eq!(status, StatusCode::OK);
    let (_, KitAnswer::Changed(second)) = kit(Some(first.version.clone())).await else {
        panic!("a visit changed: the kit comes down again");
    };
    assert_ne!(second.version, first.version);
    let (_, unchanged) = kit(Some(second.version)).await;
    assert!(matches!(unchanged, KitAnswer::Unchanged));
}

/// The kit carries each visit as the JSON the visit page decodes, unread
/// on the way: the record exactly as the server has it.
async fn the_kit_carries_each_visit_whole_for_the_visit_page(db: &TestDb) {
    let day = technician_with_visits(db, 0).await;
    let visit = visit_in_the_kits_days(db, &day, "客户").await;
    let Day { app, session, .. } = day;

    let answer = send(&app, call("/api/sync/kit", "", Some(&session))).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let KitAnswer::Changed(kit) = serde_json::from_str(&answer.body).unwrap() else {
        panic!("a phone with no kit gets the kit");
    };
    assert_eq!(kit.days.len(), 1);
    assert_eq!(kit.visits.len(), 1);
    let kept = &kit.visits[0];
    assert_eq!(kept.visit_id, visit.id);
    let decoded: KitVisit = serde_json::from_str(kept.kit.get()).unwrap();
    let record = db.store.visit_record(&visit.id).await.unwrap().unwrap();
    assert_eq!(decoded.record, record);
}

on_both_engines!(
    the_kit_carries_each_visit_whole_for_the_visit_page,
    a_visit_done_offline_arrives_once_with_the_phones_times,
    a_visit_closed_unsigned_offline_arrives_once,
    a_phone_clock_far_from_the_servers_is_flagged,
    a_photo_upload_resumes_where_it_broke_off,
    work_on_a_visit_changed_meanwhile_is_held_for_the_dispatcher,
    held_work_is_settled_once_and_shows_in_the_sync_log,
    flapping_connectivity_leaves_the_server_with_exactly_the_phones_operations,
    a_visit_done_offline_goes_in_one_request_each_operation_answered,
    a_batch_over_the_cap_is_answered_for_a_prefix_and_the_rest_applies_once,
    the_kit_comes_down_only_when_it_changed,
);
