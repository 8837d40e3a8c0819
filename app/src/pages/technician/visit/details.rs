//! The top of the visit page: who and what, the arrival verdict, the next
//! step's button, and the open items a refused "finish" names.

use leptos::prelude::*;

use super::{use_visit, VisitAction};
use crate::api::error::AppError;
use crate::components::contact_links::{CallLink, MapLink};
use crate::domain::metrics::{punctuality, Grace};
use crate::domain::record::VisitRecord;
use crate::domain::time::{Timestamp, UtcOffset};
use crate::domain::visit::{VisitEvent, VisitStatus};
use crate::i18n::{use_i18n, Locale};

#[component]
pub(super) fn VisitDetails(record: VisitRecord) -> impl IntoView {
    let i18n = use_i18n();
    // The window is shown on the region's clock; China has one offset all year.
    let offset = UtcOffset::CHINA;
    let window = record.visit.window.format_local(offset);
    let status = record.visit.status;
    let verdict = record.visit.times.arrived.map(|arrived| {
        punctuality(
            record.visit.window,
            Some(arrived),
            Grace::NONE,
            Timestamp::now(),
        )
    });
    let address = record.customer.address.as_str().to_string();
    let phone = record.customer.phone.clone();
    let appliance = record.appliance.clone();
    view! {
        <h1 id="visit-title">{record.customer.name.as_str().to_string()}</h1>
        <p class="visit__status" data-testid="visit-status">
            {move || (i18n.t().visit_status)(status)}
        </p>
        {verdict.map(|verdict| view! {
            <p class="visit__verdict" data-testid="arrival-verdict"
                data-verdict=format!("{verdict:?}")>
                {move || (i18n.t().arrival_verdict)(verdict)}
            </p>
        })}
        <dl class="visit__facts">
            <dt>{move || i18n.t().appointment_window}</dt>
            <dd><time>{window}</time></dd>
            <dt>{move || i18n.t().address}</dt>
            <dd><MapLink address/></dd>
            <dt>{move || i18n.t().customer}</dt>
            <dd><CallLink phone/></dd>
            <dt>{move || i18n.t().appliance}</dt>
            <dd>
                {move || (i18n.t().appliance_category)(appliance.category)} " "
                {format!("{} {}", appliance.brand, appliance.model)}
            </dd>
            <dt>{move || i18n.t().reported_fault}</dt>
            <dd>{record.work_order.reported_fault.as_str().to_string()}</dd>
        </dl>
    }
}

#[component]
pub(super) fn NextStep(status: VisitStatus) -> impl IntoView {
    let i18n = use_i18n();
    let visit = use_visit();
    let busy = move || visit.busy();
    let next = match status {
        VisitStatus::Dispatched => Some(VisitEvent::SetOff),
        VisitStatus::OnTheWay => Some(VisitEvent::CheckIn),
        VisitStatus::Arrived => Some(VisitEvent::StartWork),
        VisitStatus::WorkStarted => Some(VisitEvent::FinishWork),
        _ => None,
    };
    view! {
        {next.map(|event| view! {
            <button type="button" class="button button--primary visit__step" data-testid="next-step"
                disabled=busy
                on:click=move |_| visit.act(VisitAction::Step(event))>
                {move || (i18n.t().step_button)(event)}
            </button>
        })}
        {(status == VisitStatus::WorkFinished).then(|| view! {
            <p class="status" data-testid="awaiting-signature">{move || i18n.t().awaiting_signature}</p>
        })}

    }
}

/// The required items a refused "finish" names, by their text in the
/// reader's language.
#[component]
pub(super) fn OpenItems(checklist: crate::domain::checklist::ChecklistTemplate) -> impl IntoView {
    let i18n = use_i18n();
    let failure = use_visit().failure;
    let names = move || match failure.get() {
        Some(AppError::NotReadyToFinish { missing_items, .. }) => checklist
            .items
            .iter()
            .filter(|item| missing_items.contains(&item.key))
            .map(|item| {
                if i18n.locale() == Locale::ZhCn {
                    item.text_zh.clone()
                } else {
                    item.text_en.clone()
                }
            })
            .collect::<Vec<_>>(),
        _ => Vec::new(),
    };
    view! {
        <ul class="visit__open-items" data-testid="open-items">
            {move || names().into_iter().map(|name| view! { <li>{name}</li> }).collect_view()}
        </ul>
    }
}
