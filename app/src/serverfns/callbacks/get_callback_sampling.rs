use leptos::prelude::*;

use crate::domain::callback::SamplingForm;
use crate::error::AppError;

/// The callback sampling rates in whole percents, for the queue page: an
/// admin gets them to edit, a dispatcher gets none.
#[server(prefix = "/api/callbacks", endpoint = "sampling")]
pub async fn get_callback_sampling() -> Result<Option<SamplingForm>, AppError> {
    use crate::domain::auth::Role;
    use crate::serverfns::context;

    context::finish(
        async move {
            let user = crate::auth::require_role(&[Role::Dispatcher, Role::Admin]).await?;
            if user.role != Role::Admin {
                return Ok(None);
            }
            let rates = context::store()?.callback_sampling().await?;
            Ok(Some(SamplingForm::of(&rates)))
        }
        .await,
    )
}
