use leptos::prelude::*;

use crate::domain::time::{format_local_time, Timestamp, UtcOffset};
use crate::i18n::use_i18n;
use crate::sync::outbox::NotApplied;
use crate::sync::use_sync;

/// The bar on top of every screen: product name, whether the phone is
/// online, how many changes wait to be sent (or when the last was), the
/// language switch; under it, any change the server did not take, with
/// what to do.
#[component]
pub fn AppHeader() -> impl IntoView {
    let i18n = use_i18n();
    let switch_language = move |_| i18n.set_locale(i18n.locale().other());
    // The server cannot know; the page learns it once running, and follows
    // the browser's online and offline events (`sync::runner`).
    let sync = use_sync();
    let online = sync.online;
    let waiting = move || sync.outbox.with(|outbox| outbox.waiting_count());
    let not_applied = move || sync.outbox.with(|outbox| outbox.refused().to_vec());
    let sync_text = move || match waiting() {
        0 => {
            let at = sync
                .outbox
                .with(|outbox| outbox.last_synced_ms())
                .map(|ms| format_local_time(Timestamp::from_unix_millis(ms), UtcOffset::CHINA));
            (i18n.t().all_synced)(at.as_deref())
        }
        n => (i18n.t().changes_waiting)(n),
    };
    view! {
        <header class="app-header">
            <a class="app-header__brand" href="/">
                <span class="app-header__logo" aria-hidden="true">"⌂"</span>
                <span>{move || i18n.t().app_name}</span>
            </a>
            // One pill: the connection (a dot when online) and the sync.
            <span class="app-header__state" data-online=move || online.get().to_string()
                title=move || (!online.get()).then(|| i18n.t().offline_hint)>
                <span
                    class="app-header__connection"
                    role="status"
                    data-testid="connection"
                    data-online=move || online.get().to_string()
                >
                    {move || if online.get() { i18n.t().online } else { i18n.t().offline }}
                </span>
                <span
                    class="app-header__sync"
                    role="status"
                    data-testid="sync-status"
                    data-waiting=move || waiting().to_string()
                    hidden=move || !sync.ready.get()
                >
                    {sync_text}
                </span>
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
        <section class="not-applied" data-testid="not-applied" aria-labelledby="not-applied-title"
            hidden=move || not_applied().is_empty()>
            <h2 id="not-applied-title">{move || i18n.t().not_applied_title}</h2>
            <ul>
                {move || not_applied().into_iter().map(|refused| {
                    let kind = refused.pending.change.change.kind();
                    let id = refused.pending.operation_id.clone();
                    let (reason, hint) = match refused.reason {
                        NotApplied::Refused(error) => (
                            error.user_message(i18n.t()),
                            i18n.t().refused_hint.to_string(),
                        ),
                        NotApplied::Held(held) => (
                            String::new(),
                            (i18n.t().held_for_dispatcher)(held).to_string(),
                        ),
                    };
                    view! {
                        <li data-testid="not-applied-change" data-kind=kind>
                            <strong>{(i18n.t().change_kind)(kind)}</strong>
                            " " {reason}
                            <p class="not-applied__hint">{hint}</p>
                            <button type="button" class="button" data-testid="dismiss-not-applied"
                                on:click=move |_| sync.dismiss(&id)>
                                {move || i18n.t().dismiss}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
