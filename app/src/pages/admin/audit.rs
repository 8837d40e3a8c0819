use leptos::prelude::*;

use crate::components::load_failure::load_failure;
use crate::domain::admin::AuditEntry;
use crate::domain::time::{format_local_date_time, UtcOffset};
use crate::i18n::use_i18n;
use crate::serverfns::admin::get_audit_log;

/// The newest admin changes, with what each record was before and after,
/// and the whole log as CSV.
#[component]
pub fn AuditSection(changes: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let log = Resource::new(move || changes.get(), |_| get_audit_log());
    view! {
        <section class="admin__audit" aria-labelledby="audit-title">
            <div class="desk__heading">
                <h2 id="audit-title">{move || i18n.t().admin.audit_title}</h2>
                <a class="button button--quiet" href="/api/admin/audit.csv" download=""
                    data-testid="audit-export" rel="external">{move || i18n.t().admin.audit_export}</a>
            </div>
            <Transition fallback=move || view! { <p class="status">{move || i18n.t().loading}</p> }>
                {move || Suspend::new(async move {
                    match log.await {
                        Ok(entries) if entries.is_empty() => view! {
                            <p class="status">{move || i18n.t().admin.audit_empty}</p>
                        }.into_any(),
                        Ok(entries) => view! { <AuditTable entries/> }.into_any(),
                        Err(error) => load_failure(error),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn AuditTable(entries: Vec<AuditEntry>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().admin;
    view! {
        <div class="dashboard__scroll">
            <table class="dashboard__table" data-testid="audit-log">
                <thead><tr>
                    <th>{move || t().audit_time}</th>
                    <th>{move || t().audit_actor}</th>
                    <th>{move || t().audit_action}</th>
                    <th>{move || t().audit_subject}</th>
                    <th>{move || t().audit_change}</th>
                </tr></thead>
                <tbody>
                    {entries.into_iter().map(|entry| {
                        let action = entry.action;
                        view! {
                            <tr data-testid="audit-entry" data-action=action.as_str()>
                                // The admin desk is run from the head office: China time.
                                <td>{format_local_date_time(entry.at, UtcOffset::CHINA)}</td>
                                <td>{entry.actor_name}</td>
                                <td>{move || (t().action_name)(action)}</td>
                                <td><code>{entry.subject}</code></td>
                                <td class="admin__change">
                                    {entry.before.map(|before| view! {
                                        <p><strong>{move || t().audit_before} ": "</strong><code>{before}</code></p>
                                    })}
                                    {entry.after.map(|after| view! {
                                        <p><strong>{move || t().audit_after} ": "</strong><code>{after}</code></p>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
