use serde::{Deserialize, Serialize};

/// A work order as the intake form sends it. Every field is text, parsed
/// into the domain's types on the server, so each bad field is named in a
/// clear error instead of failing the whole request's decoding.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WorkOrderIntake {
    /// Ids made on the device (UUIDv7), so a repeated submission is
    /// recognised rather than doubled.
    pub work_order_id: String,
    pub customer_id: String,
    pub appliance_id: String,
    pub customer_name: String,
    pub customer_phone: String,
    pub customer_address: String,
    pub brand: String,
    pub category: String,
    pub model: String,
    pub serial_number: String,
    /// `YYYY-MM-DD`, or empty when unknown.
    pub purchase_date: String,
    /// `YYYY-MM-DD`, or empty when unknown.
    pub warranty_end: String,
    pub reported_fault: String,
    pub fault_category: String,
    pub channel: String,
    pub priority: String,
    /// Local `YYYY-MM-DDTHH:MM` on the region's clock.
    pub appointment_start: String,
    pub appointment_end: String,
    /// Empty for a dispatcher (their own region); an admin names one.
    pub region_id: String,
    /// The customer found at intake: `customer_id` names them and the
    /// customer's fields are not read.
    pub existing_customer: bool,
    /// One of that customer's appliances: `appliance_id` names it.
    pub existing_appliance: bool,
}
