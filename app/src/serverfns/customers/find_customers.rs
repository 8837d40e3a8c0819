use leptos::prelude::*;

use crate::api::customers::CustomerMatch;
use crate::api::error::AppError;

/// Customers whose phone contains the digits typed (4 or more) or whose
/// name contains the text: a dispatcher's own region's customers, or all
/// for an admin. At most 10.
#[server(prefix = "/api/customers", endpoint = "find")]
pub async fn find_customers(query: String) -> Result<Vec<CustomerMatch>, AppError> {
    use crate::context;
    use crate::domain::auth::Role;
    use crate::domain::ids::RecordId;

    let user = crate::auth::require_role(&[Role::Dispatcher, Role::Admin]).await?;
    if query.chars().count() > 50 {
        return Err(AppError::InvalidInput {
            field: "query".into(),
            message: "at most 50 characters".into(),
            problem: None,
        });
    }
    let region = match user.role {
        Role::Admin => None,
        _ => Some(RecordId::parse(
            "region_id",
            user.region_id.as_deref().unwrap_or_default(),
        )?),
    };
    let store = context::store()?;
    let mut matches = Vec::new();
    for customer in store.find_customers(&query, region.as_ref()).await? {
        let verified_places = match customer.coordinates {
            Some(_) => Vec::new(),
            None => store.verified_places(&customer.id).await?,
        };
        matches.push(CustomerMatch {
            appliances: super::appliances_on_file(&store, &customer).await?,
            verified_places,
            customer,
        });
    }
    Ok(matches)
}
