//! A visit whose customer is absent or will not sign closes unsigned, on
//! both engines: sealed like a signed record, never signed after, a
//! completed service in the figures with no rating and no missed
//! signature item, and always called back, whatever the sampling.

use crate::arrival_checks::{check_in, day_counts, finish_work, record, visit_of};
use crate::common;

use app::domain::auth::Role;
use app::domain::callback::FollowUpKind;
use app::domain::signoff::{NoSignature, UnsignedClose};
use app::domain::time::Timestamp;
use app::domain::validation::Note;
use app::domain::visit::{VisitEvent, VisitStatus};
use app::store::visit_records::WorkRecordError;
use app::store::visits::VisitEventError;
use common::fixtures::{self, id, HOUR, SHANGHAI_MIDNIGHT};
use common::TestDb;

async fn a_visit_closed_unsigned_is_sealed_counted_and_always_called_back(db: &TestDb) {
    // Nothing is sampled: only the unsigned close can make the calls.
    sqlx::query(
        "UPDATE callback_sampling SET contracted_permille = 0, company_run_permille = 0, \
         headquarters_permille = 0, phone_survey_permille = 0",
    )
    .execute(db.store.pool())
    .await
    .unwrap();
    let region = fixtures::region(&db.store, "东区").await;
    let wang = fixtures::user(&db.store, "tech.wang", Role::Technician, Some(&region)).await;
    let (_, visit) = visit_of(db, &region, &wang, "王秀英").await;
    check_in(db, &visit, &wang, None).await;
    finish_work(db, &visit, &wang).await;

    // Not a step on its own: closing needs why.
    let bare = db
        .store
        .apply_visit_event(
            id().as_str(),
            visit.as_str(),
            wang.as_str(),
            VisitEvent::CloseUnsigned,
            Timestamp::from_unix_millis(SHANGHAI_MIDNIGHT + 10 * HOUR),
        )
        .await;
    assert!(
        matches!(
            bare,
            Err(VisitEventError::NotABareStep(VisitEvent::CloseUnsigned))
        ),
        "{bare:?}"
    );

    let closing = UnsignedClose {
        why: NoSignature::CustomerAbsent,
        reason: Note::parse("用户临时外出，家人在场验机").unwrap(),
    };
    let at = Timestamp::from_unix_millis(SHANGHAI_MIDNIGHT + 10 * HOUR + 20 * 60_000);
    let operation = id();
    for _ in 0..2 {
        // The same operation twice (a retry) closes it once.
        let status = db
            .store
            .close_unsigned(&operation, &visit, &wang, &closing, at)
            .await
            .unwrap();
        assert_eq!(status, VisitStatus::ClosedUnsigned);
    }
    let closed = record(db, &visit).await;
    assert_eq!(closed.visit.status, VisitStatus::ClosedUnsigned);
    assert_eq!(closed.visit.times.closed_unsigned, Some(at));
    assert_eq!(closed.unsigned, Some(closing.clone()));
    assert!(closed.sign_off.is_none());
    assert!(closed.seal.as_ref().unwrap().intact);
    assert_eq!(closed.revisions.len(), 1);

    // Sealed: no signature, no second close, no charge taken back.
    let signing = db
        .store
        .sign_off(
            &id(),
            &visit,
            &wang,
            &fixtures::content_sign_off(fixtures::ratings([5, 5, 5, 5, 5])),
            at,
        )
        .await;
    assert!(
        matches!(signing, Err(VisitEventError::Illegal(_))),
        "{signing:?}"
    );
    let again = db
        .store
        .close_unsigned(&id(), &visit, &wang, &closing, at)
        .await;
    assert!(
        matches!(again, Err(VisitEventError::Illegal(_))),
        "{again:?}"
    );
    let removal = db
        .store
        .remove_charge(&id(), &visit, &wang, &id(), at)
        .await;
    assert!(
        matches!(removal, Err(WorkRecordError::AlreadySigned(_))),
        "{removal:?}"
    );

    // A completed service; no rating; the signature's item not missed.
    let counts = day_counts(db).await;
    assert_eq!(counts.completed_services, 1);
    assert_eq!(counts.ratings.count, 0);
    assert_eq!(counts.required_items_missed, 0, "{counts:?}");
    assert!(counts.required_items_due > 0);

    // Called back and tracked, though nothing is sampled.
    let calls: Vec<FollowUpKind> = db
        .store
        .open_follow_up_calls(None)
        .await
        .unwrap()
        .into_iter()
        .filter(|call| call.visit_id == visit.as_str())
        .map(|call| call.kind)
        .collect();
    assert_eq!(calls, [FollowUpKind::Callback, FollowUpKind::Tracking]);
}

/// Another technician cannot close someone else's visit, and a visit
/// still at work cannot close at all.
async fn only_the_technicians_finished_visit_closes_unsigned(db: &TestDb) {
    let region = fixtures::region(&db.store, "东区").await;
    let wang = fixtures::user(&db.store, "tech.wang", Role::Technician, Some(&region)).await;
    let li = fixtures::user(&db.store, "tech.li", Role::Technician, Some(&region)).await;
    let (_, visit) = visit_of(db, &region, &wang, "李建国").await;
    check_in(db, &visit, &wang, None).await;
    let closing = UnsignedClose {
        why: NoSignature::CustomerRefused,
        reason: Note::parse("用户对收费有异议，拒绝签字").unwrap(),
    };
    let at = Timestamp::from_unix_millis(SHANGHAI_MIDNIGHT + 10 * HOUR);
    let early = db
        .store
        .close_unsigned(&id(), &visit, &wang, &closing, at)
        .await;
    assert!(
        matches!(early, Err(VisitEventError::Illegal(_))),
        "{early:?}"
    );
    finish_work(db, &visit, &wang).await;
    let not_yours: Result<_, _> = db
        .store
        .close_unsigned(&id(), &visit, &li, &closing, at)
        .await;
    assert!(
        matches!(not_yours, Err(VisitEventError::NotYours(_))),
        "{not_yours:?}"
    );
    assert_eq!(
        record(db, &visit).await.visit.status,
        VisitStatus::WorkFinished
    );
}

on_both_engines!(
    a_visit_closed_unsigned_is_sealed_counted_and_always_called_back,
    only_the_technicians_finished_visit_closes_unsigned
);
