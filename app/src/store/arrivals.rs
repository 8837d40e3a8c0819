//! Whether each arrival can be believed (`domain::arrival`), kept on the
//! visit so the dashboard counts verified arrivals with a plain SUM and the
//! dispatcher lists the flagged ones. Recomputed, in the writer's
//! transaction, whenever its evidence changes: at check-in and at sign-off.

use sqlx::{AnyConnection, Row};

use super::StoreError;
use crate::api::dashboard::FlaggedArrival;
use crate::domain::arrival::{
    check_position, usable, ArrivalCheck, ArrivalEvidence, ArrivalFlag, ArrivalRadius,
    PositionCheck, VisitPlace,
};
use crate::domain::time::Timestamp;
use crate::domain::validation::Coordinates;
use crate::domain::visit::PositionFix;

/// A position read from three nullable columns; an unreadable one (out of
/// range) counts as none, as the phone might have sent nothing.
pub(crate) fn fix_from(
    row: &sqlx::any::AnyRow,
    [latitude, longitude, accuracy]: [&str; 3],
) -> Result<Option<PositionFix>, StoreError> {
    let latitude: Option<f64> = row.try_get(latitude)?;
    let longitude: Option<f64> = row.try_get(longitude)?;
    let accuracy: Option<f64> = row.try_get(accuracy)?;
    Ok(match (latitude, longitude, accuracy) {
        (Some(latitude), Some(longitude), Some(accuracy)) => {
            PositionFix::new(latitude, longitude, accuracy).ok()
        }
        _ => None,
    })
}

/// Where the visit took place: where the dispatcher located the customer,
/// else where the customer signed this visit, else where the customer
/// last signed another one. Never a check-in.
async fn visit_place(
    tx: &mut AnyConnection,
    row: &sqlx::any::AnyRow,
) -> Result<Option<VisitPlace>, StoreError> {
    let located: (Option<f64>, Option<f64>) = (
        row.try_get("customer_latitude")?,
        row.try_get("customer_longitude")?,
    );
    if let (Some(latitude), Some(longitude)) = located {
        if let Ok(at) = Coordinates::new(latitude, longitude) {
            return Ok(Some(VisitPlace::Located(at)));
        }
    }
    if let Some(signed) = usable(fix_from(
        row,
        ["signed_latitude", "signed_longitude", "signed_accuracy_m"],
    )?) {
        return Ok(Some(VisitPlace::SignedAt(signed)));
    }
    let customer_id: String = row.try_get("customer_id")?;
    let earlier = sqlx::query(
        "SELECT s.signed_latitude, s.signed_longitude, s.signed_accuracy_m \
         FROM sign_offs s JOIN visits v ON v.id = s.visit_id \
         JOIN work_orders w ON w.id = v.work_order_id \
         WHERE w.customer_id = $1 AND s.signed_accuracy_m <= $2 \
         ORDER BY s.signed_at_ms DESC LIMIT 1",
    )
    .bind(customer_id)
    .bind(crate::domain::arrival::POOR_ACCURACY_M)
    .fetch_optional(&mut *tx)
    .await?;
    Ok(match earlier {
        Some(earlier) => usable(fix_from(
            &earlier,
            ["signed_latitude", "signed_longitude", "signed_accuracy_m"],
        )?)
        .map(VisitPlace::SignedAt),
        None => None,
    })
}

