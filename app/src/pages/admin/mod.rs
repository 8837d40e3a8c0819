//! The admin desk: people and their accounts, and the log of every admin
//! change. Admins only; anyone else is sent to log in or told it is not
//! theirs.

mod audit;
mod checklist;
mod company;
mod fees;
mod people;
mod places;

use leptos::prelude::*;

use crate::domain::time::{format_local_date_time, Timestamp, UtcOffset};
use crate::i18n::use_i18n;

#[component]
pub fn AdminPage() -> impl IntoView {
    let i18n = use_i18n();
    // Bumped after every change, so the audit log below shows it at once.
    let changes = RwSignal::new(0u32);
    view! {
        <section class="admin" aria-labelledby="admin-title">
            <div class="desk__heading">
                <h1 id="admin-title">{move || i18n.t().admin.title}</h1>
                <a class="button button--quiet" href="/desk">{move || i18n.t().desk_title}</a>
                <a class="button button--quiet" href="/queue">{move || i18n.t().open_follow_up}</a>
            </div>
            <people::PeopleSection changes/>
            <places::PlacesSection changes/>
            <company::CompanySection changes/>
            <checklist::ChecklistSection changes/>
            <fees::FeesSection changes/>
            <audit::AuditSection changes/>
        </section>
    }
}

/// One row's move up, move down and remove buttons in a list being edited
/// (checklist items, fee items), named `<testid>-up`, `-down`, `-remove`.
#[component]
fn RowMoves<T: Send + Sync + 'static>(
    items: RwSignal<Vec<T>>,
    index: usize,
    rows: Memo<usize>,
    testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().admin;
    view! {
        <button type="button" class="button button--quiet" data-testid=format!("{testid}-up")
            aria-label=move || t().item_up disabled=index == 0
            on:click=move |_| items.update(|list| list.swap(index - 1, index))>"↑"</button>
        <button type="button" class="button button--quiet" data-testid=format!("{testid}-down")
            aria-label=move || t().item_down disabled=move || { index + 1 >= rows.get() }
            on:click=move |_| items.update(|list| list.swap(index, index + 1))>"↓"</button>
        <button type="button" class="button button--quiet" data-testid=format!("{testid}-remove")
            on:click=move |_| items.update(|list| { list.remove(index); })>{move || t().item_remove}</button>
    }
}

/// Every version of a published list (checklist, fee schedule) and when it
/// was published, newest first, folded away.
#[component]
fn VersionList(versions: Vec<(u32, Timestamp)>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <details class="admin__versions">
            <summary>{move || i18n.t().admin.earlier_versions}</summary>
            <ul>
                // The version installed with the product carries no date
                // (the epoch), which is no time anyone published it.
                {versions.into_iter().map(|(version, at)| view! {
                    <li>{format!("v{version} · ")}{move || if at == Timestamp::from_unix_millis(0) {
                        i18n.t().admin.version_built_in.to_string()
                    } else {
                        format_local_date_time(at, UtcOffset::CHINA)
                    }}</li>
                }).collect_view()}
            </ul>
        </details>
    }
}
