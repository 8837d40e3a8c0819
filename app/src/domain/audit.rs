//! The audit log in words: what an admin change did to each field of the
//! record, read from the JSON kept before and after. Pure; the server reads
//! the JSON (so the browser needs no JSON tree of its own) and the admin
//! desk renders the changes in the reader's language.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::time::Timestamp;

/// A field's value as a person reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum AuditValue {
    /// No value (the record did not exist, or the field was empty).
    Nothing,
    Text(String),
    /// As the record wrote it ("4", "100").
    Number(String),
    YesNo(bool),
    /// A moment kept as milliseconds (`…_ms`).
    Time(Timestamp),
    /// A list of words, or of the names of a list's entries.
    Texts(Vec<String>),
    /// Working hours: minutes after midnight, from and until.
    Hours(u16, u16),
}

/// One field that changed, by its own key (the last part of its path).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditChange {
    pub field: String,
    pub before: AuditValue,
    pub after: AuditValue,
}

/// Where a subject's kind ends and its id begins: `user:<id>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuditSubject {
    Person,
    Region,
    ServicePoint,
    Complaint,
    /// An operation a phone sent, held and settled at the desk.
    HeldOperation,
    Checklist {
        version: String,
    },
    FeeSchedule {
        version: String,
        category: String,
    },
    Company,
    CallbackSampling,
    Other(String),
}

impl AuditSubject {
    pub fn of(subject: &str) -> AuditSubject {
        let mut parts = subject.split(':');
        match (parts.next().unwrap_or_default(), parts.next(), parts.next()) {
            ("user", Some(_), None) => AuditSubject::Person,
            ("region", Some(_), None) => AuditSubject::Region,
            ("service_point", Some(_), None) => AuditSubject::ServicePoint,
            ("complaint", Some(_), None) => AuditSubject::Complaint,
            ("operation", Some(_), None) => AuditSubject::HeldOperation,
            ("checklist_template", Some(version), None) => AuditSubject::Checklist {
                version: version.to_string(),
            },
            ("fee_schedule", Some(version), Some(category)) => AuditSubject::FeeSchedule {
                version: version.to_string(),
                category: category.to_string(),
            },
            ("company", None, None) => AuditSubject::Company,
            ("callback_sampling", None, None) => AuditSubject::CallbackSampling,
            _ => AuditSubject::Other(subject.to_string()),
        }
    }
}

/// The names a list entry goes by, the first found: a checklist item's
/// wording, a fee's name, or whatever it is called.
const ENTRY_NAMES: [&str; 4] = ["text_zh", "name_zh", "name", "key"];

fn read(key: &str, value: &Value) -> AuditValue {
    match value {
        Value::Null => AuditValue::Nothing,
        Value::Bool(yes) => AuditValue::YesNo(*yes),
        Value::Number(n) if key.ends_with("_ms") => n
            .as_i64()
            .map(|ms| AuditValue::Time(Timestamp::from_unix_millis(ms)))
            .unwrap_or(AuditValue::Nothing),
        Value::Number(n) => AuditValue::Number(n.to_string()),
        Value::String(text) if text.is_empty() => AuditValue::Nothing,
        Value::String(text) => AuditValue::Text(text.clone()),
        Value::Array(list) if list.is_empty() => AuditValue::Nothing,
        Value::Array(list) => {
            if key == "working_hours" {
                if let [Some(from), Some(until)] = [0, 1].map(|n| {
                    list.get(n)
                        .and_then(Value::as_u64)
                        .and_then(|m| u16::try_from(m).ok())
                }) {
                    return AuditValue::Hours(from, until);
                }
            }
            AuditValue::Texts(
                list.iter()
                    .map(|entry| match entry {
                        Value::String(text) => text.clone(),
                        Value::Object(fields) => ENTRY_NAMES
                            .iter()
                            .find_map(|name| fields.get(*name).and_then(Value::as_str))
                            .unwrap_or_default()
                            .to_string(),
                        other => other.to_string(),
                    })
                    .collect(),
            )
        }
        Value::Object(_) => AuditValue::Nothing,
    }
}

/// Every leaf of a record by key; nested records are opened (a person's
/// technician profile), ids are left out: they are not words, and each
/// record that has one names it beside it.
fn leaves(prefix: &str, value: &Value, into: &mut Vec<(String, String, AuditValue)>) {
    if let Value::Object(fields) = value {
        for (key, field) in fields {
            if key == "id" || key.ends_with("_id") {
                continue;
            }
            let path = if prefix.is_empty() {
                key.clone()
            } else {
                format!("{prefix}.{key}")
            };
            match field {
                Value::Object(_) => leaves(&path, field, into),
                _ => into.push((path, key.clone(), read(key, field))),
            }
        }
    }
}

