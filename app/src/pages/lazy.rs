//! The pages a technician's phone does not need when it opens "today":
//! each is a lazy route, its code split into its own WASM chunk (`cargo
//! leptos build --split`) that the browser fetches the first time the page
//! is opened, and on a full load of the page before hydrating it. The
//! service worker keeps the chunks with the rest of the app, so they open
//! offline too. "Today" and the login page stay in the first download.

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

use crate::pages::admin::AdminPage;
use crate::pages::dispatcher::customer::CustomerPage;
use crate::pages::dispatcher::dashboard::DashboardPage;
use crate::pages::dispatcher::desk::DeskPage;
use crate::pages::dispatcher::queue::QueuePage;
use crate::pages::set_password::SetPasswordPage;
use crate::pages::technician::record::RecordPage;
use crate::pages::technician::visit::VisitPage;

/// One lazy route per page. Each page loads its own data inside, as it
/// did as an eager route: the route's data half has nothing to start early.
macro_rules! lazy_routes {
    ($($route:ident => $page:ident),* $(,)?) => {$(
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(this: Self) -> AnyView {
                let $route = this;
                $page().into_any()
            }
        }
    )*};
}

lazy_routes! {
    VisitRoute => VisitPage,
    RecordRoute => RecordPage,
    DeskRoute => DeskPage,
    QueueRoute => QueuePage,
    DashboardRoute => DashboardPage,
    CustomerRoute => CustomerPage,
    AdminRoute => AdminPage,
    SetPasswordRoute => SetPasswordPage,
}
