pub mod app_header;
pub mod visit_card;
