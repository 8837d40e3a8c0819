//! Routes: health check, the service worker, the Leptos pages and server
//! functions, static files.

mod audit_export;
pub mod client_address;
pub mod csrf;
mod csv;
mod dashboard_export;
mod dashboard_tables;
mod desk_events;
pub mod error;
pub mod hardening;
mod health;
mod photos;
mod reactive_owner;
mod service_worker;

use app::auth::CookieSecurity;
use app::store::Store;
use app::zone::ServiceZone;
use app::{shell, App};
use axum::extract::FromRef;
use axum::middleware;
use axum::routing::get;
use axum::Router;
use leptos::prelude::{provide_context, LeptosOptions};
use leptos_axum::{generate_route_list, LeptosRoutes};

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub store: Store,
    pub service_zone: ServiceZone,
    pub cookie_security: CookieSecurity,
    pub limits: hardening::RequestLimits,
    pub clients: client_address::ClientLimits,
}

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let server_context = {
        let store = state.store.clone();
        let zone = state.service_zone;
        let cookie_security = state.cookie_security;
        move || {
            provide_context(store.clone());
            provide_context(zone);
            provide_context(cookie_security);
        }
    };
    let render_shell = {
        let options = state.leptos_options.clone();
        move || shell(options.clone())
    };
    let worker = std::sync::Arc::new(service_worker::script(&state.leptos_options));
    Router::new()
        .route("/healthz", get(health::healthz))
        .route(
            "/sw.js",
            get(move || {
                let worker = worker.clone();
                async move { service_worker::response(&worker) }
            }),
        )
        .route("/api/photos/{id}", get(photos::photo))
        .route("/api/desk/events", get(desk_events::desk_events))
        .route("/api/dashboard/export.csv", get(dashboard_export::export))
        .route("/api/admin/audit.csv", get(audit_export::export))
        .leptos_routes_with_context(&state, routes, server_context, render_shell)
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(middleware::from_fn(csrf::refuse_cross_site))
        .layer(middleware::from_fn(error::server_function_status))
        .layer(hardening::compression())
        .layer(middleware::from_fn_with_state(
            state.limits,
            hardening::limit_body,
        ))
        // `limit_body` is the one limit (axum's default would answer 400
        // for a body between 2 MiB and ours).
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
            state.limits.body_idle_timeout,
        ))
        .layer(middleware::from_fn_with_state(
            hardening::InProgress::new(state.limits.max_in_progress),
            hardening::shed_load,
        ))
        .layer(middleware::from_fn_with_state(
            state.clients.clone(),
            client_address::client_address_and_share,
        ))
        .layer(middleware::from_fn_with_state(
            hardening::HttpsOnly(state.cookie_security.secure),
            hardening::security_headers,
        ))
        .layer(middleware::from_fn(reactive_owner::own_reactive_root))
        .with_state(state)
}
