//! The dashboard's SQL agrees with the pure metric definitions of
//! `app::domain::metrics` on 10,000 generated visits, on both engines.

mod common;

use app::domain::auth::Role;
use app::domain::checklist::{default_template, ItemAnswer};
use app::domain::complaint::{Complaint, ComplaintSource};
use app::domain::ids::RecordId;
use app::domain::metrics::{
    complaint_rate, omission_rate, on_time_rate, untimely_rate, Grace, Rate, RequiredItem,
    VisitArrival, MINUTE_MS,
};
use app::domain::signoff::VisitOutcome;
use app::domain::time::{AppointmentWindow, Timestamp};
use app::domain::validation::Note;
use app::domain::visit::{Visit, VisitStatus, VisitTimes};
use app::store::metrics::MetricScope;
use app::zone::ServiceZone;
use common::fixtures::{self, id, HOUR, SHANGHAI_MIDNIGHT};
use common::TestDb;

const VISITS: usize = 10_000;
const ORDERS: usize = 200;

/// A small deterministic generator (xorshift64*): the same data every run.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// What the generator made, as the pure functions read it.
struct Generated {
    visit: Visit,
    region: RecordId,
    required_answered: Vec<bool>,
    complained: bool,
}

async fn generate(db: &TestDb) -> (Vec<Generated>, [RecordId; 2], [RecordId; 3]) {
    let store = &db.store;
    let regions = [
        fixtures::region(store, "东区").await,
        fixtures::region(store, "西区").await,
    ];
    let technicians = [
        fixtures::user(store, "tech.a", Role::Technician, Some(&regions[0])).await,
        fixtures::user(store, "tech.b", Role::Technician, Some(&regions[0])).await,
        fixtures::user(store, "tech.c", Role::Technician, Some(&regions[1])).await,
    ];
    let mut orders = Vec::new();
    for n in 0..ORDERS {
        let region = &regions[n % 2];
        let order = fixtures::order(
            store,
            region,
            "王秀英",
            fixtures::window(SHANGHAI_MIDNIGHT, 2),
        )
        .await;
        orders.push((order, region.clone()));
    }
    let template = default_template();
    let required: Vec<_> = template.items.iter().filter(|i| i.required).collect();
    let mut dice = Dice(0x9E37_79B9_7F4A_7C15);
    let mut generated = Vec::with_capacity(VISITS);
    let mut tx = store.begin().await.unwrap();
    for n in 0..VISITS {
        let (order, region) = &orders[n % ORDERS];
        // The region's own technicians only, as assignment allows.
        let technician = if *region == regions[0] {
            technicians[dice.below(2) as usize].clone()
        } else {
            technicians[2].clone()
        };
        // Windows over 60 days, 1–4 hours long, on the quarter hour.
        let start = SHANGHAI_MIDNIGHT + dice.below(60 * 96) as i64 * 15 * MINUTE_MS;
        let window = AppointmentWindow::new(
            Timestamp::from_unix_millis(start),
            Timestamp::from_unix_millis(start + (1 + dice.below(4) as i64) * HOUR),
        )
        .unwrap();
        let status = match dice.below(10) {
            0 => VisitStatus::Cancelled,
            1 | 2 => VisitStatus::Dispatched,
            3 => VisitStatus::Arrived,
            4 | 5 => VisitStatus::WorkFinished,
            _ => VisitStatus::Signed,
        };
        // Arrivals from 2 h early to 3 h late, on the minute, at the
        // boundaries often: exactly at start, at end, one ms either side.
        let arrived = status.has_arrived().then(|| {
            let at = match dice.below(6) {
                0 => window.start().unix_millis(),
                1 => window.end().unix_millis(),
                2 => window.end().unix_millis() + 1,
                3 => window.start().unix_millis() - 1,
                _ => start - 2 * HOUR + dice.below(5 * 60) as i64 * MINUTE_MS,
            };
            Timestamp::from_unix_millis(at)
        });
        let finished = matches!(status, VisitStatus::WorkFinished | VisitStatus::Signed);
        let visit = Visit {
            id: id(),
            work_order_id: order.id.clone(),
            technician_id: Some(technician),
            window,
            status,
            checklist_version: 1,
            times: VisitTimes {
                arrived,
                cancelled: (status == VisitStatus::Cancelled).then_some(window.start()),
                ..VisitTimes::default()
            },
            outcome: finished.then_some(VisitOutcome::Fixed),
        };
        app::store::visits::insert_visit(&mut *tx, &visit, ServiceZone::DEFAULT, window.start())
            .await
            .unwrap();
        let mut required_answered = Vec::new();
        if finished {
            for item in &required {
                let answered = dice.chance(92);
                if answered {
                    let answer = if dice.chance(90) {
                        ItemAnswer::Done {
                            at: window.start(),
                            note: None,
                            photo: None,
                        }
                    } else {
                        ItemAnswer::NotApplicable {
                            at: window.start(),
                            reason: Note::parse("用户自备").unwrap(),
                        }
                    };
                    app::store::visit_records::upsert_checklist_result(
                        &mut *tx, &visit.id, &item.key, &answer,
                    )
                    .await
                    .unwrap();
                }
                required_answered.push(answered);
            }
        }
        let complained = status == VisitStatus::Signed && dice.chance(3);
        if complained {
            let complaint = Complaint {
                id: id(),
                work_order_id: order.id.clone(),
                visit_id: Some(visit.id.clone()),
                source: ComplaintSource::Callback,
                received_at: window.end(),
                description: Note::parse("回访不满意").unwrap(),
            };
            app::store::complaints::insert_complaint(&mut *tx, &complaint)
                .await
                .unwrap();
        }
        generated.push(Generated {
            visit,
            region: region.clone(),
            required_answered,
            complained,
        });
    }
    tx.commit().await.unwrap();
    (generated, regions, technicians)
}

