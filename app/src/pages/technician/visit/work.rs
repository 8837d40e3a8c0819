//! The parts of the visit page around the checklist: parts and fees, the
//! field-insight note, the appliance's other visits, and the customer's
//! complaint at sign-off.

use leptos::html::{Input, Textarea};
use leptos::prelude::*;

use crate::api::visits::OtherVisit;
use crate::domain::charges::FeeSchedule;
use crate::domain::insight::{FieldInsight, InsightCategory};
use crate::domain::record::VisitRecord;
use crate::domain::signoff::VisitOutcome;
use crate::domain::validation::FeeCode;
use crate::i18n::{use_i18n, Locale};

use super::{use_visit, VisitAction};

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
/// and each fee (its name), with the amount.
pub fn charge_lines(
    record: &VisitRecord,
    schedule: &FeeSchedule,
    locale: Locale,
) -> Vec<(String, String)> {
    let parts = record.parts.iter().map(|part| {
        (
            format!("{} {} × {}", part.code, part.name, part.quantity.value()),
            part.total().format_yuan(),
        )
    });
    let fees = record.fees.iter().map(|fee| {
        (
            format!(
                "{} × {}",
                fee_name(schedule, &fee.code, locale),
                fee.quantity.value()
            ),
            fee.total().format_yuan(),
        )
    });
    parts.chain(fees).collect()
}

/// Code, name, quantity and unit price in yuan, as typed.
pub type PartInput = (String, String, String, String);

/// Parts fitted and fees charged, with the total; while at work, a form for
/// each. Fees come only from the schedule, at its amount.
#[component]
pub fn PartsAndFees(record: VisitRecord, schedule: FeeSchedule) -> impl IntoView {
    let i18n = use_i18n();
    let visit = use_visit();
    let busy = move || visit.busy();
    let open = record.visit.status.accepts_work_records();
    let lines = charge_lines(&record, &schedule, i18n.locale())
        .into_iter()
        .map(|(what, amount)| {
            view! { <li data-testid="charge-line"><span>{what}</span><span>{amount}</span></li> }
        })
        .collect_view();
    let total = record.total().format_yuan();
    let (code, name, quantity, price) = (
        NodeRef::<Input>::new(),
        NodeRef::<Input>::new(),
        NodeRef::<Input>::new(),
        NodeRef::<Input>::new(),
    );
    let fee_code = RwSignal::new(
        schedule
            .items
            .first()
            .map(|item| item.code.to_string())
            .unwrap_or_default(),
    );
    let fee_quantity = NodeRef::<Input>::new();
    let value = |input: NodeRef<Input>| input.get().map(|i| i.value()).unwrap_or_default();
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
    view! {
        <section class="charges" aria-labelledby="charges-title">
            <h2 id="charges-title">{move || i18n.t().parts_title} " · " {move || i18n.t().fees_title}</h2>
            <ul class="sign-off__lines">
                {lines}
                <li class="sign-off__total">
                    <span>{move || i18n.t().total_label}</span>
                    <span data-testid="charges-total">{total}</span>
                </li>
            </ul>
            {open.then(|| view! {
                <details class="charges__form">
                    <summary class="button">{move || i18n.t().add_part}</summary>
                    <label>{move || i18n.t().part_code_label}
                        <input type="text" node_ref=code maxlength="32" autocapitalize="characters" data-testid="part-code"/></label>
                    <label>{move || i18n.t().part_name_label}
                        <input type="text" node_ref=name maxlength="100" data-testid="part-name"/></label>
                    <label>{move || i18n.t().quantity_label}
                        <input type="number" node_ref=quantity min="1" max="99" value="1" inputmode="numeric" data-testid="part-quantity"/></label>
                    <label>{move || i18n.t().unit_price_label}
                        <input type="text" node_ref=price inputmode="decimal" value="0" data-testid="part-price"/></label>
                    <button type="button" class="button button--primary" data-testid="add-part" disabled=busy
                        on:click=move |_| visit.act(VisitAction::Part((value(code), value(name), value(quantity), value(price))))>
                        {move || i18n.t().add_part}
                    </button>
                </details>
                <details class="charges__form">
                    <summary class="button">{move || i18n.t().add_fee}</summary>
                    <label>{move || i18n.t().fee_item_label}
                        <select data-testid="fee-code" on:change=move |event| fee_code.set(event_target_value(&event))>
                            {options}
                        </select>
                    </label>
                    <label>{move || i18n.t().quantity_label}
                        <input type="number" node_ref=fee_quantity min="1" max="99" value="1" inputmode="numeric" data-testid="fee-quantity"/></label>
                    <button type="button" class="button button--primary" data-testid="add-fee" disabled=busy
                        on:click=move |_| visit.act(VisitAction::Fee { code: fee_code.get_untracked(), quantity: value(fee_quantity) })>
                        {move || i18n.t().add_fee}
                    </button>
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
                <select data-testid="insight-category" on:change=move |event| category.set(event_target_value(&event))>
                    {InsightCategory::ALL.iter().map(|kind| {
                        let kind = kind.as_str();
                        view! { <option value=kind>{move || (i18n.t().insight_category)(kind)}</option> }
                    }).collect_view()}
                </select>
                <label>{move || i18n.t().insight_note_label}
                    <textarea node_ref=note rows="3" maxlength="2000" data-testid="insight-note"></textarea></label>
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
                    <a href=link><time>{visit.window.format_local_with_date(visit.utc_offset)}</time></a>
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
            <button type="button" class="button button--primary" data-testid="submit-complaint" disabled=busy
                on:click=move |_| visit.act(VisitAction::Complain(text.get().map(|area| area.value()).unwrap_or_default()))>
                {move || i18n.t().submit_complaint}
            </button>
        </details>
    }
}
