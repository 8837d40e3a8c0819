//! The phone's own store (IndexedDB), which outlives a closed page and a
//! new app version: the outbox, photos waiting to go up, and the visits
//! kept for working offline. Text values by key, in one object store.

#[cfg(feature = "hydrate")]
use wasm_bindgen::{closure::Closure, JsCast, JsValue};

#[cfg(feature = "hydrate")]
const DATABASE: &str = "doorstep";
#[cfg(feature = "hydrate")]
const KEPT: &str = "kept";

/// What the phone keeps, by key.
pub mod keys {
    pub const OUTBOX: &str = "outbox";
    pub const DAYS: &str = "days";
    /// The version of the offline kit whose visits and days are kept.
    pub const KIT_VERSION: &str = "kit-version";
    pub fn visit(visit_id: &str) -> String {
        format!("visit:{visit_id}")
    }
    pub fn photo(photo_id: &str) -> String {
        format!("photo:{photo_id}")
    }
}

#[cfg(feature = "hydrate")]
thread_local! {
    static OPENED: std::cell::RefCell<Option<web_sys::IdbDatabase>> = const { std::cell::RefCell::new(None) };
}

/// Waits for an IndexedDB request: its result, or its error.
#[cfg(feature = "hydrate")]
async fn finished(request: &web_sys::IdbRequest) -> Result<JsValue, JsValue> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let on_success = Closure::once_into_js(move |event: web_sys::Event| {
            let result = event
                .target()
                .and_then(|target| target.dyn_into::<web_sys::IdbRequest>().ok())
                .and_then(|request| request.result().ok())
                .unwrap_or(JsValue::UNDEFINED);
            let _ = resolve.call1(&JsValue::NULL, &result);
        });
        let on_error = Closure::once_into_js(move |event: web_sys::Event| {
            let _ = reject.call1(&JsValue::NULL, &event);
        });
        request.set_onsuccess(Some(on_success.unchecked_ref()));
        request.set_onerror(Some(on_error.unchecked_ref()));
    });
    wasm_bindgen_futures::JsFuture::from(promise).await
}

#[cfg(feature = "hydrate")]
async fn database() -> Result<web_sys::IdbDatabase, JsValue> {
    if let Some(database) = OPENED.with(|opened| opened.borrow().clone()) {
        return Ok(database);
    }
    let factory = web_sys::window()
        .ok_or(JsValue::NULL)?
        .indexed_db()?
        .ok_or_else(|| JsValue::from_str("no IndexedDB"))?;
    let request = factory.open_with_u32(DATABASE, 1)?;
    let on_upgrade = Closure::once_into_js(move |event: web_sys::IdbVersionChangeEvent| {
        if let Some(database) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::IdbOpenDbRequest>().ok())
            .and_then(|request| request.result().ok())
            .and_then(|result| result.dyn_into::<web_sys::IdbDatabase>().ok())
        {
            let _ = database.create_object_store(KEPT);
        }
    });
    request.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
    let database: web_sys::IdbDatabase = finished(&request).await?.dyn_into()?;
    OPENED.with(|opened| *opened.borrow_mut() = Some(database.clone()));
    Ok(database)
}

#[cfg(feature = "hydrate")]
fn kept(
    database: &web_sys::IdbDatabase,
    mode: web_sys::IdbTransactionMode,
) -> Result<(web_sys::IdbTransaction, web_sys::IdbObjectStore), JsValue> {
    let transaction = database.transaction_with_str_and_mode(KEPT, mode)?;
    let store = transaction.object_store(KEPT)?;
    Ok((transaction, store))
}

/// Waits until a write is on disk (the transaction completed).
#[cfg(feature = "hydrate")]
async fn committed(transaction: &web_sys::IdbTransaction) -> Result<(), JsValue> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let on_complete = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let reject_too = reject.clone();
        let on_error = Closure::once_into_js(move |event: web_sys::Event| {
            let _ = reject.call1(&JsValue::NULL, &event);
        });
        let on_abort = Closure::once_into_js(move |event: web_sys::Event| {
            let _ = reject_too.call1(&JsValue::NULL, &event);
        });
        transaction.set_oncomplete(Some(on_complete.unchecked_ref()));
        transaction.set_onerror(Some(on_error.unchecked_ref()));
        transaction.set_onabort(Some(on_abort.unchecked_ref()));
    });
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map(|_| ())
}

/// The text kept under `key`; None when nothing is, or the phone's store
/// can't be read (a private window may refuse it).
#[cfg(feature = "hydrate")]
pub async fn read(key: &str) -> Option<String> {
    let database = database().await.ok()?;
    let (_, store) = kept(&database, web_sys::IdbTransactionMode::Readonly).ok()?;
    let request = store.get(&JsValue::from_str(key)).ok()?;
    finished(&request).await.ok()?.as_string()
}

/// Keeps `value` under `key`; answers once it is on disk.
#[cfg(feature = "hydrate")]
pub async fn write(key: &str, value: &str) -> Result<(), String> {
    let described = |error: JsValue| format!("{error:?}");
    let database = database().await.map_err(described)?;
    let (transaction, store) =
        kept(&database, web_sys::IdbTransactionMode::Readwrite).map_err(described)?;
    store
        .put_with_key(&JsValue::from_str(value), &JsValue::from_str(key))
        .map_err(described)?;
    committed(&transaction).await.map_err(described)
}

#[cfg(feature = "hydrate")]
pub async fn remove(key: &str) -> Result<(), String> {
    let described = |error: JsValue| format!("{error:?}");
    let database = database().await.map_err(described)?;
    let (transaction, store) =
        kept(&database, web_sys::IdbTransactionMode::Readwrite).map_err(described)?;
    store.delete(&JsValue::from_str(key)).map_err(described)?;
    committed(&transaction).await.map_err(described)
}

/// Drops everything kept: at logout, so the next person on the phone finds
/// nothing of the last one's customers.
#[cfg(feature = "hydrate")]
pub async fn clear() -> Result<(), String> {
    let described = |error: JsValue| format!("{error:?}");
    let database = database().await.map_err(described)?;
    let (transaction, store) =
        kept(&database, web_sys::IdbTransactionMode::Readwrite).map_err(described)?;
    store.clear().map_err(described)?;
    committed(&transaction).await.map_err(described)
}
