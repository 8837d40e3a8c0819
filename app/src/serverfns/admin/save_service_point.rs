use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::api::error::AppError;
use crate::domain::admin::{CheckedServicePoint, ServicePointForm};

/// Creates a service point (`id` empty) or changes one: its region, name,
/// level (how many of its services are called back) and time zone; admins
/// only.
#[server(prefix = "/api/admin", endpoint = "save_service_point", input = Json)]
pub async fn save_service_point(
    id: String,
    point: ServicePointForm,
) -> Result<CheckedServicePoint, AppError> {
    use crate::context;
    use crate::domain::auth::Role;
    use crate::domain::time::Timestamp;

    let admin = crate::auth::require_role(&[Role::Admin]).await?;
    let checked = point.check()?;
    super::known_zone(&checked.time_zone)?;
    let (id, create) = super::id_or_new(&id)?;
    let saved = context::store()?
        .save_service_point(&id, create, &checked, &admin.id, Timestamp::now())
        .await?;
    tracing::info!(admin = %admin.id, point = %id.as_str(), "service point saved");
    Ok(saved)
}
