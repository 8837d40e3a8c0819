use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::dashboard::{Dashboard, DashboardQuery};
use crate::components::load_failure::load_failure;
use crate::components::trend_chart::TrendChart;
use crate::domain::dashboard::{format_figure, format_number, Figure, PeriodKind};
use crate::domain::metrics::{meets_control_target, CONTROL_TARGET_PPM};
use crate::i18n::{use_i18n, Locale};
use crate::serverfns::dashboard::get_dashboard;

/// The service-quality dashboard: the standard's figures with their trends,
/// ratings, technician scorecards (and the service stars for a quarter),
/// checklist items and the field-insight report. Filters travel in the
/// address, so a view can be bookmarked, shared and printed.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let query_map = use_query_map();
    let query = move || {
        query_map.with(|q| DashboardQuery {
            period: q.get("period").unwrap_or_default(),
            date: q.get("date").unwrap_or_default(),
            to: q.get("to").unwrap_or_default(),
            region: q.get("region").unwrap_or_default(),
            technician: q.get("technician").unwrap_or_default(),
        })
    };
    let dashboard = Resource::new(query, get_dashboard);
    view! {
        <section class="dashboard" aria-labelledby="dashboard-title">
            <p class="visit__back"><a href="/desk">{move || i18n.t().desk_title}</a></p>
            <h1 id="dashboard-title">{move || i18n.t().dashboard.title}</h1>
            <Suspense fallback=move || view! { <p class="status">{move || i18n.t().loading}</p> }>
                {move || Suspend::new(async move {
                    match dashboard.await {
                        Ok(dashboard) => view! { <DashboardView dashboard/> }.into_any(),
                        Err(error) => load_failure(error),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The address of the dashboard or its export with the same filters.
pub fn with_query(base: &str, query: &DashboardQuery, extra: &[(&str, &str)]) -> String {
    let pairs = [
        ("period", query.period.as_str()),
        ("date", query.date.as_str()),
        ("to", query.to.as_str()),
        ("region", query.region.as_str()),
        ("technician", query.technician.as_str()),
    ];
    let encoded: Vec<String> = pairs
        .iter()
        .chain(extra)
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| format!("{name}={}", percent_encode(value)))
        .collect();
    if encoded.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", encoded.join("&"))
    }
}

fn percent_encode(value: &str) -> String {
    value
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

fn date_text((year, month, day): (i64, u8, u8)) -> String {
    format!("{year:04}-{month:02}-{day:02}")
}

#[component]
fn DashboardView(dashboard: Dashboard) -> impl IntoView {
    let i18n = use_i18n();
    let offset = dashboard.utc_offset;
    let period = dashboard.period;
    let query = dashboard.query.clone();
    let summary = {
        let (from, to) = (
            date_text(period.first_day(offset)),
            date_text(period.last_day(offset)),
        );
        move || (i18n.t().dashboard.period_summary)(&from, &to)
    };
    let stored_query = StoredValue::new(query.clone());
    // Read when rendered, so a language switch changes the export's language.
    let export = move |table: &'static str| {
        with_query(
            "/api/dashboard/export.csv",
            &stored_query.get_value(),
            &[("table", table), ("lang", i18n.locale().tag())],
        )
    };
    let stars_href = with_query(
        "/dashboard",
        &DashboardQuery {
            period: PeriodKind::Quarter.as_str().into(),
            to: String::new(),
            ..query.clone()
        },
        &[],
    );
    let buckets: Vec<String> = (0..dashboard.trend.len())
        .map(|bucket| dashboard.period.bucket_label(bucket, offset))
        .collect();
    let figures = Figure::ALL
        .iter()
        .map(|&figure| {
            let buckets = buckets.clone();
            let values: Vec<Option<f64>> =
                dashboard.trend.iter().map(|counts| counts.figure(figure)).collect();
            let value = dashboard.total.figure(figure);
            let control = match figure {
                Figure::ComplaintPpm => Some(dashboard.total.complaint_rate()),
                Figure::UntimelyPpm => Some(dashboard.total.untimely_rate()),
                Figure::OmissionPpm => Some(dashboard.total.omission_rate()),
                _ => None,
            };
            let fixed_range = if figure.is_share() {
                Some((0.0, 1.0))
            } else if figure == Figure::Rating {
                Some((1.0, 5.0))
            } else {
                None
            };
            let reference = control.map(|_| CONTROL_TARGET_PPM as f64);
            let verdict = control.and_then(meets_control_target);
            view! {
                <article class="figure-card" data-testid="figure" data-figure=figure.as_str()>
                    <h3>{move || (i18n.t().dashboard.figure)(figure)}</h3>
                    <p class="figure-card__value" data-testid="figure-value">{format_figure(figure, value)}</p>
                    {(figure == Figure::OnTime).then(|| {
                        let verified = dashboard.total.verified_on_time_rate().share();
                        view! {
                            <p class="figure-card__target" data-testid="verified-on-time">
                                {move || i18n.t().dashboard.verified_on_time} " "
                                {format_figure(Figure::OnTime, verified)}
                            </p>
                        }
                    })}
                    {control.map(|_| view! {
                        <p class="figure-card__target" data-met=verdict.map(|met| met.to_string())>
                            {move || i18n.t().dashboard.ppm_target} " · "
                            {move || match verdict {
                                Some(true) => i18n.t().dashboard.meets_target,
                                Some(false) => i18n.t().dashboard.misses_target,
                                None => "—",
                            }}
                        </p>
                    })}
                    {move || {
                        let label = format!("{} · {}", (i18n.t().dashboard.figure)(figure), i18n.t().dashboard.trend_of);
                        let reference = reference.map(|target| (target, i18n.t().dashboard.target_line.to_string()));
                        view! { <TrendChart values=values.clone() buckets=buckets.clone() figure fixed_range reference label/> }
                    }}
                </article>
            }
        })
        .collect_view();
    let ratings = dashboard.total.ratings;
    let preset_ratings = dashboard.total.preset_ratings;
    let closed_unsigned = dashboard.total.closed_unsigned;
    let flagged = flagged_arrivals(&dashboard.flagged_arrivals, offset);
    let rating_cells = move || {
        let means = ratings.means();
        (0..5)
            .map(|index| {
                view! {
                    <tr>
                        <th scope="row">{move || i18n.t().dashboard.rating_dimensions[index]}</th>
                        <td>{means.map(|m| format_number(m[index], 2)).unwrap_or_else(|| "—".into())}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    let score_columns = [
        Figure::OnTime,
        Figure::FirstVisitFix,
        Figure::Compliance,
        Figure::Rating,
        Figure::RepeatCalls,
    ];
    let scorecards = dashboard
        .scorecards
        .iter()
        .map(|card| {
            let counts = card.counts;
            view! {
                <tr data-testid="scorecard">
                    <th scope="row" translate="no">{card.name.clone()}</th>
                    <td>{format_number(counts.completed_services as f64, 0)}</td>
                    {score_columns.iter().map(|&f| view! { <td>{format_figure(f, counts.figure(f))}</td> }).collect_view()}
                    <td>{format_number(counts.complaints as f64, 0)}</td>
                </tr>
            }
        })
        .collect_view();
    let score_headers = move || {
        score_columns
            .iter()
            .map(|&f| view! { <th scope="col">{(i18n.t().dashboard.figure)(f)}</th> })
            .collect_view()
    };
    let stars = dashboard.stars.clone().map(|ranking| {
        let rows = ranking
            .into_iter()
            .map(|star| {
                view! {
                    <tr data-testid="star">
                        <td>{star.rank}</td>
                        <th scope="row" translate="no">{star.scorecard.name}</th>
                        <td>{format_number(star.score, 1)}</td>
                        <td>{format_number(star.scorecard.counts.completed_services as f64, 0)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <section class="dashboard__section" data-testid="stars">
                <h2>{move || i18n.t().dashboard.stars_title}</h2>
                <p class="dashboard__note">{move || i18n.t().dashboard.stars_rule}</p>
                <table class="dashboard__table">
                    <thead><tr>
                        <th scope="col">{move || i18n.t().dashboard.rank}</th>
                        <th scope="col">{move || i18n.t().dashboard.technician}</th>
                        <th scope="col">{move || i18n.t().dashboard.score}</th>
                        <th scope="col">{move || i18n.t().dashboard.completed_services}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
                <a class="button button--quiet" href=move || export("stars") download>{move || i18n.t().dashboard.export_csv}</a>
            </section>
        }
    });
    let items = dashboard
        .items
        .iter()
        .map(|item| {
            let (zh, en, rate) = (item.text_zh.clone(), item.text_en.clone(), item.rate);
            view! {
                <tr data-testid="item-compliance" data-item=item.key.clone()>
                    <th scope="row">{move || if i18n.locale() == Locale::En { en.clone() } else { zh.clone() }}</th>
                    <td>{format_number(rate.count as f64, 0)}</td>
                    <td>{format_number(rate.out_of as f64, 0)}</td>
                    <td>{format_figure(Figure::Compliance, rate.share())}</td>
                </tr>
            }
        })
        .collect_view();
    let insights = dashboard
        .insights
        .iter()
        .map(|group| {
            let category = crate::domain::work_order::ApplianceCategory::parse(&group.appliance_category);
            let kind = group.insight_category.clone();
            let product = format!("{} {}", group.brand, group.model);
            let notes = group
                .notes
                .iter()
                .map(|note| {
                    view! {
                        <li><span translate="no">{note.note.clone()}</span> " — " <span translate="no">{note.technician.clone()}</span> " · "
                            {crate::domain::time::format_local_date_time(note.written_at, offset)}</li>
                    }
                })
                .collect_view();
            view! {
                <tr data-testid="insight-group">
                    <th scope="row">{move || category.map(|c| (i18n.t().appliance_category)(c)).unwrap_or_default()} " " <span translate="no">{product}</span></th>
                    <td>{move || (i18n.t().insight_category)(&kind)}</td>
                    <td>{format_number(group.count as f64, 0)}</td>
                    <td><ul class="dashboard__notes">{notes}</ul></td>
                </tr>
            }
        })
        .collect_view();
    let no_insights = dashboard.insights.is_empty();
    let no_scorecards = dashboard.scorecards.is_empty();
    let has_stars = dashboard.stars.is_some();
    let no_items = dashboard.items.is_empty();

    view! {
        <Filters dashboard=dashboard.clone()/>
        <p class="dashboard__period" data-testid="period-summary">{summary}</p>
        <p class="dashboard__links">
            <a href=stars_href data-testid="stars-link">{move || i18n.t().dashboard.stars_link}</a>
        </p>
        <section class="dashboard__section">
            <h2>{move || i18n.t().dashboard.figures_title}</h2>
            <div class="dashboard__figures">{figures}</div>
            <a class="button button--quiet" href=move || export("figures") download data-testid="export-figures">{move || i18n.t().dashboard.export_csv}</a>
            " "
            <a class="button button--quiet" href=move || export("trend") download>{move || format!("{} · {}", i18n.t().dashboard.trend_of, i18n.t().dashboard.export_csv)}</a>
        </section>
        <section class="dashboard__section">
            <h2>{move || i18n.t().dashboard.ratings_title}</h2>
            <table class="dashboard__table" data-testid="ratings">
                <tbody>
                    {rating_cells}
                    <tr><th scope="row">{move || i18n.t().dashboard.rated_services}</th><td>{format_number(ratings.count as f64, 0)}</td></tr>
                </tbody>
            </table>
            {(preset_ratings > 0).then(|| view! {
                <p class="dashboard__note" data-testid="preset-ratings">
                    {move || (i18n.t().dashboard.preset_ratings)(preset_ratings)}
                </p>
            })}
            {(closed_unsigned > 0).then(|| view! {
                <p class="dashboard__note" data-testid="closed-unsigned">
                    {move || (i18n.t().dashboard.closed_unsigned)(closed_unsigned)}
                </p>
            })}
            <a class="button button--quiet" href=move || export("ratings") download>{move || i18n.t().dashboard.export_csv}</a>
        </section>
        {flagged}
        <div class="dashboard__pair" class:dashboard__pair--two=has_stars>
        {stars}
        <section class="dashboard__section" data-testid="scorecards">
            <h2>{move || i18n.t().dashboard.scorecards_title}</h2>
            <p class="status" hidden=!no_scorecards>{move || i18n.t().dashboard.nothing_yet}</p>
            <div class="dashboard__scroll">
                <table class="dashboard__table" hidden=no_scorecards>
                    <thead><tr>
                        <th scope="col">{move || i18n.t().dashboard.technician}</th>
                        <th scope="col">{move || i18n.t().dashboard.completed_services}</th>
                        {score_headers}
                        <th scope="col">{move || i18n.t().dashboard.complaints}</th>
                    </tr></thead>
                    <tbody>{scorecards}</tbody>
                </table>
            </div>
            <a class="button button--quiet" href=move || export("technicians") download>{move || i18n.t().dashboard.export_csv}</a>
        </section>
        </div>
        <section class="dashboard__section">
            <h2>{move || i18n.t().dashboard.items_title}</h2>
            <p class="status" hidden=!no_items>{move || i18n.t().dashboard.nothing_yet}</p>
            <table class="dashboard__table" hidden=no_items>
                <thead><tr>
                    <th scope="col">{move || i18n.t().dashboard.item}</th>
                    <th scope="col">{move || i18n.t().dashboard.answered}</th>
                    <th scope="col">{move || i18n.t().dashboard.due}</th>
                    <th scope="col">{move || (i18n.t().dashboard.figure)(Figure::Compliance)}</th>
                </tr></thead>
                <tbody>{items}</tbody>
            </table>
            <a class="button button--quiet" href=move || export("items") download>{move || i18n.t().dashboard.export_csv}</a>
        </section>
        <section class="dashboard__section">
            <h2>{move || i18n.t().dashboard.insights_title}</h2>
            <p class="status" hidden=!no_insights>{move || i18n.t().dashboard.nothing_yet}</p>
            <table class="dashboard__table" hidden=no_insights>
                <thead><tr>
                    <th scope="col">{move || i18n.t().dashboard.product}</th>
                    <th scope="col">{move || i18n.t().dashboard.insight_kind}</th>
                    <th scope="col">{move || i18n.t().dashboard.count}</th>
                    <th scope="col">{move || i18n.t().dashboard.newest_notes}</th>
                </tr></thead>
                <tbody>{insights}</tbody>
            </table>
            <a class="button button--quiet" href=move || export("insights") download>{move || i18n.t().dashboard.export_csv}</a>
        </section>
    }
}

/// The filters, as a plain GET form: it works before the WASM has loaded
/// and leaves the choice in the address.
#[component]
fn Filters(dashboard: Dashboard) -> impl IntoView {
    let i18n = use_i18n();
    let query = dashboard.query;
    let chosen_kind = query.period.clone();
    let kinds = PeriodKind::ALL
        .iter()
        .map(|&kind| {
            let selected = kind.as_str() == chosen_kind;
            view! { <option value=kind.as_str() selected=selected>{move || (i18n.t().dashboard.period_kind)(kind)}</option> }
        })
        .collect_view();
    let chosen_region = query.region.clone();
    let show_regions = !dashboard.regions.is_empty();
    let regions = dashboard
        .regions
        .into_iter()
        .map(|choice| {
            let selected = choice.id == chosen_region;
            view! { <option value=choice.id selected=selected translate="no">{choice.name}</option> }
        })
        .collect_view();
    let chosen_technician = query.technician.clone();
    let technicians = dashboard
        .technicians
        .into_iter()
        .map(|choice| {
            let selected = choice.id == chosen_technician;
            view! { <option value=choice.id selected=selected translate="no">{choice.name}</option> }
        })
        .collect_view();
    view! {
        <form class="dashboard__filters" method="get" action="/dashboard" data-testid="dashboard-filters">
            <label>{move || i18n.t().dashboard.period}
                <select name="period" data-testid="filter-period">{kinds}</select>
            </label>
            <label>{move || i18n.t().dashboard.date}
                <input type="date" name="date" value=query.date.clone() data-testid="filter-date"/>
            </label>
            <label>{move || i18n.t().dashboard.to}
                <input type="date" name="to" value=query.to.clone() data-testid="filter-to"/>
            </label>
            {show_regions.then(|| view! {
                <label>{move || i18n.t().dashboard.region}
                    <select name="region" data-testid="filter-region">
                        <option value="">{move || i18n.t().dashboard.all_regions}</option>
                        {regions}
                    </select>
                </label>
            })}
            <label>{move || i18n.t().dashboard.technician}
                <select name="technician" data-testid="filter-technician">
                    <option value="">{move || i18n.t().dashboard.all_technicians}</option>
                    {technicians}
                </select>
            </label>
            <button type="submit" class="button" data-testid="filter-show">{move || i18n.t().dashboard.show}</button>
        </form>
    }
}

/// The arrivals something casts doubt on, each with its reasons and a way
/// to the record.
fn flagged_arrivals(
    flagged: &[crate::api::dashboard::FlaggedArrival],
    offset: crate::domain::time::UtcOffset,
) -> impl IntoView {
    let i18n = use_i18n();
    let empty = flagged.is_empty();
    let rows = flagged
        .iter()
        .map(|arrival| {
            let flags = arrival.check.flags.clone();
            let distance = arrival.check.distance_m;
            view! {
                <tr data-testid="flagged-arrival" data-visit=arrival.visit_id.clone()>
                    <th scope="row" translate="no">{arrival.customer_name.clone()}</th>
                    <td translate="no">{arrival.technician_name.clone().unwrap_or_default()}</td>
                    <td>{crate::domain::time::format_local_date_time(arrival.arrived_at, offset)}</td>
                    <td>{move || {
                        flags
                            .iter()
                            .map(|&flag| (i18n.t().dashboard.arrival_flag)(flag).to_string())
                            .chain(distance.map(|d| (i18n.t().dashboard.distance)(d)))
                            .collect::<Vec<_>>()
                            .join("；")
                    }}</td>
                    <td><a class="link" href=format!("/visits/{}/record", arrival.visit_id)>
                        {move || i18n.t().dashboard.open_record}
                    </a></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="dashboard__section" data-testid="flagged-arrivals">
            <h2>{move || i18n.t().dashboard.flagged_title}</h2>
            <p class="dashboard__note">{move || i18n.t().dashboard.flagged_rule}</p>
            <p class="status" hidden=!empty>{move || i18n.t().dashboard.flagged_none}</p>
            <div class="dashboard__scroll" hidden=empty>
                <table class="dashboard__table">
                    <thead><tr>
                        <th scope="col">{move || i18n.t().dashboard.customer}</th>
                        <th scope="col">{move || i18n.t().dashboard.technician}</th>
                        <th scope="col">{move || i18n.t().dashboard.arrived_at}</th>
                        <th scope="col">{move || i18n.t().dashboard.flag_reasons}</th>
                        <th scope="col"></th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_the_filters_and_encode_them() {
        let query = DashboardQuery {
            period: "custom".into(),
            date: "2026-11-01".into(),
            to: "2026-11-30".into(),
            region: String::new(),
            technician: "a b&c".into(),
        };
        assert_eq!(
            with_query("/dashboard", &query, &[("lang", "zh-CN")]),
            "/dashboard?period=custom&date=2026-11-01&to=2026-11-30&technician=a%20b%26c&lang=zh-CN"
        );
        assert_eq!(
            with_query("/dashboard", &DashboardQuery::default(), &[]),
            "/dashboard"
        );
    }
}
