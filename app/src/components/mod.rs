pub mod app_header;
pub mod signature_pad;
pub mod visit_card;
