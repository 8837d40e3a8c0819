//! What happens at the customer's home, on record: checklist results, the
//! outcome, parts, fees and the customer's sign-off (`writes`); the seal and
//! the revisions of a signed record (`seal`); and the whole record read back
//! as one value (`reads`).

mod reads;
mod seal;
mod writes;

pub use seal::insert_sign_off;
pub use writes::{insert_fee, insert_part, upsert_checklist_result};

use reads::answers_of;
use seal::content_of;

use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Executor, Row};

use super::dashboard_cache::{forget_counted_days, Touched};
use super::visits::{
    applied_answer, outcome_columns, record_applied, visit_from_row, VisitEventError, VISIT_COLUMNS,
};
use super::write::{Reach, VisitWork};
use super::{corrupt, flag, Store, StoreError};
use crate::domain::charges::{ChargeError, FeeCharge, Money, PartUsed, Quantity};
use crate::domain::checklist::{ItemAnswer, UnknownItem};
use crate::domain::ids::RecordId;
use crate::domain::record::{
    ready_to_finish, Amendment, RecordChange, RecordRevision, RecordedAnswer, SealCheck,
    VisitRecord,
};
use crate::domain::signoff::{
    ConductConfirmations, Ratings, Score, SignOff, Signature, UnsignedClose, VisitOutcome,
};
use crate::domain::time::Timestamp;
use crate::domain::validation::{FeeCode, Note, PartCode, PartName, PersonName, ValidationError};
use crate::domain::visit::{Visit, VisitEvent, VisitStatus};

/// Why a record of the work at the customer's home was not written.
#[derive(Debug, thiserror::Error)]
pub enum WorkRecordError {
    #[error("visit {0} not found")]
    NotFound(RecordId),
    #[error("visit {0} is not assigned to this technician")]
    NotYours(RecordId),
    #[error("the visit is {0}: work is recorded between check-in and finishing the work")]
    NotAtWork(VisitStatus),
    #[error("the visit is {0}: the customer complains at sign-off, once the work is finished")]
    NotAtSignOff(VisitStatus),
    #[error("the visit is {0}: a charge is removed only before the customer signs")]
    AlreadySigned(VisitStatus),
    /// A charge removal naming no part or fee of this visit.
    #[error("no part or fee {0} on this visit")]
    NoSuchCharge(RecordId),

    /// A checklist answer naming a photo this visit does not have.
    #[error("photo {0} is not one of this visit's photos")]
    NoSuchPhoto(RecordId),
    /// A checklist answer naming another visit's photo.
    #[error("photo {0} belongs to another visit")]
    OtherVisitsPhoto(RecordId),
    #[error(transparent)]
    UnknownItem(#[from] UnknownItem),
    #[error(transparent)]
    NotOnSchedule(#[from] ChargeError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for WorkRecordError {
    fn from(error: sqlx::Error) -> Self {
        WorkRecordError::Store(StoreError::Database(error))
    }
}

/// Work records answer "done" to a repeated operation.
const APPLIED: &str = "applied";

/// The actions an operation id is kept with, named as the sync names the
/// kinds of change (`sync::operation::Change::kind`); a visit step is
/// named by its event.
pub(crate) const CHECKLIST_DONE: &str = "checklist_done";
pub(crate) const CHECKLIST_NOT_APPLICABLE: &str = "checklist_not_applicable";
pub(crate) const CHECKLIST_PHOTO: &str = "checklist_photo";
pub(crate) const OUTCOME: &str = "outcome";
pub(crate) const PART: &str = "part";
pub(crate) const FEE: &str = "fee";
pub(crate) const REMOVE_CHARGE: &str = "remove_charge";
pub(crate) const FIELD_INSIGHT: &str = "field_insight";
pub(crate) const COMPLAINT: &str = "complaint";
pub(crate) const SIGN_OFF: &str = "sign_off";
pub(crate) const CLOSE_UNSIGNED: &str = "close_unsigned";

fn checklist_action(answer: &ItemAnswer) -> &'static str {
    match answer {
        ItemAnswer::Done { .. } => CHECKLIST_DONE,
        ItemAnswer::NotApplicable { .. } => CHECKLIST_NOT_APPLICABLE,
    }
}

/// Whether this technician's operation, of this action (its kind as the
/// sync names it), was applied already; an id used by someone else or for
/// another action is refused (`applied_answer`).
pub(crate) async fn already_applied(
    tx: &mut AnyConnection,
    (operation_id, technician_id, action): (&RecordId, &RecordId, &str),
) -> Result<bool, StoreError> {
    Ok(
        applied_answer(tx, operation_id.as_str(), technician_id.as_str(), action)
            .await?
            .is_some(),
    )
}

pub(crate) async fn mark_applied(
    tx: &mut AnyConnection,
    (operation_id, technician_id, action): (&RecordId, &RecordId, &str),
    at: Timestamp,
) -> Result<(), StoreError> {
    record_applied(
        tx,
        (operation_id.as_str(), technician_id.as_str(), action),
        (at, None),
        APPLIED,
    )
    .await
}

/// The visit, if it is assigned to this technician, whatever its status;
/// read inside the writing transaction.
pub(crate) async fn technicians_visit(
    tx: &mut AnyConnection,
    visit_id: &RecordId,
    technician_id: &RecordId,
) -> Result<Visit, WorkRecordError> {
    let row = sqlx::query(&format!(
        "SELECT {VISIT_COLUMNS} FROM visits v WHERE v.id = $1"
    ))
    .bind(visit_id.as_str())
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| WorkRecordError::NotFound(visit_id.clone()))?;
    let visit = visit_from_row(&row)?;
    if visit.technician_id.as_ref() != Some(technician_id) {
        return Err(WorkRecordError::NotYours(visit_id.clone()));
    }
    Ok(visit)
}
