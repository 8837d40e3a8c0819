//! The calls after a service (callback, user tracking, the month's phone
//! survey), scheduled at sign-off,
//! listed for the region's dispatchers and answered once, with whatever the
//! answer opens (a complaint owned by the caller, a repeat work order)
//! written in the same transaction.

use sqlx::{Any, AnyConnection, Executor, Row};

use super::complaints::insert_complaint;
use super::dashboard_cache::{forget_counted_days, Touched};
use super::work_orders::insert_work_order;
use super::{corrupt, Store, StoreError};
use crate::api::callbacks::{CallRecorded, FollowUpCall};
use crate::domain::callback::{
    in_phone_survey, plan_callback, survey_month, CallAnswer, CallbackPlan, FollowUpKind, Permille,
    SamplingForm, SamplingRates, ServicePointLevel,
};
use crate::domain::complaint::{Complaint, ComplaintSource};
use crate::domain::ids::RecordId;
use crate::domain::time::Timestamp;
use crate::domain::validation::{FaultDescription, Note};
use crate::domain::work_order::{Channel, FaultCategory, Priority, WorkOrder, WorkOrderStatus};
use crate::zone::ServiceZone;

#[derive(Debug, thiserror::Error)]
pub enum FollowUpCallError {
    #[error("no such call")]
    NotFound,
    #[error("this call's answer is already recorded")]
    AlreadyAnswered,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for FollowUpCallError {
    fn from(error: sqlx::Error) -> Self {
        FollowUpCallError::Store(StoreError::Database(error))
    }
}

/// The sampling rates on record.
pub async fn sampling_rates<'c>(
    db: impl Executor<'c, Database = Any>,
) -> Result<SamplingRates, StoreError> {
    let row = sqlx::query(
        "SELECT contracted_permille, company_run_permille, headquarters_permille, \
         phone_survey_permille FROM callback_sampling WHERE id = 1",
    )
    .fetch_optional(db)
    .await?;
    let Some(row) = row else {
        return Ok(SamplingRates::default());
    };
    let share = |column: &str| -> Result<Permille, StoreError> {
        let value: i64 = row.try_get(column)?;
        u16::try_from(value)
            .ok()
            .and_then(|value| Permille::try_from(value).ok())
            .ok_or_else(|| corrupt("callback sampling", column, value))
    };
    Ok(SamplingRates {
        contracted: share("contracted_permille")?,
        company_run: share("company_run_permille")?,
        headquarters: share("headquarters_permille")?,
        phone_survey: share("phone_survey_permille")?,
    })
}

/// Whether a completed service's callback is left to the sampling, or
/// made whatever it draws (a visit closed without the customer's
/// signature: nobody but the technician vouches for the work).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sampling {
    Drawn,
    Always,
}

