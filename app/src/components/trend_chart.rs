//! A small line chart of a figure over the period's buckets, drawn as SVG
//! in the page itself: the server renders it, so it shows before any WASM
//! loads, and it prints sharp at any size.

use leptos::prelude::*;

pub const WIDTH: f64 = 240.0;
pub const HEIGHT: f64 = 64.0;
const PAD: f64 = 4.0;

/// The range the y axis spans: fixed for shares and ratings so charts side
/// by side compare, from zero to the largest value otherwise.
pub fn y_range(values: &[Option<f64>], fixed: Option<(f64, f64)>) -> (f64, f64) {
    if let Some(range) = fixed {
        return range;
    }
    let top = values.iter().flatten().copied().fold(0.0_f64, f64::max);
    (0.0, if top > 0.0 { top } else { 1.0 })
}

/// The polylines' points, one run per stretch of buckets with a value: a
/// bucket with nothing to count breaks the line instead of drawing a zero.
pub fn line_runs(values: &[Option<f64>], (low, high): (f64, f64)) -> Vec<String> {
    let step = if values.len() > 1 {
        (WIDTH - 2.0 * PAD) / (values.len() - 1) as f64
    } else {
        0.0
    };
    let span = if high > low { high - low } else { 1.0 };
    let mut runs = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for (index, value) in values.iter().enumerate() {
        match value {
            Some(value) => {
                let x = PAD + step * index as f64;
                let clamped = value.clamp(low, high);
                let y = HEIGHT - PAD - (clamped - low) / span * (HEIGHT - 2.0 * PAD);
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
    (high > low && (low..=high).contains(&value))
        .then(|| HEIGHT - PAD - (value - low) / (high - low) * (HEIGHT - 2.0 * PAD))
}

#[component]
pub fn TrendChart(
    /// One value per bucket; `None` where there is nothing to count.
    values: Vec<Option<f64>>,
    /// Fixed y range (shares 0–1, ratings 1–5), or from zero to the top.
    fixed_range: Option<(f64, f64)>,
    /// A reference line, such as the 10 PPM target.
    reference: Option<f64>,
    /// What the chart shows, for screen readers.
    label: String,
) -> impl IntoView {
    let range = y_range(&values, fixed_range);
    let runs = line_runs(&values, range);
    let single_points: Vec<(String, String)> = runs
        .iter()
        .filter(|run| !run.contains(' '))
        .filter_map(|run| run.split_once(','))
        .map(|(x, y)| (x.to_string(), y.to_string()))
        .collect();
    let reference_line = reference.and_then(|value| reference_y(value, range));
    view! {
        <svg class="trend-chart" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img"
            aria-label=label data-testid="trend-chart" preserveAspectRatio="none">
            <line class="trend-chart__axis" x1="0" y1={HEIGHT - PAD} x2=WIDTH y2={HEIGHT - PAD}/>
            {reference_line.map(|y| view! {
                <line class="trend-chart__target" x1="0" y1=y x2=WIDTH y2=y/>
            })}
            {runs.into_iter().map(|points| view! {
                <polyline class="trend-chart__line" points=points fill="none"/>
            }).collect_view()}
            {single_points.into_iter().map(|(x, y)| view! {
                <circle class="trend-chart__dot" cx=x cy=y r="2"/>
            }).collect_view()}
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_break_the_line_and_values_scale_into_the_box() {
        let runs = line_runs(&[Some(0.0), Some(1.0), None, Some(0.5)], (0.0, 1.0));
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0], "4.0,60.0 81.3,4.0");
        assert_eq!(runs[1], "236.0,32.0");
        assert!(line_runs(&[None, None], (0.0, 1.0)).is_empty());
    }

    #[test]
    fn ranges_are_fixed_or_start_at_zero() {
        assert_eq!(y_range(&[Some(3.0), None, Some(12.0)], None), (0.0, 12.0));
        assert_eq!(y_range(&[None], None), (0.0, 1.0));
        assert_eq!(y_range(&[Some(3.0)], Some((1.0, 5.0))), (1.0, 5.0));
        assert_eq!(reference_y(10.0, (0.0, 5.0)), None);
        assert_eq!(reference_y(0.0, (0.0, 10.0)), Some(60.0));
    }
}
