//! The top of the visit page: who and what, the status, the arrival
//! verdict and anything that casts doubt on the arrival, the warranty.

use leptos::prelude::*;

use crate::components::contact_links::{CallLink, MapLink};
use crate::domain::metrics::{punctuality, Grace};
use crate::domain::record::VisitRecord;
use crate::domain::time::{Timestamp, UtcOffset};
use crate::domain::work_order::WarrantyStatus;
use crate::i18n::use_i18n;

/// The chip class a warranty status is shown with.
pub(super) fn warranty_chip(status: WarrantyStatus) -> &'static str {
    match status {
        WarrantyStatus::InWarranty => "chip chip--ok",
        WarrantyStatus::Expired => "chip chip--warn",
        WarrantyStatus::Unknown => "chip",
    }
}

#[component]
pub(super) fn VisitDetails(record: VisitRecord) -> impl IntoView {
    let i18n = use_i18n();
    // The window is shown on the region's clock; China has one offset all year.
    let offset = UtcOffset::CHINA;
    let status = record.visit.status;
    let verdict = record.visit.times.arrived.map(|arrived| {
        punctuality(
            record.visit.window,
            Some(arrived),
            Grace::NONE,
            Timestamp::now(),
        )
    });
    let flags = record.arrival_check.flags.clone();
    let warranty = record
        .appliance
        .warranty_at(record.visit.window.start(), offset);
    view! {
        <header class="visit__head">
            <p class="visit__back"><a class="link" href="/">{move || i18n.t().back_to_today}</a></p>
            <h1 id="visit-title" tabindex="-1">{record.customer.name.as_str().to_string()}</h1>
            <p class="visit__chips">
                <span class="chip chip--info" data-testid="visit-status">
                    {move || (i18n.t().visit_status)(status)}
                </span>
                {verdict.map(|verdict| view! {
                    <span class="chip" data-testid="arrival-verdict" data-verdict=format!("{verdict:?}")>
                        {move || (i18n.t().arrival_verdict)(verdict)}
                    </span>
                })}
                {(!flags.is_empty()).then(|| {
                    let flags = flags.clone();
                    view! {
                        <span class="chip chip--danger" data-testid="arrival-flagged"
                            title={move || {
                                let visit = &i18n.t().visit;
                                let named: Vec<_> = flags.iter().map(|&f| (visit.arrival_flag)(f)).collect();
                                (visit.list_of)(&named)
                            }}>
                            {move || i18n.t().visit.arrival_flagged}
                        </span>
                    }
                })}
                <span class=warranty_chip(warranty) data-testid="warranty" data-warranty=format!("{warranty:?}")>
                    {move || (i18n.t().warranty)(warranty)}
                </span>
            </p>
        </header>
    }
}

/// Where, when, what and whom to call: the arrival stage's facts.
#[component]
pub(super) fn VisitFacts(record: VisitRecord) -> impl IntoView {
    let i18n = use_i18n();
    let window = record.visit.window.format_local(UtcOffset::CHINA);
    let address = record.customer.address.as_str().to_string();
    let phone = record.customer.phone.clone();
    let appliance = record.appliance.clone();
    view! {
            <dl class="visit__facts" data-testid="visit-facts">
                <dt>{move || i18n.t().appointment_window}</dt>
                <dd><time>{window}</time></dd>
                <dt>{move || i18n.t().appliance}</dt>
                <dd>
                    {move || (i18n.t().appliance_category)(appliance.category)} " "
                    {format!("{} {}", appliance.brand, appliance.model)}
                </dd>
                <dt>{move || i18n.t().reported_fault}</dt>
                <dd>{record.work_order.reported_fault.as_str().to_string()}</dd>
                <dt>{move || i18n.t().address}</dt>
                <dd><MapLink address/></dd>
                <dt>{move || i18n.t().customer}</dt>
                <dd><CallLink phone/></dd>
            </dl>
    }
}
