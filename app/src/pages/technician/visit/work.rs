//! The parts of the visit page around the checklist: parts and fees, the
//! field-insight note, the appliance's other visits, and the customer's
//! complaint at sign-off.

use leptos::html::Textarea;
use leptos::prelude::*;

use crate::api::visits::OtherVisit;
use crate::domain::charges::FeeSchedule;
use crate::domain::insight::{FieldInsight, InsightCategory};
use crate::domain::record::VisitRecord;
use crate::domain::signoff::VisitOutcome;
use crate::domain::time::UtcOffset;
use crate::domain::validation::FeeCode;
use crate::domain::visit::VisitStatus;
use crate::domain::work_order::WarrantyStatus;
use crate::i18n::{use_i18n, Locale};

use super::refusal::Refusal;
use super::{use_visit, Place, VisitAction};

/// A fee's name from the schedule in the reader's language; its code if the
/// schedule no longer lists it.
pub fn fee_name(schedule: &FeeSchedule, code: &FeeCode, locale: Locale) -> String {
    schedule.item(code).map_or_else(
        || code.to_string(),
        |item| match locale {
            Locale::ZhCn => item.name_zh.clone(),
            Locale::En => item.name_en.clone(),
        },
    )
}

/// What the customer pays, line by line: each part (code, name, quantity)
/// and each fee (its name), with the amount and the charge's id.
pub fn charge_lines(
    record: &VisitRecord,
    schedule: &FeeSchedule,
    locale: Locale,
) -> Vec<ChargeLine> {
    let parts = record.parts.iter().map(|part| ChargeLine {
        id: part.id.to_string(),
        what: format!("{} {} × {}", part.code, part.name, part.quantity.value()),
        amount: part.total().format_yuan(),
        reason: part.charge_reason.as_ref().map(|reason| reason.to_string()),
    });
    let fees = record.fees.iter().map(|fee| ChargeLine {
        id: fee.id.to_string(),
        what: format!(
            "{} × {}",
            fee_name(schedule, &fee.code, locale),
            fee.quantity.value()
        ),
        amount: fee.total().format_yuan(),
        reason: None,
    });
    parts.chain(fees).collect()
}

/// One line of what the customer pays.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChargeLine {
    pub id: String,
    pub what: String,
    pub amount: String,
    /// Why a part in warranty is charged.
    pub reason: Option<String>,
}

/// The part form as typed: code, name, quantity, unit price in yuan, and
/// why a part in warranty is charged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartInput {
    pub code: String,
    pub name: String,
    pub quantity: String,
    pub price: String,
    pub reason: String,
}