/// Judges the visit's arrival on what is known now and keeps the verdict;
/// a visit not checked in is left alone.
pub async fn refresh_arrival_check(
    tx: &mut AnyConnection,
    visit_id: &str,
    radius: ArrivalRadius,
) -> Result<(), StoreError> {
    let row = sqlx::query(
        "SELECT v.arrived_at_ms, v.arrived_latitude, v.arrived_longitude, \
         v.arrived_accuracy_m, v.arrival_clock_doubt, w.customer_id, \
         c.latitude AS customer_latitude, c.longitude AS customer_longitude, \
         s.arrival_confirmed, s.signed_latitude, s.signed_longitude, s.signed_accuracy_m \
         FROM visits v JOIN work_orders w ON w.id = v.work_order_id \
         JOIN customers c ON c.id = w.customer_id \
         LEFT JOIN sign_offs s ON s.visit_id = v.id WHERE v.id = $1",
    )
    .bind(visit_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Ok(());
    };
    if row.try_get::<Option<i64>, _>("arrived_at_ms")?.is_none() {
        return Ok(());
    }
    let check_in = fix_from(
        &row,
        [
            "arrived_latitude",
            "arrived_longitude",
            "arrived_accuracy_m",
        ],
    )?;
    let place = visit_place(tx, &row).await?;
    let verdict = check_position(check_in, place, radius);
    let evidence = ArrivalEvidence {
        position: verdict.check,
        clock_doubted: row
            .try_get::<Option<String>, _>("arrival_clock_doubt")?
            .is_some(),
        customer_confirmed: row
            .try_get::<Option<i32>, _>("arrival_confirmed")?
            .map(|answer| answer == 1),
    };
    let flags = evidence.flags();
    let flags = (!flags.is_empty()).then(|| {
        flags
            .iter()
            .map(|flag| flag.as_str())
            .collect::<Vec<_>>()
            .join(",")
    });
    sqlx::query(
        "UPDATE visits SET arrival_position_check = $1, arrival_distance_m = $2, \
         arrival_flags = $3, arrival_verified = $4 WHERE id = $5",
    )
    .bind(verdict.check.as_str())
    .bind(verdict.distance_m.map(i64::from))
    .bind(flags)
    .bind(i32::from(evidence.is_verified()))
    .bind(visit_id)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

pub(crate) fn kept_check(row: &sqlx::any::AnyRow) -> Result<ArrivalCheck, StoreError> {
    let flags: Option<String> = row.try_get("arrival_flags")?;
    Ok(ArrivalCheck {
        position: row
            .try_get::<Option<String>, _>("arrival_position_check")?
            .as_deref()
            .and_then(PositionCheck::parse),
        distance_m: row
            .try_get::<Option<i64>, _>("arrival_distance_m")?
            .and_then(|d| u32::try_from(d).ok()),
        flags: flags
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .filter_map(ArrivalFlag::parse)
            .collect(),
        verified: row.try_get::<i32, _>("arrival_verified")? == 1,
    })
}

/// Where the phone was at check-in; none clears it. A float is never
/// bound as NULL (`dialect::optional_float_columns` says why).
pub async fn set_check_in_position(
    tx: &mut AnyConnection,
    visit_id: &str,
    fix: Option<PositionFix>,
) -> Result<(), StoreError> {
    match fix {
        Some(fix) => {
            sqlx::query(
                "UPDATE visits SET arrived_latitude = $1, arrived_longitude = $2, \
                 arrived_accuracy_m = $3 WHERE id = $4",
            )
            .bind(fix.coordinates.latitude())
            .bind(fix.coordinates.longitude())
            .bind(fix.accuracy_m)
            .bind(visit_id)
            .execute(&mut *tx)
            .await?;
        }
        None => {
            sqlx::query(
                "UPDATE visits SET arrived_latitude = NULL, arrived_longitude = NULL, \
                 arrived_accuracy_m = NULL WHERE id = $1",
            )
            .bind(visit_id)
            .execute(&mut *tx)
            .await?;
        }
    }
    Ok(())
}

impl super::Store {
    /// The flagged arrivals of the visits in `scope` (by window, like every
    /// dashboard figure), latest arrival first, at most `limit`.
    pub async fn flagged_arrivals(
        &self,
        scope: &super::dashboard::MetricScope,
        limit: u32,
    ) -> Result<Vec<FlaggedArrival>, StoreError> {
        let sql = format!(
            "SELECT v.id, v.arrived_at_ms, v.arrival_position_check, v.arrival_distance_m, \
             v.arrival_flags, v.arrival_verified, c.name AS customer_name, \
             u.display_name AS technician_name \
             FROM visits v JOIN work_orders w ON w.id = v.work_order_id \
             JOIN customers c ON c.id = w.customer_id \
             LEFT JOIN users u ON u.id = v.technician_id \
             WHERE {} AND v.arrival_flags IS NOT NULL AND v.arrived_at_ms IS NOT NULL \
             ORDER BY v.arrived_at_ms DESC, v.id LIMIT $5",
            super::dashboard::SCOPE
        );
        let rows = super::dashboard::scoped(&sql, scope)
            .bind(i64::from(limit))
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|row| {
                Ok(FlaggedArrival {
                    visit_id: row.try_get("id")?,
                    customer_name: row.try_get("customer_name")?,
                    technician_name: row.try_get("technician_name")?,
                    arrived_at: Timestamp::from_unix_millis(row.try_get("arrived_at_ms")?),
                    check: kept_check(row)?,
                })
            })
            .collect()
    }
}
