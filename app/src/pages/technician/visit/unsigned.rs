//! Closing a visit without the customer's signature, when the customer is
//! not there or will not sign: which of the two (nothing chosen for the
//! technician) and what happened, confirmed in a sheet. The record is then
//! sealed, and the customer is always called back.

use leptos::prelude::*;

use super::refusal::Refusal;
use super::{use_visit, Place, VisitAction};
use crate::components::sheet::Sheet;
use crate::domain::signoff::NoSignature;
use crate::i18n::use_i18n;

/// On the customer's stage, below the work: quieter than handing the phone
/// over, which stays the bar's action.
#[component]
pub(super) fn NoSignatureButton() -> impl IntoView {
    let i18n = use_i18n();
    let visit = use_visit();
    view! {
        <button type="button" class="button button--quiet button--block" data-testid="no-signature"
            disabled=move || visit.busy()
            on:click=move |_| {
                visit.failure.set(None);
                visit.hold();
                visit.drafts.no_signature.open.set(true);
            }>
            {move || i18n.t().visit.no_signature_button}
        </button>
    }
}

#[component]
pub(super) fn NoSignatureSheet() -> impl IntoView {
    let i18n = use_i18n();
    let visit = use_visit();
    let draft = visit.drafts.no_signature;
    let option = move |why: NoSignature| {
        view! {
            <button type="button" role="radio" class="segmented__option" data-value=why.as_str()
                aria-checked=move || (draft.why.get() == Some(why)).to_string()
                on:click=move |_| draft.why.set(Some(why))>
                {move || (i18n.t().visit.no_signature_why)(why)}
            </button>
        }
    };
    view! {
        <Sheet open=draft.open title=Signal::derive(move || i18n.t().visit.no_signature_title.to_string())
            test_id="no-signature-sheet">
            <p class="sheet__body">{move || i18n.t().visit.no_signature_body}</p>
            <div class="segmented" role="radiogroup" aria-labelledby="no-signature-sheet-title">
                {option(NoSignature::CustomerAbsent)}
                {option(NoSignature::CustomerRefused)}
            </div>
            <label class="field">
                <span class="field__label">{move || i18n.t().visit.no_signature_reason}</span>
                <textarea class="field__input" rows="3" maxlength="2000" data-testid="no-signature-reason"
                    prop:value=move || draft.reason.get()
                    on:input=move |event| draft.reason.set(event_target_value(&event))></textarea>
            </label>
            <Refusal at=Place::NoSignature/>
            <div class="sheet__actions">
                <button type="button" class="button button--primary button--block" data-testid="confirm-no-signature"
                    disabled=move || visit.busy() || draft.why.get().is_none()
                    on:click=move |_| {
                        let Some(why) = draft.why.get_untracked() else { return };
                        visit.act(VisitAction::CloseUnsigned { why, reason: draft.reason.get_untracked() });
                    }>
                    {move || i18n.t().visit.no_signature_confirm}
                </button>
                <button type="button" class="button button--quiet button--block" data-testid="cancel-no-signature"
                    on:click=move |_| draft.open.set(false)>
                    {move || i18n.t().visit.cancel}
                </button>
            </div>
        </Sheet>
    }
}
