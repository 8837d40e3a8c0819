use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::api::error::AppError;
use crate::domain::admin::{CompanyForm, CompanyProfile};

/// The company's name and service hotline, printed on every service
/// record; admins only.
#[server(prefix = "/api/admin", endpoint = "save_company_profile", input = Json)]
pub async fn save_company_profile(company: CompanyForm) -> Result<CompanyProfile, AppError> {
    use crate::domain::auth::Role;
    use crate::domain::time::Timestamp;

    let admin = crate::auth::require_role(&[Role::Admin]).await?;
    let profile = company.check()?;
    crate::context::store()?
        .save_company_profile(&profile, &admin.id, Timestamp::now())
        .await?;
    tracing::info!(admin = %admin.id, "company profile saved");
    Ok(profile)
}