fn in_scope(g: &Generated, scope: &MetricScope) -> bool {
    let start = g.visit.window.start();
    start >= scope.from
        && start < scope.until
        && scope.region.as_ref().is_none_or(|r| *r == g.region)
        && scope
            .technician
            .as_ref()
            .is_none_or(|t| g.visit.technician_id.as_ref() == Some(t))
}

async fn sql_and_pure_functions_agree_on_generated_visits(db: &TestDb) {
    let (generated, regions, technicians) = generate(db).await;
    assert_eq!(generated.len(), VISITS);
    let day = 24 * HOUR;
    let at = Timestamp::from_unix_millis;
    let whole = MetricScope {
        from: at(SHANGHAI_MIDNIGHT),
        until: at(SHANGHAI_MIDNIGHT + 61 * day),
        region: None,
        technician: None,
    };
    let scopes = [
        whole.clone(),
        MetricScope {
            from: at(SHANGHAI_MIDNIGHT + 7 * day),
            until: at(SHANGHAI_MIDNIGHT + 37 * day),
            ..whole.clone()
        },
        MetricScope {
            region: Some(regions[0].clone()),
            ..whole.clone()
        },
        MetricScope {
            region: Some(regions[1].clone()),
            ..whole.clone()
        },
        MetricScope {
            technician: Some(technicians[1].clone()),
            ..whole.clone()
        },
        MetricScope {
            region: Some(regions[0].clone()),
            technician: Some(technicians[2].clone()),
            ..whole.clone()
        },
    ];
    // "Now" in the middle of the period: later visits are not yet due.
    let now = at(SHANGHAI_MIDNIGHT + 30 * day + 5 * HOUR);
    let mut nonempty = 0;
    for scope in &scopes {
        let chosen: Vec<&Generated> = generated.iter().filter(|g| in_scope(g, scope)).collect();
        for grace in [Grace::NONE, Grace::from_minutes(15).unwrap()] {
            let arrivals: Vec<VisitArrival> = chosen
                .iter()
                .map(|g| VisitArrival {
                    window: g.visit.window,
                    check_in: g.visit.times.arrived,
                    cancelled: g.visit.status == VisitStatus::Cancelled,
                })
                .collect();
            let pure = (
                on_time_rate(&arrivals, grace, now),
                untimely_rate(&arrivals, grace, now),
            );
            let sql = db.store.arrival_rates(scope, grace, now).await.unwrap();
            assert_eq!(sql, pure, "arrivals, {scope:?}, {grace:?}");
        }
        let items: Vec<Vec<RequiredItem>> = chosen
            .iter()
            .map(|g| {
                g.required_answered
                    .iter()
                    .map(|&answered| RequiredItem { answered })
                    .collect()
            })
            .collect();
        let pure = omission_rate(items.iter().map(Vec::as_slice));
        assert_eq!(
            db.store.omission_rate(scope).await.unwrap(),
            pure,
            "omission, {scope:?}"
        );
        let signed = chosen
            .iter()
            .filter(|g| g.visit.status == VisitStatus::Signed)
            .count() as u64;
        let complaints = chosen.iter().filter(|g| g.complained).count() as u64;
        let pure = complaint_rate(complaints, signed);
        assert_eq!(
            db.store.complaint_rate(scope).await.unwrap(),
            pure,
            "complaints, {scope:?}"
        );
        if pure != Rate::default() {
            nonempty += 1;
        }
    }
    assert_eq!(
        nonempty,
        scopes.len() - 1,
        "every scope but the impossible one has visits"
    );
}

on_both_engines!(sql_and_pure_functions_agree_on_generated_visits);
