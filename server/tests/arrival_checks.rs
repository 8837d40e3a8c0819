//! Whether an arrival can be believed, kept on the visit as it happens, on
//! both engines: a check-in far from a located customer is flagged on the
//! record, in the dispatcher's list and in the verified on-time rate; one
//! nearby is not; the customer's answer at sign-off counts, and where the
//! customer signed teaches where the customer lives (a check-in never does).

use crate::common;

use app::domain::arrival::{ArrivalFlag, PositionCheck};
use app::domain::auth::Role;
use app::domain::dashboard::FigureCounts;
use app::domain::device_clock::DeviceClock;
use app::domain::ids::RecordId;
use app::domain::metrics::Grace;
use app::domain::record::VisitRecord;
use app::domain::time::Timestamp;
use app::domain::validation::Coordinates;
use app::domain::visit::{PositionFix, VisitEvent};
use app::domain::work_order::WorkOrder;
use app::store::dashboard::{Buckets, MetricScope};
use app::store::visits::StepMoment;
use common::fixtures::{self, id, HOUR, SHANGHAI_MIDNIGHT};
use common::TestDb;

/// 上海 人民广场, and about 2 km and 80 m north of it.
const HOME: (f64, f64) = (31.2304, 121.4737);
const TWO_KM_NORTH: f64 = 0.018;
const EIGHTY_M_NORTH: f64 = 0.000_72;

fn fix(north: f64, accuracy_m: f64) -> PositionFix {
    PositionFix::new(HOME.0 + north, HOME.1, accuracy_m).unwrap()
}

/// A visit for 09:00–11:00 on the first test day, assigned to `technician`.
pub(crate) async fn visit_of(
    db: &TestDb,
    region: &RecordId,
    technician: &RecordId,
    customer: &str,
) -> (WorkOrder, RecordId) {
    let order = fixtures::order(
        &db.store,
        region,
        customer,
        fixtures::window(SHANGHAI_MIDNIGHT + 9 * HOUR, 2),
    )
    .await;
    let visit = fixtures::visit(&db.store, &order, Some(technician)).await;
    (order, visit.id)
}

async fn locate(db: &TestDb, order: &WorkOrder) {
    sqlx::query("UPDATE customers SET latitude = $1, longitude = $2 WHERE id = $3")
        .bind(HOME.0)
        .bind(HOME.1)
        .bind(order.customer_id.as_str())
        .execute(db.store.pool())
        .await
        .unwrap();
}

/// Sets off and checks in at 09:30, inside the window, at `fix`.
pub(crate) async fn check_in(
    db: &TestDb,
    visit: &RecordId,
    technician: &RecordId,
    fix: Option<PositionFix>,
) {
    let at =
        |minutes: i64| Timestamp::from_unix_millis(SHANGHAI_MIDNIGHT + 9 * HOUR + minutes * 60_000);
    for (event, moment) in [
        (VisitEvent::SetOff, StepMoment::from(at(0))),
        (
            VisitEvent::CheckIn,
            StepMoment {
                server: at(30),
                device: DeviceClock::default(),
                fix,
            },
        ),
    ] {
        db.store
            .apply_visit_event(
                id().as_str(),
                visit.as_str(),
                technician.as_str(),
                event,
                moment,
            )
            .await
            .unwrap();
    }
}

/// Through the work to a signature at 10:30 with `arrival_confirmed` and
/// the phone at `position`.
async fn sign(
    db: &TestDb,
    visit: &RecordId,
    technician: &RecordId,
    arrival_confirmed: Option<bool>,
    position: Option<PositionFix>,
) {
    finish_work(db, visit, technician).await;
    let store = &db.store;
    let mut sign_off = fixtures::content_sign_off(fixtures::ratings([5, 5, 5, 5, 5]));
    sign_off.arrival_confirmed = arrival_confirmed;
    sign_off.position = position;
    store
        .sign_off(
            &id(),
            visit,
            technician,
            &sign_off,
            Timestamp::from_unix_millis(SHANGHAI_MIDNIGHT + 10 * HOUR + 30 * 60_000),
        )
        .await
        .unwrap();
}

