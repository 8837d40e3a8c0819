use leptos::prelude::*;

use crate::api::today::TodayVisit;
use crate::components::contact_links::{CallLink, MapLink};
use crate::domain::visit::ArrivalRisk;
use crate::i18n::use_i18n;

/// One visit of the day. The card stays short for one-handed scrolling; the
/// fault and appliance open on tap.
#[component]
pub fn VisitCard(visit: TodayVisit) -> impl IntoView {
    let i18n = use_i18n();
    let expanded = RwSignal::new(false);
    let details_id = format!("visit-details-{}", visit.id);
    let visit_link = format!("/visits/{}", visit.id);
    let window_text = visit.window.format_local(visit.utc_offset);
    let risk = visit.risk;
    let card_class = match risk {
        ArrivalRisk::None => "visit-card",
        ArrivalRisk::AtRisk => "visit-card visit-card--at-risk",
        ArrivalRisk::Late => "visit-card visit-card--late",
    };

    view! {
        <li class=card_class data-testid="visit-card" data-risk=format!("{risk:?}")>
            <div class="visit-card__window">
                <span class="visually-hidden">{move || i18n.t().appointment_window}</span>
                <time>{window_text}</time>
                {(risk != ArrivalRisk::None).then(|| view! {
                    <strong class="visit-card__risk" data-testid="late-risk">
                        {move || (i18n.t().arrival_risk)(risk)}
                    </strong>
                })}
            </div>
            <div class="visit-card__body">
                <p class="visit-card__customer">{visit.customer_name}</p>
                <p class="visit-card__address"><MapLink address=visit.customer_address/></p>
                <p class="visit-card__phone"><CallLink phone=visit.customer_phone/></p>
                <a class="button button--primary visit-card__open" href=visit_link data-testid="open-visit">
                    {move || i18n.t().open_visit}
                </a>
                <button
                    type="button"
                    class="button visit-card__toggle"
                    data-testid="visit-toggle"
                    aria-expanded=move || expanded.get().to_string()
                    aria-controls=details_id.clone()
                    on:click=move |_| expanded.update(|open| *open = !*open)
                >
                    {move || if expanded.get() { i18n.t().hide_details } else { i18n.t().show_details }}
                </button>
                <dl class="visit-card__details" id=details_id hidden=move || !expanded.get()>
                    <dt>{move || i18n.t().appliance}</dt>
                    <dd>
                        {move || (i18n.t().appliance_category)(visit.appliance_category)} " "
                        {visit.appliance}
                    </dd>
                    <dt>{move || i18n.t().reported_fault}</dt>
                    <dd>{visit.reported_fault}</dd>
                </dl>
            </div>
        </li>
    }
}
