//! The visit checklist (上门服务规范). Templates are versioned: a visit keeps
//! the version it started with, so editing a template never rewrites history.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::ids::RecordId;
use super::time::Timestamp;
use super::validation::Note;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateItem {
    /// Stable across versions, so results can be compared item by item.
    pub key: String,
    pub text_zh: String,
    pub text_en: String,
    pub required: bool,
    pub photo_required: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistTemplate {
    pub version: u32,
    pub items: Vec<TemplateItem>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ItemAnswer {
    Done {
        at: Timestamp,
        note: Option<Note>,
        /// Id of a photo, made on the device like every record it creates.
        photo: Option<RecordId>,
    },
    NotApplicable {
        at: Timestamp,
        reason: Note,
    },
}

impl ItemAnswer {
    /// When the technician answered.
    pub fn at(&self) -> Timestamp {
        match self {
            ItemAnswer::Done { at, .. } | ItemAnswer::NotApplicable { at, .. } => *at,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("checklist incomplete: {}", missing.join(", "))]
pub struct IncompleteChecklist {
    /// Keys of the required items not answered, in template order.
    pub missing: Vec<String>,
}

fn item(key: &str, text_zh: &str, text_en: &str, required: bool) -> TemplateItem {
    TemplateItem {
        key: key.into(),
        text_zh: text_zh.into(),
        text_en: text_en.into(),
        required,
        photo_required: false,
    }
}

/// The default template, version 1: the service standard's eleven norms.
pub fn default_template() -> ChecklistTemplate {
    ChecklistTemplate {
        version: 1,
        items: vec![
            item(
                "show_id_card",
                "出示服务证件（星级服务资格证），递上名片",
                "Show the service ID card and hand over a business card",
                true,
            ),
            item(
                "greeting",
                "进门一句话：我是…服务员，前来为您服务",
                "Greet with the standard opening sentence (name and company)",
                true,
            ),
            item(
                "shoe_covers",
                "穿上鞋套（或自带专用鞋）",
                "Put on shoe covers (or own clean shoes)",
                true,
            ),
            item(
                "three_cloths",
                "铺好三块布：垫机布、擦机布、擦手布",
                "Lay out the three cloths: under-machine mat, machine cloth, hand cloth",
                true,
            ),
            item(
                "fee_schedule",
                "收费前公开出示统一收费标准",
                "Show the unified fee schedule before any charge",
                true,
            ),
            item(
                "trial_run",
                "服务后通电试机演示",
                "Power-on trial run and demonstration after the repair",
                true,
            ),
            item(
                "explain_usage",
                "向用户讲解使用和保养知识",
                "Explain usage and care to the user",
                true,
            ),
            item("clean_up", "清理现场", "Clean up the site", true),
            item(
                "one_stop_check",
                "一站式通检用户家中其他本品牌产品",
                "One-stop check of the household's other products of the brand",
                false,
            ),
            item(
                "closing_sentence",
                "服务后一句话：今后有问题，随时听候您的召唤",
                "Closing sentence: call us any time",
                true,
            ),
            item(
                "user_signature",
                "请用户在服务记录单上签署意见",
                "The user signs the service record with their opinion",
                true,
            ),
        ],
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("checklist item {key:?} is not in template version {version}")]
pub struct UnknownItem {
    pub key: String,
    pub version: u32,
}

impl ChecklistTemplate {
    /// The item a result is recorded against; a key the visit's template
    /// version does not have is refused, not stored.
    pub fn item(&self, key: &str) -> Result<&TemplateItem, UnknownItem> {
        self.items
            .iter()
            .find(|item| item.key == key)
            .ok_or_else(|| UnknownItem {
                key: key.to_string(),
                version: self.version,
            })
    }

    /// Required items with no answer, and items whose photo is required but
    /// missing; a "not applicable" with a reason counts as answered.
    pub fn check_complete<'a>(
        &self,
        answer_for: impl Fn(&str) -> Option<&'a ItemAnswer>,
    ) -> Result<(), IncompleteChecklist> {
        let missing: Vec<String> = self
            .items
            .iter()
            .filter(|item| match answer_for(&item.key) {
                None => item.required,
                Some(ItemAnswer::Done { photo, .. }) => item.photo_required && photo.is_none(),
                Some(ItemAnswer::NotApplicable { .. }) => false,
            })
            .map(|item| item.key.clone())
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(IncompleteChecklist { missing })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn done() -> ItemAnswer {
        ItemAnswer::Done {
            at: Timestamp::from_unix_millis(0),
            note: None,
            photo: None,
        }
    }

    #[test]
    fn the_default_template_has_the_eleven_norms_with_unique_keys() {
        let template = default_template();
        assert_eq!(template.items.len(), 11);
        let mut keys: Vec<&str> = template.items.iter().map(|i| i.key.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), 11);
        assert!(template
            .items
            .iter()
            .all(|i| !i.text_zh.is_empty() && !i.text_en.is_empty()));
        assert_eq!(template.items.iter().filter(|i| i.required).count(), 10);
    }

    #[test]
    fn missing_required_items_are_named_in_template_order() {
        let template = default_template();
        let mut answers: HashMap<String, ItemAnswer> = template
            .items
            .iter()
            .map(|i| (i.key.clone(), done()))
            .collect();
        assert_eq!(template.check_complete(|k| answers.get(k)), Ok(()));
        answers.remove("shoe_covers");
        answers.remove("show_id_card");
        answers.remove("one_stop_check"); // optional
        let error = template.check_complete(|k| answers.get(k)).unwrap_err();
        assert_eq!(error.missing, ["show_id_card", "shoe_covers"]);
        assert_eq!(
            error.to_string(),
            "checklist incomplete: show_id_card, shoe_covers"
        );
    }

    #[test]
    fn only_the_templates_own_items_take_answers() {
        let template = default_template();
        assert_eq!(template.item("three_cloths").unwrap().key, "three_cloths");
        let error = template.item("free_gift").unwrap_err();
        assert_eq!(error.version, 1);
        assert_eq!(
            error.to_string(),
            "checklist item \"free_gift\" is not in template version 1"
        );
    }

    #[test]
    fn not_applicable_answers_and_required_photos() {
        let mut template = default_template();
        template.items[5].photo_required = true;
        let mut answers: HashMap<String, ItemAnswer> = template
            .items
            .iter()
            .map(|i| (i.key.clone(), done()))
            .collect();
        assert_eq!(
            template
                .check_complete(|k| answers.get(k))
                .unwrap_err()
                .missing,
            ["trial_run"]
        );
        answers.insert(
            "trial_run".into(),
            ItemAnswer::NotApplicable {
                at: Timestamp::from_unix_millis(0),
                reason: Note::parse("用户不在家通电").unwrap(),
            },
        );
        assert_eq!(template.check_complete(|k| answers.get(k)), Ok(()));
    }
}
