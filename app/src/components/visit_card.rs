use leptos::prelude::*;

use crate::api::today::TodayVisit;
use crate::components::contact_links::MapLink;
use crate::domain::time::Timestamp;
use crate::domain::visit::{ArrivalRisk, VisitStatus};
use crate::domain::work_order::WarrantyStatus;
use crate::i18n::{use_i18n, Messages};

/// The chip a visit's status is shown with on the technician's day.
fn status_chip(status: VisitStatus, flagged: bool) -> &'static str {
    match status {
        _ if flagged => "chip chip--danger",
        VisitStatus::Dispatched => "chip",
        VisitStatus::OnTheWay | VisitStatus::Arrived | VisitStatus::WorkStarted => {
            "chip chip--info"
        }
        VisitStatus::WorkFinished => "chip chip--warn",
        VisitStatus::Signed => "chip chip--ok",
        VisitStatus::ClosedUnsigned => "chip chip--warn",
        VisitStatus::Cancelled => "chip",
    }
}

/// How the window stands for a visit still to reach: starting in, left,
/// or over by how many minutes; nothing once the technician is in.
fn window_note(visit: &TodayVisit, now: Timestamp, messages: &'static Messages) -> Option<String> {
    if !matches!(
        visit.status,
        VisitStatus::Dispatched | VisitStatus::OnTheWay
    ) {
        return None;
    }
    let minutes = |from: i64, to: i64| (to - from).div_euclid(60_000);
    let (start, end, now) = (
        visit.window.start().unix_millis(),
        visit.window.end().unix_millis(),
        now.unix_millis(),
    );
    Some(if now < start {
        (messages.visit.starts_in)(minutes(now, start) + 1)
    } else if now <= end {
        (messages.visit.window_left)(minutes(now, end))
    } else {
        (messages.visit.window_over)(minutes(end, now))
    })
}

/// One visit of the day, everything that matters at a glance: the window
/// and how it stands, the status, the appliance, the fault and the
/// warranty, the address for the map and a call button.
#[component]
pub fn VisitCard(visit: TodayVisit) -> impl IntoView {
    let i18n = use_i18n();
    let visit_link = format!("/visits/{}", visit.id);
    let window_text = visit.window.format_local(visit.utc_offset);
    let risk = visit.risk;
    let status = visit.status;
    let flagged = !visit.arrival_flags.is_empty();
    let warranty = visit.warranty;
    let now = Timestamp::now();
    let note_visit = visit.clone();
    let dial = format!("tel:{}", visit.customer_phone.dial_string());
    let phone_text = visit.customer_phone.as_str().to_string();
    let card_class = match risk {
        ArrivalRisk::None => "visit-card",
        ArrivalRisk::AtRisk => "visit-card visit-card--at-risk",
        ArrivalRisk::Late => "visit-card visit-card--late",
    };
    view! {
        <li class=card_class data-testid="visit-card" data-risk=format!("{risk:?}") data-status=status.as_str()>
            <div class="visit-card__top">
                <span class="visually-hidden">{move || i18n.t().appointment_window}</span>
                <time class="visit-card__window">{window_text}</time>
                <span class=status_chip(status, flagged) data-testid="card-status">
                    {move || if flagged { i18n.t().visit.arrival_flagged } else { (i18n.t().visit.card_status)(status) }}
                </span>
                {(risk != ArrivalRisk::None).then(|| view! {
                    <strong class="visit-card__risk" data-testid="late-risk">
                        {move || (i18n.t().arrival_risk)(risk)}
                    </strong>
                })}
                <span class="visit-card__time" data-testid="window-note">
                    {move || window_note(&note_visit, now, i18n.t())}
                </span>
            </div>
            <div class="visit-card__title-row">
                <a class="visit-card__title" href=visit_link data-testid="open-visit">{visit.customer_name}</a>
                <span class=match warranty {
                        WarrantyStatus::InWarranty => "chip chip--ok chip--small",
                        WarrantyStatus::Expired => "chip chip--warn chip--small",
                        WarrantyStatus::Unknown => "chip chip--small",
                    } data-testid="card-warranty">
                    {move || (i18n.t().warranty)(warranty)}
                </span>
            </div>
            <p class="visit-card__what">
                {move || (i18n.t().appliance_category)(visit.appliance_category)} " " {visit.appliance}
                " · " {visit.reported_fault}
            </p>
            <div class="visit-card__actions">
                <span class="visit-card__address"><MapLink address=visit.customer_address/></span>
                <a class="button button--small visit-card__call" href=dial data-testid="call-link"
                    aria-label=move || format!("{} {}", i18n.t().call_customer, phone_text)>
                    {move || i18n.t().visit.call}
                </a>
            </div>
        </li>
    }
}
