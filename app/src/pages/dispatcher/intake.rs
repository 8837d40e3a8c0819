use leptos::html::{Input, Select, Textarea};
use leptos::prelude::*;

use crate::api::customers::{ApplianceOnFile, CustomerMatch};
use crate::api::error::AppError;
use crate::api::work_orders::WorkOrderIntake;
use crate::domain::work_order::Customer;
use crate::domain::work_order::{ApplianceCategory, Channel, FaultCategory, Priority};
use crate::i18n::use_i18n;

/// The fields of a new work order, by the name the server gives a refused
/// one: the refusal names the field by its label.
const FIELDS: [&str; 13] = [
    "customer_name",
    "customer_phone",
    "customer_address",
    "brand",
    "model",
    "serial_number",
    "purchase_date",
    "warranty_end",
    "reported_fault",
    "appointment_start",
    "appointment_end",
    "category",
    "fault_category",
];

/// Taking the customer's call: who, where, which appliance, what is wrong,
/// and the window agreed for the visit. The order is written whole or not
/// at all; a refused field is named and the typed input stays.
#[component]
pub fn IntakeForm(on_taken: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let inputs = FIELDS.map(|_| NodeRef::<Input>::new());
    let fault = NodeRef::<Textarea>::new();
    let selects = [
        NodeRef::<Select>::new(),
        NodeRef::<Select>::new(),
        NodeRef::<Select>::new(),
        NodeRef::<Select>::new(),
    ];
    let failure = RwSignal::new(None::<AppError>);
    let taken = RwSignal::new(false);
    let chosen_customer = RwSignal::new(None::<Customer>);
    let chosen_appliance = RwSignal::new(None::<ApplianceOnFile>);
    let search = NodeRef::<Input>::new();
    let find = Action::new(|query: &String| {
        let query = query.clone();
        async move { crate::serverfns::customers::find_customers(query).await }
    });
    let submit = Action::new(move |intake: &WorkOrderIntake| {
        let intake = intake.clone();
        async move { crate::serverfns::work_orders::create_work_order(intake).await }
    });
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(id)) => {
            failure.set(None);
            taken.set(true);
            // Ready for the next call: nothing of this customer stays typed.
            if let Some(form) = form.get_untracked() {
                form.reset();
            }
            chosen_customer.set(None);
            chosen_appliance.set(None);
            on_taken.run(id);
        }
        Some(Err(error)) => {
            taken.set(false);
            failure.set(Some(error));
        }
        None => {}
    });
    let text = move |index: usize| inputs[index].get().map(|i| i.value()).unwrap_or_default();
    let choice = move |index: usize| selects[index].get().map(|s| s.value()).unwrap_or_default();
    let send = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        // Made here, so a repeated submission is recognised; with no random
        // source the person is told, and nothing is sent.
        let Ok(ids) = (|| -> Result<[String; 3], crate::domain::ids::NoRandomness> {
            use crate::domain::ids::new_id;
            Ok([
                new_id()?.to_string(),
                new_id()?.to_string(),
                new_id()?.to_string(),
            ])
        })() else {
            failure.set(Some(AppError::Internal));
            return;
        };
        let [work_order_id, customer_id, appliance_id] = ids;
        let customer = chosen_customer.get_untracked();
        let appliance = chosen_appliance.get_untracked();
        submit.dispatch(WorkOrderIntake {
            work_order_id,
            existing_customer: customer.is_some(),
            existing_appliance: appliance.is_some(),
            customer_id: customer.map_or(customer_id, |c| c.id.to_string()),
            appliance_id: appliance.map_or(appliance_id, |a| a.appliance.id.to_string()),
            customer_name: text(0),
            customer_phone: text(1),
            customer_address: text(2),
            brand: text(3),
            model: text(4),
            serial_number: text(5),
            purchase_date: text(6),
            warranty_end: text(7),
            reported_fault: fault.get().map(|f| f.value()).unwrap_or_default(),
            appointment_start: text(9),
            appointment_end: text(10),
            category: choice(0),
            fault_category: choice(1),
            channel: choice(2),
            priority: choice(3),
            region_id: String::new(),
        });
    };
    let refused_field = move || match failure.get() {
        Some(AppError::InvalidInput { field, .. }) => Some(field),
        _ => None,
    };
    let field = move |index: usize, kind: &'static str| {
        let name = FIELDS[index];
        // The customer's own fields (0–2) and the appliance's (3–7) give
        // way to a customer or appliance found on file.
        let hidden = move || {
            (index < 3 && chosen_customer.with(Option::is_some))
                || ((3..8).contains(&index) && chosen_appliance.with(Option::is_some))
        };
        view! {
            <label class="intake__field" hidden=hidden>
                <span>{move || (i18n.t().intake_label)(name)}</span>
                <input type=kind name=name node_ref=inputs[index] data-testid=format!("intake-{name}")
                    aria-invalid=move || (refused_field().as_deref() == Some(name)).to_string()/>
            </label>
        }
    };
    view! {
        <form class="intake" node_ref=form on:submit=send aria-labelledby="intake-title" data-testid="intake">
            <h2 id="intake-title">{move || i18n.t().intake_title}</h2>
            <div class="intake__search intake__field--wide">
                <label class="intake__field">
                    <span>{move || i18n.t().search_customer}</span>
                    <input type="search" node_ref=search maxlength="50" data-testid="customer-search"
                        on:keydown=move |event| {
                            if event.key() == "Enter" {
                                event.prevent_default();
                                find.dispatch(search.get().map(|i| i.value()).unwrap_or_default());
                            }
                        }/>
                </label>
                <button type="button" class="button" data-testid="customer-search-button"
                    on:click=move |_| { find.dispatch(search.get().map(|i| i.value()).unwrap_or_default()); }>
                    {move || i18n.t().find}
                </button>
                <ul class="intake__matches">
                    {move || match find.value().get() {
                        Some(Ok(matches)) if matches.is_empty() => view! {
                            <li data-testid="no-customer-found">{i18n.t().no_customer_found}</li>
                        }.into_any(),
                        Some(Ok(matches)) => matches.into_iter().map(|found| view! {
                            <CustomerMatchView found chosen_customer chosen_appliance/>
                        }).collect_view().into_any(),
                        Some(Err(error)) => view! { <li>{error.user_message(i18n.t())}</li> }.into_any(),
                        None => ().into_any(),
                    }}
                </ul>
                {move || chosen_customer.get().map(|customer| view! {
                    <p class="intake__chosen" data-testid="chosen-customer">
                        {i18n.t().chosen_customer} " " {customer.name.to_string()} " · "
                        {customer.phone.as_str().to_string()} " · " {customer.address.to_string()} " "
                        <a href=format!("/customers/{}", customer.id)>{i18n.t().open_customer_file}</a> " "
                        <button type="button" class="button" on:click=move |_| {
                            chosen_customer.set(None);
                            chosen_appliance.set(None);
                        }>{i18n.t().clear_choice}</button>
                    </p>
                })}
                {move || chosen_appliance.get().map(|on_file| view! {
                    <p class="intake__chosen" data-testid="chosen-appliance">
                        {i18n.t().chosen_appliance} " " {appliance_label(&on_file, i18n.t())} " "
                        <button type="button" class="button" on:click=move |_| chosen_appliance.set(None)>
                            {i18n.t().clear_choice}
                        </button>
                    </p>
                })}
            </div>
            {field(0, "text")}
            {field(1, "tel")}
            {field(2, "text")}
            <label class="intake__field" hidden=move || chosen_appliance.with(Option::is_some)>
                <span>{move || (i18n.t().intake_label)("category")}</span>
                <select name="category" node_ref=selects[0] data-testid="intake-category">
                    {ApplianceCategory::ALL.iter().map(|c| {
                        let c = *c;
                        view! { <option value=c.as_str()>{move || (i18n.t().appliance_category)(c)}</option> }
                    }).collect_view()}
                </select>
            </label>
            {field(3, "text")}
            {field(4, "text")}
            {field(5, "text")}
            {field(6, "date")}
            {field(7, "date")}
            <label class="intake__field intake__field--wide">
                <span>{move || (i18n.t().intake_label)("reported_fault")}</span>
                <textarea name="reported_fault" node_ref=fault rows="2" data-testid="intake-reported_fault"
                    aria-invalid=move || (refused_field().as_deref() == Some("reported_fault")).to_string()></textarea>
            </label>
            <label class="intake__field">
                <span>{move || (i18n.t().intake_label)("fault_category")}</span>
                <select name="fault_category" node_ref=selects[1] data-testid="intake-fault_category">
                    {FaultCategory::ALL.iter().map(|c| {
                        let key = c.as_str();
                        view! { <option value=key>{move || (i18n.t().fault_category)(key)}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label class="intake__field">
                <span>{move || (i18n.t().intake_label)("channel")}</span>
                <select name="channel" node_ref=selects[2]>
                    {Channel::ALL.iter().map(|c| {
                        let key = c.as_str();
                        view! { <option value=key>{move || (i18n.t().channel)(key)}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label class="intake__field">
                <span>{move || (i18n.t().intake_label)("priority")}</span>
                <select name="priority" node_ref=selects[3] data-testid="intake-priority">
                    {Priority::ALL.iter().map(|c| {
                        let key = c.as_str();
                        view! { <option value=key>{move || (i18n.t().priority)(key)}</option> }
                    }).collect_view()}
                </select>
            </label>
            {field(9, "datetime-local")}
            {field(10, "datetime-local")}
            <p class="status status--error intake__error" role="alert" data-testid="intake-error"
                hidden=move || failure.with(Option::is_none)>
                {move || failure.get().map(|error| match &error {
                    AppError::InvalidInput { field, .. } => format!(
                        "{}: {}",
                        (i18n.t().intake_label)(field),
                        error.user_message(i18n.t())
                    ),
                    other => other.user_message(i18n.t()),
                })}
            </p>
            <p class="status status--ok" role="status" data-testid="intake-taken">
                {move || taken.get().then(|| i18n.t().order_taken)}
            </p>
            <button type="submit" class="button button--primary" data-testid="intake-submit"
                disabled=move || submit.pending().get()>
                {move || i18n.t().take_order}
            </button>
        </form>
    }
}

/// "洗衣机 小天鹅 TG100V · 在保".
fn appliance_label(on_file: &ApplianceOnFile, messages: &'static crate::i18n::Messages) -> String {
    let appliance = &on_file.appliance;
    format!(
        "{} {} {} · {}",
        (messages.appliance_category)(appliance.category),
        appliance.brand,
        appliance.model,
        (messages.warranty)(on_file.warranty)
    )
}

/// A customer found on file: take them, and one of their appliances or a
/// new one.
#[component]
fn CustomerMatchView(
    found: CustomerMatch,
    chosen_customer: RwSignal<Option<Customer>>,
    chosen_appliance: RwSignal<Option<ApplianceOnFile>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let customer = found.customer.clone();
    let appliances = found
        .appliances
        .into_iter()
        .map(|on_file| {
            let label = appliance_label(&on_file, i18n.t());
            let owner = customer.clone();
            view! {
                <button type="button" class="button" data-testid="use-appliance"
                    on:click=move |_| {
                        chosen_customer.set(Some(owner.clone()));
                        chosen_appliance.set(Some(on_file.clone()));
                    }>
                    {label}
                </button>
            }
        })
        .collect_view();
    let whole = customer.clone();
    view! {
        <li class="intake__match" data-testid="customer-match">
            <span>{format!("{} · {} · {}", customer.name, customer.phone.as_str(), customer.address)}</span>
            <button type="button" class="button" data-testid="use-customer"
                on:click=move |_| {
                    chosen_customer.set(Some(whole.clone()));
                    chosen_appliance.set(None);
                }>
                {move || i18n.t().use_customer}
            </button>
            {appliances}
        </li>
    }
}
