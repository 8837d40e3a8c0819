//! Visits: the day's lists, the state machine applied in a transaction, and
//! where a visit belongs for the access rules.

use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Executor, Row};

use super::dashboard_cache::{forget_counted_days, Touched};
use super::{corrupt, optional_time, Store, StoreError};
use crate::api::today::TodayVisit;
use crate::api::visits::OtherVisit;
use crate::domain::auth::VisitScope;
use crate::domain::device_clock::{ClockDoubt, DeviceClock, EarliestPossible};
use crate::domain::ids::RecordId;
use crate::domain::signoff::{NotFixedReason, VisitOutcome};
use crate::domain::time::{AppointmentWindow, Timestamp, UtcOffset};
use crate::domain::validation::{Note, PhoneNumber};
use crate::domain::visit::ArrivalRisk;
use crate::domain::visit::{
    follow_up_window, PositionFix, Visit, VisitEvent, VisitStatus, VisitTimes,
};
use crate::domain::work_order::{warranty_on_day_of, ApplianceCategory, CalendarDate};
use crate::zone::ServiceZone;

pub(crate) const VISIT_COLUMNS: &str = "v.id, v.work_order_id, v.technician_id, \
     v.window_start_ms, v.window_end_ms, v.status, v.checklist_version, v.dispatched_at_ms, \
     v.on_the_way_at_ms, v.arrived_at_ms, v.work_started_at_ms, v.work_finished_at_ms, \
     v.signed_at_ms, v.closed_unsigned_at_ms, v.cancelled_at_ms, v.outcome, v.not_fixed_reason, \
     v.not_fixed_detail";

/// The outcome as its three columns: outcome, not-fixed reason, detail.
pub(crate) fn outcome_columns(
    outcome: Option<&VisitOutcome>,
) -> (Option<&'static str>, Option<&'static str>, Option<&str>) {
    match outcome {
        None => (None, None, None),
        Some(VisitOutcome::Fixed) => (Some("fixed"), None, None),
        Some(VisitOutcome::NotFixed { reason }) => {
            let (reason, detail) = match reason {
                NotFixedReason::PartsUnavailable => ("parts_unavailable", None),
                NotFixedReason::Skill => ("skill", None),
                NotFixedReason::TimeRanOut => ("time_ran_out", None),
                NotFixedReason::Other(note) => ("other", Some(note.as_str())),
            };
            (Some("not_fixed"), Some(reason), detail)
        }
    }
}

pub(crate) fn outcome_from_row(row: &AnyRow, id: &str) -> Result<Option<VisitOutcome>, StoreError> {
    let outcome: Option<String> = row.try_get("outcome")?;
    let reason: Option<String> = row.try_get("not_fixed_reason")?;
    let detail: Option<String> = row.try_get("not_fixed_detail")?;
    let bad = |what: &str| corrupt("visit", id, what);
    Ok(match (outcome.as_deref(), reason.as_deref()) {
        (None, _) => None,
        (Some("fixed"), _) => Some(VisitOutcome::Fixed),
        (Some("not_fixed"), Some(reason)) => Some(VisitOutcome::NotFixed {
            reason: match reason {
                "parts_unavailable" => NotFixedReason::PartsUnavailable,
                "skill" => NotFixedReason::Skill,
                "time_ran_out" => NotFixedReason::TimeRanOut,
                "other" => NotFixedReason::Other(
                    Note::parse(detail.as_deref().unwrap_or_default())
                        .map_err(|e| corrupt("visit", id, e))?,
                ),
                _ => return Err(bad("unknown not_fixed_reason")),
            },
        }),
        _ => return Err(bad("unknown outcome")),
    })
}

