pub mod customer;
pub mod desk;
mod intake;