/// Started, every item done but the customer's signature, fixed and
/// finished at 10:00: the visit waits for the customer.
pub(crate) async fn finish_work(db: &TestDb, visit: &RecordId, technician: &RecordId) {
    let store = &db.store;
    let at = Timestamp::from_unix_millis(SHANGHAI_MIDNIGHT + 10 * HOUR);
    store
        .apply_visit_event(
            id().as_str(),
            visit.as_str(),
            technician.as_str(),
            VisitEvent::StartWork,
            at,
        )
        .await
        .unwrap();
    for item in app::domain::checklist::default_template().items {
        if item.key == app::domain::checklist::SIGNED_BY_CUSTOMER {
            continue;
        }
        let answer = app::domain::checklist::ItemAnswer::Done {
            at,
            note: None,
            photo: None,
        };
        store
            .record_checklist_answer(&id(), visit, technician, &item.key, &answer)
            .await
            .unwrap();
    }
    store
        .record_outcome(
            &id(),
            visit,
            technician,
            &app::domain::signoff::VisitOutcome::Fixed,
            at,
        )
        .await
        .unwrap();
    store
        .apply_visit_event(
            id().as_str(),
            visit.as_str(),
            technician.as_str(),
            VisitEvent::FinishWork,
            at,
        )
        .await
        .unwrap();
}

pub(crate) async fn record(db: &TestDb, visit: &RecordId) -> VisitRecord {
    db.store.visit_record(visit).await.unwrap().unwrap()
}

fn the_day() -> MetricScope {
    MetricScope {
        from: Timestamp::from_unix_millis(SHANGHAI_MIDNIGHT),
        until: Timestamp::from_unix_millis(SHANGHAI_MIDNIGHT + 24 * HOUR),
        region: None,
        technician: None,
    }
}

pub(crate) async fn day_counts(db: &TestDb) -> FigureCounts {
    let scope = the_day();
    let counted = db
        .store
        .dashboard_counts_from_visits(
            &scope,
            Buckets {
                origin: scope.from,
                width_ms: 24 * HOUR,
            },
            Grace::NONE,
            app::domain::metrics::RecallWindow::DEFAULT,
            Timestamp::from_unix_millis(SHANGHAI_MIDNIGHT + 23 * HOUR),
        )
        .await
        .unwrap();
    counted
        .slices
        .values()
        .fold(FigureCounts::default(), |total, counts| total + *counts)
}

async fn a_far_check_in_is_flagged_and_a_near_one_verified(db: &TestDb) {
    let region = fixtures::region(&db.store, "东区").await;
    let wang = fixtures::user(&db.store, "tech.wang", Role::Technician, Some(&region)).await;
    let (far_order, far) = visit_of(db, &region, &wang, "王秀英").await;
    let (near_order, near) = visit_of(db, &region, &wang, "李建国").await;
    locate(db, &far_order).await;
    locate(db, &near_order).await;
    check_in(db, &far, &wang, Some(fix(TWO_KM_NORTH, 20.0))).await;
    check_in(db, &near, &wang, Some(fix(EIGHTY_M_NORTH, 20.0))).await;

    let far_check = record(db, &far).await.arrival_check;
    assert_eq!(far_check.position, Some(PositionCheck::TooFar));
    assert_eq!(far_check.flags, vec![ArrivalFlag::TooFar]);
    assert!(
        far_check
            .distance_m
            .is_some_and(|d| (1_950..2_050).contains(&d)),
        "{far_check:?}"
    );
    assert!(!far_check.verified);
    let near_check = record(db, &near).await.arrival_check;
    assert_eq!(near_check.position, Some(PositionCheck::Passed));
    assert!(near_check.flags.is_empty());
    assert!(near_check.verified);

    // The dispatcher's list has the far one only.
    let flagged = db.store.flagged_arrivals(&the_day(), 50).await.unwrap();
    assert_eq!(
        flagged
            .iter()
            .map(|f| f.visit_id.as_str())
            .collect::<Vec<_>>(),
        vec![far.as_str()]
    );
    assert_eq!(flagged[0].customer_name, "王秀英");

    // Both on time as recorded; only the near one verified, over the same
    // visits due.
    let counts = day_counts(db).await;
    assert_eq!((counts.on_time, counts.visits_due), (2, 2));
    assert_eq!(counts.verified_on_time, 1);
    assert_eq!(
        counts.verified_on_time_rate().out_of,
        counts.on_time_rate().out_of
    );
}

