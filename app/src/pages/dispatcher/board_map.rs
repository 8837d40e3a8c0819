//! The board's schematic map: the day's visits and each technician's route
//! drawn from the customers' coordinates on a plain projection, with no
//! map tiles (nothing to download, nothing that needs a connection).

use leptos::prelude::*;

use crate::api::desk::{Lane, QueuedOrder};
use crate::domain::time::format_local_time;
use crate::domain::validation::Coordinates;
use crate::i18n::use_i18n;

/// The drawing's size in SVG units; the page scales it to its box.
pub const WIDTH: f64 = 400.0;
pub const HEIGHT: f64 = 300.0;
/// Room at the edges, so a dot on the outermost customer is drawn whole.
const MARGIN: f64 = 16.0;
/// The smallest stretch the map shows, in degrees (about 1 km), so one
/// customer or two next door do not fill the whole map.
const MIN_SPAN_DEGREES: f64 = 0.01;
/// Kilometres in a degree of latitude.
const KM_PER_DEGREE: f64 = 111.32;
/// Lanes get one of this many route colours, in the board's order.
pub const ROUTE_COLOURS: usize = 8;

/// An equirectangular projection fitted to a set of places: longitude is
/// shrunk by the cosine of the middle latitude, so a kilometre east is as
/// long on the map as a kilometre north; north is up.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Projection {
    west: f64,
    north: f64,
    shrink: f64,
    /// SVG units per degree of latitude.
    scale: f64,
    offset_x: f64,
    offset_y: f64,
}

impl Projection {
    /// Fits every place into the drawing with its margin, centred; `None`
    /// when there is nothing to draw.
    pub fn fitted(places: &[Coordinates]) -> Option<Projection> {
        let first = places.first()?;
        let (mut south, mut north) = (first.latitude(), first.latitude());
        let (mut west, mut east) = (first.longitude(), first.longitude());
        for place in places {
            south = south.min(place.latitude());
            north = north.max(place.latitude());
            west = west.min(place.longitude());
            east = east.max(place.longitude());
        }
        let shrink = ((south + north) / 2.0).to_radians().cos().max(0.01);
        // Widen a stretch narrower than the smallest around its middle.
        let widen = |low: &mut f64, high: &mut f64, least: f64| {
            if *high - *low < least {
                let middle = (*low + *high) / 2.0;
                *low = middle - least / 2.0;
                *high = middle + least / 2.0;
            }
        };
        widen(&mut south, &mut north, MIN_SPAN_DEGREES);
        widen(&mut west, &mut east, MIN_SPAN_DEGREES / shrink);
        let across = (east - west) * shrink;
        let tall = north - south;
        let scale = ((WIDTH - 2.0 * MARGIN) / across).min((HEIGHT - 2.0 * MARGIN) / tall);
        Some(Projection {
            west,
            north,
            shrink,
            scale,
            offset_x: (WIDTH - across * scale) / 2.0,
            offset_y: (HEIGHT - tall * scale) / 2.0,
        })
    }

    /// Where a place is drawn: (x, y) in SVG units, y down.
    pub fn point(&self, place: Coordinates) -> (f64, f64) {
        (
            self.offset_x + (place.longitude() - self.west) * self.shrink * self.scale,
            self.offset_y + (self.north - place.latitude()) * self.scale,
        )
    }

    /// A scale bar of a round number of kilometres no longer than `at_most`
    /// SVG units: (kilometres, length in SVG units).
    pub fn scale_bar(&self, at_most: f64) -> (f64, f64) {
        let per_km = self.scale / KM_PER_DEGREE;
        let km = [
            0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0,
        ]
        .into_iter()
        .rev()
        .find(|km| km * per_km <= at_most)
        .unwrap_or(0.1);
        (km, km * per_km)
    }
}

/// One lane's route: its located visits in the order of their windows.
pub fn route(lane: &Lane) -> Vec<Coordinates> {
    let mut visits: Vec<_> = lane.visits.iter().filter(|v| v.place.is_some()).collect();
    visits.sort_by_key(|visit| visit.window.start());
    visits.into_iter().filter_map(|visit| visit.place).collect()
}