pub(crate) fn visit_from_row(row: &AnyRow) -> Result<Visit, StoreError> {
    let id: String = row.try_get("id")?;
    let bad = |e: &dyn std::fmt::Display| corrupt("visit", &id, e);
    let status_text: String = row.try_get("status")?;
    let technician: Option<String> = row.try_get("technician_id")?;
    Ok(Visit {
        work_order_id: RecordId::parse(
            "work_order_id",
            &row.try_get::<String, _>("work_order_id")?,
        )
        .map_err(|e| bad(&e))?,
        technician_id: technician
            .map(|t| RecordId::parse("technician_id", &t))
            .transpose()
            .map_err(|e| bad(&e))?,
        window: AppointmentWindow::new(
            Timestamp::from_unix_millis(row.try_get("window_start_ms")?),
            Timestamp::from_unix_millis(row.try_get("window_end_ms")?),
        )
        .map_err(|e| bad(&e))?,
        status: VisitStatus::parse(&status_text)
            .ok_or_else(|| bad(&format!("status {status_text:?}")))?,
        checklist_version: u32::try_from(row.try_get::<i64, _>("checklist_version")?)
            .map_err(|e| bad(&e))?,
        times: VisitTimes {
            dispatched: optional_time(row, "dispatched_at_ms")?,
            on_the_way: optional_time(row, "on_the_way_at_ms")?,
            arrived: optional_time(row, "arrived_at_ms")?,
            work_started: optional_time(row, "work_started_at_ms")?,
            work_finished: optional_time(row, "work_finished_at_ms")?,
            signed: optional_time(row, "signed_at_ms")?,
            closed_unsigned: optional_time(row, "closed_unsigned_at_ms")?,
            cancelled: optional_time(row, "cancelled_at_ms")?,
        },
        outcome: outcome_from_row(row, &id)?,
        id: RecordId::parse("id", &id).map_err(|e| bad(&e))?,
    })
}

/// "海尔 EG100": the appliance as lists name it, from a row with `brand`
/// and `model`.
pub(crate) fn brand_and_model(row: &AnyRow) -> Result<String, StoreError> {
    Ok(format!(
        "{} {}",
        row.try_get::<String, _>("brand")?,
        row.try_get::<String, _>("model")?
    ))
}

/// A visit row's window, and the offset of its region's clock at the
/// window's start (so the phone shows local times without a tz database).
pub(crate) fn window_and_offset(
    row: &AnyRow,
    id: &str,
) -> Result<(AppointmentWindow, UtcOffset), StoreError> {
    let bad = |e: &dyn std::fmt::Display| corrupt("visit", id, e);
    let window = AppointmentWindow::new(
        Timestamp::from_unix_millis(row.try_get("window_start_ms")?),
        Timestamp::from_unix_millis(row.try_get("window_end_ms")?),
    )
    .map_err(|e| bad(&e))?;
    let zone =
        ServiceZone::from_name(&row.try_get::<String, _>("time_zone")?).map_err(|e| bad(&e))?;
    Ok((window, zone.offset_at(window.start())))
}

/// Writes a visit as it stands, steps and outcome included (a new visit is
/// `dispatched` with only `created_at`; the demo history writes finished ones).
pub async fn insert_visit<'c>(
    db: impl Executor<'c, Database = Any>,
    visit: &Visit,
    zone: ServiceZone,
    created_at: Timestamp,
) -> Result<(), StoreError> {
    let millis = |t: Option<Timestamp>| t.map(Timestamp::unix_millis);
    let (outcome, reason, detail) = outcome_columns(visit.outcome.as_ref());
    sqlx::query(
        "INSERT INTO visits (id, work_order_id, technician_id, window_start_ms, window_end_ms, \
         time_zone, checklist_version, status, created_at_ms, dispatched_at_ms, on_the_way_at_ms, \
         arrived_at_ms, work_started_at_ms, work_finished_at_ms, signed_at_ms, cancelled_at_ms, \
         outcome, not_fixed_reason, not_fixed_detail, closed_unsigned_at_ms, \
         fee_schedule_version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, \
         $14, $15, $16, $17, $18, $19, $20, (SELECT COALESCE(MAX(version), 1) FROM fee_schedule_versions))",
    )
    .bind(visit.id.as_str())
    .bind(visit.work_order_id.as_str())
    .bind(visit.technician_id.as_ref().map(RecordId::as_str))
    .bind(visit.window.start().unix_millis())
    .bind(visit.window.end().unix_millis())
    .bind(zone.name())
    .bind(i64::from(visit.checklist_version))
    .bind(visit.status.as_str())
    .bind(created_at.unix_millis())
    .bind(millis(visit.times.dispatched))
    .bind(millis(visit.times.on_the_way))
    .bind(millis(visit.times.arrived))
    .bind(millis(visit.times.work_started))
    .bind(millis(visit.times.work_finished))
    .bind(millis(visit.times.signed))
    .bind(millis(visit.times.cancelled))
    .bind(outcome)
    .bind(reason)
    .bind(detail)
    .bind(millis(visit.times.closed_unsigned))
    .execute(db)
    .await?;
    Ok(())
}

