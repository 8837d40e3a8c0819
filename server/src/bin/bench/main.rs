//! `bench`: the performance harness, through `scripts/bench.sh`.
//!
//! - `bench pages`: what a phone downloads for the first page of the release
//!   site (the HTML and every CSS/JS/WASM file it references), raw and
//!   brotli-compressed. Needs the release site (`bench.sh` builds it).
//! - `bench dashboard [--visits 100000,1000000] [--engines sqlite,postgres]`:
//!   the dashboard for one month on generated histories, next to a bare
//!   full scan of the visits table.
//! - `bench load [--engines sqlite,postgres] [--technicians 50] [--dispatchers 5]
//!   [--rates 100,200] [--seconds 20] [--fault-seconds 20] [--kill-every-ms 2000]`:
//!   technicians and dispatchers against real server processes, per engine,
//!   with the raw insert rate and the fault run (server/src/load).
//! - `bench phone`: the phone budget: the technician's today page in
//!   Chromium over an emulated Slow 4G link with the CPU slowed 4x, first
//!   load and return visit, against the targets (server/src/bin/bench/phone.rs).
//! - `bench sync`: the sync after a dead zone: a whole visit done offline in
//!   Chromium, then the network back over the same emulated link, three
//!   times; the time until everything is on the server and the kit is
//!   fetched again, and the requests it took (server/src/bin/bench/sync.rs).
//! - `bench plan [--iterations N] [--generations N]`: the day planner
//!   against the obvious plan on the fixed synthetic city, seeds 1 to 5,
//!   with its targets, and against vrp-core when built with the `vrp-core`
//!   feature (server/src/bin/bench/plan.rs).
//! - `bench` alone runs pages and dashboard.

mod dashboard;
mod load;
mod phone;
mod plan;
#[cfg(feature = "vrp-core")]
mod plan_vrp;
mod sync;

use std::io::Write;

use app::zone::ServiceZone;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use leptos::prelude::LeptosOptions;
use server::config::DatabaseUrl;
use server::http::{router, AppState};
use tower::ServiceExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let what = args.first().map(String::as_str).unwrap_or("all");
    let option = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let pg_url = std::env::var("DOORSTEP_BENCH_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let engines = option("--engines")
        .unwrap_or_else(|| "sqlite,postgres".into())
        .split(',')
        .map(|name| match name.trim() {
            "sqlite" => Ok(dashboard::Engine {
                name: "SQLite",
                postgres_admin_url: None,
            }),
            "postgres" => Ok(dashboard::Engine {
                name: "PostgreSQL",
                postgres_admin_url: Some(pg_url.clone()),
            }),
            other => Err(format!("--engines: unknown engine {other:?}")),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let count = |name: &str, default: u64, least: u64| -> Result<u64, String> {
        match option(name) {
            None => Ok(default),
            Some(text) => match text.trim().parse::<u64>() {
                Ok(n) if n >= least => Ok(n),
                _ => Err(format!(
                    "{name} takes a whole number of at least {least}, not {text:?}"
                )),
            },
        }
    };
    match what {
        "pages" => pages().await,
        "phone" => phone::run().await,
        "sync" => sync::run().await,
        "plan" => plan::run(
            match option("--iterations") {
                None => None,
                Some(_) => Some(count("--iterations", 0, 1)? as u32),
            },
            match option("--generations") {
                None => None,
                Some(_) => Some(count("--generations", 0, 1)? as usize),
            },
        ),
        "load" => {
            let rates = option("--rates")
                .unwrap_or_else(|| "100,200".into())
                .split(',')
                .map(|n| match n.trim().parse::<f64>() {
                    Ok(rate) if rate > 0.0 && rate <= 10_000.0 => Ok(rate),
                    _ => Err(format!("--rates takes operations per second (1 to 10000) separated by commas, not {n:?}")),
                })
                .collect::<Result<Vec<_>, _>>()?;
            let settings = load::Settings {
                technicians: count("--technicians", 50, 1)? as usize,
                dispatchers: count("--dispatchers", 5, 0)? as usize,
                rates,
                seconds: count("--seconds", 20, 1)?,
                fault_seconds: count("--fault-seconds", 20, 1)?,
                kill_every_ms: count("--kill-every-ms", 2000, 200)?,
            };
            load::run(&settings, &engines).await
        }
        "dashboard" | "all" => {
            if what == "all" {
                pages().await?;
                println!();
            }
            let visits: Vec<i64> = option("--visits")
                .unwrap_or_else(|| "100000,1000000".into())
                .split(',')
                .map(|n| n.trim().parse::<i64>())
                .collect::<Result<_, _>>()
                .map_err(|e| format!("--visits takes counts separated by commas: {e}"))?;
            if visits.iter().any(|&n| n < 10) {
                return Err("--visits: at least 10 visits".into());
            }
            dashboard::run(&visits, &engines).await
        }
        other => Err(
            format!("unknown benchmark {other:?}: pages, phone, sync, dashboard, load, plan, or nothing for pages and dashboard").into(),
        ),
    }
}

async fn pages() -> Result<(), Box<dyn std::error::Error>> {
    let site_root = std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into());
    if !std::path::Path::new(&site_root).join("pkg").exists() {
        return Err(format!(
            "no release site at {site_root}/pkg: run `cargo leptos build --release` first (scripts/bench.sh does)"
        )
        .into());
    }
    let scratch = std::env::temp_dir().join(format!("doorstep-bench-{}", std::process::id()));
    let database = DatabaseUrl::parse(&format!("sqlite://{}/bench.db", scratch.display()))?;
    let pool = server::db::connect(&database).await?;
    server::db::migrate(&pool).await?;
    let store = app::store::Store::new(pool);
    let seeding = std::time::Instant::now();
    let seeded = server::demo::seed_if_empty(
        &store,
        ServiceZone::DEFAULT,
        server::demo::History::SIX_MONTHS,
    )
    .await?;
    println!(
        "demo database (SQLite, one transaction): {} past work orders and {} of today's visits written in {:.2} s",
        seeded.history_orders,
        seeded.visits,
        seeding.elapsed().as_secs_f64()
    );
    let app = router(AppState {
        leptos_options: LeptosOptions::builder()
            .output_name("doorstep")
            .site_root(site_root.clone())
            .build(),
        store: store.clone(),
        service_zone: ServiceZone::DEFAULT,
        cookie_security: app::auth::CookieSecurity::default(),
        limits: server::http::hardening::RequestLimits::default(),
        clients: server::http::client_address::ClientLimits::default(),
    });

    // The page a technician opens all day: "today", signed in.
    let session = log_in(&app, "tech.wang").await?;
    let html = fetch(&app, "/", Some(&session)).await?;
    let mut rows = vec![("/ (HTML)".to_string(), html.clone())];
    for path in referenced_assets(&String::from_utf8_lossy(&html)) {
        let body = fetch(&app, &path, None).await?;
        rows.push((path, body));
    }

    println!("first page of the release site ({site_root}): today, signed in as tech.wang; brotli quality 11");
    println!("{:<34} {:>12} {:>14}", "file", "raw bytes", "brotli bytes");
    let (mut total_raw, mut total_br) = (0usize, 0usize);
    for (name, body) in &rows {
        let compressed = brotli_size(body)?;
        total_raw += body.len();
        total_br += compressed;
        println!("{name:<34} {:>12} {:>14}", body.len(), compressed);
    }
    println!("{:<34} {:>12} {:>14}", "total", total_raw, total_br);
    println!("first_page_brotli_kb={:.1}", total_br as f64 / 1024.0);

    store.pool().close().await;
    let _ = std::fs::remove_dir_all(scratch);
    Ok(())
}

async fn log_in(app: &axum::Router, login: &str) -> Result<String, Box<dyn std::error::Error>> {
    let request = Request::post("/api/auth/login")
        .header("host", "bench.local")
        .header("origin", "http://bench.local")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .body(Body::from(format!(
            "login={login}&password={}",
            server::demo::DEMO_PASSWORD
        )))?;
    let response = app.clone().oneshot(request).await?;
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|c| c.strip_prefix("doorstep_session="))
        .and_then(|c| c.split(';').next())
        .map(str::to_string);
    cookie.ok_or_else(|| format!("demo login failed: {}", response.status()).into())
}

