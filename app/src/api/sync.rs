//! The sync protocol: an operation as the outbox keeps it and the sync
//! sends it (one change to one visit, made on the phone), the server's
//! answer, and the offline kit and sync log the phone reads. Compiled for
//! both sides: the server reads exactly what the phone wrote.

use serde::{Deserialize, Serialize};

use super::error::AppError;
use super::today::TodayVisit;
use super::visits::{
    parse_fee, parse_not_applicable_reason, parse_outcome, parse_part, parse_unsigned_close,
    SignOffInput, VisitHistory,
};
use crate::domain::charges::FeeSchedule;
use crate::domain::checklist::ItemAnswer;
use crate::domain::conflict::HeldReason;
use crate::domain::ids::RecordId;
use crate::domain::record::{VisitChange, VisitRecord};
use crate::domain::time::Timestamp;
use crate::domain::visit::VisitEvent;

/// What the technician or the customer did. Ids of records made on the
/// phone (parts, fees, photos …) are made when the change is made, so a
/// resend makes nothing twice.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    Step {
        event: VisitEvent,
        /// Latitude, longitude and accuracy in metres, at check-in.
        position: Option<(f64, f64, f64)>,
    },
    Done {
        item_key: String,
    },
    NotApplicable {
        item_key: String,
        reason: String,
    },
    /// The item done with a photo; the photo's bytes go up beforehand, in
    /// pieces, under `photo_id`.
    Photo {
        item_key: String,
        photo_id: String,
    },
    Outcome {
        fixed: bool,
        reason: String,
        detail: String,
    },
    Part {
        part_id: String,
        code: String,
        name: String,
        quantity: String,
        unit_price_fen: String,
        /// Why a part in warranty is charged; empty for none.
        #[serde(default)]
        charge_reason: String,
    },
    Fee {
        charge_id: String,
        code: String,
        quantity: String,
    },
    /// A part or fee taken back before the customer signs, by its id.
    RemoveCharge {
        charge_id: String,
    },
    Insight {
        insight_id: String,
        category: String,
        note: String,
    },
    Complaint {
        complaint_id: String,
        description: String,
    },
    SignOff {
        sign_off: SignOffInput,
    },
    /// The visit closed without the customer's signature: `why` is
    /// "customer_absent" or "customer_refused", `reason` the account.
    CloseUnsigned {
        why: String,
        reason: String,
    },
}

/// The outcome's name as the outcome form sends it.
pub fn outcome_name(fixed: bool) -> &'static str {
    if fixed {
        "fixed"
    } else {
        "not_fixed"
    }
}

impl Change {
    /// The change's name, as the sync log shows it.
    pub fn kind(&self) -> &'static str {
        match self {
            Change::Step { event, .. } => event.as_str(),
            Change::Done { .. } => "checklist_done",
            Change::NotApplicable { .. } => "checklist_not_applicable",
            Change::Photo { .. } => "checklist_photo",
            Change::Outcome { .. } => "outcome",
            Change::Part { .. } => "part",
            Change::Fee { .. } => "fee",
            Change::RemoveCharge { .. } => "remove_charge",
            Change::Insight { .. } => "field_insight",
            Change::Complaint { .. } => "complaint",
            Change::SignOff { .. } => "sign_off",
            Change::CloseUnsigned { .. } => "close_unsigned",
        }
    }
}

/// A change waiting in the outbox: which visit it is for, and the change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VisitOperation {
    pub visit_id: String,
    pub change: Change,
}

/// An operation as it travels: the outbox entry, with the phone's clock at
/// the moment of sending, from which the server learns how far the
/// phone's clock is from its own.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SentOperation {
    pub operation_id: String,
    pub made_at_ms: i64,
    pub sent_at_ms: i64,
    pub visit_id: String,
    pub change: Change,
}

/// The server's answer to an operation (and to every repeat of it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SyncAnswer {
    Applied,
    /// Kept for the dispatcher: the office changed the visit meanwhile.
    Held(HeldReason),
}

/// At most this many operations go in one request, and the server applies
/// at most this many of a request: a visit done offline (17 operations)
/// goes in one, and one request never holds the server for long.
pub const BATCH_MAX_OPERATIONS: usize = 32;

/// At most this many bytes of operations (as JSON) go in one request: a
/// visit with its drawn signature fits, and a slow uplink (1.6 Mbps) sends
/// it in about a second, so a broken-off send loses little. An operation
/// larger than this still goes, alone.
pub const BATCH_MAX_BYTES: usize = 256 * 1024;

/// The phone's waiting operations, oldest first, in one request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SentBatch {
    pub operations: Vec<SentOperation>,
}

/// What came of one operation of a batch: the same as its answer alone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum OperationAnswer {
    Applied,
    /// Kept for the dispatcher: the office changed the visit meanwhile.
    Held(HeldReason),
    /// Refused for what it is; it will never be applied.
    Refused(AppError),
}

