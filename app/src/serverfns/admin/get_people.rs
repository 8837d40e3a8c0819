use leptos::prelude::*;

use crate::api::admin::PeopleDesk;
use crate::api::error::AppError;

/// Every account and the regions to place people in; admins only.
#[server(prefix = "/api/admin", endpoint = "people")]
pub async fn get_people() -> Result<PeopleDesk, AppError> {
    use crate::api::admin::{RegionChoice, ServicePointChoice};
    use crate::context;
    use crate::domain::auth::Role;

    let admin = crate::auth::require_role(&[Role::Admin]).await?;
    let store = context::store()?;
    let people = store.people().await?;
    let places = store.places().await?;
    let regions = places
        .iter()
        .map(|place| RegionChoice {
            id: place.id.clone(),
            name: place.region.name.as_str().to_owned(),
        })
        .collect();
    let points = places
        .iter()
        .flat_map(|place| &place.points)
        .map(|point| ServicePointChoice {
            id: point.id.clone(),
            region_id: point.point.region_id.as_str().to_owned(),
            name: point.point.name.as_str().to_owned(),
        })
        .collect();
    Ok(PeopleDesk {
        viewer_id: admin.id,
        people,
        regions,
        points,
    })
}
