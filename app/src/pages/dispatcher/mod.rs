pub mod customer;
pub mod dashboard;
pub mod desk;
mod intake;
pub mod queue;
