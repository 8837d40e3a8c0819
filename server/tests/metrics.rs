//! The dashboard's SQL agrees with the pure metric definitions of
//! `app::domain::metrics` on 10,000 generated visits, on both engines: every
//! count in total, per trend bucket, per technician, and per checklist item.

use crate::common;
use app::domain::arrival::{
    check_position, verified_on_time_rate, ArrivalEvidence, ArrivalRadius, CheckedArrival,
    PositionCheck, VisitPlace,
};
use app::domain::validation::Coordinates;
use app::domain::visit::PositionFix;

use app::domain::auth::Role;
use app::domain::checklist::{default_template, ItemAnswer};
use app::domain::complaint::{Complaint, ComplaintSource};
use app::domain::dashboard::FigureCounts;
use app::domain::ids::RecordId;
use app::domain::metrics::{
    complaint_rate, compliance_by_item, first_visit_verdict, omission_rate, on_time_rate,
    time_to_arrival, time_to_fix, untimely_rate, FirstVisitVerdict, Grace, OrderForFix, OrderVisit,
    Rate, RatingTotals, RecallWindow, RequiredItem, VisitArrival, VisitResult, MINUTE_MS,
};
use app::domain::signoff::{NotFixedReason, Ratings, VisitOutcome};
use app::domain::time::{AppointmentWindow, Timestamp};
use app::domain::validation::Note;
use app::domain::visit::{Visit, VisitStatus, VisitTimes};
use app::domain::work_order::{FaultCategory, WorkOrder};
use app::store::dashboard::MetricScope;
use app::store::dashboard::{Buckets, Slices};
use app::store::dashboard_cache::{forget_counted_days, Touched};
use app::zone::ServiceZone;
use common::fixtures::{self, id, HOUR, SHANGHAI_MIDNIGHT};
use common::{Dice, TestDb};
use sqlx::Row;

const VISITS: usize = 10_000;
/// Orders are made for these appliances, each for one of the eleven fault
/// categories, so a good share are repeat calls within the recall window.
const APPLIANCES: usize = 300;
/// Where every generated customer lives.
const HOME: (f64, f64) = (31.2304, 121.4737);

/// A visit as the generator made it, with what the pure functions read.
struct GeneratedVisit {
    visit: Visit,
    /// Each required item of the template: its key and whether answered.
    required: Vec<(String, bool)>,
    ratings: Option<Ratings>,
    complained: bool,
    /// What is known of the arrival, for the verified on-time rate.
    evidence: ArrivalEvidence,
}

struct GeneratedOrder {
    id: String,
    appliance_id: String,
    fault: &'static str,
    registered_at: Timestamp,
    region: RecordId,
    visits: Vec<GeneratedVisit>,
}

impl GeneratedOrder {
    fn for_fix(&self) -> OrderForFix<'_> {
        OrderForFix {
            id: &self.id,
            appliance_id: &self.appliance_id,
            fault_category: self.fault,
            registered_at: self.registered_at,
            visits: self
                .visits
                .iter()
                .map(|g| OrderVisit {
                    arrived_at: g.visit.times.arrived,
                    finished_at: g.visit.times.work_finished,
                    result: g.visit.outcome.as_ref().map(|o| match o {
                        VisitOutcome::Fixed => VisitResult::Fixed,
                        VisitOutcome::NotFixed { .. } => VisitResult::NotFixed,
                    }),
                    cancelled: g.visit.status == VisitStatus::Cancelled,
                })
                .collect(),
        }
    }

    fn first_active_visit(&self) -> Option<&GeneratedVisit> {
        self.visits
            .iter()
            .find(|g| g.visit.status != VisitStatus::Cancelled)
    }
}

