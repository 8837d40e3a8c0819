use leptos::prelude::*;

use crate::api::error::AppError;

/// Ends the session on the server and clears the cookie.
#[server(prefix = "/api/auth", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::auth;
    use crate::context;

    if let Some(token) = auth::request_session_token() {
        context::store()?
            .end_session(&crate::hashing::token_hash(&token))
            .await?;
    }
    context::set_cookie(&auth::expired_session_cookie(crate::auth::cookie_security()));
    Ok(())
}
