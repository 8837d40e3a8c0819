//! The phone predicts what the server will hold after each change a
//! technician makes (`VisitRecord::predict`), so that a visit done with no
//! network shows as it will be. On random sequences of changes, on both
//! engines, the prediction agrees with the server: the same changes taken,
//! the same refused, and the same record after.

use crate::common;

use app::domain::auth::Role;
use app::domain::charges::{Money, PartUsed, Quantity};
use app::domain::checklist::{default_template, ItemAnswer};
use app::domain::ids::RecordId;
use app::domain::record::{VisitChange, VisitRecord};
use app::domain::signoff::{NoSignature, NotFixedReason, UnsignedClose, VisitOutcome};
use app::domain::time::Timestamp;
use app::domain::validation::{Note, PartCode, PartName};
use app::domain::visit::VisitEvent;
use app::store::Store;
use common::fixtures::{self, id, HOUR, SHANGHAI_MIDNIGHT};
use common::{Dice, TestDb};

/// A change as a technician might make it: mostly the next open item of
/// the checklist, sometimes any item again, now and then a key no template
/// has; steps in any order, right or wrong.
fn random_change(
    dice: &mut Dice,
    record: &VisitRecord,
    item_keys: &[String],
    at: Timestamp,
) -> VisitChange {
    match dice.below(13) {
        0..=3 => VisitChange::Step(match dice.below(9) {
            0 | 1 => VisitEvent::SetOff,
            2 | 3 => VisitEvent::CheckIn,
            4 | 5 => VisitEvent::StartWork,
            6 | 7 => VisitEvent::FinishWork,
            // Calling the visit off ends the sequence's work: rarely.
            _ if dice.below(20) == 0 => VisitEvent::Cancel,
            // Neither is a step on its own; both are refused as one.
            _ if dice.below(2) == 0 => VisitEvent::CloseUnsigned,
            _ => VisitEvent::SignOff,
        }),
        4..=6 => {
            let next_open = item_keys.iter().find(|key| record.answer(key).is_none());
            let item_key = match (dice.below(15), next_open) {
                (0, _) => "not_in_the_template".to_string(),
                (1..=10, Some(key)) => key.clone(),
                (n, _) => item_keys[n as usize % item_keys.len()].clone(),
            };
            let answer = if dice.below(4) == 0 {
                ItemAnswer::NotApplicable {
                    at,
                    reason: Note::parse("用户自备").unwrap(),
                }
            } else {
                ItemAnswer::Done {
                    at,
                    note: None,
                    photo: None,
                }
            };
            VisitChange::Answer { item_key, answer }
        }
        7 | 8 => VisitChange::Outcome(if dice.below(3) == 0 {
            VisitOutcome::NotFixed {
                reason: NotFixedReason::PartsUnavailable,
            }
        } else {
            VisitOutcome::Fixed
        }),
        9 => VisitChange::Part(PartUsed {
            id: id(),
            code: PartCode::parse("wm-belt-01").unwrap(),
            name: PartName::parse("洗衣机皮带").unwrap(),
            quantity: Quantity::new(1 + dice.below(3) as u32).unwrap(),
            unit_price: Money::from_fen("unit_price", 4_500).unwrap(),
            charge_reason: None,
        }),
        10 => {
            let schedule = app::domain::charges::FeeSchedule::default_for(
                app::domain::work_order::ApplianceCategory::WashingMachine,
            );
            let item = &schedule.items[dice.below(schedule.items.len() as u64) as usize];
            VisitChange::Fee(
                schedule
                    .charge(id(), item.code.clone(), Quantity::new(1).unwrap())
                    .unwrap(),
            )
        }
        // Mostly a charge already made; now and then one never made.
        11 => {
            let made: Vec<&RecordId> = record
                .parts
                .iter()
                .map(|part| &part.id)
                .chain(record.fees.iter().map(|fee| &fee.id))
                .collect();
            match (dice.below(4), made.is_empty()) {
                (0, _) | (_, true) => VisitChange::RemoveCharge(id()),
                (n, false) => VisitChange::RemoveCharge(made[n as usize % made.len()].clone()),
            }
        }
        // The customer signs, or (now and then) is not there to.
        _ if dice.below(4) == 0 => VisitChange::CloseUnsigned(UnsignedClose {
            why: NoSignature::CustomerAbsent,
            reason: Note::parse("用户外出").unwrap(),
        }),
        _ => VisitChange::SignOff(fixtures::content_sign_off(fixtures::ratings([
            5, 5, 4, 5, 5,
        ]))),
    }
}

