//! `bench sync`: the sync after a dead zone. The release server runs on a
//! demo database; Debian's Chromium, driven by
//! `tests/perf/offline-sync.spec.ts`, does a whole visit of tech.wang's with
//! no network, then gets the network back over the emulated Slow 4G link
//! with the CPU slowed 4x, once for each of three demo visits, each on a
//! fresh phone. Printed: each run and the median, against the targets.

use std::collections::BTreeMap;
use std::process::Stdio;

use serde::Deserialize;

use crate::phone::{DemoServer, Profile};

const CONFIG: &str = "perf/sync.config.ts";

/// From the network's return until the changes are on the server and the
/// kit of visits has come down again.
pub const SYNC_BUDGET_MS: f64 = 1_500.0;
/// Requests that carry the changes of one offline visit.
pub const CHANGE_REQUEST_BUDGET: u32 = 2;
/// Kit fetches in one sync.
pub const KIT_FETCH_BUDGET: u32 = 1;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    customer: String,
    operations: u32,
    sent_ms: f64,
    synced_ms: f64,
    requests: BTreeMap<String, u32>,
    downloaded_bytes: u64,
    uploaded_bytes: u64,
}

impl Run {
    fn asked(&self, path: &str) -> u32 {
        self.requests.get(path).copied().unwrap_or(0)
    }

    /// Requests that carried changes, in batches or one by one.
    fn change_requests(&self) -> u32 {
        self.asked("/api/sync/apply_batch") + self.asked("/api/sync/apply")
    }
}

#[derive(Debug, Deserialize)]
struct Measured {
    profile: Profile,
    device: String,
    runs: Vec<Run>,
}

pub async fn run() -> Result<(), Box<dyn std::error::Error>> {
    crate::phone::needs_site_and_playwright()?;
    let server = DemoServer::start("sync").await?;
    let out = server.scratch().join("sync.json");
    let output = tokio::process::Command::new("npx")
        .args(["playwright", "test", "-c", CONFIG])
        .current_dir("tests")
        .env("DOORSTEP_BENCH_SERVER", server.base())
        .env("DOORSTEP_BENCH_OUT", &out)
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .stdin(Stdio::null())
        .output()
        .await;
    let figures = std::fs::read(&out);
    server.stop().await;
    let output = output.map_err(|error| format!("cannot run npx playwright: {error}"))?;
    if !output.status.success() {
        eprintln!("{}", String::from_utf8_lossy(&output.stdout));
        eprintln!("{}", String::from_utf8_lossy(&output.stderr));
        return Err(format!("tests/{CONFIG} failed ({})", output.status).into());
    }
    let measured: Measured = serde_json::from_slice(&figures?)?;
    if measured.runs.is_empty() {
        return Err("the sync run measured nothing".into());
    }
    print(&measured);
    Ok(())
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn print(measured: &Measured) {
    let profile = &measured.profile;
    println!(
        "sync after a dead zone: a whole visit done offline (tech.wang, demo data), then the \
         network back; {} in Debian Chromium; link {:.0} ms round trip, {:.1} Mbps down, \
         {:.0} kbps up; CPU slowed {:.0}x",
        measured.device,
        profile.round_trip_ms,
        profile.down_bits_per_second / 1e6,
        profile.up_bits_per_second / 1e3,
        profile.cpu_slowdown
    );
    println!(
        "{:<10} {:>10} {:>14} {:>14} {:>16} {:>10} {:>12} {:>12}",
        "visit", "changes", "on server", "kit again", "change requests", "kit", "down", "up"
    );
    for run in &measured.runs {
        println!(
            "{:<10} {:>10} {:>11.0} ms {:>11.0} ms {:>16} {:>10} {:>9.1} KB {:>9.1} KB",
            run.customer,
            run.operations,
            run.sent_ms,
            run.synced_ms,
            run.change_requests(),
            run.asked("/api/sync/kit"),
            run.downloaded_bytes as f64 / 1024.0,
            run.uploaded_bytes as f64 / 1024.0,
        );
    }
    let synced = median(measured.runs.iter().map(|run| run.synced_ms).collect());
    let most_requests = measured
        .runs
        .iter()
        .map(Run::change_requests)
        .max()
        .unwrap_or(0);
    let most_kits = measured
        .runs
        .iter()
        .map(|run| run.asked("/api/sync/kit"))
        .max()
        .unwrap_or(0);
    let met = |ok: bool| if ok { "met" } else { "NOT met" };
    println!(
        "median until synced (changes on the server, kit again): {synced:.0} ms, under {SYNC_BUDGET_MS:.0} ms: {}",
        met(synced <= SYNC_BUDGET_MS)
    );
    println!(
        "most requests carrying one visit's changes: {most_requests}, at most {CHANGE_REQUEST_BUDGET}: {}",
        met(most_requests <= CHANGE_REQUEST_BUDGET)
    );
    println!(
        "most kit fetches in one sync: {most_kits}, at most {KIT_FETCH_BUDGET}: {}",
        met(most_kits <= KIT_FETCH_BUDGET)
    );
    println!("sync_median_ms={synced:.0} sync_change_requests={most_requests} sync_kit_fetches={most_kits}");
}