/// Where a visit belongs, for the access rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredVisitPlace {
    pub technician_id: Option<String>,
    pub region_id: String,
}

impl StoredVisitPlace {
    pub fn as_place(&self) -> crate::domain::auth::VisitPlace<'_> {
        crate::domain::auth::VisitPlace {
            technician_id: self.technician_id.as_deref(),
            region_id: &self.region_id,
        }
    }
}

impl Store {
    pub async fn count_visits(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM visits")
            .fetch_one(self.pool())
            .await?;
        Ok(row.try_get::<i64, _>("n")?)
    }

    /// Visits whose window starts in `[from, until)`, earliest first, within
    /// the viewer's scope; cancelled visits are not on anyone's day.
    pub async fn visits_starting_between(
        &self,
        from: Timestamp,
        until: Timestamp,
        scope: &VisitScope,
    ) -> Result<Vec<TodayVisit>, StoreError> {
        let (technician, region, nothing) = match scope {
            VisitScope::AssignedTo(user) => (Some(user.as_str()), None, false),
            VisitScope::Region(region) => (None, Some(region.as_str()), false),
            VisitScope::All => (None, None, false),
            VisitScope::Nothing => (None, None, true),
        };
        if nothing {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(
            "SELECT v.id, v.work_order_id, v.technician_id, v.window_start_ms, v.window_end_ms, \
             v.time_zone, v.status, w.customer_id, c.name AS customer_name, c.address AS customer_address, c.phone AS customer_phone, \
             c.latitude, c.longitude, \
             a.brand, a.model, a.category, a.warranty_end, w.reported_fault, v.arrival_flags \
             FROM visits v JOIN work_orders w ON w.id = v.work_order_id \
             JOIN customers c ON c.id = w.customer_id JOIN appliances a ON a.id = w.appliance_id \
             WHERE v.window_start_ms >= $1 AND v.window_start_ms < $2 AND v.status <> 'cancelled' \
             AND ($3 IS NULL OR v.technician_id = $3) AND ($4 IS NULL OR w.region_id = $4) \
             ORDER BY v.window_start_ms, v.id",
        )
        .bind(from.unix_millis())
        .bind(until.unix_millis())
        .bind(technician)
        .bind(region)
        .fetch_all(self.pool())
        .await?;

        rows.iter()
            .map(|row| {
                let id: String = row.try_get("id")?;
                let bad = |e: &dyn std::fmt::Display| corrupt("visit", &id, e);
                let (window, utc_offset) = window_and_offset(row, &id)?;
                let category: String = row.try_get("category")?;
                let status: String = row.try_get("status")?;
                let warranty_end = row
                    .try_get::<Option<String>, _>("warranty_end")?
                    .map(|text| CalendarDate::parse("warranty_end", &text).map_err(|e| bad(&e)))
                    .transpose()?;
                let flags: Option<String> = row.try_get("arrival_flags")?;
                Ok(TodayVisit {
                    place: super::work_orders::customer_place(row, &id)?,
                    warranty: warranty_on_day_of(warranty_end, window.start(), utc_offset),
                    arrival_flags: flags
                        .as_deref()
                        .unwrap_or_default()
                        .split(',')
                        .filter_map(crate::domain::arrival::ArrivalFlag::parse)
                        .collect(),
                    work_order_id: row.try_get("work_order_id")?,
                    technician_id: row.try_get("technician_id")?,
                    customer_id: row.try_get("customer_id")?,
                    customer_name: row.try_get("customer_name")?,
                    customer_address: row.try_get("customer_address")?,
                    customer_phone: PhoneNumber::parse(
                        &row.try_get::<String, _>("customer_phone")?,
                    )
                    .map_err(|e| bad(&e))?,
                    appliance: brand_and_model(row)?,
                    appliance_category: ApplianceCategory::parse(&category)
                        .ok_or_else(|| bad(&format!("category {category:?}")))?,
                    reported_fault: row.try_get("reported_fault")?,
                    status: VisitStatus::parse(&status)
                        .ok_or_else(|| bad(&format!("status {status:?}")))?,
                    utc_offset,
                    risk: ArrivalRisk::None,
                    window,
                    id,
                })
            })
            .collect()
    }

    /// The other visits to the same appliance (every work order), newest
    /// first: what was done before, and a follow-up already opened.
    pub async fn other_visits_to_appliance(
        &self,
        visit_id: &RecordId,
    ) -> Result<Vec<OtherVisit>, StoreError> {
        let rows = sqlx::query(
            "SELECT v.id, v.window_start_ms, v.window_end_ms, v.time_zone, v.status, v.outcome, \
             v.not_fixed_reason, v.not_fixed_detail, v.follow_up_of, w.reported_fault, \
             u.display_name FROM visits v JOIN work_orders w ON w.id = v.work_order_id \
             LEFT JOIN users u ON u.id = v.technician_id \
             WHERE w.appliance_id = (SELECT w2.appliance_id FROM visits v2 \
             JOIN work_orders w2 ON w2.id = v2.work_order_id WHERE v2.id = $1) AND v.id <> $1 \
             ORDER BY v.window_start_ms DESC, v.id LIMIT 20",
        )
        .bind(visit_id.as_str())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let id: String = row.try_get("id")?;
                let bad = |e: &dyn std::fmt::Display| corrupt("visit", &id, e);
                let (window, utc_offset) = window_and_offset(row, &id)?;
                let status: String = row.try_get("status")?;
                let follow_up_of: Option<String> = row.try_get("follow_up_of")?;
                Ok(OtherVisit {
                    status: VisitStatus::parse(&status)
                        .ok_or_else(|| bad(&format!("status {status:?}")))?,
                    outcome: outcome_from_row(row, &id)?,
                    reported_fault: row.try_get("reported_fault")?,
                    technician_name: row.try_get("display_name")?,
                    is_follow_up_of_this: follow_up_of.as_deref() == Some(visit_id.as_str()),
                    utc_offset,
                    window,
                    id,
                })
            })
            .collect()
    }

    /// The visit's technician and region, or None when there is no such visit.
    pub async fn visit_place(
        &self,
        visit_id: &str,
    ) -> Result<Option<StoredVisitPlace>, StoreError> {
        let row = sqlx::query(
            "SELECT v.technician_id, w.region_id FROM visits v \
             JOIN work_orders w ON w.id = v.work_order_id WHERE v.id = $1",
        )
        .bind(visit_id)
        .fetch_optional(self.pool())
        .await?;
        row.map(|row| {
            let region: Option<String> = row.try_get("region_id")?;
            Ok(StoredVisitPlace {
                technician_id: row.try_get("technician_id")?,
                region_id: region
                    .ok_or_else(|| corrupt("visit", visit_id, "work order without a region"))?,
            })
        })
        .transpose()
    }

    pub async fn visit(&self, visit_id: &RecordId) -> Result<Option<Visit>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {VISIT_COLUMNS} FROM visits v WHERE v.id = $1"
        ))
        .bind(visit_id.as_str())
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(visit_from_row).transpose()
    }

    /// The visits of a work order in the order they were made.
    pub async fn visits_of_work_order(
        &self,
        work_order_id: &RecordId,
    ) -> Result<Vec<Visit>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {VISIT_COLUMNS} FROM visits v WHERE v.work_order_id = $1 \
             ORDER BY v.created_at_ms, v.id"
        ))
        .bind(work_order_id.as_str())
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(visit_from_row).collect()
    }
}

