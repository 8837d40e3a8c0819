use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::components::load_failure::load_failure;
use crate::i18n::use_i18n;
use crate::serverfns::customers::{get_customer_file, CustomerFile};

/// One customer in one place: appliances and their warranty, every visit
/// with its outcome and the ratings given, and complaints.
#[component]
pub fn CustomerPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let file = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        get_customer_file,
    );
    view! {
        <section class="customer-file" aria-labelledby="customer-title">
            <p class="visit__back"><a href="/desk">{move || i18n.t().desk_title}</a></p>
            <Suspense fallback=move || view! { <p class="status">{move || i18n.t().loading}</p> }>
                {move || Suspend::new(async move {
                    match file.await {
                        Ok(file) => view! { <FileView file/> }.into_any(),
                        Err(error) => load_failure(error),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn FileView(file: CustomerFile) -> impl IntoView {
    let i18n = use_i18n();
    let customer = file.customer;
    let appliances = file
        .appliances
        .into_iter()
        .map(|on_file| {
            let (category, warranty) = (on_file.appliance.category, on_file.warranty);
            view! {
                <li data-testid="file-appliance">
                    {move || (i18n.t().appliance_category)(category)} " "
                    {format!("{} {} · {} · ", on_file.appliance.brand, on_file.appliance.model, on_file.appliance.serial_number)}
                    {move || (i18n.t().warranty)(warranty)}
                </li>
            }
        })
        .collect_view();
    let visits = file
        .visits
        .into_iter()
        .map(|visit| {
            let (status, fixed, ratings) = (visit.status, visit.fixed, visit.ratings);
            view! {
                <tr data-testid="file-visit">
                    <td><a href=format!("/visits/{}/record", visit.id)>{visit.window.format_local_with_date(visit.utc_offset)}</a></td>
                    <td>{visit.appliance} " · " {visit.reported_fault}</td>
                    <td>{move || (i18n.t().visit_status)(status)}
                        {move || fixed.map(|fixed| format!(" · {}", if fixed { i18n.t().outcome_fixed } else { i18n.t().outcome_not_fixed }))}</td>
                    <td>{visit.technician_name.unwrap_or_default()}</td>
                    <td>{move || ratings.map(|r| (i18n.t().ratings_short)(&r)).unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    let no_complaints = file.complaints.is_empty();
    let complaints = file
        .complaints
        .into_iter()
        .map(|complaint| {
            view! {
                <li data-testid="file-complaint">
                    {crate::domain::time::format_local_date_time(complaint.received_at, crate::domain::time::UtcOffset::CHINA)}
                    " · " {complaint.description}
                </li>
            }
        })
        .collect_view();
    view! {
        <h1 id="customer-title">{move || i18n.t().customer_file_title} " · " {customer.name.to_string()}</h1>
        <p>{customer.phone.as_str().to_string()} " · " {customer.address.to_string()}</p>
        <h2>{move || i18n.t().appliances_title}</h2>
        <ul>{appliances}</ul>
        <h2>{move || i18n.t().visits_title}</h2>
        <table class="customer-file__visits"><tbody>{visits}</tbody></table>
        <h2>{move || i18n.t().complaints_title}</h2>
        {no_complaints.then(|| view! { <p class="status">{move || i18n.t().no_complaints}</p> })}
        <ul>{complaints}</ul>
    }
}
