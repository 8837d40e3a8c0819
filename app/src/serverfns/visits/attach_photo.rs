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
    use super::{technician_step, TechnicianStep};
    use crate::context;
    use crate::domain::ids::RecordId;
    use crate::domain::photo::check_photo;
    use crate::domain::time::Timestamp;
    use crate::store::photos::NewPhoto;
    use base64::Engine;

    let TechnicianStep {
        technician,
        operation_id,
        visit_id,
    } = technician_step(&operation_id, &visit_id).await?;
    let photo_id = RecordId::parse("photo_id", &photo_id)?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data_base64.trim())
        .map_err(|_| AppError::InvalidInput {
            field: "photo".into(),
            message: "the photo is not base64 text".into(),
        })?;
    let image_type = check_photo(&bytes).map_err(|error| AppError::InvalidInput {
        field: "photo".into(),
        message: error.to_string(),
    })?;
    let photo = NewPhoto {
        id: photo_id,
        image_type,
        byte_size: bytes.len(),
        sha256: crate::hashing::sha256_hex(&bytes),
        data_base64: data_base64.trim().to_string(),
    };
    context::store()?
        .attach_photo(
            &operation_id,
            &visit_id,
            &technician,
            &item_key,
            &photo,
            Timestamp::now(),
        )
        .await
        .map_err(AppError::from)
}