async fn generate(db: &TestDb) -> (Vec<GeneratedOrder>, [RecordId; 2], [RecordId; 3]) {
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
    // One customer and appliance (and a first order) per appliance.
    let mut appliances = Vec::new();
    for n in 0..APPLIANCES {
        let region = &regions[n % 2];
        let first = fixtures::order(
            store,
            region,
            "王秀英",
            fixtures::window(SHANGHAI_MIDNIGHT, 2),
        )
        .await;
        appliances.push((first, region.clone()));
    }
    // Every customer located at one place, so the check-ins below are near,
    // far or without a position.
    sqlx::query("UPDATE customers SET latitude = $1, longitude = $2")
        .bind(HOME.0)
        .bind(HOME.1)
        .execute(store.pool())
        .await
        .unwrap();
    let template = default_template();
    let required: Vec<_> = template.items.iter().filter(|i| i.required).collect();
    let mut dice = Dice(0x9E37_79B9_7F4A_7C15);
    let mut orders: Vec<GeneratedOrder> = Vec::new();
    let mut made = 0;
    let mut tx = store.begin().await.unwrap();
    while made < VISITS {
        let (base, region) = &appliances[dice.below(APPLIANCES as u64) as usize];
        let fault = FaultCategory::ALL[dice.below(FaultCategory::ALL.len() as u64) as usize];
        let registered_at = Timestamp::from_unix_millis(
            SHANGHAI_MIDNIGHT + dice.below(50 * 24 * 60) as i64 * MINUTE_MS,
        );
        let order = WorkOrder {
            id: id(),
            fault_category: fault,
            registered_at,
            ..base.clone()
        };
        app::store::work_orders::insert_work_order(&mut *tx, &order, ServiceZone::DEFAULT)
            .await
            .unwrap();
        let visit_count = (1 + dice.below(3) as usize).min(VISITS - made);
        let mut visits = Vec::new();
        for j in 0..visit_count {
            let last = j + 1 == visit_count;
            let technician = if *region == regions[0] {
                technicians[dice.below(2) as usize].clone()
            } else {
                technicians[2].clone()
            };
            let created = registered_at.unix_millis() + j as i64 * 2 * 24 * HOUR + HOUR;
            // Windows from the creation on, on the quarter hour, 1–4 hours.
            let start = created + dice.below(48) as i64 * 15 * MINUTE_MS;
            let window = AppointmentWindow::new(
                Timestamp::from_unix_millis(start),
                Timestamp::from_unix_millis(start + (1 + dice.below(4) as i64) * HOUR),
            )
            .unwrap();
            let status = if !last {
                // An earlier visit ended (not fixed, mostly) or was called off.
                match dice.below(10) {
                    0 | 1 => VisitStatus::Cancelled,
                    2..=4 => VisitStatus::WorkFinished,
                    5 => VisitStatus::ClosedUnsigned,
                    _ => VisitStatus::Signed,
                }
            } else {
                match dice.below(10) {
                    0 => VisitStatus::Cancelled,
                    1 | 2 => VisitStatus::Dispatched,
                    3 => VisitStatus::Arrived,
                    4 | 5 => VisitStatus::WorkFinished,
                    6 => VisitStatus::ClosedUnsigned,
                    _ => VisitStatus::Signed,
                }
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
            let finished = status == VisitStatus::WorkFinished || status.is_closed();
            let outcome = finished.then(|| {
                if dice.chance(if last { 80 } else { 20 }) {
                    VisitOutcome::Fixed
                } else {
                    VisitOutcome::NotFixed {
                        reason: NotFixedReason::PartsUnavailable,
                    }
                }
            });
            let visit = Visit {
                id: id(),
                work_order_id: order.id.clone(),
                technician_id: Some(technician),
                window,
                status,
                checklist_version: 1,
                times: VisitTimes {
                    arrived,
                    work_finished: finished.then(|| {
                        Timestamp::from_unix_millis(arrived.unwrap().unix_millis() + HOUR)
                    }),
                    cancelled: (status == VisitStatus::Cancelled).then_some(window.start()),
                    closed_unsigned: (status == VisitStatus::ClosedUnsigned)
                        .then_some(window.end()),
                    ..VisitTimes::default()
                },
                outcome,
            };
            app::store::visits::insert_visit(
                &mut *tx,
                &visit,
                ServiceZone::DEFAULT,
                Timestamp::from_unix_millis(created),
            )
            .await
            .unwrap();
            let mut answered_items = Vec::new();
            if finished {
                for item in &required {
                    // Not due until the customer signs: it is theirs to give.
                    if status != VisitStatus::Signed
                        && item.key == app::domain::checklist::SIGNED_BY_CUSTOMER
                    {
                        continue;
                    }
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
                    answered_items.push((item.key.to_string(), answered));
                }
            }
            // Check-ins at the door, 2 km off, with no position or a useless
            // one; the customer confirms, denies or was not asked.
            let check_in_fix = match dice.below(4) {
                0 => Some(PositionFix::new(HOME.0 + 0.0005, HOME.1, 20.0).unwrap()),
                1 => Some(PositionFix::new(HOME.0 + 0.018, HOME.1, 20.0).unwrap()),
                2 => Some(PositionFix::new(HOME.0, HOME.1, 900.0).unwrap()),
                _ => None,
            };
            let customer_confirmed = match dice.below(3) {
                0 => Some(true),
                1 => Some(false),
                _ => None,
            };
            let ratings = (status == VisitStatus::Signed)
                .then(|| fixtures::ratings([0; 5].map(|_| 1 + dice.below(5) as u8)));
            if let Some(ratings) = ratings {
                let mut sign_off = fixtures::content_sign_off(ratings);
                sign_off.arrival_confirmed = customer_confirmed;
                app::store::visit_records::insert_sign_off(
                    &mut *tx,
                    &visit.id,
                    &sign_off,
                    window.end(),
                )
                .await
                .unwrap();
            }
            let evidence = match arrived {
                Some(_) => {
                    app::store::arrivals::set_check_in_position(
                        &mut tx,
                        visit.id.as_str(),
                        check_in_fix,
                    )
                    .await
                    .unwrap();
                    app::store::arrivals::refresh_arrival_check(
                        &mut tx,
                        visit.id.as_str(),
                        ArrivalRadius::DEFAULT,
                    )
                    .await
                    .unwrap();
                    ArrivalEvidence {
                        position: check_position(
                            check_in_fix,
                            Some(VisitPlace::Located(
                                Coordinates::new(HOME.0, HOME.1).unwrap(),
                            )),
                            ArrivalRadius::DEFAULT,
                        )
                        .check,
                        clock_doubted: false,
                        customer_confirmed: customer_confirmed
                            .filter(|_| status == VisitStatus::Signed),
                    }
                }
                None => ArrivalEvidence {
                    position: PositionCheck::NoPosition,
                    clock_doubted: false,
                    customer_confirmed: None,
                },
            };
            let complained = status.is_closed() && dice.chance(3);
            if complained {
                let complaint = Complaint {
                    id: id(),
                    work_order_id: order.id.clone(),
                    visit_id: Some(visit.id.clone()),
                    source: ComplaintSource::Callback,
                    owner_id: None,
                    received_at: window.end(),
                    description: Note::parse("回访不满意").unwrap(),
                };
                app::store::complaints::insert_complaint(&mut *tx, &complaint)
                    .await
                    .unwrap();
            }
            visits.push(GeneratedVisit {
                visit,
                required: answered_items,
                ratings,
                complained,
                evidence,
            });
        }
        made += visits.len();
        orders.push(GeneratedOrder {
            id: order.id.to_string(),
            appliance_id: order.appliance_id.to_string(),
            fault: fault.as_str(),
            registered_at,
            region: region.clone(),
            visits,
        });
    }
    tx.commit().await.unwrap();
    (orders, regions, technicians)
}

fn visit_in_scope(g: &GeneratedVisit, region: &RecordId, scope: &MetricScope) -> bool {
    let start = g.visit.window.start();
    start >= scope.from
        && start < scope.until
        && scope.region.as_ref().is_none_or(|r| r == region)
        && scope
            .technician
            .as_ref()
            .is_none_or(|t| g.visit.technician_id.as_ref() == Some(t))
}

/// The dashboard's counts for a scope, from the pure definitions only.
fn pure_counts(
    orders: &[GeneratedOrder],
    scope: &MetricScope,
    grace: Grace,
    recall: RecallWindow,
    now: Timestamp,
) -> FigureCounts {
    let visits: Vec<&GeneratedVisit> = orders
        .iter()
        .flat_map(|order| {
            order
                .visits
                .iter()
                .filter(|g| visit_in_scope(g, &order.region, scope))
        })
        .collect();
    let arrivals: Vec<VisitArrival> = visits
        .iter()
        .map(|g| VisitArrival {
            window: g.visit.window,
            check_in: g.visit.times.arrived,
            cancelled: g.visit.status == VisitStatus::Cancelled,
        })
        .collect();
    let on_time = on_time_rate(&arrivals, grace, now);
    let checked: Vec<CheckedArrival> = visits
        .iter()
        .zip(&arrivals)
        .map(|(g, &arrival)| CheckedArrival {
            arrival,
            evidence: g.evidence,
        })
        .collect();
    let verified = verified_on_time_rate(&checked, grace, now);
    let untimely = untimely_rate(&arrivals, grace, now);
    let items: Vec<Vec<RequiredItem>> = visits
        .iter()
        .map(|g| {
            g.required
                .iter()
                .map(|&(_, answered)| RequiredItem { answered })
                .collect()
        })
        .collect();
    let omission = omission_rate(items.iter().map(Vec::as_slice));
    // Completed: signed, or closed without the customer's signature.
    let completed = visits.iter().filter(|g| g.visit.status.is_closed()).count() as u64;
    let closed_unsigned = visits
        .iter()
        .filter(|g| g.visit.status == VisitStatus::ClosedUnsigned)
        .count() as u64;
    let complaints = complaint_rate(
        visits.iter().filter(|g| g.complained).count() as u64,
        completed,
    );
    let ratings = visits
        .iter()
        .filter_map(|g| g.ratings.as_ref())
        .fold(RatingTotals::default(), |sum, r| sum + RatingTotals::of(r));
    // Order figures go by the order's first active visit.
    let all: Vec<OrderForFix<'_>> = orders.iter().map(GeneratedOrder::for_fix).collect();
    let chosen: Vec<&OrderForFix<'_>> = orders
        .iter()
        .zip(&all)
        .filter(|(order, _)| {
            order
                .first_active_visit()
                .is_some_and(|g| visit_in_scope(g, &order.region, scope))
        })
        .map(|(_, for_fix)| for_fix)
        .collect();
    let verdicts: Vec<FirstVisitVerdict> = chosen
        .iter()
        .filter_map(|order| first_visit_verdict(order, &all, recall))
        .collect();
    FigureCounts {
        visits_due: on_time.out_of,
        on_time: on_time.count,
        verified_on_time: verified.count,
        untimely: untimely.count,
        first_visits_finished: verdicts.len() as u64,
        first_visit_fixes: verdicts.iter().filter(|v| v.is_first_visit_fix()).count() as u64,
        repeat_calls: verdicts.iter().filter(|v| v.repeat_call).count() as u64,
        required_items_due: omission.out_of,
        required_items_missed: omission.count,
        completed_services: complaints.out_of,
        complaints: complaints.count,
        ratings,
        // Every sign-off here was given on the screen that presets nothing.
        preset_ratings: 0,
        closed_unsigned,
        to_arrival: time_to_arrival(chosen.iter().copied()),
        to_fix: time_to_fix(chosen.iter().copied()),
    }
}

fn sum(slices: &Slices, keep: impl Fn(i64, Option<&str>) -> bool) -> FigureCounts {
    slices
        .iter()
        .filter(|((bucket, technician), _)| keep(*bucket, technician.as_deref()))
        .fold(FigureCounts::default(), |total, (_, counts)| {
            total + *counts
        })
}

async fn sql_and_pure_functions_agree_on_generated_visits(db: &TestDb) {
    let (orders, regions, technicians) = generate(db).await;
    let visit_total: usize = orders.iter().map(|o| o.visits.len()).sum();
    assert_eq!(visit_total, VISITS);
    let day = 24 * HOUR;
    let week = 7 * day;
    let at = Timestamp::from_unix_millis;
    let whole = MetricScope {
        from: at(SHANGHAI_MIDNIGHT),
        until: at(SHANGHAI_MIDNIGHT + 63 * day),
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
    let settings = [
        (Grace::NONE, RecallWindow::DEFAULT),
        (
            Grace::from_minutes(15).unwrap(),
            RecallWindow::from_days(7).unwrap(),
        ),
    ];
    let mut nonempty = 0;
    for scope in &scopes {
        for (grace, recall) in settings {
            let buckets = Buckets {
                origin: scope.from,
                width_ms: week,
            };
            // Counted from the visits, then through the kept days twice:
            // the first call keeps what it counted, the second reads it.
            let direct = db
                .store
                .dashboard_counts_from_visits(scope, buckets, grace, recall, now)
                .await
                .unwrap();
            for _ in 0..2 {
                let through_kept = db
                    .store
                    .dashboard_counts(scope, buckets, grace, recall, now)
                    .await
                    .unwrap();
                assert_eq!(through_kept.slices, direct.slices, "{scope:?}, {grace:?}");
                assert_eq!(through_kept.items, direct.items, "{scope:?}, {grace:?}");
            }
            let slices = direct.slices;
            let pure = pure_counts(&orders, scope, grace, recall, now);
            assert_eq!(
                sum(&slices, |_, _| true),
                pure,
                "{scope:?}, {grace:?}, {recall:?}"
            );
            if pure != FigureCounts::default() {
                nonempty += 1;
            }
            // Each trend bucket and each technician's slice is the figure of
            // its own narrower scope.
            if scope.region.is_none() && scope.technician.is_none() {
                for bucket in 0..2 {
                    let from = scope.from.unix_millis() + bucket * week;
                    let narrow = MetricScope {
                        from: at(from),
                        until: at(from + week),
                        ..scope.clone()
                    };
                    assert_eq!(
                        sum(&slices, |b, _| b == bucket),
                        pure_counts(&orders, &narrow, grace, recall, now),
                        "bucket {bucket} of {scope:?}"
                    );
                }
                for technician in &technicians {
                    let narrow = MetricScope {
                        technician: Some(technician.clone()),
                        ..scope.clone()
                    };
                    assert_eq!(
                        sum(&slices, |_, t| t == Some(technician.as_str())),
                        pure_counts(&orders, &narrow, grace, recall, now),
                        "technician {technician} in {scope:?}"
                    );
                }
            }
        }
        // Compliance per item, from the same visits.
        let pure_items = compliance_by_item(orders.iter().flat_map(|order| {
            order
                .visits
                .iter()
                .filter(|g| visit_in_scope(g, &order.region, scope))
                .flat_map(|g| {
                    g.required.iter().map(|(key, answered)| {
                        (
                            key.as_str(),
                            RequiredItem {
                                answered: *answered,
                            },
                        )
                    })
                })
        }));
        let buckets = Buckets {
            origin: scope.from,
            width_ms: week,
        };
        let sql_items: std::collections::BTreeMap<String, Rate> = db
            .store
            .dashboard_counts(scope, buckets, Grace::NONE, RecallWindow::DEFAULT, now)
            .await
            .unwrap()
            .items
            .into_iter()
            .map(|item| (item.item_key, item.rate))
            .collect();
        assert_eq!(sql_items, pure_items, "items, {scope:?}");
    }
    assert_eq!(
        nonempty,
        (scopes.len() - 1) * settings.len(),
        "every scope but the impossible one has visits"
    );
    // The data exercises every branch of the definitions.
    let total = pure_counts(&orders, &whole, Grace::NONE, RecallWindow::DEFAULT, now);
    assert!(total.first_visit_fixes > 0 && total.first_visit_fixes < total.first_visits_finished);
    assert!(total.repeat_calls > 0 && total.complaints > 0 && total.to_fix.count > 0);
    assert!(total.on_time > 0 && total.untimely > 0 && total.required_items_missed > 0);
}

on_both_engines!(sql_and_pure_functions_agree_on_generated_visits);

/// Files a complaint at sign-off, at `at`, about the first signed visit
/// not complained about yet whose window ended before `ended_before`.
async fn complain_about_a_signed_visit<'o>(
    db: &TestDb,
    orders: &'o [GeneratedOrder],
    ended_before: Timestamp,
    at: Timestamp,
) -> &'o GeneratedVisit {
    let signed = orders
        .iter()
        .flat_map(|o| o.visits.iter())
        .find(|g| {
            g.visit.status == VisitStatus::Signed
                && !g.complained
                && g.visit.window.end() < ended_before
        })
        .expect("a signed visit on a kept day");
    db.store
        .file_sign_off_complaint(
            &id(),
            signed.visit.technician_id.as_ref().unwrap(),
            id(),
            &signed.visit.id,
            Note::parse("师傅态度不好").unwrap(),
            at,
        )
        .await
        .unwrap();
    signed
}

