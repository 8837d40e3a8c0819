//! The one error type server functions return. It crosses the network, so it
//! carries only what the user may see; internal detail is logged on the server
//! where the error is made and never serialised.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::domain::validation::ValidationError;
use crate::i18n::Messages;

#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum AppError {
    /// Input that fails validation; `field` names the input for the form.
    #[error("invalid input in {field}: {message}")]
    InvalidInput { field: String, message: String },
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
            | AppError::AssignmentRefused { .. } => 409,
            AppError::Unavailable | AppError::Busy { .. } => 503,
            AppError::TooLarge { .. } => 413,
            AppError::Internal => 500,
            AppError::Transport(_) => 400,
        }
    }

    /// The sentence a person reads, in their language.
    pub fn user_message(&self, messages: &'static Messages) -> String {
        match self {
            AppError::InvalidInput { message, .. } => {
                format!("{} {message}", messages.error_invalid_input)
            }
            AppError::Unauthorized => messages.error_unauthorized.to_string(),
            AppError::WrongCredentials => messages.error_wrong_credentials.to_string(),
            AppError::Forbidden => messages.error_forbidden.to_string(),
            AppError::TooManyAttempts {
                retry_after_seconds,
            } => (messages.error_too_many_attempts)(retry_after_seconds.div_ceil(60)),
            AppError::NotFound => messages.error_not_found.to_string(),
            AppError::Conflict { message } => format!("{} {message}", messages.error_conflict),
            AppError::NotReadyToFinish {
                missing_items,
                outcome_missing,
            } => {
                let mut text = messages.error_not_ready_to_finish.to_string();
                if !missing_items.is_empty() {
                    text.push_str(&(messages.checklist_items_open)(missing_items.len()));
                }
                if *outcome_missing {
                    text.push_str(messages.outcome_missing);
                }
                text
            }
            AppError::AssignmentRefused { reason } => (messages.assignment_refused)(reason),
            AppError::Unavailable | AppError::Busy { .. } | AppError::Transport(_) => {
                messages.error_unavailable.to_string()
            }
            AppError::TooLarge { max_bytes } => {
                (messages.error_too_large)(max_bytes.div_ceil(1024 * 1024))
            }
            AppError::Internal => messages.error_internal.to_string(),
        }
    }

    /// Sets the response status on the server so HTTP clients and logs see
    /// the real outcome rather than a blanket 500. Only for a request to the
    /// server function itself: when a page calls it while rendering, the page
    /// decides its own status (a redirect, a 404).
    pub fn into_response_error(self) -> Self {
        #[cfg(feature = "ssr")]
        let is_server_fn_request = leptos::prelude::use_context::<http::request::Parts>()
            .is_some_and(|parts| parts.uri.path().starts_with(crate::serverfns::PREFIX));
        #[cfg(feature = "ssr")]
        if !is_server_fn_request {
            return self;
        }
        #[cfg(feature = "ssr")]
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            if let Ok(status) = http::StatusCode::from_u16(self.status_code()) {
                response.set_status(status);
            }
            if let AppError::TooManyAttempts {
                retry_after_seconds,
            }
            | AppError::Busy {
                retry_after_seconds,
            } = &self
            {
                response.insert_header(
                    http::header::RETRY_AFTER,
                    http::HeaderValue::from(*retry_after_seconds),
                );
            }
        }
        self
    }
}

impl AppError {
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
            },
            other => AppError::Conflict {
                message: other.to_string(),
            },
        }
    }
}

impl From<ValidationError> for AppError {
    fn from(error: ValidationError) -> Self {
        AppError::InvalidInput {
            field: error.field.to_string(),
            message: error.problem.to_string(),
        }
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
    use crate::i18n::{EN, ZH_CN};

    #[test]
    fn each_error_has_its_own_status() {
        let invalid = AppError::InvalidInput {
            field: "phone".into(),
            message: "x".into(),
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
            AppError::InvalidInput { field, message } => {
                assert_eq!(field, "phone");
                assert!(message.contains("13812345678"), "{message}");
            }
            other => panic!("expected InvalidInput, got {other:?}"),
        }
    }

    #[test]
    fn an_unfinished_visit_says_what_is_open() {
        let error = AppError::NotReadyToFinish {
            missing_items: vec!["three_cloths".into(), "clean_up".into()],
            outcome_missing: true,
        };
        assert_eq!(error.status_code(), 409);
        assert_eq!(
            error.user_message(&ZH_CN),
            "还不能完成本次服务：还有 2 项必做项目未完成。尚未记录维修结果。"
        );
        assert_eq!(
            error.user_message(&EN),
            "The work cannot be finished yet: 2 required checklist items are open. No outcome is recorded."
        );
    }

    #[test]
    fn the_wait_is_told_in_whole_minutes() {
        let error = AppError::TooManyAttempts {
            retry_after_seconds: 61,
        };
        assert_eq!(
            error.user_message(&EN),
            "Too many attempts. Try again in 2 min."
        );
        assert_eq!(
            error.user_message(&ZH_CN),
            "尝试次数过多，请 2 分钟后再试。"
        );
    }

    #[test]
    fn user_messages_are_localised() {
        assert_eq!(AppError::Internal.user_message(&EN), EN.error_internal);
        assert_eq!(
            AppError::Internal.user_message(&ZH_CN),
            ZH_CN.error_internal
        );
        assert_ne!(
            AppError::Unavailable.user_message(&EN),
            AppError::Unavailable.user_message(&ZH_CN)
        );
    }
}
