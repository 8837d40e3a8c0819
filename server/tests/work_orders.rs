//! Customers, appliances and work orders on both engines.

use crate::common;

use app::domain::ids::RecordId;
use app::domain::time::{AppointmentWindow, Timestamp};
use app::domain::validation::{
    Address, Brand, Coordinates, FaultDescription, ModelNumber, PersonName, PhoneNumber,
    SerialNumber,
};
use app::domain::work_order::{
    Appliance, ApplianceCategory, CalendarDate, Channel, Customer, FaultCategory, Priority,
    WorkOrder, WorkOrderStatus,
};
use app::store::work_orders::{insert_appliance, insert_customer, insert_work_order};
use app::zone::ServiceZone;
use common::TestDb;
use sqlx::Row;

fn id() -> RecordId {
    RecordId::parse("id", &uuid::Uuid::now_v7().to_string()).unwrap()
}

fn customer() -> Customer {
    Customer {
        id: id(),
        name: PersonName::parse("王秀英").unwrap(),
        phone: PhoneNumber::parse("+86 138 1234 5678").unwrap(),
        address: Address::parse("上海市浦东新区张杨路 1280 弄 5 号 602 室").unwrap(),
        coordinates: Some(Coordinates::new(31.2304, 121.4737).unwrap()),
    }
}

fn appliance(customer: &Customer) -> Appliance {
    Appliance {
        id: id(),
        customer_id: customer.id.clone(),
        brand: Brand::parse("海尔").unwrap(),
        category: ApplianceCategory::WashingMachine,
        model: ModelNumber::parse("EG100").unwrap(),
        serial_number: SerialNumber::parse("HE2024110012").unwrap(),
        purchase_date: Some(CalendarDate::parse("d", "2024-02-29").unwrap()),
        warranty_end: Some(CalendarDate::parse("d", "2029-02-28").unwrap()),
    }
}

fn work_order(region: &RecordId, customer: &Customer, appliance: &Appliance) -> WorkOrder {
    let registered = 1_795_536_000_000;
    WorkOrder {
        id: id(),
        region_id: region.clone(),
        customer_id: customer.id.clone(),
        appliance_id: appliance.id.clone(),
        reported_fault: FaultDescription::parse("脱水时噪音大\n机身晃动").unwrap(),
        fault_category: FaultCategory::Noise,
        channel: Channel::Phone,
        priority: Priority::Urgent,
        registered_at: Timestamp::from_unix_millis(registered),
        appointment: AppointmentWindow::new(
            Timestamp::from_unix_millis(registered + 3_600_000),
            Timestamp::from_unix_millis(registered + 3 * 3_600_000),
        )
        .unwrap(),
        status: WorkOrderStatus::Open,
    }
}

async fn count(db: &TestDb, table: &str) -> i64 {
    sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}"))
        .fetch_one(db.store.pool())
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

async fn a_work_order_round_trips_with_its_customer_and_appliance(db: &TestDb) {
    let store = &db.store;
    let customer = customer();
    let appliance = appliance(&customer);
    let region = common::fixtures::region(store, "东区").await;
    let order = work_order(&region, &customer, &appliance);
    insert_customer(store.pool(), &customer, Timestamp::from_unix_millis(0))
        .await
        .unwrap();
    insert_appliance(store.pool(), &appliance).await.unwrap();
    insert_work_order(store.pool(), &order, ServiceZone::DEFAULT)
        .await
        .unwrap();

    // Found by the number however it is typed: both are normalised.
    let typed = PhoneNumber::parse("138-1234-5678").unwrap();
    assert_eq!(
        store.customers_with_phone(&typed).await.unwrap(),
        vec![customer.clone()]
    );
    assert_eq!(
        store.appliances_of(&customer.id).await.unwrap(),
        vec![appliance]
    );
    assert_eq!(
        store.customer(&customer.id).await.unwrap(),
        Some(customer.clone())
    );
    assert_eq!(
        store
            .appliance(&order.appliance_id)
            .await
            .unwrap()
            .map(|a| a.id),
        Some(order.appliance_id.clone())
    );
    assert_eq!(store.work_order(&order.id).await.unwrap(), Some(order));
    assert_eq!(store.work_order(&id()).await.unwrap(), None);
}

