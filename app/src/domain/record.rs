//! The one-ticket service record (一票到底服务记录单): everything about one
//! visit in one value, as the record page and the customer's copy show it.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::charges::{visit_total, FeeCharge, Money, PartUsed};
use super::checklist::{ChecklistTemplate, IncompleteChecklist, ItemAnswer, UnknownItem};
use super::signoff::{SignOff, UnsignedClose, VisitOutcome};
use super::time::Timestamp;
use super::visit::{IllegalTransition, Visit, VisitEvent, VisitStatus};
use super::work_order::{Appliance, Customer, WorkOrder};

/// A checklist result against its template item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedAnswer {
    pub item_key: String,
    pub answer: ItemAnswer,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VisitRecord {
    pub visit: Visit,
    pub work_order: WorkOrder,
    pub customer: Customer,
    pub appliance: Appliance,
    pub technician_name: Option<String>,
    /// The template version the visit runs by.
    pub checklist: ChecklistTemplate,
    /// In template order.
    pub answers: Vec<RecordedAnswer>,
    pub parts: Vec<PartUsed>,
    pub fees: Vec<FeeCharge>,
    pub sign_off: Option<SignOff>,
    /// Why the visit closed without the customer's signature, if it did.
    #[serde(default)]
    pub unsigned: Option<UnsignedClose>,
    /// Set once the customer has signed, or the visit closed unsigned.
    pub seal: Option<SealCheck>,
    /// The signed record and every change made after it, oldest first.
    #[serde(default)]
    pub revisions: Vec<RecordRevision>,
    /// Whether the arrival can be believed, as last judged; outside the
    /// seal, since a later sign-off elsewhere can teach where the customer
    /// lives.
    #[serde(default)]
    pub arrival_check: super::arrival::ArrivalCheck,
    /// The number on the technician's service ID card, for the printed
    /// record; outside the seal, so records sealed before it was read
    /// still verify.
    #[serde(default)]
    pub technician_card_number: Option<String>,
}

/// One revision of a signed record. Revision 1 is the record as the
/// customer signed it; a change after signing never edits it, it adds the
/// next revision with who made it and what it was.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordRevision {
    pub number: u32,
    pub sha256: String,
    pub change: RecordChange,
    pub changed_by: String,
    pub changed_at: super::time::Timestamp,
    /// The stored content still hashes to `sha256`.
    pub intact: bool,
}

text_enum! {
    /// What made a revision.
    pub enum RecordChange {
        Signed = "signed",
        ClosedUnsigned = "closed_unsigned",
        ChecklistAnswer = "checklist_answer",
        Part = "part",
    }
}

/// A change to a record that is allowed after the customer signed: an
/// item's answer completed (a photo, a note) or a part recorded for the
/// stock books. The outcome and the fees stay as the customer confirmed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Amendment {
    ChecklistAnswer {
        item_key: String,
        answer: ItemAnswer,
    },
    Part(PartUsed),
}

impl Amendment {
    pub fn change(&self) -> RecordChange {
        match self {
            Amendment::ChecklistAnswer { .. } => RecordChange::ChecklistAnswer,
            Amendment::Part(_) => RecordChange::Part,
        }
    }
}

/// A change a technician makes to a visit's record on the phone: what the
/// outbox carries, and what `VisitRecord::predict` applies.
#[derive(Clone, Debug, PartialEq)]
pub enum VisitChange {
    Step(VisitEvent),
    Answer {
        item_key: String,
        answer: ItemAnswer,
    },
    Outcome(VisitOutcome),
    Part(PartUsed),
    /// A fee at the schedule's amount.
    Fee(FeeCharge),
    /// A part or fee taken back, by its id, before the customer signs.
    RemoveCharge(super::ids::RecordId),
    SignOff(SignOff),
    CloseUnsigned(UnsignedClose),
}