/// The dashboard's counts of `scope` by day at `now`, through the kept
/// days, after checking they equal a count straight from the visits.
async fn kept_equal_to_fresh(
    db: &TestDb,
    scope: &MetricScope,
    now: Timestamp,
) -> app::store::dashboard::DashboardCounts {
    let buckets = Buckets {
        origin: scope.from,
        width_ms: 24 * HOUR,
    };
    let (grace, recall) = (Grace::NONE, RecallWindow::DEFAULT);
    let kept = db
        .store
        .dashboard_counts(scope, buckets, grace, recall, now)
        .await
        .unwrap();
    let fresh = db
        .store
        .dashboard_counts_from_visits(scope, buckets, grace, recall, now)
        .await
        .unwrap();
    // Whole maps of slices: a difference is reported by its totals.
    let total = |counts: &app::store::dashboard::DashboardCounts| sum(&counts.slices, |_, _| true);
    assert!(
        kept.slices == fresh.slices && kept.items == fresh.items,
        "kept {:?}\nfresh {:?}",
        total(&kept),
        total(&fresh)
    );
    kept
}

/// Days kept by the dashboard follow the writes made after: a complaint, a
/// cancelled visit and a repeat call on days already kept each show at
/// once, and the kept answer always equals a fresh count.
async fn kept_days_follow_later_writes(db: &TestDb) {
    let (orders, _, _) = generate(db).await;
    let day = 24 * HOUR;
    let at = Timestamp::from_unix_millis;
    let scope = MetricScope {
        from: at(SHANGHAI_MIDNIGHT),
        until: at(SHANGHAI_MIDNIGHT + 63 * day),
        region: None,
        technician: None,
    };
    let now = at(SHANGHAI_MIDNIGHT + 30 * day + 5 * HOUR);
    let total = |counts: &app::store::dashboard::DashboardCounts| sum(&counts.slices, |_, _| true);
    let kept_and_fresh = || kept_equal_to_fresh(db, &scope, now);
    let before = kept_and_fresh().await;
    let kept_days: i64 = sqlx::query("SELECT COUNT(*) AS n FROM dashboard_days")
        .fetch_one(db.store.pool())
        .await
        .unwrap()
        .try_get("n")
        .unwrap();
    assert!(
        (25..=30).contains(&kept_days),
        "the ended days are kept: {kept_days}"
    );
    let early =
        |g: &&GeneratedVisit| g.visit.window.end().unix_millis() < now.unix_millis() - 3 * day;
    let all_visits = || orders.iter().flat_map(|o| o.visits.iter());

    // A complaint filed at sign-off about a visit of a kept day.
    complain_about_a_signed_visit(db, &orders, at(now.unix_millis() - 3 * day), now).await;
    let after_complaint = kept_and_fresh().await;
    assert_eq!(
        total(&after_complaint).complaints,
        total(&before).complaints + 1
    );

    // A visit nobody came to, called off afterwards: no longer due.
    let missed = all_visits()
        .filter(early)
        .find(|g| g.visit.status == VisitStatus::Dispatched)
        .expect("a visit nobody came to on a kept day");
    db.store
        .apply_visit_event(
            id().as_str(),
            missed.visit.id.as_str(),
            missed.visit.technician_id.as_ref().unwrap().as_str(),
            app::domain::visit::VisitEvent::Cancel,
            now,
        )
        .await
        .unwrap();
    let after_cancel = kept_and_fresh().await;
    assert_eq!(
        total(&after_cancel).visits_due,
        total(&after_complaint).visits_due - 1
    );

    // The same appliance and fault again within the recall window of an
    // order fixed at its first visit: a repeat call on the kept day of that
    // first visit. Work orders are written by the intake's transaction,
    // which forgets the kept days as shown here.
    let fixed_first = orders
        .iter()
        .filter(|o| {
            o.first_active_visit().is_some_and(|g| {
                early(&g) && g.visit.outcome == Some(VisitOutcome::Fixed) && o.visits.len() == 1
            })
        })
        .find(|o| {
            orders
                .iter()
                .filter(|x| x.appliance_id == o.appliance_id && x.fault == o.fault)
                .count()
                == 1
        })
        .expect("an order fixed at its first visit, the only one for its appliance and fault");
    let original = db
        .store
        .work_order(&RecordId::parse("id", &fixed_first.id).unwrap())
        .await
        .unwrap()
        .unwrap();
    let again = WorkOrder {
        id: id(),
        registered_at: Timestamp::from_unix_millis(
            fixed_first.visits[0]
                .visit
                .times
                .work_finished
                .unwrap()
                .unix_millis()
                + day,
        ),
        ..original
    };
    let mut tx = db.store.begin().await.unwrap();
    app::store::work_orders::insert_work_order(&mut *tx, &again, ServiceZone::DEFAULT)
        .await
        .unwrap();
    forget_counted_days(&mut tx, Touched::WorkOrder(again.id.as_str()))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let after_repeat = kept_and_fresh().await;
    assert_eq!(
        total(&after_repeat).repeat_calls,
        total(&after_cancel).repeat_calls + 1
    );
    assert_eq!(
        total(&after_repeat).first_visit_fixes,
        total(&after_cancel).first_visit_fixes - 1
    );
}

