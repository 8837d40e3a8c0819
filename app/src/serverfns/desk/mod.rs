//! The dispatcher's desk: the day board of a region and assignment.

mod assign_technician;
mod get_board;
mod get_suggestions;

pub use assign_technician::*;
pub use get_board::*;
pub use get_suggestions::*;
