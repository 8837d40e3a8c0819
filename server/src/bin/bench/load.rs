//! `bench load`: technicians syncing and dispatchers watching, against real
//! server processes, per engine: the operations acknowledged per second and
//! their latency at a fixed offered load, next to the engine's raw insert
//! rate measured in the same run; then the fault run (two processes, one
//! killed with SIGKILL every few seconds) and what the database holds after.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::store::Store;
use server::load::{LoadPlan, LoadReport};

use crate::dashboard::{fresh_database, Engine};

pub struct Settings {
    pub technicians: usize,
    pub dispatchers: usize,
    pub rates: Vec<f64>,
    pub seconds: u64,
    pub fault_seconds: u64,
    pub kill_every_ms: u64,
}

pub(crate) fn server_binary() -> Result<PathBuf, Box<dyn std::error::Error>> {
    let binary = std::env::current_exe()?.with_file_name("server");
    if !binary.exists() {
        return Err(format!(
            "no server binary at {}: build it with `cargo build --release -p server --bin server` (scripts/bench.sh does)",
            binary.display()
        )
        .into());
    }
    Ok(binary)
}

const RAW_WRITERS: usize = 4;
const RAW_SECONDS: f64 = 3.0;

/// Single-row INSERTs, each its own transaction, from a few writers at once
/// over the server's own pool settings: what the engine takes at best.
async fn raw_insert_rate(store: &Store) -> Result<f64, Box<dyn std::error::Error>> {
    sqlx::query(
        "CREATE TABLE bench_raw_inserts (id TEXT PRIMARY KEY, payload TEXT NOT NULL, \
         at_ms BIGINT NOT NULL)",
    )
    .execute(store.pool())
    .await?;
    let written = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let until = started + Duration::from_secs_f64(RAW_SECONDS);
    let mut writers = Vec::new();
    for _ in 0..RAW_WRITERS {
        let pool = store.pool().clone();
        let written = written.clone();
        writers.push(tokio::spawn(async move {
            while Instant::now() < until {
                sqlx::query(
                    "INSERT INTO bench_raw_inserts (id, payload, at_ms) VALUES ($1, $2, $3)",
                )
                .bind(uuid::Uuid::now_v7().to_string())
                .bind("check_in")
                .bind(0_i64)
                .execute(&pool)
                .await?;
                written.fetch_add(1, Ordering::Relaxed);
            }
            Ok::<_, sqlx::Error>(())
        }));
    }
    for writer in writers {
        writer.await??;
    }
    Ok(written.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64())
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn print_load(engine: &str, rate: f64, raw: f64, report: &LoadReport) {
    println!(
        "{engine:<11} {rate:>8.0} {:>9.1} {:>8.1} {:>8.1} {:>10.0} {:>9} {:>7} {:>7.1} {:>7.1}",
        report.operations_per_second(),
        ms(report.latency_percentile(50.0)),
        ms(report.latency_percentile(99.0)),
        raw,
        report.check.lost,
        report.refused + report.unacknowledged,
        ms(report.board_percentile(50.0)),
        ms(report.board_percentile(99.0)),
    );
}

pub async fn run(
    settings: &Settings,
    engines: &[Engine],
) -> Result<(), Box<dyn std::error::Error>> {
    let binary = server_binary()?;
    println!(
        "load: {} technicians syncing through /api/sync/apply, {} dispatchers on the live board, \
         one server process, {} s offered per rate",
        settings.technicians, settings.dispatchers, settings.seconds
    );
    println!(
        "{:<11} {:>8} {:>9} {:>8} {:>8} {:>10} {:>9} {:>7} {:>7} {:>7}",
        "engine",
        "offered",
        "acked/s",
        "p50 ms",
        "p99 ms",
        "raw ins/s",
        "lost",
        "unacked",
        "board50",
        "board99"
    );
    println!(
        "(unacked: operations refused with a 4xx or never acknowledged; board50/99: board reloads, ms)"
    );
    let mut faults = Vec::new();
    for engine in engines {
        for &rate in &settings.rates {
            let (store, database, cleanup) = fresh_database(engine).await?;
            let raw = raw_insert_rate(&store).await?;
            let plan = LoadPlan {
                technicians: settings.technicians,
                dispatchers: settings.dispatchers,
                offered_per_second: rate,
                duration: Duration::from_secs(settings.seconds),
                processes: 1,
                kill_every: None,
            };
            let report = server::load::run(&store, database.url(), &binary, plan).await;
            store.pool().close().await;
            cleanup.run().await;
            let report = report?;
            if let Some(refusal) = &report.first_refusal {
                println!("  first refusal: {refusal}");
            }
            print_load(engine.name, rate, raw, &report);
        }
        let (store, database, cleanup) = fresh_database(engine).await?;
        let plan = LoadPlan {
            technicians: settings.technicians,
            dispatchers: settings.dispatchers,
            offered_per_second: settings.rates.first().copied().unwrap_or(50.0),
            duration: Duration::from_secs(settings.fault_seconds),
            processes: 2,
            kill_every: Some(Duration::from_millis(settings.kill_every_ms)),
        };
        let report = server::load::run(&store, database.url(), &binary, plan).await;
        store.pool().close().await;
        cleanup.run().await;
        faults.push((engine.name, report?));
    }
    println!();
    println!(
        "fault run: two server processes on one database, one killed with SIGKILL every {} ms and started again; {} s offered",
        settings.kill_every_ms, settings.fault_seconds
    );
    println!(
        "{:<11} {:>6} {:>13} {:>8} {:>6} {:>11} {:>8} {:>8} {:>9}",
        "engine",
        "kills",
        "acknowledged",
        "stored",
        "lost",
        "duplicated",
        "resends",
        "p99 ms",
        "unacked"
    );
    for (name, report) in &faults {
        println!(
            "{name:<11} {:>6} {:>13} {:>8} {:>6} {:>11} {:>8} {:>8.1} {:>9}",
            report.kills,
            report.check.acknowledged,
            report.check.stored,
            report.check.lost,
            report.check.duplicated,
            report.resends,
            ms(report.latency_percentile(99.0)),
            report.unacknowledged,
        );
        if let Some(refusal) = &report.first_refusal {
            println!("  first refusal: {refusal}");
        }
    }
    Ok(())
}
