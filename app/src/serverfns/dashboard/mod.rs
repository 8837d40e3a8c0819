//! The service-quality dashboard: figures, trends, scorecards, the
//! service-star ranking, checklist items and the field-insight report.

mod get_dashboard;

pub use get_dashboard::*;
