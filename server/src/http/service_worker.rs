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
/// (manifest, icons) and the JS, WASM and CSS of its package folder, and
/// their digest. Read once, when the routes are made.
pub fn script(options: &LeptosOptions) -> String {
    script_for(
        Path::new(options.site_root.as_ref()),
        options.site_pkg_dir.as_ref(),
    )
}

fn script_for(root: &Path, pkg_dir: &str) -> String {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for (folder, prefix) in [
        (root.to_path_buf(), "/".to_string()),
        (root.join(pkg_dir), format!("/{pkg_dir}/")),
    ] {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            tracing::warn!(folder = %folder.display(), "site folder missing: the service worker keeps nothing from it");
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            // The .br and .gz twins of a release build are the same files,
            // sent compressed: the worker asks for the file itself.
            let compressed_twin = name.ends_with(".br") || name.ends_with(".gz");
            let served = !name.starts_with('.')
                && !compressed_twin
                && (prefix == "/"
                    || [".js", ".wasm", ".css"]
                        .iter()
                        .any(|kind| name.ends_with(kind)));
            if path.is_file() && served {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> std::path::PathBuf {
        let root = std::env::temp_dir().join(format!(
            "doorstep-sw-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        for (path, text) in files {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        root
    }

    fn version(script: &str) -> &str {
        let start = script.find("const VERSION = \"").unwrap() + 17;
        &script[start..start + 16]
    }

    #[test]
    fn the_worker_keeps_the_site_files_and_changes_version_with_them() {
        let files = [
            ("manifest.webmanifest", "{}"),
            ("icon-192.png", "png"),
            ("pkg/doorstep.js", "js"),
            ("pkg/doorstep.wasm", "wasm"),
            ("pkg/doorstep.css", "css"),
            ("pkg/doorstep.d.ts", "types"),
            ("pkg/doorstep.wasm.br", "compressed wasm"),
            ("pkg/doorstep.js.gz", "compressed js"),
            ("icon-192.png.br", "compressed png"),
            (".hidden", "x"),
        ];
        let root = site(&files);
        let script = script_for(&root, "pkg");
        assert!(script.contains(
            r#"const SHELL_FILES = ["/icon-192.png","/manifest.webmanifest","/pkg/doorstep.css","/pkg/doorstep.js","/pkg/doorstep.wasm"];"#
        ), "{script}");
        assert!(version(&script).chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(version(&script_for(&root, "pkg")), version(&script));

        std::fs::write(root.join("pkg/doorstep.wasm"), "new wasm").unwrap();
        assert_ne!(version(&script_for(&root, "pkg")), version(&script));
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn a_missing_site_keeps_nothing_but_still_answers() {
        let script = script_for(Path::new("/nonexistent/doorstep-site"), "pkg");
        assert!(script.contains("const SHELL_FILES = [];"));
        assert!(script.contains("addEventListener(\"fetch\""));
    }
}
