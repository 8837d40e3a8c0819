//! Finding a customer at intake, and a customer's whole file.

use sqlx::Row;

use super::work_orders::CUSTOMER_COLUMNS;
use super::{corrupt, Store, StoreError};
use crate::api::customers::{CustomerComplaint, CustomerVisit, VerifiedPlace};
use crate::domain::ids::RecordId;
use crate::domain::signoff::VisitOutcome;
use crate::domain::time::Timestamp;
use crate::domain::validation::Coordinates;
use crate::domain::visit::VisitStatus;
use crate::domain::work_order::Customer;

/// How a dispatcher's search is read: enough digits are part of a phone
/// number, anything else part of a name.
fn search_pattern(query: &str) -> Option<(&'static str, String)> {
    let query = query.trim();
    let digits: String = query.chars().filter(char::is_ascii_digit).collect();
    let phone_like = query
        .chars()
        .all(|c| c.is_ascii_digit() || c == ' ' || c == '-' || c == '+');
    // LIKE's own wildcards in the input are taken literally.
    let escape = |text: &str| {
        text.replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    };
    if phone_like && digits.len() >= 4 {
        Some((
            "REPLACE(c.phone, '-', '')",
            format!("%{}%", escape(&digits)),
        ))
    } else if !query.is_empty() {
        Some(("c.name", format!("%{}%", escape(query))))
    } else {
        None
    }
}

impl Store {
    /// Up to 10 customers whose phone contains the digits searched for, or
    /// whose name contains the text; for a dispatcher (`region` given) only
    /// customers with a work order in their region.
    pub async fn find_customers(
        &self,
        query: &str,
        region: Option<&RecordId>,
    ) -> Result<Vec<Customer>, StoreError> {
        let Some((column, pattern)) = search_pattern(query) else {
            return Ok(Vec::new());
        };
        let columns = CUSTOMER_COLUMNS
            .split(", ")
            .map(|c| format!("c.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        // `column` is one of two fixed expressions above, never input.
        let rows = sqlx::query(&format!(
            "SELECT {columns} FROM customers c WHERE {column} LIKE $1 ESCAPE '\\' \
             AND ($2 IS NULL OR EXISTS (SELECT 1 FROM work_orders w \
             WHERE w.customer_id = c.id AND w.region_id = $2)) \
             ORDER BY c.name, c.id LIMIT 10"
        ))
        .bind(pattern)
        .bind(region.map(RecordId::as_str))
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(super::work_orders::customer_from_row)
            .collect()
    }

    /// Whether the customer has a work order in the region.
    pub async fn customer_in_region(
        &self,
        customer_id: &RecordId,
        region: &RecordId,
    ) -> Result<bool, StoreError> {
        Ok(sqlx::query(
            "SELECT 1 AS one FROM work_orders WHERE customer_id = $1 AND region_id = $2",
        )
        .bind(customer_id.as_str())
        .bind(region.as_str())
        .fetch_optional(self.pool())
        .await?
        .is_some())
    }

    /// Up to three places, newest first, where the customer signed on a
    /// visit whose arrival was verified (its position passed or the
    /// customer confirmed it), with a fix good enough to tell one house
    /// from the next. Where the customer signs is their home, as the
    /// arrival check learns it; a check-in position never is, as it is
    /// what that check judges.
    pub async fn verified_places(
        &self,
        customer_id: &RecordId,
    ) -> Result<Vec<VerifiedPlace>, StoreError> {
        let rows = sqlx::query(
            "SELECT v.id, v.time_zone, s.signed_at_ms, s.signed_latitude, s.signed_longitude \
             FROM sign_offs s JOIN visits v ON v.id = s.visit_id \
             JOIN work_orders w ON w.id = v.work_order_id \
             WHERE w.customer_id = $1 AND v.arrival_verified = 1 \
             AND s.signed_latitude IS NOT NULL AND s.signed_longitude IS NOT NULL \
             AND s.signed_accuracy_m <= $2 \
             ORDER BY s.signed_at_ms DESC, v.id LIMIT 3",
        )
        .bind(customer_id.as_str())
        .bind(crate::domain::arrival::POOR_ACCURACY_M)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let id: String = row.try_get("id")?;
                let bad = |e: &dyn std::fmt::Display| corrupt("visit", &id, e);
                let signed_at = Timestamp::from_unix_millis(row.try_get("signed_at_ms")?);
                let zone: String = row.try_get("time_zone")?;
                let zone = crate::zone::ServiceZone::from_name(&zone).map_err(|e| bad(&e))?;
                let place = Coordinates::new(
                    row.try_get("signed_latitude")?,
                    row.try_get("signed_longitude")?,
                )
                .map_err(|e| bad(&e))?;
                Ok(VerifiedPlace {
                    signed_at,
                    utc_offset: zone.offset_at(signed_at),
                    place,
                })
            })
            .collect()
    }

