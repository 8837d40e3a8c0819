//! The HTTP layer's error: each variant maps to one status and one public
//! message here; the internal cause is logged, never sent.

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

/// A server function whose arguments cannot be read (not the form or JSON
/// it takes, a field missing or invalid) is answered by the server-function
/// framework itself, always with 500. The body is the app's own error
/// (`AppError::Transport`), so its status is read from the one mapping,
/// `AppError::status_code`: the caller's mistake answers 400, and a 500
/// stays for what really failed inside.
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
    if let Ok(error) = serde_json::from_slice::<app::api::error::AppError>(&bytes) {
        if let Ok(status) = StatusCode::from_u16(error.status_code()) {
            parts.status = status;
        }
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}