/// Why the server would refuse a change, as the phone can tell.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ChangeRefused {
    #[error(transparent)]
    IllegalStep(#[from] IllegalTransition),
    #[error(transparent)]
    NotReadyToFinish(#[from] NotReadyToFinish),
    #[error("the visit is {0}: work is recorded between check-in and finishing the work")]
    NotAtWork(VisitStatus),
    #[error(transparent)]
    UnknownItem(#[from] UnknownItem),
    #[error("to {0} the visit, use its own form: the signature, or why there is none")]
    NotABareStep(VisitEvent),
    #[error("no part or fee {0} on this visit")]
    NoSuchCharge(super::ids::RecordId),
}

/// The record's seal and whether the record as read still matches it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealCheck {
    /// SHA-256 (hex) over the record as signed.
    pub sha256: String,
    pub intact: bool,
}

/// What the seal covers: the whole record but the seal itself.
#[derive(Serialize)]
pub struct SealedContent<'a> {
    visit: &'a Visit,
    work_order: &'a WorkOrder,
    customer: &'a Customer,
    appliance: &'a Appliance,
    technician_name: &'a Option<String>,
    checklist: &'a ChecklistTemplate,
    answers: &'a [RecordedAnswer],
    parts: &'a [PartUsed],
    fees: &'a [FeeCharge],
    sign_off: &'a Option<SignOff>,
    /// Left out when absent, so records sealed before it still verify.
    #[serde(skip_serializing_if = "Option::is_none")]
    unsigned: &'a Option<UnsignedClose>,
}

impl VisitRecord {
    /// The record as it is read and shown, after its seal was checked on
    /// the stored content: the signature holds only what is drawn of it
    /// (`Signature::drawable_strokes`), so a page or an answer carrying a
    /// signature stored before strokes were bounded stays small.
    pub fn for_reading(mut self) -> VisitRecord {
        if let Some(sign_off) = self.sign_off.as_mut() {
            sign_off.signature = sign_off.signature.drawable();
        }
        self
    }

