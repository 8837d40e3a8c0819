//! Several server processes on one database: any process answers any
//! request, a change made through one reaches the boards served by
//! another, and processes killed with SIGKILL under load lose and duplicate
//! nothing that was acknowledged. Real processes of the server binary, on
//! loopback.

mod common;

use std::path::Path;
use std::time::Duration;

use app::api::sync::{Change, SentOperation};
use app::domain::visit::VisitEvent;
use common::TestDb;
use server::load::client::{listen_to_board, Connection};
use server::load::processes::Fleet;
use server::load::{seed, LoadPlan};

fn server_binary() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_server"))
}

/// A session made on one process is honoured by the other; a dispatcher
/// listening on process B hears, within seconds, a step a technician sent
/// to process A.
async fn any_process_answers_and_boards_hear_every_process(db: &TestDb) {
    let seeded = seed::seed(&db.store, 1, 1, 1).await.unwrap();
    let mut fleet = Fleet::start(server_binary(), db.database.url(), 2)
        .await
        .unwrap();
    let [a, b] = [fleet.processes[0].addr, fleet.processes[1].addr];
    let (mut on_a, mut on_b) = (Connection::new(a), Connection::new(b));

    let technician = server::load::log_in(&[a], 0, &seeded.technicians[0].login)
        .await
        .unwrap();
    let who = on_b
        .post(
            "/api/auth/who_am_i",
            "application/x-www-form-urlencoded",
            String::new(),
            Some(&technician),
        )
        .await
        .unwrap();
    assert!(who.status.is_success(), "{}: {}", who.status, who.body);
    assert!(
        who.body.contains(&seeded.technicians[0].login),
        "{}",
        who.body
    );

    let dispatcher = server::load::log_in(&[b], 0, &seeded.dispatcher_logins[0])
        .await
        .unwrap();
    let (heard, mut events) = tokio::sync::mpsc::unbounded_channel();
    let listening = tokio::spawn(async move {
        let _ = listen_to_board(b, &dispatcher, |visit| {
            let _ = heard.send(visit);
        })
        .await;
    });
    // The stream is open once the server has answered it; give it a moment.
    tokio::time::sleep(Duration::from_millis(500)).await;

    let visit_id = seeded.technicians[0].visit_ids[0].clone();
    let now = app::domain::time::Timestamp::now().unix_millis();
    let operation = SentOperation {
        operation_id: uuid::Uuid::now_v7().to_string(),
        made_at_ms: now,
        sent_at_ms: now,
        visit_id: visit_id.clone(),
        change: Change::Step {
            event: VisitEvent::SetOff,
            position: None,
        },
    };
    let applied = on_a
        .post(
            "/api/sync/apply",
            "application/json",
            server::load::apply_body(&operation),
            Some(&technician),
        )
        .await
        .unwrap();
    assert!(
        applied.status.is_success(),
        "{}: {}",
        applied.status,
        applied.body
    );
    let event = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match events.recv().await {
                Some(visit) if visit == visit_id => return visit,
                Some(_) => continue,
                None => panic!("the board's stream ended"),
            }
        }
    })
    .await
    .expect("process B's board heard process A's change within 10 s");
    assert_eq!(event, visit_id);
    listening.abort();
    fleet.stop_all().await;
}

#[tokio::test]
async fn any_process_answers_and_boards_hear_every_process_postgres() {
    let db = common::fresh_postgres().await;
    any_process_answers_and_boards_hear_every_process(&db).await;
    db.close().await;
}

/// The short fault run: two processes, one killed with SIGKILL every 1.5 s
/// and started again while eight technicians sync; afterwards every
/// acknowledged operation is stored with its effect, and nothing twice.
async fn fault_run_loses_and_duplicates_nothing(db: &TestDb) {
    let plan = LoadPlan {
        technicians: 8,
        dispatchers: 2,
        offered_per_second: 40.0,
        duration: Duration::from_secs(8),
        processes: 2,
        kill_every: Some(Duration::from_millis(1500)),
    };
    let report = server::load::run(&db.store, db.database.url(), server_binary(), plan)
        .await
        .unwrap();
    assert!(report.kills >= 3, "{report:?}");
    assert_eq!(report.refused, 0, "{:?}", report.first_refusal);
    assert_eq!(report.unacknowledged, 0, "{report:?}");
    assert!(report.check.acknowledged >= 200, "{:?}", report.check);
    assert_eq!(
        report.check.stored, report.check.acknowledged,
        "{:?}",
        report.check
    );
    assert_eq!(report.check.lost, 0, "{:?}", report.check);
    assert_eq!(report.check.duplicated, 0, "{:?}", report.check);
    assert!(
        report.resends > 0,
        "no kill caught a request in flight: {report:?}"
    );
}

on_both_engines!(fault_run_loses_and_duplicates_nothing);

/// On SQLite a process's writers take turns (one write lock, queued in the
/// process instead of polled for); on PostgreSQL they go at once.
async fn writers_take_turns_only_on_sqlite(db: &TestDb) {
    let first = db.store.begin().await.unwrap();
    let store = db.store.clone();
    let (began, mut second_began) = tokio::sync::oneshot::channel();
    let second = tokio::spawn(async move {
        let tx = store.begin().await.unwrap();
        let _ = began.send(());
        tx.commit().await.unwrap();
    });
    let waited = tokio::time::timeout(Duration::from_millis(500), &mut second_began)
        .await
        .is_err();
    let sqlite = db.database.is_sqlite();
    assert_eq!(waited, sqlite, "the second writer waited: {waited}");
    first.commit().await.unwrap();
    tokio::time::timeout(Duration::from_secs(5), second)
        .await
        .expect("the second writer goes on once the first commits")
        .unwrap();
}

on_both_engines!(writers_take_turns_only_on_sqlite);
