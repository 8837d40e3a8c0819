use leptos::prelude::*;

use crate::api::admin::{IssuedCode, PeopleDesk};
use crate::api::error::AppError;
use crate::components::load_failure::load_failure;
use crate::domain::admin::{PersonForm, PersonRecord};
use crate::domain::auth::Role;
use crate::domain::technician::WorkingHours;
use crate::domain::work_order::ApplianceCategory;
use crate::i18n::{use_i18n, Messages};
use crate::serverfns::admin::{
    create_person, edit_person, get_people, issue_password_code, set_person_active,
};

/// What the admin did last, for the line under the form.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Done {
    Saved,
    /// A code to hand over, with whose it is.
    Code {
        name: String,
        code: IssuedCode,
    },
}

/// Every account, a form to create or edit one, and each account's
/// switches: edit, deactivate or reactivate, a new one-time code.
#[component]
pub fn PeopleSection(changes: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let desk = Resource::new(move || changes.get(), |_| get_people());
    let form = RwSignal::new(new_person_form());
    let editing = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<Done>);
    let failure = RwSignal::new(None::<AppError>);
    let changed = move |result: Result<Done, AppError>| match result {
        Ok(outcome) => {
            failure.set(None);
            done.set(Some(outcome));
            changes.update(|n| *n += 1);
        }
        Err(error) => {
            done.set(None);
            failure.set(Some(error));
        }
    };

    let save = Action::new(move |(id, person): &(Option<String>, PersonForm)| {
        let (id, person) = (id.clone(), person.clone());
        async move {
            match id {
                Some(id) => edit_person(id, person).await.map(|_| Done::Saved),
                None => create_person(person).await.map(|created| Done::Code {
                    name: created.person.person.name.as_str().to_owned(),
                    code: created.code,
                }),
            }
        }
    });
    Effect::new(move |_| {
        if let Some(result) = save.value().get() {
            if result.is_ok() {
                editing.set(None);
                form.set(new_person_form());
            }
            changed(result);
        }
    });
    let switch = Action::new(move |(id, active): &(String, bool)| {
        let (id, active) = (id.clone(), *active);
        async move { set_person_active(id, active).await.map(|_| Done::Saved) }
    });
    Effect::new(move |_| {
        if let Some(result) = switch.value().get() {
            changed(result);
        }
    });
    let issue = Action::new(move |(id, name): &(String, String)| {
        let (id, name) = (id.clone(), name.clone());
        async move {
            issue_password_code(id)
                .await
                .map(|code| Done::Code { name, code })
        }
    });
    Effect::new(move |_| {
        if let Some(result) = issue.value().get() {
            changed(result);
        }
    });

    let on_edit = Callback::new(move |person: PersonRecord| {
        form.set(PersonForm::of(&person.person));
        editing.set(Some(person.id));
        done.set(None);
        failure.set(None);
    });
    let on_switch = Callback::new(move |(id, active): (String, bool)| {
        switch.dispatch((id, active));
    });
    let on_issue = Callback::new(move |(id, name): (String, String)| {
        issue.dispatch((id, name));
    });

    view! {
        <section class="admin__people" aria-labelledby="people-title">
            <h2 id="people-title">{move || i18n.t().admin.people_title}</h2>
            <div class="status status--error" role="alert" data-testid="admin-error"
                hidden=move || failure.with(Option::is_none)>
                {move || failure.get().map(|error| error.user_message(i18n.t()))}
            </div>
            {move || done.get().map(|outcome| match outcome {
                Done::Saved => view! {
                    <p class="status status--ok" role="status" data-testid="admin-saved">
                        {move || i18n.t().admin.saved}</p>
                }.into_any(),
                Done::Code { name, code } => {
                    let shown = code.code.clone();
                    view! {
                    <div class="status status--ok admin__code" role="status">
                        <p data-testid="issued-code-line">
                            {move || (i18n.t().admin.code_for)(&name, &code.login, &code.code)}
                        </p>
                        <p class="admin__code-value" data-testid="issued-code">{shown}</p>
                        <p>{move || i18n.t().admin.code_hint}</p>
                    </div>
                }.into_any()
                }
            })}
            <div class="desk__columns">
                <Transition fallback=move || view! { <p class="status">{move || i18n.t().loading}</p> }>
                    {move || Suspend::new(async move {
                        match desk.await {
                            Ok(desk) => view! {
                                <PersonEditor desk=desk.clone() form editing failure save/>
                            }.into_any(),
                            Err(error) => load_failure(error),
                        }
                    })}
                </Transition>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        desk.await.ok().map(|desk| view! {
                            <PeopleTable people=desk.people viewer_id=desk.viewer_id on_edit on_switch on_issue/>
                        })
                    })}
                </Transition>
            </div>
        </section>
    }
}

/// A blank form: a technician on the day shift, every brand.
fn new_person_form() -> PersonForm {
    let (working_from, working_until) = WorkingHours::DAY_SHIFT.clock_times();
    PersonForm {
        role: Role::Technician.as_str().to_owned(),
        working_from,
        working_until,
        ..PersonForm::default()
    }
}