    /// Every visit to the customer's appliances, newest first, with the
    /// ratings the customer gave at sign-off.
    pub async fn visits_of_customer(
        &self,
        customer_id: &RecordId,
    ) -> Result<Vec<CustomerVisit>, StoreError> {
        let rows = sqlx::query(
            "SELECT v.id, v.work_order_id, v.window_start_ms, v.window_end_ms, v.time_zone, \
             v.status, v.outcome, v.not_fixed_reason, v.not_fixed_detail, w.reported_fault, \
             a.brand, a.model, u.display_name, s.rating_skill, s.rating_attitude, \
             s.rating_timeliness, s.rating_parts_supply, s.rating_overall \
             FROM visits v JOIN work_orders w ON w.id = v.work_order_id \
             JOIN appliances a ON a.id = w.appliance_id \
             LEFT JOIN users u ON u.id = v.technician_id \
             LEFT JOIN sign_offs s ON s.visit_id = v.id \
             WHERE w.customer_id = $1 ORDER BY v.window_start_ms DESC, v.id LIMIT 200",
        )
        .bind(customer_id.as_str())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let id: String = row.try_get("id")?;
                let bad = |e: &dyn std::fmt::Display| corrupt("visit", &id, e);
                let (window, utc_offset) = super::visits::window_and_offset(row, &id)?;
                let status: String = row.try_get("status")?;
                let score = |column: &str| -> Result<Option<u8>, StoreError> {
                    Ok(row
                        .try_get::<Option<i32>, _>(column)?
                        .and_then(|v| u8::try_from(v).ok()))
                };
                let ratings = match (
                    score("rating_skill")?,
                    score("rating_attitude")?,
                    score("rating_timeliness")?,
                    score("rating_parts_supply")?,
                    score("rating_overall")?,
                ) {
                    (Some(a), Some(b), Some(c), Some(d), Some(e)) => Some([a, b, c, d, e]),
                    _ => None,
                };
                Ok(CustomerVisit {
                    work_order_id: row.try_get("work_order_id")?,
                    status: VisitStatus::parse(&status)
                        .ok_or_else(|| bad(&format!("status {status:?}")))?,
                    fixed: super::visits::outcome_from_row(row, &id)?
                        .map(|outcome| outcome == VisitOutcome::Fixed),
                    reported_fault: row.try_get("reported_fault")?,
                    appliance: super::visits::brand_and_model(row)?,
                    technician_name: row.try_get("display_name")?,
                    ratings,
                    window,
                    utc_offset,
                    id,
                })
            })
            .collect()
    }

    pub async fn complaints_of_customer(
        &self,
        customer_id: &RecordId,
    ) -> Result<Vec<CustomerComplaint>, StoreError> {
        let rows = sqlx::query(
            "SELECT k.id, k.source, k.received_at_ms, k.description FROM complaints k \
             JOIN work_orders w ON w.id = k.work_order_id WHERE w.customer_id = $1 \
             ORDER BY k.received_at_ms DESC, k.id",
        )
        .bind(customer_id.as_str())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(CustomerComplaint {
                    id: row.try_get("id")?,
                    source: row.try_get("source")?,
                    received_at: Timestamp::from_unix_millis(row.try_get("received_at_ms")?),
                    description: row.try_get("description")?,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::search_pattern;

    #[test]
    fn digits_search_phones_and_text_searches_names_with_wildcards_escaped() {
        assert_eq!(
            search_pattern(" 139 1234 ").map(|(c, p)| (c.contains("phone"), p)),
            Some((true, "%1391234%".into()))
        );
        assert_eq!(search_pattern("林晓"), Some(("c.name", "%林晓%".into())));
        assert_eq!(
            search_pattern("12").map(|(c, _)| c),
            Some("c.name"),
            "too few digits"
        );
        assert_eq!(
            search_pattern("50%_off").map(|(_, p)| p),
            Some("%50\\%\\_off%".into())
        );
        assert_eq!(search_pattern("   "), None);
    }
}
