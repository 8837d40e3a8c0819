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
    #[error("not found")]
    NotFound,
    /// The database or another dependency cannot answer now; retrying may help.
    #[error("service unavailable")]
    Unavailable,
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
            AppError::NotFound => 404,
            AppError::Unavailable => 503,
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
            AppError::NotFound => messages.error_not_found.to_string(),
            AppError::Unavailable | AppError::Transport(_) => {
                messages.error_unavailable.to_string()
            }
            AppError::Internal => messages.error_internal.to_string(),
        }
    }

    /// Sets the response status on the server so HTTP clients and logs see
    /// the real outcome rather than a blanket 500.
    pub fn into_response_error(self) -> Self {
        #[cfg(feature = "ssr")]
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            if let Ok(status) = http::StatusCode::from_u16(self.status_code()) {
                response.set_status(status);
            }
        }
        self
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
