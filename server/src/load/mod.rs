//! The load generator: N technicians syncing their visits through the
//! outbox endpoint and M dispatchers watching their board, against real
//! server processes on loopback, at a fixed offered load and for a bounded
//! time. Optionally one process after another is killed with SIGKILL and
//! started again while the load runs. Afterwards the database is read to
//! check that every acknowledged operation is stored, once.
//!
//! Used by `bench load` / `bench fault` and, in a short version, by the
//! test suite (server/tests/scale_out.rs).

pub mod client;
pub mod processes;
pub mod seed;
mod verify;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::api::sync::{Change, SentOperation};
use app::domain::visit::VisitEvent;
use app::store::Store;
use tokio::sync::mpsc;

use self::client::{session_token, Connection};
use self::processes::Fleet;
pub use self::verify::Verification;
use crate::demo::DEMO_PASSWORD;

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("load run: {0}")]
    Setup(String),
    #[error(transparent)]
    Store(#[from] app::store::StoreError),
    #[error("load run data: {0}")]
    Validation(#[from] app::domain::validation::ValidationError),
    #[error("load run appointment: {0}")]
    Time(#[from] app::domain::time::TimeError),
}

#[derive(Clone, Debug)]
pub struct LoadPlan {
    pub technicians: usize,
    pub dispatchers: usize,
    /// Technician operations offered per second, all technicians together.
    pub offered_per_second: f64,
    /// How long new operations are offered.
    pub duration: Duration,
    /// Server processes behind the load, all on one database.
    pub processes: usize,
    /// Kill one process (in turn) with SIGKILL this often, and start it
    /// again at once.
    pub kill_every: Option<Duration>,
}

/// How long operations not yet acknowledged when the offering ends are
/// still retried, as a phone's outbox would.
const RETRY_GRACE: Duration = Duration::from_secs(60);

#[derive(Debug)]
pub struct LoadReport {
    pub plan: LoadPlan,
    /// Operations acknowledged by a server (applied, or held for the
    /// dispatcher), each counted once however often it was sent.
    pub acknowledged: u64,
    pub held: u64,
    /// Operations a server refused (a 4xx): none are expected.
    pub refused: u64,
    pub first_refusal: Option<String>,
    /// Operations still unacknowledged when the retries ran out.
    pub unacknowledged: u64,
    /// Sends beyond the first, after a broken connection or a 5xx.
    pub resends: u64,
    pub elapsed: Duration,
    /// From each operation's planned moment to its acknowledgement,
    /// resends included, sorted.
    pub latencies: Vec<Duration>,
    pub board_loads: u64,
    pub board_latencies: Vec<Duration>,
    /// Board events the dispatchers heard.
    pub board_events: u64,
    pub kills: u64,
    pub check: Verification,
}

impl LoadReport {
    pub fn operations_per_second(&self) -> f64 {
        self.acknowledged as f64 / self.elapsed.as_secs_f64().max(f64::EPSILON)
    }

    pub fn latency_percentile(&self, percent: f64) -> Duration {
        percentile(&self.latencies, percent)
    }

    pub fn board_percentile(&self, percent: f64) -> Duration {
        percentile(&self.board_latencies, percent)
    }
}

/// The value at `percent` of a sorted list (nearest rank), zero if empty.
pub fn percentile(sorted: &[Duration], percent: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((percent / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// An acknowledged operation, as the check afterwards looks for it.
#[derive(Clone, Debug)]
pub struct AckedOperation {
    pub operation_id: String,
    pub technician_login: String,
    pub visit_id: String,
    pub change: Change,
}

/// Setting off, checking in (with a position in Shanghai) and starting
/// work: how every visit begins on the phone.
pub fn arrival_steps() -> [Change; 3] {
    let step = |event| Change::Step {
        event,
        position: None,
    };
    [
        step(VisitEvent::SetOff),
        Change::Step {
            event: VisitEvent::CheckIn,
            position: Some((31.2304, 121.4737, 25.0)),
        },
        step(VisitEvent::StartWork),
    ]
}

/// The operations a technician sends for one visit, in the order a phone
/// makes them: on the way, at the door, the checklist items that need no
/// photo, a part, the call-out fee, the outcome, finished.
pub fn visit_operations() -> Vec<Change> {
    let mut changes = arrival_steps().to_vec();
    changes.extend(
        app::domain::checklist::default_template()
            .items
            .into_iter()
            .filter(|item| !item.photo_required)
            .map(|item| Change::Done { item_key: item.key }),
    );
    changes.extend([
        Change::Part {
            part_id: new_uuid(),
            code: "DRAIN-PUMP-01".into(),
            name: "排水泵".into(),
            quantity: "1".into(),
            unit_price_fen: "4500".into(),
            // The load's appliances may be in warranty: a priced part says why.
            charge_reason: "保修不含的易损件".into(),
        },
        Change::Fee {
            charge_id: new_uuid(),
            code: "VISIT".into(),
            quantity: "1".into(),
        },
        Change::Outcome {
            fixed: true,
            reason: String::new(),
            detail: String::new(),
        },
        Change::Step {
            event: VisitEvent::FinishWork,
            position: None,
        },
    ]);
    changes
}

/// The outbox endpoint's JSON body: its one argument, by name.
pub fn apply_body(operation: &SentOperation) -> String {
    serde_json::json!({ "operation": operation }).to_string()
}

fn new_uuid() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Runs the plan against `binary` (the server) on the database at
/// `database_url`, which `store` also opens; the database must be migrated
/// and empty of load-run accounts.
pub async fn run(
    store: &Store,
    database_url: &str,
    binary: &Path,
    plan: LoadPlan,
) -> Result<LoadReport, LoadError> {
    if plan.technicians == 0 || plan.processes == 0 || plan.offered_per_second <= 0.0 {
        return Err(LoadError::Setup(
            "a load run needs technicians, a server process and an offered rate".into(),
        ));
    }
    let per_technician = plan.offered_per_second / plan.technicians as f64;
    let operations_each = (per_technician * plan.duration.as_secs_f64()).ceil() as usize;
    let per_visit = visit_operations().len();
    let visits_each = operations_each.div_ceil(per_visit) + 1;
    let seeded = seed::seed(store, plan.technicians, plan.dispatchers, visits_each).await?;

    let mut fleet = Fleet::start(binary, database_url, plan.processes).await?;
    let addrs = fleet.addrs();
    let outcome = drive(&seeded, &addrs, &mut fleet, &plan, per_technician).await;
    fleet.stop_all().await;
    let (technicians, boards, kills, elapsed) = outcome?;

    let mut report = LoadReport {
        plan,
        acknowledged: 0,
        held: 0,
        refused: 0,
        first_refusal: None,
        unacknowledged: 0,
        resends: 0,
        elapsed,
        latencies: Vec::new(),
        board_loads: boards.loads.load(Ordering::Relaxed),
        board_latencies: Vec::new(),
        board_events: boards.events.load(Ordering::Relaxed),
        kills,
        check: Verification::default(),
    };
    let mut acked = Vec::new();
    for outcome in technicians {
        report.acknowledged += outcome.acked.len() as u64;
        report.held += outcome.held;
        report.refused += outcome.refused;
        report.first_refusal = report.first_refusal.take().or(outcome.first_refusal);
        report.unacknowledged += outcome.unacknowledged;
        report.resends += outcome.resends;
        report.latencies.extend(outcome.latencies);
        acked.extend(outcome.acked);
    }
    report.latencies.sort_unstable();
    report.board_latencies = boards
        .latencies
        .lock()
        .map(|l| l.clone())
        .unwrap_or_default();
    report.board_latencies.sort_unstable();
    report.check = verify::check(store, &acked).await?;
    Ok(report)
}

#[derive(Default)]
struct BoardCounters {
    loads: AtomicU64,
    events: AtomicU64,
    latencies: std::sync::Mutex<Vec<Duration>>,
}

type Driven = (Vec<TechnicianOutcome>, Arc<BoardCounters>, u64, Duration);

async fn drive(
    seeded: &seed::Seeded,
    addrs: &[SocketAddr],
    fleet: &mut Fleet,
    plan: &LoadPlan,
    per_technician: f64,
) -> Result<Driven, LoadError> {
    let mut technician_sessions = Vec::with_capacity(seeded.technicians.len());
    for (number, technician) in seeded.technicians.iter().enumerate() {
        technician_sessions.push(log_in(addrs, number, &technician.login).await?);
    }
    let mut dispatcher_sessions = Vec::with_capacity(seeded.dispatcher_logins.len());
    for (number, login) in seeded.dispatcher_logins.iter().enumerate() {
        dispatcher_sessions.push(log_in(addrs, number, login).await?);
    }

    let stop = Arc::new(AtomicBool::new(false));
    let boards = Arc::new(BoardCounters::default());
    let mut watchers = Vec::new();
    for (number, session) in dispatcher_sessions.into_iter().enumerate() {
        watchers.push(tokio::spawn(watch_board(
            addrs.to_vec(),
            number,
            session,
            stop.clone(),
            boards.clone(),
        )));
    }

    let started = Instant::now();
    let offering_ends = started + plan.duration;
    let interval = Duration::from_secs_f64(1.0 / per_technician);
    let mut players = Vec::new();
    for (number, (technician, session)) in seeded
        .technicians
        .iter()
        .zip(technician_sessions)
        .enumerate()
    {
        // Spread the technicians' first sends over one interval.
        let first = started + interval.mul_f64(number as f64 / seeded.technicians.len() as f64);
        players.push(tokio::spawn(play_technician(
            Technician {
                login: technician.login.clone(),
                session,
                visit_ids: technician.visit_ids.clone(),
                home: number,
            },
            addrs.to_vec(),
            first,
            interval,
            offering_ends,
        )));
    }

    // Kill one process after another while the technicians play.
    let mut kills = 0;
    let mut victim = 0;
    let all_played = async {
        let mut outcomes = Vec::with_capacity(players.len());
        for player in players {
            outcomes.push(player.await);
        }
        outcomes
    };
    tokio::pin!(all_played);
    let outcomes = loop {
        let pause = plan.kill_every.unwrap_or(Duration::from_secs(3600));
        tokio::select! {
            outcomes = &mut all_played => break outcomes,
            _ = tokio::time::sleep(pause), if plan.kill_every.is_some() => {
                fleet.kill(victim).await;
                kills += 1;
                fleet.restart(victim).await?;
                victim = (victim + 1) % fleet.processes.len();
            }
        }
    };
    let elapsed = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    for watcher in watchers {
        watcher.abort();
    }
    let outcomes = outcomes
        .into_iter()
        .map(|joined| joined.map_err(|error| LoadError::Setup(format!("a player failed: {error}"))))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((outcomes, boards, kills, elapsed))
}

/// Logs in on one of the processes (the others if it is away) and answers
/// the session token.
pub async fn log_in(addrs: &[SocketAddr], home: usize, login: &str) -> Result<String, LoadError> {
    let body = format!("login={login}&password={DEMO_PASSWORD}");
    let mut last = String::new();
    for attempt in 0..20 {
        let addr = addrs[(home + attempt) % addrs.len()];
        let answer = Connection::new(addr)
            .post(
                "/api/auth/login",
                "application/x-www-form-urlencoded",
                body.clone(),
                None,
            )
            .await;
        match answer {
            Ok(answer) if answer.status.is_success() => {
                return session_token(&answer.headers)
                    .ok_or_else(|| LoadError::Setup(format!("{login}: no session cookie")));
            }
            Ok(answer) => last = format!("{}: {}", answer.status, answer.body),
            Err(error) => last = error.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(LoadError::Setup(format!(
        "{login} could not log in: {last}"
    )))
}

struct Technician {
    login: String,
    session: String,
    visit_ids: Vec<String>,
    home: usize,
}

#[derive(Default)]
struct TechnicianOutcome {
    acked: Vec<AckedOperation>,
    held: u64,
    refused: u64,
    first_refusal: Option<String>,
    unacknowledged: u64,
    resends: u64,
    latencies: Vec<Duration>,
}

/// One technician's phone: operations made on schedule, sent in order, each
/// sent again (to the next process when the connection broke) until a
/// server acknowledges it, as the outbox does.
async fn play_technician(
    technician: Technician,
    addrs: Vec<SocketAddr>,
    first: Instant,
    interval: Duration,
    offering_ends: Instant,
) -> TechnicianOutcome {
    let mut outcome = TechnicianOutcome::default();
    let mut connections: Vec<Connection> = addrs.iter().map(|a| Connection::new(*a)).collect();
    let mut current = technician.home % connections.len();
    let mut planned = first;
    let mut queue: VecDeque<(String, Change)> = technician
        .visit_ids
        .iter()
        .flat_map(|visit| {
            visit_operations()
                .into_iter()
                .map(move |change| (visit.clone(), change))
        })
        .collect();
    let give_up = offering_ends + RETRY_GRACE;
    while planned < offering_ends {
        let Some((visit_id, change)) = queue.pop_front() else {
            break;
        };
        tokio::time::sleep_until(planned.into()).await;
        let made_at_ms = app::domain::time::Timestamp::now().unix_millis();
        let mut operation = SentOperation {
            operation_id: new_uuid(),
            made_at_ms,
            sent_at_ms: made_at_ms,
            visit_id: visit_id.clone(),
            change,
        };
        let mut sends = 0u64;
        loop {
            if Instant::now() > give_up {
                outcome.unacknowledged += 1;
                break;
            }
            sends += 1;
            operation.sent_at_ms = app::domain::time::Timestamp::now().unix_millis();
            let body = apply_body(&operation);
            let answer = connections[current]
                .post(
                    "/api/sync/apply",
                    "application/json",
                    body,
                    Some(&technician.session),
                )
                .await;
            match answer {
                Ok(answer) if answer.status.is_success() => {
                    outcome.latencies.push(planned.elapsed());
                    if answer.body.contains("Held") {
                        outcome.held += 1;
                    }
                    outcome.acked.push(AckedOperation {
                        operation_id: operation.operation_id.clone(),
                        technician_login: technician.login.clone(),
                        visit_id: visit_id.clone(),
                        change: operation.change.clone(),
                    });
                    break;
                }
                Ok(answer) if answer.status.is_client_error() => {
                    outcome.refused += 1;
                    outcome.first_refusal.get_or_insert_with(|| {
                        format!(
                            "{} {}: {} {}",
                            technician.login,
                            operation.change.kind(),
                            answer.status,
                            answer.body
                        )
                    });
                    break;
                }
                // A 5xx, or the connection broke: the same operation again,
                // to the next process.
                _ => {
                    current = (current + 1) % connections.len();
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }
        outcome.resends += sends.saturating_sub(1);
        planned += interval;
    }
    outcome
}

/// A dispatcher's board: listening to its live stream on one process (the
/// next one when the stream breaks) and reloading the board after each
/// event, as the desk page does.
async fn watch_board(
    addrs: Vec<SocketAddr>,
    home: usize,
    session: String,
    stop: Arc<AtomicBool>,
    counters: Arc<BoardCounters>,
) {
    let (events, mut heard) = mpsc::unbounded_channel::<()>();
    let listener = {
        let addrs = addrs.clone();
        let session = session.clone();
        let counters = counters.clone();
        let stop = stop.clone();
        tokio::spawn(async move {
            let mut current = home;
            while !stop.load(Ordering::Relaxed) {
                let addr = addrs[current % addrs.len()];
                let _ = client::listen_to_board(addr, &session, |_| {
                    counters.events.fetch_add(1, Ordering::Relaxed);
                    let _ = events.send(());
                })
                .await;
                // Reconnected: reload whole, as the page does.
                let _ = events.send(());
                current += 1;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
    };
    let mut connections: Vec<Connection> = addrs.iter().map(|a| Connection::new(*a)).collect();
    let mut current = home % connections.len();
    while heard.recv().await.is_some() {
        // Events that arrived meanwhile are covered by one reload.
        while heard.try_recv().is_ok() {}
        let started = Instant::now();
        match connections[current]
            .post(
                "/api/desk/board",
                "application/x-www-form-urlencoded",
                String::new(),
                Some(&session),
            )
            .await
        {
            Ok(answer) if answer.status.is_success() => {
                counters.loads.fetch_add(1, Ordering::Relaxed);
                if let Ok(mut latencies) = counters.latencies.lock() {
                    latencies.push(started.elapsed());
                }
            }
            _ => current = (current + 1) % connections.len(),
        }
        if stop.load(Ordering::Relaxed) {
            break;
        }
    }
    listener.abort();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let ms = |n: u64| Duration::from_millis(n);
        let sorted: Vec<Duration> = (1..=100).map(ms).collect();
        assert_eq!(percentile(&sorted, 50.0), ms(50));
        assert_eq!(percentile(&sorted, 99.0), ms(99));
        assert_eq!(percentile(&sorted, 100.0), ms(100));
        assert_eq!(percentile(&[ms(7)], 99.0), ms(7));
        assert_eq!(percentile(&[], 50.0), Duration::ZERO);
    }

    #[test]
    fn a_visit_is_worked_through_in_the_phone_order() {
        let kinds: Vec<&str> = visit_operations().iter().map(Change::kind).collect();
        assert_eq!(&kinds[..3], ["set_off", "check_in", "start_work"]);
        assert_eq!(kinds.last(), Some(&"finish_work"));
        let template = app::domain::checklist::default_template();
        let without_photo = template.items.iter().filter(|i| !i.photo_required).count();
        assert_eq!(
            kinds.iter().filter(|k| **k == "checklist_done").count(),
            without_photo
        );
        // Each visit's part and fee are new records: a resend must not make them twice.
        let ids: Vec<String> = visit_operations()
            .into_iter()
            .chain(visit_operations())
            .filter_map(|change| match change {
                Change::Part { part_id, .. } => Some(part_id),
                Change::Fee { charge_id, .. } => Some(charge_id),
                _ => None,
            })
            .collect();
        let unique: std::collections::HashSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), 4);
    }
}
