//! The content security policy: a page may run the app's own files and the
//! inline scripts this response wrote (Leptos's hydration start and the
//! service worker's registration, which carry the response's nonce), and
//! nothing else. Built here because the page's nonce is known only while
//! the page renders; the server's header middleware gives every other
//! response `OTHER_RESPONSES_POLICY`.

/// The directives every policy ends with: no plugins, no other base, forms
/// post here only, never framed.
macro_rules! closing_directives {
    () => {
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    };
}

/// The policy of a page rendered with this nonce.
pub fn page_policy(nonce: &str) -> String {
    format!(
        concat!(
            "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; ",
            "style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; ",
            "worker-src 'self'; manifest-src 'self'; ",
            closing_directives!()
        ),
        nonce = nonce
    )
}

/// Every response that is not a page: the app's files, JSON, the service
/// worker (which fetches from this origin only), photos.
pub const OTHER_RESPONSES_POLICY: &str = concat!(
    "default-src 'self'; script-src 'self'; ",
    closing_directives!()
);

/// Puts the page's policy on the response being rendered. Called by the
/// shell, on the server, once per page.
pub fn set_page_policy() {
    use leptos::prelude::use_context;
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    if let Ok(value) = http::HeaderValue::from_str(&page_policy(&nonce)) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_runs_only_its_own_files_and_scripts_with_its_nonce() {
        let policy = page_policy("abc123");
        let directive = |name: &str| {
            policy
                .split(';')
                .map(str::trim)
                .find(|d| d.starts_with(&format!("{name} ")))
                .unwrap_or_else(|| panic!("no {name} in {policy}"))
                .to_string()
        };
        assert_eq!(
            directive("script-src"),
            "script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval'"
        );
        assert_eq!(directive("frame-ancestors"), "frame-ancestors 'none'");
        assert_eq!(directive("object-src"), "object-src 'none'");
        assert!(!policy.contains("unsafe-inline"), "{policy}");
        assert!(
            !OTHER_RESPONSES_POLICY.contains("unsafe"),
            "{OTHER_RESPONSES_POLICY}"
        );
    }
}
