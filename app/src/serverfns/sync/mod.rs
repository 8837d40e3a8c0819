//! The phone's outbox meets the server here: operations applied once each
//! (or held for the dispatcher), photos in resumable pieces, and the kit of
//! visits the phone keeps for working offline.

mod apply_operation;
mod apply_operations;
mod get_offline_kit;
mod get_sync_log;
mod upload_photo_piece;

pub use apply_operation::*;
pub use apply_operations::*;
pub use get_offline_kit::*;
pub use get_sync_log::*;
pub use upload_photo_piece::*;
