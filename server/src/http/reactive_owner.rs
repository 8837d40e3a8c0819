//! Every request runs under a reactive owner of its own.
//!
//! Leptos keeps the current reactive owner in a thread-local, and
//! leptos_axum makes the owner of a server function call or of a static
//! file with `Owner::new()`, which takes the owner current on the thread as
//! its parent. A page being rendered can leave its owner current on a
//! worker thread; a static file answered next on that thread then found the
//! page's `ResponseOptions` and took its headers, so the page went out
//! without its content security policy and the browser blocked the app's
//! scripts. A server function could likewise read a context another
//! request provided. Polled under a fresh root, a request reaches nothing
//! of another's.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use leptos::prelude::Owner;
use leptos::reactive::computed::ScopedFuture;

pub async fn own_reactive_root(request: Request, next: Next) -> Response {
    let root = Owner::new_root(None);
    root.with(|| ScopedFuture::new_untracked(next.run(request)))
        .await
}
