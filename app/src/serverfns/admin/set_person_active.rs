use leptos::prelude::*;

use crate::api::error::AppError;
use crate::domain::admin::PersonRecord;

/// Switches an account off (its sessions end at once, its history stays)
/// or on again; admins only, and never their own.
#[server(prefix = "/api/admin", endpoint = "set_active")]
pub async fn set_person_active(id: String, active: bool) -> Result<PersonRecord, AppError> {
    use crate::context;
    use crate::domain::admin::check_activation;
    use crate::domain::auth::Role;
    use crate::domain::ids::RecordId;
    use crate::domain::time::Timestamp;

    let admin = crate::auth::require_role(&[Role::Admin]).await?;
    let id = RecordId::parse("id", &id)?;
    check_activation(&admin.id, id.as_str())?;
    let store = context::store()?;
    let person = store
        .set_person_active(id.as_str(), active, &admin.id, Timestamp::now())
        .await?;
    tracing::info!(admin = %admin.id, person = %person.id, active, "account switched");
    Ok(person)
}
