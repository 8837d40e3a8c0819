use leptos::prelude::*;

use crate::components::load_failure::load_failure;
use crate::domain::admin::AuditEntry;
use crate::domain::audit::{list_difference, AuditSubject, AuditValue};
use crate::domain::time::{format_local_date_time, format_minute_of_day, UtcOffset};
use crate::domain::work_order::ApplianceCategory;
use crate::i18n::{use_i18n, Messages};
use crate::serverfns::admin::get_audit_log;

/// The newest admin changes in words: who by name, what to, and each field
/// that changed from what to what; the whole log as CSV, with its JSON.
#[component]
pub fn AuditSection(changes: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let log = Resource::new(move || changes.get(), |_| get_audit_log());
    view! {
        <section class="admin__audit" aria-labelledby="audit-title">
            <div class="desk__heading">
                <h2 id="audit-title">{move || i18n.t().admin.audit_title}</h2>
                <a class="button button--quiet" href="/api/admin/audit.csv" download=""
                    data-testid="audit-export" rel="external">{move || i18n.t().admin.audit_export}</a>
            </div>
            <Transition fallback=move || view! { <p class="status">{move || i18n.t().loading}</p> }>
                {move || Suspend::new(async move {
                    match log.await {
                        Ok(entries) if entries.is_empty() => view! {
                            <p class="status">{move || i18n.t().admin.audit_empty}</p>
                        }.into_any(),
                        Ok(entries) => view! { <AuditTable entries/> }.into_any(),
                        Err(error) => load_failure(error),
                    }
                })}
            </Transition>
        </section>
    }
}

/// Part of an audit line: the desk's own words, or what someone typed (a
/// name, an item's text), which is theirs and marked so that no translator
/// touches it.
#[derive(Clone, Debug, PartialEq)]
enum Piece {
    Words(String),
    Typed(String),
}

/// Stand-ins for values inside a message, so each language's message puts
/// them where its word order wants; no message holds these characters.
const FIRST_VALUE: &str = "\u{1}";
const SECOND_VALUE: &str = "\u{2}";

/// A message made with the stand-ins, the values put back in their places.
fn with_values(words: &str, first: &[Piece], second: &[Piece]) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut rest = words;
    while let Some(at) = rest.find(['\u{1}', '\u{2}']) {
        if at > 0 {
            pieces.push(Piece::Words(rest[..at].to_string()));
        }
        pieces.extend_from_slice(if rest[at..].starts_with(FIRST_VALUE) {
            first
        } else {
            second
        });
        rest = &rest[at + 1..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Words(rest.to_string()));
    }
    pieces
}

/// A value in words: the field says how (a skill is an appliance, a share
/// is in thousandths, working hours are a span of the clock).
fn value_words(field: &str, value: &AuditValue, t: &'static Messages) -> Vec<Piece> {
    let words = t.admin.audit;
    let said = |text: String| vec![Piece::Words(text)];
    match value {
        AuditValue::Nothing => said(words.nothing.to_string()),
        AuditValue::YesNo(on) if field == "active" => said(
            (if *on {
                words.active_yes
            } else {
                words.active_no
            })
            .to_string(),
        ),
        AuditValue::YesNo(yes) => said((if *yes { words.yes } else { words.no }).to_string()),
        AuditValue::Text(text) => vec![text_words(field, text, t)],
        AuditValue::Number(n)
            if ["contracted", "company_run", "headquarters", "phone_survey"].contains(&field) =>
        {
            said(format!("{n}‰"))
        }
        AuditValue::Number(n) => said(n.clone()),
        AuditValue::Time(at) => said(format_local_date_time(*at, UtcOffset::CHINA)),
        AuditValue::Hours(from, until) => said(format!(
            "{}–{}",
            format_minute_of_day(u32::from(*from)),
            format_minute_of_day(u32::from(*until))
        )),
        AuditValue::Texts(list) if list.is_empty() => said(words.nothing.to_string()),
        AuditValue::Texts(list) => joined(field, list, t),
    }
}

/// A text in the reader's words where the desk has words for it (a role,
/// a level, an appliance, an outcome); otherwise it is what was typed.
fn text_words(field: &str, text: &str, t: &'static Messages) -> Piece {
    use crate::domain::auth::Role;
    use crate::domain::callback::ServicePointLevel;
    let words = match field {
        "role" => Role::parse(text).map(|role| (t.admin.role_name)(role)),
        "level" => ServicePointLevel::parse(text).map(|level| (t.admin.level_name)(level)),
        "category" | "skills" => {
            ApplianceCategory::parse(text).map(|category| (t.appliance_category)(category))
        }
        "outcome" => Some((t.admin.audit.outcome)(text)),
        _ => None,
    };
    words.map_or_else(
        || Piece::Typed(text.to_string()),
        |words| Piece::Words(words.to_string()),
    )
}

/// The list's items, each in words or as typed, joined.
fn joined(field: &str, list: &[String], t: &'static Messages) -> Vec<Piece> {
    let mut pieces = Vec::new();
    for (n, text) in list.iter().enumerate() {
        if n > 0 {
            pieces.push(Piece::Words("、".to_string()));
        }
        pieces.push(text_words(field, text, t));
    }
    pieces
}

