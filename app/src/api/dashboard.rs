//! The service-quality dashboard: figures, trends, scorecards, the
//! service-star ranking, checklist items and the field-insight report.

use serde::{Deserialize, Serialize};

use crate::domain::dashboard::{FigureCounts, Period, Scorecard, StarRank};
use crate::domain::metrics::Rate;
use crate::domain::time::{Timestamp, UtcOffset};

/// The dashboard's filters as the address bar carries them; empty means
/// the default (this month, the dispatcher's region, every technician).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardQuery {
    pub period: String,
    pub date: String,
    pub to: String,
    pub region: String,
    pub technician: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemRow {
    pub key: String,
    pub text_zh: String,
    pub text_en: String,
    pub rate: Rate,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InsightGroupRow {
    pub appliance_category: String,
    pub brand: String,
    pub model: String,
    pub insight_category: String,
    pub count: u64,
    /// The newest notes of the group, newest first.
    pub notes: Vec<InsightNoteRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InsightNoteRow {
    pub note: String,
    pub technician: String,
    pub written_at: Timestamp,
}

/// Everything the dashboard shows, resolved and counted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub query: DashboardQuery,
    pub period: Period,
    pub utc_offset: UtcOffset,
    pub regions: Vec<Choice>,
    pub technicians: Vec<Choice>,
    pub total: FigureCounts,
    /// One entry per bucket of the period, in order.
    pub trend: Vec<FigureCounts>,
    pub scorecards: Vec<Scorecard>,
    /// The service-star ranking when the period is a quarter.
    pub stars: Option<Vec<StarRank>>,
    pub items: Vec<ItemRow>,
    pub insights: Vec<InsightGroupRow>,
    /// Arrivals something casts doubt on, latest first.
    #[serde(default)]
    pub flagged_arrivals: Vec<FlaggedArrival>,
}

/// An arrival something casts doubt on, as the dispatcher's list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlaggedArrival {
    pub visit_id: String,
    pub customer_name: String,
    pub technician_name: Option<String>,
    pub arrived_at: Timestamp,
    pub check: crate::domain::arrival::ArrivalCheck,
}
