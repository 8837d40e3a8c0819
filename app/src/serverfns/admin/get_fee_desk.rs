use leptos::prelude::*;

use crate::api::admin::FeeDesk;
use crate::api::error::AppError;

/// The fee schedule new visits are charged by, every category of it, and
/// every version published; admins only.
#[server(prefix = "/api/admin", endpoint = "fees")]
pub async fn get_fee_desk() -> Result<FeeDesk, AppError> {
    use crate::context;
    use crate::domain::auth::Role;
    use crate::domain::work_order::ApplianceCategory;

    crate::auth::require_role(&[Role::Admin]).await?;
    let store = context::store()?;
    let version = store.current_fee_schedule_version().await?;
    let mut schedules = Vec::with_capacity(ApplianceCategory::ALL.len());
    for &category in ApplianceCategory::ALL {
        schedules.push(store.fee_schedule(version, category).await?);
    }
    let versions = store.fee_schedule_versions().await?;
    Ok(FeeDesk {
        version,
        schedules,
        versions,
    })
}
