//! The one error type server functions return. It crosses the network, so it
//! carries only what the user may see; internal detail is logged on the server
//! where the error is made and never serialised. Its HTTP status is decided
//! here (`status_code`), its sentence in `i18n` (`Messages::error_text`).

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::domain::validation::{Problem, ValidationError};

#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum AppError {
    /// Input that fails validation; `field` names the input for the form.
    /// `message` is for API clients and logs (English); `problem`, when
    /// known, is what the screen says, in the reader's language.
    #[error("invalid input in {field}: {message}")]
    InvalidInput {
        field: String,
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        problem: Option<InputProblem>,
    },
    /// No valid session: log in first.
    #[error("not logged in")]
    Unauthorized,
    /// Login refused; deliberately silent on which of the two was wrong.
    #[error("wrong login or password")]
    WrongCredentials,
    /// Logged in, but this role or record is not theirs.
    #[error("forbidden")]
    Forbidden,
    #[error("too many attempts; retry in {retry_after_seconds} s")]
    TooManyAttempts { retry_after_seconds: u32 },
    #[error("not found")]
    NotFound,
    /// The step does not fit the record's current state (a visit already
    /// checked in, a sealed record); `message` says which step and why.
    #[error("conflict: {message}")]
    Conflict { message: String },
    /// Finishing the work with required checklist items open (their keys, in
    /// template order) or without an outcome.
    #[error("not ready to finish")]
    NotReadyToFinish {
        missing_items: Vec<String>,
        outcome_missing: bool,
    },
    /// A dispatcher's assignment that breaks the rules (another region's
    /// technician, outside the agreed window, a visit under way).
    #[error("assignment refused: {reason}")]
    AssignmentRefused {
        reason: crate::domain::assignment::AssignmentRefused,
    },
    /// An assignment the rules allow once the dispatcher confirms these
    /// (a full day, a crowded window, hours off shift); nothing was written.
    #[error("assignment needs confirming")]
    AssignmentNeedsConfirmation {
        warnings: Vec<crate::domain::assignment::AssignmentWarning>,
    },
    /// Held work another settlement already settled (`domain::conflict`).
    #[error("held work already settled")]
    AlreadySettled,
    /// The database or another dependency cannot answer now; retrying may help.
    #[error("service unavailable")]
    Unavailable,
    /// The server is turning requests away to keep up; send again after
    /// the time it gives (HTTP 503 with Retry-After).
    #[error("server busy; retry in {retry_after_seconds} s")]
    Busy { retry_after_seconds: u32 },
    /// The request body is larger than the server takes.
    #[error("request larger than {max_bytes} bytes")]
    TooLarge { max_bytes: u64 },
    #[error("internal error")]
    Internal,
    /// The request never reached the function properly (network, encoding).
    #[error("request failed: {0}")]
    Transport(String),
}

/// What is wrong with an input, as the screen tells it (`i18n`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InputProblem {
    Empty,
    Unanswered,
    /// A part charged on an appliance in warranty, with no reason given.
    ReasonNeeded,
    TooLong {
        max: usize,
    },
    ControlCharacters,
    HiddenFormatting,
    BadFormat,
    OutOfRange {
        min: String,
        max: String,
    },
}

impl From<&Problem> for InputProblem {
    fn from(problem: &Problem) -> Self {
        match problem {
            Problem::Empty => InputProblem::Empty,
            Problem::Unanswered => InputProblem::Unanswered,
            Problem::TooLong { max } => InputProblem::TooLong { max: *max },
            Problem::ControlCharacters => InputProblem::ControlCharacters,
            Problem::HiddenFormatting => InputProblem::HiddenFormatting,
            Problem::BadFormat(_) => InputProblem::BadFormat,
            Problem::OutOfRange { min, max } => InputProblem::OutOfRange {
                min: min.clone(),
                max: max.clone(),
            },
        }
    }
}

impl AppError {
    /// The HTTP status each error answers with: the one place that decides it.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::InvalidInput { .. } => 422,
            AppError::Unauthorized | AppError::WrongCredentials => 401,
            AppError::Forbidden => 403,
            AppError::TooManyAttempts { .. } => 429,
            AppError::NotFound => 404,
            AppError::Conflict { .. }
            | AppError::NotReadyToFinish { .. }
            | AppError::AssignmentRefused { .. }
            | AppError::AssignmentNeedsConfirmation { .. }
            | AppError::AlreadySettled => 409,
            AppError::Unavailable | AppError::Busy { .. } => 503,
            AppError::TooLarge { .. } => 413,
            AppError::Internal => 500,
            AppError::Transport(_) => 400,
        }
    }
}

