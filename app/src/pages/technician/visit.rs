use leptos::html::Input;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::visit_work::{
    charge_lines, ComplaintForm, FieldInsights, OtherVisits, PartInput, PartsAndFees,
};
use crate::api::error::AppError;
use crate::api::sync::Change;
use crate::api::sync::KitVisit;
use crate::api::visits::SignOffInput;
use crate::components::contact_links::{CallLink, MapLink};
use crate::components::load_failure::load_failure;
use crate::components::signature_pad::SignaturePad;
use crate::domain::charges::Money;
use crate::domain::checklist::ItemAnswer;
use crate::domain::ids::new_id;
use crate::domain::metrics::{punctuality, Grace};
use crate::domain::record::VisitRecord;
use crate::domain::signoff::{NotFixedReason, VisitOutcome};
use crate::domain::time::{Timestamp, UtcOffset};
use crate::domain::validation::{Note, ValidationError};
use crate::domain::visit::{VisitEvent, VisitStatus};
use crate::i18n::{use_i18n, Locale};
use crate::sync::{self, use_sync};

/// The visit as the page shows it: not read yet, read (with the changes
/// waiting on the phone laid over it), or not readable.
type ShownVisit = Memo<Option<Result<KitVisit, AppError>>>;

/// One visit, run step by step at the customer's home: the next step's
/// button, the arrival verdict, the checklist and the outcome.
#[component]
pub fn VisitPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let sync = use_sync();
    let visit_id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    // Read in the browser only: from the server when it answers, else from
    // what the phone kept; a page kept by the service worker must never
    // show the record as it was when the page was kept.
    let fetched = LocalResource::new(move || {
        let id = visit_id.get();
        sync.synced.track();
        async move { sync.fetch_visit(id).await }
    });
    // The record with the changes still waiting on this phone laid over it.
    let shown = Memo::new(move |_| {
        sync.outbox.track();
        fetched
            .get()
            .map(|fetched| fetched.map(|kit| sync.with_waiting(kit)))
    });
    Effect::new(move |_| sync.refresh_kit());
    let current = move || shown.get_untracked().and_then(Result::ok);
    // Whether changes to this visit still wait on the phone.
    let waiting_here = move || {
        let id = visit_id.get_untracked();
        sync.outbox
            .with_untracked(|outbox| outbox.waiting().any(|p| p.change.visit_id == id))
    };
    let failure = RwSignal::new(None::<AppError>);
    // Every action ends here: a refusal is shown; a change kept shows at
    // once through the outbox.
    let settle = move |result: Result<(), AppError>| match result {
        Ok(()) => failure.set(None),
        Err(error) => failure.set(Some(error)),
    };
    let act = move |change: Change| {
        let (id, current) = (visit_id.get_untracked(), current());
        sync.act(current, id, change)
    };
    // Unsync: the phone's store and geolocation are futures that stay on
    // the page's thread.
    let step = Action::new_unsync(move |event: &VisitEvent| {
        let (event, id, current) = (*event, visit_id.get_untracked(), current());
        async move {
            let position = if event == VisitEvent::CheckIn {
                sync::device::current_position().await
            } else {
                None
            };
            sync.act(current, id, Change::Step { event, position })
                .await
        }
    });
    let answer = Action::new_unsync(move |(key, reason): &(String, Option<String>)| {
        act(match reason.clone() {
            None => Change::Done {
                item_key: key.clone(),
            },
            Some(reason) => Change::NotApplicable {
                item_key: key.clone(),
                reason,
            },
        })
    });
    let sign = Action::new_unsync(move |input: &SignOffInput| {
        act(Change::SignOff {
            sign_off: input.clone(),
        })
    });
    let outcome = Action::new_unsync(move |(fixed, reason, detail): &(bool, String, String)| {
        act(Change::Outcome {
            fixed: *fixed,
            reason: reason.clone(),
            detail: detail.clone(),
        })
    });
    let part = Action::new_unsync(move |(code, name, quantity, price): &PartInput| {
        let change = Money::parse_yuan(price)
            .map_err(AppError::from)
            .and_then(|money| {
                Ok(Change::Part {
                    part_id: new_id()?.to_string(),
                    code: code.clone(),
                    name: name.clone(),
                    quantity: quantity.clone(),
                    unit_price_fen: money.fen().to_string(),
                })
            });
        async move { act(change?).await }
    });
    let fee = Action::new_unsync(move |(code, quantity): &(String, String)| {
        let change = new_id().map(|charge_id| Change::Fee {
            charge_id: charge_id.to_string(),
            code: code.clone(),
            quantity: quantity.clone(),
        });
        async move { act(change?).await }
    });
    let insight = Action::new_unsync(move |(category, note): &(String, String)| {
        let change = new_id().map(|insight_id| Change::Insight {
            insight_id: insight_id.to_string(),
            category: category.clone(),
            note: note.clone(),
        });
        async move { act(change?).await }
    });
    let complain = Action::new_unsync(move |description: &String| {
        let checked = Note::parse(description)
            .map_err(|error| AppError::from(ValidationError::new("description", error.problem)));
        let complaint_id = new_id().map(|id| id.to_string());
        let description = description.clone();
        async move {
            checked?;
            let complaint_id = complaint_id?;
            let change = Change::Complaint {
                complaint_id: complaint_id.clone(),
                description,
            };
            act(change).await.map(|()| complaint_id)
        }
    });
    let uploading = RwSignal::new(false);
    let drafts = Drafts::new();
    // The router keeps this page when it moves to another visit (a
    // follow-up): that visit's forms start empty.
    Effect::new(move |shown_before: Option<String>| {
        let id = visit_id.get();
        if shown_before.is_some_and(|before| before != id) {
            drafts.clear();
        }
        id
    });
    let photo_done = Callback::new(settle);
    Effect::new(move |_| part.value().get().map(settle));
    Effect::new(move |_| fee.value().get().map(settle));
    Effect::new(move |_| insight.value().get().map(settle));
    Effect::new(move |_| {
        complain
            .value()
            .get()
            .map(|result| settle(result.map(|_| ())))
    });
    Effect::new(move |_| step.value().get().map(settle));
    Effect::new(move |_| answer.value().get().map(settle));
    Effect::new(move |_| outcome.value().get().map(settle));
    Effect::new(move |_| sign.value().get().map(settle));
    let busy = move || {
        step.pending().get()
            || answer.pending().get()
            || outcome.pending().get()
            || sign.pending().get()
            || part.pending().get()
            || fee.pending().get()
            || insight.pending().get()
            || complain.pending().get()
            || uploading.get()
    };

    view! {
        <section class="visit" aria-labelledby="visit-title">
            <p class="visit__back"><a href="/">{move || i18n.t().back_to_today}</a></p>
            {move || match shown.get() {
                None => view! { <p class="status">{move || i18n.t().loading}</p> }.into_any(),
                Some(Ok(KitVisit { record, history })) => view! {
                    <VisitDetails record=record.clone()/>
                    // A div, not a p: the open items are a list.
                    <div class="status status--error" role="alert" data-testid="visit-error"
                        hidden=move || failure.with(Option::is_none)>
                        <p class="visit__error-text">
                            {move || failure.get().map(|error| error.user_message(i18n.t()))}
                        </p>
                        <OpenItems failure checklist=record.checklist.clone()/>
                    </div>
                    <NextStep status=record.visit.status step busy/>
                    {(record.visit.status == VisitStatus::WorkFinished).then(|| view! {
                        <SignOffForm record=record.clone() schedule=history.fee_schedule.clone() sign busy drafts/>
                        <ComplaintForm complain busy/>
                    })}
                    // The sealed record is the server's: it opens once the
                    // signature has reached it.
                    {(record.visit.status == VisitStatus::Signed && !waiting_here()).then(|| view! {
                        <a class="button button--primary visit__step" data-testid="open-record"
                            href=format!("/visits/{}/record", record.visit.id)>
                            {move || i18n.t().open_record}
                        </a>
                    })}
                    {(record.visit.status == VisitStatus::Signed && waiting_here()).then(|| view! {
                        <p class="status" data-testid="signed-waiting">{move || i18n.t().signed_waiting}</p>
                    })}
                    <Checklist record=record.clone() answer busy visit_id uploading photo_done shown/>
                    <PartsAndFees record=record.clone() schedule=history.fee_schedule part fee busy/>
                    <Outcome record outcome busy drafts/>
                    <FieldInsights insights=history.insights add=insight busy/>
                    <OtherVisits visits=history.other_visits/>
                }.into_any(),
                Some(Err(error)) => load_failure(error),
            }}
        </section>
    }
}

