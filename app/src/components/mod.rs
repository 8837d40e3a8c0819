pub mod app_header;
pub mod choice;
pub mod contact_links;
pub mod load_failure;
pub mod sheet;
pub mod signature_pad;
pub mod trend_chart;
pub mod visit_card;
