use app::store::Store;
use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

use super::error::HttpError;

/// 200 when the database answers a query, 503 when it does not.
pub async fn healthz(State(store): State<Store>) -> Result<Json<Value>, HttpError> {
    store.ping().await.map_err(HttpError::DatabaseUnavailable)?;
    Ok(Json(json!({ "status": "ok", "database": "ok" })))
}
