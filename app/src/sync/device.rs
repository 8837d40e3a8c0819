//! What the phone itself provides to an action: its position at check-in
//! and a camera photo made small enough for a slow uplink. Browser APIs, so
//! the server build has neither.

#[cfg(feature = "hydrate")]
use crate::api::error::AppError;

/// Longest side of a photo as sent: enough to read a model plate.
#[cfg(feature = "hydrate")]
const PHOTO_MAX_SIDE: f64 = 1600.0;

/// The phone's position (latitude, longitude, accuracy in metres), or None
/// when the technician does not allow it or no fix comes within 8 s: the
/// check-in never waits on it longer than that.
#[cfg(feature = "hydrate")]
pub async fn current_position() -> Option<(f64, f64, f64)> {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};

    let geolocation = web_sys::window()?.navigator().geolocation().ok()?;
    let promise = js_sys::Promise::new(&mut |resolve: js_sys::Function, _reject| {
        let resolve_none = resolve.clone();
        let on_fix = Closure::once_into_js(move |position: web_sys::Position| {
            let coords = position.coords();
            let fix = js_sys::Array::of3(
                &coords.latitude().into(),
                &coords.longitude().into(),
                &coords.accuracy().into(),
            );
            let _ = resolve.call1(&JsValue::NULL, &fix);
        });
        let on_error = Closure::once_into_js(move |_: JsValue| {
            let _ = resolve_none.call1(&JsValue::NULL, &JsValue::NULL);
        });
        let options = web_sys::PositionOptions::new();
        options.set_timeout(8_000);
        options.set_maximum_age(60_000);
        options.set_enable_high_accuracy(true);
        let _ = geolocation.get_current_position_with_error_callback_and_options(
            on_fix.unchecked_ref(),
            Some(on_error.unchecked_ref()),
            &options,
        );
    });
    let fix: js_sys::Array = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    Some((
        fix.get(0).as_f64()?,
        fix.get(1).as_f64()?,
        fix.get(2).as_f64()?,
    ))
}

#[cfg(not(feature = "hydrate"))]
pub async fn current_position() -> Option<(f64, f64, f64)> {
    None
}

/// The photo as base64 JPEG, its longest side at most 1600 px: a phone
/// camera's 4–12 MB original would take minutes on a slow uplink.
#[cfg(feature = "hydrate")]
pub async fn photo_as_jpeg_base64(file: web_sys::File) -> Result<String, AppError> {
    use wasm_bindgen::{JsCast, JsValue};

    let unreadable = |_: JsValue| AppError::InvalidInput {
        field: "photo".into(),
        message: "the photo could not be read as an image".into(),
        problem: None,
    };
    let url = web_sys::Url::create_object_url_with_blob(&file).map_err(unreadable)?;
    let image = web_sys::HtmlImageElement::new().map_err(unreadable)?;
    image.set_src(&url);
    let decoded = wasm_bindgen_futures::JsFuture::from(image.decode()).await;
    let _ = web_sys::Url::revoke_object_url(&url);
    decoded.map_err(unreadable)?;
    let (width, height) = (
        f64::from(image.natural_width()),
        f64::from(image.natural_height()),
    );
    let scale = (PHOTO_MAX_SIDE / width.max(height).max(1.0)).min(1.0);
    let (width, height) = ((width * scale).round(), (height * scale).round());
    let canvas: web_sys::HtmlCanvasElement = leptos::prelude::document()
        .create_element("canvas")
        .map_err(unreadable)?
        .unchecked_into();
    canvas.set_width(width as u32);
    canvas.set_height(height as u32);
    let context: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(unreadable)?
        .ok_or_else(|| unreadable(JsValue::NULL))?
        .unchecked_into();
    context
        .draw_image_with_html_image_element_and_dw_and_dh(&image, 0.0, 0.0, width, height)
        .map_err(unreadable)?;
    let data_url = canvas
        .to_data_url_with_type_and_encoder_options("image/jpeg", &JsValue::from_f64(0.8))
        .map_err(unreadable)?;
    data_url
        .split_once(',')
        .map(|(_, base64)| base64.to_string())
        .ok_or_else(|| unreadable(JsValue::NULL))
}
