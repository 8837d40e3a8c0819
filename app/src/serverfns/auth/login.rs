use leptos::prelude::*;

use crate::api::auth::CurrentUser;
use crate::api::error::AppError;

/// Password login. Starts a fresh session (never reusing the id the browser
/// came with), throttled per account and per address.
#[server(prefix = "/api/auth", endpoint = "login")]
pub async fn login(login: String, password: String) -> Result<CurrentUser, AppError> {
    use crate::auth;
    use crate::context;
    use crate::domain::auth::{check_password_input, LoginName};
    use crate::domain::time::Timestamp;

    let login_name = LoginName::parse(&login)?;
    check_password_input(&password)?;
    let store = context::store()?;
    let address = auth::request_address();
    let now = Timestamp::now();
    auth::reserve_attempt(&store, &login_name, &address, now).await?;

    let user = store.user_by_login(&login_name).await?;
    let stored_hash = user.as_ref().map(|u| u.password_hash.clone());
    // Argon2 takes tens of milliseconds of CPU: keep it off the async workers.
    let password_ok = tokio::task::spawn_blocking(move || match stored_hash {
        Some(hash) => auth::verify_password(&password, &hash),
        None => {
            auth::burn_verification_time(&password);
            false
        }
    })
    .await
    .map_err(|error| {
        tracing::error!(%error, "password check task failed");
        AppError::Internal
    })?;
    let user = match user {
        Some(user) if password_ok && user.active => user,
        _ => {
            tracing::info!(login = login_name.as_str(), %address, "login refused");
            return Err(AppError::WrongCredentials);
        }
    };

    auth::begin_session(&store, user, now).await
}
