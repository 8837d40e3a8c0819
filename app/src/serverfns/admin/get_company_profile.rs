use leptos::prelude::*;

use crate::api::error::AppError;
use crate::domain::admin::CompanyProfile;

/// The company's name and hotline for anyone logged in (the service
/// record prints them); None until an admin has saved them.
#[server(prefix = "/api/company", endpoint = "get")]
pub async fn get_company_profile() -> Result<Option<CompanyProfile>, AppError> {
    crate::auth::current_user().await?;
    Ok(crate::context::store()?.company_profile().await?)
}
