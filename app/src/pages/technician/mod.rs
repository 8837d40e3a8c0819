pub mod today;
pub mod visit;