on_both_engines!(kept_days_follow_later_writes);

/// The server counts the dashboard's history before anyone asks: after its
/// pass, a first request reads kept days and counts none again; the next
/// pass counts the days that closed since and the days a write made stale,
/// and nothing else.
async fn the_server_counts_the_history_before_anyone_asks(db: &TestDb) {
    use server::dashboard_history::count_history;
    let (orders, _, _) = generate(db).await;
    let day = 24 * HOUR;
    let at = Timestamp::from_unix_millis;
    let zone = ServiceZone::DEFAULT;
    // 05:00 on 25 December in Shanghai: every window of the 24th (at most
    // four hours long) has closed.
    let now = at(SHANGHAI_MIDNIGHT + 30 * day + 5 * HOUR);
    let kept_days = || async {
        sqlx::query("SELECT day_start_ms, counted_at_ms FROM dashboard_days ORDER BY day_start_ms")
            .fetch_all(db.store.pool())
            .await
            .unwrap()
            .iter()
            .map(|row| {
                (
                    row.try_get::<i64, _>("day_start_ms").unwrap(),
                    row.try_get::<i64, _>("counted_at_ms").unwrap(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert!(kept_days().await.is_empty());

    // The first visit is on 25 November: the fourth quarter is counted
    // from 1 October to 24 December.
    let first = count_history(&db.store, zone, now).await.unwrap();
    assert_eq!((first.quarters, first.days), (1, 31 + 30 + 24));
    let after_first = kept_days().await;
    assert_eq!(after_first.len(), 85);
    assert_eq!(
        after_first.first().map(|&(day, _)| day),
        Some(SHANGHAI_MIDNIGHT - 55 * day),
        "from 1 October"
    );
    assert!(after_first
        .iter()
        .all(|&(_, counted)| counted == now.unix_millis()));
    assert_eq!(count_history(&db.store, zone, now).await.unwrap().days, 0);

    // The dashboard's first request for the two months reads what was kept
    // and counts no day again, and agrees with a count from the visits.
    let scope = MetricScope {
        from: at(SHANGHAI_MIDNIGHT - 24 * day),
        until: at(SHANGHAI_MIDNIGHT + 37 * day),
        region: None,
        technician: None,
    };
    kept_equal_to_fresh(db, &scope, now).await;
    assert_eq!(kept_days().await, after_first, "no day counted again");

    // Two days later the pass counts the two days that closed, no other.
    let later = at(now.unix_millis() + 2 * day);
    assert_eq!(count_history(&db.store, zone, later).await.unwrap().days, 2);
    let after_closing = kept_days().await;
    assert_eq!(after_closing[..85], after_first[..]);
    assert_eq!(
        after_closing[85..],
        [
            (SHANGHAI_MIDNIGHT + 30 * day, later.unix_millis()),
            (SHANGHAI_MIDNIGHT + 31 * day, later.unix_millis())
        ]
    );

    // A complaint about a visit of a kept day makes its days stale: the
    // next pass counts them again, and only them.
    let signed = complain_about_a_signed_visit(db, &orders, now, later).await;
    let a_minute_on = at(later.unix_millis() + 60_000);
    let recounted = count_history(&db.store, zone, a_minute_on)
        .await
        .unwrap()
        .days;
    let complained_day = SHANGHAI_MIDNIGHT
        + (signed.visit.window.start().unix_millis() - SHANGHAI_MIDNIGHT).div_euclid(day) * day;
    let counted_again: Vec<i64> = kept_days()
        .await
        .into_iter()
        .filter(|&(_, counted)| counted == a_minute_on.unix_millis())
        .map(|(day, _)| day)
        .collect();
    assert!(
        counted_again.contains(&complained_day),
        "{complained_day} not in {counted_again:?}"
    );
    assert_eq!(counted_again.len(), recounted, "only the stale days");
    kept_equal_to_fresh(db, &scope, a_minute_on).await;
}

on_both_engines!(the_server_counts_the_history_before_anyone_asks);
