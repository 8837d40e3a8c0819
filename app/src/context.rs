//! What the server wiring provides to server functions and the session
//! checks: the store, the service zone, and the response's cookies.

use crate::api::error::AppError;
use crate::store::Store;
use crate::zone::ServiceZone;
use leptos::prelude::use_context;

pub fn store() -> Result<Store, AppError> {
    use_context::<Store>().ok_or_else(|| {
        tracing::error!("Store missing from the server function context");
        AppError::Internal
    })
}

pub fn service_zone() -> ServiceZone {
    use_context::<ServiceZone>().unwrap_or(ServiceZone::DEFAULT)
}

pub fn set_cookie(cookie: &str) {
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(cookie),
    ) {
        response.append_header(http::header::SET_COOKIE, value);
    }
}
