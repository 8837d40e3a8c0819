//! The client action layer: every technician and customer action leaves the
//! screen through here, with an id made on the device. The server applies
//! each operation id once, so a resend (a lost answer, later the offline
//! outbox) is harmless; the outbox plugs in here without touching screens.

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

pub async fn visit_step(visit_id: String, event: VisitEvent) -> Result<VisitStatus, AppError> {
    crate::serverfns::visits::record_visit_event(
        new_id().to_string(),
        visit_id,
        event.as_str().to_string(),
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