async fn an_appliance_of_an_unknown_customer_is_refused(db: &TestDb) {
    let stranger = customer();
    let result = insert_appliance(db.store.pool(), &appliance(&stranger)).await;
    assert!(result.is_err(), "the foreign key must refuse it");
    assert_eq!(count(db, "appliances").await, 0);
}

async fn a_work_order_for_a_missing_appliance_writes_nothing(db: &TestDb) {
    let customer = customer();
    insert_customer(db.store.pool(), &customer, Timestamp::from_unix_millis(0))
        .await
        .unwrap();
    let ghost = appliance(&customer);
    let region = common::fixtures::region(&db.store, "东区").await;
    let result = insert_work_order(
        db.store.pool(),
        &work_order(&region, &customer, &ghost),
        ServiceZone::DEFAULT,
    )
    .await;
    assert!(result.is_err());
    assert_eq!(count(db, "work_orders").await, 0);
}

async fn the_schema_backs_the_domain_rules_up(db: &TestDb) {
    let customer = customer();
    insert_customer(db.store.pool(), &customer, Timestamp::from_unix_millis(0))
        .await
        .unwrap();
    let bad_category = sqlx::query(
        "INSERT INTO appliances (id, customer_id, brand, category, model, serial_number) \
         VALUES ('a1', $1, 'x', 'toaster', 'm', 's')",
    )
    .bind(customer.id.as_str())
    .execute(db.store.pool())
    .await;
    assert!(bad_category.is_err(), "unknown category");
    let warranty_before_purchase = sqlx::query(
        "INSERT INTO appliances (id, customer_id, brand, category, model, serial_number, purchase_date, warranty_end) \
         VALUES ('a2', $1, 'x', 'dryer', 'm', 's', '2025-01-01', '2024-01-01')",
    )
    .bind(customer.id.as_str())
    .execute(db.store.pool())
    .await;
    assert!(warranty_before_purchase.is_err());
    let mut backwards = appliance(&customer);
    backwards.warranty_end = Some(CalendarDate::parse("d", "2020-01-01").unwrap());
    let refused = insert_appliance(db.store.pool(), &backwards).await;
    assert!(
        matches!(refused, Err(app::store::StoreError::Refused(_))),
        "the store checks the dates before the database has to: {refused:?}"
    );
    let half_coordinates = sqlx::query(
        "INSERT INTO customers (id, name, phone, address, latitude, created_at_ms) VALUES ('c2', 'n', '13812345678', 'a', 31.0, 0)",
    )
    .execute(db.store.pool())
    .await;
    assert!(half_coordinates.is_err());
    assert_eq!(count(db, "appliances").await, 0);
    assert_eq!(count(db, "customers").await, 1);
}

