//! The calls after a service: the region's queue of callbacks, tracking
//! calls and survey calls, and recording what the customer said.

mod get_call_queue;
mod get_callback_sampling;
mod record_follow_up_call;
mod set_callback_sampling;

pub use get_call_queue::*;
pub use get_callback_sampling::*;
pub use record_follow_up_call::*;
pub use set_callback_sampling::*;
