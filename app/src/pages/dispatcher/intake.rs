use leptos::html::{Input, Select, Textarea};
use leptos::prelude::*;

use crate::api::customers::{ApplianceOnFile, CustomerMatch, VerifiedPlace};
use crate::api::error::{AppError, InputProblem};
use crate::api::work_orders::WorkOrderIntake;
use crate::domain::ids::RecordId;
use crate::domain::time::format_local_date_time;
use crate::domain::validation::Coordinates;
use crate::domain::work_order::{order_number, Customer};
use crate::domain::work_order::{ApplianceCategory, Channel, FaultCategory, Priority};
use crate::i18n::use_i18n;

/// The typed fields of a new work order, in the form's order, by the name
/// a refusal gives them, with their input type.
const TYPED: [(&str, &str); 12] = [
    ("customer_name", "text"),
    ("customer_phone", "tel"),
    ("customer_address", "text"),
    ("customer_location", "text"),
    ("brand", "text"),
    ("model", "text"),
    ("serial_number", "text"),
    ("purchase_date", "date"),
    ("warranty_end", "date"),
    ("appointment_start", "datetime-local"),
    ("appointment_end", "datetime-local"),
    // Not an <input>: the fault is a text area, kept here for its place in
    // the order of problems and focus.
    ("reported_fault", "textarea"),
];

/// Fields whose problem the form shows under them: the typed ones and the
/// choices.
fn is_shown_field(field: &str) -> bool {
    TYPED.iter().any(|(name, _)| *name == field)
        || ["category", "fault_category", "channel", "priority"].contains(&field)
}

/// "31.2304, 121.4737", as the place field takes it.
fn typed_place(place: Coordinates) -> String {
    format!("{:.5}, {:.5}", place.latitude(), place.longitude())
}

/// What was sent, for the confirmation once the order is taken.
#[derive(Clone, Debug, PartialEq)]
struct Taken {
    number: String,
    customer: String,
    window: String,
}

