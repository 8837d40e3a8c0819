//! The record of a visit (checklist results, outcome, parts, fees, sign-off,
//! complaints) and the reference data it is checked against, on both engines.

use crate::common;

use app::domain::auth::Role;
use app::domain::charges::{FeeSchedule, Money, PartUsed, Quantity};
use app::domain::checklist::{default_template, ItemAnswer};
use app::domain::complaint::{Complaint, ComplaintSource};
use app::domain::signoff::{
    ConductConfirmations, NotFixedReason, Ratings, Score, SignOff, Signature, VisitOutcome,
};
use app::domain::technician::{Brands, Skills, Technician, WorkingHours};
use app::domain::time::Timestamp;
use app::domain::validation::{
    EmployeeNumber, FeeCode, Note, PartCode, PartName, PersonName, ServiceCardNumber,
};
use app::domain::visit::{VisitEvent, VisitStatus};
use app::domain::work_order::ApplianceCategory;
use app::store::visit_records::{insert_sign_off, WorkRecordError};
use app::store::visits::VisitEventError;
use common::fixtures::{self, count, id, HOUR, SHANGHAI_MIDNIGHT};
use common::TestDb;

const NINE: i64 = SHANGHAI_MIDNIGHT + 9 * HOUR;

fn at(ms: i64) -> Timestamp {
    Timestamp::from_unix_millis(ms)
}

fn done(ms: i64) -> ItemAnswer {
    ItemAnswer::Done {
        at: at(ms),
        note: None,
        photo: None,
    }
}

fn sign_off() -> SignOff {
    let five = Score::new("rating", 5).unwrap();
    SignOff {
        signer: PersonName::parse("王秀英").unwrap(),
        signature: Signature::new(vec![
            vec![(1.0, 2.0), (30.5, 12.25)],
            vec![(40.0, 8.0), (41.0, 9.0)],
        ])
        .unwrap(),
        customer_says_fixed: false,
        ratings: Ratings {
            skill: five,
            attitude: Score::new("rating", 4).unwrap(),
            timeliness: five,
            parts_supply: Score::new("rating", 2).unwrap(),
            overall: five,
        },
        conduct: ConductConfirmations {
            no_arguing: true,
            no_eating_drinking_smoking: true,
            no_gifts: true,
            no_extra_charges: false,
        },
        comment: Some(Note::parse("等配件\n下次再来").unwrap()),
        arrival_confirmed: Some(true),
        position: None,
    }
}

/// A region, two technicians, and wang's visit checked in.
async fn a_visit_at_work(
    db: &TestDb,
) -> (
    app::domain::visit::Visit,
    app::domain::ids::RecordId,
    app::domain::ids::RecordId,
) {
    let store = &db.store;
    let region = fixtures::region(store, "东区").await;
    let wang = fixtures::user(store, "tech.wang", Role::Technician, Some(&region)).await;
    let li = fixtures::user(store, "tech.li", Role::Technician, Some(&region)).await;
    let order = fixtures::order(store, &region, "王秀英", fixtures::window(NINE, 2)).await;
    let visit = fixtures::visit(store, &order, Some(&wang)).await;
    check_in(db, &visit, &wang).await;
    (visit, wang, li)
}

/// The technician checks in at 09:10.
async fn check_in(
    db: &TestDb,
    visit: &app::domain::visit::Visit,
    technician: &app::domain::ids::RecordId,
) {
    db.store
        .apply_visit_event(
            &id().to_string(),
            visit.id.as_str(),
            technician.as_str(),
            VisitEvent::CheckIn,
            at(NINE + 600_000),
        )
        .await
        .unwrap();
}

async fn the_stored_reference_data_is_the_domains(db: &TestDb) {
    let store = &db.store;
    assert_eq!(
        store.checklist_template(1).await.unwrap(),
        Some(default_template())
    );
    assert_eq!(store.current_checklist_version().await.unwrap(), 1);
    assert_eq!(store.checklist_template(2).await.unwrap(), None);
    assert_eq!(store.current_fee_schedule_version().await.unwrap(), 1);
    for &category in ApplianceCategory::ALL {
        assert_eq!(
            store.fee_schedule(1, category).await.unwrap(),
            FeeSchedule::default_for(category)
        );
    }
    // Writing them again (every start does) changes nothing.
    assert!(!store
        .ensure_checklist_template(&default_template(), at(0))
        .await
        .unwrap());
    assert!(!store.ensure_fee_schedule(at(0)).await.unwrap());
    assert_eq!(count(store, "fee_schedule_versions").await, 1);
    assert_eq!(count(store, "checklist_template_items").await, 11);
    // A new version leaves the old one as it was.
    let mut edited = default_template();
    edited.version = 2;
    edited.items.truncate(3);
    assert!(store
        .ensure_checklist_template(&edited, at(5))
        .await
        .unwrap());
    assert_eq!(store.current_checklist_version().await.unwrap(), 2);
    assert_eq!(
        store.checklist_template(1).await.unwrap(),
        Some(default_template())
    );
    assert_eq!(store.checklist_template(2).await.unwrap(), Some(edited));
}

