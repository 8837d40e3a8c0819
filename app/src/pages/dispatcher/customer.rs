use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::customers::{CustomerComplaint, CustomerFile};
use crate::api::error::AppError;
use crate::components::load_failure::load_failure;
use crate::i18n::use_i18n;
use crate::serverfns::complaints::take_phone_complaint;
use crate::serverfns::customers::get_customer_file;

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
                    <span translate="no">{format!("{} {} · {}", on_file.appliance.brand, on_file.appliance.model, on_file.appliance.serial_number)}</span>
                    " · "
                    {move || (i18n.t().warranty)(warranty)}
                </li>
            }
        })
        .collect_view();
    // The work orders of the customer's services, newest first, once each.
    let mut orders: Vec<(String, String)> = Vec::new();
    for visit in &file.visits {
        if !orders.iter().any(|(id, _)| *id == visit.work_order_id) {
            orders.push((
                visit.work_order_id.clone(),
                format!(
                    "{} · {} · {}",
                    visit.window.format_local_with_date(visit.utc_offset),
                    visit.appliance,
                    visit.reported_fault
                ),
            ));
        }
    }
    let visits = file
        .visits
        .into_iter()
        .map(|visit| {
            let (status, fixed, ratings) = (visit.status, visit.fixed, visit.ratings);
            view! {
                <tr data-testid="file-visit">
                    <td><a href=format!("/visits/{}/record", visit.id)>{visit.window.format_local_with_date(visit.utc_offset)}</a></td>
                    <td translate="no">{visit.appliance} " · " {visit.reported_fault}</td>
                    <td>{move || (i18n.t().visit_status)(status)}
                        {move || fixed.map(|fixed| format!(" · {}", if fixed { i18n.t().outcome_fixed } else { i18n.t().outcome_not_fixed }))}</td>
                    <td translate="no">{visit.technician_name.unwrap_or_default()}</td>
                    <td>{move || ratings.map(|r| (i18n.t().ratings_short)(&r)).unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    // Newest first, as the file lists them; one taken here is added at once.
    let complaints = RwSignal::new(file.complaints);
    let complaint_list = move || {
        complaints
            .get()
            .into_iter()
            .map(|complaint| {
                view! {
                    <li data-testid="file-complaint">
                        {crate::domain::time::format_local_date_time(complaint.received_at, crate::domain::time::UtcOffset::CHINA)}
                        " · " <span translate="no">{complaint.description}</span>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <h1 id="customer-title">{move || i18n.t().customer_file_title} " · " <span translate="no">{customer.name.to_string()}</span></h1>
        <p translate="no">{customer.phone.as_str().to_string()} " · " {customer.address.to_string()}</p>
        <h2>{move || i18n.t().appliances_title}</h2>
        <ul>{appliances}</ul>
        <h2>{move || i18n.t().visits_title}</h2>
        <table class="dashboard__table customer-file__visits">
            <thead><tr>
                {(0..5).map(|column| view! { <th scope="col">{move || i18n.t().file_visit_columns[column]}</th> }).collect_view()}
            </tr></thead>
            <tbody>{visits}</tbody>
        </table>
        <h2>{move || i18n.t().complaints_title}</h2>
        <p class="status" hidden=move || complaints.with(|all| !all.is_empty())>{move || i18n.t().no_complaints}</p>
        <ul>{complaint_list}</ul>
        {(!orders.is_empty()).then(|| view! { <TakeComplaint orders complaints/> })}
    }
}

/// A complaint the customer makes on the phone, taken by the dispatcher who
/// answers (and who owns it from then on).
#[component]
fn TakeComplaint(
    orders: Vec<(String, String)>,
    complaints: RwSignal<Vec<CustomerComplaint>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let order = RwSignal::new(orders.first().map(|(id, _)| id.clone()).unwrap_or_default());
    let description = RwSignal::new(String::new());
    let take = Action::new(move |(order, description): &(String, String)| {
        let (order, description) = (order.clone(), description.clone());
        async move {
            let id = take_phone_complaint(order, description.clone()).await?;
            Ok::<_, AppError>(CustomerComplaint {
                id,
                source: "phone".into(),
                received_at: crate::domain::time::Timestamp::now(),
                description: description.trim().to_string(),
            })
        }
    });
    let result = take.value();
    Effect::new(move |_| {
        if let Some(Ok(taken)) = result.get() {
            description.set(String::new());
            complaints.update(|all| all.insert(0, taken));
        }
    });
    view! {
        <form class="take-complaint" data-testid="take-complaint"
            on:submit=move |event| {
                event.prevent_default();
                take.dispatch((order.get_untracked(), description.get_untracked()));
            }>
            <h2>{move || i18n.t().take_complaint_title}</h2>
            <label>{move || i18n.t().take_complaint_order}
                <select data-testid="complaint-order" on:change=move |event| order.set(event_target_value(&event))>
                    {orders.into_iter().map(|(id, label)| view! { <option value=id translate="no">{label}</option> }).collect_view()}
                </select>
            </label>
            <label>{move || i18n.t().take_complaint_description}
                <textarea rows="3" maxlength="2000" data-testid="complaint-description"
                    prop:value=move || description.get()
                    on:input=move |event| description.set(event_target_value(&event))></textarea>
            </label>
            <button type="submit" class="button button--primary" data-testid="take-complaint-submit"
                disabled=move || take.pending().get()>
                {move || i18n.t().take_complaint_submit}
            </button>
            {move || result.get().map(|answer| match answer {
                Ok(_) => view! { <p class="status status--ok" role="status" data-testid="complaint-taken">
                    {move || i18n.t().complaint_taken} " " <a href="/queue">{move || i18n.t().open_follow_up}</a></p> }.into_any(),
                Err(error) => view! { <p class="status status--error" role="alert" data-testid="complaint-error">
                    {error.user_message(i18n.t())}</p> }.into_any(),
            })}
        </form>
    }
}