/// "x,y x,y …" for an SVG polyline.
fn polyline(projection: &Projection, places: &[Coordinates]) -> String {
    places
        .iter()
        .map(|place| {
            let (x, y) = projection.point(*place);
            format!("{x:.1},{y:.1}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The map beside the queue: every technician's route in their colour,
/// each visit a dot (filled once done), each order still in the queue a
/// hollow diamond; the picked order and the opened visit are ringed. What
/// has no place on file is counted, not guessed.
#[component]
pub fn BoardMap(
    lanes: Vec<Lane>,
    queue: Vec<QueuedOrder>,
    /// The order picked to assign, by work order id.
    picked: Signal<Option<String>>,
    /// The visit opened on the board, by visit id.
    opened: Signal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let places: Vec<Coordinates> = lanes
        .iter()
        .flat_map(|lane| lane.visits.iter().filter_map(|visit| visit.place))
        .chain(queue.iter().filter_map(|order| order.place))
        .collect();
    let unplaced = lanes
        .iter()
        .flat_map(|lane| lane.visits.iter())
        .filter(|visit| visit.place.is_none())
        .count()
        + queue.iter().filter(|order| order.place.is_none()).count();
    let Some(projection) = Projection::fitted(&places) else {
        return view! {
            <section class="board-map" aria-labelledby="board-map-title" data-testid="board-map">
                <h2 id="board-map-title">{move || i18n.t().board.map_title}</h2>
                <p class="board-map__empty">{move || i18n.t().board.map_empty}</p>
            </section>
        }
        .into_any();
    };
    let (bar_km, bar_length) = projection.scale_bar(WIDTH / 4.0);
    let routes = lanes
        .iter()
        .enumerate()
        .map(|(index, lane)| {
            let points = polyline(&projection, &route(lane));
            view! {
                <polyline class=format!("board-map__route board-map__route--{}", index % ROUTE_COLOURS)
                    points=points data-testid="map-route" data-technician=lane.technician_id.clone()/>
            }
        })
        .collect_view();
    let visits = lanes
        .iter()
        .enumerate()
        .flat_map(|(index, lane)| {
            let name = lane.name.clone();
            lane.visits.iter().filter_map(move |visit| {
                let (x, y) = projection.point(visit.place?);
                let id = visit.id.clone();
                let ringed = move || opened.with(|opened| opened.as_deref() == Some(id.as_str()));
                let label = format!(
                    "{} · {}–{} · {}",
                    visit.customer_name,
                    format_local_time(visit.window.start(), visit.utc_offset),
                    format_local_time(visit.window.end(), visit.utc_offset),
                    name
                );
                Some(view! {
                    <circle class=format!("board-map__visit board-map__route--{}", index % ROUTE_COLOURS)
                        data-status=visit.status.as_str() data-ringed=move || ringed().to_string()
                        data-visit=visit.id.clone()
                        data-testid="map-visit" cx=format!("{x:.1}") cy=format!("{y:.1}") r="6">
                        <title>{label}</title>
                    </circle>
                })
            })
        })
        .collect_view();
    let orders = queue
        .iter()
        .filter_map(|order| {
            let (x, y) = projection.point(order.place?);
            let id = order.id.clone();
            let ringed = move || picked.with(|picked| picked.as_deref() == Some(id.as_str()));
            let label = format!(
                "{} · {}–{}",
                order.customer_name,
                format_local_time(order.window.start(), order.utc_offset),
                format_local_time(order.window.end(), order.utc_offset),
            );
            Some(view! {
                <rect class="board-map__order" data-testid="map-order" data-ringed=move || ringed().to_string()
                    data-order=order.id.clone()
                    x=format!("{:.1}", x - 5.0) y=format!("{:.1}", y - 5.0) width="10" height="10"
                    transform=format!("rotate(45 {x:.1} {y:.1})")>
                    <title>{move || (i18n.t().board.map_order)(&label)}</title>
                </rect>
            })
        })
        .collect_view();
    let legend = lanes
        .iter()
        .enumerate()
        .filter(|(_, lane)| lane.visits.iter().any(|visit| visit.place.is_some()))
        .map(|(index, lane)| {
            view! {
                <li>
                    <span class=format!("board-map__swatch board-map__route--{}", index % ROUTE_COLOURS) aria-hidden="true"></span>
                    {lane.name.clone()}
                </li>
            }
        })
        .collect_view();
    let bar_text = if bar_km < 1.0 {
        format!("{:.0} m", bar_km * 1000.0)
    } else {
        format!("{bar_km:.0} km")
    };
    view! {
        <section class="board-map" aria-labelledby="board-map-title" data-testid="board-map">
            <h2 id="board-map-title">{move || i18n.t().board.map_title}</h2>
            <svg class="board-map__drawing" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img"
                aria-labelledby="board-map-title board-map-summary">
                <g>{routes}</g>
                <g>{orders}</g>
                <g>{visits}</g>
                <g class="board-map__scale">
                    <line x1="12" y1={HEIGHT - 12.0} x2={format!("{:.1}", 12.0 + bar_length)} y2={HEIGHT - 12.0}/>
                    <text x="12" y={HEIGHT - 18.0}>{bar_text}</text>
                    <text class="board-map__north" x={WIDTH - 16.0} y="20">"N"</text>
                </g>
            </svg>
            <p class="board-map__summary" id="board-map-summary">
                {move || (i18n.t().board.map_summary)(places.len(), unplaced)}
            </p>
            <ul class="board-map__legend">
                {legend}
                <li>
                    <span class="board-map__swatch board-map__swatch--order" aria-hidden="true"></span>
                    {move || i18n.t().board.map_queue}
                </li>
            </ul>
        </section>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(latitude: f64, longitude: f64) -> Coordinates {
        Coordinates::new(latitude, longitude).unwrap()
    }

    #[test]
    fn the_map_fits_every_place_inside_its_margins_north_up() {
        let places = [at(31.20, 121.45), at(31.25, 121.60), at(31.22, 121.50)];
        let projection = Projection::fitted(&places).unwrap();
        for place in places {
            let (x, y) = projection.point(place);
            assert!((MARGIN - 1e-9..=WIDTH - MARGIN + 1e-9).contains(&x), "{x}");
            assert!((MARGIN - 1e-9..=HEIGHT - MARGIN + 1e-9).contains(&y), "{y}");
        }
        let (_, north_y) = projection.point(at(31.25, 121.60));
        let (_, south_y) = projection.point(at(31.20, 121.45));
        assert!(north_y < south_y, "north is up");
        let (west_x, _) = projection.point(at(31.20, 121.45));
        let (east_x, _) = projection.point(at(31.25, 121.60));
        assert!(west_x < east_x, "east is right");
    }

    #[test]
    fn a_kilometre_is_as_long_east_as_north() {
        // About 1 km north and 1 km east of 人民广场.
        let home = at(31.2304, 121.4737);
        let north = at(31.2304 + 1.0 / KM_PER_DEGREE, 121.4737);
        let east_degrees = 1.0 / (KM_PER_DEGREE * 31.2304_f64.to_radians().cos());
        let east = at(31.2304, 121.4737 + east_degrees);
        let projection = Projection::fitted(&[home, north, east]).unwrap();
        let (hx, hy) = projection.point(home);
        let (nx, ny) = projection.point(north);
        let (ex, ey) = projection.point(east);
        let north_length = ((nx - hx).powi(2) + (ny - hy).powi(2)).sqrt();
        let east_length = ((ex - hx).powi(2) + (ey - hy).powi(2)).sqrt();
        assert!(
            (north_length / east_length - 1.0).abs() < 0.01,
            "{north_length} {east_length}"
        );
    }

    #[test]
    fn one_place_is_drawn_in_the_middle_not_across_the_whole_map() {
        let projection = Projection::fitted(&[at(31.2304, 121.4737)]).unwrap();
        let (x, y) = projection.point(at(31.2304, 121.4737));
        assert!((x - WIDTH / 2.0).abs() < 1e-6 && (y - HEIGHT / 2.0).abs() < 1e-6);
        // The smallest stretch is about a kilometre, so the bar says so.
        let (km, length) = projection.scale_bar(WIDTH / 4.0);
        assert!(km <= 0.5, "{km}");
        assert!(length <= WIDTH / 4.0 && length > 0.0);
        assert!(Projection::fitted(&[]).is_none());
    }

    #[test]
    fn the_scale_bar_is_a_round_distance_that_fits() {
        // A 20 km stretch of the city.
        let projection = Projection::fitted(&[at(31.10, 121.40), at(31.28, 121.61)]).unwrap();
        let (km, length) = projection.scale_bar(100.0);
        assert!([1.0, 2.0, 5.0].contains(&km), "{km}");
        assert!((20.0..=100.0).contains(&length), "{length}");
    }
}
