use leptos::prelude::*;

use crate::api::error::AppError;
use crate::domain::callback::SamplingForm;

/// Sets the callback sampling rates (contracted, company-run, headquarters
/// points, and the monthly phone survey), whole percents; admins only.
/// Services signed from then on are drawn at the new rates.
#[server(prefix = "/api/callbacks", endpoint = "set_sampling")]
pub async fn set_callback_sampling(rates: SamplingForm) -> Result<SamplingForm, AppError> {
    use crate::context;
    use crate::domain::auth::Role;

    let user = crate::auth::require_role(&[Role::Admin]).await?;
    let checked = rates.check()?;
    let store = context::store()?;
    store
        .set_callback_sampling(&checked, &user.id, crate::domain::time::Timestamp::now())
        .await?;
    tracing::info!(user = %user.id, after = ?checked, "callback sampling changed");
    Ok(SamplingForm::of(&checked))
}