/// Taking the customer's call: who, where, which appliance, what is wrong,
/// and the window agreed for the visit. Every field's problem is shown
/// under it at once and goes when the field is changed; nothing is sent
/// until all are right. The order is written whole or not at all.
#[component]
pub fn IntakeForm(on_taken: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let inputs = TYPED.map(|_| NodeRef::<Input>::new());
    let fault = NodeRef::<Textarea>::new();
    let selects = [
        NodeRef::<Select>::new(),
        NodeRef::<Select>::new(),
        NodeRef::<Select>::new(),
        NodeRef::<Select>::new(),
    ];
    // Each field's problem, by field name; a problem the form cannot place
    // next to a field (a conflict, the network) is `other`.
    let problems = RwSignal::new(Vec::<(String, InputProblem)>::new());
    let other = RwSignal::new(None::<AppError>);
    let taken = RwSignal::new(None::<Taken>);
    let sent = RwSignal::new(None::<Taken>);
    let chosen_customer = RwSignal::new(None::<Customer>);
    let chosen_places = RwSignal::new(Vec::<VerifiedPlace>::new());
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
    let index_of = |field: &str| TYPED.iter().position(|(name, _)| *name == field);
    let focus_field = move |field: &str| match index_of(field) {
        Some(11) => {
            if let Some(area) = fault.get_untracked() {
                let _ = area.focus();
            }
        }
        Some(index) => {
            if let Some(input) = inputs[index].get_untracked() {
                let _ = input.focus();
            }
        }
        None => {}
    };
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(id)) => {
            problems.set(Vec::new());
            other.set(None);
            taken.set(sent.get_untracked());
            // Ready for the next call: nothing of this customer stays typed.
            if let Some(form) = form.get_untracked() {
                form.reset();
            }
            chosen_customer.set(None);
            chosen_places.set(Vec::new());
            chosen_appliance.set(None);
            on_taken.run(id);
        }
        Some(Err(AppError::InvalidInput {
            field,
            problem: Some(problem),
            ..
        })) if is_shown_field(&field) => {
            taken.set(None);
            focus_field(&field);
            problems.set(vec![(field, problem)]);
        }
        Some(Err(error)) => {
            taken.set(None);
            other.set(Some(error));
        }
        None => {}
    });
    let text = move |index: usize| {
        inputs[index]
            .get_untracked()
            .map(|i| i.value())
            .unwrap_or_default()
    };
    let choice = move |index: usize| {
        selects[index]
            .get_untracked()
            .map(|s| s.value())
            .unwrap_or_default()
    };
    let send = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        taken.set(None);
        other.set(None);
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
            other.set(Some(AppError::Internal));
            return;
        };
        let [work_order_id, customer_id, appliance_id] = ids;
        let customer = chosen_customer.get_untracked();
        let appliance = chosen_appliance.get_untracked();
        let customer_name = customer
            .as_ref()
            .map_or_else(|| text(0), |c| c.name.to_string());
        let intake = WorkOrderIntake {
            work_order_id,
            existing_customer: customer.is_some(),
            existing_appliance: appliance.is_some(),
            customer_id: customer.map_or(customer_id, |c| c.id.to_string()),
            appliance_id: appliance.map_or(appliance_id, |a| a.appliance.id.to_string()),
            customer_name: text(0),
            customer_phone: text(1),
            customer_address: text(2),
            customer_location: text(3),
            brand: text(4),
            model: text(5),
            serial_number: text(6),
            purchase_date: text(7),
            warranty_end: text(8),
            appointment_start: text(9),
            appointment_end: text(10),
            reported_fault: fault.get_untracked().map(|f| f.value()).unwrap_or_default(),
            category: choice(0),
            fault_category: choice(1),
            channel: choice(2),
            priority: choice(3),
            region_id: String::new(),
        };
        match intake.fields() {
            Err(found) => {
                if let Some(first) = found.first() {
                    focus_field(first.field);
                }
                problems.set(
                    found
                        .iter()
                        .map(|p| (p.field.to_string(), InputProblem::from(&p.problem)))
                        .collect(),
                );
            }
            Ok(_) => {
                problems.set(Vec::new());
                sent.set(Some(Taken {
                    number: RecordId::parse("work_order_id", &intake.work_order_id)
                        .map(|id| order_number(&id))
                        .unwrap_or_default(),
                    customer: customer_name,
                    window: format!(
                        "{}–{}",
                        intake.appointment_start.replace('T', " "),
                        intake
                            .appointment_end
                            .split_once('T')
                            .map_or(intake.appointment_end.as_str(), |(_, time)| time),
                    ),
                }));
                submit.dispatch(intake);
            }
        }
    };
    let problem_of = move |name: &'static str| {
        problems.with(|all| {
            all.iter()
                .find(|(field, _)| field == name)
                .map(|(_, p)| p.clone())
        })
    };
    let clear = move |name: &'static str| {
        problems.update(|all| all.retain(|(field, _)| field != name));
    };
    // The problem under a field, in the reader's language.
    let field_error = move |name: &'static str| {
        view! {
            <p class="field-error" id=format!("intake-{name}-error") data-testid=format!("intake-{name}-error")
                hidden=move || problem_of(name).is_none()>
                {move || problem_of(name).map(|problem| (i18n.t().intake.problem)(name, &problem))}
            </p>
        }
    };
    let field = move |index: usize| {
        let (name, kind) = TYPED[index];
        // The customer's own fields give way to a customer found on file,
        // the appliance's to an appliance on file; the place stays for a
        // customer on file with none.
        let hidden = move || match name {
            "customer_location" => {
                chosen_customer.with(|c| c.as_ref().is_some_and(|c| c.coordinates.is_some()))
            }
            "customer_name" | "customer_phone" | "customer_address" => {
                chosen_customer.with(Option::is_some)
            }
            "brand" | "model" | "serial_number" | "purchase_date" | "warranty_end" => {
                chosen_appliance.with(Option::is_some)
            }
            _ => false,
        };
        let hint = (name == "customer_location").then(|| {
            view! {
                <p class="field-hint" id="intake-customer_location-hint">{move || i18n.t().intake.location_hint}</p>
                <div class="intake__places">
                    {move || chosen_places.get().into_iter().map(|verified| {
                        let typed = typed_place(verified.place);
                        let date = format_local_date_time(verified.signed_at, verified.utc_offset);
                        let label = typed.clone();
                        view! {
                            <button type="button" class="button button--small" data-testid="use-verified-place"
                                on:click=move |_| {
                                    if let Some(input) = inputs[3].get_untracked() {
                                        input.set_value(&typed);
                                    }
                                    clear("customer_location");
                                }>
                                {move || (i18n.t().intake.use_place)(&date, &label)}
                            </button>
                        }
                    }).collect_view()}
                </div>
            }
        });
        let described_by = if name == "customer_location" {
            format!("intake-{name}-hint intake-{name}-error")
        } else {
            format!("intake-{name}-error")
        };
        view! {
            <div class="intake__field" hidden=hidden>
                <label for=format!("intake-{name}")>{move || (i18n.t().intake_label)(name)}</label>
                <input type=kind id=format!("intake-{name}") name=name node_ref=inputs[index]
                    data-testid=format!("intake-{name}")
                    placeholder=(name == "customer_location").then_some("31.2304, 121.4737")
                    aria-describedby=described_by
                    aria-invalid=move || problem_of(name).is_some().to_string()
                    on:input=move |_| clear(name)/>
                {field_error(name)}
                {hint}
            </div>
        }
    };
    let select = move |index: usize, name: &'static str, options: AnyView| {
        view! {
            <div class="intake__field" hidden=move || name == "category" && chosen_appliance.with(Option::is_some)>
                <label for=format!("intake-{name}")>{move || (i18n.t().intake_label)(name)}</label>
                <select id=format!("intake-{name}") name=name node_ref=selects[index] data-testid=format!("intake-{name}")
                    aria-describedby=format!("intake-{name}-error")
                    aria-invalid=move || problem_of(name).is_some().to_string()
                    on:change=move |_| clear(name)>
                    {options}
                </select>
                {field_error(name)}
            </div>
        }
    };
    let choose = Callback::new(
        move |(found, appliance): (CustomerMatch, Option<ApplianceOnFile>)| {
            chosen_places.set(found.verified_places);
            chosen_customer.set(Some(found.customer));
            chosen_appliance.set(appliance);
            problems.set(Vec::new());
        },
    );
    let problem_count = move || problems.with(Vec::len);
    view! {
        <form class="intake" node_ref=form on:submit=send aria-labelledby="intake-title" data-testid="intake" novalidate>
            <h2 id="intake-title">{move || i18n.t().intake_title}</h2>
            <div class="intake__search">
                <div class="intake__field">
                    <label for="intake-customer-search">{move || i18n.t().search_customer}</label>
                    <input type="search" id="intake-customer-search" node_ref=search maxlength="50" data-testid="customer-search"
                        on:keydown=move |event| {
                            if event.key() == "Enter" {
                                event.prevent_default();
                                find.dispatch(search.get().map(|i| i.value()).unwrap_or_default());
                            }
                        }/>
                </div>
                <button type="button" class="button" data-testid="customer-search-button"
                    on:click=move |_| { find.dispatch(search.get().map(|i| i.value()).unwrap_or_default()); }>
                    {move || i18n.t().find}
                </button>
            </div>
            <ul class="intake__matches">
                {move || match find.value().get() {
                    Some(Ok(matches)) if matches.is_empty() => view! {
                        <li data-testid="no-customer-found">{i18n.t().no_customer_found}</li>
                    }.into_any(),
                    Some(Ok(matches)) => matches.into_iter().map(|found| view! {
                        <CustomerMatchView found choose/>
                    }).collect_view().into_any(),
                    Some(Err(error)) => view! { <li class="field-error">{error.user_message(i18n.t())}</li> }.into_any(),
                    None => ().into_any(),
                }}
            </ul>
            {move || chosen_customer.get().map(|customer| view! {
                <div class="intake__chosen" data-testid="chosen-customer">
                    <p>
                        {move || i18n.t().chosen_customer} " " <strong translate="no">{customer.name.to_string()}</strong>
                        " · " {customer.phone.as_str().to_string()}
                    </p>
                    <p translate="no">{customer.address.to_string()}</p>
                    {customer.coordinates.map(|place| view! {
                        <p class="intake__place">{move || (i18n.t().intake.place_on_file)(&typed_place(place))}</p>
                    })}
                    <p class="intake__chosen-actions">
                        <a class="link" href=format!("/customers/{}", customer.id)>{move || i18n.t().open_customer_file}</a>
                        <button type="button" class="button button--small" on:click=move |_| {
                            chosen_customer.set(None);
                            chosen_places.set(Vec::new());
                            chosen_appliance.set(None);
                        }>{move || i18n.t().clear_choice}</button>
                    </p>
                </div>
            })}
            {move || chosen_appliance.get().map(|on_file| view! {
                <p class="intake__chosen" data-testid="chosen-appliance">
                    {move || i18n.t().chosen_appliance} " " {appliance_label(&on_file, i18n.t())} " "
                    <button type="button" class="button button--small" on:click=move |_| chosen_appliance.set(None)>
                        {move || i18n.t().clear_choice}
                    </button>
                </p>
            })}
            {field(0)}
            {field(1)}
            {field(2)}
            {field(3)}
            {select(0, "category", ApplianceCategory::ALL.iter().map(|c| {
                let c = *c;
                view! { <option value=c.as_str()>{move || (i18n.t().appliance_category)(c)}</option> }
            }).collect_view().into_any())}
            {field(4)}
            {field(5)}
            {field(6)}
            {field(7)}
            {field(8)}
            <div class="intake__field">
                <label for="intake-reported_fault">{move || (i18n.t().intake_label)("reported_fault")}</label>
                <textarea id="intake-reported_fault" name="reported_fault" node_ref=fault rows="3"
                    data-testid="intake-reported_fault" aria-describedby="intake-reported_fault-error"
                    aria-invalid=move || problem_of("reported_fault").is_some().to_string()
                    on:input=move |_| clear("reported_fault")></textarea>
                {field_error("reported_fault")}
            </div>
            {select(1, "fault_category", FaultCategory::ALL.iter().map(|c| {
                let key = c.as_str();
                view! { <option value=key>{move || (i18n.t().fault_category)(key)}</option> }
            }).collect_view().into_any())}
            {select(2, "channel", Channel::ALL.iter().map(|c| {
                let key = c.as_str();
                view! { <option value=key>{move || (i18n.t().channel)(key)}</option> }
            }).collect_view().into_any())}
            {select(3, "priority", Priority::ALL.iter().map(|c| {
                let key = c.as_str();
                view! { <option value=key>{move || (i18n.t().priority)(key)}</option> }
            }).collect_view().into_any())}
            {field(9)}
            {field(10)}
            <p class="status status--error intake__error" role="alert" data-testid="intake-error"
                hidden=move || problem_count() == 0 && other.with(Option::is_none)>
                {move || match other.get() {
                    Some(error) => error.user_message(i18n.t()),
                    None => (i18n.t().intake.fields_to_fix)(problem_count()),
                }}
            </p>
            <button type="submit" class="button button--primary" data-testid="intake-submit"
                disabled=move || submit.pending().get()>
                {move || i18n.t().take_order}
            </button>
            <div class="intake__taken" role="status" data-testid="intake-taken">
                {move || taken.get().map(|taken| view! {
                    <p>
                        <span class="intake__number" data-testid="intake-order-number"
                            title=move || i18n.t().intake.order_number>{taken.number.clone()}</span>
                    </p>
                    <p>{move || (i18n.t().intake.order_taken)(&taken.number, &taken.customer, &taken.window)}</p>
                    <p class="field-hint">{move || i18n.t().intake.next_call}</p>
                })}
            </div>
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
    choose: Callback<(CustomerMatch, Option<ApplianceOnFile>)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let customer = found.customer.clone();
    let appliances = found
        .appliances
        .iter()
        .cloned()
        .map(|on_file| {
            let label = appliance_label(&on_file, i18n.t());
            let found = found.clone();
            view! {
                <button type="button" class="button button--small" data-testid="use-appliance"
                    on:click=move |_| choose.run((found.clone(), Some(on_file.clone())))>
                    {label}
                </button>
            }
        })
        .collect_view();
    view! {
        <li class="intake__match" data-testid="customer-match">
            <span translate="no">{format!("{} · {} · {}", customer.name, customer.phone.as_str(), customer.address)}</span>
            <button type="button" class="button button--small" data-testid="use-customer"
                on:click=move |_| choose.run((found.clone(), None))>
                {move || i18n.t().use_customer}
            </button>
            {appliances}
        </li>
    }
}
