//! A sheet that rises from the bottom of the screen over a dimmed page:
//! one deliberate decision at a time (confirming the arrival, leaving the
//! customer's screen). It takes the focus as it opens; Escape or the
//! backdrop closes it.

use leptos::html::Div;
use leptos::prelude::*;

#[component]
pub fn Sheet(
    open: RwSignal<bool>,
    #[prop(into)] title: Signal<String>,
    test_id: &'static str,
    children: ChildrenFn,
) -> impl IntoView {
    let title_id = format!("{test_id}-title");
    let children = StoredValue::new(children);
    let node = NodeRef::<Div>::new();
    Effect::new(move |_| {
        if let (true, Some(sheet)) = (open.get(), node.get()) {
            request_animation_frame(move || {
                let _ = sheet.focus();
            });
        }
    });
    view! {
        <Show when=move || open.get()>
            <div class="sheet__backdrop" on:click=move |_| open.set(false)></div>
            <div class="sheet" role="dialog" aria-modal="true" aria-labelledby=title_id.clone()
                tabindex="-1" node_ref=node data-testid=test_id
                on:keydown=move |event| if event.key() == "Escape" { open.set(false) }>
                <h2 class="sheet__title" id=title_id.clone()>{title}</h2>
                {children.with_value(|children| children())}
            </div>
        </Show>
    }
}