async fn a_technicians_profile_round_trips_and_numbers_are_unique(db: &TestDb) {
    let store = &db.store;
    let region = fixtures::region(store, "东区").await;
    let wang = fixtures::user(store, "tech.wang", Role::Technician, Some(&region)).await;
    let li = fixtures::user(store, "tech.li", Role::Technician, Some(&region)).await;
    let profile = Technician {
        user_id: wang.clone(),
        employee_number: EmployeeNumber::parse("pd-0101").unwrap(),
        name: PersonName::parse("tech.wang 的名字").unwrap(),
        service_card_number: ServiceCardNumber::parse("XJ-2024-31001").unwrap(),
        region_id: region.clone(),
        skills: Skills::new(vec![
            ApplianceCategory::Dryer,
            ApplianceCategory::WashingMachine,
        ])
        .unwrap(),
        brands: Brands::parse("海尔、小天鹅").unwrap(),
        working_hours: WorkingHours::parse("10:00", "20:00").unwrap(),
    };
    app::store::regions::insert_technician(store.pool(), &profile)
        .await
        .unwrap();
    assert_eq!(
        store.technician(&wang).await.unwrap(),
        Some(profile.clone())
    );
    assert_eq!(store.technician(&li).await.unwrap(), None);
    let same_number = Technician {
        user_id: li,
        ..profile
    };
    assert!(
        app::store::regions::insert_technician(store.pool(), &same_number)
            .await
            .is_err()
    );
    assert_eq!(count(store, "technicians").await, 1);
    let (stored_region, zone) = store.region(&region).await.unwrap().unwrap();
    assert_eq!(stored_region.name.as_str(), "东区");
    assert_eq!(zone, app::zone::ServiceZone::DEFAULT);
    assert_eq!(store.region(&id()).await.unwrap(), None);
}

async fn the_whole_record_of_a_visit_round_trips(db: &TestDb) {
    let store = &db.store;
    let (visit, wang, _) = a_visit_at_work(db).await;
    let template = default_template();
    // The trial run's photo, taken first: an answer names only a photo of
    // its own visit.
    let photo = jpeg_photo(b"trial run");
    store
        .attach_photo(
            &id(),
            &visit.id,
            &wang,
            "trial_run",
            &photo,
            at(NINE + 1500),
        )
        .await
        .unwrap();
    for (index, item) in template.items.iter().enumerate() {
        let answer = match item.key.as_str() {
            "one_stop_check" => ItemAnswer::NotApplicable {
                at: at(NINE + 1000),
                reason: Note::parse("用户家中无其他本品牌产品").unwrap(),
            },
            "trial_run" => ItemAnswer::Done {
                at: at(NINE + 2000),
                note: Some(Note::parse("试机正常").unwrap()),
                photo: Some(photo.id.clone()),
            },
            _ => done(NINE + index as i64),
        };
        store
            .record_checklist_answer(&id(), &visit.id, &wang, &item.key, &answer)
            .await
            .unwrap();
    }
    // Answering again replaces, never duplicates.
    let operation = id();
    store
        .record_checklist_answer(&operation, &visit.id, &wang, "greeting", &done(NINE + 99))
        .await
        .unwrap();
    assert_eq!(count(store, "checklist_results").await, 11);
    // The same operation again (a resend) changes nothing, whatever it carries.
    store
        .record_checklist_answer(&operation, &visit.id, &wang, "greeting", &done(NINE + 5))
        .await
        .unwrap();

    let outcome = VisitOutcome::NotFixed {
        reason: NotFixedReason::Other(Note::parse("用户要求更换整机").unwrap()),
    };
    store
        .record_outcome(&id(), &visit.id, &wang, &outcome, at(NINE + 2500))
        .await
        .unwrap();
    let part = PartUsed {
        id: id(),
        code: PartCode::parse("wm-belt-01").unwrap(),
        name: PartName::parse("洗衣机皮带").unwrap(),
        quantity: Quantity::new(2).unwrap(),
        unit_price: Money::from_fen("p", 4_500).unwrap(),
        charge_reason: None,
    };
    store
        .record_part(&id(), &visit.id, &wang, &part, at(NINE + 3000))
        .await
        .unwrap();
    let fee = store
        .charge_fee(
            &id(),
            &visit.id,
            &wang,
            id(),
            FeeCode::parse("VISIT").unwrap(),
            Quantity::new(1).unwrap(),
            at(NINE + 4000),
        )
        .await
        .unwrap();
    assert_eq!(
        fee.unit_amount.fen(),
        3_000,
        "the schedule's amount, not the caller's"
    );
    insert_sign_off(store.pool(), &visit.id, &sign_off(), at(NINE + 5000))
        .await
        .unwrap();

    let record = store.visit_record(&visit.id).await.unwrap().unwrap();
    assert_eq!(record.visit.status, VisitStatus::Arrived);
    assert_eq!(record.visit.times.arrived, Some(at(NINE + 600_000)));
    assert_eq!(record.visit.outcome, Some(outcome));
    assert_eq!(record.customer.name.as_str(), "王秀英");
    assert_eq!(record.checklist, template);
    let keys: Vec<&str> = record.answers.iter().map(|a| a.item_key.as_str()).collect();
    let template_keys: Vec<&str> = template.items.iter().map(|i| i.key.as_str()).collect();
    assert_eq!(keys, template_keys, "answers in template order");
    assert_eq!(record.answer("greeting"), Some(&done(NINE + 99)));
    assert!(matches!(
        record.answer("trial_run"),
        Some(ItemAnswer::Done {
            photo: Some(_),
            note: Some(_),
            ..
        })
    ));
    assert_eq!(record.checklist_complete(), Ok(()));
    assert_eq!(record.parts, vec![part]);
    assert_eq!(record.fees, vec![fee]);
    assert_eq!(record.total().fen(), 2 * 4_500 + 3_000);
    assert_eq!(record.sign_off, Some(sign_off()));
    assert_eq!(record.technician_name.as_deref(), Some("tech.wang 的名字"));
    assert_eq!(store.visit_record(&id()).await.unwrap(), None);
}

