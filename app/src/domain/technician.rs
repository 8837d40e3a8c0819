//! Service regions and the technicians who work in them.

use serde::{Deserialize, Serialize};

use super::ids::RecordId;
use super::validation::{
    EmployeeNumber, PersonName, Problem, RegionName, ServiceCardNumber, ValidationError,
};
use super::work_order::ApplianceCategory;

/// A service region: its dispatchers see its work orders, its technicians
/// take its visits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Region {
    pub id: RecordId,
    pub name: RegionName,
}

/// What a technician is trained to repair: at least one appliance category,
/// each once, in a fixed order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<ApplianceCategory>", into = "Vec<ApplianceCategory>")]
pub struct Skills(Vec<ApplianceCategory>);

impl Skills {
    pub const FIELD: &'static str = "skills";

    pub fn new(categories: Vec<ApplianceCategory>) -> Result<Skills, ValidationError> {
        let mut categories: Vec<ApplianceCategory> = ApplianceCategory::ALL
            .iter()
            .copied()
            .filter(|category| categories.contains(category))
            .collect();
        categories.dedup();
        if categories.is_empty() {
            return Err(ValidationError::new(Self::FIELD, Problem::Empty));
        }
        Ok(Skills(categories))
    }

    /// From the stored text, e.g. `washing_machine,dryer`.
    pub fn parse(text: &str) -> Result<Skills, ValidationError> {
        let categories = text
            .split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(|part| {
                ApplianceCategory::parse(part).ok_or_else(|| {
                    ValidationError::new(
                        Self::FIELD,
                        Problem::BadFormat("unknown appliance category"),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Skills::new(categories)
    }

    pub fn to_text(&self) -> String {
        self.0
            .iter()
            .map(|category| category.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn covers(&self, category: ApplianceCategory) -> bool {
        self.0.contains(&category)
    }

    pub fn categories(&self) -> &[ApplianceCategory] {
        &self.0
    }
}

impl TryFrom<Vec<ApplianceCategory>> for Skills {
    type Error = ValidationError;
    fn try_from(categories: Vec<ApplianceCategory>) -> Result<Self, Self::Error> {
        Skills::new(categories)
    }
}

impl From<Skills> for Vec<ApplianceCategory> {
    fn from(skills: Skills) -> Self {
        skills.0
    }
}

/// A technician's profile beside their login account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Technician {
    /// The account's id.
    pub user_id: RecordId,
    pub employee_number: EmployeeNumber,
    pub name: PersonName,
    pub service_card_number: ServiceCardNumber,
    pub region_id: RecordId,
    pub skills: Skills,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use ApplianceCategory as A;

    #[test]
    fn skills_are_a_non_empty_ordered_set() {
        let skills = Skills::new(vec![A::Dryer, A::WashingMachine, A::Dryer]).unwrap();
        assert_eq!(skills.categories(), [A::WashingMachine, A::Dryer]);
        assert_eq!(skills.to_text(), "washing_machine,dryer");
        assert!(skills.covers(A::Dryer) && !skills.covers(A::Refrigerator));
        assert_eq!(Skills::new(vec![]).unwrap_err().problem, Problem::Empty);
        assert_eq!(Skills::parse("").unwrap_err().field, "skills");
        assert!(Skills::parse("washing_machine,teleporter").is_err());
        assert!(serde_json::from_str::<Skills>("[]").is_err());
    }

    proptest! {
        #[test]
        fn skills_survive_their_stored_text(picks in proptest::collection::vec(0usize..7, 1..10)) {
            let categories: Vec<A> = picks.iter().map(|&i| A::ALL[i]).collect();
            let skills = Skills::new(categories.clone()).unwrap();
            prop_assert_eq!(Skills::parse(&skills.to_text()).unwrap(), skills.clone());
            for category in categories {
                prop_assert!(skills.covers(category));
            }
        }
    }
}
