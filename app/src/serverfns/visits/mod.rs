mod get_visit_record;
mod record_visit_event;

pub use get_visit_record::*;
pub use record_visit_event::*;
