use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::api::error::AppError;
use crate::i18n::use_i18n;

/// What a page shows when its data did not load: the login page for an
/// expired session, else the error in the reader's language.
pub fn load_failure(error: AppError) -> AnyView {
    let i18n = use_i18n();
    match error {
        AppError::Unauthorized => view! { <Redirect path="/login"/> }.into_any(),
        error => view! {
            <p class="status status--error" role="alert">
                {move || error.user_message(i18n.t())}
            </p>
        }
        .into_any(),
    }
}
