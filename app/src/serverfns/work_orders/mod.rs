mod create_work_order;

pub use create_work_order::*;
