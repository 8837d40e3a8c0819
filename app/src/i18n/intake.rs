//! The desk's intake form: what each refused field needs, the customer's
//! place, and the order taken, in both languages.

use crate::api::error::InputProblem;

#[derive(Debug)]
pub struct IntakeMessages {
    /// What is wrong with one field and how to put it right.
    pub problem: fn(&str, &InputProblem) -> String,
    /// Under the place field: what to type and why it is asked.
    pub location_hint: &'static str,
    /// A check-in position of a verified visit, taken as the place:
    /// (local date of the visit, the position as typed).
    pub use_place: fn(&str, &str) -> String,
    /// The place on file for a customer found.
    pub place_on_file: fn(&str) -> String,
    /// How many fields need a look, at the submit button.
    pub fields_to_fix: fn(usize) -> String,
    /// (order number, customer, window).
    pub order_taken: fn(&str, &str, &str) -> String,
    pub order_number: &'static str,
    pub next_call: &'static str,
}

/// What a field must be, for the problems that are the field's own form.
fn zh_format(field: &str) -> &'static str {
    match field {
        "customer_phone" => "请填写 11 位手机号，或带区号的座机号",
        "customer_location" => "请按“纬度, 经度”填写，例如 31.2304, 121.4737",
        "purchase_date" | "warranty_end" => "请填写真实日期；保修截止不能早于购买日期",
        "appointment_start" => "请选择预约的日期和时间",
        "appointment_end" => "结束须晚于开始，且时间窗口不超过一天",
        _ => "格式不正确",
    }
}

fn en_format(field: &str) -> &'static str {
    match field {
        "customer_phone" => "Enter an 11-digit mobile number, or a landline with its area code",
        "customer_location" => "Type latitude, longitude, e.g. 31.2304, 121.4737",
        "purchase_date" | "warranty_end" => {
            "Enter a real date; the warranty cannot end before the purchase"
        }
        "appointment_start" => "Choose the date and time agreed",
        "appointment_end" => "The end must be after the start, within one day",
        _ => "Not in the expected form",
    }
}

pub static ZH_CN: IntakeMessages = IntakeMessages {
    problem: |field, problem| match problem {
        InputProblem::Empty => "必填".to_string(),
        InputProblem::TooLong { max } => format!("最多 {max} 个字"),
        InputProblem::ControlCharacters | InputProblem::HiddenFormatting => {
            "含有不能显示的字符，请重新输入".to_string()
        }
        InputProblem::OutOfRange { .. } if field == "customer_location" => {
            "纬度须在 -90 到 90 之间，经度须在 -180 到 180 之间：是否写反了？".to_string()
        }
        InputProblem::OutOfRange { min, max } => format!("须在 {min} 到 {max} 之间"),
        InputProblem::BadFormat | InputProblem::Unanswered | InputProblem::ReasonNeeded => {
            zh_format(field).to_string()
        }
    },
    location_hint: "可留空。填写后用于规划路线和核对师傅到场。",
    use_place: |date, place| format!("用 {date} 已核实上门时的位置（{place}）"),
    place_on_file: |place| format!("位置：{place}"),
    fields_to_fix: |n| format!("有 {n} 项需要修改，已在各项下方标出。"),
    order_taken: |number, customer, window| {
        format!("工单 {number} 已建立：{customer}，{window}。已进入待派队列。")
    },
    order_number: "工单号",
    next_call: "可以接下一个电话了。",
};

pub static EN: IntakeMessages = IntakeMessages {
    problem: |field, problem| match problem {
        InputProblem::Empty => "Required".to_string(),
        InputProblem::TooLong { max } => format!("At most {max} characters"),
        InputProblem::ControlCharacters | InputProblem::HiddenFormatting => {
            "Contains characters that cannot be shown; type it again".to_string()
        }
        InputProblem::OutOfRange { .. } if field == "customer_location" => {
            "Latitude is within -90 to 90 and longitude within -180 to 180: swapped?".to_string()
        }
        InputProblem::OutOfRange { min, max } => format!("Must be between {min} and {max}"),
        InputProblem::BadFormat | InputProblem::Unanswered | InputProblem::ReasonNeeded => {
            en_format(field).to_string()
        }
    },
    location_hint: "Optional. Used to plan routes and to check the technician's arrival.",
    use_place: |date, place| format!("Use the place of the verified visit on {date} ({place})"),
    place_on_file: |place| format!("Place: {place}"),
    fields_to_fix: |n| {
        if n == 1 {
            "1 field needs a change; it is marked below it.".to_string()
        } else {
            format!("{n} fields need a change; each is marked below it.")
        }
    },
    order_taken: |number, customer, window| {
        format!("Order {number} taken: {customer}, {window}. It is in the queue to assign.")
    },
    order_number: "Order no.",
    next_call: "Ready for the next call.",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_field_says_what_it_needs_in_each_language() {
        let bad = InputProblem::BadFormat;
        assert_eq!(
            (ZH_CN.problem)("customer_phone", &bad),
            "请填写 11 位手机号，或带区号的座机号"
        );
        assert!((EN.problem)("customer_location", &bad).contains("latitude, longitude"));
        assert_eq!(
            (ZH_CN.problem)("customer_name", &InputProblem::Empty),
            "必填"
        );
        let swapped = InputProblem::OutOfRange {
            min: "-90".into(),
            max: "90".into(),
        };
        assert!((ZH_CN.problem)("customer_location", &swapped).contains("写反"));
        assert_eq!(
            (ZH_CN.order_taken)("9A2C7-1B0DE", "林晓", "2026-12-04 09:00–11:00"),
            "工单 9A2C7-1B0DE 已建立：林晓，2026-12-04 09:00–11:00。已进入待派队列。"
        );
        assert_eq!(
            (EN.fields_to_fix)(1),
            "1 field needs a change; it is marked below it."
        );
    }
}
