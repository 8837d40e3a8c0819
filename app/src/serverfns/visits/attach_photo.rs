use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::api::error::AppError;

/// A photo of a checklist item, as base64 of a JPEG, PNG or WebP (the
/// screen downscales and sends JPEG). Marks the item done with the photo.
/// The photo's id is made on the device, like the operation's.
#[server(prefix = "/api/visits", endpoint = "photo", input = Json)]
pub async fn attach_photo(
    operation_id: String,
    visit_id: String,
    item_key: String,
    photo_id: String,
    data_base64: String,
) -> Result<(), AppError> {
    let step = super::technician_step(&operation_id, &visit_id).await?;
    let photo_id = crate::domain::ids::RecordId::parse("photo_id", &photo_id)?;
    attach_photo_typed(
        &crate::context::store()?,
        &step,
        &item_key,
        photo_id,
        &data_base64,
    )
    .await
}

/// The action itself, for every caller (this server function, the sync,
/// which brings the photo its pieces put together): the bytes are checked
/// to be an image, then kept with their hash.
#[cfg(feature = "ssr")]
pub(crate) async fn attach_photo_typed(
    store: &crate::store::Store,
    step: &super::TechnicianStep,
    item_key: &str,
    photo_id: crate::domain::ids::RecordId,
    data_base64: &str,
) -> Result<(), AppError> {
    use crate::domain::photo::check_photo;
    use crate::store::photos::NewPhoto;
    use base64::Engine;

    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data_base64.trim())
        .map_err(|_| AppError::InvalidInput {
            field: "photo".into(),
            message: "the photo is not base64 text".into(),
            problem: None,
        })?;
    let image_type = check_photo(&bytes).map_err(|error| AppError::InvalidInput {
        field: "photo".into(),
        message: error.to_string(),
        problem: None,
    })?;
    let photo = NewPhoto {
        id: photo_id,
        image_type,
        byte_size: bytes.len(),
        sha256: crate::hashing::sha256_hex(&bytes),
        data_base64: data_base64.trim().to_string(),
    };
    Ok(store
        .attach_photo(
            &step.operation_id,
            &step.visit_id,
            &step.technician,
            item_key,
            &photo,
            crate::domain::time::Timestamp::now(),
        )
        .await?)
}