/// The answer an operation got when it was first applied, if it was. An
/// operation id names one action by one person: the same id from someone
/// else, or for another action, is no repeat but a client's mistake (409),
/// and nothing of it is applied. `action` is the operation's kind as the
/// sync names it (`sync::operation::Change::kind`); rows written before
/// actions were kept match any.
pub(crate) async fn applied_answer(
    conn: &mut AnyConnection,
    operation_id: &str,
    user_id: &str,
    action: &str,
) -> Result<Option<String>, StoreError> {
    let row = sqlx::query(
        "SELECT user_id, action, answer FROM applied_operations WHERE operation_id = $1",
    )
    .bind(operation_id)
    .fetch_optional(conn)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let used_by: String = row.try_get("user_id")?;
    let used_for: Option<String> = row.try_get("action")?;
    if used_by != user_id || used_for.is_some_and(|used_for| used_for != action) {
        return Err(StoreError::operation_id_in_use(operation_id));
    }
    Ok(Some(row.try_get("answer")?))
}

/// The visit, read inside a writing transaction so the check and the write
/// see one state.
pub(crate) async fn visit_in(
    conn: &mut AnyConnection,
    visit_id: &str,
) -> Result<Visit, VisitEventError> {
    let row = sqlx::query(&format!(
        "SELECT {VISIT_COLUMNS} FROM visits v WHERE v.id = $1"
    ))
    .bind(visit_id)
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| VisitEventError::NotFound(visit_id.to_string()))?;
    Ok(visit_from_row(&row)?)
}

