mod charge_fee;
mod get_visit_record;
mod record_checklist_answer;
mod record_outcome;
mod record_part;
mod record_visit_event;
mod sign_off;

pub use charge_fee::*;
pub use get_visit_record::*;
pub use record_checklist_answer::*;
pub use record_outcome::*;
pub use record_part::*;
pub use record_visit_event::*;
pub use sign_off::*;