async fn work_records_refused_write_nothing(db: &TestDb) {
    let store = &db.store;
    let (visit, wang, li) = a_visit_at_work(db).await;
    let region = fixtures::region(store, "西区").await;
    let order = fixtures::order(store, &region, "李建国", fixtures::window(NINE, 2)).await;
    let not_yet = fixtures::visit(store, &order, Some(&wang)).await;
    let before = || async {
        [
            count(store, "checklist_results").await,
            count(store, "visit_parts").await,
            count(store, "visit_fees").await,
        ]
    };
    let empty = before().await;

    let error = store
        .record_checklist_answer(&id(), &visit.id, &li, "greeting", &done(NINE))
        .await
        .unwrap_err();
    assert!(matches!(error, WorkRecordError::NotYours(_)), "{error}");
    let error = store
        .record_checklist_answer(&id(), &not_yet.id, &wang, "greeting", &done(NINE))
        .await
        .unwrap_err();
    assert!(
        matches!(error, WorkRecordError::NotAtWork(VisitStatus::Dispatched)),
        "{error}"
    );
    assert!(
        error.to_string().contains("between check-in and finishing"),
        "{error}"
    );
    let error = store
        .record_checklist_answer(&id(), &visit.id, &wang, "free_gift", &done(NINE))
        .await
        .unwrap_err();
    assert!(matches!(error, WorkRecordError::UnknownItem(_)), "{error}");
    let error = store
        .record_checklist_answer(&id(), &id(), &wang, "greeting", &done(NINE))
        .await
        .unwrap_err();
    assert!(matches!(error, WorkRecordError::NotFound(_)), "{error}");
    let error = store
        .charge_fee(
            &id(),
            &visit.id,
            &wang,
            id(),
            FeeCode::parse("TIP").unwrap(),
            Quantity::new(1).unwrap(),
            at(NINE),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(error, WorkRecordError::NotOnSchedule(_)),
        "{error}"
    );
    let error = store
        .record_outcome(&id(), &visit.id, &li, &VisitOutcome::Fixed, at(NINE))
        .await
        .unwrap_err();
    assert!(matches!(error, WorkRecordError::NotYours(_)), "{error}");
    assert_eq!(before().await, empty);
    assert_eq!(store.visit(&visit.id).await.unwrap().unwrap().outcome, None);

    // Finishing with the checklist open and no outcome is refused, naming what is open.
    let (visit_ref, wang_ref) = (&visit, &wang);
    let step = |event| async move {
        store
            .apply_visit_event(
                &id().to_string(),
                visit_ref.id.as_str(),
                wang_ref.as_str(),
                event,
                at(NINE + HOUR),
            )
            .await
    };
    step(VisitEvent::StartWork).await.unwrap();
    match step(VisitEvent::FinishWork).await.unwrap_err() {
        VisitEventError::NotReady(not_ready) => {
            // Every required item but the one the customer's signature completes.
            assert_eq!(not_ready.missing_items.len(), 9, "every required item");
            assert_eq!(not_ready.missing_items[0], "show_id_card");
            assert!(not_ready.outcome_missing);
        }
        other => panic!("expected NotReady, got {other}"),
    }
    assert_eq!(
        store.visit(&visit.id).await.unwrap().unwrap().status,
        VisitStatus::WorkStarted
    );
    assert_eq!(before().await, empty);
    for item in default_template().items.iter().filter(|item| item.required) {
        store
            .record_checklist_answer(&id(), &visit.id, &wang, &item.key, &done(NINE + HOUR))
            .await
            .unwrap();
    }
    let refused = step(VisitEvent::FinishWork).await.unwrap_err();
    assert!(
        matches!(&refused, VisitEventError::NotReady(n) if n.missing_items.is_empty() && n.outcome_missing),
        "{refused}"
    );
    store
        .record_outcome(
            &id(),
            &visit.id,
            &wang,
            &VisitOutcome::Fixed,
            at(NINE + HOUR),
        )
        .await
        .unwrap();
    assert_eq!(
        step(VisitEvent::FinishWork).await.unwrap(),
        VisitStatus::WorkFinished
    );
    let empty = before().await;

    // After the work is finished, the record is closed to more work.
    let error = store
        .record_checklist_answer(&id(), &visit.id, &wang, "greeting", &done(NINE))
        .await
        .unwrap_err();
    assert!(
        matches!(error, WorkRecordError::NotAtWork(VisitStatus::WorkFinished)),
        "{error}"
    );
    assert_eq!(before().await, empty);
}

