pub mod desk;
mod intake;
