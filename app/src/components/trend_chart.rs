//! A line chart of a figure over the period's buckets, drawn as SVG in the
//! page itself: the server renders it, so it shows before any WASM loads,
//! and it prints sharp at any size. It has a y axis with three values, the
//! first, middle and last bucket on the x axis, the target as a dashed line
//! where there is one, and each bucket's value: shown on hover over its
//! point, all of them while the chart has the keyboard's focus, and in a
//! table for screen readers.

use leptos::prelude::*;

use crate::domain::dashboard::{format_figure, Figure};

pub const WIDTH: f64 = 320.0;
pub const HEIGHT: f64 = 150.0;
/// Room for the y axis' values on the left and the dates below.
const LEFT: f64 = 46.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 24.0;

/// The range the y axis spans: fixed for shares and ratings so charts side
/// by side compare, from zero to the largest value otherwise (the target
/// included, so its line is always drawn).
pub fn y_range(
    values: &[Option<f64>],
    fixed: Option<(f64, f64)>,
    reference: Option<f64>,
) -> (f64, f64) {
    if let Some(range) = fixed {
        return range;
    }
    let top = values
        .iter()
        .flatten()
        .copied()
        .chain(reference)
        .fold(0.0_f64, f64::max);
    (0.0, if top > 0.0 { top } else { 1.0 })
}

/// Where bucket `index` of `count` sits across the plot.
pub fn x_of(index: usize, count: usize) -> f64 {
    let width = WIDTH - LEFT - RIGHT;
    if count > 1 {
        LEFT + width * index as f64 / (count - 1) as f64
    } else {
        LEFT + width / 2.0
    }
}

/// The height of a value on the plot, clamped into the range.
pub fn y_of(value: f64, (low, high): (f64, f64)) -> f64 {
    let span = if high > low { high - low } else { 1.0 };
    let clamped = value.clamp(low, high);
    HEIGHT - BOTTOM - (clamped - low) / span * (HEIGHT - TOP - BOTTOM)
}

/// The polylines' points, one run per stretch of buckets with a value: a
/// bucket with nothing to count breaks the line instead of drawing a zero.
pub fn line_runs(values: &[Option<f64>], range: (f64, f64)) -> Vec<String> {
    let mut runs = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for (index, value) in values.iter().enumerate() {
        match value {
            Some(value) => {
                let (x, y) = (x_of(index, values.len()), y_of(*value, range));
                current.push(format!("{x:.1},{y:.1}"));
            }
            None if !current.is_empty() => runs.push(std::mem::take(&mut current).join(" ")),
            None => {}
        }
    }
    if !current.is_empty() {
        runs.push(current.join(" "));
    }
    runs
}

/// The height on the chart of a reference value (a target), if in range.
pub fn reference_y(value: f64, (low, high): (f64, f64)) -> Option<f64> {
    (high > low && (low..=high).contains(&value)).then(|| y_of(value, (low, high)))
}

/// The y axis' values: the bottom, the middle and the top of the range.
pub fn y_ticks((low, high): (f64, f64)) -> [f64; 3] {
    [low, (low + high) / 2.0, high]
}

/// The buckets named on the x axis: the first, the middle and the last.
pub fn x_labelled(count: usize) -> Vec<usize> {
    let mut labelled = vec![0, count / 2, count.saturating_sub(1)];
    labelled.dedup();
    labelled.retain(|&index| index < count);
    labelled
}