/// Parts fitted and fees charged, with the total and the warranty; while
/// the customer has not signed, each line can be taken back; at work, a
/// form for each. Fees come only from the schedule, at its amount.
#[component]
pub fn PartsAndFees(record: VisitRecord, schedule: FeeSchedule) -> impl IntoView {
    let i18n = use_i18n();
    let visit = use_visit();
    let busy = move || visit.busy();
    let status = record.visit.status;
    let open = status.accepts_work_records();
    let removable = open || status == VisitStatus::WorkFinished;
    let warranty = record
        .appliance
        .warranty_at(record.visit.window.start(), UtcOffset::CHINA);
    let in_warranty = warranty == WarrantyStatus::InWarranty;
    let lines = charge_lines(&record, &schedule, i18n.locale())
        .into_iter()
        .map(|line| {
            let ChargeLine { id, what, amount, reason } = line;
            let label = what.clone();
            let remove_id = id.clone();
            view! {
                <li class="charges__line" data-testid="charge-line" data-charge=id.clone()>
                    <span class="charges__what">
                        {what}
                        {reason.map(|reason| view! { <small class="charges__reason">{reason}</small> })}
                    </span>
                    <span class="charges__amount">{amount}</span>
                    {removable.then(|| view! {
                        <button type="button" class="button button--quiet button--small" data-testid="remove-charge"
                            aria-label=move || (i18n.t().visit.remove_charge)(&label)
                            disabled=busy
                            on:click=move |_| visit.act(VisitAction::RemoveCharge(remove_id.clone()))>
                            {move || i18n.t().visit.remove}
                        </button>
                    })}
                    <Refusal at=Place::Charge(id.clone())/>
                </li>
            }
        })
        .collect_view();
    let total = record.total().format_yuan();
    let part = visit.drafts.part;
    let fee_code = RwSignal::new(
        schedule
            .items
            .first()
            .map(|item| item.code.to_string())
            .unwrap_or_default(),
    );
    let fee_quantity = RwSignal::new("1".to_string());
    let options = schedule
        .items
        .iter()
        .map(|item| {
            let (zh, en) = (item.name_zh.clone(), item.name_en.clone());
            let amount = item.amount.format_yuan();
            view! {
                <option value=item.code.to_string()>
                    {move || if i18n.locale() == Locale::ZhCn { zh.clone() } else { en.clone() }}
                    " " {amount}
                </option>
            }
        })
        .collect_view();
    // A part's price in warranty defaults to free; a charge needs its reason.
    let charged = move || {
        part.price
            .with(|price| !matches!(price.trim(), "" | "0" | "0.0" | "0.00"))
    };
    let input = |value: RwSignal<String>| {
        move |event: leptos::ev::Event| value.set(event_target_value(&event))
    };
    view! {
        <section class="charges" aria-labelledby="charges-title">
            <h2 id="charges-title">{move || i18n.t().parts_title} " · " {move || i18n.t().fees_title}</h2>
            <p class="charges__warranty">
                {move || i18n.t().visit.warranty_label} " "
                <span class=super::details::warranty_chip(warranty) data-testid="charges-warranty">
                    {move || (i18n.t().warranty)(warranty)}
                </span>
            </p>
            <ul class="charges__lines">
                {lines}
                <li class="charges__total">
                    <span>{move || i18n.t().total_label}</span>
                    <span data-testid="charges-total">{total}</span>
                </li>
            </ul>
            {open.then(|| view! {
                <details class="disclosure" data-testid="part-form">
                    <summary class="button">{move || i18n.t().add_part}</summary>
                    <div class="disclosure__body">
                        {in_warranty.then(|| view! {
                            <p class="hint" data-testid="warranty-part-hint">{move || i18n.t().visit.warranty_part_hint}</p>
                        })}
                        <label class="field"><span class="field__label">{move || i18n.t().part_code_label}</span>
                            <input type="text" class="field__input" maxlength="32" autocapitalize="characters" data-testid="part-code"
                                prop:value=move || part.code.get() on:input=input(part.code)/></label>
                        <label class="field"><span class="field__label">{move || i18n.t().part_name_label}</span>
                            <input type="text" class="field__input" maxlength="100" data-testid="part-name"
                                prop:value=move || part.name.get() on:input=input(part.name)/></label>
                        <div class="field-row">
                            <label class="field"><span class="field__label">{move || i18n.t().quantity_label}</span>
                                <input type="number" class="field__input" min="1" max="99" inputmode="numeric" data-testid="part-quantity"
                                    prop:value=move || part.quantity.get() on:input=input(part.quantity)/></label>
                            <label class="field"><span class="field__label">{move || i18n.t().visit.unit_price_label}</span>
                                <input type="text" class="field__input" inputmode="decimal" data-testid="part-price"
                                    placeholder=if in_warranty { "0" } else { "" }
                                    prop:value=move || part.price.get() on:input=input(part.price)/></label>
                        </div>
                        <Show when=move || in_warranty && charged()>
                            <label class="field"><span class="field__label">{move || i18n.t().visit.charge_reason_label}</span>
                                <input type="text" class="field__input" maxlength="2000" data-testid="part-reason"
                                    prop:value=move || part.reason.get() on:input=input(part.reason)/></label>
                        </Show>
                        <Refusal at=Place::Part/>
                        <button type="button" class="button button--primary" data-testid="add-part"
                            disabled=move || busy() || !part.filled()
                            on:click=move |_| {
                                let price = part.price.get_untracked();
                                visit.act(VisitAction::Part(PartInput {
                                    code: part.code.get_untracked(),
                                    name: part.name.get_untracked(),
                                    quantity: part.quantity.get_untracked(),
                                    price: if price.trim().is_empty() { "0".into() } else { price },
                                    reason: if in_warranty { part.reason.get_untracked() } else { String::new() },
                                }));
                            }>
                            {move || i18n.t().add_part}
                        </button>
                    </div>
                </details>
                <details class="disclosure" data-testid="fee-form">
                    <summary class="button">{move || i18n.t().add_fee}</summary>
                    <div class="disclosure__body">
                        <label class="field"><span class="field__label">{move || i18n.t().fee_item_label}</span>
                            <select class="field__input" data-testid="fee-code" on:change=move |event| fee_code.set(event_target_value(&event))>
                                {options}
                            </select>
                        </label>
                        <label class="field"><span class="field__label">{move || i18n.t().quantity_label}</span>
                            <input type="number" class="field__input" min="1" max="99" inputmode="numeric" data-testid="fee-quantity"
                                prop:value=move || fee_quantity.get() on:input=input(fee_quantity)/></label>
                        <Refusal at=Place::Fee/>
                        <button type="button" class="button button--primary" data-testid="add-fee" disabled=busy
                            on:click=move |_| visit.act(VisitAction::Fee { code: fee_code.get_untracked(), quantity: fee_quantity.get_untracked() })>
                            {move || i18n.t().add_fee}
                        </button>
                    </div>
                </details>
            })}
        </section>
    }
}

