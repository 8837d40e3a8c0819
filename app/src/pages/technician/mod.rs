pub mod record;
pub mod today;
pub mod visit;
