//! The desk's board with its time axis, in both languages.

#[derive(Debug)]
pub struct BoardMessages {
    /// How the lanes are ordered.
    pub sort_label: &'static str,
    pub sort_by_load: &'static str,
    pub sort_by_name: &'static str,
    /// The hours the axis shows, for a screen reader.
    pub axis_label: &'static str,
    /// A visit's block opens its details.
    pub open_visit: fn(&str) -> String,
    pub open_record: &'static str,
    pub open_customer: &'static str,
    pub close_visit: &'static str,
    /// Moving a visit: dragging, or the keyboard's way.
    pub move_hint: &'static str,
    /// The schematic map of the day.
    pub map_title: &'static str,
    pub map_empty: &'static str,
    /// An order still in the queue, on the map: its customer and window.
    pub map_order: fn(&str) -> String,
    /// (places drawn, visits and orders with no place on file).
    pub map_summary: fn(usize, usize) -> String,
    pub map_queue: &'static str,
}

pub static ZH_CN: BoardMessages = BoardMessages {
    sort_label: "师傅排序",
    sort_by_load: "按当天单量",
    sort_by_name: "按姓名",
    axis_label: "时间轴 08:00–20:00",
    open_visit: |customer| format!("查看 {customer} 的上门"),
    open_record: "服务记录与历史",
    open_customer: "客户档案",
    close_visit: "收起",
    move_hint: "改派：把上门块拖到另一位师傅那一行；或点开上门，按“改派”，再按那位师傅的“派给此师傅”。时间按与客户约定的窗口，不能拖动。",
    map_title: "今日地图",
    map_empty: "今天的上门和待派工单都还没有位置，地图无从画起。",
    map_order: |what| format!("待派：{what}"),
    map_summary: |drawn, unplaced| {
        if unplaced == 0 {
            format!("示意图：画出 {drawn} 个地点，每位师傅的路线按预约时间先后连线。")
        } else {
            format!("示意图：画出 {drawn} 个地点；另有 {unplaced} 个没有位置，未画出。路线按预约时间先后连线。")
        }
    },
    map_queue: "待派工单",
};

pub static EN: BoardMessages = BoardMessages {
    sort_label: "Order technicians",
    sort_by_load: "By the day's visits",
    sort_by_name: "By name",
    axis_label: "Time axis 08:00–20:00",
    open_visit: |customer| format!("Open the visit to {customer}"),
    open_record: "Record and history",
    open_customer: "Customer file",
    close_visit: "Close",
    move_hint: "To hand a visit on, drag its block onto another technician's row; or open the visit, press Reassign, then Assign here in that technician's row. Times follow the window agreed with the customer and are not dragged.",
    map_title: "Today's map",
    map_empty: "None of today's visits or queued orders has a place yet: nothing to draw.",
    map_order: |what| format!("To assign: {what}"),
    map_summary: |drawn, unplaced| {
        if unplaced == 0 {
            format!("Schematic: {drawn} places; each technician's route joins them in window order.")
        } else {
            format!("Schematic: {drawn} places; {unplaced} more have no place and are not drawn. Routes join visits in window order.")
        }
    },
    map_queue: "Orders to assign",
};
