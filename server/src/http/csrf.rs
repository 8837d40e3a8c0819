//! Cross-site request refusal for every state-changing request: the browser
//! must say the request comes from this site (Sec-Fetch-Site, else Origin or
//! Referer matching Host). Together with SameSite cookies this keeps another
//! site from acting with a signed-in technician's session.

use axum::extract::Request;
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::HttpError;

pub async fn refuse_cross_site(request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    match check_same_origin(request.headers()) {
        Ok(()) => next.run(request).await,
        Err(reason) => {
            tracing::warn!(reason, path = %request.uri().path(), "cross-site request refused");
            HttpError::CrossSiteRequest.into_response()
        }
    }
}

pub fn check_same_origin(headers: &HeaderMap) -> Result<(), &'static str> {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text(header::HeaderName::from_static("sec-fetch-site")) {
        if !matches!(site, "same-origin" | "none") {
            return Err("Sec-Fetch-Site is not same-origin");
        }
    }
    let host = text(header::HOST).ok_or("no Host header")?;
    let source = text(header::ORIGIN)
        .or_else(|| text(header::REFERER))
        .ok_or("neither Origin nor Referer")?;
    let authority = source
        .strip_prefix("https://")
        .or_else(|| source.strip_prefix("http://"))
        .ok_or("Origin is not an http(s) URL")?
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    if authority.eq_ignore_ascii_case(host) {
        Ok(())
    } else {
        Err("Origin does not match Host")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn same_origin_requests_pass() {
        assert_eq!(
            check_same_origin(&headers(&[
                ("host", "127.0.0.1:3000"),
                ("origin", "http://127.0.0.1:3000")
            ])),
            Ok(())
        );
        assert_eq!(
            check_same_origin(&headers(&[
                ("host", "doorstep.example"),
                ("referer", "https://doorstep.example/login?x=1")
            ])),
            Ok(())
        );
        assert_eq!(
            check_same_origin(&headers(&[
                ("host", "a.test"),
                ("origin", "https://a.test"),
                ("sec-fetch-site", "same-origin")
            ])),
            Ok(())
        );
    }

    #[test]
    fn cross_site_and_unlabelled_requests_are_refused() {
        assert!(check_same_origin(&headers(&[
            ("host", "a.test"),
            ("origin", "https://evil.test")
        ]))
        .is_err());
        assert!(check_same_origin(&headers(&[
            ("host", "a.test"),
            ("origin", "https://a.test.evil.test")
        ]))
        .is_err());
        assert!(check_same_origin(&headers(&[("host", "a.test"), ("origin", "null")])).is_err());
        assert!(check_same_origin(&headers(&[("host", "a.test")])).is_err());
        assert!(check_same_origin(&headers(&[
            ("host", "a.test"),
            ("origin", "https://a.test"),
            ("sec-fetch-site", "cross-site")
        ]))
        .is_err());
        assert!(check_same_origin(&headers(&[("origin", "https://a.test")])).is_err());
    }
}
