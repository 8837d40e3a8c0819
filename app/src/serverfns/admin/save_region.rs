use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::api::error::AppError;
use crate::domain::admin::{CheckedRegion, RegionForm};

/// Creates a region (`id` empty) or changes one: its name, time zone and the
/// level its services are sampled at when done from no service point;
/// admins only.
#[server(prefix = "/api/admin", endpoint = "save_region", input = Json)]
pub async fn save_region(id: String, region: RegionForm) -> Result<CheckedRegion, AppError> {
    use crate::context;
    use crate::domain::auth::Role;
    use crate::domain::time::Timestamp;

    let admin = crate::auth::require_role(&[Role::Admin]).await?;
    let checked = region.check()?;
    super::known_zone(&checked.time_zone)?;
    let (id, create) = super::id_or_new(&id)?;
    let saved = context::store()?
        .save_region(&id, create, &checked, &admin.id, Timestamp::now())
        .await?;
    tracing::info!(admin = %admin.id, region = %id.as_str(), "region saved");
    Ok(saved)
}