/// 信息增值: notes on a product defect or the user's suggestion, at any
/// stage of the visit.
#[component]
pub fn FieldInsights(insights: Vec<FieldInsight>) -> impl IntoView {
    let i18n = use_i18n();
    let visit = use_visit();
    let busy = move || visit.busy();
    let category = RwSignal::new(InsightCategory::ProductDefect.as_str().to_string());
    let note = NodeRef::<Textarea>::new();
    let written = insights
        .into_iter()
        .map(|insight| {
            let kind = insight.category.as_str();
            view! {
                <li data-testid="insight">
                    <strong>{move || (i18n.t().insight_category)(kind)}</strong> " " {insight.note.to_string()}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="insights" aria-labelledby="insights-title">
            <h2 id="insights-title">{move || i18n.t().insight_title}</h2>
            <ul class="insights__list">{written}</ul>
            <details class="insights__form">
                <summary class="button">{move || i18n.t().insight_title}</summary>
                <label>{move || i18n.t().visit.insight_kind_label}
                    <select data-testid="insight-category" on:change=move |event| category.set(event_target_value(&event))>
                        {InsightCategory::ALL.iter().map(|kind| {
                            let kind = kind.as_str();
                            view! { <option value=kind>{move || (i18n.t().insight_category)(kind)}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label>{move || i18n.t().insight_note_label}
                    <textarea node_ref=note rows="3" maxlength="2000" data-testid="insight-note"></textarea></label>
                <Refusal at=Place::Insight/>
                <button type="button" class="button button--primary" data-testid="add-insight" disabled=busy
                    on:click=move |_| {
                        let text = note.get().map(|area| area.value()).unwrap_or_default();
                        visit.act(VisitAction::Insight { category: category.get_untracked(), note: text });
                    }>
                    {move || i18n.t().add_insight}
                </button>
            </details>
        </section>
    }
}

/// The appliance's other visits, newest first; a follow-up this visit
/// opened is marked.
#[component]
pub fn OtherVisits(visits: Vec<OtherVisit>) -> impl IntoView {
    let i18n = use_i18n();
    let empty = visits.is_empty();
    let rows = visits
        .into_iter()
        .map(|visit| {
            let status = visit.status;
            let fixed = visit.outcome.as_ref().map(|o| *o == VisitOutcome::Fixed);
            let link = format!("/visits/{}", visit.id);
            view! {
                <li class="other-visits__item" data-testid="other-visit"
                    data-follow-up=visit.is_follow_up_of_this.to_string()>
                    {visit.is_follow_up_of_this.then(|| view! {
                        <strong>{move || i18n.t().follow_up_opened} " "</strong>
                    })}
                    <a class="link" href=link><time>{visit.window.format_local_with_date(visit.utc_offset)}</time></a>
                    " · " {move || (i18n.t().visit_status)(status)}
                    {move || fixed.map(|fixed| format!(" · {}", if fixed { i18n.t().outcome_fixed } else { i18n.t().outcome_not_fixed }))}
                    " · " {visit.reported_fault}
                    {visit.technician_name.map(|name| format!(" · {name}"))}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="other-visits" aria-labelledby="other-visits-title">
            <h2 id="other-visits-title">{move || i18n.t().other_visits_title}</h2>
            {empty.then(|| view! { <p class="status">{move || i18n.t().no_other_visits}</p> })}
            <ul class="other-visits__list">{rows}</ul>
        </section>
    }
}

/// "I am not satisfied / I want to complain", for the customer holding the
/// phone at sign-off; the complaint is on record at once.
#[component]
pub fn ComplaintForm() -> impl IntoView {
    let i18n = use_i18n();
    let visit = use_visit();
    let busy = move || visit.busy();
    let text = NodeRef::<Textarea>::new();
    let filed = move || visit.filed_complaint.get();
    view! {
        <p class="status status--ok" role="status" data-testid="complaint-filed">
            {move || filed().map(|id| (i18n.t().complaint_filed)(&id))}
        </p>
        <details class="complaint" data-testid="complaint">
            <summary class="button button--warning" data-testid="open-complaint">
                {move || i18n.t().complain_button}
            </summary>
            <label>{move || i18n.t().complaint_label}
                <textarea node_ref=text rows="3" maxlength="2000" data-testid="complaint-text"></textarea></label>
            <Refusal at=Place::Complaint/>
            <button type="button" class="button button--primary" data-testid="submit-complaint" disabled=busy
                on:click=move |_| visit.act(VisitAction::Complain(text.get().map(|area| area.value()).unwrap_or_default()))>
                {move || i18n.t().submit_complaint}
            </button>
        </details>
    }
}
