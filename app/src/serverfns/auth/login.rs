use leptos::prelude::*;

use super::CurrentUser;
use crate::error::AppError;

/// Password login. Starts a fresh session (never reusing the id the browser
/// came with), throttled per account and per address.
#[server(prefix = "/api/auth", endpoint = "login")]
pub async fn login(login: String, password: String) -> Result<CurrentUser, AppError> {
    use crate::auth;
    use crate::domain::auth::{check_password_input, LoginDecision, LoginName, ThrottlePolicy};
    use crate::domain::time::Timestamp;
    use crate::serverfns::context;

    context::finish(
        async move {
            let login_name = LoginName::parse(&login)?;
            check_password_input(&password)?;
            let store = context::store()?;
            let address = auth::request_address();
            let now = Timestamp::now();
            let policy = ThrottlePolicy::DEFAULT;
            let since = Timestamp::from_unix_millis(now.unix_millis() - policy.window_ms);
            let recent = store
                .recent_login_failures(login_name.as_str(), &address, since)
                .await?;
            if let LoginDecision::Throttled {
                retry_after_seconds,
            } = policy.decide(recent, now)
            {
                tracing::warn!(login = login_name.as_str(), %address, "login throttled");
                return Err(AppError::TooManyAttempts {
                    retry_after_seconds,
                });
            }

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
                    store
                        .record_login_failure(login_name.as_str(), &address, now)
                        .await?;
                    tracing::info!(login = login_name.as_str(), %address, "login refused");
                    return Err(AppError::WrongCredentials);
                }
            };

            let (token, token_hash) = auth::new_session_token()?;
            let replaced = auth::request_session_token().map(|t| auth::token_hash(&t));
            store
                .start_session(&token_hash, &user.id, &user.login, replaced.as_deref(), now)
                .await?;
            context::set_cookie(&auth::session_cookie(&token, context::cookie_security()));
            tracing::info!(user = %user.id, role = user.role.as_str(), "logged in");
            Ok(CurrentUser {
                id: user.id,
                login: user.login,
                display_name: user.display_name,
                role: user.role,
                region_id: user.region_id,
            })
        }
        .await,
    )
}
