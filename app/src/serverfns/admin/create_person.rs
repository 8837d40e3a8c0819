use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::api::admin::PersonCreated;
use crate::api::error::AppError;
use crate::domain::admin::PersonForm;

/// Creates a technician's, dispatcher's or admin's account; admins only.
/// The account has no password until its owner sets one with the one-time
/// code returned here (valid for a day). A field that fails is named and
/// nothing is written.
#[server(prefix = "/api/admin", endpoint = "create_person", input = Json)]
pub async fn create_person(person: PersonForm) -> Result<PersonCreated, AppError> {
    use crate::context;
    use crate::domain::auth::Role;
    use crate::domain::time::Timestamp;
    use crate::store::admin::NewPasswordCode;

    let admin = crate::auth::require_role(&[Role::Admin]).await?;
    let checked = person.check()?;
    let store = context::store()?;
    let id = crate::domain::ids::new_id()?;
    let now = Timestamp::now();
    let unusable = crate::auth::unusable_password_hash().await?;
    let (code, code_hash) = super::fresh_code(id.as_str(), checked.login.as_str(), now)?;
    let created = store
        .create_person(
            &id,
            &checked,
            &unusable,
            &NewPasswordCode {
                code_hash: &code_hash,
                issued_at: now,
                expires_at: code.expires_at,
            },
            &admin.id,
        )
        .await?;
    tracing::info!(admin = %admin.id, person = %created.id, role = created.person.role.as_str(), "account created");
    Ok(PersonCreated {
        person: created,
        code,
    })
}
