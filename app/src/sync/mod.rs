//! The client action layer: every technician and customer action leaves the
//! screen through here, with an id made on the device. The server applies
//! each operation id once, so a resend (a lost answer, later the offline
//! outbox) is harmless; the outbox plugs in here without touching screens.

pub mod device;
pub mod outbox;

use crate::domain::ids::RecordId;
use crate::domain::time::Timestamp;
use crate::domain::visit::{VisitEvent, VisitStatus};
use crate::error::AppError;

/// A new UUIDv7 for an operation or a record made on this device.
pub fn new_id() -> RecordId {
    RecordId::v7(Timestamp::now().unix_millis(), random_bytes())
}

#[cfg(feature = "hydrate")]
fn random_bytes() -> [u8; 10] {
    let mut bytes = [0u8; 10];
    if let Some(crypto) = web_sys::window().and_then(|window| window.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    bytes
}

#[cfg(not(feature = "hydrate"))]
fn random_bytes() -> [u8; 10] {
    let mut bytes = [0u8; 10];
    #[cfg(feature = "ssr")]
    let _ = getrandom::fill(&mut bytes);
    bytes
}

/// The device's clock now, as the text the server functions take.
fn device_time() -> Option<String> {
    Some(Timestamp::now().unix_millis().to_string())
}

/// A step of the visit; the check-in asks the phone for its position first
/// (the technician may refuse; the check-in goes on without it).
pub async fn visit_step(visit_id: String, event: VisitEvent) -> Result<VisitStatus, AppError> {
    let operation_id = new_id().to_string();
    let device_time = device_time();
    let fix = if event == VisitEvent::CheckIn {
        device::current_position().await
    } else {
        None
    };
    let text = |value: Option<f64>| value.map(|v| v.to_string());
    crate::serverfns::visits::record_visit_event(
        operation_id,
        visit_id,
        event.as_str().to_string(),
        device_time,
        text(fix.map(|f| f.0)),
        text(fix.map(|f| f.1)),
        text(fix.map(|f| f.2)),
    )
    .await
}

/// Marks the item done with a photo: the photo is made small on the phone,
/// and its id is made here, so a resend stores it once.
pub async fn checklist_photo(
    visit_id: String,
    item_key: String,
    data_base64: String,
) -> Result<(), AppError> {
    crate::serverfns::visits::attach_photo(
        new_id().to_string(),
        visit_id,
        item_key,
        new_id().to_string(),
        data_base64,
    )
    .await
}

pub async fn part(
    visit_id: String,
    code: String,
    name: String,
    quantity: String,
    unit_price_yuan: String,
) -> Result<(), AppError> {
    let unit_price_fen = crate::domain::charges::Money::parse_yuan(&unit_price_yuan)
        .map(|money| money.fen().to_string())
        .map_err(|error| AppError::InvalidInput {
            field: "unit_price".into(),
            message: error.to_string(),
        })?;
    crate::serverfns::visits::record_part(
        new_id().to_string(),
        visit_id,
        new_id().to_string(),
        code,
        name,
        quantity,
        unit_price_fen,
    )
    .await
}

pub async fn fee(visit_id: String, code: String, quantity: String) -> Result<(), AppError> {
    crate::serverfns::visits::charge_fee(
        new_id().to_string(),
        visit_id,
        new_id().to_string(),
        code,
        quantity,
    )
    .await
    .map(|_| ())
}

pub async fn field_insight(
    visit_id: String,
    category: String,
    note: String,
) -> Result<(), AppError> {
    crate::serverfns::visits::add_field_insight(
        new_id().to_string(),
        visit_id,
        new_id().to_string(),
        category,
        note,
    )
    .await
}

/// The customer's complaint from the sign-off screen; answers its id.
pub async fn complaint(visit_id: String, description: String) -> Result<String, AppError> {
    crate::serverfns::visits::file_sign_off_complaint(
        new_id().to_string(),
        visit_id,
        new_id().to_string(),
        description,
    )
    .await
}

pub async fn checklist_done(visit_id: String, item_key: String) -> Result<(), AppError> {
    crate::serverfns::visits::record_checklist_answer(
        new_id().to_string(),
        visit_id,
        item_key,
        "done".into(),
        String::new(),
        String::new(),
        String::new(),
    )
    .await
}

pub async fn checklist_not_applicable(
    visit_id: String,
    item_key: String,
    reason: String,
) -> Result<(), AppError> {
    crate::serverfns::visits::record_checklist_answer(
        new_id().to_string(),
        visit_id,
        item_key,
        "not_applicable".into(),
        String::new(),
        String::new(),
        reason,
    )
    .await
}

/// `reason` is empty for "fixed".
pub async fn outcome(
    visit_id: String,
    fixed: bool,
    reason: String,
    detail: String,
) -> Result<(), AppError> {
    let outcome = if fixed { "fixed" } else { "not_fixed" };
    crate::serverfns::visits::record_outcome(
        new_id().to_string(),
        visit_id,
        outcome.into(),
        reason,
        detail,
    )
    .await
}

pub async fn sign_off(
    visit_id: String,
    sign_off: crate::serverfns::visits::SignOffInput,
) -> Result<(), AppError> {
    crate::serverfns::visits::sign_off_visit(new_id().to_string(), visit_id, sign_off)
        .await
        .map(|_| ())
}

/// A dispatcher puts a technician on a work order (its visit still to be
/// made changes hands, or a new one is made); answers the visit's id.
pub async fn assign(work_order_id: String, technician_id: String) -> Result<String, AppError> {
    crate::serverfns::desk::assign_technician(
        new_id().to_string(),
        work_order_id,
        technician_id,
        new_id().to_string(),
        None,
        None,
    )
    .await
}