async fn the_customers_answer_verifies_or_flags_the_arrival(db: &TestDb) {
    let region = fixtures::region(&db.store, "东区").await;
    let wang = fixtures::user(&db.store, "tech.wang", Role::Technician, Some(&region)).await;
    // No position at check-in: unverified until the customer confirms.
    let (_, confirmed) = visit_of(db, &region, &wang, "王秀英").await;
    check_in(db, &confirmed, &wang, None).await;
    assert!(!record(db, &confirmed).await.arrival_check.verified);
    sign(db, &confirmed, &wang, Some(true), None).await;
    let check = record(db, &confirmed).await.arrival_check;
    assert_eq!(check.position, Some(PositionCheck::NoPosition));
    assert!(check.verified, "{check:?}");

    // A position that passed, but the customer says the time is not true.
    let (order, denied) = visit_of(db, &region, &wang, "李建国").await;
    locate(db, &order).await;
    check_in(db, &denied, &wang, Some(fix(EIGHTY_M_NORTH, 10.0))).await;
    assert!(record(db, &denied).await.arrival_check.verified);
    sign(db, &denied, &wang, Some(false), None).await;
    let check = record(db, &denied).await.arrival_check;
    assert_eq!(check.flags, vec![ArrivalFlag::CustomerDenied]);
    assert!(!check.verified);
    let signed = record(db, &denied).await;
    assert_eq!(signed.sign_off.unwrap().arrival_confirmed, Some(false));
    assert!(signed.seal.unwrap().intact);

    // A position too coarse to use counts as none.
    let (order, coarse) = visit_of(db, &region, &wang, "张伟").await;
    locate(db, &order).await;
    check_in(db, &coarse, &wang, Some(fix(0.0, 800.0))).await;
    assert_eq!(
        record(db, &coarse).await.arrival_check.position,
        Some(PositionCheck::NoPosition)
    );
}

async fn the_customers_home_is_learned_from_signatures_never_from_check_ins(db: &TestDb) {
    let region = fixtures::region(&db.store, "东区").await;
    let wang = fixtures::user(&db.store, "tech.wang", Role::Technician, Some(&region)).await;
    let (first_order, first) = visit_of(db, &region, &wang, "王秀英").await;
    // Nobody located the customer: a check-in alone proves nothing.
    check_in(db, &first, &wang, Some(fix(TWO_KM_NORTH, 15.0))).await;
    assert_eq!(
        record(db, &first).await.arrival_check.position,
        Some(PositionCheck::NoPlace)
    );
    // The customer signs at home: the check-in 2 km away is now flagged.
    sign(db, &first, &wang, Some(true), Some(fix(0.0, 15.0))).await;
    let check = record(db, &first).await.arrival_check;
    assert_eq!(check.position, Some(PositionCheck::TooFar));
    assert!(!check.verified);

    // The next visit to the same customer is judged by where they signed.
    let next_order =
        fixtures::repeat_order(&db.store, &first_order, SHANGHAI_MIDNIGHT + 9 * HOUR).await;
    let next = fixtures::visit(&db.store, &next_order, Some(&wang))
        .await
        .id;
    check_in(db, &next, &wang, Some(fix(EIGHTY_M_NORTH, 15.0))).await;
    let check = record(db, &next).await.arrival_check;
    assert_eq!(check.position, Some(PositionCheck::Passed), "{check:?}");
    assert!(check.verified);
}

