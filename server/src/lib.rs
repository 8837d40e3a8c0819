//! Doorstep's server: configuration, database, HTTP wiring. The product's
//! rules live in the `app` crate; this crate only connects them to the world.
// The route list's view types are as deep as the app's (see app/src/lib.rs).
#![recursion_limit = "256"]

pub mod change_feed;
pub mod config;
pub mod dashboard_history;
pub mod db;
pub mod demo;
pub mod http;
pub mod load;
pub mod serve;

use std::net::SocketAddr;

use app::store::Store;
use leptos::prelude::LeptosOptions;
use thiserror::Error;

use crate::config::Config;

#[derive(Debug, Error)]
pub enum StartError {
    #[error(transparent)]
    Database(#[from] db::DbError),
    #[error(transparent)]
    Demo(#[from] demo::DemoError),
    #[error("cannot read the Leptos site configuration: {0}")]
    Site(String),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// Reads the site options cargo-leptos baked in (output name, site root) and
/// puts our own validated address in place of its default.
pub fn leptos_options(addr: SocketAddr) -> Result<LeptosOptions, StartError> {
    let conf =
        leptos::prelude::get_configuration(None).map_err(|e| StartError::Site(e.to_string()))?;
    let mut options = conf.leptos_options;
    options.site_addr = addr;
    Ok(options)
}

/// Connects, migrates, seeds demo data when asked, and serves until SIGINT or
/// SIGTERM.
pub async fn run(config: Config) -> Result<(), StartError> {
    if config.clock_shift_ms != 0 {
        app::domain::time::Timestamp::shift_clock(config.clock_shift_ms);
        tracing::warn!(
            shift_ms = config.clock_shift_ms,
            now_ms = app::domain::time::Timestamp::now().unix_millis(),
            "the server's clock is moved (DOORSTEP_CLOCK_SHIFT_MS): for tests and demonstrations only"
        );
    }
    let pool = db::connect_sized(&config.database, config.pool_size).await?;
    db::migrate(&pool).await?;
    let store = Store::new(pool).with_arrival_radius(config.arrival_radius);
    if store.engine().notifies_through_database() {
        change_feed::start_listener(store.clone(), config.database.url().to_string())
            .await
            .map_err(|source| db::DbError::Connect {
                url: config.database.redacted().to_string(),
                source,
            })?;
    }
    if config.demo_data {
        demo::seed_if_empty(&store, config.service_zone, demo::History::SIX_MONTHS).await?;
    }
    dashboard_history::spawn(store.clone(), config.service_zone);

    let state = http::AppState {
        leptos_options: leptos_options(config.addr)?,
        store: store.clone(),
        service_zone: config.service_zone,
        cookie_security: app::auth::CookieSecurity {
            secure: config.secure_cookies,
        },
        limits: http::hardening::RequestLimits {
            max_in_progress: config
                .max_requests_in_progress
                .unwrap_or(http::hardening::DEFAULT_MAX_REQUESTS_IN_PROGRESS),
            ..http::hardening::RequestLimits::default()
        },
        clients: http::client_address::ClientLimits::new(
            config.trusted_proxies.clone(),
            http::client_address::DEFAULT_MAX_IN_PROGRESS_PER_CLIENT,
        ),
    };
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|source| StartError::Bind {
            addr: config.addr,
            source,
        })?;
    tracing::info!(addr = %config.addr, database = %config.database.redacted(), "Doorstep is listening on http://{}", config.addr);
    if !config.trusted_proxies.is_empty() {
        tracing::info!(proxies = ?config.trusted_proxies, "client addresses are taken from these proxies' forwarding headers");
    }
    let limits = serve::ConnectionLimits {
        trusted_proxies: config.trusted_proxies.clone(),
        ..serve::ConnectionLimits::default()
    };
    serve::serve(listener, http::router(state), limits, shutdown_signal()).await;
    store.pool().close().await;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
