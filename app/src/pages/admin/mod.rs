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

/// Every version of a published list (checklist, fee schedule) and when it
/// was published, newest first, folded away.
#[component]
fn VersionList(versions: Vec<(u32, Timestamp)>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <details class="admin__versions">
            <summary>{move || i18n.t().admin.earlier_versions}</summary>
            <ul>
                {versions.into_iter().map(|(version, at)| view! {
                    <li>{format!("v{version} · {}", format_local_date_time(at, UtcOffset::CHINA))}</li>
                }).collect_view()}
            </ul>
        </details>
    }
}
