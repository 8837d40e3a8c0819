use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::api::error::AppError;
use crate::domain::admin::{PersonForm, PersonRecord};

/// Changes an account's login, name, region or technician profile; admins
/// only. The role stays what it was created as.
#[server(prefix = "/api/admin", endpoint = "edit_person", input = Json)]
pub async fn edit_person(id: String, person: PersonForm) -> Result<PersonRecord, AppError> {
    use crate::context;
    use crate::domain::admin::check_edit;
    use crate::domain::auth::Role;
    use crate::domain::ids::RecordId;
    use crate::domain::time::Timestamp;

    let admin = crate::auth::require_role(&[Role::Admin]).await?;
    let id = RecordId::parse("id", &id)?;
    let checked = person.check()?;
    let store = context::store()?;
    let before = store.person(id.as_str()).await?.ok_or(AppError::NotFound)?;
    check_edit(&before.person, &checked)?;
    let edited = store
        .edit_person(id.as_str(), &checked, &admin.id, Timestamp::now())
        .await?;
    tracing::info!(admin = %admin.id, person = %edited.id, "account edited");
    Ok(edited)
}
