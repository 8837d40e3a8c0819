use leptos::prelude::*;

use crate::components::visit_card::VisitCard;
use crate::i18n::use_i18n;
use crate::serverfns::today::list_today_visits;

/// "Today": the technician's visits in appointment order.
#[component]
pub fn TodayPage() -> impl IntoView {
    let i18n = use_i18n();
    let visits = Resource::new(|| (), |_| list_today_visits());

    view! {
        <section class="today" aria-labelledby="today-title">
            <div class="today__heading">
                <h1 id="today-title">{move || i18n.t().today_title}</h1>
                <p class="today__subtitle">{move || i18n.t().today_subtitle}</p>
            </div>
            <Suspense fallback=move || view! { <p class="status">{move || i18n.t().loading}</p> }>
                {move || Suspend::new(async move {
                    match visits.await {
                        Ok(list) if list.is_empty() => view! {
                            <p class="status" data-testid="no-visits">{move || i18n.t().no_visits_today}</p>
                        }.into_any(),
                        Ok(list) => {
                            let count = list.len();
                            view! {
                                <p class="today__count" data-testid="visit-count">
                                    {move || (i18n.t().visit_count)(count)}
                                </p>
                                <ol class="visit-list">
                                    {list.into_iter().map(|visit| view! { <VisitCard visit/> }).collect_view()}
                                </ol>
                            }.into_any()
                        }
                        Err(error) => view! {
                            <p class="status status--error" role="alert">
                                {move || error.user_message(i18n.t())}
                            </p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
