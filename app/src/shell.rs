use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Meta, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    Lazy, ParamSegment, SsrMode, StaticSegment,
};

use crate::components::app_header::AppHeader;
use crate::i18n::{provide_i18n, request_locale, use_i18n};
use crate::pages::lazy::{
    AdminRoute, CustomerRoute, DashboardRoute, DeskRoute, QueueRoute, RecordRoute,
    SetPasswordRoute, VisitRoute,
};
use crate::pages::login::LoginPage;
use crate::pages::not_found::NotFound;
use crate::pages::technician::today::TodayPage;

const REGISTER_SERVICE_WORKER: &str = "if ('serviceWorker' in navigator) { \
     addEventListener('load', () => navigator.serviceWorker.register('/sw.js')); }";

/// The HTML document around the app; rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let locale = request_locale();
    #[cfg(feature = "ssr")]
    crate::security::set_page_policy();
    view! {
        <!DOCTYPE html>
        <html lang=locale.tag()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#0b6e4f"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <link rel="icon" href="/icon.svg" type="image/svg+xml"/>
                <link rel="apple-touch-icon" href="/icon-192.png"/>
                // The service worker keeps the app on the phone for when
                // there is no network (server/src/http/service_worker.js).
                <script nonce=use_nonce() inner_html=REGISTER_SERVICE_WORKER></script>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_i18n();
    crate::sync::provide_sync();
    let i18n = use_i18n();
    // The server reads the title after the page is rendered, when reading a
    // signal panics (a full load of a visit page did): there it is read
    // once. In the browser it follows the language.
    #[cfg(not(feature = "hydrate"))]
    let title = i18n.t_untracked().app_name;
    #[cfg(feature = "hydrate")]
    let title = move || i18n.t().app_name;

    view! {
        <Stylesheet id="leptos" href="/pkg/doorstep.css"/>
        <Title text=title/>
        <Meta name="description" content=move || i18n.t().app_description/>
        <Router>
            <AppHeader/>
            <main class="page">
                <Routes fallback=NotFound>
                    // Async: the server waits for the data, so a page that
                    // must redirect (not logged in) answers with a real 302.
                    // Today and the login page are in the first download;
                    // the others are lazy, their code fetched when first
                    // opened (`pages::lazy`).
                    <Route path=StaticSegment("") view=TodayPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("login") view=LoginPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("set-password") view={Lazy::<SetPasswordRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=StaticSegment("admin") view={Lazy::<AdminRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=StaticSegment("desk") view={Lazy::<DeskRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=StaticSegment("queue") view={Lazy::<QueueRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=StaticSegment("dashboard") view={Lazy::<DashboardRoute>::new()} ssr=SsrMode::Async/>
                    <Route
                        path=(StaticSegment("customers"), ParamSegment("id"))
                        view={Lazy::<CustomerRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("visits"), ParamSegment("id"))
                        view={Lazy::<VisitRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("visits"), ParamSegment("id"), StaticSegment("record"))
                        view={Lazy::<RecordRoute>::new()}
                        ssr=SsrMode::Async
                    />
                </Routes>
            </main>
        </Router>
    }
}
