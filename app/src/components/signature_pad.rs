use leptos::prelude::*;

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
            drawing.set(true);
            strokes.update(|all| all.push(vec![at]));
        }
    };
    let extend = move |event: leptos::ev::PointerEvent| {
        if !drawing.get_untracked() {
            return;
        }
        if let Some(at) = point(&event) {
            strokes.update(|all| {
                if let Some(stroke) = all.last_mut() {
                    stroke.push(at);
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
            on:pointerdown=start
            on:pointermove=extend
            on:pointerup=end
            on:pointercancel=end
        >
            <g class="signature-pad__ink">{polylines}</g>
        </svg>
    }
}

/// A stroke as the `points` of an SVG polyline.
pub fn polyline_points(stroke: &[(f32, f32)]) -> String {
    stroke
        .iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect::<Vec<_>>()
        .join(" ")
}
