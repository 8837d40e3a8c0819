//! The visit's outcome: fixed, or not fixed and why. Nothing is chosen
//! for the technician: a preset "fixed" would bend the first-visit fix.

use leptos::prelude::*;

use super::drafts::{Drafts, NOT_FIXED_REASONS};
use super::refusal::Refusal;
use super::{use_visit, Place, VisitAction};
use crate::domain::record::VisitRecord;
use crate::domain::signoff::{NotFixedReason, VisitOutcome};
use crate::i18n::use_i18n;

#[component]
pub(super) fn Outcome(record: VisitRecord) -> impl IntoView {
    let i18n = use_i18n();
    let visit = use_visit();
    let busy = move || visit.busy();
    let drafts = visit.drafts;
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
            <h2 id="outcome-title" tabindex="-1">{move || i18n.t().outcome_title}</h2>
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
                    <div class="segmented" role="radiogroup" aria-labelledby="outcome-title">
                        <button type="button" role="radio" class="segmented__option" data-testid="outcome-fixed"
                            aria-checked=move || (fixed.get() == Some(true)).to_string()
                            on:click=move |_| fixed.set(Some(true))>
                            {move || i18n.t().outcome_fixed}
                        </button>
                        <button type="button" role="radio" class="segmented__option" data-testid="outcome-not-fixed"
                            aria-checked=move || (fixed.get() == Some(false)).to_string()
                            on:click=move |_| fixed.set(Some(false))>
                            {move || i18n.t().outcome_not_fixed}
                        </button>
                    </div>
                    <div class="outcome__reason" hidden=move || fixed.get() != Some(false)>
                        <label class="field">
                            <span class="field__label">{move || i18n.t().visit.outcome_reason_label}</span>
                            <select class="field__input" data-testid="outcome-reason" prop:value=move || reason.get()
                                on:change=move |event| reason.set(event_target_value(&event))>
                                {reasons.into_iter().map(|key| view! {
                                    <option value=key selected=move || reason.get() == key>
                                        {move || (i18n.t().not_fixed_reason)(key)}
                                    </option>
                                }).collect_view()}
                            </select>
                        </label>
                        <label class="field">
                            <span class="field__label">{move || i18n.t().outcome_detail}</span>
                            <input type="text" class="field__input" maxlength="2000" data-testid="outcome-detail"
                                prop:value=move || detail.get()
                                on:input=move |event| detail.set(event_target_value(&event))/>
                        </label>
                    </div>
                    <button type="button" class="button button--primary" data-testid="save-outcome"
                        disabled=move || busy() || fixed.get().is_none()
                        on:click=move |_| {
                            let Some(is_fixed) = fixed.get_untracked() else { return };
                            let reason = if is_fixed { String::new() } else { reason.get_untracked() };
                            visit.act(VisitAction::Outcome { fixed: is_fixed, reason, detail: detail.get_untracked() });
                        }>
                        {move || i18n.t().save_outcome}
                    </button>
                    <Refusal at=Place::Outcome/>
                </div>
            })}
        </section>
    }
}
