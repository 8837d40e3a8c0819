//! 信息增值: what a technician saw in the home that design and service
//! should hear: a product defect or the user's suggestion.

use serde::{Deserialize, Serialize};

use super::ids::RecordId;
use super::time::Timestamp;
use super::validation::Note;

text_enum! {
    pub enum InsightCategory {
        ProductDefect = "product_defect",
        UserSuggestion = "user_suggestion",
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldInsight {
    pub id: RecordId,
    pub visit_id: RecordId,
    pub category: InsightCategory,
    pub note: Note,
    pub written_at: Timestamp,
}
