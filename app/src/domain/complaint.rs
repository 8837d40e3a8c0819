//! Complaints on record: the complaint rate (服务投诉率) counts them. The
//! handling clocks (1 h reply, 24 h result, 48 h rectification, 72 h
//! callback) build on this record.

use serde::{Deserialize, Serialize};

use super::ids::RecordId;
use super::time::Timestamp;
use super::validation::Note;

text_enum! {
    /// Where the complaint came in (谁受理谁负责: whoever receives it owns
    /// it): at sign-off ("I am not satisfied / I want to complain"), by
    /// phone, or at a callback.
    pub enum ComplaintSource {
        SignOff = "sign_off",
        Phone = "phone",
        Callback = "callback",
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Complaint {
    pub id: RecordId,
    pub work_order_id: RecordId,
    /// The visit complained about, when the customer names one.
    pub visit_id: Option<RecordId>,
    pub source: ComplaintSource,
    pub received_at: Timestamp,
    pub description: Note,
}