/// The server's answers to a batch, one per operation, in the order sent,
/// for a prefix of it: the server stops early (its cap on a request, or an
/// operation it could not apply now for reasons that say nothing about the
/// operation) and the phone sends the rest again.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BatchAnswer {
    pub answers: Vec<AnsweredOperation>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnsweredOperation {
    pub operation_id: String,
    pub answer: OperationAnswer,
}

impl Change {
    /// The change as the visit's record takes it, checked the way the
    /// server checks it, so a bad change is refused on the phone, before it
    /// is queued. None for what the record does not hold (field insights,
    /// complaints).
    pub fn to_visit_change(
        &self,
        schedule: &FeeSchedule,
        at: Timestamp,
    ) -> Result<Option<VisitChange>, AppError> {
        let done = |photo: Option<RecordId>| ItemAnswer::Done {
            at,
            note: None,
            photo,
        };
        Ok(Some(match self {
            Change::Step { event, .. } => VisitChange::Step(*event),
            Change::Done { item_key } => VisitChange::Answer {
                item_key: item_key.clone(),
                answer: done(None),
            },
            Change::NotApplicable { item_key, reason } => VisitChange::Answer {
                item_key: item_key.clone(),
                answer: ItemAnswer::NotApplicable {
                    at,
                    reason: parse_not_applicable_reason(reason)?,
                },
            },
            Change::Photo { item_key, photo_id } => VisitChange::Answer {
                item_key: item_key.clone(),
                answer: done(Some(RecordId::parse("photo_id", photo_id)?)),
            },
            Change::Outcome {
                fixed,
                reason,
                detail,
            } => VisitChange::Outcome(parse_outcome(outcome_name(*fixed), reason, detail)?),
            Change::Part {
                part_id,
                code,
                name,
                quantity,
                unit_price_fen,
                charge_reason,
            } => VisitChange::Part(parse_part(
                part_id,
                code,
                name,
                quantity,
                unit_price_fen,
                charge_reason,
            )?),
            Change::Fee {
                charge_id,
                code,
                quantity,
            } => {
                let (charge_id, code, quantity) = parse_fee(charge_id, code, quantity)?;
                VisitChange::Fee(
                    schedule
                        .charge(charge_id, code, quantity)
                        .map_err(|error| AppError::InvalidInput {
                            field: "fee_code".into(),
                            message: error.to_string(),
                            problem: None,
                        })?,
                )
            }
            Change::RemoveCharge { charge_id } => {
                VisitChange::RemoveCharge(RecordId::parse("charge_id", charge_id)?)
            }
            Change::SignOff { sign_off } => VisitChange::SignOff(sign_off.check()?),
            Change::CloseUnsigned { why, reason } => {
                VisitChange::CloseUnsigned(parse_unsigned_close(why, reason)?)
            }
            Change::Insight { .. } | Change::Complaint { .. } => return Ok(None),
        }))
    }
}

/// One visit as the phone keeps it for working offline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KitVisit {
    pub record: VisitRecord,
    pub history: VisitHistory,
}

/// The technician's visits of today and tomorrow, with everything needed
/// to run them offline: customers, appliances, checklist templates (in
/// each record) and the fee schedule (in each history).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OfflineKit {
    pub fetched_at_ms: i64,
    /// Names this kit's contents: the same contents, the same version.
    pub version: String,
    pub days: Vec<TodayVisit>,
    pub visits: Vec<KeptVisit>,
}

/// The kit, or word that the phone's copy (the version it named) is still
/// the kit: a phone on a dear link downloads the visits only when they
/// changed.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum KitAnswer {
    Unchanged,
    Changed(OfflineKit),
}

/// One visit of the kit as the JSON of its `KitVisit`, which the phone
/// keeps without reading it: the visit's page reads it when it opens. So
/// decoding a whole record is code in the visit page's part of the app,
/// not in the first download ("today" only stores the kit).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct KeptVisit {
    pub visit_id: RecordId,
    pub kit: Box<serde_json::value::RawValue>,
}

impl KeptVisit {
    pub fn of(kit: &KitVisit) -> Result<KeptVisit, serde_json::Error> {
        Ok(KeptVisit {
            visit_id: kit.record.visit.id.clone(),
            kit: serde_json::value::to_raw_value(kit)?,
        })
    }
}

/// One operation a phone sent for a visit, as the sync log shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncedOperation {
    pub operation_id: String,
    pub kind: String,
    pub made_by: String,
    /// The phone's clock when the change was made.
    pub device_at: Option<Timestamp>,
    /// When the server received it.
    pub received_at: Timestamp,
    /// Server minus phone clock when it was sent.
    pub clock_skew_ms: Option<i64>,
    pub clock_flagged: bool,
    /// Held for the dispatcher instead of applied.
    pub held: Option<HeldReason>,
    /// How the dispatcher settled it, once they have.
    pub settled: Option<HeldSettled>,
}

/// A dispatcher's settlement of held work, as the sync log shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldSettled {
    pub outcome: crate::domain::conflict::SettlementOutcome,
    pub by: String,
    pub at: Timestamp,
    /// Why it was closed.
    pub note: Option<String>,
}
