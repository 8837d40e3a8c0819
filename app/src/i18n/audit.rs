//! The audit log in words, in both languages: each field's name, what an
//! empty value and a list's change are called, and each kind of subject.

use crate::domain::audit::AuditSubject;

#[derive(Debug)]
pub struct AuditMessages {
    /// A field of an audited record by its key.
    pub field: fn(&str) -> String,
    pub nothing: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    /// An account switched on or off.
    pub active_yes: &'static str,
    pub active_no: &'static str,
    /// (added, removed), either may be empty.
    pub list_change: fn(&str, &str) -> String,
    /// What the change was made to: the kind, and its name when known.
    pub subject: fn(&AuditSubject, Option<&str>) -> String,
    /// A settled operation's outcome.
    pub outcome: fn(&str) -> &'static str,
}

pub static ZH_CN: AuditMessages = AuditMessages {
    field: |key| {
        match key {
            "login" => "登录名",
            "name" => "名称",
            "role" => "角色",
            "region_name" => "服务区",
            "active" => "账号状态",
            "employee_number" => "工号",
            "service_card_number" => "服务证号",
            "skills" => "技能",
            "brands" => "品牌",
            "working_hours" => "工作时间",
            "expires_at_ms" => "有效期至",
            "owner" => "负责人",
            "reason" => "原因",
            "hotline" => "服务热线",
            "time_zone" => "时区",
            "level" => "网点类别",
            "items" => "项目",
            "version" => "版本",
            "category" => "家电类别",
            "contracted" => "签约网点回访比例",
            "company_run" => "直营网点回访比例",
            "headquarters" => "总部回访比例",
            "phone_survey" => "月度电话调查比例",
            "outcome" => "处理结果",
            "note" => "说明",
            "record" => "记录",
            other => return format!("字段 {other}"),
        }
        .to_string()
    },
    nothing: "（无）",
    yes: "是",
    no: "否",
    active_yes: "启用",
    active_no: "停用",
    list_change: |added, removed| match (added.is_empty(), removed.is_empty()) {
        (false, false) => format!("增加 {added}；去掉 {removed}"),
        (false, true) => format!("增加 {added}"),
        (true, false) => format!("去掉 {removed}"),
        (true, true) => "顺序调整".to_string(),
    },
    subject: |subject, name| {
        let named = |kind: &str| match name {
            Some(name) => format!("{kind}：{name}"),
            None => kind.to_string(),
        };
        match subject {
            AuditSubject::Person => named("人员"),
            AuditSubject::Region => named("服务区"),
            AuditSubject::ServicePoint => named("网点"),
            AuditSubject::Complaint => named("投诉（客户）"),
            AuditSubject::HeldOperation => named("待处理的离线操作"),
            AuditSubject::Checklist { version } => format!("服务规范清单 第 {version} 版"),
            AuditSubject::FeeSchedule { version, .. } => match name {
                Some(category) => format!("收费标准 第 {version} 版 · {category}"),
                None => format!("收费标准 第 {version} 版"),
            },
            AuditSubject::Company => "公司资料".to_string(),
            AuditSubject::CallbackSampling => "回访抽样比例".to_string(),
            AuditSubject::Other(text) => text.clone(),
        }
    },
    outcome: |outcome| match outcome {
        "applied" => "按现状执行",
        "recorded" => "记为师傅的记录",
        "closed" => "关闭",
        _ => "其他",
    },
};

pub static EN: AuditMessages = AuditMessages {
    field: |key| {
        match key {
            "login" => "Login",
            "name" => "Name",
            "role" => "Role",
            "region_name" => "Region",
            "active" => "Account",
            "employee_number" => "Employee no.",
            "service_card_number" => "Service card no.",
            "skills" => "Skills",
            "brands" => "Brands",
            "working_hours" => "Working hours",
            "expires_at_ms" => "Valid until",
            "owner" => "Owner",
            "reason" => "Reason",
            "hotline" => "Hotline",
            "time_zone" => "Time zone",
            "level" => "Service point kind",
            "items" => "Items",
            "version" => "Version",
            "category" => "Appliance",
            "contracted" => "Callbacks, contracted points",
            "company_run" => "Callbacks, company-run points",
            "headquarters" => "Callbacks, headquarters",
            "phone_survey" => "Monthly phone survey",
            "outcome" => "Outcome",
            "note" => "Note",
            "record" => "Record",
            other => return format!("Field {other}"),
        }
        .to_string()
    },
    nothing: "(none)",
    yes: "Yes",
    no: "No",
    active_yes: "Active",
    active_no: "Deactivated",
    list_change: |added, removed| match (added.is_empty(), removed.is_empty()) {
        (false, false) => format!("added {added}; removed {removed}"),
        (false, true) => format!("added {added}"),
        (true, false) => format!("removed {removed}"),
        (true, true) => "reordered".to_string(),
    },
    subject: |subject, name| {
        let named = |kind: &str| match name {
            Some(name) => format!("{kind}: {name}"),
            None => kind.to_string(),
        };
        match subject {
            AuditSubject::Person => named("Person"),
            AuditSubject::Region => named("Region"),
            AuditSubject::ServicePoint => named("Service point"),
            AuditSubject::Complaint => named("Complaint (customer)"),
            AuditSubject::HeldOperation => named("Held offline work"),
            AuditSubject::Checklist { version } => format!("Service checklist, version {version}"),
            AuditSubject::FeeSchedule { version, .. } => match name {
                Some(category) => format!("Fee schedule, version {version} · {category}"),
                None => format!("Fee schedule, version {version}"),
            },
            AuditSubject::Company => "Company profile".to_string(),
            AuditSubject::CallbackSampling => "Callback sampling".to_string(),
            AuditSubject::Other(text) => text.clone(),
        }
    },
    outcome: |outcome| match outcome {
        "applied" => "Applied as the visit stands",
        "recorded" => "Kept as the technician's record",
        "closed" => "Closed",
        _ => "Other",
    },
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_audit_speaks_of_people_and_versions_not_ids() {
        assert_eq!(
            (ZH_CN.subject)(&AuditSubject::Person, Some("李建国")),
            "人员：李建国"
        );
        let fees = AuditSubject::FeeSchedule {
            version: "3".into(),
            category: "dryer".into(),
        };
        assert_eq!(
            (ZH_CN.subject)(&fees, Some("干衣机")),
            "收费标准 第 3 版 · 干衣机"
        );
        assert_eq!((EN.field)("expires_at_ms"), "Valid until");
        assert_eq!(
            (ZH_CN.list_change)("洗碗机", "干衣机"),
            "增加 洗碗机；去掉 干衣机"
        );
    }
}
