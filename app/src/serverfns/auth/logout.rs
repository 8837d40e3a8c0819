use leptos::prelude::*;

use crate::error::AppError;

/// Ends the session on the server and clears the cookie.
#[server(prefix = "/api/auth", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::auth;
    use crate::serverfns::context;

    context::finish(
        async move {
            if let Some(token) = auth::request_session_token() {
                context::store()?
                    .end_session(&auth::token_hash(&token))
                    .await?;
            }
            context::set_cookie(&auth::expired_session_cookie(context::cookie_security()));
            Ok(())
        }
        .await,
    )
}
