use leptos::prelude::*;

use crate::api::admin::IssuedCode;
use crate::api::error::AppError;

/// A new one-time code for a person who forgot their password (older codes
/// stop working); admins only. The password itself stays until the code is
/// used.
#[server(prefix = "/api/admin", endpoint = "issue_code")]
pub async fn issue_password_code(id: String) -> Result<IssuedCode, AppError> {
    use crate::context;
    use crate::domain::auth::Role;
    use crate::domain::ids::RecordId;
    use crate::domain::time::Timestamp;
    use crate::store::admin::NewPasswordCode;

    let admin = crate::auth::require_role(&[Role::Admin]).await?;
    let id = RecordId::parse("id", &id)?;
    let store = context::store()?;
    let person = store.person(id.as_str()).await?.ok_or(AppError::NotFound)?;
    if !person.active {
        return Err(AppError::Conflict {
            message: "the account is deactivated: activate it first".into(),
        });
    }
    let now = Timestamp::now();
    let (code, code_hash) = super::fresh_code(id.as_str(), person.person.login.as_str(), now)?;
    let issued = store
        .issue_password_code(
            id.as_str(),
            &NewPasswordCode {
                code_hash: &code_hash,
                issued_at: now,
                expires_at: code.expires_at,
            },
            &admin.id,
        )
        .await?;
    if !issued {
        return Err(AppError::NotFound);
    }
    tracing::info!(admin = %admin.id, person = %id.as_str(), "password code issued");
    Ok(code)
}
