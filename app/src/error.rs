//! Where the server's own errors become the one error a caller sees: each
//! store refusal mapped to an `AppError` (and so to its HTTP status) in
//! this one file; the internal cause is logged here, never sent.

use crate::api::error::AppError;
use crate::store::admin::AdminError;
use crate::store::assignments::AssignError;
use crate::store::complaint_owners::OwnerChangeError;
use crate::store::complaint_steps::ComplaintStepError;
use crate::store::follow_up_calls::FollowUpCallError;
use crate::store::sync::PhotoUploadError;
use crate::store::visit_records::WorkRecordError;
use crate::store::visits::VisitEventError;
use crate::store::StoreError;

impl From<AssignError> for AppError {
    fn from(error: AssignError) -> Self {
        match error {
            AssignError::OrderNotFound(_) => AppError::NotFound,
            AssignError::NotATechnician(_) => AppError::InvalidInput {
                field: "technician_id".into(),
                message: error.to_string(),
                problem: None,
            },
            AssignError::Refused(reason) => AppError::AssignmentRefused { reason },
            AssignError::NeedsConfirmation(warnings) => {
                AppError::AssignmentNeedsConfirmation { warnings }
            }
            AssignError::ChangedMeanwhile => AppError::Conflict {
                message: error.to_string(),
            },
            AssignError::Store(store_error) => AppError::from(store_error),
        }
    }
}

impl From<WorkRecordError> for AppError {
    fn from(error: WorkRecordError) -> Self {
        match error {
            WorkRecordError::NotFound(_) => AppError::NotFound,
            WorkRecordError::NotYours(_) | WorkRecordError::OtherVisitsPhoto(_) => {
                AppError::Forbidden
            }
            WorkRecordError::NoSuchPhoto(_) => AppError::InvalidInput {
                field: "photo_id".into(),
                message: error.to_string(),
                problem: None,
            },
            WorkRecordError::NoSuchCharge(_) => AppError::InvalidInput {
                field: "charge_id".into(),
                message: error.to_string(),
                problem: None,
            },
            WorkRecordError::NotAtWork(_)
            | WorkRecordError::NotAtSignOff(_)
            | WorkRecordError::AlreadySigned(_) => AppError::Conflict {
                message: error.to_string(),
            },
            WorkRecordError::UnknownItem(_) => AppError::InvalidInput {
                field: "item_key".into(),
                message: error.to_string(),
                problem: None,
            },
            WorkRecordError::NotOnSchedule(_) => AppError::InvalidInput {
                field: "fee_code".into(),
                message: error.to_string(),
                problem: None,
            },
            WorkRecordError::Store(store_error) => AppError::from(store_error),
        }
    }
}

impl From<FollowUpCallError> for AppError {
    fn from(error: FollowUpCallError) -> Self {
        match error {
            FollowUpCallError::NotFound => AppError::NotFound,
            FollowUpCallError::AlreadyAnswered => AppError::Conflict {
                message: error.to_string(),
            },
            FollowUpCallError::Store(store_error) => AppError::from(store_error),
        }
    }
}

impl From<VisitEventError> for AppError {
    fn from(error: VisitEventError) -> Self {
        match error {
            VisitEventError::NotFound(_) => AppError::NotFound,
            VisitEventError::NotYours(_) => AppError::Forbidden,
            VisitEventError::Illegal(illegal) => AppError::Conflict {
                message: illegal.to_string(),
            },
            VisitEventError::NotReady(not_ready) => AppError::NotReadyToFinish {
                missing_items: not_ready.missing_items,
                outcome_missing: not_ready.outcome_missing,
            },
            VisitEventError::NotABareStep(_) => AppError::InvalidInput {
                field: "event".into(),
                message: error.to_string(),
                problem: None,
            },
            VisitEventError::ChangedMeanwhile(_) => AppError::Conflict {
                message: error.to_string(),
            },
            VisitEventError::Store(store_error) => AppError::from(store_error),
        }
    }
}

impl From<PhotoUploadError> for AppError {
    fn from(error: PhotoUploadError) -> Self {
        match error {
            PhotoUploadError::TooLarge => AppError::InvalidInput {
                field: "photo".into(),
                message: error.to_string(),
                problem: None,
            },
            PhotoUploadError::NotYours(_) => AppError::Forbidden,
            PhotoUploadError::Store(store_error) => AppError::from(store_error),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        // An id the client made that is already taken (the row is there, or
        // the operation id was another action's) is a conflict the client
        // caused: 409, logged as a client's mistake. The detail goes to the
        // log only; the user learns what to do.
        if matches!(error, StoreError::IdInUse(_)) || crate::store::is_unique_violation(&error) {
            tracing::warn!(%error, "a client's id is already in use");
            return AppError::Conflict {
                message: "an id in this request is already used for another record; \
                          make the change again to get a new one"
                    .into(),
            };
        }
        if error.is_transient() {
            tracing::warn!(%error, "store unavailable");
            AppError::Unavailable
        } else {
            tracing::error!(%error, "store error");
            AppError::Internal
        }
    }
}

impl From<ComplaintStepError> for AppError {
    fn from(error: ComplaintStepError) -> Self {
        match error {
            ComplaintStepError::NotFound(_) => AppError::NotFound,
            ComplaintStepError::Refused(refused) => AppError::Conflict {
                message: refused.to_string(),
            },
            ComplaintStepError::Store(store_error) => AppError::from(store_error),
        }
    }
}

impl From<OwnerChangeError> for AppError {
    fn from(error: OwnerChangeError) -> Self {
        use crate::api::error::InputProblem;
        use crate::domain::complaint::OwnerChangeRefused;
        match error {
            OwnerChangeError::NotFound(_) => AppError::NotFound,
            OwnerChangeError::Refused(OwnerChangeRefused::ReasonNeeded) => AppError::InvalidInput {
                field: "reason".into(),
                message: error.to_string(),
                problem: Some(InputProblem::Empty),
            },
            OwnerChangeError::Refused(OwnerChangeRefused::NotAnOwner) => AppError::InvalidInput {
                field: "to".into(),
                message: error.to_string(),
                problem: None,
            },
            OwnerChangeError::Refused(
                OwnerChangeRefused::AlreadyTheirs | OwnerChangeRefused::ChangedMeanwhile,
            ) => AppError::Conflict {
                message: error.to_string(),
            },
            OwnerChangeError::Store(store_error) => AppError::from(store_error),
        }
    }
}

impl From<AdminError> for AppError {
    fn from(error: AdminError) -> Self {
        match error {
            AdminError::NotFound => AppError::NotFound,
            AdminError::Person(refused) => AppError::from(refused.into_validation_error()),
            AdminError::Place(refused) => AppError::from(refused.into_validation_error()),
            AdminError::Store(store_error) => AppError::from(store_error),
        }
    }
}
