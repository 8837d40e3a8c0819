use leptos::prelude::*;

use crate::api::error::AppError;
use crate::domain::admin::CompanyForm;
use crate::i18n::use_i18n;
use crate::serverfns::admin::{get_company_profile, save_company_profile};

/// The company's name and service hotline, printed on every service record.
#[component]
pub fn CompanySection(changes: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().admin;
    let saved = Resource::new(move || changes.get(), |_| get_company_profile());
    let name = RwSignal::new(String::new());
    let hotline = RwSignal::new(String::new());
    // The form starts from what is saved.
    Effect::new(move |_| {
        if let Some(Ok(Some(profile))) = saved.get() {
            name.set(profile.name.to_string());
            hotline.set(profile.hotline.as_str().to_string());
        }
    });
    let failure = RwSignal::new(None::<AppError>);
    let done = RwSignal::new(false);
    let save = Action::new(move |_: &()| {
        let company = CompanyForm {
            name: name.get_untracked(),
            hotline: hotline.get_untracked(),
        };
        async move { save_company_profile(company).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => {
            failure.set(None);
            done.set(true);
            changes.update(|n| *n += 1);
        }
        Some(Err(error)) => {
            done.set(false);
            failure.set(Some(error));
        }
        None => {}
    });
    let invalid = move |field: &str| {
        failure
            .with(|f| matches!(f, Some(AppError::InvalidInput { field: bad, .. }) if bad == field))
    };
    view! {
        <section class="admin__company" aria-labelledby="company-title" data-testid="company-section">
            <h2 id="company-title">{move || t().company_title}</h2>
            <p class="hint">{move || t().company_hint}</p>
            <div class="admin__form">
                <label class="intake__field">{move || t().company_name}
                    <input type="text" maxlength="60" data-testid="company-name"
                        aria-invalid=move || invalid("company_name").to_string()
                        prop:value=move || name.get()
                        on:input=move |event| name.set(event_target_value(&event))/>
                </label>
                <label class="intake__field">{move || t().company_hotline}
                    <input type="text" maxlength="24" inputmode="tel" data-testid="company-hotline"
                        aria-invalid=move || invalid("hotline").to_string()
                        prop:value=move || hotline.get()
                        on:input=move |event| hotline.set(event_target_value(&event))/>
                </label>
                <p class="status status--error" role="alert" hidden=move || failure.with(Option::is_none)>
                    {move || failure.get().map(|error| error.user_message(i18n.t()))}
                </p>
                <p class="status status--ok" role="status" data-testid="company-saved" hidden=move || !done.get()>
                    {move || t().company_saved}
                </p>
                <div class="admin__form-buttons">
                    <button type="button" class="button button--primary" data-testid="save-company"
                        disabled=move || save.pending().get()
                        on:click=move |_| { save.dispatch(()); }>
                        {move || t().company_save}
                    </button>
                </div>
            </div>
        </section>
    }
}