    pub fn sealed_content(&self) -> SealedContent<'_> {
        SealedContent {
            visit: &self.visit,
            work_order: &self.work_order,
            customer: &self.customer,
            appliance: &self.appliance,
            technician_name: &self.technician_name,
            checklist: &self.checklist,
            answers: &self.answers,
            parts: &self.parts,
            fees: &self.fees,
            sign_off: &self.sign_off,
            unsigned: &self.unsigned,
        }
    }

    /// The record with `amendment` applied, in the order the record is read
    /// in: answers by template position, parts in the order recorded.
    pub fn amend(&mut self, amendment: &Amendment) {
        match amendment {
            Amendment::ChecklistAnswer { item_key, answer } => {
                match self.answers.iter_mut().find(|r| &r.item_key == item_key) {
                    Some(recorded) => recorded.answer = answer.clone(),
                    None => self.answers.push(RecordedAnswer {
                        item_key: item_key.clone(),
                        answer: answer.clone(),
                    }),
                }
                let items = &self.checklist.items;
                self.answers
                    .sort_by_key(|r| items.iter().position(|item| item.key == r.item_key));
            }
            Amendment::Part(part) => self.parts.push(part.clone()),
        }
    }

    /// The record as the server will hold it once it has taken `change`,
    /// made at `at`: the server's rules, run on the phone, so that a change
    /// made with no network shows at once and a change the server would
    /// refuse is refused there too. What the prediction leaves to the
    /// server: the times it stamps (its clock, not the phone's), the
    /// revisions and seal of a signed record, and the follow-up visit a
    /// "not fixed" finish opens.
    pub fn predict(&mut self, change: &VisitChange, at: Timestamp) -> Result<(), ChangeRefused> {
        let status = self.visit.status;
        let at_work_or_signed = status.accepts_work_records() || status.is_closed();
        match change {
            VisitChange::Step(event) if event.needs_its_form() => {
                return Err(ChangeRefused::NotABareStep(*event))
            }
            VisitChange::Step(event) => {
                let next = status.apply(*event)?;
                if *event == VisitEvent::FinishWork {
                    self.ready_to_finish()?;
                }
                let times = &mut self.visit.times;
                let stamp = match event {
                    VisitEvent::SetOff => &mut times.on_the_way,
                    VisitEvent::CheckIn => &mut times.arrived,
                    VisitEvent::StartWork => &mut times.work_started,
                    VisitEvent::FinishWork => &mut times.work_finished,
                    VisitEvent::SignOff => &mut times.signed,
                    VisitEvent::CloseUnsigned => &mut times.closed_unsigned,
                    VisitEvent::Cancel => &mut times.cancelled,
                };
                *stamp = Some(at);
                self.visit.status = next;
            }
            VisitChange::Answer { item_key, answer } => {
                if !at_work_or_signed {
                    return Err(ChangeRefused::NotAtWork(status));
                }
                self.checklist.item(item_key)?;
                self.amend(&Amendment::ChecklistAnswer {
                    item_key: item_key.clone(),
                    answer: answer.clone(),
                });
            }
            VisitChange::Outcome(outcome) => {
                if !status.accepts_work_records() {
                    return Err(ChangeRefused::NotAtWork(status));
                }
                self.visit.outcome = Some(outcome.clone());
            }
            VisitChange::Part(part) => {
                if !at_work_or_signed {
                    return Err(ChangeRefused::NotAtWork(status));
                }
                if !self.parts.iter().any(|kept| kept.id == part.id) {
                    self.amend(&Amendment::Part(part.clone()));
                }
            }
            VisitChange::Fee(fee) => {
                if !status.accepts_work_records() {
                    return Err(ChangeRefused::NotAtWork(status));
                }
                if !self.fees.iter().any(|kept| kept.id == fee.id) {
                    self.fees.push(fee.clone());
                }
            }
            VisitChange::RemoveCharge(id) => {
                if !status.accepts_work_records() && status != VisitStatus::WorkFinished {
                    return Err(ChangeRefused::NotAtWork(status));
                }
                let before = self.parts.len() + self.fees.len();
                self.parts.retain(|part| &part.id != id);
                self.fees.retain(|fee| &fee.id != id);
                if self.parts.len() + self.fees.len() == before {
                    return Err(ChangeRefused::NoSuchCharge(id.clone()));
                }
            }
            VisitChange::SignOff(sign_off) => {
                self.visit.status = status.apply(VisitEvent::SignOff)?;
                self.visit.times.signed = Some(at);
                self.sign_off = Some(sign_off.clone());
                self.signature_completes_its_item(at);
            }
            VisitChange::CloseUnsigned(closing) => {
                self.visit.status = status.apply(VisitEvent::CloseUnsigned)?;
                self.visit.times.closed_unsigned = Some(at);
                self.unsigned = Some(closing.clone());
            }
        }
        Ok(())
    }

    /// The customer's signature, taken at `at`, completes the item that
    /// asks for it, when the visit's template has one.
    pub fn signature_completes_its_item(&mut self, at: Timestamp) {
        use super::checklist::SIGNED_BY_CUSTOMER;
        if self.checklist.item(SIGNED_BY_CUSTOMER).is_ok() {
            self.amend(&Amendment::ChecklistAnswer {
                item_key: SIGNED_BY_CUSTOMER.to_string(),
                answer: ItemAnswer::Done {
                    at,
                    note: None,
                    photo: None,
                },
            });
        }
    }

    pub fn answer(&self, item_key: &str) -> Option<&ItemAnswer> {
        self.answers
            .iter()
            .find(|recorded| recorded.item_key == item_key)
            .map(|recorded| &recorded.answer)
    }

    pub fn checklist_complete(&self) -> Result<(), IncompleteChecklist> {
        self.checklist.check_complete(|key| self.answer(key))
    }

    pub fn total(&self) -> Money {
        visit_total(&self.parts, &self.fees)
    }

    pub fn ready_to_finish(&self) -> Result<(), NotReadyToFinish> {
        ready_to_finish(
            &self.checklist,
            |key| self.answer(key),
            self.visit.outcome.as_ref(),
        )
    }
}

/// Why the work cannot be marked finished yet: the required checklist items
/// still open (template order) and whether the outcome is missing.
#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
#[error("the work cannot be finished yet: {}", self.describe())]
pub struct NotReadyToFinish {
    pub missing_items: Vec<String>,
    pub outcome_missing: bool,
}

impl NotReadyToFinish {
    fn describe(&self) -> String {
        let mut parts = Vec::new();
        if !self.missing_items.is_empty() {
            parts.push(format!(
                "checklist items open: {}",
                self.missing_items.join(", ")
            ));
        }
        if self.outcome_missing {
            parts.push("no outcome recorded (fixed, or not fixed with a reason)".to_string());
        }
        parts.join("; ")
    }
}

