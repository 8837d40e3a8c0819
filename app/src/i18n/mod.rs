//! One mechanism for every user-facing string. Each locale is a `Messages`
//! value, so a string missing in one language is a compile error, and the
//! WASM carries only two small tables instead of an ICU data set.
//!
//! The chosen locale lives in a cookie so the server renders the page in it
//! on the next visit and the first paint never flashes the wrong language.

pub mod admin;
pub mod audit;
pub mod board;
pub mod dashboard;
pub mod day_plan;
mod en;
mod errors;
pub mod held_work;
pub mod intake;
pub mod queue;
pub mod suggest;
pub mod visit;
mod zh_cn;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::error::InputProblem;
use crate::domain::assignment::{AssignmentRefused, AssignmentWarning};
use crate::domain::record::RecordChange;
use crate::domain::visit::ArrivalRisk;
use crate::domain::work_order::WarrantyStatus;

pub use en::EN;
pub use zh_cn::ZH_CN;

pub const LOCALE_COOKIE: &str = "doorstep_locale";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Locale {
    /// Simplified Chinese, the language technicians and customers speak first.
    #[default]
    ZhCn,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::ZhCn, Locale::En];

    /// BCP 47 tag, used for `<html lang>` and the cookie value.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::ZhCn => "zh-CN",
            Locale::En => "en",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Locale> {
        Locale::ALL
            .into_iter()
            .find(|locale| locale.tag().eq_ignore_ascii_case(tag.trim()))
    }

    pub fn messages(self) -> &'static Messages {
        match self {
            Locale::ZhCn => &ZH_CN,
            Locale::En => &EN,
        }
    }

    /// The locale the switch offers next.
    pub fn other(self) -> Locale {
        match self {
            Locale::ZhCn => Locale::En,
            Locale::En => Locale::ZhCn,
        }
    }

    /// Reads the remembered locale out of a `Cookie` header value; an absent
    /// or unknown value means "not chosen", not an error.
    pub fn from_cookie_header(header: &str) -> Option<Locale> {
        header
            .split(';')
            .filter_map(|pair| pair.split_once('='))
            .find(|(name, _)| name.trim() == LOCALE_COOKIE)
            .and_then(|(_, value)| Locale::from_tag(value))
    }
}

