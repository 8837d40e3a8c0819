//! The desk's suggestions of technicians, in both languages.

use crate::domain::metrics::Rate;
use crate::domain::planning::suggest::Suggested;

#[derive(Debug)]
pub struct SuggestMessages {
    pub title: &'static str,
    pub loading: &'static str,
    /// None of the region's technicians can take it.
    pub nobody: &'static str,
    /// The order's home has no location: drives not estimated.
    pub unlocated_order: &'static str,
    /// "预计 10:14 到达".
    pub arrives: fn(&str) -> String,
    /// The drive the order adds to the day, in km.
    pub added_drive: fn(f64) -> String,
    pub visits_that_day: fn(usize) -> String,
    /// On time, out of due, over the record's days.
    pub on_time: fn(u64, u64) -> String,
    pub no_record: &'static str,
    /// Visits of the day without a location: their drives not counted.
    pub unlocated_visits: fn(usize) -> String,
    pub needs_confirming: &'static str,
    pub assign_to: fn(&str) -> String,
    /// The disclosure of the others.
    pub passed_over_title: fn(usize) -> String,
    /// Why one technician is not proposed; the refusal and warning texts
    /// come from the assignment messages.
    pub passed_over_no_time: fn(Option<&str>) -> String,
    pub passed_over_lower: &'static str,
}

/// The figures behind a suggestion, as its chips show them: the added
/// drive, the day's load, homes not located, the on-time record.
pub fn suggestion_figures(messages: &SuggestMessages, suggested: &Suggested) -> Vec<String> {
    let fit = &suggested.fit;
    let mut figures = Vec::new();
    if let Some(metres) = fit.added_m {
        figures.push((messages.added_drive)(metres / 1000.0));
    }
    figures.push((messages.visits_that_day)(suggested.visits_that_day));
    if fit.unlocated > 0 {
        figures.push((messages.unlocated_visits)(fit.unlocated));
    }
    let Rate { count, out_of } = suggested.on_time;
    figures.push(if out_of == 0 {
        messages.no_record.to_string()
    } else {
        (messages.on_time)(count, out_of)
    });
    figures
}

pub static ZH_CN: SuggestMessages = SuggestMessages {
    title: "推荐师傅",
    loading: "正在计算推荐…",
    nobody: "本区域没有师傅能在约定时间内上门。",
    unlocated_order: "该用户地址没有定位，路程无法估算，推荐只看工作量和准时记录。",
    arrives: |time| format!("预计 {time} 到达"),
    added_drive: |km| format!("多开 {km:.1} 公里"),
    visits_that_day: |n| format!("当天已有 {n} 单"),
    on_time: |on_time, due| format!("近 30 天准时 {on_time}/{due}"),
    no_record: "近 30 天无上门记录",
    unlocated_visits: |n| format!("{n} 单未定位，路程未计"),
    needs_confirming: "派单时需确认：",
    assign_to: |name| format!("派给{name}"),
    passed_over_title: |n| format!("其他 {n} 位师傅为何未推荐"),
    passed_over_no_time: |earliest| match earliest {
        Some(time) => format!("赶不上约定时间：最早 {time} 到达，或会耽误已排的其他上门。"),
        None => "当天排不下：加上这一单会超出工作时间，或耽误已排的其他上门。".to_string(),
    },
    passed_over_lower: "能接，但排在前三位之后：",
};

pub static EN: SuggestMessages = SuggestMessages {
    title: "Suggested technicians",
    loading: "Working out suggestions…",
    nobody: "No technician of the region can reach the customer in the agreed window.",
    unlocated_order: "The customer's home has no location, so drives cannot be estimated; the ranking weighs load and record only.",
    arrives: |time| format!("Arrives about {time}"),
    added_drive: |km| format!("{km:.1} km more driving"),
    visits_that_day: |n| match n {
        1 => "1 visit that day".to_string(),
        n => format!("{n} visits that day"),
    },
    on_time: |on_time, due| format!("On time {on_time} of {due} in 30 days"),
    no_record: "No visits in the last 30 days",
    unlocated_visits: |n| match n {
        1 => "1 visit without a location, its drive not counted".to_string(),
        n => format!("{n} visits without a location, their drives not counted"),
    },
    needs_confirming: "Assigning asks you to confirm: ",
    assign_to: |name| format!("Assign to {name}"),
    passed_over_title: |n| match n {
        1 => "Why 1 other technician is not suggested".to_string(),
        n => format!("Why {n} other technicians are not suggested"),
    },
    passed_over_no_time: |earliest| match earliest {
        Some(time) => format!(
            "Cannot make the window: {time} at the earliest, or another of their visits would be late."
        ),
        None => "No room that day: it would run past their hours or make another visit late."
            .to_string(),
    },
    passed_over_lower: "Could take it, but ranks below the first three: ",
};
