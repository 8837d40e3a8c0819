pub mod admin;
pub mod dispatcher;
pub mod lazy;
pub mod login;
pub mod not_found;
pub mod set_password;
pub mod technician;
