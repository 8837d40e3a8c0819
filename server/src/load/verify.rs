//! After a load run: is every acknowledged operation in the database, with
//! its effect, and is nothing there twice? Read straight from the tables,
//! not through the code under test.

use std::collections::{HashMap, HashSet};

use app::api::sync::Change;
use app::domain::visit::VisitEvent;
use app::store::Store;
use sqlx::Row;

use super::{AckedOperation, LoadError};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Verification {
    pub acknowledged: u64,
    /// Acknowledged operations found applied (or held), with their effect.
    pub stored: u64,
    pub lost: u64,
    /// Effects beyond one per operation: a part, a fee or a checklist
    /// answer written twice, or an operation recorded twice.
    pub duplicated: u64,
}

/// The visits' rows of the run, read whole.
struct Tables {
    applied: HashMap<String, u64>,
    held: HashSet<String>,
    parts: HashMap<String, u64>,
    fees: HashMap<String, u64>,
    answers: HashMap<(String, String), u64>,
    steps: HashSet<(String, &'static str)>,
    outcomes: HashSet<String>,
}

const RUN_TECHNICIANS: &str = "SELECT id FROM users WHERE login LIKE 'load.tech.%'";

async fn read_tables(store: &Store) -> Result<Tables, LoadError> {
    let pool = store.pool();
    let mut tables = Tables {
        applied: HashMap::new(),
        held: HashSet::new(),
        parts: HashMap::new(),
        fees: HashMap::new(),
        answers: HashMap::new(),
        steps: HashSet::new(),
        outcomes: HashSet::new(),
    };
    for row in sqlx::query(&format!(
        "SELECT operation_id FROM applied_operations WHERE user_id IN ({RUN_TECHNICIANS})"
    ))
    .fetch_all(pool)
    .await
    .map_err(app::store::StoreError::from)?
    {
        let id: String = row
            .try_get("operation_id")
            .map_err(app::store::StoreError::from)?;
        *tables.applied.entry(id).or_default() += 1;
    }
    for row in sqlx::query(&format!(
        "SELECT operation_id FROM held_operations WHERE user_id IN ({RUN_TECHNICIANS})"
    ))
    .fetch_all(pool)
    .await
    .map_err(app::store::StoreError::from)?
    {
        tables.held.insert(
            row.try_get("operation_id")
                .map_err(app::store::StoreError::from)?,
        );
    }
    let run_visits = format!("SELECT id FROM visits WHERE technician_id IN ({RUN_TECHNICIANS})");
    for (table, into) in [
        ("visit_parts", &mut tables.parts),
        ("visit_fees", &mut tables.fees),
    ] {
        for row in sqlx::query(&format!(
            "SELECT id FROM {table} WHERE visit_id IN ({run_visits})"
        ))
        .fetch_all(pool)
        .await
        .map_err(app::store::StoreError::from)?
        {
            let id: String = row.try_get("id").map_err(app::store::StoreError::from)?;
            *into.entry(id).or_default() += 1;
        }
    }
    for row in sqlx::query(&format!(
        "SELECT visit_id, item_key FROM checklist_results WHERE visit_id IN ({run_visits})"
    ))
    .fetch_all(pool)
    .await
    .map_err(app::store::StoreError::from)?
    {
        let key = (
            row.try_get("visit_id")
                .map_err(app::store::StoreError::from)?,
            row.try_get("item_key")
                .map_err(app::store::StoreError::from)?,
        );
        *tables.answers.entry(key).or_default() += 1;
    }
    let steps = [
        VisitEvent::SetOff,
        VisitEvent::CheckIn,
        VisitEvent::StartWork,
        VisitEvent::FinishWork,
    ];
    let columns: Vec<&str> = steps
        .iter()
        .map(|s| app::store::visits::step_time_column(*s))
        .collect();
    for row in sqlx::query(&format!(
        "SELECT id, outcome, {} FROM visits WHERE id IN ({run_visits})",
        columns.join(", ")
    ))
    .fetch_all(pool)
    .await
    .map_err(app::store::StoreError::from)?
    {
        let id: String = row.try_get("id").map_err(app::store::StoreError::from)?;
        for step in steps {
            let at: Option<i64> = row
                .try_get(app::store::visits::step_time_column(step))
                .map_err(app::store::StoreError::from)?;
            if at.is_some() {
                tables.steps.insert((id.clone(), step.as_str()));
            }
        }
        let outcome: Option<String> = row
            .try_get("outcome")
            .map_err(app::store::StoreError::from)?;
        if outcome.is_some() {
            tables.outcomes.insert(id);
        }
    }
    Ok(tables)
}

pub async fn check(store: &Store, acked: &[AckedOperation]) -> Result<Verification, LoadError> {
    let tables = read_tables(store).await?;
    let mut check = Verification {
        acknowledged: acked.len() as u64,
        ..Verification::default()
    };
    for operation in acked {
        let id = &operation.operation_id;
        let visit = &operation.visit_id;
        let stored = if tables.held.contains(id) {
            true
        } else {
            tables.applied.contains_key(id)
                && match &operation.change {
                    Change::Step { event, .. } => {
                        tables.steps.contains(&(visit.clone(), event.as_str()))
                    }
                    Change::Done { item_key } => tables
                        .answers
                        .contains_key(&(visit.clone(), item_key.clone())),
                    Change::Part { part_id, .. } => tables.parts.contains_key(part_id),
                    Change::Fee { charge_id, .. } => tables.fees.contains_key(charge_id),
                    Change::Outcome { .. } => tables.outcomes.contains(visit),
                    other => {
                        tracing::warn!(kind = other.kind(), "the load run does not send this kind");
                        false
                    }
                }
        };
        if stored {
            check.stored += 1;
        } else {
            check.lost += 1;
        }
    }
    check.duplicated = beyond_one(&tables.applied)
        + beyond_one(&tables.parts)
        + beyond_one(&tables.fees)
        + beyond_one(&tables.answers);
    // Effects no acknowledged operation made: a resend applied as new.
    let acked_of =
        |is_kind: fn(&Change) -> bool| acked.iter().filter(|o| is_kind(&o.change)).count() as u64;
    check.duplicated += total(&tables.parts)
        .saturating_sub(acked_of(|c| matches!(c, Change::Part { .. })))
        + total(&tables.fees).saturating_sub(acked_of(|c| matches!(c, Change::Fee { .. })))
        + total(&tables.answers).saturating_sub(acked_of(|c| matches!(c, Change::Done { .. })));
    Ok(check)
}

/// Rows found more than once, beyond the first of each.
fn beyond_one<K>(counts: &HashMap<K, u64>) -> u64 {
    counts.values().map(|n| n.saturating_sub(1)).sum()
}

fn total<K>(counts: &HashMap<K, u64>) -> u64 {
    counts.values().sum()
}
