use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::components::load_failure::load_failure;
use crate::components::visit_card::VisitCard;
use crate::i18n::use_i18n;
use crate::serverfns::auth::{who_am_i, Logout};
use crate::serverfns::today::list_today_visits;

/// "Today": the technician's visits in appointment order.
#[component]
pub fn TodayPage() -> impl IntoView {
    let i18n = use_i18n();
    let visits = Resource::new(|| (), |_| list_today_visits());
    let user = Resource::new(|| (), |_| who_am_i());
    let logout = ServerAction::<Logout>::new();
    let sync = crate::sync::use_sync();
    // Logging out with changes still on the phone would strand them.
    let unsent = move || sync.outbox.with(|outbox| outbox.waiting_count());
    // A technician's phone keeps today's and tomorrow's visits for offline use.
    Effect::new(move |_| {
        if let Some(Ok(Some(user))) = user.get() {
            if user.role == crate::domain::auth::Role::Technician {
                sync.refresh_kit();
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = logout.value().get() {
            leptos::task::spawn_local(async move {
                // The next person on this phone finds none of these customers.
                #[cfg(feature = "hydrate")]
                let _ = crate::sync::device_store::clear().await;
                // A full load, not a route change: the service worker sees
                // the login page and forgets the pages it kept.
                let _ = window().location().set_href("/login");
            });
        }
    });

    let menu_open = RwSignal::new(false);
    view! {
        <section class="today" aria-labelledby="today-title">
            <div class="today__heading">
                <h1 id="today-title">{move || i18n.t().today_title}</h1>
                <button type="button" class="button button--quiet button--small today__menu-toggle"
                    data-testid="menu-toggle" aria-controls="today-menu"
                    aria-expanded=move || menu_open.get().to_string()
                    on:click=move |_| menu_open.update(|open| *open = !*open)>
                    <span aria-hidden="true">"☰ "</span>{move || i18n.t().visit.menu}
                </button>
            </div>
            <Suspense>
                {move || Suspend::new(async move {
                    user.await.ok().flatten().map(|user| view! {
                        // Dispatchers and admins start at their own desks.
                        {(user.role != crate::domain::auth::Role::Technician).then(|| view! {
                            <Redirect path=crate::pages::home_of(user.role)/>
                        })}
                        <div class="menu" id="today-menu" data-testid="menu" hidden=move || !menu_open.get()>
                            <p class="menu__who" data-testid="signed-in-as">
                                {move || (i18n.t().signed_in_as)(&user.display_name)}
                            </p>
                            <ActionForm action=logout>
                                <button type="submit" class="button button--block" data-testid="logout"
                                    disabled=move || 0 < unsent()>
                                    {move || i18n.t().logout_button}
                                </button>
                            </ActionForm>
                            <p class="hint" data-testid="logout-blocked" hidden=move || unsent() == 0>
                                {move || (i18n.t().logout_blocked_unsent)(unsent())}
                            </p>
                        </div>
                    })
                })}
            </Suspense>
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
                        Err(error) => load_failure(error),
                    }
                })}
            </Suspense>
        </section>
    }
}