async fn fetch(
    app: &axum::Router,
    path: &str,
    session: Option<&str>,
) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    use http_body_util::BodyExt;
    let mut request = Request::get(path);
    if let Some(token) = session {
        request = request.header("cookie", format!("doorstep_session={token}"));
    }
    let response = app.clone().oneshot(request.body(Body::empty())?).await?;
    if response.status() != StatusCode::OK {
        return Err(format!("GET {path} answered {}", response.status()).into());
    }
    Ok(response.into_body().collect().await?.to_bytes().to_vec())
}

/// Every `/pkg/…` CSS, JS or WASM file the HTML names in an attribute or an
/// inline import, each once, in order of appearance.
fn referenced_assets(html: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("/pkg/") {
        let tail = &rest[start..];
        let end = tail
            .find(|c: char| c == '"' || c == '\'' || c == ')' || c.is_whitespace())
            .unwrap_or(tail.len());
        let path = &tail[..end];
        let wanted = [".css", ".js", ".wasm"]
            .iter()
            .any(|ext| path.ends_with(ext));
        if wanted && !found.iter().any(|p| p == path) {
            found.push(path.to_string());
        }
        rest = &tail[end..];
    }
    found
}

fn brotli_size(body: &[u8]) -> std::io::Result<usize> {
    let mut output = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut output, 4096, 11, 22);
        writer.write_all(body)?;
    }
    Ok(output.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_asset_once() {
        let html = r#"<link rel="stylesheet" href="/pkg/doorstep.css"><link rel="modulepreload" href="/pkg/doorstep.js">
            <link rel="preload" href="/pkg/doorstep_bg.wasm" as="fetch"><script type="module">import('/pkg/doorstep.js')</script>
            <link rel="manifest" href="/manifest.webmanifest">"#;
        assert_eq!(
            referenced_assets(html),
            [
                "/pkg/doorstep.css",
                "/pkg/doorstep.js",
                "/pkg/doorstep_bg.wasm"
            ]
        );
    }

    #[test]
    fn brotli_shrinks_repetitive_text() {
        let body = "今日工单 ".repeat(1000);
        let size = brotli_size(body.as_bytes()).unwrap();
        assert!(size > 0 && size < body.len() / 10, "{size}");
    }
}