/// The work is finished only with every required checklist item answered
/// (done, or not applicable with a reason) and an outcome on record.
pub fn ready_to_finish<'a>(
    template: &ChecklistTemplate,
    answer_for: impl Fn(&str) -> Option<&'a ItemAnswer>,
    outcome: Option<&VisitOutcome>,
) -> Result<(), NotReadyToFinish> {
    let missing_items = match template.check_complete(answer_for) {
        Ok(()) => Vec::new(),
        // The customer's signature completes its item after the work.
        Err(IncompleteChecklist { missing }) => missing
            .into_iter()
            .filter(|key| key != super::checklist::SIGNED_BY_CUSTOMER)
            .collect(),
    };
    let outcome_missing = outcome.is_none();
    if missing_items.is_empty() && !outcome_missing {
        Ok(())
    } else {
        Err(NotReadyToFinish {
            missing_items,
            outcome_missing,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::checklist::default_template;
    use crate::domain::time::Timestamp;
    use proptest::prelude::*;
    use std::collections::HashMap;

    fn done() -> ItemAnswer {
        ItemAnswer::Done {
            at: Timestamp::from_unix_millis(0),
            note: None,
            photo: None,
        }
    }

    #[test]
    fn finishing_needs_the_checklist_and_an_outcome() {
        let template = default_template();
        let answers: HashMap<String, ItemAnswer> = template
            .items
            .iter()
            .filter(|item| item.key != "three_cloths" && item.key != "clean_up")
            .map(|item| (item.key.clone(), done()))
            .collect();
        let refused = ready_to_finish(&template, |k| answers.get(k), None).unwrap_err();
        assert_eq!(refused.missing_items, ["three_cloths", "clean_up"]);
        assert!(refused.outcome_missing);
        assert_eq!(
            refused.to_string(),
            "the work cannot be finished yet: checklist items open: three_cloths, clean_up; \
             no outcome recorded (fixed, or not fixed with a reason)"
        );
        let all: HashMap<String, ItemAnswer> = template
            .items
            .iter()
            .map(|item| (item.key.clone(), done()))
            .collect();
        let no_outcome = ready_to_finish(&template, |k| all.get(k), None).unwrap_err();
        assert!(no_outcome.missing_items.is_empty() && no_outcome.outcome_missing);
        assert_eq!(
            ready_to_finish(&template, |k| all.get(k), Some(&VisitOutcome::Fixed)),
            Ok(())
        );
    }

    #[test]
    fn the_customers_signature_completes_its_item_and_never_blocks_finishing() {
        use crate::domain::checklist::SIGNED_BY_CUSTOMER;
        let template = default_template();
        let technicians: HashMap<String, ItemAnswer> = template
            .items
            .iter()
            .filter(|item| item.key != SIGNED_BY_CUSTOMER)
            .map(|item| (item.key.clone(), done()))
            .collect();
        assert_eq!(
            ready_to_finish(
                &template,
                |k| technicians.get(k),
                Some(&VisitOutcome::Fixed)
            ),
            Ok(())
        );
    }

    proptest! {
        /// Ready exactly when every required item is answered and there is
        /// an outcome; optional items never block.
        #[test]
        fn ready_exactly_when_nothing_required_is_open(
            answered in proptest::collection::vec(any::<bool>(), 11),
            with_outcome in any::<bool>(),
        ) {
            let template = default_template();
            let answers: HashMap<String, ItemAnswer> = template
                .items
                .iter()
                .zip(&answered)
                .filter(|(_, &yes)| yes)
                .map(|(item, _)| (item.key.clone(), done()))
                .collect();
            let outcome = with_outcome.then_some(VisitOutcome::Fixed);
            let open_required = template
                .items
                .iter()
                .zip(&answered)
                .filter(|(item, &yes)| {
                    item.required && !yes && item.key != crate::domain::checklist::SIGNED_BY_CUSTOMER
                })
                .count();
            let verdict = ready_to_finish(&template, |k| answers.get(k), outcome.as_ref());
            prop_assert_eq!(verdict.is_ok(), open_required == 0 && with_outcome);
            if let Err(refused) = verdict {
                prop_assert_eq!(refused.missing_items.len(), open_required);
                prop_assert_eq!(refused.outcome_missing, !with_outcome);
            }
        }
    }
}