type SaveAction = Action<(Option<String>, PersonForm), Result<Done, AppError>>;

/// One text input of the form, marked when the server named it.
fn text_field(
    label: fn(&'static Messages) -> &'static str,
    name: &'static str,
    form: RwSignal<PersonForm>,
    get: fn(&PersonForm) -> &String,
    set: fn(&mut PersonForm, String),
    bad_field: Signal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="intake__field">{move || label(i18n.t())}
            <input type="text" name=name data-testid=format!("person-{name}")
                aria-invalid=move || (bad_field.get().as_deref() == Some(name)).to_string()
                prop:value=move || form.with(|f| get(f).clone())
                on:input=move |event| form.update(|f| set(f, event_target_value(&event)))/>
        </label>
    }
}

#[component]
fn PersonEditor(
    desk: PeopleDesk,
    form: RwSignal<PersonForm>,
    editing: RwSignal<Option<String>>,
    failure: RwSignal<Option<AppError>>,
    save: SaveAction,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().admin;
    let bad_field = Signal::derive(move || match failure.get() {
        Some(AppError::InvalidInput { field, .. }) => Some(field),
        _ => None,
    });
    let marked = move |name: &'static str| (bad_field.get().as_deref() == Some(name)).to_string();
    let is_technician = move || form.with(|f| f.role == Role::Technician.as_str());
    let needs_region = move || form.with(|f| f.role != Role::Admin.as_str());
    let regions = desk.regions.clone();
    let points = desk.points.clone();
    view! {
        <form class="intake admin__form" data-testid="person-form" novalidate=true
            on:submit=move |event| {
                event.prevent_default();
                save.dispatch((editing.get_untracked(), form.get_untracked()));
            }>
            <h3>{move || if editing.with(Option::is_some) { t().edit_person } else { t().new_person }}</h3>
            {text_field(|m| m.admin.name, "name", form, |f| &f.name, |f, v| f.name = v, bad_field)}
            {text_field(|m| m.admin.login, "login", form, |f| &f.login, |f, v| f.login = v, bad_field)}
            <label class="intake__field">{move || t().role}
                <select name="role" data-testid="person-role" aria-invalid=move || marked("role")
                    disabled=move || editing.with(Option::is_some)
                    prop:value=move || form.with(|f| f.role.clone())
                    on:change=move |event| form.update(|f| f.role = event_target_value(&event))>
                    {Role::ALL.iter().map(|role| view! {
                        <option value=role.as_str()>{move || (t().role_name)(*role)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class="intake__field" hidden=move || !needs_region()>{move || t().region}
                <select name="region_id" data-testid="person-region" aria-invalid=move || marked("region_id")
                    prop:value=move || form.with(|f| f.region_id.clone())
                    on:change=move |event| form.update(|f| f.region_id = event_target_value(&event))>
                    <option value="">{move || t().choose_region}</option>
                    {regions.into_iter().map(|region| view! {
                        <option value=region.id.clone() translate="no">{region.name.clone()}</option>
                    }).collect_view()}
                </select>
            </label>
            <fieldset class="admin__technician" hidden=move || !is_technician()>
                <legend>{move || t().technician_fields_hint}</legend>
                <label class="intake__field">{move || t().service_point}
                    <select name="service_point_id" data-testid="person-service_point"
                        aria-invalid=move || marked("service_point_id")
                        prop:value=move || form.with(|f| f.service_point_id.clone())
                        on:change=move |event| form.update(|f| f.service_point_id = event_target_value(&event))>
                        <option value="">{move || t().no_service_point}</option>
                        {move || {
                            let region = form.with(|f| f.region_id.clone());
                            points.iter().filter(|p| p.region_id == region).map(|p| view! {
                                <option value=p.id.clone() translate="no">{p.name.clone()}</option>
                            }).collect_view()
                        }}
                    </select>
                </label>
                {text_field(|m| m.admin.service_card_number, "service_card_number", form,
                    |f| &f.service_card_number, |f, v| f.service_card_number = v, bad_field)}
                {text_field(|m| m.admin.employee_number, "employee_number", form,
                    |f| &f.employee_number, |f, v| f.employee_number = v, bad_field)}
                <fieldset class="admin__skills" aria-invalid=move || marked("skills")>
                    <legend>{move || t().skills}</legend>
                    {ApplianceCategory::ALL.iter().map(|category| {
                        let name = category.as_str();
                        view! {
                            <label>
                                <input type="checkbox" value=name data-testid=format!("skill-{name}")
                                    prop:checked=move || form.with(|f| f.skills.iter().any(|s| s == name))
                                    on:change=move |event| {
                                        let checked = event_target_checked(&event);
                                        form.update(|f| {
                                            f.skills.retain(|s| s != name);
                                            if checked {
                                                f.skills.push(name.to_owned());
                                            }
                                        });
                                    }/>
                                {move || (i18n.t().appliance_category)(*category)}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="admin__hours">
                    <label class="intake__field">{move || t().working_from}
                        <input type="time" name="working_from" data-testid="person-working_from"
                            aria-invalid=move || marked("working_hours")
                            prop:value=move || form.with(|f| f.working_from.clone())
                            on:input=move |event| form.update(|f| f.working_from = event_target_value(&event))/>
                    </label>
                    <label class="intake__field">{move || t().working_until}
                        <input type="time" name="working_until" data-testid="person-working_until"
                            aria-invalid=move || marked("working_hours")
                            prop:value=move || form.with(|f| f.working_until.clone())
                            on:input=move |event| form.update(|f| f.working_until = event_target_value(&event))/>
                    </label>
                </div>
                {text_field(|m| m.admin.brands, "brands", form, |f| &f.brands, |f, v| f.brands = v, bad_field)}
                <p class="hint">{move || t().brands_hint}</p>
            </fieldset>
            <div class="admin__form-buttons">
                <button type="submit" class="button button--primary" data-testid="save-person"
                    disabled=move || save.pending().get()>
                    {move || if editing.with(Option::is_some) { t().save } else { t().create }}
                </button>
                <button type="button" class="button button--quiet" hidden=move || editing.with(Option::is_none)
                    on:click=move |_| {
                        editing.set(None);
                        failure.set(None);
                        form.set(new_person_form());
                    }>{move || t().cancel}</button>
            </div>
        </form>
    }
}

#[component]
fn PeopleTable(
    people: Vec<PersonRecord>,
    viewer_id: String,
    on_edit: Callback<PersonRecord>,
    on_switch: Callback<(String, bool)>,
    on_issue: Callback<(String, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().admin;
    // The row whose deactivation waits for its second, confirming press.
    let confirming = RwSignal::new(None::<String>);
    view! {
        <div class="dashboard__scroll">
            <table class="dashboard__table" data-testid="people">
                <thead><tr>
                    <th>{move || t().name}</th>
                    <th>{move || t().login}</th>
                    <th>{move || t().role}</th>
                    <th>{move || t().region}</th>
                    <th>{move || t().service_card_number}</th>
                    <th></th>
                </tr></thead>
                <tbody>
                    {people.into_iter().map(|record| {
                        let role = record.person.role;
                        let active = record.active;
                        let id = record.id.clone();
                        let name = record.person.name.as_str().to_owned();
                        let login = record.person.login.as_str().to_owned();
                        let login_shown = login.clone();
                        let card = record.person.technician.as_ref()
                            .map(|p| p.service_card_number.as_str().to_owned());
                        let region = record.region_name.clone();
                        let editable = record.clone();
                        let (switch_id, issue_id, issue_name) = (id.clone(), id.clone(), name.clone());
                        let own = id == viewer_id;
                        let confirm_name = name.clone();
                        view! {
                            <tr data-testid="person" data-login=login.clone() data-active=active.to_string()>
                                <td translate="no">{name}</td>
                                <td><code translate="no">{login_shown}</code></td>
                                <td>{move || (t().role_name)(role)}</td>
                                <td>{move || region.clone().unwrap_or_else(|| t().all_regions.to_owned())}</td>
                                <td>{card}</td>
                                <td class="admin__row-buttons">
                                    <span class="admin__state" data-testid="person-state">
                                        {move || if active { t().active } else { t().inactive }}
                                    </span>
                                    <button type="button" class="button button--quiet" data-testid="edit-person"
                                        on:click=move |_| on_edit.run(editable.clone())>{move || t().edit}</button>
                                    {(!own).then(|| {
                                        let (asked_id, confirm_id, cancel_id) = (switch_id.clone(), switch_id.clone(), switch_id.clone());
                                        let asking = move || confirming.with(|c| c.as_deref() == Some(asked_id.as_str()));
                                        let asking_too = asking.clone();
                                        let confirm_name = confirm_name.clone();
                                        view! {
                                            <button type="button" class="button button--quiet" data-testid="switch-person"
                                                hidden=asking.clone()
                                                on:click=move |_| {
                                                    if active {
                                                        confirming.set(Some(switch_id.clone()));
                                                    } else {
                                                        on_switch.run((switch_id.clone(), true));
                                                    }
                                                }>
                                                {move || if active { t().deactivate } else { t().reactivate }}
                                            </button>
                                            <span class="admin__confirm" role="alert" data-testid="confirm-deactivate"
                                                hidden=move || !asking_too()>
                                                {move || (t().deactivate_question)(&confirm_name)}
                                                <button type="button" class="button button--warning" data-testid="confirm-switch"
                                                    on:click=move |_| {
                                                        confirming.set(None);
                                                        on_switch.run((confirm_id.clone(), false));
                                                    }>{move || t().deactivate}</button>
                                                <button type="button" class="button button--quiet" data-testid="cancel-switch"
                                                    on:click=move |_| {
                                                        if confirming.with(|c| c.as_deref() == Some(cancel_id.as_str())) {
                                                            confirming.set(None);
                                                        }
                                                    }>{move || t().cancel}</button>
                                            </span>
                                        }
                                    })}
                                    <button type="button" class="button button--quiet" data-testid="issue-code"
                                        hidden=!active
                                        on:click=move |_| on_issue.run((issue_id.clone(), issue_name.clone()))>
                                        {move || t().new_code}
                                    </button>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
