//! Following complaints up: the dispatchers' queue of complaint steps due
//! today or overdue, and recording each step.

mod get_complaint_queue;
mod record_complaint_step;
mod take_phone_complaint;

pub use get_complaint_queue::*;
pub use record_complaint_step::*;
pub use take_phone_complaint::*;
