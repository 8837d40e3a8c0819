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
        tracing::error!(error = %self, "request failed");
        let body = Json(json!({ "status": "error", "error": self.public_message() }));
        (self.status(), body).into_response()
    }
}