/// The change sent to the server as the phone's sync would, with a fresh
/// operation id.
async fn send(
    store: &Store,
    visit_id: &RecordId,
    technician: &RecordId,
    change: &VisitChange,
    at: Timestamp,
) -> Result<(), String> {
    match change {
        VisitChange::Step(event) => store
            .apply_visit_event(
                id().as_str(),
                visit_id.as_str(),
                technician.as_str(),
                *event,
                at,
            )
            .await
            .map(|_| ())
            .map_err(|e| e.to_string()),
        VisitChange::Answer { item_key, answer } => store
            .record_checklist_answer(&id(), visit_id, technician, item_key, answer)
            .await
            .map_err(|e| e.to_string()),
        VisitChange::Outcome(outcome) => store
            .record_outcome(&id(), visit_id, technician, outcome, at)
            .await
            .map_err(|e| e.to_string()),
        VisitChange::Part(part) => store
            .record_part(&id(), visit_id, technician, part, at)
            .await
            .map_err(|e| e.to_string()),
        VisitChange::Fee(fee) => store
            .charge_fee(
                &id(),
                visit_id,
                technician,
                fee.id.clone(),
                fee.code.clone(),
                fee.quantity,
                at,
            )
            .await
            .map(|_| ())
            .map_err(|e| e.to_string()),
        VisitChange::RemoveCharge(charge_id) => store
            .remove_charge(&id(), visit_id, technician, charge_id, at)
            .await
            .map_err(|e| e.to_string()),
        VisitChange::SignOff(sign_off) => store
            .sign_off(&id(), visit_id, technician, sign_off, at)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string()),
        VisitChange::CloseUnsigned(closing) => store
            .close_unsigned(&id(), visit_id, technician, closing, at)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string()),
    }
}

async fn the_phone_predicts_the_servers_record(db: &TestDb) {
    let store = &db.store;
    let region = fixtures::region(store, "东区").await;
    let wang = fixtures::user(store, "tech.wang", Role::Technician, Some(&region)).await;
    let item_keys: Vec<String> = default_template()
        .items
        .iter()
        .map(|item| item.key.clone())
        .collect();
    let (mut taken, mut refused, mut finished, mut closed_unsigned) = (0, 0, 0, 0);
    for seed in 1..=12u64 {
        let order = fixtures::order(
            store,
            &region,
            "王秀英",
            fixtures::window(SHANGHAI_MIDNIGHT + 9 * HOUR, 2),
        )
        .await;
        let visit = fixtures::visit(store, &order, Some(&wang)).await;
        let mut predicted = store.visit_record(&visit.id).await.unwrap().unwrap();
        let mut dice = Dice(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let mut clock = SHANGHAI_MIDNIGHT + 9 * HOUR;
        for _ in 0..100 {
            clock += 60_000;
            let at = Timestamp::from_unix_millis(clock);
            let change = random_change(&mut dice, &predicted, &item_keys, at);
            let on_server = send(store, &visit.id, &wang, &change, at).await;
            let on_phone = predicted.predict(&change, at);
            assert_eq!(
                on_server.is_ok(),
                on_phone.is_ok(),
                "seed {seed}, {change:?}: server {on_server:?}, phone {on_phone:?}"
            );
            match on_server {
                Ok(()) => taken += 1,
                Err(_) => refused += 1,
            }
        }
        let stored = store.visit_record(&visit.id).await.unwrap().unwrap();
        assert_eq!(predicted.visit, stored.visit, "seed {seed}");
        assert_eq!(predicted.answers, stored.answers, "seed {seed}");
        assert_eq!(predicted.parts, stored.parts, "seed {seed}");
        assert_eq!(predicted.fees, stored.fees, "seed {seed}");
        assert_eq!(predicted.unsigned, stored.unsigned, "seed {seed}");
        if stored.visit.times.work_finished.is_some() {
            finished += 1;
        }
        if stored.unsigned.is_some() {
            closed_unsigned += 1;
        }
    }
    // The sequences reach every kind of answer: taken, refused, finished.
    assert!(
        taken > 100 && refused > 100,
        "taken {taken}, refused {refused}"
    );
    assert!(finished >= 3, "{finished} of 12 visits finished");
    assert!(closed_unsigned >= 1, "no visit closed unsigned");
}

on_both_engines!(the_phone_predicts_the_servers_record);
