//! The visit checklist (上门服务规范). Templates are versioned: a visit keeps
//! the version it started with, so editing a template never rewrites history.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::ids::RecordId;
use super::time::Timestamp;
use super::validation::{ChecklistItemText, Note, Problem, ValidationError};

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
/// The item the customer's signature completes (请用户在服务记录单上签署
///意见): the technician never ticks it, the work finishes without it, and
/// the sign-off records it done. Not yet due while the customer has not
/// been asked.
pub const SIGNED_BY_CUSTOMER: &str = "user_signature";

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

/// A template item as the admin's editor sends it. `key` is empty for an
/// item added in the editor; an item carried over keeps its key, so results
/// stay comparable item by item across versions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateItemForm {
    pub key: String,
    pub text_zh: String,
    pub text_en: String,
    pub required: bool,
    pub photo_required: bool,
}

/// Why an edited list (a checklist template, a category's fee schedule)
/// cannot be published: the item (from 0) and its field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateRefused {
    pub position: Option<usize>,
    pub error: ValidationError,
}

impl TemplateRefused {
    /// The form's name for the field: `item_3_text_zh`, or `items` for the
    /// list as a whole.
    pub fn field(&self) -> String {
        match self.position {
            Some(position) => format!("item_{position}_{}", self.error.field),
            None => self.error.field.to_string(),
        }
    }
}

pub const MAX_TEMPLATE_ITEMS: usize = 40;

/// Checks an edited template against the current one. New items get keys
/// `item_<n>` that no version has used; a published template must differ
/// from the current one.
pub fn check_template(
    items: &[TemplateItemForm],
    current: &ChecklistTemplate,
    keys_ever_used: &[String],
) -> Result<Vec<TemplateItem>, TemplateRefused> {
    let whole = |problem| TemplateRefused {
        position: None,
        error: ValidationError::new("items", problem),
    };
    if items.is_empty() {
        return Err(whole(Problem::Empty));
    }
    if items.len() > MAX_TEMPLATE_ITEMS {
        return Err(whole(Problem::TooLong {
            max: MAX_TEMPLATE_ITEMS,
        }));
    }
    let mut checked: Vec<TemplateItem> = Vec::with_capacity(items.len());
    let mut next_number = 1;
    for (position, item) in items.iter().enumerate() {
        let at = |error: ValidationError| TemplateRefused {
            position: Some(position),
            error,
        };
        let text = |field: &'static str, value: &str| {
            ChecklistItemText::parse(value)
                .map(|text| text.as_str().to_owned())
                .map_err(|error| at(ValidationError::new(field, error.problem)))
        };
        let key = item.key.trim();
        let key = if key.is_empty() {
            loop {
                let candidate = format!("item_{next_number}");
                next_number += 1;
                let taken = keys_ever_used.contains(&candidate)
                    || items.iter().any(|other| other.key.trim() == candidate);
                if !taken {
                    break candidate;
                }
            }
        } else {
            if !keys_ever_used.iter().any(|used| used == key) {
                return Err(at(ValidationError::new(
                    "key",
                    Problem::BadFormat("an item's key comes from an earlier version"),
                )));
            }
            key.to_owned()
        };
        if checked.iter().any(|earlier| earlier.key == key) {
            return Err(at(ValidationError::new(
                "key",
                Problem::BadFormat("this item is in the list twice"),
            )));
        }
        if item.photo_required && !item.required {
            return Err(at(ValidationError::new(
                "photo_required",
                Problem::BadFormat("a photo can only be required of a required item"),
            )));
        }
        checked.push(TemplateItem {
            key,
            text_zh: text("text_zh", &item.text_zh)?,
            text_en: text("text_en", &item.text_en)?,
            required: item.required,
            photo_required: item.photo_required,
        });
    }
    if checked == current.items {
        return Err(whole(Problem::BadFormat(
            "nothing changed from the current version",
        )));
    }
    Ok(checked)
}

impl TemplateItemForm {
    pub fn of(item: &TemplateItem) -> TemplateItemForm {
        TemplateItemForm {
            key: item.key.clone(),
            text_zh: item.text_zh.clone(),
            text_en: item.text_en.clone(),
            required: item.required,
            photo_required: item.photo_required,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn editor_copy(template: &ChecklistTemplate) -> Vec<TemplateItemForm> {
        template.items.iter().map(TemplateItemForm::of).collect()
    }

    fn keys(template: &ChecklistTemplate) -> Vec<String> {
        template.items.iter().map(|item| item.key.clone()).collect()
    }

    #[test]
    fn an_edited_template_keeps_its_keys_and_new_items_get_unused_ones() {
        let current = default_template();
        let mut items = editor_copy(&current);
        items.swap(0, 1);
        items[0].text_en = "Greet the customer".into();
        items.push(TemplateItemForm {
            key: String::new(),
            text_zh: "检查电源线是否老化".into(),
            text_en: "Check the power cord for wear".into(),
            required: true,
            photo_required: false,
        });
        // `item_1` was used by a version long gone: the new item skips it.
        let mut used = keys(&current);
        used.push("item_1".into());
        let checked = check_template(&items, &current, &used).unwrap();
        assert_eq!(checked[0].key, "greeting");
        assert_eq!(checked[0].text_en, "Greet the customer");
        assert_eq!(checked.last().unwrap().key, "item_2");
        assert_eq!(checked.len(), current.items.len() + 1);
    }

    #[test]
    fn a_bad_template_names_the_item_and_field() {
        let current = default_template();
        let used = keys(&current);
        let refused = |change: &dyn Fn(&mut Vec<TemplateItemForm>)| {
            let mut items = editor_copy(&current);
            change(&mut items);
            check_template(&items, &current, &used).unwrap_err().field()
        };
        assert_eq!(
            refused(&|items| items[2].text_zh = "  ".into()),
            "item_2_text_zh"
        );
        assert_eq!(
            refused(&|items| items[0].text_en = "x".repeat(201)),
            "item_0_text_en"
        );
        assert_eq!(
            refused(&|items| items[1].key = "made_up".into()),
            "item_1_key"
        );
        assert_eq!(
            refused(&|items| {
                let copy = items[0].clone();
                items.push(copy);
            }),
            format!("item_{}_key", current.items.len())
        );
        assert_eq!(
            refused(&|items| {
                items[3].required = false;
                items[3].photo_required = true;
            }),
            "item_3_photo_required"
        );
        assert_eq!(refused(&|items| items.clear()), "items");
        assert_eq!(
            refused(&|_| {}),
            "items",
            "an unchanged template is not a new version"
        );
        let too_many = |items: &mut Vec<TemplateItemForm>| {
            while items.len() <= MAX_TEMPLATE_ITEMS {
                items.push(TemplateItemForm {
                    text_zh: "多".into(),
                    text_en: "more".into(),
                    ..TemplateItemForm::default()
                });
            }
        };
        assert_eq!(refused(&too_many), "items");
    }

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
