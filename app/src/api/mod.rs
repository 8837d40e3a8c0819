//! The wire types: everything a server function takes or returns, the
//! signed-in user, the one error, and the sync protocol. Compiled for the
//! server and the browser alike, with no server-only dependencies, so both
//! sides read exactly what the other wrote. Depends on `domain` only.

pub mod admin;
pub mod auth;
pub mod callbacks;
pub mod complaints;
pub mod customers;
pub mod dashboard;
pub mod desk;
pub mod error;
pub mod sync;
pub mod today;
pub mod visits;
pub mod work_orders;
