use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::api::error::AppError;

/// A piece of a photo taken on the phone, `offset` base64 characters in.
/// Answers how many characters the server has, so a phone whose upload
/// broke off goes on from there instead of starting again.
#[server(prefix = "/api/sync", endpoint = "photo_piece", input = Json)]
pub async fn upload_photo_piece(
    photo_id: String,
    offset: usize,
    piece: String,
) -> Result<usize, AppError> {
    use crate::context;
    use crate::domain::ids::RecordId;
    use crate::domain::time::Timestamp;

    let user = crate::auth::require_role(&[crate::domain::auth::Role::Technician]).await?;
    let technician = RecordId::parse("user", &user.id)?;
    let photo_id = RecordId::parse("photo_id", &photo_id)?;
    if !piece
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b))
    {
        return Err(AppError::InvalidInput {
            field: "photo".into(),
            message: "the photo is not base64 text".into(),
            problem: None,
        });
    }
    context::store()?
        .append_photo_upload(&photo_id, &technician, offset, &piece, Timestamp::now())
        .await
        .map_err(AppError::from)
}
