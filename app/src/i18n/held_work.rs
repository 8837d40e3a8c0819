//! Settling work held from phones, on the desk and in the sync log, in
//! both languages.

use crate::api::sync::HeldSettled;
use crate::domain::conflict::{HeldReason, SettlementOutcome};

#[derive(Debug)]
pub struct HeldWorkMessages {
    /// Why the work is held, as the dispatcher reads it.
    pub reason: fn(HeldReason) -> &'static str,
    /// "手机上 12-03 10:02 完成".
    pub made_on_phone: fn(&str) -> String,
    pub apply: &'static str,
    pub record: &'static str,
    pub close: &'static str,
    pub note_label: &'static str,
    pub note_hint: &'static str,
    pub close_confirm: &'static str,
    pub cancel: &'static str,
    /// The visit as it stands does not take the work.
    pub apply_refused: fn(HeldReason) -> &'static str,
    /// The desk's confirmation, naming the customer.
    pub settled: fn(SettlementOutcome, &str) -> String,
    /// The sync log's line for settled work: the settlement, who, when.
    pub settled_line: fn(&HeldSettled, &str) -> String,
}

pub static ZH_CN: HeldWorkMessages = HeldWorkMessages {
    reason: |reason| match reason {
        HeldReason::Reassigned => "技术员离线期间，该上门已改派他人。",
        HeldReason::Cancelled => "技术员离线期间，该上门已取消。",
    },
    made_on_phone: |time| format!("手机上 {time} 完成"),
    apply: "按现状应用",
    record: "记为技术员的服务记录",
    close: "关闭…",
    note_label: "关闭原因",
    note_hint: "技术员和服务记录里都能看到这条原因。",
    close_confirm: "确认关闭",
    cancel: "取消",
    apply_refused: |reason| {
        match reason {
        HeldReason::Reassigned => {
            "无法按现状应用：该上门现在属于另一位技术员。可先改派回原技术员，或记为其服务记录，或写明原因后关闭。"
        }
        HeldReason::Cancelled => {
            "无法按现状应用：该上门已取消。可记为技术员的服务记录，或写明原因后关闭。"
        }
    }
    },
    settled: |outcome, customer| match outcome {
        SettlementOutcome::Applied => format!("已处理（{customer}）：已按现状应用到该上门。"),
        SettlementOutcome::Recorded => format!("已处理（{customer}）：已记为技术员的服务记录。"),
        SettlementOutcome::Closed => format!("已处理（{customer}）：已关闭。"),
    },
    settled_line: |settled, time| {
        let what = match settled.outcome {
            SettlementOutcome::Applied => "已按现状应用".to_string(),
            SettlementOutcome::Recorded => "已记为技术员的服务记录".to_string(),
            SettlementOutcome::Closed => {
                format!("已关闭，原因：{}", settled.note.as_deref().unwrap_or(""))
            }
        };
        format!("{} 于 {time} 处理：{what}", settled.by)
    },
};

pub static EN: HeldWorkMessages = HeldWorkMessages {
    reason: |reason| match reason {
        HeldReason::Reassigned => {
            "The visit was given to someone else while the technician was offline."
        }
        HeldReason::Cancelled => "The visit was cancelled while the technician was offline.",
    },
    made_on_phone: |time| format!("done on the phone at {time}"),
    apply: "Apply to the visit as it stands",
    record: "Keep as the technician's record",
    close: "Close…",
    note_label: "Why close it",
    note_hint: "The technician and the service record both show this reason.",
    close_confirm: "Close it",
    cancel: "Cancel",
    apply_refused: |reason| {
        match reason {
        HeldReason::Reassigned => {
            "Cannot apply it as things stand: the visit now belongs to another technician. Give it back first, keep it as the technician's record, or close it with a reason."
        }
        HeldReason::Cancelled => {
            "Cannot apply it as things stand: the visit is cancelled. Keep it as the technician's record, or close it with a reason."
        }
    }
    },
    settled: |outcome, customer| match outcome {
        SettlementOutcome::Applied => format!("Settled ({customer}): applied to the visit."),
        SettlementOutcome::Recorded => {
            format!("Settled ({customer}): kept as the technician's record.")
        }
        SettlementOutcome::Closed => format!("Settled ({customer}): closed."),
    },
    settled_line: |settled, time| {
        let what = match settled.outcome {
            SettlementOutcome::Applied => "applied to the visit".to_string(),
            SettlementOutcome::Recorded => "kept as the technician's record".to_string(),
            SettlementOutcome::Closed => {
                format!("closed: {}", settled.note.as_deref().unwrap_or(""))
            }
        };
        format!("Settled by {} at {time}: {what}", settled.by)
    },
};
