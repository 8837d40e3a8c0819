use super::Messages;
use crate::api::error::InputProblem;
use crate::domain::assignment::{AssignmentRefused, AssignmentWarning};
use crate::domain::work_order::ApplianceCategory;

fn appliance_category_name(category: ApplianceCategory) -> &'static str {
    use ApplianceCategory as A;
    match category {
        A::WashingMachine => "洗衣机",
        A::Dryer => "干衣机",
        A::Refrigerator => "冰箱",
        A::AirConditioner => "空调",
        A::WaterHeater => "热水器",
        A::Dishwasher => "洗碗机",
        A::Other => "其他家电",
    }
}
use crate::domain::record::RecordChange;
use crate::domain::visit::ArrivalRisk;
use crate::domain::work_order::WarrantyStatus;

pub static ZH_CN: Messages = Messages {
    app_name: "上门服务",
    app_description: "家电售后上门服务：按服务规范完成每一次上门。",
    language_name: "中文",
    switch_language_label: "切换语言",
    online: "在线",
    offline: "离线",
    offline_hint: "没有网络：更改先保存在本机，联网后自动按顺序提交",
    changes_waiting: |n| format!("{n} 项待同步"),
    all_synced: |at| match at {
        Some(at) => format!("已同步 {at}"),
        None => "已同步".to_string(),
    },
    not_applied_title: "未能提交的更改",
    refused_hint: "服务器未接受这项更改。请按提示在工单页重新操作；如有疑问请联系调度。",
    held_for_dispatcher: |reason| match reason {
        crate::domain::conflict::HeldReason::Reassigned => {
            "工单已改派他人：您的记录已保存，交由调度处理，无需重做。"
        }
        crate::domain::conflict::HeldReason::Cancelled => {
            "工单已被取消：您的记录已保存，交由调度处理，无需重做。"
        }
    },
    signed_waiting: "用户已签字，记录保存在本机，联网后自动提交；提交后可查看服务记录单。",
    photo_waiting: "✓ 照片已保存在本机，联网后上传",
    sync_log_title: "手机同步记录",
    sync_log_change: "操作",
    sync_log_phone_time: "手机时间",
    sync_log_received: "服务器收到",
    clock_flagged: |minutes| format!("手机时钟与服务器相差约 {} 分钟，请核实", minutes.abs()),
    held_work_title: "技术员离线完成、待调度处理的工作",
    complaint_step: |step| match step {
        crate::domain::complaint_clock::ComplaintStep::Reply => "回复致歉（1 小时内）",
        crate::domain::complaint_clock::ComplaintStep::HandlingResult => "处理结果（24 小时内）",
        crate::domain::complaint_clock::ComplaintStep::Rectification => {
            "问题整改工作单（48 小时内）"
        }
        crate::domain::complaint_clock::ComplaintStep::CustomerCallback => "回访用户（72 小时内）",
    },
    escalated_to_admin: "已升级至管理员",
    rectification_part: |n| {
        ["问题描述", "原因分析", "立即措施", "长期措施", "效果验证"]
            .get(n)
            .copied()
            .unwrap_or("")
    },
    step_note: "记录内容",
    record_step: |step| match step {
        crate::domain::complaint_clock::ComplaintStep::Reply => "记录已回复致歉",
        crate::domain::complaint_clock::ComplaintStep::HandlingResult => "记录处理结果",
        crate::domain::complaint_clock::ComplaintStep::Rectification => "提交整改工作单",
        crate::domain::complaint_clock::ComplaintStep::CustomerCallback => "记录已回访用户",
    },
    call_kind: |kind| match kind {
        crate::domain::callback::FollowUpKind::Callback => "服务回访（3 天内）",
        crate::domain::callback::FollowUpKind::Tracking => "用户追踪（7 天内）",
        crate::domain::callback::FollowUpKind::Survey => "月度电话调查",
    },
    call_service: |technician, at| format!("{technician} · 签字 {at}"),
    call_fixed_question: "问题是否已解决？",
    call_comment: "用户意见",
    call_complaint: "用户投诉（如有；由您受理负责）",
    call_repeat_fault: "需再次上门：故障描述",
    call_repeat_start: "预约开始",
    call_repeat_end: "预约结束",
    record_call: "保存回访结果",
    call_recorded: |complaint, repeat| {
        let mut text = String::from("回访结果已保存。");
        if complaint {
            text.push_str("投诉已进入跟进队列。");
        }
        if repeat {
            text.push_str("已开返修工单，请在调度台派工。");
        }
        text
    },
    sampling_title: "回访抽样比例（管理员）",
    sampling_label: |name| match name {
        "contracted" => "签约服务网点",
        "company_run" => "公司自营网点",
        "headquarters" => "总部抽查",
        _ => "月度电话调查",
    },
    save_sampling: "保存抽样比例",
    sampling_saved: "已保存：此后签字的服务按新比例抽样。",
    take_complaint_title: "记录来电投诉",
    take_complaint_order: "投诉的服务",
    take_complaint_description: "投诉内容",
    take_complaint_submit: "受理投诉（由我负责）",
    complaint_taken: "投诉已受理，时钟从现在开始，见投诉跟进队列。",
    complaint_owner: |owner| match owner {
        Some(name) => format!("负责人：{name}"),
        None => "负责人：本区域调度".to_string(),
    },
    open_follow_up: "回访与投诉跟进",
    dismiss: "知道了",
    change_kind: |kind| match kind {
        "set_off" => "出发".into(),
        "check_in" => "到达签到".into(),
        "start_work" => "开始服务".into(),
        "finish_work" => "完成服务".into(),
        "checklist_done" | "checklist_not_applicable" | "checklist_photo" => "服务规范项".into(),
        "outcome" => "维修结果".into(),
        "part" => "配件".into(),
        "fee" => "收费".into(),
        "remove_charge" => "撤销收费".into(),
        "field_insight" => "信息增值".into(),
        "complaint" => "投诉".into(),
        "sign_off" => "用户签字".into(),
        "close_unsigned" => "未签字结单".into(),
        other => other.to_string(),
    },
    logout_blocked_unsent: |n| {
        format!("还有 {n} 项更改未同步。请联网等待同步完成后再退出，以免丢失。")
    },
    today_title: "今日工单",
    today_subtitle: "按预约时间排序",
    loading: "正在加载…",
    no_visits_today: "今天没有安排上门服务。",
    appointment_window: "预约时间",
    customer: "用户",
    address: "地址",
    appliance: "家电",
    reported_fault: "故障描述",
    show_details: "展开详情",
    hide_details: "收起详情",
    visit_count: |count| format!("共 {count} 个上门服务"),
    appliance_category: appliance_category_name,
    open_visit: "进入服务",
    call_customer: "拨打电话",
    open_map: "打开地图",
    visit_status: |status| {
        use crate::domain::visit::VisitStatus as S;
        match status {
            S::Dispatched => "待出发",
            S::OnTheWay => "在路上",
            S::Arrived => "已到达",
            S::WorkStarted => "服务中",
            S::WorkFinished => "待用户签字",
            S::Signed => "已签字",
            S::ClosedUnsigned => "未签字结单",
            S::Cancelled => "已取消",
        }
    },
    step_button: |event| {
        use crate::domain::visit::VisitEvent as E;
        match event {
            E::SetOff => "出发",
            E::CheckIn => "到达签到",
            E::StartWork => "开始服务",
            E::FinishWork => "完成服务",
            E::SignOff => "用户签字",
            E::CloseUnsigned => "未签字结单",
            E::Cancel => "取消上门",
        }
    },
    arrival_verdict: |punctuality| {
        use crate::domain::metrics::Punctuality as P;
        match punctuality {
            P::OnTime => "准时到达",
            P::Early => "提前到达",
            P::Late => "迟到",
            P::Missed => "未按时到达",
            P::NotYetDue => "尚未到达",
        }
    },
    awaiting_signature: "请把手机交给用户确认并签字。",
    checklist_title: "服务规范",
    required_item: "必做",
    mark_done: "完成",
    mark_not_applicable: "不适用",
    not_applicable_reason: "不适用的原因",
    item_done: "已完成",
    outcome_title: "维修结果",
    outcome_fixed: "已修好",
    outcome_not_fixed: "未修好",
    not_fixed_reason: |reason| match reason {
        "parts_unavailable" => "缺少配件",
        "skill" => "技术原因",
        "time_ran_out" => "时间不够",
        _ => "其他原因",
    },
    outcome_detail: "说明",
    save_outcome: "保存结果",
    sign_off_title: "用户确认签字",
    work_summary: "本次服务",
    total_label: "合计",
    fee_schedule_heading: |category, version| {
        format!("统一收费标准（{category}，第 {version} 版）")
    },
    fee_schedule_promise: "只按此标准收费，标准以外不收任何费用。",
    customer_confirms_fixed: "故障已修好，我确认",
    conduct_title: "服务人员是否做到（请确认）",
    conduct_rule: |rule| match rule {
        "no_arguing" => "没有与我争吵",
        "no_eating_drinking_smoking" => "没有在我家吃喝、吸烟",
        "no_gifts" => "没有收受礼品",
        _ => "没有收取统一收费标准以外的费用",
    },
    ratings_title: "请为本次服务评分（1–5 分）",
    rating_dimension: |dimension| match dimension {
        "skill" => "服务技能",
        "attitude" => "服务态度",
        "timeliness" => "服务及时性",
        "parts_supply" => "配件供应",
        _ => "服务综合",
    },
    comment_label: "您的意见",
    signer_label: "签字人",
    signature_label: "请在下方签名",
    clear_signature: "清除重签",
    undo_stroke: "撤销一笔",
    submit_signature: "确认签字",
    record_title: "一票到底服务记录单",
    open_record: "查看服务记录单",
    technician_label: "服务人员",
    seal_intact: "记录完好：签字后未被改动",
    seal_broken: "警告：记录在用户签字后被改动过",
    not_signed_yet: "用户尚未签字",
    signed_at_label: "签字时间",
    not_found_title: "页面不存在",
    not_found_body: "您要找的页面不存在或已被移除。",
    back_to_today: "返回今日工单",
    error_unauthorized: "请先登录。",
    error_wrong_credentials: "账号或密码错误。",
    error_forbidden: "您没有权限执行此操作。",
    error_too_many_attempts: |minutes| format!("尝试次数过多，请 {minutes} 分钟后再试。"),
    login_title: "登录",
    login_name_label: "账号",
    password_label: "密码",
    login_button: "登录",
    logging_in: "正在登录…",
    logout_button: "退出登录",
    signed_in_as: |name| format!("当前用户：{name}"),
    error_not_ready_to_finish: "还不能完成本次服务：",
    checklist_items_open: |count| format!("还有 {count} 项必做项目未完成。"),
    outcome_missing: "尚未记录维修结果。",
    error_conflict: "无法执行此步骤：与记录的当前状态不符，请刷新页面查看。",
    error_already_settled: "这项工作已由调度处理过，不能再处理一次。",
    error_unavailable: "服务器暂时无法访问，请稍后重试。",
    error_too_large: |megabytes| format!("内容过大，无法发送：服务器一次最多接收 {megabytes} MB。"),
    error_internal: "服务器出错了，请稍后重试。",
    error_not_found: "找不到该记录。",
    error_invalid_input: "输入有误，请检查后重试。",
    error_input_problem: |problem| {
        let what = match problem {
            InputProblem::Unanswered => "请先回答此项".to_string(),
            InputProblem::ReasonNeeded => {
                "机器在保，配件对用户免费；如需收费，请写明收费原因".to_string()
            }
            InputProblem::Empty => "不能为空".to_string(),
            InputProblem::TooLong { max } => format!("最多 {max} 个字符"),
            InputProblem::ControlCharacters => "不能包含控制字符".to_string(),
            InputProblem::HiddenFormatting => "不能包含隐藏的文字方向字符".to_string(),
            InputProblem::BadFormat => "格式不正确".to_string(),
            InputProblem::OutOfRange { min, max } => format!("须在 {min} 到 {max} 之间"),
        };
        format!("输入有误：{what}。")
    },
    take_photo: "拍照",
    photo_attached: "已附照片",
    uploading_photo: "正在上传照片…",
    parts_title: "使用配件",
    part_code_label: "配件编码",
    part_name_label: "配件名称",
    quantity_label: "数量",
    unit_price_label: "单价（元，保内填 0）",
    add_part: "添加配件",
    fees_title: "收费项目（统一收费标准）",
    fee_item_label: "收费项目",
    add_fee: "添加收费",
    insight_title: "信息反馈",
    insight_category: |category| match category {
        "product_defect" => "产品缺陷",
        _ => "用户建议",
    },
    insight_note_label: "看到的问题或用户的建议",
    add_insight: "提交反馈",
    other_visits_title: "本机其他上门记录",
    no_other_visits: "本机没有其他上门记录。",
    follow_up_opened: "未修复，已开再次上门：",
    complain_button: "我不满意 / 我要投诉",
    complaint_label: "请告诉我们哪里不满意",
    submit_complaint: "提交投诉",
    complaint_filed: |id| format!("投诉已受理（编号 {id}），我们会在 1 小时内与您联系并致歉。"),
    arrival_risk: |risk| match risk {
        ArrivalRisk::AtRisk => "即将超时",
        ArrivalRisk::Late => "已超时未到",
        ArrivalRisk::None => "",
    },
    revisions_title: "修订记录",
    record_change: |change| match change {
        RecordChange::Signed => "用户签字版本",
        RecordChange::ClosedUnsigned => "未签字结单版本",
        RecordChange::ChecklistAnswer => "签字后补充检查项",
        RecordChange::Part => "签字后补录配件",
    },
    revision_verifies: "校验通过",
    revision_fails: "校验失败",
    photos_title: "现场照片",
    open_desk: "调度台",
    desk_title: "调度台",
    desk_region: "服务区",
    dashboard: &super::dashboard::ZH_CN,
    suggest: &super::suggest::ZH_CN,
    board: &super::board::ZH_CN,
    intake: &super::intake::ZH_CN,
    day_plan: &super::day_plan::ZH_CN,
    held_work: &super::held_work::ZH_CN,
    queue: &super::queue::ZH_CN,
    admin: &super::admin::ZH_CN,
    visit: &super::visit::ZH_CN,
    live_on: "● 实时更新中",
    live_off: "○ 实时更新已断开，正在重连…",
    queue_title: |n| format!("待派工单（{n}）"),
    lanes_title: "今日师傅",
    pick_hint: "先选一张工单或一个上门，再按师傅栏的“派给此师傅”。",
    picked_hint: |who| format!("已选：{who}。请选择师傅。"),
    urgent: "加急",
    due_by: |time| format!("须于 {time} 前上门（登记后一天内）"),
    pick: "选择",
    lane_load: |n| format!("今日 {n} 单"),
    assign_here: "派给此师傅",
    lane_inactive: "账号已停用：请把未完成的上门改派给其他师傅",
    reassign: "改派",
    intake_title: "新建工单",
    intake_label: |field| match field {
        "customer_name" => "用户姓名",
        "customer_phone" => "联系电话",
        "customer_location" => "位置（纬度, 经度）",
        "customer_address" => "上门地址",
        "category" => "家电类别",
        "brand" => "品牌",
        "model" => "型号",
        "serial_number" => "机身编号",
        "purchase_date" => "购买日期",
        "warranty_end" => "保修截止",
        "reported_fault" => "故障描述",
        "fault_category" => "故障类别",
        "channel" => "报修渠道",
        "priority" => "优先级",
        "appointment_start" => "预约开始",
        "appointment_end" => "预约结束",
        "region_id" => "服务区",
        "technician_id" => "师傅",
        _ => "输入",
    },
    fault_category: |key| match key {
        "no_power" => "不通电",
        "noise" => "噪音",
        "leak" => "漏水",
        "not_cooling" => "不制冷",
        "not_heating" => "不加热",
        "water_supply" => "不进水",
        "drainage" => "不排水",
        "error_code" => "故障代码",
        "electrical" => "电气故障",
        "installation" => "安装",
        _ => "其他",
    },
    channel: |key| match key {
        "phone" => "电话",
        "app" => "App",
        "dealer" => "经销商",
        _ => "到店",
    },
    priority: |key| match key {
        "urgent" => "加急",
        _ => "普通",
    },
    take_order: "建单",
    assignment_refused: |reason| match reason {
        AssignmentRefused::OtherRegion => "不能派单：该师傅属于其他服务区。".to_string(),
        AssignmentRefused::OutsideAgreedWindow => {
            "不能派单：上门时间超出与用户约定的时间窗口。".to_string()
        }
        AssignmentRefused::AlreadyUnderWay(_) => {
            "不能改派：师傅已到达用户家中，本次上门由他完成。".to_string()
        }
        AssignmentRefused::OrderClosed => "不能派单：工单已关闭或已取消。".to_string(),
        AssignmentRefused::NoSkill(category) => format!(
            "不能派单：该师傅不会修{}，请派给有此品类技能的师傅。",
            appliance_category_name(*category)
        ),
        AssignmentRefused::OtherBrand(brand) => {
            format!("不能派单：该师傅未获{brand}品牌授权。")
        }
    },
    assignment_warning: |warning| match warning {
        AssignmentWarning::BusyDay { visits } => format!(
            "该师傅当天已有 {visits} 单，超过每天 {} 单的安排量。",
            crate::domain::assignment::BUSY_DAY_VISITS
        ),
        AssignmentWarning::CrowdedWindow { overlapping } => {
            format!("该时段师傅已有 {overlapping} 单，总有一位用户要等。")
        }
        AssignmentWarning::OutsideWorkingHours { hours } => {
            format!("上门时间不在师傅的工作时间 {} 内。", hours.format())
        }
    },
    assignment_confirm_intro: "请确认后再派：",
    assign_anyway: "仍然派给此师傅",
    lane_hours: |hours| format!("工作时间 {hours}"),
    lane_brands: |brands| format!("仅限品牌：{brands}"),
    list_in_words: |names| names.join("、"),
    search_customer: "查找用户（电话或姓名）",
    find: "查找",
    no_customer_found: "没有找到，请按新用户填写。",
    use_customer: "选此用户",
    use_appliance: "报修此机器",
    warranty: |status| match status {
        WarrantyStatus::InWarranty => "在保",
        WarrantyStatus::Expired => "已过保",
        WarrantyStatus::Unknown => "保修期未知（请用户出示发票）",
    },
    chosen_customer: "已有用户：",
    chosen_appliance: "报修机器：",
    clear_choice: "改为新填",
    customer_file_title: "用户档案",
    appliances_title: "家电",
    visits_title: "上门记录",
    file_visit_columns: ["预约时间", "家电与故障", "状态", "师傅", "评价"],
    complaints_title: "投诉",
    no_complaints: "无投诉。",
    ratings_short: |r| {
        format!(
            "技能 {} · 态度 {} · 及时 {} · 配件 {} · 综合 {}",
            r[0], r[1], r[2], r[3], r[4]
        )
    },
    open_customer_file: "用户档案",
};