async fn the_schema_refuses_inconsistent_records(db: &TestDb) {
    let store = &db.store;
    let (visit, _, _) = a_visit_at_work(db).await;
    let visit_id = visit.id.to_string();
    let update = |sql: &'static str| {
        let visit_id = visit_id.clone();
        async move { sqlx::query(sql).bind(visit_id).execute(store.pool()).await }
    };
    assert!(
        update("UPDATE visits SET outcome = 'not_fixed' WHERE id = $1")
            .await
            .is_err(),
        "not fixed needs a reason"
    );
    assert!(
        update("UPDATE visits SET not_fixed_reason = 'skill' WHERE id = $1")
            .await
            .is_err(),
        "a reason needs not fixed"
    );
    assert!(update(
        "UPDATE visits SET outcome = 'fixed', not_fixed_reason = 'skill' WHERE id = $1"
    )
    .await
    .is_err());
    assert!(
        update("UPDATE visits SET outcome = 'not_fixed', not_fixed_reason = 'other' WHERE id = $1")
            .await
            .is_err(),
        "other needs a detail"
    );
    assert!(update("UPDATE visits SET outcome = 'fixed' WHERE id = $1")
        .await
        .is_ok());
    let bad_rating = sqlx::query(
        "INSERT INTO sign_offs (visit_id, signer_name, signature, customer_says_fixed, rating_skill, \
         rating_attitude, rating_timeliness, rating_parts_supply, rating_overall, no_arguing, \
         no_eating_drinking_smoking, no_gifts, no_extra_charges, signed_at_ms) \
         VALUES ($1, 'x', '{}', 1, 6, 5, 5, 5, 5, 1, 1, 1, 1, 0)",
    )
    .bind(visit.id.as_str())
    .execute(store.pool())
    .await;
    assert!(bad_rating.is_err(), "ratings are 1 to 5");
    let na_without_reason = sqlx::query(
        "INSERT INTO checklist_results (visit_id, item_key, answer, answered_at_ms) \
         VALUES ($1, 'greeting', 'not_applicable', 0)",
    )
    .bind(visit.id.as_str())
    .execute(store.pool())
    .await;
    assert!(na_without_reason.is_err(), "not applicable needs a reason");
    assert_eq!(count(store, "sign_offs").await, 0);
    assert_eq!(count(store, "checklist_results").await, 0);
}

async fn complaints_are_kept(db: &TestDb) {
    let store = &db.store;
    let (visit, _, _) = a_visit_at_work(db).await;
    let complaint = Complaint {
        id: id(),
        work_order_id: visit.work_order_id.clone(),
        visit_id: Some(visit.id.clone()),
        source: ComplaintSource::SignOff,
        owner_id: None,
        received_at: at(NINE + HOUR),
        description: Note::parse("收费未按统一收费标准").unwrap(),
    };
    app::store::complaints::insert_complaint(store.pool(), &complaint)
        .await
        .unwrap();
    assert!(
        app::store::complaints::insert_complaint(store.pool(), &complaint)
            .await
            .is_err(),
        "one id, one complaint"
    );
    let stranger = Complaint {
        id: id(),
        work_order_id: id(),
        ..complaint
    };
    assert!(
        app::store::complaints::insert_complaint(store.pool(), &stranger)
            .await
            .is_err(),
        "unknown work order"
    );
    assert_eq!(store.count_complaints().await.unwrap(), 1);
}

on_both_engines!(
    the_stored_reference_data_is_the_domains,
    a_technicians_profile_round_trips_and_numbers_are_unique,
    the_whole_record_of_a_visit_round_trips,
    work_records_refused_write_nothing,
    the_schema_refuses_inconsistent_records,
    complaints_are_kept,
);

/// The smallest JPEG header the photo check accepts, with some payload.
fn jpeg_photo(payload: &[u8]) -> app::store::photos::NewPhoto {
    use base64::Engine;
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    bytes.extend_from_slice(payload);
    app::store::photos::NewPhoto {
        id: id(),
        image_type: app::domain::photo::check_photo(&bytes).unwrap(),
        byte_size: bytes.len(),
        sha256: app::hashing::sha256_hex(&bytes),
        data_base64: base64::engine::general_purpose::STANDARD.encode(&bytes),
    }
}

/// Every required item done, the outcome given, the work finished.
async fn finish(
    db: &TestDb,
    visit: &app::domain::visit::Visit,
    technician: &app::domain::ids::RecordId,
    outcome: VisitOutcome,
) {
    let store = &db.store;
    let step = |event| async move {
        store
            .apply_visit_event(
                &id().to_string(),
                visit.id.as_str(),
                technician.as_str(),
                event,
                at(NINE + HOUR),
            )
            .await
            .unwrap()
    };
    step(VisitEvent::StartWork).await;
    for item in default_template().items.iter().filter(|item| item.required) {
        store
            .record_checklist_answer(&id(), &visit.id, technician, &item.key, &done(NINE + HOUR))
            .await
            .unwrap();
    }
    store
        .record_outcome(&id(), &visit.id, technician, &outcome, at(NINE + HOUR))
        .await
        .unwrap();
    step(VisitEvent::FinishWork).await;
}