/// "姓名：李师傅 → 李建国"; a list says what it gained and lost.
fn change_words(
    field: &str,
    before: &AuditValue,
    after: &AuditValue,
    t: &'static Messages,
) -> Vec<Piece> {
    match (before, after) {
        (AuditValue::Texts(old), AuditValue::Texts(new)) if !old.is_empty() && !new.is_empty() => {
            let (added, removed) = list_difference(old, new);
            let marker = |list: &[String], marker| if list.is_empty() { "" } else { marker };
            with_values(
                &(t.admin.audit.list_change)(
                    marker(&added, FIRST_VALUE),
                    marker(&removed, SECOND_VALUE),
                ),
                &joined(field, &added, t),
                &joined(field, &removed, t),
            )
        }
        (AuditValue::Nothing, after) => value_words(field, after, t),
        (before, after) => {
            let mut pieces = value_words(field, before, t);
            pieces.push(Piece::Words(" → ".to_string()));
            pieces.extend(value_words(field, after, t));
            pieces
        }
    }
}

/// Pieces on the page, what was typed marked as such.
fn pieces_view(pieces: Vec<Piece>) -> impl IntoView {
    pieces
        .into_iter()
        .map(|piece| match piece {
            Piece::Words(words) => words.into_any(),
            Piece::Typed(typed) => view! { <span translate="no">{typed}</span> }.into_any(),
        })
        .collect_view()
}

#[component]
fn AuditTable(entries: Vec<AuditEntry>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().admin;
    view! {
        <div class="dashboard__scroll">
            <table class="dashboard__table admin__audit-table" data-testid="audit-log">
                <thead><tr>
                    <th>{move || t().audit_time}</th>
                    <th>{move || t().audit_actor}</th>
                    <th>{move || t().audit_action}</th>
                    <th>{move || t().audit_subject}</th>
                    <th>{move || t().audit_change}</th>
                </tr></thead>
                <tbody>
                    {entries.into_iter().map(|entry| {
                        let action = entry.action;
                        let subject = AuditSubject::of(&entry.subject);
                        let subject_name = entry.subject_name.clone();
                        let changes = entry.changes;
                        view! {
                            <tr data-testid="audit-entry" data-action=action.as_str()>
                                // The admin desk is run from the head office: China time.
                                <td>{format_local_date_time(entry.at, UtcOffset::CHINA)}</td>
                                <td translate="no">{entry.actor_name}</td>
                                <td>{move || (t().action_name)(action)}</td>
                                <td data-testid="audit-subject">{move || {
                                    let messages = i18n.t();
                                    let words = messages.admin.audit.subject;
                                    pieces_view(match (&subject, &subject_name) {
                                        (AuditSubject::FeeSchedule { category, .. }, _) => {
                                            let category = ApplianceCategory::parse(category)
                                                .map(|c| (messages.appliance_category)(c));
                                            vec![Piece::Words(words(&subject, category))]
                                        }
                                        (_, Some(name)) => with_values(
                                            &words(&subject, Some(FIRST_VALUE)),
                                            &[Piece::Typed(name.clone())],
                                            &[],
                                        ),
                                        (_, None) => vec![Piece::Words(words(&subject, None))],
                                    })
                                }}</td>
                                <td class="admin__change">
                                    <ul class="admin__changes" data-testid="audit-changes">
                                        {changes.into_iter().map(|change| view! {
                                            <li>
                                                <span class="admin__change-field">{
                                                    let field = change.field.clone();
                                                    move || (t().audit.field)(&field)
                                                }</span>
                                                " "
                                                {move || pieces_view(change_words(&change.field, &change.before, &change.after, i18n.t()))}
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    #[test]
    fn what_was_typed_is_kept_apart_from_the_desks_words_in_either_order() {
        let zh = Locale::ZhCn.messages();
        let items = |list: &[&str]| AuditValue::Texts(list.iter().map(|s| s.to_string()).collect());
        assert_eq!(
            change_words(
                "items",
                &items(&["穿鞋套", "试机"]),
                &items(&["穿鞋套", "清洁"]),
                zh
            ),
            vec![
                Piece::Words("增加 ".into()),
                Piece::Typed("清洁".into()),
                Piece::Words("；去掉 ".into()),
                Piece::Typed("试机".into()),
            ]
        );
        // Appliances are the desk's own words, in the reader's language.
        let en = Locale::En.messages();
        assert_eq!(
            change_words(
                "skills",
                &items(&["dryer"]),
                &items(&["dryer", "washing_machine"]),
                en
            ),
            vec![
                Piece::Words("added ".into()),
                Piece::Words("washing machine".into())
            ]
        );
        assert_eq!(
            change_words(
                "name",
                &AuditValue::Text("李师傅".into()),
                &AuditValue::Text("李建国".into()),
                en
            ),
            vec![
                Piece::Typed("李师傅".into()),
                Piece::Words(" → ".into()),
                Piece::Typed("李建国".into()),
            ]
        );
        let subject = (en.admin.audit.subject)(&AuditSubject::Person, Some(FIRST_VALUE));
        assert_eq!(
            with_values(&subject, &[Piece::Typed("赵新".into())], &[]),
            vec![Piece::Words("Person: ".into()), Piece::Typed("赵新".into())]
        );
    }
}