/// Every string the UI shows, in one language.
#[derive(Debug)]
pub struct Messages {
    pub app_name: &'static str,
    pub app_description: &'static str,
    /// The switch names the language it switches *to*, in that language.
    pub language_name: &'static str,
    pub switch_language_label: &'static str,
    /// The connection, as the header shows it.
    pub online: &'static str,
    pub offline: &'static str,
    pub offline_hint: &'static str,
    /// How many changes wait on the phone for the network.
    pub changes_waiting: fn(usize) -> String,
    /// "All sent", with the local time of the last answer when there was one.
    pub all_synced: fn(Option<&str>) -> String,
    pub not_applied_title: &'static str,
    /// What the technician can do about a refused change.
    pub refused_hint: &'static str,
    /// A change kept on the server for the dispatcher, and why.
    pub held_for_dispatcher: fn(crate::domain::conflict::HeldReason) -> &'static str,
    pub dismiss: &'static str,
    pub complaint_step: fn(crate::domain::complaint_clock::ComplaintStep) -> &'static str,
    pub escalated_to_admin: &'static str,
    /// The rectification sheet's five parts, by position.
    pub rectification_part: fn(usize) -> &'static str,
    pub step_note: &'static str,
    pub record_step: fn(crate::domain::complaint_clock::ComplaintStep) -> &'static str,
    pub call_kind: fn(crate::domain::callback::FollowUpKind) -> &'static str,
    pub call_service: fn(&str, &str) -> String,
    pub call_fixed_question: &'static str,
    pub call_comment: &'static str,
    pub call_complaint: &'static str,
    pub call_repeat_fault: &'static str,
    pub call_repeat_start: &'static str,
    pub call_repeat_end: &'static str,
    pub record_call: &'static str,
    pub call_recorded: fn(bool, bool) -> String,
    pub sampling_title: &'static str,
    /// A sampling rate's name, by its field.
    pub sampling_label: fn(&str) -> &'static str,
    pub save_sampling: &'static str,
    pub sampling_saved: &'static str,
    pub take_complaint_title: &'static str,
    pub take_complaint_order: &'static str,
    pub take_complaint_description: &'static str,
    pub take_complaint_submit: &'static str,
    pub complaint_taken: &'static str,
    pub complaint_owner: fn(Option<&str>) -> String,
    pub open_follow_up: &'static str,
    pub held_work_title: &'static str,
    pub sync_log_title: &'static str,
    pub sync_log_change: &'static str,
    pub sync_log_phone_time: &'static str,
    pub sync_log_received: &'static str,
    /// A phone clock this many minutes off the server's.
    pub clock_flagged: fn(i64) -> String,
    pub photo_waiting: &'static str,
    /// Signed on the phone; the signature still waits to be sent.
    pub signed_waiting: &'static str,
    /// A queued change's kind (`sync::operation::Change::kind`).
    pub change_kind: fn(&str) -> String,
    /// Logging out would leave changes unsent.
    pub logout_blocked_unsent: fn(usize) -> String,
    pub today_title: &'static str,
    pub today_subtitle: &'static str,
    pub loading: &'static str,
    pub no_visits_today: &'static str,
    pub appointment_window: &'static str,
    pub customer: &'static str,
    pub address: &'static str,
    pub appliance: &'static str,
    pub reported_fault: &'static str,
    pub show_details: &'static str,
    pub hide_details: &'static str,
    /// "6 visits", with the number where the language puts it.
    pub visit_count: fn(usize) -> String,
    /// The name technicians use for each appliance category.
    pub appliance_category: fn(crate::domain::work_order::ApplianceCategory) -> &'static str,
    pub open_visit: &'static str,
    pub call_customer: &'static str,
    pub open_map: &'static str,
    pub visit_status: fn(crate::domain::visit::VisitStatus) -> &'static str,
    /// The button that takes the step.
    pub step_button: fn(crate::domain::visit::VisitEvent) -> &'static str,
    pub arrival_verdict: fn(crate::domain::metrics::Punctuality) -> &'static str,
    pub awaiting_signature: &'static str,
    pub checklist_title: &'static str,
    pub required_item: &'static str,
    pub mark_done: &'static str,
    pub mark_not_applicable: &'static str,
    pub not_applicable_reason: &'static str,
    pub item_done: &'static str,
    pub outcome_title: &'static str,
    pub outcome_fixed: &'static str,
    pub outcome_not_fixed: &'static str,
    /// parts_unavailable, skill, time_ran_out, other
    pub not_fixed_reason: fn(&str) -> &'static str,
    pub outcome_detail: &'static str,
    pub save_outcome: &'static str,
    pub sign_off_title: &'static str,
    pub work_summary: &'static str,
    pub total_label: &'static str,
    /// The fee schedule shown at sign-off: category name, version.
    pub fee_schedule_heading: fn(&str, u32) -> String,
    pub fee_schedule_promise: &'static str,
    pub customer_confirms_fixed: &'static str,
    pub conduct_title: &'static str,
    /// no_arguing, no_eating_drinking_smoking, no_gifts, no_extra_charges
    pub conduct_rule: fn(&str) -> &'static str,
    pub ratings_title: &'static str,
    /// skill, attitude, timeliness, parts_supply, overall
    pub rating_dimension: fn(&str) -> &'static str,
    pub comment_label: &'static str,
    pub signer_label: &'static str,
    pub signature_label: &'static str,
    pub clear_signature: &'static str,
    pub undo_stroke: &'static str,
    pub submit_signature: &'static str,
    pub record_title: &'static str,
    pub open_record: &'static str,
    pub technician_label: &'static str,
    pub seal_intact: &'static str,
    pub seal_broken: &'static str,
    pub not_signed_yet: &'static str,
    pub signed_at_label: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub back_to_today: &'static str,
    pub error_unauthorized: &'static str,
    pub error_wrong_credentials: &'static str,
    pub error_forbidden: &'static str,
    pub error_too_many_attempts: fn(u32) -> String,
    pub login_title: &'static str,
    pub login_name_label: &'static str,
    pub password_label: &'static str,
    pub login_button: &'static str,
    pub logging_in: &'static str,
    pub logout_button: &'static str,
    pub signed_in_as: fn(&str) -> String,
    pub error_not_ready_to_finish: &'static str,
    /// "2 required checklist items are open. "
    pub checklist_items_open: fn(usize) -> String,
    pub outcome_missing: &'static str,
    pub error_conflict: &'static str,
    pub error_already_settled: &'static str,
    pub error_unavailable: &'static str,
    /// A request over the size the server takes, in whole megabytes.
    pub error_too_large: fn(u64) -> String,
    pub error_internal: &'static str,
    pub error_not_found: &'static str,
    pub error_invalid_input: &'static str,
    /// "Some input is not valid:" and what is wrong with it.
    pub error_input_problem: fn(&InputProblem) -> String,
    pub search_customer: &'static str,
    pub find: &'static str,
    pub no_customer_found: &'static str,
    pub use_customer: &'static str,
    pub use_appliance: &'static str,
    pub warranty: fn(WarrantyStatus) -> &'static str,
    pub chosen_customer: &'static str,
    pub chosen_appliance: &'static str,
    pub clear_choice: &'static str,
    pub customer_file_title: &'static str,
    pub appliances_title: &'static str,
    pub visits_title: &'static str,
    /// The customer file's visit table: when, what, status, who, ratings.
    pub file_visit_columns: [&'static str; 5],
    pub complaints_title: &'static str,
    pub no_complaints: &'static str,
    pub ratings_short: fn(&[u8; 5]) -> String,
    pub open_customer_file: &'static str,
    pub open_desk: &'static str,
    pub desk_title: &'static str,
    /// The admin's choice of region on the desk.
    pub desk_region: &'static str,
    pub dashboard: &'static dashboard::DashboardMessages,
    pub admin: &'static admin::AdminMessages,
    pub suggest: &'static suggest::SuggestMessages,
    pub board: &'static board::BoardMessages,
    pub intake: &'static intake::IntakeMessages,
    pub day_plan: &'static day_plan::DayPlanMessages,
    pub held_work: &'static held_work::HeldWorkMessages,
    pub queue: &'static queue::QueueMessages,
    pub visit: &'static visit::VisitMessages,
    pub live_on: &'static str,
    pub live_off: &'static str,
    pub queue_title: fn(usize) -> String,
    pub lanes_title: &'static str,
    pub pick_hint: &'static str,
    pub picked_hint: fn(&str) -> String,
    pub urgent: &'static str,
    pub due_by: fn(&str) -> String,
    pub pick: &'static str,
    pub lane_load: fn(usize) -> String,
    pub assign_here: &'static str,
    pub lane_inactive: &'static str,
    pub reassign: &'static str,
    pub intake_title: &'static str,
    pub intake_label: fn(&str) -> &'static str,
    pub fault_category: fn(&str) -> &'static str,
    pub channel: fn(&str) -> &'static str,
    pub priority: fn(&str) -> &'static str,
    pub take_order: &'static str,
    pub assignment_refused: fn(&AssignmentRefused) -> String,
    /// One warning an assignment waits on, as a sentence.
    pub assignment_warning: fn(&AssignmentWarning) -> String,
    /// Before the warnings: the assignment waits for a second press.
    pub assignment_confirm_intro: &'static str,
    pub assign_anyway: &'static str,
    /// A lane's working hours, "HH:MM–HH:MM" given.
    pub lane_hours: fn(&str) -> String,
    /// Names in a run of words: "洗衣机、干衣机", "washing machine, dryer".
    pub list_in_words: fn(&[&str]) -> String,
    /// A lane's authorised brands, listed.
    pub lane_brands: fn(&str) -> String,
    pub take_photo: &'static str,
    pub photo_attached: &'static str,
    pub uploading_photo: &'static str,
    pub parts_title: &'static str,
    pub part_code_label: &'static str,
    pub part_name_label: &'static str,
    pub quantity_label: &'static str,
    pub unit_price_label: &'static str,
    pub add_part: &'static str,
    pub fees_title: &'static str,
    pub fee_item_label: &'static str,
    pub add_fee: &'static str,
    pub insight_title: &'static str,
    pub insight_category: fn(&str) -> &'static str,
    pub insight_note_label: &'static str,
    pub add_insight: &'static str,
    pub other_visits_title: &'static str,
    pub no_other_visits: &'static str,
    pub follow_up_opened: &'static str,
    pub complain_button: &'static str,
    pub complaint_label: &'static str,
    pub submit_complaint: &'static str,
    pub complaint_filed: fn(&str) -> String,
    pub arrival_risk: fn(ArrivalRisk) -> &'static str,
    pub revisions_title: &'static str,
    pub record_change: fn(RecordChange) -> &'static str,
    pub revision_verifies: &'static str,
    pub revision_fails: &'static str,
    pub photos_title: &'static str,
}

#[derive(Clone, Copy)]
pub struct I18n {
    locale: RwSignal<Locale>,
}

impl I18n {
    pub fn locale(&self) -> Locale {
        self.locale.get()
    }

