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

// Each page loads its own data inside, as it did as an eager route: the
// route's data half has nothing to start early.

pub struct VisitRoute;

#[lazy_route]
impl LazyRoute for VisitRoute {
    fn data() -> Self {
        VisitRoute
    }

    fn view(this: Self) -> AnyView {
        let VisitRoute = this;
        VisitPage().into_any()
    }
}

pub struct RecordRoute;

#[lazy_route]
impl LazyRoute for RecordRoute {
    fn data() -> Self {
        RecordRoute
    }

    fn view(this: Self) -> AnyView {
        let RecordRoute = this;
        RecordPage().into_any()
    }
}

pub struct DeskRoute;

#[lazy_route]
impl LazyRoute for DeskRoute {
    fn data() -> Self {
        DeskRoute
    }

    fn view(this: Self) -> AnyView {
        let DeskRoute = this;
        DeskPage().into_any()
    }
}

pub struct QueueRoute;

#[lazy_route]
impl LazyRoute for QueueRoute {
    fn data() -> Self {
        QueueRoute
    }

    fn view(this: Self) -> AnyView {
        let QueueRoute = this;
        QueuePage().into_any()
    }
}

pub struct DashboardRoute;

#[lazy_route]
impl LazyRoute for DashboardRoute {
    fn data() -> Self {
        DashboardRoute
    }

    fn view(this: Self) -> AnyView {
        let DashboardRoute = this;
        DashboardPage().into_any()
    }
}

pub struct CustomerRoute;

#[lazy_route]
impl LazyRoute for CustomerRoute {
    fn data() -> Self {
        CustomerRoute
    }

    fn view(this: Self) -> AnyView {
        let CustomerRoute = this;
        CustomerPage().into_any()
    }
}

pub struct AdminRoute;

#[lazy_route]
impl LazyRoute for AdminRoute {
    fn data() -> Self {
        AdminRoute
    }

    fn view(this: Self) -> AnyView {
        let AdminRoute = this;
        AdminPage().into_any()
    }
}

pub struct SetPasswordRoute;

#[lazy_route]
impl LazyRoute for SetPasswordRoute {
    fn data() -> Self {
        SetPasswordRoute
    }

    fn view(this: Self) -> AnyView {
        let SetPasswordRoute = this;
        SetPasswordPage().into_any()
    }
}
