pub mod record;
pub mod today;
pub mod visit;
pub mod visit_work;
