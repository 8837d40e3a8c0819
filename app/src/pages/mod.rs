pub mod admin;
pub mod dispatcher;
pub mod lazy;
pub mod login;
pub mod not_found;
pub mod set_password;
pub mod technician;

/// Where each role starts: a technician's day, the dispatcher's desk, the
/// admin's desk.
pub fn home_of(role: crate::domain::auth::Role) -> &'static str {
    use crate::domain::auth::Role;
    match role {
        Role::Technician => "/",
        Role::Dispatcher => "/desk",
        Role::Admin => "/admin",
    }
}