impl AppError {
    /// Whether this answer settles a phone's operation for good (it was
    /// refused for what it is). Not logged in keeps the operation (it goes
    /// after the next login); so do the errors that say nothing about the
    /// operation itself. One place, read by the phone's outbox and by the
    /// server when it stops a batch.
    pub fn settles_an_operation(&self) -> bool {
        !matches!(
            self,
            AppError::Transport(_)
                | AppError::Unavailable
                | AppError::Busy { .. }
                | AppError::Internal
                | AppError::Unauthorized
                | AppError::TooManyAttempts { .. }
        )
    }

    /// No answer that says anything about the request: no network, or the
    /// server could not answer now.
    pub fn is_unreachable(&self) -> bool {
        matches!(
            self,
            AppError::Transport(_) | AppError::Unavailable | AppError::Busy { .. }
        )
    }
}

impl From<crate::domain::record::ChangeRefused> for AppError {
    fn from(refused: crate::domain::record::ChangeRefused) -> Self {
        use crate::domain::record::ChangeRefused;
        match refused {
            ChangeRefused::NotReadyToFinish(not_ready) => AppError::NotReadyToFinish {
                missing_items: not_ready.missing_items,
                outcome_missing: not_ready.outcome_missing,
            },
            ChangeRefused::UnknownItem(unknown) => AppError::InvalidInput {
                field: "item_key".into(),
                message: unknown.to_string(),
                problem: None,
            },
            ChangeRefused::NoSuchCharge(id) => AppError::InvalidInput {
                field: "charge_id".into(),
                message: format!("no part or fee {id} on this visit"),
                problem: None,
            },
            other => AppError::Conflict {
                message: other.to_string(),
            },
        }
    }
}

/// A charge against the fee rules, named by the field to put right.
impl From<crate::domain::charges::ChargeError> for AppError {
    fn from(error: crate::domain::charges::ChargeError) -> Self {
        use crate::domain::charges::ChargeError;
        match error {
            ChargeError::NotOnSchedule(_) => AppError::InvalidInput {
                field: "fee_code".into(),
                message: error.to_string(),
                problem: None,
            },
            ChargeError::InWarrantyNeedsReason => AppError::InvalidInput {
                field: "charge_reason".into(),
                message: error.to_string(),
                problem: Some(InputProblem::ReasonNeeded),
            },
        }
    }
}

impl From<ValidationError> for AppError {
    fn from(error: ValidationError) -> Self {
        AppError::InvalidInput {
            field: error.field.to_string(),
            message: error.problem.to_string(),
            problem: Some(InputProblem::from(&error.problem)),
        }
    }
}

/// No random source for a new id: nothing the person can fix by retrying
/// the same input, and nothing was written.
impl From<crate::domain::ids::NoRandomness> for AppError {
    fn from(_: crate::domain::ids::NoRandomness) -> Self {
        AppError::Internal
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_error_has_its_own_status() {
        let invalid = AppError::InvalidInput {
            field: "phone".into(),
            message: "x".into(),
            problem: None,
        };
        assert_eq!(invalid.status_code(), 422);
        assert_eq!(AppError::NotFound.status_code(), 404);
        assert_eq!(AppError::Unauthorized.status_code(), 401);
        assert_eq!(AppError::WrongCredentials.status_code(), 401);
        assert_eq!(AppError::Forbidden.status_code(), 403);
        assert_eq!(
            AppError::Conflict {
                message: String::new()
            }
            .status_code(),
            409
        );
        assert_eq!(
            AppError::TooManyAttempts {
                retry_after_seconds: 1
            }
            .status_code(),
            429
        );
        assert_eq!(AppError::Unavailable.status_code(), 503);
        assert_eq!(AppError::Internal.status_code(), 500);
    }

    #[test]
    fn validation_errors_keep_the_field_name() {
        let error = crate::domain::validation::PhoneNumber::parse("123").unwrap_err();
        match AppError::from(error) {
            AppError::InvalidInput { field, message, .. } => {
                assert_eq!(field, "phone");
                assert!(message.contains("13812345678"), "{message}");
            }
            other => panic!("expected InvalidInput, got {other:?}"),
        }
    }
}
