//! `GET /api/photos/{id}`: a checklist photo, for whoever may read its
//! visit. Outside the server functions because the answer is an image, not
//! data; the same session and access rules decide.

use app::api::error::AppError;
use app::auth::{session_token_in, user_of_session};
use app::domain::ids::RecordId;
use app::store::Store;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;

pub async fn photo(
    State(store): State<Store>,
    Path(photo_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    match find_photo(&store, &photo_id, &headers).await {
        Ok((content_type, bytes)) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
                // A photo never changes under its id; only its reader may
                // keep it.
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("private, max-age=31536000, immutable"),
                ),
                (
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(error) => {
            if error.status_code() >= 500 {
                tracing::error!(%error, "photo request failed");
            }
            let status = StatusCode::from_u16(error.status_code())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            status.into_response()
        }
    }
}

async fn find_photo(
    store: &Store,
    photo_id: &str,
    headers: &HeaderMap,
) -> Result<(&'static str, Vec<u8>), AppError> {
    let user = user_of_session(store, session_token_in(headers)).await?;
    let photo_id = RecordId::parse("photo_id", photo_id)?;
    let photo = store.photo(&photo_id).await?.ok_or(AppError::NotFound)?;
    let place = store
        .visit_place(&photo.visit_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !user.viewer().may_read_visit(place.as_place()) {
        return Err(AppError::Forbidden);
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(&photo.data_base64)
        .map_err(|e| {
            tracing::error!(photo = %photo_id, error = %e, "stored photo is not base64");
            AppError::Internal
        })?;
    Ok((photo.image_type.as_str(), bytes))
}