/// The closed service's callback and tracking call, if the level of the
/// technician's service point (or, without one, of the region) samples it
/// or `sampling` says always, and the customer's phone survey call if the customer
/// falls in the month's sample and has none this month yet
/// (`domain::callback`, at the rates on record).
pub async fn schedule_follow_up_calls(
    tx: &mut AnyConnection,
    visit_id: &RecordId,
    signed: Timestamp,
    sampling: Sampling,
) -> Result<(), StoreError> {
    let row = sqlx::query(
        "SELECT COALESCE(p.level, r.service_point_level, 'company_run') AS service_point_level, \
         w.customer_id, v.time_zone FROM visits v JOIN work_orders w ON w.id = v.work_order_id \
         LEFT JOIN regions r ON r.id = w.region_id \
         LEFT JOIN technicians t ON t.user_id = v.technician_id \
         LEFT JOIN service_points p ON p.id = t.service_point_id WHERE v.id = $1",
    )
    .bind(visit_id.as_str())
    .fetch_one(&mut *tx)
    .await?;
    let level: String = row.try_get("service_point_level")?;
    let customer_id: String = row.try_get("customer_id")?;
    let zone_name: String = row.try_get("time_zone")?;
    let level = ServicePointLevel::parse(&level)
        .ok_or_else(|| corrupt("region of visit", visit_id.as_str(), &level))?;
    let zone = ServiceZone::from_name(&zone_name)
        .map_err(|_| corrupt("visit time zone", visit_id.as_str(), &zone_name))?;
    let rates = sampling_rates(&mut *tx).await?;
    let mut calls = Vec::new();
    let plan = match sampling {
        Sampling::Drawn => plan_callback(visit_id.as_str(), level, &rates, signed),
        Sampling::Always => Some(CallbackPlan::after(signed)),
    };
    if let Some(plan) = plan {
        calls.push((FollowUpKind::Callback, plan.callback_due, None));
        calls.push((FollowUpKind::Tracking, plan.tracking_due, None));
    }
    let (month, survey_due) = survey_month(signed, zone.offset_at(signed));
    if in_phone_survey(&customer_id, month, &rates) {
        let key = format!("{customer_id}/{}-{:02}", month.0, month.1);
        calls.push((FollowUpKind::Survey, survey_due, Some(key)));
    }
    for (kind, due, survey_key) in calls {
        sqlx::query(
            // A customer already surveyed this month keeps that one call.
            "INSERT INTO follow_up_calls (visit_id, kind, due_at_ms, survey_key) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (survey_key) DO NOTHING",
        )
        .bind(visit_id.as_str())
        .bind(kind.as_str())
        .bind(due.unix_millis())
        .bind(survey_key)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// New ids for what a call's answer may open, made by the caller.
pub struct OpenedIds {
    pub complaint_id: RecordId,
    pub work_order_id: RecordId,
}

impl Store {
    pub async fn callback_sampling(&self) -> Result<SamplingRates, StoreError> {
        sampling_rates(self.pool()).await
    }

    /// Sets the sampling rates; services signed from now on are drawn at them.
    /// Sets the rates an admin chose, with the audit entry of the change.
    pub async fn set_callback_sampling(
        &self,
        rates: &SamplingRates,
        actor_id: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let before = self.callback_sampling().await?;
        let mut tx = self.begin().await?;
        let share = |rate: Permille| i32::from(u16::from(rate));
        sqlx::query(
            "UPDATE callback_sampling SET contracted_permille = $1, company_run_permille = $2, \
             headquarters_permille = $3, phone_survey_permille = $4 WHERE id = 1",
        )
        .bind(share(rates.contracted))
        .bind(share(rates.company_run))
        .bind(share(rates.headquarters))
        .bind(share(rates.phone_survey))
        .execute(&mut *tx)
        .await?;
        let json = |rates: &SamplingRates| serde_json::to_string(&SamplingForm::of(rates)).ok();
        super::admin::record_audit(
            &mut *tx,
            &super::admin::AuditNote {
                actor_id,
                action: crate::domain::admin::AdminAction::CallbackSamplingChanged,
                subject: "callback_sampling".into(),
                before: json(&before),
                after: json(rates),
                at: now,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The region of the visit a call is about, if the call exists.
    pub async fn follow_up_call_region(
        &self,
        visit_id: &RecordId,
        kind: FollowUpKind,
    ) -> Result<Option<String>, StoreError> {
        let row = sqlx::query(
            "SELECT w.region_id FROM follow_up_calls f JOIN visits v ON v.id = f.visit_id \
             JOIN work_orders w ON w.id = v.work_order_id WHERE f.visit_id = $1 AND f.kind = $2",
        )
        .bind(visit_id.as_str())
        .bind(kind.as_str())
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|row| row.try_get("region_id")).transpose()?)
    }

    /// Calls not yet made, in a region (or all regions), the earliest due
    /// first (at most 200).
    pub async fn open_follow_up_calls(
        &self,
        region_id: Option<&str>,
    ) -> Result<Vec<FollowUpCall>, StoreError> {
        let rows = sqlx::query(
            "SELECT f.visit_id, f.kind, f.due_at_ms, cu.name AS customer_name, \
             cu.phone AS customer_phone, a.brand, a.model, w.reported_fault, \
             u.display_name AS technician_name, w.region_id, r.name AS region_name, \
             COALESCE(v.signed_at_ms, v.closed_unsigned_at_ms) AS signed_at_ms \
             FROM follow_up_calls f JOIN visits v ON v.id = f.visit_id \
             JOIN work_orders w ON w.id = v.work_order_id \
             JOIN regions r ON r.id = w.region_id \
             JOIN customers cu ON cu.id = w.customer_id \
             JOIN appliances a ON a.id = w.appliance_id \
             LEFT JOIN users u ON u.id = v.technician_id \
             WHERE f.done_at_ms IS NULL AND ($1 IS NULL OR w.region_id = $1) \
             ORDER BY f.due_at_ms, f.visit_id, f.kind LIMIT 200",
        )
        .bind(region_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let visit_id: String = row.try_get("visit_id")?;
                let kind: String = row.try_get("kind")?;
                let brand: String = row.try_get("brand")?;
                let model: String = row.try_get("model")?;
                Ok(FollowUpCall {
                    kind: FollowUpKind::parse(&kind)
                        .ok_or_else(|| corrupt("follow-up call", &visit_id, &kind))?,
                    due_at: Timestamp::from_unix_millis(row.try_get("due_at_ms")?),
                    customer_name: row.try_get("customer_name")?,
                    customer_phone: row.try_get("customer_phone")?,
                    appliance: format!("{brand} {model}"),
                    reported_fault: row.try_get("reported_fault")?,
                    technician_name: row.try_get("technician_name")?,
                    signed_at: row
                        .try_get::<Option<i64>, _>("signed_at_ms")?
                        .map(Timestamp::from_unix_millis),
                    region_id: row.try_get("region_id")?,
                    region_name: row.try_get("region_name")?,
                    visit_id,
                })
            })
            .collect()
    }

    /// Records a call's answer, once, with the complaint (owned by the
    /// caller) and the repeat work order it opens, all in one transaction.
    pub async fn record_follow_up_call(
        &self,
        visit_id: &RecordId,
        kind: FollowUpKind,
        answer: &CallAnswer,
        (by, at): (&RecordId, Timestamp),
        ids: OpenedIds,
    ) -> Result<CallRecorded, FollowUpCallError> {
        let mut tx = self.begin().await?;
        let row = sqlx::query(
            "SELECT f.done_at_ms, v.work_order_id, w.region_id, w.customer_id, w.appliance_id, \
             w.fault_category, w.time_zone FROM follow_up_calls f \
             JOIN visits v ON v.id = f.visit_id JOIN work_orders w ON w.id = v.work_order_id \
             WHERE f.visit_id = $1 AND f.kind = $2",
        )
        .bind(visit_id.as_str())
        .bind(kind.as_str())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(FollowUpCallError::NotFound)?;
        if row.try_get::<Option<i64>, _>("done_at_ms")?.is_some() {
            return Err(FollowUpCallError::AlreadyAnswered);
        }
        let order_id: String = row.try_get("work_order_id")?;
        let bad =
            |what: &str, value: &str| corrupt("work order", &order_id, format!("{what} {value:?}"));
        let record_id = |column: &'static str| -> Result<RecordId, StoreError> {
            let value: String = row.try_get(column)?;
            RecordId::parse(column, &value).map_err(|_| bad(column, &value))
        };
        let original_order = record_id("work_order_id")?;
        let mut opened = CallRecorded::default();

        if let Some(description) = &answer.complaint {
            let complaint = Complaint {
                id: ids.complaint_id,
                work_order_id: original_order.clone(),
                visit_id: Some(visit_id.clone()),
                source: ComplaintSource::Callback,
                owner_id: Some(by.clone()),
                received_at: at,
                description: description.clone(),
            };
            insert_complaint(&mut *tx, &complaint).await?;
            opened.complaint_id = Some(complaint.id.to_string());
        }
        if let Some(repeat) = &answer.repeat_order {
            let category: String = row.try_get("fault_category")?;
            let zone_name: String = row.try_get("time_zone")?;
            let order = WorkOrder {
                id: ids.work_order_id,
                region_id: record_id("region_id")?,
                customer_id: record_id("customer_id")?,
                appliance_id: record_id("appliance_id")?,
                reported_fault: repeat_fault(&repeat.reported_fault),
                // The same fault: first-visit fix counts it as a repeat call.
                fault_category: FaultCategory::parse(&category)
                    .ok_or_else(|| bad("fault_category", &category))?,
                channel: Channel::Phone,
                // The customer is waiting a second time.
                priority: Priority::Urgent,
                registered_at: at,
                appointment: repeat.appointment,
                status: WorkOrderStatus::Open,
            };
            let zone =
                ServiceZone::from_name(&zone_name).map_err(|_| bad("time_zone", &zone_name))?;
            insert_work_order(&mut *tx, &order, zone).await?;
            opened.repeat_work_order_id = Some(order.id.to_string());
            forget_counted_days(&mut tx, Touched::WorkOrder(order.id.as_str())).await?;
        }
        let ratings = answer.ratings;
        sqlx::query(
            "UPDATE follow_up_calls SET done_at_ms = $1, done_by = $2, customer_says_fixed = $3, \
             rating_skill = $4, rating_attitude = $5, rating_timeliness = $6, \
             rating_parts_supply = $7, rating_overall = $8, comment = $9, complaint_id = $10, \
             repeat_work_order_id = $11 WHERE visit_id = $12 AND kind = $13",
        )
        .bind(at.unix_millis())
        .bind(by.as_str())
        .bind(i32::from(answer.customer_says_fixed))
        .bind(i32::from(ratings.skill.value()))
        .bind(i32::from(ratings.attitude.value()))
        .bind(i32::from(ratings.timeliness.value()))
        .bind(i32::from(ratings.parts_supply.value()))
        .bind(i32::from(ratings.overall.value()))
        .bind(answer.comment.as_ref().map(Note::as_str))
        .bind(opened.complaint_id.as_deref())
        .bind(opened.repeat_work_order_id.as_deref())
        .bind(visit_id.as_str())
        .bind(kind.as_str())
        .execute(&mut *tx)
        .await?;
        if opened.complaint_id.is_some() {
            forget_counted_days(&mut tx, Touched::Visit(visit_id.as_str())).await?;
        }
        tx.commit().await?;
        Ok(opened)
    }

    /// A complaint a dispatcher took by phone, about a work order: it is
    /// put on the order's latest visit that was not cancelled (if any), so
    /// the complaint rate counts it where the service was done.
    pub async fn take_phone_complaint(
        &self,
        mut complaint: Complaint,
    ) -> Result<Complaint, StoreError> {
        let mut tx = self.begin().await?;
        let latest = sqlx::query(
            "SELECT id FROM visits WHERE work_order_id = $1 AND status <> 'cancelled' \
             ORDER BY created_at_ms DESC, id DESC LIMIT 1",
        )
        .bind(complaint.work_order_id.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(row) = latest {
            let id: String = row.try_get("id")?;
            complaint.visit_id =
                Some(RecordId::parse("visit_id", &id).map_err(|e| corrupt("visit", &id, e))?);
        }
        insert_complaint(&mut *tx, &complaint).await?;
        match &complaint.visit_id {
            Some(visit) => forget_counted_days(&mut tx, Touched::Visit(visit.as_str())).await?,
            None => {
                forget_counted_days(
                    &mut tx,
                    Touched::WorkOrder(complaint.work_order_id.as_str()),
                )
                .await?
            }
        }
        tx.commit().await?;
        Ok(complaint)
    }
}

/// The repeat order's fault, marked as a repeat so the technician reads it
/// as one.
fn repeat_fault(reported: &FaultDescription) -> FaultDescription {
    let marked = format!("【回访返修】{}", reported.as_str());
    FaultDescription::parse(&marked).unwrap_or_else(|_| reported.clone())
}
