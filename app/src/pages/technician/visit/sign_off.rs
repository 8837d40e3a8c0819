//! Handed to the customer: the work and its cost, the fee schedule, the
//! customer's confirmations, ratings, comment and signature.

use leptos::prelude::*;

use super::drafts::{Drafts, CONDUCT_RULES, RATING_DIMENSIONS};
use super::work::charge_lines;
use super::{use_visit, VisitAction};
use crate::api::visits::SignOffInput;
use crate::components::signature_pad::SignaturePad;
use crate::domain::record::VisitRecord;
use crate::domain::signoff::VisitOutcome;
use crate::i18n::{use_i18n, Locale};

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

/// Handed to the customer: what was done and what it costs, "is it fixed?",
/// the four prohibitions, five ratings, a comment and the signature.
#[component]
pub(super) fn SignOffForm(
    record: VisitRecord,
    schedule: crate::domain::charges::FeeSchedule,
) -> impl IntoView {
    let i18n = use_i18n();
    let visit = use_visit();
    let busy = move || visit.busy();
    let drafts = visit.drafts;
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
        visit.act(VisitAction::SignOff(SignOffInput {
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
        }));
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
