//! Pure rules of the service standard: no I/O, no framework types, compiled
//! for both the server and the browser.

pub mod auth;
pub mod checklist;
pub mod ids;
pub mod metrics;
pub mod signoff;
pub mod time;
pub mod validation;
pub mod visit;
pub mod work_order;
