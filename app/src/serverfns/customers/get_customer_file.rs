use leptos::prelude::*;

use crate::api::customers::CustomerFile;
use crate::api::error::AppError;

/// A customer's appliances, every visit with its outcome and ratings, and
/// their complaints: for a dispatcher of a region the customer has an order
/// in, and admins.
#[server(prefix = "/api/customers", endpoint = "file")]
pub async fn get_customer_file(customer_id: String) -> Result<CustomerFile, AppError> {
    use crate::context;
    use crate::domain::auth::Role;
    use crate::domain::ids::RecordId;

    let user = crate::auth::require_role(&[Role::Dispatcher, Role::Admin]).await?;
    let customer_id = RecordId::parse("customer_id", &customer_id)?;
    let store = context::store()?;
    let customer = store
        .customer(&customer_id)
        .await?
        .ok_or(AppError::NotFound)?;
    super::check_customer_in_scope(&store, &user, &customer_id).await?;
    Ok(CustomerFile {
        appliances: super::appliances_on_file(&store, &customer).await?,
        visits: store.visits_of_customer(&customer_id).await?,
        complaints: store.complaints_of_customer(&customer_id).await?,
        customer,
    })
}
