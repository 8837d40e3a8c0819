//! Planning the rest of the day on the desk, in both languages.

use crate::domain::planning::day::{Change, DayFigures, NotPlanned, PlanWhich};

#[derive(Debug)]
pub struct DayPlanMessages {
    pub open: &'static str,
    pub title: fn(PlanWhich) -> &'static str,
    pub which_label: &'static str,
    pub which: fn(PlanWhich) -> &'static str,
    pub planning: &'static str,
    /// The day as assigned now, then as proposed.
    pub figures_now: fn(&DayFigures) -> String,
    pub figures_proposed: fn(&DayFigures) -> String,
    pub hint: &'static str,
    pub no_changes: &'static str,
    pub accept_all: fn(usize) -> String,
    pub replan: &'static str,
    pub close: &'static str,
    /// "预计 10:14 到".
    pub arrives: fn(&str) -> String,
    pub late: &'static str,
    /// What the plan does with the work; the name is who has it now.
    pub change: fn(Change, Option<&str>) -> String,
    pub accept: &'static str,
    pub accepted: &'static str,
    pub accept_anyway: &'static str,
    /// Keep it with who has it now, whatever the planner says.
    pub pin: fn(&str) -> String,
    pub set_off: &'static str,
    /// The technicians with nothing to do, named.
    pub idle: fn(&str) -> String,
    pub not_planned_title: fn(usize) -> String,
    pub not_planned: fn(NotPlanned) -> &'static str,
}

pub static ZH_CN: DayPlanMessages = DayPlanMessages {
    open: "规划今天余下的工作",
    title: |which| match which {
        PlanWhich::RestOfToday => "今天余下的工作：建议安排",
        PlanWhich::Tomorrow => "明天的工作：建议安排",
    },
    which_label: "规划哪一天",
    which: |which| match which {
        PlanWhich::RestOfToday => "今天余下",
        PlanWhich::Tomorrow => "明天",
    },
    planning: "正在规划…",
    figures_now: |f| {
        format!(
            "按现在的安排：迟到 {} 次，还要行驶 {:.1} 公里，{} 单未派。",
            f.late,
            f.travel_m / 1000.0,
            f.unassigned
        )
    },
    figures_proposed: |f| {
        format!(
            "按建议：迟到 {} 次，还要行驶 {:.1} 公里，{} 单未派。",
            f.late,
            f.travel_m / 1000.0,
            f.unassigned
        )
    },
    hint: "逐条采纳、全部采纳或都不采纳，由你决定。固定的上门，重新规划时仍留给现在的师傅。路程按直线距离估算。",
    no_changes: "建议与现在的安排相同，无需改动。",
    accept_all: |n| format!("全部采纳（{n} 条）"),
    replan: "重新规划",
    close: "关闭",
    arrives: |time| format!("预计 {time} 到"),
    late: "会迟到",
    change: |change, holder| match (change, holder) {
        (Change::Takes, _) => "新派".to_string(),
        (Change::TakesOver { .. }, Some(name)) => format!("从{name}改派"),
        (Change::TakesOver { .. }, None) => "改派".to_string(),
        (Change::Keeps, _) => "不变".to_string(),
    },
    accept: "采纳",
    accepted: "已采纳",
    accept_anyway: "仍然采纳",
    pin: |name| format!("固定给{name}"),
    set_off: "师傅已出发，不再改动",
    idle: |names| format!("没有安排上门：{names}。"),
    not_planned_title: |n| format!("未纳入规划的 {n} 单（保持现状）"),
    not_planned: |why| match why {
        NotPlanned::NoLocation => "客户地址没有定位，无法估算路程。",
        NotPlanned::NoSkilledTechnician => "今天还有时间的师傅里，没有人可以接这一单（技能、品牌或区域不符）。",
        NotPlanned::NoTimeLeft => "能接的师傅今天都排不下：会超出工作时间。",
        NotPlanned::HoursOver => "留给现在的师傅，但他今天已不再接单（下班或已停用）。",
    },
};

pub static EN: DayPlanMessages = DayPlanMessages {
    open: "Plan the rest of the day",
    title: |which| match which {
        PlanWhich::RestOfToday => "The rest of today: a proposal",
        PlanWhich::Tomorrow => "Tomorrow: a proposal",
    },
    which_label: "Which day to plan",
    which: |which| match which {
        PlanWhich::RestOfToday => "Rest of today",
        PlanWhich::Tomorrow => "Tomorrow",
    },
    planning: "Planning…",
    figures_now: |f| {
        format!(
            "As assigned now: {} late, {:.1} km still to drive, {} unassigned.",
            f.late,
            f.travel_m / 1000.0,
            f.unassigned
        )
    },
    figures_proposed: |f| {
        format!(
            "As proposed: {} late, {:.1} km to drive, {} unassigned.",
            f.late,
            f.travel_m / 1000.0,
            f.unassigned
        )
    },
    hint: "Take each change, all of them or none: you decide. A pinned visit stays with its technician when you plan again. Drives are estimated from straight-line distance.",
    no_changes: "The proposal is the day as assigned: nothing to change.",
    accept_all: |n| format!("Accept all ({n})"),
    replan: "Plan again",
    close: "Close",
    arrives: |time| format!("at the door about {time}"),
    late: "late",
    change: |change, holder| match (change, holder) {
        (Change::Takes, _) => "new".to_string(),
        (Change::TakesOver { .. }, Some(name)) => format!("from {name}"),
        (Change::TakesOver { .. }, None) => "handed over".to_string(),
        (Change::Keeps, _) => "unchanged".to_string(),
    },
    accept: "Accept",
    accepted: "Accepted",
    accept_anyway: "Accept anyway",
    pin: |name| format!("Keep with {name}"),
    set_off: "On the way: stays as it is",
    idle: |names| format!("Nothing to do: {names}."),
    not_planned_title: |n| format!("{n} left out of the plan (they stay as they are)"),
    not_planned: |why| match why {
        NotPlanned::NoLocation => "The customer's home has no location, so no drive can be estimated.",
        NotPlanned::NoSkilledTechnician => {
            "Nobody with time left today may take it (skills, brand or region)."
        }
        NotPlanned::NoTimeLeft => "Everyone who may take it would work past their hours.",
        NotPlanned::HoursOver => {
            "It stays with its technician, who takes no more work today (off shift or deactivated)."
        }
    },
};