/// The phone's time of the technician's latest operation the server
/// received whose time was believed: the outbox sends in the order things
/// were made, so the next operation cannot have been made earlier.
async fn last_believed_device_time(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<Option<Timestamp>, StoreError> {
    let row = sqlx::query(
        "SELECT device_at_ms FROM applied_operations WHERE user_id = $1 \
         AND device_at_ms IS NOT NULL AND device_clock_doubt IS NULL \
         ORDER BY applied_at_ms DESC, operation_id DESC LIMIT 1",
    )
    .bind(user_id)
    .fetch_optional(conn)
    .await?;
    super::optional_time_of(row.as_ref(), "device_at_ms")
}

/// Marks an operation applied, in the transaction of its change, with the
/// answer a repeat of it gets and the device's clock when it was made.
pub(crate) async fn record_applied(
    conn: &mut AnyConnection,
    (operation_id, user_id, action): (&str, &str, &str),
    (at, device_at): (Timestamp, Option<Timestamp>),
    answer: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO applied_operations (operation_id, user_id, applied_at_ms, answer, \
         device_at_ms, action) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(operation_id)
    .bind(user_id)
    .bind(at.unix_millis())
    .bind(answer)
    .bind(device_at.map(Timestamp::unix_millis))
    .bind(action)
    .execute(conn)
    .await?;
    Ok(())
}

/// Why a visit event was not applied.
#[derive(Debug, thiserror::Error)]
pub enum VisitEventError {
    #[error("visit {0} not found")]
    NotFound(String),
    #[error("visit {0} is not assigned to this technician")]
    NotYours(String),
    #[error(transparent)]
    Illegal(#[from] crate::domain::visit::IllegalTransition),
    #[error(transparent)]
    NotReady(#[from] crate::domain::record::NotReadyToFinish),
    /// Signing goes through the sign-off, which carries the signature;
    /// closing unsigned through its form, which says why.
    #[error("to {0} the visit, use its own form: the signature, or why there is none")]
    NotABareStep(VisitEvent),
    /// Someone else changed the visit between our read and our write.
    #[error("visit {0} changed meanwhile; reload it")]
    ChangedMeanwhile(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for VisitEventError {
    fn from(error: sqlx::Error) -> Self {
        VisitEventError::Store(StoreError::Database(error))
    }
}

/// When and where a step was taken: by the server's clock, and as the phone
/// saw it (its clock; its position at check-in, if the technician allows).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepMoment {
    pub server: Timestamp,
    pub device: DeviceClock,
    pub fix: Option<PositionFix>,
}

impl From<Timestamp> for StepMoment {
    fn from(server: Timestamp) -> Self {
        StepMoment {
            server,
            device: DeviceClock::default(),
            fix: None,
        }
    }
}

impl Store {
    /// Applies `event` to a technician's visit in one transaction, once per
    /// `operation_id`: a repeat of an operation already applied returns the
    /// status it produced then and changes nothing. Finishing a visit whose
    /// outcome is "not fixed" opens its follow-up visit in the same
    /// transaction.
    pub async fn apply_visit_event(
        &self,
        operation_id: &str,
        visit_id: &str,
        technician_id: &str,
        event: VisitEvent,
        moment: impl Into<StepMoment>,
    ) -> Result<VisitStatus, VisitEventError> {
        let moment = moment.into();
        let mut tx = self.begin().await?;
        if let Some(answer) =
            applied_answer(&mut tx, operation_id, technician_id, event.as_str()).await?
        {
            // Not a status: the id was used for another kind of action
            // before actions were kept with it.
            return VisitStatus::parse(&answer).ok_or_else(|| {
                VisitEventError::Store(StoreError::operation_id_in_use(operation_id))
            });
        }
        let visit = visit_in(&mut tx, visit_id).await?;
        if visit.technician_id.as_ref().map(RecordId::as_str) != Some(technician_id) {
            return Err(VisitEventError::NotYours(visit_id.to_string()));
        }
        let current = visit.status;
        let next = current.apply(event)?;
        // A step made offline counts at the phone's time (on-time arrival
        // is judged on it) unless what the server knows contradicts it;
        // the server's receipt stays beside it.
        let earliest = EarliestPossible {
            assigned: visit.times.dispatched,
            previous_step: visit.times.latest_step(),
            previous_operation: last_believed_device_time(&mut tx, technician_id).await?,
        };
        let judged = moment.device.judge(moment.server, earliest);
        let at = judged.at;
        if let Some(doubt) = judged.doubt {
            tracing::info!(
                visit = visit_id,
                event = event.as_str(),
                doubt = doubt.as_str(),
                "the phone's time for a step is not believed"
            );
        }
        if event.needs_its_form() {
            return Err(VisitEventError::NotABareStep(event));
        }
        if event == VisitEvent::FinishWork {
            self.check_ready_to_finish(&mut tx, visit_id).await?;
        }
        // The column name comes from a fixed list, never from input.
        let updated = sqlx::query(&format!(
            "UPDATE visits SET status = $1, {} = $2 WHERE id = $3 AND status = $4",
            step_time_column(event)
        ))
        .bind(next.as_str())
        .bind(at.unix_millis())
        .bind(visit_id)
        .bind(current.as_str())
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() != 1 {
            return Err(VisitEventError::ChangedMeanwhile(visit_id.to_string()));
        }
        if event == VisitEvent::CheckIn {
            sqlx::query(
                "UPDATE visits SET arrived_device_at_ms = $1, arrived_received_at_ms = $2, \
                 arrival_clock_flagged = $3, arrival_clock_doubt = $4 WHERE id = $5",
            )
            .bind(moment.device.made_at.map(Timestamp::unix_millis))
            .bind(moment.server.unix_millis())
            .bind(i64::from(judged.clock_flagged()))
            .bind(judged.doubt.map(ClockDoubt::as_str))
            .bind(visit_id)
            .execute(&mut *tx)
            .await?;
            crate::store::arrivals::set_check_in_position(&mut tx, visit_id, moment.fix).await?;
            crate::store::arrivals::refresh_arrival_check(&mut tx, visit_id, self.arrival_radius)
                .await?;
        }
        if event == VisitEvent::FinishWork {
            self.open_follow_up_if_not_fixed(&mut tx, visit_id, at)
                .await?;
        }
        record_applied(
            &mut tx,
            (operation_id, technician_id, event.as_str()),
            (moment.server, moment.device.made_at),
            next.as_str(),
        )
        .await?;
        if let Some(doubt) = judged.doubt {
            sqlx::query(
                "UPDATE applied_operations SET device_clock_doubt = $1 WHERE operation_id = $2",
            )
            .bind(doubt.as_str())
            .bind(operation_id)
            .execute(&mut *tx)
            .await?;
        }
        forget_counted_days(&mut tx, Touched::Visit(visit_id)).await?;
        self.commit_announcing(tx, visit_id).await?;
        Ok(next)
    }

    /// A visit finished "not fixed" gets a follow-up on the same work order
    /// and technician, first proposed for the same hours the next day, on
    /// the checklist version current now.
    async fn open_follow_up_if_not_fixed(
        &self,
        tx: &mut AnyConnection,
        visit_id: &str,
        at: Timestamp,
    ) -> Result<(), VisitEventError> {
        let row = sqlx::query(&format!(
            "SELECT {VISIT_COLUMNS} FROM visits v WHERE v.id = $1"
        ))
        .bind(visit_id)
        .fetch_one(&mut *tx)
        .await?;
        let finished = visit_from_row(&row)?;
        if !matches!(finished.outcome, Some(VisitOutcome::NotFixed { .. })) {
            return Ok(());
        }
        let window = follow_up_window(finished.window);
        let version = self.current_checklist_version().await?;
        sqlx::query(
            "INSERT INTO visits (id, work_order_id, technician_id, window_start_ms, \
             window_end_ms, time_zone, checklist_version, status, created_at_ms, \
             dispatched_at_ms, follow_up_of, fee_schedule_version) SELECT $1, work_order_id, \
             technician_id, $2, $3, time_zone, $4, 'dispatched', $5, $5, id, \
             (SELECT COALESCE(MAX(version), 1) FROM fee_schedule_versions) \
             FROM visits WHERE id = $6",
        )
        .bind(
            crate::domain::ids::new_id()
                .map_err(StoreError::from)?
                .as_str(),
        )
        .bind(window.start().unix_millis())
        .bind(window.end().unix_millis())
        .bind(i64::from(version))
        .bind(at.unix_millis())
        .bind(visit_id)
        .execute(&mut *tx)
        .await?;
        Ok(())
    }

    pub async fn visit_status(&self, visit_id: &str) -> Result<Option<VisitStatus>, StoreError> {
        let row = sqlx::query("SELECT status FROM visits WHERE id = $1")
            .bind(visit_id)
            .fetch_optional(self.pool())
            .await?;
        row.map(|row| {
            let text: String = row.try_get("status")?;
            VisitStatus::parse(&text)
                .ok_or_else(|| StoreError::Corrupt(format!("visit {visit_id}: status {text:?}")))
        })
        .transpose()
    }
}

/// The column of `visits` that records when this step happened.
pub fn step_time_column(event: VisitEvent) -> &'static str {
    match event {
        VisitEvent::SetOff => "on_the_way_at_ms",
        VisitEvent::CheckIn => "arrived_at_ms",
        VisitEvent::StartWork => "work_started_at_ms",
        VisitEvent::FinishWork => "work_finished_at_ms",
        VisitEvent::SignOff => "signed_at_ms",
        VisitEvent::CloseUnsigned => "closed_unsigned_at_ms",
        VisitEvent::Cancel => "cancelled_at_ms",
    }
}
