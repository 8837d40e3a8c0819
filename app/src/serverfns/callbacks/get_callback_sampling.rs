use leptos::prelude::*;

use crate::api::error::AppError;
use crate::domain::callback::SamplingForm;

/// The callback sampling rates in whole percents, for the queue page: an
/// admin gets them to edit, a dispatcher gets none.
#[server(prefix = "/api/callbacks", endpoint = "sampling")]
pub async fn get_callback_sampling() -> Result<Option<SamplingForm>, AppError> {
    use crate::context;
    use crate::domain::auth::Role;

    let user = crate::auth::require_role(&[Role::Dispatcher, Role::Admin]).await?;
    if user.role != Role::Admin {
        return Ok(None);
    }
    let rates = context::store()?.callback_sampling().await?;
    Ok(Some(SamplingForm::of(&rates)))
}