/// The required items a refused "finish" names, by their text in the
/// reader's language.
#[component]
fn OpenItems(
    failure: RwSignal<Option<AppError>>,
    checklist: crate::domain::checklist::ChecklistTemplate,
) -> impl IntoView {
    let i18n = use_i18n();
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

#[component]
fn VisitDetails(record: VisitRecord) -> impl IntoView {
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
fn NextStep(
    status: VisitStatus,
    step: Action<VisitEvent, Result<(), AppError>>,
    busy: impl Fn() -> bool + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
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
                on:click=move |_| { step.dispatch(event); }>
                {move || (i18n.t().step_button)(event)}
            </button>
        })}
        {(status == VisitStatus::WorkFinished).then(|| view! {
            <p class="status" data-testid="awaiting-signature">{move || i18n.t().awaiting_signature}</p>
        })}

    }
}

#[component]
fn Checklist(
    record: VisitRecord,
    answer: Action<(String, Option<String>), Result<(), AppError>>,
    busy: impl Fn() -> bool + Send + Sync + Copy + 'static,
    visit_id: Memo<String>,
    uploading: RwSignal<bool>,
    photo_done: Callback<Result<(), AppError>>,
    shown: ShownVisit,
) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let waiting_photos: Vec<String> = sync.outbox.with_untracked(|outbox| {
        outbox
            .waiting()
            .filter_map(|pending| match &pending.change.change {
                Change::Photo { photo_id, .. } => Some(photo_id.clone()),
                _ => None,
            })
            .collect()
    });
    let open = record.visit.status.accepts_work_records();
    // A photo completes an item at work, and after signing it is added as a
    // new revision of the record.
    let photos_allowed = open || record.visit.status == VisitStatus::Signed;
    let items = record
        .checklist
        .items
        .iter()
        .map(|item| {
            let key = item.key.clone();
            let (text_zh, text_en) = (item.text_zh.clone(), item.text_en.clone());
            let state = record.answer(&item.key).cloned();
            let reason_input = NodeRef::<Input>::new();
            let state_name = match &state {
                None => "open",
                Some(ItemAnswer::Done { .. }) => "done",
                Some(ItemAnswer::NotApplicable { .. }) => "not_applicable",
            };
            let (done_key, na_key, photo_key) = (key.clone(), key.clone(), key.clone());
            let photo = match &state {
                Some(ItemAnswer::Done { photo: Some(photo), .. }) => Some(photo.to_string()),
                _ => None,
            };
            // A photo still on the phone has no address on the server yet.
            let (photo, photo_waiting) = match photo {
                Some(id) if waiting_photos.contains(&id) => (None, true),
                other => (other, false),
            };
            view! {
                <li class="checklist__item" data-testid="checklist-item" data-key=key.clone()
                    data-state=state_name>
                    <p class="checklist__text">
                        {move || if i18n.locale() == Locale::ZhCn { text_zh.clone() } else { text_en.clone() }}
                        {item.required.then(|| view! { <span class="checklist__required">{move || i18n.t().required_item}</span> })}
                    </p>
                    {match state {
                        Some(ItemAnswer::Done { .. }) => view! {
                            <p class="checklist__answer">"✓ " {move || i18n.t().item_done}</p>
                        }.into_any(),
                        Some(ItemAnswer::NotApplicable { reason, .. }) => view! {
                            <p class="checklist__answer">
                                {move || i18n.t().mark_not_applicable} ": " {reason.as_str().to_string()}
                            </p>
                        }.into_any(),
                        None => ().into_any(),
                    }}
                    {photo_waiting.then(|| view! {
                        <p class="checklist__answer" data-testid="photo-waiting">{move || i18n.t().photo_waiting}</p>
                    })}
                    {photo.map(|id| view! {
                        <img class="checklist__photo" data-testid="item-photo" loading="lazy"
                            src=format!("/api/photos/{id}") alt=move || i18n.t().photo_attached/>
                    })}
                    {photos_allowed.then(|| view! {
                        <label class="button checklist__take-photo">
                            {move || if uploading.get() { i18n.t().uploading_photo } else { i18n.t().take_photo }}
                            <input type="file" accept="image/*" capture="environment" class="visually-hidden"
                                data-testid="photo-input" disabled=busy
                                on:change=move |event| upload_photo(event, (visit_id, shown, sync), photo_key.clone(), uploading, photo_done)/>
                        </label>
                    })}
                    {open.then(|| view! {
                        <div class="checklist__actions">
                            <button type="button" class="button button--primary" data-testid="mark-done"
                                disabled=busy
                                on:click=move |_| { answer.dispatch((done_key.clone(), None)); }>
                                {move || i18n.t().mark_done}
                            </button>
                            <details class="checklist__not-applicable">
                                <summary class="button">{move || i18n.t().mark_not_applicable}</summary>
                                <label>
                                    {move || i18n.t().not_applicable_reason}
                                    <input type="text" maxlength="2000" node_ref=reason_input data-testid="na-reason"/>
                                </label>
                                <button type="button" class="button" data-testid="confirm-na"
                                    disabled=busy
                                    on:click=move |_| {
                                        let reason = reason_input.get().map(|input| input.value()).unwrap_or_default();
                                        answer.dispatch((na_key.clone(), Some(reason)));
                                    }>
                                    {move || i18n.t().mark_not_applicable}
                                </button>
                            </details>
                        </div>
                    })}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="checklist" aria-labelledby="checklist-title">
            <h2 id="checklist-title">{move || i18n.t().checklist_title}</h2>
            <ol class="checklist__items">{items}</ol>
        </section>
    }
}

/// Reads the chosen photo, makes it small on the phone, keeps it there and
/// queues the change that attaches it; the result settles like any other
/// action.
fn upload_photo(
    event: leptos::ev::Event,
    (visit_id, shown, sync): (Memo<String>, ShownVisit, sync::SyncState),
    item_key: String,
    uploading: RwSignal<bool>,
    done: Callback<Result<(), AppError>>,
) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let Some(input) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        input.set_value("");
        let visit_id = visit_id.get_untracked();
        let current = shown.get_untracked().and_then(Result::ok);
        uploading.set(true);
        leptos::task::spawn_local(async move {
            let result = async {
                let data = sync::device::photo_as_jpeg_base64(file).await?;
                let photo_id = sync.keep_photo(data).await?;
                sync.act(current, visit_id, Change::Photo { item_key, photo_id })
                    .await
            }
            .await;
            uploading.set(false);
            done.run(result);
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (event, visit_id, shown, sync, item_key, uploading, done);
}

#[component]
fn Outcome(
    record: VisitRecord,
    outcome: Action<(bool, String, String), Result<(), AppError>>,
    busy: impl Fn() -> bool + Send + Sync + Copy + 'static,
    drafts: Drafts,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = record.visit.status.accepts_work_records();
    // Fixed, or not fixed with the reason in the reader's language.
    let recorded = record.visit.outcome.clone().map(|outcome| match outcome {
        VisitOutcome::Fixed => (true, None),
        VisitOutcome::NotFixed { reason } => (
            false,
            Some(match reason {
                NotFixedReason::PartsUnavailable => ("parts_unavailable", String::new()),
                NotFixedReason::Skill => ("skill", String::new()),
                NotFixedReason::TimeRanOut => ("time_ran_out", String::new()),
                NotFixedReason::Other(note) => ("other", format!(": {note}")),
            }),
        ),
    });
    let Drafts {
        outcome_fixed: fixed,
        outcome_reason: reason,
        outcome_detail: detail,
        ..
    } = drafts;
    let reasons = NOT_FIXED_REASONS;
    view! {
        <section class="outcome" aria-labelledby="outcome-title">
            <h2 id="outcome-title">{move || i18n.t().outcome_title}</h2>
            {recorded.map(|(was_fixed, reason)| view! {
                <p class="outcome__recorded" data-testid="outcome-recorded">
                    {move || if was_fixed { i18n.t().outcome_fixed } else { i18n.t().outcome_not_fixed }}
                    {reason.map(|(key, detail)| view! {
                        " (" {move || (i18n.t().not_fixed_reason)(key)} {detail} ")"
                    })}
                </p>
            })}
            {open.then(|| view! {
                <div class="outcome__form">
                    <label class="outcome__choice">
                        <input type="radio" name="outcome" checked=move || fixed.get()
                            on:change=move |_| fixed.set(true) data-testid="outcome-fixed"/>
                        {move || i18n.t().outcome_fixed}
                    </label>
                    <label class="outcome__choice">
                        <input type="radio" name="outcome" checked=move || !fixed.get()
                            on:change=move |_| fixed.set(false) data-testid="outcome-not-fixed"/>
                        {move || i18n.t().outcome_not_fixed}
                    </label>
                    <div hidden=move || fixed.get()>
                        <select prop:value=move || reason.get()
                            on:change=move |event| reason.set(event_target_value(&event))>
                            {reasons.into_iter().map(|key| view! {
                                <option value=key selected=move || reason.get() == key>
                                    {move || (i18n.t().not_fixed_reason)(key)}
                                </option>
                            }).collect_view()}
                        </select>
                        <label>
                            {move || i18n.t().outcome_detail}
                            <input type="text" maxlength="2000" prop:value=move || detail.get()
                                on:input=move |event| detail.set(event_target_value(&event))/>
                        </label>
                    </div>
                    <button type="button" class="button button--primary" data-testid="save-outcome"
                        disabled=busy
                        on:click=move |_| {
                            let is_fixed = fixed.get_untracked();
                            let reason = if is_fixed { String::new() } else { reason.get_untracked() };
                            outcome.dispatch((is_fixed, reason, detail.get_untracked()));
                        }>
                        {move || i18n.t().save_outcome}
                    </button>
                </div>
            })}
        </section>
    }
}

/// The unified fee schedule the visit is charged by, open for the customer
/// to read before signing (二公开: 公开出示统一收费标准).
#[component]
fn FeeScheduleShown(schedule: crate::domain::charges::FeeSchedule) -> impl IntoView {
    let i18n = use_i18n();
    let (version, category) = (schedule.version, schedule.category);
    view! {
        <details class="sign-off__schedule" open=true data-testid="fee-schedule">
            <summary>
                {move || (i18n.t().fee_schedule_heading)((i18n.t().appliance_category)(category), version)}
            </summary>
            <ul class="sign-off__lines">
                {schedule.items.into_iter().map(|item| {
                    let amount = item.amount.format_yuan();
                    view! {
                        <li data-code=item.code.as_str().to_owned()>
                            <span>{move || match i18n.locale() {
                                Locale::ZhCn => item.name_zh.clone(),
                                Locale::En => item.name_en.clone(),
                            }}</span>
                            <span>{amount}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p class="sign-off__promise">{move || i18n.t().fee_schedule_promise}</p>
        </details>
    }
}

/// What the technician or the customer has put into a form but not sent.
/// The page keeps it, not the form: a sync landing in the background
/// redraws the record, and must not wipe a half-filled form or a signature.
#[derive(Clone, Copy)]
struct Drafts {
    outcome_fixed: RwSignal<bool>,
    outcome_reason: RwSignal<String>,
    outcome_detail: RwSignal<String>,
    customer_says_fixed: RwSignal<Option<bool>>,
    conduct_kept: [RwSignal<bool>; 4],
    ratings: [RwSignal<u8>; 5],
    strokes: RwSignal<Vec<Vec<(f32, f32)>>>,
    comment: RwSignal<String>,
    signer: RwSignal<Option<String>>,
}

impl Drafts {
    fn new() -> Drafts {
        Drafts {
            outcome_fixed: RwSignal::new(true),
            outcome_reason: RwSignal::new(NOT_FIXED_REASONS[0].to_string()),
            outcome_detail: RwSignal::new(String::new()),
            customer_says_fixed: RwSignal::new(None),
            conduct_kept: CONDUCT_RULES.map(|_| RwSignal::new(true)),
            ratings: RATING_DIMENSIONS.map(|_| RwSignal::new(5)),
            strokes: RwSignal::new(Vec::new()),
            comment: RwSignal::new(String::new()),
            signer: RwSignal::new(None),
        }
    }

    fn clear(self) {
        self.outcome_fixed.set(true);
        self.outcome_reason.set(NOT_FIXED_REASONS[0].to_string());
        self.outcome_detail.set(String::new());
        self.customer_says_fixed.set(None);
        for kept in self.conduct_kept {
            kept.set(true);
        }
        for rating in self.ratings {
            rating.set(5);
        }
        self.strokes.set(Vec::new());
        self.comment.set(String::new());
        self.signer.set(None);
    }
}

const NOT_FIXED_REASONS: [&str; 4] = ["parts_unavailable", "skill", "time_ran_out", "other"];

const CONDUCT_RULES: [&str; 4] = [
    "no_arguing",
    "no_eating_drinking_smoking",
    "no_gifts",
    "no_extra_charges",
];
const RATING_DIMENSIONS: [&str; 5] = ["skill", "attitude", "timeliness", "parts_supply", "overall"];

/// Handed to the customer: what was done and what it costs, "is it fixed?",
/// the four prohibitions, five ratings, a comment and the signature.
#[component]
fn SignOffForm(
    record: VisitRecord,
    schedule: crate::domain::charges::FeeSchedule,
    sign: Action<SignOffInput, Result<(), AppError>>,
    busy: impl Fn() -> bool + Send + Sync + Copy + 'static,
    drafts: Drafts,
) -> impl IntoView {
    let i18n = use_i18n();
    let Drafts {
        conduct_kept: kept,
        ratings,
        strokes,
        ..
    } = drafts;
    // Until the customer touches them: "fixed" as the technician recorded
    // it, and the customer's name from the work order.
    let recorded_fixed = record.visit.outcome == Some(VisitOutcome::Fixed);
    let fixed = move || drafts.customer_says_fixed.get().unwrap_or(recorded_fixed);
    let customer_name = StoredValue::new(record.customer.name.as_str().to_string());
    let signer = move || {
        drafts
            .signer
            .get()
            .unwrap_or_else(|| customer_name.get_value())
    };
    let lines = charge_lines(&record, &schedule, i18n.locale());
    let total = record.total().format_yuan();
    let submit = move |_| {
        let [skill, attitude, timeliness, parts_supply, overall] =
            ratings.map(|r| r.get_untracked());
        let [no_arguing, no_eating_drinking_smoking, no_gifts, no_extra_charges] =
            kept.map(|k| k.get_untracked());
        sign.dispatch(SignOffInput {
            signer_name: untrack(signer),
            strokes: strokes.get_untracked(),
            customer_says_fixed: untrack(fixed),
            skill,
            attitude,
            timeliness,
            parts_supply,
            overall,
            no_arguing,
            no_eating_drinking_smoking,
            no_gifts,
            no_extra_charges,
            comment: drafts.comment.get_untracked(),
        });
    };
    view! {
        <section class="sign-off" aria-labelledby="sign-off-title" data-testid="sign-off">
            <h2 id="sign-off-title">{move || i18n.t().sign_off_title}</h2>
            <h3>{move || i18n.t().work_summary}</h3>
            <ul class="sign-off__lines">
                {lines.into_iter().map(|(what, amount)| view! {
                    <li><span>{what}</span><span>{amount}</span></li>
                }).collect_view()}
                <li class="sign-off__total">
                    <span>{move || i18n.t().total_label}</span>
                    <span data-testid="sign-off-total">{total}</span>
                </li>
            </ul>
            <FeeScheduleShown schedule/>
            <label class="sign-off__check">
                <input type="checkbox" prop:checked=fixed
                    on:change=move |event| drafts.customer_says_fixed.set(Some(event_target_checked(&event)))/>
                {move || i18n.t().customer_confirms_fixed}
            </label>
            <fieldset class="sign-off__group">
                <legend>{move || i18n.t().conduct_title}</legend>
                {CONDUCT_RULES.into_iter().zip(kept).map(|(rule, kept)| view! {
                    <label class="sign-off__check">
                        <input type="checkbox" prop:checked=move || kept.get() data-rule=rule
                            on:change=move |event| kept.set(event_target_checked(&event))/>
                        {move || (i18n.t().conduct_rule)(rule)}
                    </label>
                }).collect_view()}
            </fieldset>
            <fieldset class="sign-off__group">
                <legend>{move || i18n.t().ratings_title}</legend>
                {RATING_DIMENSIONS.into_iter().zip(ratings).map(|(dimension, rating)| view! {
                    <label class="sign-off__rating">
                        <span>{move || (i18n.t().rating_dimension)(dimension)}</span>
                        <select data-dimension=dimension
                            on:change=move |event| rating.set(event_target_value(&event).parse().unwrap_or(5))>
                            {(1..=5u8).rev().map(|score| view! {
                                <option value=score.to_string() selected=move || rating.get() == score>
                                    {score.to_string()}
                                </option>
                            }).collect_view()}
                        </select>
                    </label>
                }).collect_view()}
            </fieldset>
            <label class="sign-off__field">
                {move || i18n.t().comment_label}
                <textarea maxlength="2000" rows="3" prop:value=move || drafts.comment.get()
                    on:input=move |event| drafts.comment.set(event_target_value(&event))></textarea>
            </label>
            <label class="sign-off__field">
                {move || i18n.t().signer_label}
                <input type="text" maxlength="50" prop:value=signer
                    on:input=move |event| drafts.signer.set(Some(event_target_value(&event)))/>
            </label>
            <p class="sign-off__pad-label">{move || i18n.t().signature_label}</p>
            <SignaturePad strokes/>
            <div class="sign-off__pad-actions">
                <button type="button" class="button" data-testid="undo-stroke"
                    on:click=move |_| strokes.update(|all| { all.pop(); })>
                    {move || i18n.t().undo_stroke}
                </button>
                <button type="button" class="button" data-testid="clear-signature"
                    on:click=move |_| strokes.set(Vec::new())>
                    {move || i18n.t().clear_signature}
                </button>
            </div>
            <button type="button" class="button button--primary visit__step" data-testid="submit-signature"
                disabled=busy on:click=submit>
                {move || i18n.t().submit_signature}
            </button>
        </section>
    }
}