#[component]
pub fn TrendChart(
    /// One value per bucket; `None` where there is nothing to count.
    values: Vec<Option<f64>>,
    /// Each bucket's name on the x axis ("12-03").
    buckets: Vec<String>,
    /// The figure charted: how its values are written.
    figure: Figure,
    /// Fixed y range (shares 0–1, ratings 1–5), or from zero to the top.
    fixed_range: Option<(f64, f64)>,
    /// A reference line, such as the 10 PPM target, with its label.
    reference: Option<(f64, String)>,
    /// What the chart shows, for screen readers.
    label: String,
) -> impl IntoView {
    let range = y_range(
        &values,
        fixed_range,
        reference.as_ref().map(|(value, _)| *value),
    );
    let runs = line_runs(&values, range);
    let write = move |value: f64| format_figure(figure, Some(value));
    let count = values.len();
    let (plot_left, plot_right) = (LEFT, WIDTH - RIGHT);
    let baseline = HEIGHT - BOTTOM;
    let reference_line = reference
        .as_ref()
        .and_then(|(value, text)| reference_y(*value, range).map(|y| (y, text.clone())));
    let points: Vec<(f64, f64, String, String)> = values
        .iter()
        .enumerate()
        .filter_map(|(index, value)| {
            value.map(|value| {
                (
                    x_of(index, count),
                    y_of(value, range),
                    buckets.get(index).cloned().unwrap_or_default(),
                    write(value),
                )
            })
        })
        .collect();
    let table_rows: Vec<(String, String)> = values
        .iter()
        .enumerate()
        .map(|(index, value)| {
            (
                buckets.get(index).cloned().unwrap_or_default(),
                value.map_or_else(|| "—".to_string(), write),
            )
        })
        .collect();
    view! {
        <figure class="trend">
            <svg class="trend-chart" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" tabindex="0"
                aria-label=label.clone() data-testid="trend-chart">
                {y_ticks(range).into_iter().map(|tick| {
                    let y = y_of(tick, range);
                    view! {
                        <line class="trend-chart__grid" x1=plot_left y1=y x2=plot_right y2=y/>
                        <text class="trend-chart__y" x={plot_left - 6.0} y={y + 4.0} text-anchor="end">{write(tick)}</text>
                    }
                }).collect_view()}
                <line class="trend-chart__axis" x1=plot_left y1=baseline x2=plot_right y2=baseline/>
                {x_labelled(count).into_iter().map(|index| {
                    let anchor = if count > 1 && index == 0 { "start" } else if count > 1 && index + 1 == count { "end" } else { "middle" };
                    view! {
                        <text class="trend-chart__x" x=x_of(index, count) y={HEIGHT - 6.0} text-anchor=anchor
                            data-testid="trend-x">
                            {buckets.get(index).cloned().unwrap_or_default()}
                        </text>
                    }
                }).collect_view()}
                {reference_line.map(|(y, text)| view! {
                    <line class="trend-chart__target" x1=plot_left y1=y x2=plot_right y2=y data-testid="trend-target"/>
                    <text class="trend-chart__target-label" x=plot_right y={y - 4.0} text-anchor="end">{text}</text>
                })}
                {runs.into_iter().map(|points| view! {
                    <polyline class="trend-chart__line" points=points fill="none"/>
                }).collect_view()}
                {points.into_iter().map(|(x, y, bucket, text)| {
                    let tip_y = if y - 10.0 < TOP { y + 16.0 } else { y - 8.0 };
                    view! {
                        <g class="trend-chart__point" data-testid="trend-point">
                            <title>{format!("{bucket}: {text}")}</title>
                            <circle class="trend-chart__hit" cx=x cy=y r="4.5"/>
                            <circle class="trend-chart__dot" cx=x cy=y r="3"/>
                            <text class="trend-chart__tip" x=x y=tip_y text-anchor="middle">{text}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
            <table class="visually-hidden">
                <caption>{label}</caption>
                <tbody>
                    {table_rows.into_iter().map(|(bucket, text)| view! {
                        <tr><th scope="row">{bucket}</th><td>{text}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_break_the_line_and_values_scale_into_the_plot() {
        let runs = line_runs(&[Some(0.0), Some(1.0), None, Some(0.5)], (0.0, 1.0));
        assert_eq!(runs.len(), 2);
        // The bottom of the plot at the left, its top a third across.
        assert_eq!(
            runs[0],
            format!(
                "{LEFT:.1},{:.1} {:.1},{TOP:.1}",
                HEIGHT - BOTTOM,
                x_of(1, 4)
            )
        );
        assert_eq!(
            runs[1],
            format!("{:.1},{:.1}", WIDTH - RIGHT, (HEIGHT - BOTTOM + TOP) / 2.0)
        );
        assert!(line_runs(&[None, None], (0.0, 1.0)).is_empty());
    }

    #[test]
    fn ranges_are_fixed_or_start_at_zero_and_reach_the_target() {
        assert_eq!(
            y_range(&[Some(3.0), None, Some(12.0)], None, None),
            (0.0, 12.0)
        );
        assert_eq!(y_range(&[Some(3.0)], None, Some(10.0)), (0.0, 10.0));
        assert_eq!(y_range(&[None], None, None), (0.0, 1.0));
        assert_eq!(y_range(&[Some(3.0)], Some((1.0, 5.0)), None), (1.0, 5.0));
        assert_eq!(reference_y(10.0, (0.0, 5.0)), None);
        assert_eq!(reference_y(0.0, (0.0, 10.0)), Some(HEIGHT - BOTTOM));
        assert_eq!(y_ticks((1.0, 5.0)), [1.0, 3.0, 5.0]);
    }

    #[test]
    fn the_first_middle_and_last_buckets_are_named() {
        assert_eq!(x_labelled(30), vec![0, 15, 29]);
        assert_eq!(x_labelled(2), vec![0, 1]);
        assert_eq!(x_labelled(1), vec![0]);
        assert!(x_labelled(0).is_empty());
    }
}
