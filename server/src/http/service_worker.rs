//! `/sw.js`, the service worker that keeps the app shell on the phone so the
//! app opens and reloads with no network (`service_worker.js`). The script
//! carries the site's version, a digest of the files it keeps: a new build
//! changes it, and the browser installs the new worker.

use std::path::Path;

use axum::http::header;
use axum::response::IntoResponse;
use leptos::prelude::LeptosOptions;
use sha2::{Digest, Sha256};

const SCRIPT: &str = include_str!("service_worker.js");

/// The worker's text for this site: every file at the top of the site root
/// (manifest, icons) and in its package folder (JS, WASM, CSS), and their
/// digest. Read once, when the routes are made.
pub fn script(options: &LeptosOptions) -> String {
    let root = Path::new(options.site_root.as_ref());
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for (folder, prefix) in [
        (root.to_path_buf(), "/".to_string()),
        (
            root.join(options.site_pkg_dir.as_ref()),
            format!("/{}/", options.site_pkg_dir),
        ),
    ] {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            tracing::warn!(folder = %folder.display(), "site folder missing: the service worker keeps nothing from it");
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_file() && !name.starts_with('.') {
                if let Ok(bytes) = std::fs::read(&path) {
                    files.push((format!("{prefix}{name}"), bytes));
                }
            }
        }
    }
    files.sort();
    let mut digest = Sha256::new();
    for (url, bytes) in &files {
        digest.update(url.as_bytes());
        digest.update((bytes.len() as u64).to_le_bytes());
        digest.update(bytes);
    }
    let version: String = digest
        .finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect();
    let urls: Vec<&str> = files.iter().map(|(url, _)| url.as_str()).collect();
    SCRIPT.replace("__SITE_VERSION__", &version).replace(
        "__SHELL_FILES__",
        &serde_json::to_string(&urls).unwrap_or_else(|_| "[]".into()),
    )
}

/// Answers the worker; never cached by HTTP, so a new version is found on
/// the next check.
pub fn response(script: &str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        script.to_string(),
    )
}
