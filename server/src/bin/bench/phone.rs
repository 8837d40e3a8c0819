//! `bench phone`: the phone budget. The release server runs on a demo
//! database; Debian's Chromium, driven by `tests/perf/phone-budget.mjs`,
//! opens the technician's "today" page through an emulated Slow 4G link with
//! the CPU slowed 4x, first with nothing kept and then as a return visit.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use app::store::Store;
use app::zone::ServiceZone;
use serde::Deserialize;
use server::config::DatabaseUrl;
use server::load::processes::Fleet;

use crate::load::server_binary;

const SCRIPT: &str = "tests/perf/phone-budget.mjs";

/// The targets of issue 10, for a cheap phone on Slow 4G.
pub const FIRST_LOAD_BUDGET_BYTES: u64 = 150 * 1024;
pub const FIRST_LOAD_INTERACTIVE_BUDGET_MS: f64 = 3_000.0;
pub const RETURN_VISIT_INTERACTIVE_BUDGET_MS: f64 = 1_000.0;

/// The emulated phone, as `tests/perf/link.mjs` reports it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    pub round_trip_ms: f64,
    pub down_bits_per_second: f64,
    pub up_bits_per_second: f64,
    pub cpu_slowdown: f64,
}

/// The release site and Playwright, which the browser benches need.
pub fn needs_site_and_playwright() -> Result<(), Box<dyn std::error::Error>> {
    if !Path::new("target/site/pkg").exists() {
        return Err("no release site at target/site: run `cargo leptos build --release --precompress --split` first (scripts/bench.sh does)".into());
    }
    if !Path::new("tests/node_modules/@playwright/test").exists() {
        return Err("Playwright is not installed: run `scripts/install.sh --for-tests` (scripts/bench.sh does)".into());
    }
    Ok(())
}

/// The release server on a fresh SQLite file with the demo's data and six
/// months of history, for a browser to drive.
pub struct DemoServer {
    fleet: Fleet,
    scratch: PathBuf,
    base: String,
}

impl DemoServer {
    pub async fn start(name: &str) -> Result<DemoServer, Box<dyn std::error::Error>> {
        let binary = server_binary()?;
        let scratch = std::env::temp_dir().join(format!("doorstep-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&scratch)?;
        let url = format!("sqlite://{}/{name}.db", scratch.display());
        {
            let pool = server::db::connect(&DatabaseUrl::parse(&url)?).await?;
            server::db::migrate(&pool).await?;
            let store = Store::new(pool);
            server::demo::seed_if_empty(
                &store,
                ServiceZone::DEFAULT,
                server::demo::History::SIX_MONTHS,
            )
            .await?;
            store.pool().close().await;
        }
        let fleet = Fleet::start(&binary, &url, 1).await?;
        let base = format!("http://{}", fleet.addrs()[0]);
        Ok(DemoServer {
            fleet,
            scratch,
            base,
        })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// A directory of this run's own, removed with the server.
    pub fn scratch(&self) -> &Path {
        &self.scratch
    }

    pub async fn stop(mut self) {
        self.fleet.stop_all().await;
        let _ = std::fs::remove_dir_all(&self.scratch);
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Visit {
    pub downloaded_bytes: u64,
    pub downloaded_bytes_until_interactive: u64,
    pub uploaded_bytes: u64,
    pub first_contentful_paint_ms: Option<f64>,
    pub first_tap_handled_ms: f64,
    pub load_ms: Option<f64>,
    pub controlled_by_service_worker: bool,
    pub page_errors: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Measured {
    profile: Profile,
    device: String,
    first: Visit,
    returning: Visit,
}

pub async fn run() -> Result<(), Box<dyn std::error::Error>> {
    needs_site_and_playwright()?;
    let server = DemoServer::start("phone").await?;
    let output = tokio::process::Command::new("node")
        .arg(SCRIPT)
        .arg(server.base())
        .arg("tech.wang")
        .arg(server::demo::DEMO_PASSWORD)
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .await;
    server.stop().await;
    let output = output.map_err(|error| format!("cannot run node {SCRIPT}: {error}"))?;
    if !output.status.success() {
        return Err(format!("{SCRIPT} failed ({})", output.status).into());
    }
    let measured: Measured = serde_json::from_slice(&output.stdout).map_err(|error| {
        format!(
            "{SCRIPT} printed no figures ({error}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })?;
    print(&measured);
    for (name, visit) in [
        ("first load", &measured.first),
        ("return visit", &measured.returning),
    ] {
        if !visit.page_errors.is_empty() {
            return Err(format!("{name}: the page failed: {:?}", visit.page_errors).into());
        }
    }
    Ok(())
}

fn met(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "NOT met"
    }
}

fn print(measured: &Measured) {
    let profile = &measured.profile;
    println!(
        "phone budget: the technician's today page (tech.wang, demo data), {} in Debian Chromium; \
         link {:.0} ms round trip, {:.1} Mbps down, {:.0} kbps up; CPU slowed {:.0}x",
        measured.device,
        profile.round_trip_ms,
        profile.down_bits_per_second / 1e6,
        profile.up_bits_per_second / 1e3,
        profile.cpu_slowdown
    );
    let (first, returning) = (&measured.first, &measured.returning);
    let kb = |bytes: u64| format!("{:.1} KB", bytes as f64 / 1024.0);
    let ms = |value: Option<f64>| value.map_or("-".to_string(), |v| format!("{v:.0} ms"));
    println!(
        "{:<44} {:>14} {:>14}  target",
        "", "first load", "return visit"
    );
    println!(
        "{:<44} {:>14} {:>14}",
        "downloaded until the first tap was handled",
        kb(first.downloaded_bytes_until_interactive),
        kb(returning.downloaded_bytes_until_interactive),
    );
    println!(
        "{:<44} {:>14} {:>14}  under {} first load: {}",
        "downloaded in all (service worker's copy too)",
        kb(first.downloaded_bytes),
        kb(returning.downloaded_bytes),
        kb(FIRST_LOAD_BUDGET_BYTES),
        met(first.downloaded_bytes < FIRST_LOAD_BUDGET_BYTES)
    );
    println!(
        "{:<44} {:>14} {:>14}",
        "uploaded",
        kb(first.uploaded_bytes),
        kb(returning.uploaded_bytes)
    );
    println!(
        "{:<44} {:>14} {:>14}",
        "first contentful paint",
        ms(first.first_contentful_paint_ms),
        ms(returning.first_contentful_paint_ms)
    );
    println!(
        "{:<44} {:>14} {:>14}  under 3000 ms first load: {}; under 1000 ms return: {}",
        "first tap handled (interactive)",
        ms(Some(first.first_tap_handled_ms)),
        ms(Some(returning.first_tap_handled_ms)),
        met(first.first_tap_handled_ms < FIRST_LOAD_INTERACTIVE_BUDGET_MS),
        met(returning.first_tap_handled_ms < RETURN_VISIT_INTERACTIVE_BUDGET_MS)
    );
    println!(
        "{:<44} {:>14} {:>14}",
        "load event",
        ms(first.load_ms),
        ms(returning.load_ms)
    );
    println!(
        "{:<44} {:>14} {:>14}",
        "under the service worker once loaded",
        first.controlled_by_service_worker,
        returning.controlled_by_service_worker
    );
    println!(
        "phone_first_load_kb={:.1} phone_first_tap_ms={:.0} phone_return_tap_ms={:.0}",
        first.downloaded_bytes as f64 / 1024.0,
        first.first_tap_handled_ms,
        returning.first_tap_handled_ms
    );
}
