use leptos::prelude::*;

use crate::api::auth::CurrentUser;
use crate::api::error::AppError;

/// The signed-in user, or `None` when nobody is: not being signed in is an
/// answer here, not an error.
#[server(prefix = "/api/auth", endpoint = "who_am_i")]
pub async fn who_am_i() -> Result<Option<CurrentUser>, AppError> {
    match crate::auth::current_user().await {
        Ok(user) => Ok(Some(user)),
        Err(AppError::Unauthorized) => Ok(None),
        Err(other) => Err(other),
    }
}
