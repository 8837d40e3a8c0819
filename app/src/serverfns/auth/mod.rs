mod login;
mod logout;
mod set_password_with_code;
mod who_am_i;

pub use login::*;
pub use logout::*;
pub use set_password_with_code::*;
pub use who_am_i::*;
