use leptos::prelude::*;

use crate::i18n::use_i18n;

/// The bar on top of every screen: product name and the language switch.
#[component]
pub fn AppHeader() -> impl IntoView {
    let i18n = use_i18n();
    let switch_language = move |_| i18n.set_locale(i18n.locale().other());

    view! {
        <header class="app-header">
            <a class="app-header__brand" href="/">
                <span class="app-header__logo" aria-hidden="true">"⌂"</span>
                <span>{move || i18n.t().app_name}</span>
            </a>
            <button
                type="button"
                class="app-header__language"
                data-testid="language-switch"
                aria-label=move || i18n.t().switch_language_label
                lang=move || i18n.locale().other().tag()
                on:click=switch_language
            >
                {move || i18n.locale().other().messages().language_name}
            </button>
        </header>
    }
}
