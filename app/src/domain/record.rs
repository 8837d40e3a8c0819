//! The one-ticket service record (一票到底服务记录单): everything about one
//! visit in one value, as the record page and the customer's copy show it.

use serde::{Deserialize, Serialize};

use super::charges::{visit_total, FeeCharge, Money, PartUsed};
use super::checklist::{ChecklistTemplate, IncompleteChecklist, ItemAnswer};
use super::signoff::SignOff;
use super::visit::Visit;
use super::work_order::{Appliance, Customer, WorkOrder};

/// A checklist result against its template item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedAnswer {
    pub item_key: String,
    pub answer: ItemAnswer,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VisitRecord {
    pub visit: Visit,
    pub work_order: WorkOrder,
    pub customer: Customer,
    pub appliance: Appliance,
    pub technician_name: Option<String>,
    /// The template version the visit runs by.
    pub checklist: ChecklistTemplate,
    /// In template order.
    pub answers: Vec<RecordedAnswer>,
    pub parts: Vec<PartUsed>,
    pub fees: Vec<FeeCharge>,
    pub sign_off: Option<SignOff>,
}

impl VisitRecord {
    pub fn answer(&self, item_key: &str) -> Option<&ItemAnswer> {
        self.answers
            .iter()
            .find(|recorded| recorded.item_key == item_key)
            .map(|recorded| &recorded.answer)
    }

    pub fn checklist_complete(&self) -> Result<(), IncompleteChecklist> {
        self.checklist.check_complete(|key| self.answer(key))
    }

    pub fn total(&self) -> Money {
        visit_total(&self.parts, &self.fees)
    }
}