async fn assignments_keep_to_the_region_the_window_and_the_visit_under_way(db: &TestDb) {
    use app::domain::assignment::AssignmentRefused;
    use app::domain::auth::Role;
    use app::domain::visit::{VisitEvent, VisitStatus};
    use app::store::assignments::{AssignError, Assignment};
    use common::fixtures::{self, HOUR, SHANGHAI_MIDNIGHT};
    let store = &db.store;
    let east = fixtures::region(store, "东区").await;
    let west = fixtures::region(store, "西区").await;
    let wang = fixtures::technician(store, "tech.wang", &east).await;
    let li = fixtures::technician(store, "tech.li", &east).await;
    let zhao = fixtures::technician(store, "tech.zhao", &west).await;
    let dispatcher = fixtures::user(store, "dispatch.qian", Role::Dispatcher, Some(&east)).await;
    let nine = SHANGHAI_MIDNIGHT + 9 * HOUR;
    let order = fixtures::order(store, &east, "王秀英", fixtures::window(nine, 2)).await;
    // Just taken: open, no technician yet.
    sqlx::query("UPDATE work_orders SET status = 'open' WHERE id = $1")
        .bind(order.id.as_str())
        .execute(store.pool())
        .await
        .unwrap();
    let queued = store.unassigned_orders(&east).await.unwrap();
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].id, order.id.to_string());
    assert_eq!(queued[0].due, order.first_visit_due(), "the one-day rule");
    let at = Timestamp::from_unix_millis(nine - HOUR);
    let (operation, new_visit) = (id(), id());
    // The same request but for the technician and window.
    macro_rules! assignment {
        ($technician:expr, $window:expr) => {
            Assignment {
                operation_id: &operation,
                dispatcher_id: &dispatcher,
                work_order_id: &order.id,
                technician_id: $technician,
                new_visit_id: &new_visit,
                window: $window,
                confirmed: &[],
                at,
            }
        };
    }
    let mut changes = store.subscribe();

    // Another region's technician, or a window outside the agreed one: refused, nothing written.
    let refused = store.assign(&assignment!(&zhao, None)).await.unwrap_err();
    assert!(
        matches!(
            refused,
            AssignError::Refused(AssignmentRefused::OtherRegion)
        ),
        "{refused}"
    );
    let late = fixtures::window(nine + HOUR, 2);
    let refused = store
        .assign(&assignment!(&wang, Some(late)))
        .await
        .unwrap_err();
    assert!(
        matches!(
            refused,
            AssignError::Refused(AssignmentRefused::OutsideAgreedWindow)
        ),
        "{refused}"
    );
    let dispatcher_as_technician = store
        .assign(&assignment!(&dispatcher, None))
        .await
        .unwrap_err();
    assert!(
        matches!(dispatcher_as_technician, AssignError::NotATechnician(_)),
        "{dispatcher_as_technician}"
    );
    assert!(store
        .visits_of_work_order(&order.id)
        .await
        .unwrap()
        .is_empty());
    assert!(changes.try_recv().is_err(), "no change announced");

    // Inside the window, to wang: a visit is made; a resend changes nothing.
    let narrower = fixtures::window(nine, 1);
    assert_eq!(
        store
            .assign(&assignment!(&wang, Some(narrower)))
            .await
            .unwrap(),
        new_visit
    );
    assert_eq!(
        store
            .assign(&assignment!(&wang, Some(narrower)))
            .await
            .unwrap(),
        new_visit
    );
    let visits = store.visits_of_work_order(&order.id).await.unwrap();
    assert_eq!(visits.len(), 1);
    assert_eq!(
        (
            visits[0].technician_id.as_ref(),
            visits[0].status,
            visits[0].window
        ),
        (Some(&wang), VisitStatus::Dispatched, narrower)
    );
    assert_eq!(
        store.work_order(&order.id).await.unwrap().unwrap().status,
        WorkOrderStatus::Assigned
    );
    assert!(store.unassigned_orders(&east).await.unwrap().is_empty());
    assert_eq!(
        fixtures::next_change(&mut changes).await,
        new_visit.to_string(),
        "the board hears of it"
    );
    let lanes = store.technicians_of_region(&east).await.unwrap();
    assert_eq!(
        lanes
            .iter()
            .map(|technician| technician.id.clone())
            .collect::<Vec<_>>()
            .len(),
        2,
        "wang and li, not zhao"
    );

    // Reassigned to li: the same visit changes hands.
    let reassign = id();
    let moved = store
        .assign(&Assignment {
            operation_id: &reassign,
            ..assignment!(&li, None)
        })
        .await
        .unwrap();
    assert_eq!(moved, new_visit);
    let visit = store.visit(&new_visit).await.unwrap().unwrap();
    assert_eq!(
        (visit.technician_id.as_ref(), visit.window),
        (Some(&li), narrower)
    );

    // Once li is at the home, the visit stays his.
    store
        .apply_visit_event(
            &id().to_string(),
            new_visit.as_str(),
            li.as_str(),
            VisitEvent::CheckIn,
            at,
        )
        .await
        .unwrap();
    assert_eq!(
        fixtures::next_change(&mut changes).await,
        new_visit.to_string()
    );
    let refused = store
        .assign(&Assignment {
            operation_id: &id(),
            ..assignment!(&wang, None)
        })
        .await
        .unwrap_err();
    assert!(
        matches!(
            refused,
            AssignError::Refused(AssignmentRefused::AlreadyUnderWay(VisitStatus::Arrived))
        ),
        "{refused}"
    );
    assert_eq!(
        store
            .visit(&new_visit)
            .await
            .unwrap()
            .unwrap()
            .technician_id,
        Some(li)
    );
}

