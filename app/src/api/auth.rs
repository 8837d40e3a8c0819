use serde::{Deserialize, Serialize};

use crate::domain::auth::{Role, Viewer};

/// The signed-in person, as the UI may know them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: String,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    /// Technicians' and dispatchers' region; None for admins (all regions).
    pub region_id: Option<String>,
}

impl CurrentUser {
    pub fn viewer(&self) -> Viewer<'_> {
        Viewer {
            role: self.role,
            user_id: &self.id,
            region_id: self.region_id.as_deref(),
        }
    }
}
