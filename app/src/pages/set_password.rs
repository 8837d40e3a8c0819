use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::i18n::use_i18n;
use crate::serverfns::auth::SetPasswordWithCode;

/// A person sets their own password with the one-time code their admin
/// gave them, and is logged in. A plain form, like the login page, so it
/// works before the WASM has loaded.
#[component]
pub fn SetPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().admin;
    let set = ServerAction::<SetPasswordWithCode>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = set.value().get() {
            use_navigate()("/", Default::default());
        }
    });
    let error_message = move || match set.value().get() {
        Some(Err(error)) => Some(error.user_message(i18n.t())),
        _ => None,
    };
    view! {
        <section class="login" aria-labelledby="set-password-title">
            <h1 id="set-password-title">{move || t().set_password_title}</h1>
            <p>{move || t().set_password_intro}</p>
            <ActionForm action=set attr:class="login__form">
                <label for="set-login">{move || i18n.t().login_name_label}</label>
                <input id="set-login" name="login" type="text" autocomplete="username"
                    autocapitalize="none" spellcheck="false" required maxlength="32"/>
                <label for="set-code">{move || t().code_label}</label>
                <input id="set-code" name="code" type="text" autocomplete="one-time-code"
                    autocapitalize="characters" spellcheck="false" required maxlength="20"/>
                <label for="set-password">{move || t().new_password_label}</label>
                <input id="set-password" name="password" type="password" autocomplete="new-password"
                    required minlength="10" maxlength="128"/>
                <p class="status status--error" role="alert" data-testid="set-password-error"
                    hidden=move || error_message().is_none()>
                    {error_message}
                </p>
                <button type="submit" class="button button--primary" data-testid="set-password"
                    disabled=move || set.pending().get()>
                    {move || t().set_password_button}
                </button>
            </ActionForm>
        </section>
    }
}
