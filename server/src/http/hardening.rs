//! What every response carries and every request is held to: security
//! headers, a cap on request bodies, and a cap on requests in progress,
//! beyond which the server answers 503 with Retry-After at once instead of
//! letting requests queue until they time out (the phone's outbox sends
//! again after the time it is given).

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use app::api::error::AppError;

/// The largest request body taken: a whole photo sent at once as base64
/// (`MAX_PHOTO_BYTES` is 1.5 MB, 2 MB as base64) with room for the form
/// around it.
pub const MAX_BODY_BYTES: usize = 3 * 1024 * 1024;

/// Requests one process works on at once before it turns more away.
pub const DEFAULT_MAX_REQUESTS_IN_PROGRESS: usize = 512;

/// Seconds a client is told to wait after a 503.
pub const RETRY_AFTER_SECONDS: u32 = 2;

/// A request body from which no byte arrives for this long is cut off. Not
/// a limit on the whole body: a 3 MiB photo on a 750 kbps uplink takes
/// about 34 s, arriving all the while.
pub const BODY_IDLE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestLimits {
    pub max_body_bytes: usize,
    pub max_in_progress: usize,
    pub body_idle_timeout: std::time::Duration,
}

impl Default for RequestLimits {
    fn default() -> Self {
        RequestLimits {
            max_body_bytes: MAX_BODY_BYTES,
            max_in_progress: DEFAULT_MAX_REQUESTS_IN_PROGRESS,
            body_idle_timeout: BODY_IDLE_TIMEOUT,
        }
    }
}

/// Headers for every response.
pub async fn security_headers(
    State(https): State<HttpsOnly>,
    request: Request,
    next: Next,
) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    // Answers and pages carry people's data: no shared cache (a proxy, a
    // family computer's disk cache) keeps them. The site's own files keep
    // their caching; the service worker keeps on purpose what it keeps.
    let is_page = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    if (is_api || is_page) && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    let mut set = |name: HeaderName, value: &'static str| {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    };
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::X_FRAME_OPTIONS, "DENY");
    // Same-origin requests keep their Referer: the cross-site guard reads it
    // when a browser sends no Origin.
    set(header::REFERRER_POLICY, "same-origin");
    // A page brought its own policy, with its nonce (`app::security`).
    set(
        header::CONTENT_SECURITY_POLICY,
        app::security::OTHER_RESPONSES_POLICY,
    );
    set(
        HeaderName::from_static("permissions-policy"),
        "camera=(self), geolocation=(self), microphone=(), payment=()",
    );
    if https.0 {
        set(
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    response
}

/// Pages, server-function answers and exports compressed on the fly for a
/// browser that takes brotli or gzip. The site's own files are compressed
/// once at build time (`cargo leptos build --release --precompress --split`) and sent as they
/// are; images and the desk's event stream are left alone (the default
/// predicate). Brotli at quality 5: most of quality 11's gain on HTML and
/// JSON at a small part of its time.
pub fn compression() -> tower_http::compression::CompressionLayer {
    tower_http::compression::CompressionLayer::new()
        .br(true)
        .gzip(true)
        .quality(tower_http::CompressionLevel::Precise(5))
}

/// Whether users reach the site over HTTPS (then browsers are told to keep
/// to it).
#[derive(Clone, Copy, Debug)]
pub struct HttpsOnly(pub bool);

/// One limit on request bodies, one answer: 413 in the app's own error
/// encoding. A body declared larger (Content-Length, or a body already
/// whole) is refused before anything reads it; one that turns out larger
/// while it is read (chunked) is cut at the limit, and whatever the handler
/// made of the cut body (a server function answers 400 for a body it could
/// not read) is replaced by the same 413. axum's own default limit (2 MiB,
/// applied where a handler collects the body) is lifted on the router, so
/// this is the only one.
pub async fn limit_body(
    State(limits): State<RequestLimits>,
    request: Request,
    next: Next,
) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    // A body whose size is known in advance (by its header, or because it
    // is already whole) is measured before anything reads it.
    let known = declared.or_else(|| {
        use axum::body::HttpBody;
        request
            .body()
            .size_hint()
            .exact()
            .and_then(|n| usize::try_from(n).ok())
    });
    if known.is_some_and(|length| length > limits.max_body_bytes) {
        return too_large(limits.max_body_bytes);
    }
    let (parts, body) = request.into_parts();
    let cut = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let limited = CutAtLimit {
        inner: http_body_util::Limited::new(body, limits.max_body_bytes),
        cut: cut.clone(),
    };
    let response = next
        .run(Request::from_parts(parts, Body::new(limited)))
        .await;
    if cut.load(std::sync::atomic::Ordering::Acquire) {
        tracing::info!("request body over the limit while being read: refused");
        return too_large(limits.max_body_bytes);
    }
    response
}

/// A body limited in size that remembers whether the limit cut it.
struct CutAtLimit {
    inner: http_body_util::Limited<Body>,
    cut: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl axum::body::HttpBody for CutAtLimit {
    type Data = Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        let polled = std::pin::Pin::new(&mut self.inner).poll_frame(cx);
        if let std::task::Poll::Ready(Some(Err(error))) = &polled {
            if error.is::<http_body_util::LengthLimitError>() {
                self.cut.store(true, std::sync::atomic::Ordering::Release);
            }
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// Answered in the server functions' own error encoding, so the app reads
/// it as a typed error (the outbox keeps the change and says why).
fn too_large(max: usize) -> Response {
    app_error_response(&AppError::TooLarge {
        max_bytes: max as u64,
    })
}

/// The requests in progress, counted; past the limit, 503 at once.
#[derive(Clone)]
pub struct InProgress {
    slots: std::sync::Arc<tokio::sync::Semaphore>,
}

impl InProgress {
    pub fn new(limit: usize) -> InProgress {
        InProgress {
            slots: std::sync::Arc::new(tokio::sync::Semaphore::new(limit)),
        }
    }
}

pub async fn shed_load(
    State(in_progress): State<InProgress>,
    request: Request,
    next: Next,
) -> Response {
    let Ok(_slot) = in_progress.slots.clone().try_acquire_owned() else {
        tracing::warn!(path = %request.uri().path(), "overloaded: request turned away");
        return overloaded();
    };
    next.run(request).await
}

/// 503 with Retry-After, in the server functions' error encoding: the
/// phone's outbox reads `Busy` and waits that long before sending again.
pub fn overloaded() -> Response {
    let mut response = app_error_response(&AppError::Busy {
        retry_after_seconds: RETRY_AFTER_SECONDS,
    });
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS));
    response
}

/// The status comes from the one mapping, `AppError::status_code`.
fn app_error_response(error: &AppError) -> Response {
    let status =
        StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_string(error).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}