    /// The current language's strings; reading it inside a closure makes
    /// that closure re-render when the language changes.
    pub fn t(&self) -> &'static Messages {
        self.locale.get().messages()
    }

    /// The current language's strings, read once: for what the server
    /// reads after rendering, when signals may no longer be read.
    pub fn t_untracked(&self) -> &'static Messages {
        self.locale.get_untracked().messages()
    }

    pub fn set_locale(&self, locale: Locale) {
        self.locale.set(locale);
        remember_locale(locale);
    }
}

pub fn provide_i18n() {
    provide_context(I18n {
        locale: RwSignal::new(request_locale()),
    });
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// The locale this render starts in. The server reads the request's cookie;
/// the browser reads the `lang` the server wrote, so hydration sees the same
/// text the server rendered.
pub fn request_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get_all(http::header::COOKIE)
                    .iter()
                    .filter_map(|value| value.to_str().ok())
                    .find_map(Locale::from_cookie_header)
            })
            .unwrap_or_default()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        document()
            .document_element()
            .and_then(|root| root.get_attribute("lang"))
            .and_then(|tag| Locale::from_tag(&tag))
            .unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        Locale::default()
    }
}

fn remember_locale(locale: Locale) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let document = document();
        if let Some(root) = document.document_element() {
            let _ = root.set_attribute("lang", locale.tag());
        }
        if let Ok(html_document) = document.dyn_into::<web_sys::HtmlDocument>() {
            // A year: the choice is a preference of the person holding the phone.
            let cookie = format!(
                "{LOCALE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
                locale.tag()
            );
            let _ = html_document.set_cookie(&cookie);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = locale;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_locale_is_simplified_chinese() {
        assert_eq!(Locale::default(), Locale::ZhCn);
        assert_eq!(Locale::default().tag(), "zh-CN");
    }

    #[test]
    fn tags_round_trip_and_ignore_case() {
        for locale in Locale::ALL {
            assert_eq!(Locale::from_tag(locale.tag()), Some(locale));
        }
        assert_eq!(Locale::from_tag("ZH-cn"), Some(Locale::ZhCn));
        assert_eq!(Locale::from_tag("fr"), None);
    }

    #[test]
    fn cookie_header_is_parsed_among_other_cookies() {
        assert_eq!(
            Locale::from_cookie_header("a=1; doorstep_locale=en; b=2"),
            Some(Locale::En)
        );
        assert_eq!(
            Locale::from_cookie_header("doorstep_locale=zh-CN"),
            Some(Locale::ZhCn)
        );
        assert_eq!(Locale::from_cookie_header("doorstep_locale=xx"), None);
        assert_eq!(Locale::from_cookie_header("other=en"), None);
        assert_eq!(Locale::from_cookie_header(""), None);
    }

    #[test]
    fn the_two_languages_differ_and_none_is_blank() {
        let zh = format!("{:?}", ZH_CN);
        let en = format!("{:?}", EN);
        assert!(!zh.contains(": \"\""), "blank Chinese string: {zh}");
        assert!(!en.contains(": \"\""), "blank English string: {en}");
        assert_ne!(ZH_CN.today_title, EN.today_title);
        assert_eq!(Locale::ZhCn.other(), Locale::En);
        assert_eq!(Locale::En.other(), Locale::ZhCn);
    }

    #[test]
    fn counts_read_naturally_in_each_language() {
        assert_eq!((ZH_CN.visit_count)(6), "共 6 个上门服务");
        assert_eq!((EN.visit_count)(1), "1 visit");
        assert_eq!((EN.visit_count)(6), "6 visits");
        assert_eq!((ZH_CN.signed_in_as)("王师傅"), "当前用户：王师傅");
        assert_eq!((EN.signed_in_as)("Wang"), "Signed in as Wang");
    }
}
