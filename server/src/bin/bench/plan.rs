//! `bench plan`: the day planner against the obvious plan on the fixed
//! synthetic city (app::domain::planning::city), seeds 1 to 5, with the
//! targets: modelled travel at least 15% below the obvious plan's, at least
//! 95% of the visits reached inside their window, no hard rule broken, and
//! the planner done within 2 s.
//!
//! Built with the server's `vrp-core` feature (`scripts/bench.sh plan`
//! does), each seed is also solved by vrp-core for `--generations` and
//! judged the same way (server/src/bin/bench/plan_vrp.rs): a comparison,
//! not a target.

use std::time::{Duration, Instant};

use app::domain::planning::baseline::nearest_first;
use app::domain::planning::city::synthetic_city;
use app::domain::planning::solver::{plan, PlannerSettings};
use app::domain::planning::travel::ModelledTravel;
use app::domain::planning::violations;

const SEEDS: std::ops::RangeInclusive<u64> = 1..=5;
const TRAVEL_SAVING: f64 = 0.15;
const IN_WINDOW: f64 = 0.95;
const TIME_LIMIT: Duration = Duration::from_secs(2);

pub fn run(
    iterations: Option<u32>,
    generations: Option<usize>,
) -> Result<(), Box<dyn std::error::Error>> {
    let travel = ModelledTravel::default();
    let settings = PlannerSettings {
        iterations: iterations.unwrap_or(PlannerSettings::default().iterations),
        ..PlannerSettings::default()
    };
    println!(
        "day planner: {} technicians, {} visits in a {} km square; {} rounds of ruin and recreate",
        app::domain::planning::city::TECHNICIANS,
        app::domain::planning::city::VISITS,
        app::domain::planning::city::SIDE_KM,
        settings.iterations
    );
    println!(
        "{:>4}  {:>14} {:>10}  {:>14} {:>10} {:>8}  {:>10} {:>9}",
        "seed",
        "obvious km",
        "in window",
        "planner km",
        "in window",
        "saving",
        "violations",
        "time"
    );
    let mut missed = Vec::new();
    for seed in SEEDS {
        let city = synthetic_city(seed);
        let obvious = nearest_first(&city, &travel).summary(&city);
        let started = Instant::now();
        let planned = plan(&city, &travel, PlannerSettings { seed, ..settings });
        let took = started.elapsed();
        let broken = violations(&city, &planned, &travel);
        let ours = planned.summary(&city);
        let saving = 1.0 - ours.travel_m / obvious.travel_m;
        println!(
            "{seed:>4}  {:>14.1} {:>9.0}%  {:>14.1} {:>9.0}% {:>7.1}%  {:>10} {:>7.0} ms",
            obvious.travel_m / 1000.0,
            obvious.in_window_share() * 100.0,
            ours.travel_m / 1000.0,
            ours.in_window_share() * 100.0,
            saving * 100.0,
            broken.len(),
            took.as_secs_f64() * 1000.0
        );
        compare_with_vrp_core(&city, travel, obvious.travel_m, generations)?;
        if saving < TRAVEL_SAVING {
            missed.push(format!(
                "seed {seed}: travel only {:.1}% below the obvious plan",
                saving * 100.0
            ));
        }
        if ours.in_window_share() < IN_WINDOW {
            missed.push(format!(
                "seed {seed}: {:.0}% inside the window",
                ours.in_window_share() * 100.0
            ));
        }
        if !broken.is_empty() {
            missed.push(format!("seed {seed}: hard rules broken: {broken:?}"));
        }
        if took > TIME_LIMIT {
            missed.push(format!("seed {seed}: {:.2} s", took.as_secs_f64()));
        }
    }
    if missed.is_empty() {
        println!(
            "targets met on every seed: travel ≥{:.0}% below the obvious plan, ≥{:.0}% inside the window, no rule broken, ≤{} s",
            TRAVEL_SAVING * 100.0,
            IN_WINDOW * 100.0,
            TIME_LIMIT.as_secs()
        );
        Ok(())
    } else {
        Err(format!("targets missed:\n  {}", missed.join("\n  ")).into())
    }
}

#[cfg(feature = "vrp-core")]
fn compare_with_vrp_core(
    city: &app::domain::planning::PlanProblem,
    travel: ModelledTravel,
    obvious_m: f64,
    generations: Option<usize>,
) -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let solved = super::plan_vrp::plan(city, travel, generations.unwrap_or(3000))?;
    let took = started.elapsed();
    let broken = violations(city, &solved, &travel);
    let theirs = solved.summary(city);
    println!(
        "{:>4}  {:>14} {:>10}  {:>14.1} {:>9.0}% {:>7.1}%  {:>10} {:>7.0} ms",
        "vrp",
        "",
        "",
        theirs.travel_m / 1000.0,
        theirs.in_window_share() * 100.0,
        (1.0 - theirs.travel_m / obvious_m) * 100.0,
        broken.len(),
        took.as_secs_f64() * 1000.0
    );
    if !broken.is_empty() {
        println!("      vrp-core's plan breaks: {broken:?}");
    }
    Ok(())
}

#[cfg(not(feature = "vrp-core"))]
fn compare_with_vrp_core(
    _: &app::domain::planning::PlanProblem,
    _: ModelledTravel,
    _: f64,
    generations: Option<usize>,
) -> Result<(), Box<dyn std::error::Error>> {
    match generations {
        Some(_) => Err("--generations needs the bench built with the server's vrp-core feature (scripts/bench.sh plan)".into()),
        None => Ok(()),
    }
}
