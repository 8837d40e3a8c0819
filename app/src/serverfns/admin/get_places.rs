use leptos::prelude::*;

use crate::domain::admin::RegionRecord;
use crate::error::AppError;

/// Every region with its service points; admins only.
#[server(prefix = "/api/admin", endpoint = "places")]
pub async fn get_places() -> Result<Vec<RegionRecord>, AppError> {
    use crate::domain::auth::Role;
    use crate::serverfns::context;

    context::finish(
        async move {
            crate::auth::require_role(&[Role::Admin]).await?;
            Ok(context::store()?.places().await?)
        }
        .await,
    )
}
