use leptos::prelude::*;

use crate::i18n::use_i18n;

/// The bar on top of every screen: product name, whether the phone is
/// online, and the language switch.
#[component]
pub fn AppHeader() -> impl IntoView {
    let i18n = use_i18n();
    let switch_language = move |_| i18n.set_locale(i18n.locale().other());
    // The server cannot know; the page learns it once running, and follows
    // the browser's online and offline events.
    let online = RwSignal::new(true);
    #[cfg(feature = "hydrate")]
    {
        Effect::new(move |_| {
            if let Some(window) = web_sys::window() {
                online.set(window.navigator().on_line());
            }
        });
        let back = window_event_listener(leptos::ev::online, move |_| online.set(true));
        let gone = window_event_listener(leptos::ev::offline, move |_| online.set(false));
        on_cleanup(move || {
            back.remove();
            gone.remove();
        });
    }

    view! {
        <header class="app-header">
            <a class="app-header__brand" href="/">
                <span class="app-header__logo" aria-hidden="true">"⌂"</span>
                <span>{move || i18n.t().app_name}</span>
            </a>
            <span
                class="app-header__connection"
                role="status"
                data-testid="connection"
                data-online=move || online.get().to_string()
                title=move || (!online.get()).then(|| i18n.t().offline_hint)
            >
                {move || if online.get() { i18n.t().online } else { i18n.t().offline }}
            </span>
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
