use super::Messages;

pub static ZH_CN: Messages = Messages {
    app_name: "上门服务",
    app_description: "家电售后上门服务：按服务规范完成每一次上门。",
    language_name: "中文",
    switch_language_label: "切换语言",
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
    appliance_category: |category| {
        use crate::domain::work_order::ApplianceCategory as A;
        match category {
            A::WashingMachine => "洗衣机",
            A::Dryer => "干衣机",
            A::Refrigerator => "冰箱",
            A::AirConditioner => "空调",
            A::WaterHeater => "热水器",
            A::Dishwasher => "洗碗机",
            A::Other => "其他家电",
        }
    },
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
    error_conflict: "无法执行此步骤：",
    error_unavailable: "服务器暂时无法访问，请稍后重试。",
    error_internal: "服务器出错了，请稍后重试。",
    error_not_found: "找不到该记录。",
    error_invalid_input: "输入有误，请检查后重试。",
};
