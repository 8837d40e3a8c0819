//! Following complaints up: the dispatchers' queue of complaint steps due
//! today or overdue, recording each step, and who owns each complaint.

mod change_complaint_owner;
mod get_complaint_owners;
mod get_complaint_queue;
mod record_complaint_step;
mod take_phone_complaint;

pub use change_complaint_owner::*;
pub use get_complaint_owners::*;
pub use get_complaint_queue::*;
pub use record_complaint_step::*;
pub use take_phone_complaint::*;