/// The fields that differ between the record before and after, in the
/// order the record lists them; a record created lists every field, one
/// removed every field it had. Text that is not a JSON object (an old
/// entry, a hand-made one) is one field, `record`, shown as it is.
pub fn audit_changes(before: Option<&str>, after: Option<&str>) -> Vec<AuditChange> {
    let parse = |text: Option<&str>| -> Result<Vec<(String, String, AuditValue)>, String> {
        let Some(text) = text else {
            return Ok(Vec::new());
        };
        match serde_json::from_str::<Value>(text) {
            Ok(value @ Value::Object(_)) => {
                let mut found = Vec::new();
                leaves("", &value, &mut found);
                Ok(found)
            }
            _ => Err(text.to_string()),
        }
    };
    let (old, new) = match (parse(before), parse(after)) {
        (Ok(old), Ok(new)) => (old, new),
        (old, new) => {
            let raw = |side: Result<Vec<_>, String>, text: Option<&str>| match side {
                Err(raw) => AuditValue::Text(raw),
                Ok(_) => text.map_or(AuditValue::Nothing, |t| AuditValue::Text(t.to_string())),
            };
            return vec![AuditChange {
                field: "record".into(),
                before: raw(old, before),
                after: raw(new, after),
            }];
        }
    };
    let mut paths: Vec<&(String, String, AuditValue)> = new.iter().collect();
    paths.extend(
        old.iter()
            .filter(|(path, _, _)| !new.iter().any(|(p, _, _)| p == path)),
    );
    paths
        .into_iter()
        .filter_map(|(path, key, _)| {
            let find = |side: &[(String, String, AuditValue)]| {
                side.iter()
                    .find(|(p, _, _)| p == path)
                    .map_or(AuditValue::Nothing, |(_, _, value)| value.clone())
            };
            let (before, after) = (find(&old), find(&new));
            (before != after).then(|| AuditChange {
                field: key.clone(),
                before,
                after,
            })
        })
        .collect()
}

/// What a list gained and lost: (added, removed), each in its list's order.
pub fn list_difference(before: &[String], after: &[String]) -> (Vec<String>, Vec<String>) {
    (
        after
            .iter()
            .filter(|t| !before.contains(t))
            .cloned()
            .collect(),
        before
            .iter()
            .filter(|t| !after.contains(t))
            .cloned()
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edit_lists_only_the_fields_that_changed_in_words() {
        let before = r#"{"id":"u1","person":{"login":"tech.li","name":"李师傅","role":"technician","region_id":"r1","technician":{"skills":["washing_machine","dryer"],"brands":[],"working_hours":[540,1080],"service_point_id":null}},"active":true,"region_name":"浦东"}"#;
        let after = r#"{"id":"u1","person":{"login":"tech.li","name":"李建国","role":"technician","region_id":"r1","technician":{"skills":["washing_machine","dishwasher"],"brands":[],"working_hours":[480,1020],"service_point_id":null}},"active":false,"region_name":"浦东"}"#;
        let changes = audit_changes(Some(before), Some(after));
        let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
        // serde_json keeps keys sorted: the record's fields in that order.
        assert_eq!(fields, ["active", "name", "skills", "working_hours"]);
        assert_eq!(changes[0].after, AuditValue::YesNo(false));
        assert_eq!(changes[1].before, AuditValue::Text("李师傅".into()));
        assert_eq!(changes[3].after, AuditValue::Hours(480, 1020));
        let (AuditValue::Texts(old), AuditValue::Texts(new)) =
            (&changes[2].before, &changes[2].after)
        else {
            panic!("{:?}", changes[2]);
        };
        assert_eq!(
            list_difference(old, new),
            (vec!["dishwasher".to_string()], vec!["dryer".to_string()])
        );
    }

    #[test]
    fn an_empty_list_is_no_value() {
        // A person created with no brands: nothing to say of brands.
        assert_eq!(audit_changes(None, Some(r#"{"brands":[]}"#)), []);
        let emptied = audit_changes(Some(r#"{"brands":["海尔"]}"#), Some(r#"{"brands":[]}"#));
        assert_eq!(emptied[0].after, AuditValue::Nothing);
    }

    #[test]
    fn a_moment_is_a_time_and_no_id_is_shown() {
        let changes = audit_changes(None, Some(r#"{"expires_at_ms":1764720000000}"#));
        assert_eq!(
            changes,
            [AuditChange {
                field: "expires_at_ms".into(),
                before: AuditValue::Nothing,
                after: AuditValue::Time(Timestamp::from_unix_millis(1_764_720_000_000)),
            }]
        );
        let owner = audit_changes(
            Some(r#"{"owner_id":null}"#),
            Some(r#"{"owner_id":"u9","owner":"赵调度","reason":"休假"}"#),
        );
        let fields: Vec<&str> = owner.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["owner", "reason"]);
    }

    #[test]
    fn a_list_of_entries_is_read_by_their_names() {
        let before =
            r#"{"version":3,"items":[{"key":"a","text_zh":"出示工作证","required":true}]}"#;
        let after = r#"{"version":4,"items":[{"key":"a","text_zh":"出示工作证","required":true},{"key":"b","text_zh":"穿鞋套","required":true}]}"#;
        let changes = audit_changes(Some(before), Some(after));
        assert_eq!(changes[0].field, "items");
        assert_eq!(
            changes[0].after,
            AuditValue::Texts(vec!["出示工作证".into(), "穿鞋套".into()])
        );
        assert_eq!(changes[1].after, AuditValue::Number("4".into()));
    }

    #[test]
    fn text_that_is_not_a_record_is_shown_as_it_is() {
        let changes = audit_changes(Some("not json"), Some(r#"{"a":1}"#));
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].before, AuditValue::Text("not json".into()));
        assert_eq!(changes[0].after, AuditValue::Text(r#"{"a":1}"#.into()));
        assert_eq!(audit_changes(None, None), []);
    }

    #[test]
    fn subjects_are_told_apart() {
        assert_eq!(AuditSubject::of("user:0193"), AuditSubject::Person);
        assert_eq!(
            AuditSubject::of("fee_schedule:3:dryer"),
            AuditSubject::FeeSchedule {
                version: "3".into(),
                category: "dryer".into()
            }
        );
        assert_eq!(AuditSubject::of("company"), AuditSubject::Company);
        assert_eq!(
            AuditSubject::of("something:else:entirely:x"),
            AuditSubject::Other("something:else:entirely:x".into())
        );
    }
}
