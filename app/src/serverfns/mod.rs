//! Server functions, grouped by area, one small file per action. Each checks
//! its input, calls the store, and returns `AppError` on failure.

pub mod today;

/// What the server wiring provides to every server function.
#[cfg(feature = "ssr")]
pub mod context {
    use crate::error::AppError;
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
}
