use leptos::prelude::*;

use crate::api::error::AppError;
use crate::domain::admin::RegionRecord;

/// Every region with its service points; admins only.
#[server(prefix = "/api/admin", endpoint = "places")]
pub async fn get_places() -> Result<Vec<RegionRecord>, AppError> {
    use crate::context;
    use crate::domain::auth::Role;

    crate::auth::require_role(&[Role::Admin]).await?;
    Ok(context::store()?.places().await?)
}
