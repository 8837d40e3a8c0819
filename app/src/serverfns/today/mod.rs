mod list_today_visits;

pub use list_today_visits::*;
