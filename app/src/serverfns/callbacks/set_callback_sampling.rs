use leptos::prelude::*;

use crate::domain::callback::SamplingForm;
use crate::error::AppError;

/// Sets the callback sampling rates (contracted, company-run, headquarters
/// points, and the monthly phone survey), whole percents; admins only.
/// Services signed from then on are drawn at the new rates.
#[server(prefix = "/api/callbacks", endpoint = "set_sampling")]
pub async fn set_callback_sampling(rates: SamplingForm) -> Result<SamplingForm, AppError> {
    use crate::domain::auth::Role;
    use crate::serverfns::context;

    context::finish(
        async move {
            let user = crate::auth::require_role(&[Role::Admin]).await?;
            let checked = rates.check()?;
            let store = context::store()?;
            store
                .set_callback_sampling(&checked, &user.id, crate::domain::time::Timestamp::now())
                .await?;
            tracing::info!(user = %user.id, after = ?checked, "callback sampling changed");
            Ok(SamplingForm::of(&checked))
        }
        .await,
    )
}
