//! The follow-up queue's list: filters, paging, lateness in words and the
//! 1:10:100 rule explained, in both languages.

use crate::domain::time::{Span, SpanUnit};

#[derive(Debug)]
pub struct QueueMessages {
    pub rule_title: &'static str,
    /// The 1:10:100 rule in plain words.
    pub rule_text: &'static str,
    pub filters: &'static str,
    pub kind_all: &'static str,
    pub kind_calls: &'static str,
    pub kind_complaints: &'static str,
    pub overdue_only: &'static str,
    pub mine_only: &'static str,
    /// The admin's choice of one region's work.
    pub region_label: &'static str,
    pub region_all: &'static str,
    /// Shown, out of all, and how many overdue.
    pub count: fn(usize, usize, usize) -> String,
    pub nothing_matches: &'static str,
    pub page_status: fn(usize, usize) -> String,
    pub previous_page: &'static str,
    pub next_page: &'static str,
    pub call_badge: &'static str,
    pub complaint_badge: &'static str,
    /// "逾期 3 天 2 小时".
    pub overdue_by: fn(Span) -> String,
    /// "还剩 2 小时 5 分钟".
    pub left: fn(Span) -> String,
    /// A call's delay weight in words (it counts the lateness).
    pub weight: fn(u32) -> String,
    /// A complaint's weight in words (it counts the time since it came in).
    pub complaint_weight: fn(u32) -> String,
    pub due: fn(&str) -> String,
    pub take_owner: &'static str,
    pub hand_to: &'static str,
    pub choose_owner: &'static str,
    pub hand_reason: &'static str,
    pub hand_on: &'static str,
    pub owner_title: &'static str,
    pub reason_needed: &'static str,
    pub owner_needed: &'static str,
}

fn zh_span(span: Span) -> String {
    let unit = |unit| match unit {
        SpanUnit::Days => "天",
        SpanUnit::Hours => "小时",
        SpanUnit::Minutes => "分钟",
    };
    match span.two_largest() {
        (first, first_unit, Some((second, second_unit))) => {
            format!(
                "{first} {} {second} {}",
                unit(first_unit),
                unit(second_unit)
            )
        }
        (first, first_unit, None) => format!("{first} {}", unit(first_unit)),
    }
}

fn en_span(span: Span) -> String {
    let words = |value: u64, unit| {
        let (one, many) = match unit {
            SpanUnit::Days => ("day", "days"),
            SpanUnit::Hours => ("hour", "hours"),
            SpanUnit::Minutes => ("minute", "minutes"),
        };
        format!("{value} {}", if value == 1 { one } else { many })
    };
    match span.two_largest() {
        (first, first_unit, Some((second, second_unit))) => {
            format!(
                "{} {}",
                words(first, first_unit),
                words(second, second_unit)
            )
        }
        (first, first_unit, None) => words(first, first_unit),
    }
}

pub static ZH_CN: QueueMessages = QueueMessages {
    rule_title: "1:10:100 是什么意思",
    rule_text: "问题在约定时间内解决，代价算 1；晚了，挽回同一位客户要花约 10 倍的功夫；拖上三天，约 100 倍。所以逾期最久的排在最前，先处理。",
    filters: "筛选",
    kind_all: "全部",
    kind_calls: "回访",
    kind_complaints: "投诉",
    overdue_only: "只看已逾期",
    mine_only: "只看我负责的投诉",
    region_label: "服务区",
    region_all: "全部服务区",
    count: |shown, all, overdue| {
        if shown == all {
            format!("共 {all} 项，其中已逾期 {overdue} 项")
        } else {
            format!("筛选出 {shown} 项（共 {all} 项），其中已逾期 {overdue} 项")
        }
    },
    nothing_matches: "没有符合筛选条件的项目。",
    page_status: |page, pages| format!("第 {page} / {pages} 页"),
    previous_page: "上一页",
    next_page: "下一页",
    call_badge: "回访",
    complaint_badge: "投诉",
    overdue_by: |span| format!("逾期 {}", zh_span(span)),
    left: |span| format!("还剩 {}", zh_span(span)),
    weight: |weight| match weight {
        1 => "延误代价 ×1：还来得及，按时办代价最小（1:10:100）".to_string(),
        10 => "延误代价 ×10：已经晚了，挽回要花约 10 倍功夫（1:10:100）".to_string(),
        other => format!("延误代价 ×{other}：拖得太久，挽回要花约 100 倍功夫（1:10:100）"),
    },
    complaint_weight: |weight| match weight {
        1 => "延误代价 ×1：收到不到 24 小时，现在解决代价最小（1:10:100）".to_string(),
        10 => "延误代价 ×10：收到已超过 24 小时，挽回要花约 10 倍功夫（1:10:100）".to_string(),
        other => format!("延误代价 ×{other}：收到已超过 3 天，挽回要花约 100 倍功夫（1:10:100）"),
    },
    due: |at| format!("{at} 到期"),
    take_owner: "由我负责",
    hand_to: "转给",
    choose_owner: "请选择负责人",
    hand_reason: "转交原因（原负责人已指定时必填）",
    hand_on: "转交负责人",
    owner_title: "负责人（谁受理谁负责）",
    reason_needed: "请写明转交原因：这条投诉已有指定负责人。",
    owner_needed: "请选择新的负责人：本区域的调度员或管理员。",
};

