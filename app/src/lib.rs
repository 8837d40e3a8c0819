//! Doorstep's shared crate: pure domain rules, the Leptos UI, and the server
//! functions. Compiled twice: with `ssr` into the server, with `hydrate` into
//! the WASM that phones and desktop browsers run.
// The visit page's statically typed view tree is deeper than the default.
#![recursion_limit = "256"]

pub mod api;
#[cfg(feature = "ssr")]
pub mod auth;
pub mod components;
#[cfg(feature = "ssr")]
pub mod context;
pub mod domain;
#[cfg(feature = "ssr")]
pub mod error;
#[cfg(feature = "ssr")]
pub mod hashing;
pub mod i18n;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod security;
pub mod serverfns;
#[cfg(feature = "ssr")]
pub mod store;
pub mod sync;

mod shell;
#[cfg(feature = "ssr")]
pub mod zone;

pub use shell::{shell, App};

/// Entry point the generated JS calls once the WASM is loaded.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Hydrated asynchronously: a lazy page opened by a full load has its
    // code fetched first (`pages::lazy`).
    wasm_bindgen_futures::spawn_local(async {
        let Some(body) = leptos::prelude::document().body() else {
            return;
        };
        leptos::mount::hydrate_from_async(body.clone(), App)
            .await
            .forget();
        // Tells browser tests the event handlers are attached, so a click
        // they make is a click the app receives.
        let _ = body.set_attribute("data-hydrated", "");
    });
}
