use leptos::prelude::*;

use crate::domain::signoff::Signature;

/// A signature drawn with a finger, a stylus or a mouse: pointer events with
/// the pointer captured, so a stroke that leaves the pad still ends cleanly.
/// The strokes are kept in CSS pixels and drawn as SVG, so the signature is
/// sharp at every device-pixel ratio and can be redrawn at any size later.
#[component]
pub fn SignaturePad(strokes: RwSignal<Vec<Vec<(f32, f32)>>>) -> impl IntoView {
    let pad = NodeRef::<leptos::svg::Svg>::new();
    let drawing = RwSignal::new(false);
    // Where the pointer is on the pad, in CSS pixels from its top left.
    let point = move |event: &leptos::ev::PointerEvent| -> Option<(f32, f32)> {
        #[cfg(feature = "hydrate")]
        {
            let rect = pad.get()?.get_bounding_client_rect();
            Some((
                (f64::from(event.client_x()) - rect.left()) as f32,
                (f64::from(event.client_y()) - rect.top()) as f32,
            ))
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = (event, pad);
            None
        }
    };
    let start = move |event: leptos::ev::PointerEvent| {
        event.prevent_default();
        #[cfg(feature = "hydrate")]
        if let Some(svg) = pad.get() {
            let _ = svg.set_pointer_capture(event.pointer_id());
        }
        if let Some(at) = point(&event) {
            strokes.update(|all| {
                // Past the bounds a signature may have, the pad takes no more
                // ink rather than making one the server refuses.
                let points: usize = all.iter().map(Vec::len).sum();
                if all.len() < Signature::MAX_STROKES && points < Signature::MAX_POINTS {
                    drawing.set(true);
                    all.push(vec![at]);
                }
            });
        }
    };
    let extend = move |event: leptos::ev::PointerEvent| {
        if !drawing.get_untracked() {
            return;
        }
        if let Some(at) = point(&event) {
            strokes.update(|all| {
                let points: usize = all.iter().map(Vec::len).sum();
                if let Some(stroke) = all.last_mut() {
                    if stroke.len() < Signature::MAX_POINTS_PER_STROKE
                        && points < Signature::MAX_POINTS
                    {
                        stroke.push(at);
                    }
                }
            });
        }
    };
    let end = move |_: leptos::ev::PointerEvent| drawing.set(false);
    let polylines = move || {
        strokes
            .get()
            .into_iter()
            .map(|stroke| view! { <polyline points=polyline_points(&stroke)/> })
            .collect_view()
    };
    view! {
        <svg
            node_ref=pad
            class="signature-pad"
            data-testid="signature-pad"
            role="img"
            aria-labelledby="signature-label"
            on:pointerdown=start
            on:pointermove=extend
            on:pointerup=end
            on:pointercancel=end
        >
            <g class="signature-pad__ink">{polylines}</g>
        </svg>
    }
}

/// Strokes as the data of one SVG path: a move to each stroke's first
/// point and lines through the rest (a one-point stroke, a dot, is drawn
/// by the round line cap of a zero-length line).
pub fn signature_path<'a>(strokes: impl Iterator<Item = &'a [(f32, f32)]>) -> String {
    let mut data = String::new();
    for stroke in strokes {
        let Some(((x, y), rest)) = stroke.split_first() else {
            continue;
        };
        data.push_str(&format!("M{x:.1} {y:.1}"));
        if rest.is_empty() {
            data.push_str("l0 0");
        }
        for (x, y) in rest {
            data.push_str(&format!("L{x:.1} {y:.1}"));
        }
    }
    data
}

/// A stroke as the `points` of an SVG polyline.
pub fn polyline_points(stroke: &[(f32, f32)]) -> String {
    stroke
        .iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect::<Vec<_>>()
        .join(" ")
}
