mod board_axis;
mod board_map;
pub mod customer;
pub mod dashboard;
mod day_plan;
pub mod desk;
mod intake;
pub mod queue;
