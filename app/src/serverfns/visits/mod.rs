mod record_visit_event;

pub use record_visit_event::*;
