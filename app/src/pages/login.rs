use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_navigate;

use crate::i18n::use_i18n;
use crate::serverfns::auth::{who_am_i, Login};

/// Login. A plain form, so it works before the WASM has loaded on a slow
/// network; once hydrated it logs in without a page load.
#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let login = ServerAction::<Login>::new();
    let already_signed_in = Resource::new(|| (), |_| who_am_i());

    Effect::new(move |_| {
        if let Some(Ok(user)) = login.value().get() {
            use_navigate()(super::home_of(user.role), Default::default());
        }
    });

    let error_message = move || match login.value().get() {
        Some(Err(error)) => Some(error.user_message(i18n.t())),
        _ => None,
    };

    view! {
        <Suspense>
            {move || Suspend::new(async move {
                already_signed_in
                    .await
                    .ok()
                    .flatten()
                    .map(|user| view! { <Redirect path=super::home_of(user.role)/> })
            })}
        </Suspense>
        <section class="login" aria-labelledby="login-title">
            <h1 id="login-title">{move || i18n.t().login_title}</h1>
            <ActionForm action=login attr:class="login__form">
                <label for="login-name">{move || i18n.t().login_name_label}</label>
                <input
                    id="login-name"
                    name="login"
                    type="text"
                    autocomplete="username"
                    autocapitalize="none"
                    spellcheck="false"
                    required
                    maxlength="32"
                />
                <label for="login-password">{move || i18n.t().password_label}</label>
                <input
                    id="login-password"
                    name="password"
                    type="password"
                    autocomplete="current-password"
                    required
                    maxlength="128"
                />
                <p class="status status--error" role="alert" data-testid="login-error" hidden=move || error_message().is_none()>
                    {error_message}
                </p>
                <button type="submit" class="button button--primary" disabled=move || login.pending().get()>
                    {move || if login.pending().get() { i18n.t().logging_in } else { i18n.t().login_button }}
                </button>
            </ActionForm>
            <p class="login__other">
                <a href="/set-password" data-testid="open-set-password">{move || i18n.t().admin.set_password_link}</a>
            </p>
        </section>
    }
}
