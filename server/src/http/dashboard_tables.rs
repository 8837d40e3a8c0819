//! Every table of the dashboard as CSV rows, headers in the reader's language and
//! numbers as the page shows them.

use app::api::dashboard::Dashboard;
use app::api::error::AppError;
use app::domain::dashboard::{format_figure, format_number, Figure};
use app::domain::metrics::{meets_control_target, Rate, CONTROL_TARGET_PPM};
use app::domain::time::format_local_date_time;
use app::i18n::Locale;

use super::csv::csv_text;

/// The tables the export offers, by the name its address uses.
pub const TABLES: [&str; 7] = [
    "figures",
    "trend",
    "ratings",
    "technicians",
    "stars",
    "items",
    "insights",
];

fn whole(value: u64) -> String {
    format_number(value as f64, 0)
}

/// The table as CSV text with a byte-order mark, so spreadsheet programs
/// read the Chinese correctly.
pub fn dashboard_csv(
    dashboard: &Dashboard,
    table: &str,
    locale: Locale,
) -> Result<String, AppError> {
    let t = locale.messages();
    let d = t.dashboard;
    let offset = dashboard.utc_offset;
    let mut rows: Vec<Vec<String>> = Vec::new();
    match table {
        "figures" => {
            rows.push(vec![
                d.figures_title.into(),
                d.value.into(),
                d.count.into(),
                d.out_of.into(),
                d.target.into(),
            ]);
            let total = &dashboard.total;
            for &figure in Figure::ALL {
                let (count, out_of, control): (u64, u64, Option<Rate>) = match figure {
                    Figure::OnTime => (total.on_time, total.visits_due, None),
                    Figure::FirstVisitFix => {
                        (total.first_visit_fixes, total.first_visits_finished, None)
                    }
                    Figure::Compliance => {
                        let rate = total.compliance_rate();
                        (rate.count, rate.out_of, None)
                    }
                    Figure::RepeatCalls => (total.repeat_calls, total.first_visits_finished, None),
                    Figure::Rating => (total.ratings.count, total.ratings.count, None),
                    Figure::HoursToArrival => {
                        (total.to_arrival.count, total.to_arrival.count, None)
                    }
                    Figure::HoursToFix => (total.to_fix.count, total.to_fix.count, None),
                    Figure::ComplaintPpm => (
                        total.complaints,
                        total.completed_services,
                        Some(total.complaint_rate()),
                    ),
                    Figure::UntimelyPpm => (
                        total.untimely,
                        total.visits_due,
                        Some(total.untimely_rate()),
                    ),
                    Figure::OmissionPpm => (
                        total.required_items_missed,
                        total.required_items_due,
                        Some(total.omission_rate()),
                    ),
                };
                let target = match control {
                    Some(rate) => format!(
                        "< {CONTROL_TARGET_PPM} PPM · {}",
                        match meets_control_target(rate) {
                            Some(true) => d.meets_target,
                            Some(false) => d.misses_target,
                            None => "—",
                        }
                    ),
                    None => String::new(),
                };
                rows.push(vec![
                    (d.figure)(figure).into(),
                    format_figure(figure, total.figure(figure)),
                    whole(count),
                    whole(out_of),
                    target,
                ]);
                // The on-time rate as verified, under the one as recorded.
                if figure == Figure::OnTime {
                    let verified = total.verified_on_time_rate();
                    rows.push(vec![
                        format!("{} · {}", (d.figure)(figure), d.verified_on_time),
                        format_figure(figure, verified.share()),
                        whole(verified.count),
                        whole(verified.out_of),
                        String::new(),
                    ]);
                }
            }
        }
        "trend" => {
            let mut header = vec![d.bucket_start.to_string()];
            header.extend(Figure::ALL.iter().map(|&f| (d.figure)(f).to_string()));
            rows.push(header);
            for (index, counts) in dashboard.trend.iter().enumerate() {
                let mut row = vec![format_local_date_time(
                    dashboard.period.bucket_start(index),
                    offset,
                )];
                row.extend(
                    Figure::ALL
                        .iter()
                        .map(|&f| format_figure(f, counts.figure(f))),
                );
                rows.push(row);
            }
        }
        "ratings" => {
            rows.push(vec![d.ratings_title.into(), d.value.into()]);
            let means = dashboard.total.ratings.means();
            for (index, name) in d.rating_dimensions.iter().enumerate() {
                rows.push(vec![
                    name.to_string(),
                    means
                        .map(|m| format_number(m[index], 2))
                        .unwrap_or_else(|| "—".into()),
                ]);
            }
            rows.push(vec![
                d.rated_services.into(),
                whole(dashboard.total.ratings.count),
            ]);
        }
        "technicians" => {
            let mut header = vec![d.technician.to_string(), d.completed_services.to_string()];
            header.extend(Figure::ALL.iter().map(|&f| (d.figure)(f).to_string()));
            header.push(d.complaints.to_string());
            rows.push(header);
            for card in &dashboard.scorecards {
                let mut row = vec![card.name.clone(), whole(card.counts.completed_services)];
                row.extend(
                    Figure::ALL
                        .iter()
                        .map(|&f| format_figure(f, card.counts.figure(f))),
                );
                row.push(whole(card.counts.complaints));
                rows.push(row);
            }
        }
        "stars" => {
            rows.push(vec![
                d.rank.into(),
                d.technician.into(),
                d.score.into(),
                d.completed_services.into(),
            ]);
            for star in dashboard.stars.iter().flatten() {
                rows.push(vec![
                    star.rank.to_string(),
                    star.scorecard.name.clone(),
                    format_number(star.score, 1),
                    whole(star.scorecard.counts.completed_services),
                ]);
            }
        }
        "items" => {
            rows.push(vec![
                d.item.into(),
                d.answered.into(),
                d.due.into(),
                (d.figure)(Figure::Compliance).into(),
            ]);
            for item in &dashboard.items {
                rows.push(vec![
                    if locale == Locale::En {
                        item.text_en.clone()
                    } else {
                        item.text_zh.clone()
                    },
                    whole(item.rate.count),
                    whole(item.rate.out_of),
                    format_figure(Figure::Compliance, item.rate.share()),
                ]);
            }
        }
        "insights" => {
            rows.push(vec![
                d.product.into(),
                d.insight_kind.into(),
                d.count.into(),
                d.newest_notes.into(),
            ]);
            for group in &dashboard.insights {
                let category =
                    app::domain::work_order::ApplianceCategory::parse(&group.appliance_category)
                        .map(|c| (t.appliance_category)(c))
                        .unwrap_or_default();
                rows.push(vec![
                    format!("{category} {} {}", group.brand, group.model),
                    (t.insight_category)(&group.insight_category).into(),
                    whole(group.count),
                    group
                        .notes
                        .iter()
                        .map(|note| note.note.as_str())
                        .collect::<Vec<_>>()
                        .join("；"),
                ]);
            }
        }
        _ => {
            return Err(AppError::InvalidInput {
                field: "table".into(),
                message: format!("expected one of {}", TABLES.join(", ")),
                problem: None,
            })
        }
    }
    csv_text(rows, true).map_err(|error| {
        tracing::error!(%error, "dashboard CSV not written");
        AppError::Internal
    })
}
