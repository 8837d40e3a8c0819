use leptos::prelude::*;

use super::PeopleDesk;
use crate::error::AppError;

/// Every account and the regions to place people in; admins only.
#[server(prefix = "/api/admin", endpoint = "people")]
pub async fn get_people() -> Result<PeopleDesk, AppError> {
    use super::RegionChoice;
    use crate::domain::auth::Role;
    use crate::serverfns::context;

    context::finish(
        async move {
            crate::auth::require_role(&[Role::Admin]).await?;
            let store = context::store()?;
            let people = store.people().await?;
            let regions = store
                .regions()
                .await?
                .into_iter()
                .map(|(region, _)| RegionChoice {
                    id: region.id.as_str().to_owned(),
                    name: region.name.as_str().to_owned(),
                })
                .collect();
            Ok(PeopleDesk { people, regions })
        }
        .await,
    )
}