/// The intake offers, for a customer with no place, where they signed on
/// visits whose arrival was verified; a signature on a visit whose arrival
/// was not believed is no evidence of anything.
async fn the_intake_offers_where_the_customer_signed_on_verified_visits(db: &TestDb) {
    let region = fixtures::region(&db.store, "东区").await;
    let wang = fixtures::user(&db.store, "tech.wang", Role::Technician, Some(&region)).await;
    let (order, confirmed) = visit_of(db, &region, &wang, "王秀英").await;
    assert_eq!(
        db.store.verified_places(&order.customer_id).await.unwrap(),
        []
    );
    check_in(db, &confirmed, &wang, None).await;
    sign(db, &confirmed, &wang, Some(true), Some(fix(0.0, 15.0))).await;
    let offered = db.store.verified_places(&order.customer_id).await.unwrap();
    assert_eq!(offered.len(), 1, "{offered:?}");
    assert_eq!(
        (offered[0].place.latitude(), offered[0].place.longitude()),
        HOME
    );
    assert_eq!(
        offered[0].signed_at,
        Timestamp::from_unix_millis(SHANGHAI_MIDNIGHT + 10 * HOUR + 30 * 60_000)
    );
    assert_eq!(offered[0].utc_offset, app::domain::time::UtcOffset::CHINA);

    // Signed at home, but the customer denies the arrival: not offered.
    let (denied_order, denied) = visit_of(db, &region, &wang, "李建国").await;
    check_in(db, &denied, &wang, None).await;
    sign(db, &denied, &wang, Some(false), Some(fix(0.0, 15.0))).await;
    assert_eq!(
        db.store
            .verified_places(&denied_order.customer_id)
            .await
            .unwrap(),
        []
    );
    // Confirmed, but with a fix too coarse to tell one house from the next.
    let (coarse_order, coarse) = visit_of(db, &region, &wang, "张伟").await;
    check_in(db, &coarse, &wang, None).await;
    sign(db, &coarse, &wang, Some(true), Some(fix(0.0, 800.0))).await;
    assert_eq!(
        db.store
            .verified_places(&coarse_order.customer_id)
            .await
            .unwrap(),
        []
    );
}

/// Positions are optional everywhere they are kept: a statement run first
/// without one and then with one, on the same connection, keeps both.
/// (The check-in and the inserts run on a one-connection pool; the rest of
/// the work needs a second connection and takes the test's own pool.)
async fn a_position_missing_once_is_kept_when_given_later(db: &TestDb) {
    let one = db.one_connection().await;
    let region = fixtures::region(&db.store, "东区").await;
    let wang = fixtures::user(&db.store, "tech.wang", Role::Technician, Some(&region)).await;
    let (_, without) = visit_of(db, &region, &wang, "王秀英").await;
    check_in(&one, &without, &wang, None).await;
    let (order, visit) = visit_of(db, &region, &wang, "张伟").await;
    locate(db, &order).await;
    check_in(&one, &visit, &wang, Some(fix(EIGHTY_M_NORTH, 10.0))).await;
    let kept = record(db, &visit).await;
    assert_eq!(kept.arrival_check.position, Some(PositionCheck::Passed));
    let distance = kept.arrival_check.distance_m.unwrap();
    assert!((75..=85).contains(&distance), "{distance} m");

    let at = Timestamp::from_unix_millis(SHANGHAI_MIDNIGHT + 10 * HOUR);
    let mut sign_off = fixtures::content_sign_off(fixtures::ratings([5, 5, 5, 5, 5]));
    app::store::visit_records::insert_sign_off(one.store.pool(), &without, &sign_off, at)
        .await
        .unwrap();
    sign_off.position = Some(fix(0.0, 15.0));
    app::store::visit_records::insert_sign_off(one.store.pool(), &visit, &sign_off, at)
        .await
        .unwrap();
    assert_eq!(
        record(db, &visit).await.sign_off.unwrap().position,
        Some(fix(0.0, 15.0))
    );

    let located = app::domain::work_order::Customer {
        coordinates: Some(Coordinates::new(HOME.0, HOME.1).unwrap()),
        ..one
            .store
            .customer(&order.customer_id)
            .await
            .unwrap()
            .unwrap()
    };
    let unlocated = app::domain::work_order::Customer {
        id: id(),
        coordinates: None,
        ..located.clone()
    };
    let located = app::domain::work_order::Customer {
        id: id(),
        ..located
    };
    for customer in [&unlocated, &located] {
        app::store::work_orders::insert_customer(
            one.store.pool(),
            customer,
            Timestamp::from_unix_millis(SHANGHAI_MIDNIGHT),
        )
        .await
        .unwrap();
    }
    let (latitude, longitude): (f64, f64) =
        sqlx::query_as("SELECT latitude, longitude FROM customers WHERE id = $1")
            .bind(located.id.as_str())
            .fetch_one(one.store.pool())
            .await
            .unwrap();
    assert_eq!((latitude, longitude), HOME);
    one.close().await;
}

on_both_engines!(
    a_far_check_in_is_flagged_and_a_near_one_verified,
    the_customers_answer_verifies_or_flags_the_arrival,
    the_customers_home_is_learned_from_signatures_never_from_check_ins,
    the_intake_offers_where_the_customer_signed_on_verified_visits,
    a_position_missing_once_is_kept_when_given_later
);
