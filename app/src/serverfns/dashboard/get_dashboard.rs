use leptos::prelude::*;

use crate::api::dashboard::{Dashboard, DashboardQuery};
use crate::api::error::AppError;

/// The dashboard for dispatchers (their region) and admins (any region, or
/// all of them).
/// Enough for a week of a region's flagged arrivals; more is an export.
#[cfg(feature = "ssr")]
const FLAGGED_ARRIVALS_SHOWN: u32 = 50;

#[server(prefix = "/api/dashboard", endpoint = "get")]
pub async fn get_dashboard(query: DashboardQuery) -> Result<Dashboard, AppError> {
    use crate::context;
    use crate::domain::auth::Role;
    use crate::domain::time::Timestamp;

    let user = crate::auth::require_role(&[Role::Dispatcher, Role::Admin]).await?;
    load_dashboard(
        &context::store()?,
        &user,
        query,
        context::service_zone(),
        Timestamp::now(),
    )
    .await
}

/// How many notes each field-insight group shows.
pub const NOTES_PER_INSIGHT_GROUP: usize = 5;

/// The dashboard as `user` may see it: shared by the page and the CSV
/// export. A dispatcher is held to their region whatever the query says.
#[cfg(feature = "ssr")]
pub async fn load_dashboard(
    store: &crate::store::Store,
    user: &crate::api::auth::CurrentUser,
    mut query: DashboardQuery,
    zone: crate::zone::ServiceZone,
    now: crate::domain::time::Timestamp,
) -> Result<Dashboard, AppError> {
    use crate::api::dashboard::{Choice, InsightGroupRow, InsightNoteRow, ItemRow};
    use crate::domain::auth::Role;
    use crate::domain::dashboard::{
        service_star_ranking, FigureCounts, Period, PeriodKind, Scorecard,
    };
    use crate::domain::ids::RecordId;
    use crate::domain::metrics::{Grace, RecallWindow};
    use crate::domain::work_order::CalendarDate;
    use crate::store::dashboard::Buckets;
    use crate::store::dashboard::MetricScope;

    let region = match user.role {
        Role::Dispatcher => Some(RecordId::parse(
            "region",
            user.region_id.as_deref().unwrap_or_default(),
        )?),
        Role::Admin if query.region.trim().is_empty() => None,
        Role::Admin => Some(RecordId::parse("region", query.region.trim())?),
        Role::Technician => return Err(AppError::Forbidden),
    };
    query.region = region.as_ref().map(RecordId::to_string).unwrap_or_default();
    let technician = match query.technician.trim() {
        "" => None,
        given => Some(RecordId::parse("technician", given)?),
    };
    let kind = match query.period.trim() {
        "" => PeriodKind::Month,
        given => PeriodKind::parse(given).ok_or_else(|| AppError::InvalidInput {
            field: "period".into(),
            message: "expected day, week, month, quarter or custom".into(),
            problem: None,
        })?,
    };
    query.period = kind.as_str().to_string();
    let anchor = match query.date.trim() {
        "" => zone.calendar_date(now)?,
        given => CalendarDate::parse("date", given)?,
    };
    query.date = String::from(anchor);
    let to = match query.to.trim() {
        "" => None,
        given => Some(CalendarDate::parse("to", given)?),
    };
    let offset = zone.offset_at(now);
    let period = Period::resolve(kind, anchor, to, offset)?;

    let scope = MetricScope {
        from: period.from,
        until: period.until,
        region: region.clone(),
        technician: technician.clone(),
    };
    let buckets = Buckets {
        origin: period.from,
        width_ms: period.bucket_ms,
    };
    // The agreed window is the promise: no grace on top of it by default.
    let counted = store
        .dashboard_counts(&scope, buckets, Grace::NONE, RecallWindow::DEFAULT, now)
        .await?;
    let slices = &counted.slices;
    let technician_names = store.technician_names(region.as_ref()).await?;
    let name_of = |id: &Option<String>| match id {
        Some(id) => technician_names
            .iter()
            .find(|(known, _)| known == id)
            .map(|(_, name)| name.clone())
            .unwrap_or_else(|| id.clone()),
        None => String::new(),
    };

    let mut trend = vec![FigureCounts::default(); period.bucket_count()];
    let mut total = FigureCounts::default();
    let mut scorecards: Vec<Scorecard> = Vec::new();
    for ((bucket, technician_id), counts) in slices {
        total = total + *counts;
        if let Some(slot) = usize::try_from(*bucket).ok().and_then(|b| trend.get_mut(b)) {
            *slot = *slot + *counts;
        }
        let Some(id) = technician_id else { continue };
        match scorecards.iter_mut().find(|card| &card.technician_id == id) {
            Some(card) => card.counts = card.counts + *counts,
            None => scorecards.push(Scorecard {
                technician_id: id.clone(),
                name: name_of(technician_id),
                counts: *counts,
            }),
        }
    }
    scorecards.sort_by(|a, b| {
        a.name
            .cmp(&b.name)
            .then(a.technician_id.cmp(&b.technician_id))
    });
    let stars = (kind == PeriodKind::Quarter).then(|| service_star_ranking(&scorecards));

    let items = counted
        .items
        .into_iter()
        .map(|item| ItemRow {
            key: item.item_key,
            text_zh: item.text_zh,
            text_en: item.text_en,
            rate: item.rate,
        })
        .collect();
    let (groups, notes) = store.insight_report(&scope, 500).await?;
    let insights = groups
        .into_iter()
        .map(|group| InsightGroupRow {
            notes: notes
                .iter()
                .filter(|note| {
                    note.appliance_category == group.appliance_category
                        && note.brand == group.brand
                        && note.model == group.model
                        && note.insight_category == group.insight_category
                })
                .take(NOTES_PER_INSIGHT_GROUP)
                .map(|note| InsightNoteRow {
                    note: note.note.clone(),
                    technician: note.technician.clone(),
                    written_at: note.written_at,
                })
                .collect(),
            appliance_category: group.appliance_category,
            brand: group.brand,
            model: group.model,
            insight_category: group.insight_category,
            count: group.count,
        })
        .collect();
    let regions = match user.role {
        Role::Admin => store
            .region_names()
            .await?
            .into_iter()
            .map(|(id, name)| Choice { id, name })
            .collect(),
        _ => Vec::new(),
    };
    Ok(Dashboard {
        query,
        period,
        utc_offset: offset,
        regions,
        technicians: technician_names
            .into_iter()
            .map(|(id, name)| Choice { id, name })
            .collect(),
        total,
        trend,
        scorecards,
        stars,
        items,
        insights,
        flagged_arrivals: store
            .flagged_arrivals(&scope, FLAGGED_ARRIVALS_SHOWN)
            .await?,
    })
}
