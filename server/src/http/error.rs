//! The HTTP layer's error: each variant maps to one status and one public
//! message here; the internal cause is logged, never sent.

use app::api::error::AppError;
use app::store::StoreError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum HttpError {
    #[error("database unavailable: {0}")]
    DatabaseUnavailable(#[source] StoreError),
    #[error("cross-site request refused")]
    CrossSiteRequest,
}

impl HttpError {
    fn status(&self) -> StatusCode {
        match self {
            HttpError::DatabaseUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            HttpError::CrossSiteRequest => StatusCode::FORBIDDEN,
        }
    }

    fn public_message(&self) -> &'static str {
        match self {
            HttpError::DatabaseUnavailable(_) => "database unavailable",
            HttpError::CrossSiteRequest => "cross-site request refused",
        }
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        // ERROR is for what an operator must act on; a refused request is
        // the client's doing.
        if self.status().is_server_error() {
            tracing::error!(error = %self, "request failed");
        } else {
            tracing::info!(error = %self, "request refused");
        }
        let body = Json(json!({ "status": "error", "error": self.public_message() }));
        (self.status(), body).into_response()
    }
}

/// The largest error answer read back to correct its status.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// Every server function's error answers with its own status here, in one
/// place: the server-function framework answers any `Err` with 500, and
/// its body is the app's own error, so the status is read from the one
/// mapping, `AppError::status_code` (a refused login 401, bad input 422, a
/// mistake in the request itself 400), with `Retry-After` when the error
/// gives a wait. A 500 stays for what really failed inside.
pub async fn server_function_status(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let is_server_function = request.uri().path().starts_with(app::serverfns::PREFIX);
    let response = next.run(request).await;
    if !is_server_function || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BODY).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        if let Ok(status) = StatusCode::from_u16(error.status_code()) {
            parts.status = status;
        }
        if let AppError::TooManyAttempts {
            retry_after_seconds,
        }
        | AppError::Busy {
            retry_after_seconds,
        } = error
        {
            parts.headers.insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(retry_after_seconds),
            );
        }
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}