/// A technician with this profile, in the region.
async fn profiled(
    store: &app::store::Store,
    login: &str,
    region: &RecordId,
    skills: &[ApplianceCategory],
    brands: &str,
    hours: (&str, &str),
) -> RecordId {
    use app::domain::auth::Role;
    use app::domain::technician::{Brands, Skills, Technician, WorkingHours};
    use app::domain::validation::{EmployeeNumber, ServiceCardNumber};
    let user = common::fixtures::user(store, login, Role::Technician, Some(region)).await;
    let number = &user.as_str()[24..];
    app::store::regions::insert_technician(
        store.pool(),
        &Technician {
            user_id: user.clone(),
            employee_number: EmployeeNumber::parse(&format!("E-{number}")).unwrap(),
            name: PersonName::parse(login).unwrap(),
            service_card_number: ServiceCardNumber::parse(&format!("C-{number}")).unwrap(),
            region_id: region.clone(),
            skills: Skills::new(skills.to_vec()).unwrap(),
            brands: Brands::parse(brands).unwrap(),
            working_hours: WorkingHours::parse(hours.0, hours.1).unwrap(),
        },
    )
    .await
    .unwrap();
    user
}

async fn assignments_refuse_the_untrained_and_ask_twice_for_a_full_day(db: &TestDb) {
    use app::domain::assignment::{
        AssignmentRefused, AssignmentWarning, WarningKind, BUSY_DAY_VISITS,
    };
    use app::domain::auth::Role;
    use app::domain::technician::WorkingHours;
    use app::store::assignments::{AssignError, Assignment};
    use common::fixtures::{self, HOUR, SHANGHAI_MIDNIGHT};
    use ApplianceCategory as A;
    let store = &db.store;
    let east = fixtures::region(store, "东区").await;
    let dispatcher = fixtures::user(store, "dispatch.qian", Role::Dispatcher, Some(&east)).await;
    let day_shift = ("08:00", "18:00");
    let cold = profiled(
        store,
        "tech.cold",
        &east,
        &[A::Refrigerator, A::AirConditioner],
        "",
        day_shift,
    )
    .await;
    let midea = profiled(
        store,
        "tech.midea",
        &east,
        &[A::WashingMachine],
        "美的、小天鹅",
        day_shift,
    )
    .await;
    let wang = profiled(
        store,
        "tech.wang",
        &east,
        &[A::WashingMachine],
        "",
        day_shift,
    )
    .await;
    let day = SHANGHAI_MIDNIGHT + 24 * HOUR;
    // A Haier washing machine (the fixture's) at 09:00–11:00.
    let order = fixtures::order(store, &east, "王秀英", fixtures::window(day + 9 * HOUR, 2)).await;
    let assign = |technician: RecordId, order: RecordId, confirmed: &'static [WarningKind]| {
        let dispatcher = dispatcher.clone();
        async move {
            store
                .assign(&Assignment {
                    operation_id: &fixtures::id(),
                    dispatcher_id: &dispatcher,
                    work_order_id: &order,
                    technician_id: &technician,
                    new_visit_id: &fixtures::id(),
                    window: None,
                    confirmed,
                    at: Timestamp::from_unix_millis(day),
                })
                .await
        }
    };
    let visits_before = count(db, "visits").await;

    // Hard mismatches: refused, whatever is confirmed, and nothing written.
    let refused = assign(cold, order.id.clone(), &WarningKind::ALL)
        .await
        .unwrap_err();
    assert!(
        matches!(
            refused,
            AssignError::Refused(AssignmentRefused::NoSkill(A::WashingMachine))
        ),
        "{refused}"
    );
    let refused = assign(midea, order.id.clone(), &WarningKind::ALL)
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, AssignError::Refused(AssignmentRefused::OtherBrand(brand)) if brand == "海尔"),
        "{refused}"
    );
    assert_eq!(count(db, "visits").await, visits_before);

    // Wang's day fills up: six two-hour windows, none crowded, inside his
    // hours; each goes ahead at once.
    let starts = [8, 9, 11, 13, 15, 16];
    assert_eq!(starts.len(), BUSY_DAY_VISITS);
    for start in starts {
        let other = fixtures::repeat_order(store, &order, day + start * HOUR).await;
        assign(wang.clone(), other.id, &[]).await.unwrap();
    }
    let visits_before = count(db, "visits").await;
    // A seventh, overlapping two of them: asked about, not written.
    let asked = assign(wang.clone(), order.id.clone(), &[])
        .await
        .unwrap_err();
    let AssignError::NeedsConfirmation(warnings) = asked else {
        panic!("expected a question, got {asked}");
    };
    assert_eq!(
        warnings,
        vec![
            AssignmentWarning::BusyDay {
                visits: BUSY_DAY_VISITS
            },
            AssignmentWarning::CrowdedWindow { overlapping: 2 },
        ]
    );
    assert_eq!(count(db, "visits").await, visits_before);
    // Confirming one of the two still asks about the other.
    let asked = assign(wang.clone(), order.id.clone(), &[WarningKind::BusyDay])
        .await
        .unwrap_err();
    assert!(
        matches!(&asked, AssignError::NeedsConfirmation(w) if w == &[AssignmentWarning::CrowdedWindow { overlapping: 2 }]),
        "{asked}"
    );
    assert_eq!(count(db, "visits").await, visits_before);
    // The second press with both: assigned.
    assign(
        wang.clone(),
        order.id.clone(),
        &[WarningKind::BusyDay, WarningKind::CrowdedWindow],
    )
    .await
    .unwrap();
    assert_eq!(count(db, "visits").await, visits_before + 1);

    // An evening appointment for a day-shift technician asks first.
    let evening = fixtures::repeat_order(store, &order, day + 24 * HOUR + 19 * HOUR).await;
    let asked = assign(wang.clone(), evening.id.clone(), &[])
        .await
        .unwrap_err();
    assert!(
        matches!(&asked, AssignError::NeedsConfirmation(w)
            if w == &[AssignmentWarning::OutsideWorkingHours { hours: WorkingHours::DAY_SHIFT }]),
        "{asked}"
    );
    assign(wang, evening.id, &[WarningKind::OutsideWorkingHours])
        .await
        .unwrap();
}