async fn a_visit_not_fixed_opens_its_follow_up_on_the_same_order(db: &TestDb) {
    let store = &db.store;
    let (visit, wang, _) = a_visit_at_work(db).await;
    let outcome = VisitOutcome::NotFixed {
        reason: NotFixedReason::PartsUnavailable,
    };
    finish(db, &visit, &wang, outcome).await;
    let visits = store
        .visits_of_work_order(&visit.work_order_id)
        .await
        .unwrap();
    assert_eq!(visits.len(), 2, "{visits:?}");
    let follow_up = visits.iter().find(|v| v.id != visit.id).unwrap();
    assert_eq!(follow_up.status, VisitStatus::Dispatched);
    assert_eq!(follow_up.technician_id.as_ref(), Some(&wang));
    assert_eq!(
        follow_up.window,
        app::domain::visit::follow_up_window(visit.window)
    );
    assert_eq!(follow_up.outcome, None);
    let others = store.other_visits_to_appliance(&visit.id).await.unwrap();
    assert_eq!(others.len(), 1);
    assert_eq!(others[0].id, follow_up.id.to_string());
    assert!(others[0].is_follow_up_of_this);
    // Seen from the follow-up, the first visit is an earlier one, not its follow-up.
    let earlier = store
        .other_visits_to_appliance(&follow_up.id)
        .await
        .unwrap();
    assert_eq!(earlier.len(), 1);
    assert_eq!(earlier[0].id, visit.id.to_string());
    assert!(!earlier[0].is_follow_up_of_this);
    assert_eq!(
        earlier[0].outcome,
        visits.iter().find(|v| v.id == visit.id).unwrap().outcome
    );

    // A fixed visit opens nothing.
    let region = fixtures::region(store, "西区").await;
    let zhao = fixtures::user(store, "tech.zhao", Role::Technician, Some(&region)).await;
    let order = fixtures::order(store, &region, "李建国", fixtures::window(NINE, 2)).await;
    let fixed = fixtures::visit(store, &order, Some(&zhao)).await;
    store
        .apply_visit_event(
            &id().to_string(),
            fixed.id.as_str(),
            zhao.as_str(),
            VisitEvent::CheckIn,
            at(NINE),
        )
        .await
        .unwrap();
    finish(db, &fixed, &zhao, VisitOutcome::Fixed).await;
    assert_eq!(
        store.visits_of_work_order(&order.id).await.unwrap().len(),
        1
    );
}

async fn a_signed_record_takes_changes_as_new_revisions(db: &TestDb) {
    use app::domain::record::RecordChange;
    let store = &db.store;
    let (visit, wang, _) = a_visit_at_work(db).await;
    finish(db, &visit, &wang, VisitOutcome::Fixed).await;
    store
        .sign_off(&id(), &visit.id, &wang, &sign_off(), at(NINE + 2 * HOUR))
        .await
        .unwrap();
    let signed = store.visit_record(&visit.id).await.unwrap().unwrap();
    let seal = signed.seal.clone().unwrap();
    assert!(seal.intact);
    assert_eq!(signed.revisions.len(), 1);
    assert_eq!(signed.revisions[0].change, RecordChange::Signed);
    assert_eq!(signed.revisions[0].sha256, seal.sha256);
    assert!(signed.revisions[0].intact);

    // A photo after signing: revision 2; the signed revision stays as it was.
    let photo = jpeg_photo(b"after");
    store
        .attach_photo(
            &id(),
            &visit.id,
            &wang,
            "trial_run",
            &photo,
            at(NINE + 3 * HOUR),
        )
        .await
        .unwrap();
    let part = PartUsed {
        id: id(),
        code: PartCode::parse("DS-100").unwrap(),
        name: PartName::parse("门封圈").unwrap(),
        quantity: Quantity::new(1).unwrap(),
        unit_price: Money::from_fen("price", 0).unwrap(),
        charge_reason: None,
    };
    store
        .record_part(&id(), &visit.id, &wang, &part, at(NINE + 4 * HOUR))
        .await
        .unwrap();
    let amended = store.visit_record(&visit.id).await.unwrap().unwrap();
    let changes: Vec<_> = amended
        .revisions
        .iter()
        .map(|r| (r.number, r.change, r.intact))
        .collect();
    assert_eq!(
        changes,
        [
            (1, RecordChange::Signed, true),
            (2, RecordChange::ChecklistAnswer, true),
            (3, RecordChange::Part, true),
        ]
    );
    assert_eq!(
        amended.revisions[0].sha256, seal.sha256,
        "revision 1 is never rewritten"
    );
    assert_eq!(
        amended.seal.as_ref().map(|s| s.intact),
        Some(true),
        "{:?}",
        amended.seal
    );
    assert!(matches!(
        amended.answer("trial_run"),
        Some(ItemAnswer::Done { photo: Some(p), .. }) if *p == photo.id
    ));
    assert_eq!(amended.parts, [part]);

    // What the customer confirmed stays: no fee, no new outcome after signing.
    let fee = store
        .charge_fee(
            &id(),
            &visit.id,
            &wang,
            id(),
            FeeCode::parse("LABOR-STD").unwrap(),
            Quantity::new(1).unwrap(),
            at(NINE + 5 * HOUR),
        )
        .await;
    assert!(
        matches!(fee, Err(WorkRecordError::NotAtWork(VisitStatus::Signed))),
        "{fee:?}"
    );
    let outcome = store
        .record_outcome(
            &id(),
            &visit.id,
            &wang,
            &VisitOutcome::Fixed,
            at(NINE + 5 * HOUR),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(outcome, WorkRecordError::NotAtWork(VisitStatus::Signed)),
        "{outcome}"
    );
    assert_eq!(count(store, "visit_record_revisions").await, 3);

    // A change made outside the app shows: the record no longer matches its latest revision.
    sqlx::query("UPDATE visit_parts SET quantity = 2 WHERE visit_id = $1")
        .bind(visit.id.as_str())
        .execute(store.pool())
        .await
        .unwrap();
    let tampered = store.visit_record(&visit.id).await.unwrap().unwrap();
    assert_eq!(tampered.seal.map(|s| s.intact), Some(false));
}

