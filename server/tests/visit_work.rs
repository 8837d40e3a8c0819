//! A technician's work on a visit, through the router: the visit's steps,
//! its record, checklist, outcome, parts, fees, photos, check-in and
//! insights, and who may change it.

use crate::common;

use axum::http::{header, StatusCode};
use common::web::{
    assert_refused_naming, call, checklist_call, fee_call, first_visit_id_of, get, json_call,
    log_in, outcome_call, part_call, photo_call, seeded, send, visit_event,
};
use common::TestDb;
use sqlx::Row;

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

async fn record_of(db: &TestDb, visit: &str) -> app::domain::record::VisitRecord {
    let id = app::domain::ids::RecordId::parse("id", visit).unwrap();
    db.store
        .visit_record(&id)
        .await
        .unwrap()
        .expect("the visit exists")
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
    let error: app::api::error::AppError = serde_json::from_str(&refused.body).unwrap();
    assert_eq!(
        error,
        app::api::error::AppError::NotReadyToFinish {
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
    // Every question is the customer's to answer: one left out (absent or
    // null) is refused by name, never taken as a yes or a five.
    for question in app::api::visits::SIGN_OFF_QUESTIONS {
        let mut absent = common::web::signature_json();
        absent.as_object_mut().unwrap().remove(question);
        let answer = send(&app, sign(&absent, &uuid::Uuid::now_v7().to_string())).await;
        assert_refused_naming(&answer, question);
        let mut null = common::web::signature_json();
        null[question] = serde_json::Value::Null;
        let answer = send(&app, sign(&null, &uuid::Uuid::now_v7().to_string())).await;
        assert_refused_naming(&answer, question);
    }
    assert_eq!(common::fixtures::count(&db.store, "sign_offs").await, 0);
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

/// A 1×1 JPEG as a phone's canvas would make it (trimmed header and body;
/// the server checks the type by its first bytes, not by decoding).
const TINY_JPEG: &[u8] = &[
    0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01,
    0x00, 0x01, 0x00, 0x00, 0xFF, 0xD9,
];

async fn photos_are_checked_kept_and_shown_only_to_readers_of_the_visit(db: &TestDb) {
    use base64::Engine;
    let app = seeded(db).await;
    let wang = log_in(&app, "tech.wang").await;
    let visit = first_visit_id_of(&app, &wang).await;
    let op = || uuid::Uuid::now_v7().to_string();
    let answer = send(&app, visit_event(&op(), &visit, "check_in", Some(&wang))).await;
    assert_eq!(answer.status, StatusCode::OK);
    let encode = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    let jpeg = encode(TINY_JPEG);
    for (request, field) in [
        (
            photo_call(&visit, "trial_run", &op(), "not base64!", &wang),
            "photo",
        ),
        (
            photo_call(&visit, "trial_run", &op(), &encode(b"GIF89a...."), &wang),
            "photo",
        ),
        (
            photo_call(
                &visit,
                "trial_run",
                &op(),
                &encode(b"<svg onload=alert(1)>"),
                &wang,
            ),
            "photo",
        ),
        (photo_call(&visit, "trial_run", &op(), "", &wang), "photo"),
        (
            photo_call(&visit, "trial_run", "photo-1", &jpeg, &wang),
            "photo_id",
        ),
        (
            photo_call(&visit, "free_gift", &op(), &jpeg, &wang),
            "item_key",
        ),
    ] {
        assert_refused_naming(&send(&app, request).await, field);
    }
    let oversized = encode(&[TINY_JPEG, &vec![0u8; app::domain::photo::MAX_PHOTO_BYTES]].concat());
    assert_refused_naming(
        &send(
            &app,
            photo_call(&visit, "trial_run", &op(), &oversized, &wang),
        )
        .await,
        "photo",
    );
    assert_eq!(
        common::fixtures::count(&db.store, "photos").await,
        0,
        "nothing kept"
    );
    assert!(record_of(db, &visit).await.answers.is_empty());

    let photo_id = op();
    let answer = send(
        &app,
        photo_call(&visit, "trial_run", &photo_id, &jpeg, &wang),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert!(matches!(
        record_of(db, &visit).await.answer("trial_run"),
        Some(app::domain::checklist::ItemAnswer::Done { photo: Some(p), .. }) if p.as_str() == photo_id
    ));

    let path = format!("/api/photos/{photo_id}");
    let shown = send(&app, get(&path, Some(&wang))).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert_eq!(shown.headers[header::CONTENT_TYPE], "image/jpeg");
    assert_eq!(shown.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(shown.body, String::from_utf8_lossy(TINY_JPEG));
    let dispatcher = log_in(&app, "dispatch.zhao").await;
    assert_eq!(
        send(&app, get(&path, Some(&dispatcher))).await.status,
        StatusCode::OK
    );
    let li = log_in(&app, "tech.li").await;
    assert_eq!(
        send(&app, get(&path, Some(&li))).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        send(&app, get(&path, None)).await.status,
        StatusCode::UNAUTHORIZED
    );
    let unknown = format!("/api/photos/{}", op());
    assert_eq!(
        send(&app, get(&unknown, Some(&wang))).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        send(&app, get("/api/photos/..%2Fetc", Some(&wang)))
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // Another technician cannot add one to wang's visit either.
    let answer = send(&app, photo_call(&visit, "trial_run", &op(), &jpeg, &li)).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.body);
}

async fn check_in_takes_the_device_clock_and_a_whole_position(db: &TestDb) {
    let app = seeded(db).await;
    let wang = log_in(&app, "tech.wang").await;
    let visit = first_visit_id_of(&app, &wang).await;
    let check_in = |extra: &str| {
        call(
            "/api/visits/event",
            &format!(
                "operation_id={}&visit_id={visit}&event=check_in{extra}",
                uuid::Uuid::now_v7()
            ),
            Some(&wang),
        )
    };
    for (extra, field) in [
        ("&latitude=31.2&longitude=121.5", "latitude"),
        ("&latitude=91&longitude=121.5&accuracy_m=10", "latitude"),
        ("&latitude=31.2&longitude=east&accuracy_m=10", "longitude"),
        ("&latitude=31.2&longitude=121.5&accuracy_m=-1", "accuracy_m"),
        ("&device_time_ms=yesterday", "device_time_ms"),
    ] {
        assert_refused_naming(&send(&app, check_in(extra)).await, field);
    }
    assert_eq!(
        record_of(db, &visit).await.visit.times.arrived,
        None,
        "nothing written"
    );
    let device_ms = 1_790_000_000_000i64;
    let answer = send(
        &app,
        check_in(&format!(
            "&device_time_ms={device_ms}&latitude=31.2204&longitude=121.5447&accuracy_m=12"
        )),
    )
    .await;
    assert_eq!(answer.body, "\"arrived\"");
    let row = sqlx::query(
        "SELECT arrived_device_at_ms, arrived_latitude, arrived_longitude FROM visits WHERE id = $1",
    )
    .bind(&visit)
    .fetch_one(db.store.pool())
    .await
    .unwrap();
    assert_eq!(row.get::<i64, _>("arrived_device_at_ms"), device_ms);
    assert_eq!(row.get::<f64, _>("arrived_latitude"), 31.2204);
    assert_eq!(row.get::<f64, _>("arrived_longitude"), 121.5447);
}

async fn insights_and_sign_off_complaints_name_bad_input(db: &TestDb) {
    let app = seeded(db).await;
    let wang = log_in(&app, "tech.wang").await;
    let visit = first_visit_id_of(&app, &wang).await;
    let insight = |category: &str, note: &str| {
        call(
            "/api/visits/insight",
            &format!(
                "operation_id={}&visit_id={visit}&insight_id={}&category={category}&note={note}",
                uuid::Uuid::now_v7(),
                uuid::Uuid::now_v7()
            ),
            Some(&wang),
        )
    };
    let complaint = |description: &str| {
        call(
            "/api/visits/complaint",
            &format!(
                "operation_id={}&visit_id={visit}&complaint_id={}&description={description}",
                uuid::Uuid::now_v7(),
                uuid::Uuid::now_v7()
            ),
            Some(&wang),
        )
    };
    assert_refused_naming(&send(&app, insight("gossip", "门封老化")).await, "category");
    assert_refused_naming(&send(&app, insight("product_defect", "")).await, "note");
    assert_refused_naming(&send(&app, complaint("")).await, "description");
    let early = send(&app, complaint("不满意")).await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.body);
    assert_eq!(
        common::fixtures::count(&db.store, "field_insights").await,
        0
    );
    assert_eq!(db.store.count_complaints().await.unwrap(), 0);
    let answer = send(&app, insight("user_suggestion", "希望增加童锁提示")).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let history = send(
        &app,
        call(
            "/api/visits/history",
            &format!("visit_id={visit}"),
            Some(&wang),
        ),
    )
    .await;
    let history: app::api::visits::VisitHistory = serde_json::from_str(&history.body).unwrap();
    assert_eq!(history.insights.len(), 1);
    assert_eq!(history.insights[0].note.as_str(), "希望增加童锁提示");
    assert!(!history.fee_schedule.items.is_empty());
    let li = log_in(&app, "tech.li").await;
    let refused = send(
        &app,
        call(
            "/api/visits/history",
            &format!("visit_id={visit}"),
            Some(&li),
        ),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

on_both_engines!(
    a_technician_walks_a_visit_through_its_states_once_per_operation,
    only_the_assigned_technician_may_change_a_visit,
    bad_visit_event_input_is_named,
    the_visit_record_comes_whole_and_bad_ids_are_named,
    finishing_needs_every_required_item_and_an_outcome,
    bad_work_record_input_is_named,
    photos_are_checked_kept_and_shown_only_to_readers_of_the_visit,
    check_in_takes_the_device_clock_and_a_whole_position,
    insights_and_sign_off_complaints_name_bad_input,
);