pub static EN: QueueMessages = QueueMessages {
    rule_title: "What 1:10:100 means",
    rule_text: "Put right within the agreed time, a problem costs 1; late, winning the same customer back takes about 10 times the effort; three days late, about 100 times. So the longest overdue come first.",
    filters: "Filters",
    kind_all: "All",
    kind_calls: "Calls",
    kind_complaints: "Complaints",
    overdue_only: "Overdue only",
    mine_only: "Only complaints I own",
    region_label: "Service region",
    region_all: "All regions",
    count: |shown, all, overdue| {
        if shown == all {
            format!("{all} in all, {overdue} overdue")
        } else {
            format!("{shown} of {all} shown, {overdue} overdue")
        }
    },
    nothing_matches: "Nothing matches these filters.",
    page_status: |page, pages| format!("Page {page} of {pages}"),
    previous_page: "Previous",
    next_page: "Next",
    call_badge: "Call",
    complaint_badge: "Complaint",
    overdue_by: |span| format!("{} overdue", en_span(span)),
    left: |span| format!("{} left", en_span(span)),
    weight: |weight| match weight {
        1 => "Delay cost ×1: still in time, the cheapest moment to act (1:10:100)".to_string(),
        10 => "Delay cost ×10: already late, about 10 times the effort to win the customer back (1:10:100)".to_string(),
        other => format!("Delay cost ×{other}: long overdue, about 100 times the effort (1:10:100)"),
    },
    complaint_weight: |weight| match weight {
        1 => "Delay cost ×1: received less than 24 hours ago, the cheapest moment to put it right (1:10:100)".to_string(),
        10 => "Delay cost ×10: received more than 24 hours ago, about 10 times the effort to win the customer back (1:10:100)".to_string(),
        other => format!("Delay cost ×{other}: received more than 3 days ago, about 100 times the effort (1:10:100)"),
    },
    due: |at| format!("due {at}"),
    take_owner: "I'll own it",
    hand_to: "Hand to",
    choose_owner: "Choose the new owner",
    hand_reason: "Why (required when someone owns it)",
    hand_on: "Change owner",
    owner_title: "Owner (whoever takes it answers for it)",
    reason_needed: "Say why it changes hands: someone owns this complaint.",
    owner_needed: "Choose the new owner: a dispatcher of the region or an admin.",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lateness_reads_in_words_in_both_languages() {
        let late = Span::of_millis((3 * 24 * 60 + 2 * 60 + 5) * 60_000);
        assert_eq!((ZH_CN.overdue_by)(late), "逾期 3 天 2 小时");
        assert_eq!((EN.overdue_by)(late), "3 days 2 hours overdue");
        let soon = Span::of_millis(61 * 60_000);
        assert_eq!((ZH_CN.left)(soon), "还剩 1 小时 1 分钟");
        assert_eq!((EN.left)(soon), "1 hour 1 minute left");
        assert_eq!((ZH_CN.overdue_by)(Span::of_millis(86_400_000)), "逾期 1 天");
    }
}
