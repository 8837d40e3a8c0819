use leptos::prelude::*;

use crate::api::auth::CurrentUser;
use crate::api::error::AppError;

/// Sets a person's own password with the one-time code an admin gave them
/// (a new account, a forgotten password), then logs them in. A wrong or
/// spent code counts as a failed login, so codes cannot be guessed faster
/// than passwords.
#[server(prefix = "/api/auth", endpoint = "set_password")]
pub async fn set_password_with_code(
    login: String,
    code: String,
    password: String,
) -> Result<CurrentUser, AppError> {
    use crate::auth;
    use crate::context;
    use crate::domain::admin::password_code;
    use crate::domain::auth::{check_new_password, LoginName};
    use crate::domain::time::Timestamp;

    let login_name = LoginName::parse(&login)?;
    let code = password_code::normalise(&code)?;
    check_new_password(&password)?;
    let store = context::store()?;
    let address = auth::request_address();
    let now = Timestamp::now();
    auth::reserve_attempt(&store, &login_name, &address, now).await?;
    let new_hash = auth::hash_password_in_background(password).await?;
    let redeemed = store
        .redeem_password_code(
            &login_name,
            &crate::hashing::token_hash(&code),
            &new_hash,
            now,
        )
        .await?;
    let Some(user) = redeemed else {
        tracing::info!(login = login_name.as_str(), %address, "password code refused");
        return Err(AppError::InvalidInput {
            field: password_code::FIELD.into(),
            message: "this code is wrong, used or expired: ask your admin for a new one".into(),
            problem: None,
        });
    };
    tracing::info!(user = %user.id, "password set with a one-time code");
    auth::begin_session(&store, user, now).await
}