async fn photos_insights_and_sign_off_complaints_are_kept_once(db: &TestDb) {
    use app::domain::insight::{FieldInsight, InsightCategory};
    let store = &db.store;
    let (visit, wang, li) = a_visit_at_work(db).await;

    let photo = jpeg_photo(b"model plate");
    let operation = id();
    for _ in 0..2 {
        store
            .attach_photo(
                &operation,
                &visit.id,
                &wang,
                "trial_run",
                &photo,
                at(NINE + HOUR),
            )
            .await
            .unwrap();
    }
    assert_eq!(count(store, "photos").await, 1, "a resend stores it once");
    let stored = store.photo(&photo.id).await.unwrap().unwrap();
    assert_eq!(stored.visit_id, visit.id.to_string());
    assert_eq!(stored.data_base64, photo.data_base64);
    let record = store.visit_record(&visit.id).await.unwrap().unwrap();
    assert!(matches!(
        record.answer("trial_run"),
        Some(ItemAnswer::Done { photo: Some(p), .. }) if *p == photo.id
    ));
    let unknown = store
        .attach_photo(
            &id(),
            &visit.id,
            &wang,
            "no_such_item",
            &jpeg_photo(b"x"),
            at(NINE),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(unknown, WorkRecordError::UnknownItem(_)),
        "{unknown}"
    );
    let not_his = store
        .attach_photo(
            &id(),
            &visit.id,
            &li,
            "trial_run",
            &jpeg_photo(b"y"),
            at(NINE),
        )
        .await
        .unwrap_err();
    assert!(matches!(not_his, WorkRecordError::NotYours(_)), "{not_his}");
    assert_eq!(
        count(store, "photos").await,
        1,
        "refused photos are not kept"
    );

    let insight = FieldInsight {
        id: id(),
        visit_id: visit.id.clone(),
        category: InsightCategory::ProductDefect,
        note: Note::parse("排水泵卡扣易断，同批次已见三台").unwrap(),
        written_at: at(NINE + HOUR),
    };
    let operation = id();
    for _ in 0..2 {
        store
            .add_field_insight(&operation, &wang, &insight)
            .await
            .unwrap();
    }
    let refused = store
        .add_field_insight(
            &id(),
            &li,
            &FieldInsight {
                id: id(),
                ..insight.clone()
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(refused, WorkRecordError::NotYours(_)), "{refused}");
    assert_eq!(store.field_insights_of(&visit.id).await.unwrap(), [insight]);

    // The customer complains at sign-off, not before the work is finished.
    let complain = |operation: app::domain::ids::RecordId, who: app::domain::ids::RecordId| {
        let visit_id = visit.id.clone();
        async move {
            store
                .file_sign_off_complaint(
                    &operation,
                    &who,
                    id(),
                    &visit_id,
                    Note::parse("师傅迟到一小时").unwrap(),
                    at(NINE + 2 * HOUR),
                )
                .await
        }
    };
    let early = complain(id(), wang.clone()).await.unwrap_err();
    assert!(
        matches!(early, WorkRecordError::NotAtSignOff(VisitStatus::Arrived)),
        "{early}"
    );
    finish(db, &visit, &wang, VisitOutcome::Fixed).await;
    let not_his = complain(id(), li.clone()).await.unwrap_err();
    assert!(matches!(not_his, WorkRecordError::NotYours(_)), "{not_his}");
    let operation = id();
    let filed = complain(operation.clone(), wang.clone()).await.unwrap();
    complain(operation.clone(), wang.clone()).await.unwrap();
    assert_eq!(filed.source, ComplaintSource::SignOff);
    assert_eq!(filed.work_order_id, visit.work_order_id);
    assert_eq!(
        store.complaints_of_visit(&visit.id).await.unwrap(),
        [filed.id.to_string()]
    );
    // A repeat answers the visit's technician only: once the visit is
    // another's, even the first sender's repeat is refused.
    sqlx::query("UPDATE visits SET technician_id = $1 WHERE id = $2")
        .bind(li.as_str())
        .bind(visit.id.as_str())
        .execute(store.pool())
        .await
        .unwrap();
    let moved = complain(operation, wang.clone()).await.unwrap_err();
    assert!(matches!(moved, WorkRecordError::NotYours(_)), "{moved}");
}

async fn check_in_keeps_the_device_clock_and_position(db: &TestDb) {
    use app::store::visits::StepMoment;
    use sqlx::Row;
    let store = &db.store;
    let region = fixtures::region(store, "东区").await;
    let wang = fixtures::user(store, "tech.wang", Role::Technician, Some(&region)).await;
    let order = fixtures::order(store, &region, "王秀英", fixtures::window(NINE, 2)).await;
    let visit = fixtures::visit(store, &order, Some(&wang)).await;
    let operation = id();
    let fix = app::domain::visit::PositionFix::new(31.2204, 121.5447, 18.5).unwrap();
    store
        .apply_visit_event(
            operation.as_str(),
            visit.id.as_str(),
            wang.as_str(),
            VisitEvent::CheckIn,
            StepMoment {
                server: at(NINE + 600_000),
                device: app::domain::device_clock::DeviceClock {
                    made_at: Some(at(NINE + 540_000)),
                    skew_ms: None,
                },
                fix: Some(fix),
            },
        )
        .await
        .unwrap();
    let row = sqlx::query(
        "SELECT arrived_at_ms, arrived_device_at_ms, arrived_latitude, arrived_longitude, \
         arrived_accuracy_m FROM visits WHERE id = $1",
    )
    .bind(visit.id.as_str())
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(row.get::<i64, _>("arrived_at_ms"), NINE + 600_000);
    assert_eq!(row.get::<i64, _>("arrived_device_at_ms"), NINE + 540_000);
    assert_eq!(row.get::<f64, _>("arrived_latitude"), 31.2204);
    assert_eq!(row.get::<f64, _>("arrived_longitude"), 121.5447);
    assert_eq!(row.get::<f64, _>("arrived_accuracy_m"), 18.5);
    let device: Option<i64> =
        sqlx::query("SELECT device_at_ms FROM applied_operations WHERE operation_id = $1")
            .bind(operation.as_str())
            .fetch_one(store.pool())
            .await
            .unwrap()
            .get("device_at_ms");
    assert_eq!(device, Some(NINE + 540_000));
}

/// A visit to `order` done by `technician`, fixed, and signed at `signed`.
async fn fixed_and_signed(
    db: &TestDb,
    order: &app::domain::work_order::WorkOrder,
    technician: &app::domain::ids::RecordId,
    signed: app::domain::time::Timestamp,
) -> app::domain::visit::Visit {
    let visit = fixtures::visit(&db.store, order, Some(technician)).await;
    check_in(db, &visit, technician).await;
    finish(db, &visit, technician, VisitOutcome::Fixed).await;
    fixtures::sign_content(&db.store, &visit.id, technician, signed).await;
    visit
}

/// Signed services get their callback (3 days) and tracking call (7 days)
/// when their service point's level samples them: every one at a
/// contracted point, the hash's choice at headquarters. A customer in the
/// month's survey sample gets one survey call, due when the month ends.
async fn signing_schedules_the_sampled_callbacks(db: &TestDb) {
    use app::domain::callback::{plan_callback, SamplingRates, ServicePointLevel};
    use sqlx::Row;
    let store = &db.store;
    let region = fixtures::region(store, "东区").await;
    let wang = fixtures::user(store, "tech.wang", Role::Technician, Some(&region)).await;
    let signed = at(NINE + 2 * HOUR);
    let mut called = 0;
    for (n, level) in (0..16).map(|n| {
        let level = if n < 4 {
            ServicePointLevel::Contracted
        } else {
            ServicePointLevel::Headquarters
        };
        (n, level)
    }) {
        sqlx::query("UPDATE regions SET service_point_level = $1 WHERE id = $2")
            .bind(level.as_str())
            .bind(region.as_str())
            .execute(store.pool())
            .await
            .unwrap();
        let order = fixtures::order(
            store,
            &region,
            &format!("客户{n}"),
            fixtures::window(NINE, 2),
        )
        .await;
        let visit = fixed_and_signed(db, &order, &wang, signed).await;
        let tasks: Vec<(String, i64)> = sqlx::query(
            "SELECT kind, due_at_ms FROM follow_up_calls WHERE visit_id = $1 \
             AND kind <> 'survey' ORDER BY due_at_ms",
        )
        .bind(visit.id.as_str())
        .fetch_all(store.pool())
        .await
        .unwrap()
        .iter()
        .map(|row| (row.get("kind"), row.get("due_at_ms")))
        .collect();
        let day = 24 * HOUR;
        match plan_callback(visit.id.as_str(), level, &SamplingRates::default(), signed) {
            Some(_) => {
                called += 1;
                assert_eq!(
                    tasks,
                    [
                        ("callback".to_string(), signed.unix_millis() + 3 * day),
                        ("tracking".to_string(), signed.unix_millis() + 7 * day),
                    ]
                );
            }
            None => assert!(tasks.is_empty(), "{level:?}: {tasks:?}"),
        }
        if level == ServicePointLevel::Contracted {
            assert_eq!(
                tasks.len(),
                2,
                "a contracted point calls every service back"
            );
        }
    }
    assert!(called >= 4, "{called}");

    let surveys: Vec<(String, i64)> = sqlx::query(
        "SELECT w.customer_id, f.due_at_ms FROM follow_up_calls f \
         JOIN visits v ON v.id = f.visit_id JOIN work_orders w ON w.id = v.work_order_id \
         WHERE f.kind = 'survey' ORDER BY w.customer_id",
    )
    .fetch_all(store.pool())
    .await
    .unwrap()
    .iter()
    .map(|row| (row.get("customer_id"), row.get("due_at_ms")))
    .collect();
    let month = app::domain::callback::survey_month(signed, app::domain::time::UtcOffset::CHINA);
    let mut expected: Vec<(String, i64)> = sqlx::query("SELECT id FROM customers ORDER BY id")
        .fetch_all(store.pool())
        .await
        .unwrap()
        .iter()
        .map(|row| row.get::<String, _>("id"))
        .filter(|customer| {
            app::domain::callback::in_phone_survey(customer, month.0, &SamplingRates::default())
        })
        .map(|customer| (customer, month.1.unix_millis()))
        .collect();
    expected.sort();
    assert_eq!(surveys, expected);
}

/// A customer served twice in a month is surveyed once, and the rates on
/// record are the ones used: at 100% every customer is surveyed.
async fn a_customer_is_surveyed_once_a_month(db: &TestDb) {
    use sqlx::Row;
    let store = &db.store;
    sqlx::query(
        "UPDATE callback_sampling SET phone_survey_permille = 1000, company_run_permille = 0",
    )
    .execute(store.pool())
    .await
    .unwrap();
    let region = fixtures::region(store, "东区").await;
    let wang = fixtures::user(store, "tech.wang", Role::Technician, Some(&region)).await;
    let first = fixtures::order(store, &region, "王秀英", fixtures::window(NINE, 2)).await;
    let mut visits = Vec::new();
    for order in [
        first.clone(),
        fixtures::repeat_order(store, &first, NINE + 4 * HOUR).await,
    ] {
        let visit = fixed_and_signed(db, &order, &wang, at(NINE + 6 * HOUR)).await;
        visits.push(visit.id);
    }
    let kinds: Vec<(String, String)> =
        sqlx::query("SELECT visit_id, kind FROM follow_up_calls ORDER BY visit_id, kind")
            .fetch_all(store.pool())
            .await
            .unwrap()
            .iter()
            .map(|row| (row.get("visit_id"), row.get("kind")))
            .collect();
    assert_eq!(
        kinds,
        [(visits[0].to_string(), "survey".to_string())],
        "company-run points at 0%: no callbacks; one survey for the customer's month"
    );
}

on_both_engines!(
    signing_schedules_the_sampled_callbacks,
    a_customer_is_surveyed_once_a_month,
    a_visit_not_fixed_opens_its_follow_up_on_the_same_order,
    a_signed_record_takes_changes_as_new_revisions,
    photos_insights_and_sign_off_complaints_are_kept_once,
    check_in_keeps_the_device_clock_and_position,
);

/// A signature of 600,000 empty strokes and one real one, as a client
/// could send before strokes were bounded: refused now, and one stored
/// then still prints as a small page (one path, the empty strokes left out).
async fn a_padded_signature_is_refused_and_an_old_one_prints_small(db: &TestDb) {
    use axum::http::StatusCode;
    use common::web::{app_for, get, json_call, log_in, send};
    let store = &db.store;
    let (visit, wang, _) = a_visit_at_work(db).await;
    finish(db, &visit, &wang, VisitOutcome::Fixed).await;
    let app = app_for(db);
    let session = log_in(&app, "tech.wang").await;

    let mut padded: Vec<serde_json::Value> = vec![serde_json::json!([]); 600_000];
    padded.push(serde_json::json!([[1.0, 1.0], [90.0, 40.0]]));
    for strokes in [
        serde_json::Value::Array(padded.clone()),
        serde_json::json!(vec![[[1.0, 1.0], [2.0, 2.0]]; 65]),
        serde_json::json!([vec![[1.0, 1.0]; 2_001]]),
    ] {
        let mut sign_off = common::web::signature_json();
        sign_off["strokes"] = strokes;
        let answer = send(
            &app,
            json_call(
                "/api/visits/sign_off",
                &serde_json::json!({
                    "operation_id": id().to_string(),
                    "visit_id": visit.id.to_string(),
                    "sign_off": sign_off,
                }),
                Some(&session),
            ),
        )
        .await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            &answer.body[..answer.body.len().min(300)]
        );
        assert!(answer.body.contains("\"signature\""), "{}", answer.body);
    }
    assert_eq!(count(store, "sign_offs").await, 0);

    // Stored before the bounds (read back by the rules it was taken under).
    let old: Signature = serde_json::from_value(serde_json::json!({ "strokes": padded })).unwrap();
    let mut signed = sign_off();
    signed.signature = old;
    store
        .sign_off(&id(), &visit.id, &wang, &signed, at(NINE + 2 * HOUR))
        .await
        .unwrap();
    let page = send(
        &app,
        get(&format!("/visits/{}/record", visit.id), Some(&session)),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.len() < 300 * 1024,
        "the record page is {} bytes",
        page.body.len()
    );
    assert!(page.body.contains("data-testid=\"record-signature\""));
    assert!(
        page.body.contains("M1.0 1.0L90.0 40.0"),
        "the real stroke is drawn"
    );
}

on_both_engines!(a_padded_signature_is_refused_and_an_old_one_prints_small);