/// Suggestions for an order: the technician whose day passes nearest comes
/// first with the arrival the travel model predicts; one not trained for
/// the appliance is passed over with the rule, and every technician of the
/// region is either suggested or given a reason.
async fn suggestions_rank_the_region_and_give_every_other_technician_a_reason(db: &TestDb) {
    use app::domain::assignment::AssignmentRefused;
    use app::domain::auth::Role;
    use app::domain::planning::suggest::{suggest, PassedOver};
    use app::domain::planning::travel::ModelledTravel;
    use app::store::assignments::Assignment;
    use common::fixtures::{self, HOUR, SHANGHAI_MIDNIGHT};
    use ApplianceCategory as A;
    let store = &db.store;
    let east = fixtures::region(store, "东区").await;
    let west = fixtures::region(store, "西区").await;
    let dispatcher = fixtures::user(store, "dispatch.qian", Role::Dispatcher, Some(&east)).await;
    let shift = ("08:00", "20:00");
    let near = profiled(store, "tech.near", &east, &[A::WashingMachine], "", shift).await;
    let far = profiled(store, "tech.far", &east, &[A::WashingMachine], "", shift).await;
    let cold = profiled(store, "tech.cold", &east, &[A::Refrigerator], "", shift).await;
    profiled(store, "tech.west", &west, &[A::WashingMachine], "", shift).await;
    // Homes by km north and east of a point in Hefei.
    let home = |north_km: f64, east_km: f64| {
        Coordinates::new(31.80 + north_km / 111.2, 117.20 + east_km / 94.5).unwrap()
    };
    let day = SHANGHAI_MIDNIGHT + 24 * HOUR;
    // Each of near and far has a morning visit: near's 1 km from the
    // order's home, far's 12 km.
    for (technician, place, name) in [
        (&near, home(1.0, 0.0), "近邻"),
        (&far, home(12.0, 0.0), "远处"),
    ] {
        let morning = fixtures::located_order(
            store,
            &east,
            name,
            fixtures::window(day + 9 * HOUR, 2),
            Some(place),
        )
        .await;
        store
            .assign(&Assignment {
                operation_id: &fixtures::id(),
                dispatcher_id: &dispatcher,
                work_order_id: &morning.id,
                technician_id: technician,
                new_visit_id: &fixtures::id(),
                window: None,
                confirmed: &[],
                at: Timestamp::from_unix_millis(day),
            })
            .await
            .unwrap();
    }
    let order = fixtures::located_order(
        store,
        &east,
        "王秀英",
        fixtures::window(day + 13 * HOUR, 2),
        Some(home(0.0, 0.0)),
    )
    .await;

    let inputs = store
        .suggestion_inputs(&order.id, Timestamp::from_unix_millis(day))
        .await
        .unwrap();
    assert_eq!(inputs.region, east);
    assert_eq!(inputs.order.window, (13 * 60, 15 * 60));
    // The region's active technicians, by name; not the other region's.
    let names: Vec<&str> = inputs.candidates.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        ["tech.cold 的名字", "tech.far 的名字", "tech.near 的名字"]
    );
    let by_name = |login: &str| {
        let name = format!("{login} 的名字");
        inputs
            .candidates
            .iter()
            .position(|c| c.name == name)
            .unwrap()
    };
    assert_eq!(
        inputs.candidates[by_name("tech.near")].candidate.day.len(),
        1
    );
    assert_eq!(
        inputs.candidates[by_name("tech.near")].candidate.day[0].window,
        (9 * 60, 11 * 60)
    );

    let candidates: Vec<_> = inputs
        .candidates
        .iter()
        .map(|c| c.candidate.clone())
        .collect();
    let found = suggest(inputs.order, &candidates, &ModelledTravel::default());
    let best: Vec<usize> = found.best.iter().map(|s| s.technician).collect();
    assert_eq!(best, [by_name("tech.near"), by_name("tech.far")]);
    let first = &found.best[0].fit;
    // After the 09:00 visit, 1 km away: at the door as the window opens.
    assert_eq!(first.arrives, 13 * 60);
    assert!(first.added_m.unwrap() < found.best[1].fit.added_m.unwrap());
    assert_eq!(
        found.passed_over,
        [(
            by_name("tech.cold"),
            PassedOver::Refused(AssignmentRefused::NoSkill(A::WashingMachine))
        )]
    );
    let _ = (near, far, cold);
}

on_both_engines!(
    a_work_order_round_trips_with_its_customer_and_appliance,
    an_appliance_of_an_unknown_customer_is_refused,
    a_work_order_for_a_missing_appliance_writes_nothing,
    the_schema_backs_the_domain_rules_up,
    assignments_keep_to_the_region_the_window_and_the_visit_under_way,
    assignments_refuse_the_untrained_and_ask_twice_for_a_full_day,
    suggestions_rank_the_region_and_give_every_other_technician_a_reason,
);
