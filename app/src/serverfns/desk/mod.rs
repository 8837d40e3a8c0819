//! The dispatcher's desk: the day board of a region, assignment, and
//! settling work held from phones.

mod assign_technician;
mod get_board;
mod get_suggestions;
mod settle_held_work;

pub use assign_technician::*;
pub use get_board::*;
pub use get_suggestions::*;
pub use settle_held_work::*;
