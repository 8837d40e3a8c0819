//! The demo's visits: today's, and months of history with the texture a
//! dispatcher knows: mostly on time, some late; mostly fixed first time,
//! some waiting for parts; a few complaints and a few skipped checklist
//! items. A fixed seed makes every demo database the same.

use app::domain::charges::{FeeCharge, FeeSchedule, Money, PartUsed, Quantity};
use app::domain::checklist::{ChecklistTemplate, ItemAnswer};
use app::domain::complaint::{Complaint, ComplaintSource};
use app::domain::ids::RecordId;
use app::domain::metrics::{DAY_MS, MINUTE_MS};
use app::domain::signoff::{
    ConductConfirmations, NotFixedReason, Ratings, Score, SignOff, Signature, VisitOutcome,
};
use app::domain::technician::{Brands, Skills};
use app::domain::time::{AppointmentWindow, Timestamp};
use app::domain::validation::{
    Address, Brand, FaultDescription, FeeCode, ModelNumber, Note, PartCode, PartName, PersonName,
    PhoneNumber, SerialNumber,
};
use app::domain::visit::{Visit, VisitStatus, VisitTimes};
use app::domain::work_order::{
    Appliance, CalendarDate, Channel, Customer, Priority, WorkOrder, WorkOrderStatus,
};
use app::store::complaints::insert_complaint;
use app::store::visit_records::{
    insert_fee, insert_part, insert_sign_off, upsert_checklist_result,
};
use app::store::visits::insert_visit;
use app::store::work_orders::{insert_appliance, insert_customer, insert_work_order};
use app::store::{Store, StoreError};
use app::zone::ServiceZone;
use sqlx::AnyConnection;

use super::people::{self, TODAY};
use super::{new_id, DemoError, DEMO_USERS};

const HOUR_MS: i64 = 60 * MINUTE_MS;
const CUSTOMERS: usize = 200;

/// How much past the demo writes besides today's visits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum History {
    /// Today's visits only (quick, for tests of other things).
    None,
    /// This many days back.
    Days(u32),
}

impl History {
    /// About six months.
    pub const SIX_MONTHS: History = History::Days(182);
}

#[derive(Debug, Default)]
pub(super) struct Written {
    pub today_visits: usize,
    pub history_orders: usize,
}

/// xorshift64*: small, fast and the same everywhere, which is all a demo
/// needs (nothing here is a secret).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn between(&mut self, low: i64, high: i64) -> i64 {
        low + (self.next() % (high - low + 1).max(1) as u64) as i64
    }

    fn percent(&mut self, chance: u64) -> bool {
        self.next() % 1000 < chance * 10
    }

    fn per_mille(&mut self, chance: u64) -> bool {
        self.next() % 1000 < chance
    }
}

struct DemoTechnician {
    login: &'static str,
    id: RecordId,
    skills: Skills,
    brands: Brands,
}

struct Home {
    /// Its place in the demo's list, from which its position comes.
    index: usize,
    customer: Customer,
    appliances: Vec<Appliance>,
}

/// Everything the writer needs, read once.
struct Context<'a> {
    zone: ServiceZone,
    today_start: i64,
    technicians: &'a [DemoTechnician],
    template: &'a ChecklistTemplate,
    schedule: &'a FeeSchedule,
}

pub(super) async fn seed_visits(
    store: &Store,
    zone: ServiceZone,
    now: Timestamp,
    history: History,
) -> Result<Written, DemoError> {
    let mut technicians = Vec::new();
    let mut region_id = None;
    for (login, _, role) in DEMO_USERS {
        if role != app::domain::auth::Role::Technician {
            continue;
        }
        let Some(user) = store
            .user_by_login(&app::domain::auth::LoginName::parse(login)?)
            .await?
        else {
            continue;
        };
        let id = RecordId::parse("id", &user.id)?;
        let Some(technician) = store.technician(&id).await? else {
            continue;
        };
        region_id.get_or_insert(technician.region_id.clone());
        technicians.push(DemoTechnician {
            login,
            id,
            skills: technician.skills,
            brands: technician.brands,
        });
    }
    let Some(region_id) = region_id else {
        tracing::warn!("no demo technicians in this database: no demo visits written");
        return Ok(Written::default());
    };
    let version = store.current_checklist_version().await?;
    let template = store
        .checklist_template(version)
        .await?
        .ok_or_else(|| DemoError::Invalid("no checklist template".into()))?;
    // The demo charges only the call-out fee and standard labour, which
    // every category's default schedule lists at the same price.
    let schedule = store
        .fee_schedule(
            store.current_fee_schedule_version().await?,
            app::domain::work_order::ApplianceCategory::WashingMachine,
        )
        .await?;
    let context = Context {
        zone,
        today_start: zone.day_containing(now).0.unix_millis(),
        technicians: &technicians,
        template: &template,
        schedule: &schedule,
    };

    let mut rng = Rng(0x5eed_d00e_5eed_2026);
    let mut tx = store.begin().await?;
    let homes = write_homes(&mut tx, &context, &mut rng).await?;
    let mut written = Written::default();
    for (index, today) in TODAY.iter().enumerate() {
        write_today_visit(&mut tx, &context, &region_id, &homes[index], today).await?;
        written.today_visits += 1;
    }
    if let History::Days(days) = history {
        written.history_orders =
            write_history(&mut tx, &context, &region_id, &homes, days, &mut rng).await?;
    }
    tx.commit().await.map_err(StoreError::from)?;
    Ok(written)
}

async fn write_homes(
    tx: &mut AnyConnection,
    context: &Context<'_>,
    rng: &mut Rng,
) -> Result<Vec<Home>, DemoError> {
    let mut homes = Vec::with_capacity(CUSTOMERS);
    let created = Timestamp::from_unix_millis(context.today_start - 400 * DAY_MS);
    for n in 0..CUSTOMERS {
        let (name, phone, address) = match TODAY.get(n) {
            Some(&(_, name, address, ..)) => (name.to_string(), people::phone(n), address.into()),
            None => people::customer(n),
        };
        let customer = Customer {
            id: new_id(),
            name: PersonName::parse(&name)?,
            phone: PhoneNumber::parse(&phone)?,
            address: Address::parse(&address)?,
            // The dispatcher located today's customers on the map; the
            // others' homes are learned from where they signed.
            coordinates: TODAY
                .get(n)
                .map(|_| {
                    let (latitude, longitude) = home_point(n);
                    app::domain::validation::Coordinates::new(latitude, longitude)
                })
                .transpose()?,
        };
        insert_customer(&mut *tx, &customer, created).await?;
        let mut models = Vec::new();
        if let Some(&(_, _, _, brand, category, model, ..)) = TODAY.get(n) {
            models.push((brand, category, model));
        }
        let count = if n % 3 == 0 { 2 } else { 1 };
        while models.len() < count {
            let (brand, category, model) = people::MODELS[rng.below(people::MODELS.len())];
            if models.iter().all(|&(_, c, _)| c != category) {
                models.push((brand, category, model));
            }
        }
        let mut appliances = Vec::new();
        for (brand, category, model) in models {
            let bought_year = 2019 + rng.below(7) as u16;
            let bought = CalendarDate::new(
                "purchase_date",
                bought_year,
                1 + rng.below(12) as u8,
                1 + rng.below(28) as u8,
            )?;
            let (year, month, day) = bought.parts();
            let appliance = Appliance {
                id: new_id(),
                customer_id: customer.id.clone(),
                brand: Brand::parse(brand)?,
                category,
                model: ModelNumber::parse(model)?,
                serial_number: SerialNumber::parse(&format!(
                    "{model}-{year}{month:02}-{:05}",
                    n * 3 + appliances.len()
                ))?,
                purchase_date: Some(bought),
                // The makers' five-year warranty (5保修).
                warranty_end: Some(CalendarDate::new(
                    "warranty_end",
                    year + 5,
                    month,
                    day.min(28),
                )?),
            };
            insert_appliance(&mut *tx, &appliance).await?;
            appliances.push(appliance);
        }
        homes.push(Home {
            index: n,
            customer,
            appliances,
        });
    }
    Ok(homes)
}

async fn write_today_visit(
    tx: &mut AnyConnection,
    context: &Context<'_>,
    region_id: &RecordId,
    home: &Home,
    today: &people::TodayCustomer,
) -> Result<(), DemoError> {
    let &(login, _, _, _, _, _, fault, fault_category, hour) = today;
    let technician = context.technicians.iter().find(|t| t.login == login);
    let start = context.today_start + hour * HOUR_MS;
    let window = window(start)?;
    let registered = Timestamp::from_unix_millis(context.today_start - 8 * HOUR_MS);
    let order = WorkOrder {
        id: new_id(),
        region_id: region_id.clone(),
        customer_id: home.customer.id.clone(),
        appliance_id: home.appliances[0].id.clone(),
        reported_fault: FaultDescription::parse(fault)?,
        fault_category,
        channel: Channel::Phone,
        priority: Priority::Normal,
        registered_at: registered,
        appointment: window,
        status: if technician.is_some() {
            WorkOrderStatus::Assigned
        } else {
            WorkOrderStatus::Open
        },
    };
    insert_work_order(&mut *tx, &order, context.zone).await?;
    let visit = Visit::dispatched(
        new_id(),
        order.id.clone(),
        technician.map(|t| t.id.clone()),
        window,
        context.template.version,
        Timestamp::from_unix_millis(registered.unix_millis() + HOUR_MS),
    );
    insert_visit(&mut *tx, &visit, context.zone, registered).await?;
    Ok(())
}

/// Where the demo's customer `n` lives: somewhere in central Shanghai,
/// the same on every run. Drawn apart from the history's own numbers, so
/// adding positions left every other demo figure as it was.
fn home_point(n: usize) -> (f64, f64) {
    let mut spot = Rng(0x9e37_79b9_7f4a_7c15 ^ (n as u64 + 1));
    (
        31.15 + spot.between(0, 200_000) as f64 / 1e6,
        121.40 + spot.between(0, 200_000) as f64 / 1e6,
    )
}

/// A phone's position at `home`, `metres` away or so, with its accuracy.
fn fix_near(
    (latitude, longitude): (f64, f64),
    metres: i64,
    spot: &mut Rng,
) -> Result<app::domain::visit::PositionFix, DemoError> {
    // About 111 km per degree of latitude, 95 km per degree of longitude here.
    let north = spot.between(-metres, metres) as f64 / 111_000.0;
    let east = spot.between(-metres, metres) as f64 / 95_000.0;
    Ok(app::domain::visit::PositionFix::new(
        latitude + north,
        longitude + east,
        spot.between(8, 40) as f64,
    )?)
}

fn window(start_ms: i64) -> Result<AppointmentWindow, DemoError> {
    AppointmentWindow::new(
        Timestamp::from_unix_millis(start_ms),
        Timestamp::from_unix_millis(start_ms + 2 * HOUR_MS),
    )
    .map_err(|e| DemoError::Invalid(e.to_string()))
}

/// A past order still open to a repeat call: (day, home, appliance, fault).
type RecentOrder = (u32, usize, usize, usize);

/// A home, appliance and fault with no order in the recent weeks (a few
/// tries; the tries are bounded, so in a crowded month a repeat may slip in).
fn fresh_order(homes: &[Home], recent: &[RecentOrder], rng: &mut Rng) -> (usize, usize, usize) {
    let mut pick = (0, 0, 0);
    for _ in 0..20 {
        let home = rng.below(homes.len());
        let appliance = rng.below(homes[home].appliances.len());
        let category = homes[home].appliances[appliance].category;
        pick = (home, appliance, rng.below(people::faults(category).len()));
        if !recent.iter().any(|&(_, h, a, f)| (h, a, f) == pick) {
            break;
        }
    }
    pick
}

async fn write_history(
    tx: &mut AnyConnection,
    context: &Context<'_>,
    region_id: &RecordId,
    homes: &[Home],
    days: u32,
    rng: &mut Rng,
) -> Result<usize, DemoError> {
    let mut orders = 0;
    let mut recent: Vec<RecentOrder> = Vec::new();
    // Registered `days_ago`, first visit the next day: yesterday at the latest.
    for days_ago in (2..=days.max(1) + 1).rev() {
        // Orders of the last five weeks: a repeat call comes from these, and
        // a new fault never lands on one by chance (recall is 30 days).
        recent.retain(|&(day, ..)| day <= days_ago + 35);
        let per_day = 5 + rng.below(5);
        for _ in 0..per_day {
            let repeat = recent.get(rng.below(recent.len().max(1))).copied();
            let (home, appliance, fault) = match repeat {
                // About 3% are a repeat call for the same appliance and fault.
                Some((day, home, appliance, fault)) if day <= days_ago + 25 && rng.percent(3) => {
                    (home, appliance, fault)
                }
                _ => fresh_order(homes, &recent, rng),
            };
            write_history_order(
                tx,
                context,
                region_id,
                &homes[home],
                &homes[home].appliances[appliance],
                fault,
                days_ago,
                rng,
            )
            .await?;
            recent.push((days_ago, home, appliance, fault));
            orders += 1;
        }
    }
    Ok(orders)
}

#[allow(clippy::too_many_arguments)]
async fn write_history_order(
    tx: &mut AnyConnection,
    context: &Context<'_>,
    region_id: &RecordId,
    home: &Home,
    appliance: &Appliance,
    fault: usize,
    days_ago: u32,
    rng: &mut Rng,
) -> Result<(), DemoError> {
    let (fault_category, fault_text) = people::faults(appliance.category)[fault];
    let day_start = context.today_start - i64::from(days_ago) * DAY_MS;
    let registered = day_start + 8 * HOUR_MS + rng.between(0, 10 * 60) * MINUTE_MS;
    let slot = [9, 11, 13, 15][rng.below(4)];
    let first_window = window(day_start + DAY_MS + slot * HOUR_MS)?;
    let able: Vec<&DemoTechnician> = context
        .technicians
        .iter()
        .filter(|t| {
            t.skills.covers(appliance.category) && t.brands.covers(appliance.brand.as_str())
        })
        .collect();
    let pool: Vec<&DemoTechnician> = if able.is_empty() {
        context.technicians.iter().collect()
    } else {
        able
    };
    let technician = pool[rng.below(pool.len())];
    let mut order = WorkOrder {
        id: new_id(),
        region_id: region_id.clone(),
        customer_id: home.customer.id.clone(),
        appliance_id: appliance.id.clone(),
        reported_fault: FaultDescription::parse(fault_text)?,
        fault_category,
        channel: [
            Channel::Phone,
            Channel::Phone,
            Channel::App,
            Channel::Dealer,
        ][rng.below(4)],
        priority: if rng.percent(10) {
            Priority::Urgent
        } else {
            Priority::Normal
        },
        registered_at: Timestamp::from_unix_millis(registered),
        appointment: first_window,
        status: WorkOrderStatus::Closed,
    };

    // 2% are cancelled before anyone sets off (the customer fixed it, moved…).
    if rng.percent(2) {
        order.status = WorkOrderStatus::Cancelled;
        insert_work_order(&mut *tx, &order, context.zone).await?;
        let visit = Visit {
            id: new_id(),
            work_order_id: order.id.clone(),
            technician_id: Some(technician.id.clone()),
            window: first_window,
            status: VisitStatus::Cancelled,
            checklist_version: context.template.version,
            times: VisitTimes {
                dispatched: Some(Timestamp::from_unix_millis(registered + 30 * MINUTE_MS)),
                cancelled: Some(Timestamp::from_unix_millis(registered + 3 * HOUR_MS)),
                ..VisitTimes::default()
            },
            outcome: None,
        };
        insert_visit(&mut *tx, &visit, context.zone, order.registered_at).await?;
        return Ok(());
    }

    // About 11% are not fixed first time: parts, skill or time.
    let first_outcome = if rng.percent(11) {
        let reason = match rng.below(10) {
            0..=5 => NotFixedReason::PartsUnavailable,
            6 | 7 => NotFixedReason::Skill,
            _ => NotFixedReason::TimeRanOut,
        };
        VisitOutcome::NotFixed { reason }
    } else {
        VisitOutcome::Fixed
    };
    // Days from today (negative: past) of the follow-up, 2 to 4 days after the first.
    let follow_up_day = 1 - i64::from(days_ago) + rng.between(2, 4);
    let needs_follow_up = first_outcome.needs_follow_up();
    if needs_follow_up && follow_up_day >= 0 {
        // The follow-up would fall today or later: still waiting for it.
        order.status = WorkOrderStatus::InProgress;
    }
    insert_work_order(&mut *tx, &order, context.zone).await?;
    write_finished_visit(
        tx,
        context,
        &order,
        home,
        appliance,
        technician,
        first_window,
        registered,
        first_outcome.clone(),
        rng,
    )
    .await?;
    if needs_follow_up && follow_up_day < 0 {
        let second_window = window(context.today_start + follow_up_day * DAY_MS + slot * HOUR_MS)?;
        // A skill problem goes to someone else; otherwise the same technician returns.
        let second = if matches!(
            first_outcome,
            VisitOutcome::NotFixed {
                reason: NotFixedReason::Skill
            }
        ) {
            pool[(pool.iter().position(|t| t.id == technician.id).unwrap_or(0) + 1) % pool.len()]
        } else {
            technician
        };
        let dispatched = first_window.end().unix_millis() + 2 * HOUR_MS;
        write_finished_visit(
            tx,
            context,
            &order,
            home,
            appliance,
            second,
            second_window,
            dispatched,
            VisitOutcome::Fixed,
            rng,
        )
        .await?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn write_finished_visit(
    tx: &mut AnyConnection,
    context: &Context<'_>,
    order: &WorkOrder,
    home: &Home,
    appliance: &Appliance,
    technician: &DemoTechnician,
    window: AppointmentWindow,
    dispatched_ms: i64,
    outcome: VisitOutcome,
    rng: &mut Rng,
) -> Result<(), DemoError> {
    let start = window.start().unix_millis();
    let end = window.end().unix_millis();
    // 93% inside the window, 5% late, 2% early.
    let roll = rng.below(100);
    let late = roll < 5;
    let arrived = if late {
        end + rng.between(15, 120) * MINUTE_MS
    } else if roll < 7 {
        start - rng.between(20, 40) * MINUTE_MS
    } else {
        start + rng.between(0, 100) * MINUTE_MS
    };
    let started = arrived + rng.between(5, 15) * MINUTE_MS;
    let finished = started + rng.between(30, 100) * MINUTE_MS;
    let signed = finished + rng.between(3, 10) * MINUTE_MS;
    let at = Timestamp::from_unix_millis;
    let visit = Visit {
        id: new_id(),
        work_order_id: order.id.clone(),
        technician_id: Some(technician.id.clone()),
        window,
        status: VisitStatus::Signed,
        checklist_version: context.template.version,
        times: VisitTimes {
            dispatched: Some(at(dispatched_ms + 30 * MINUTE_MS)),
            on_the_way: Some(at(arrived - 30 * MINUTE_MS)),
            arrived: Some(at(arrived)),
            work_started: Some(at(started)),
            work_finished: Some(at(finished)),
            signed: Some(at(signed)),
            closed_unsigned: None,
            cancelled: None,
        },
        outcome: Some(outcome.clone()),
    };
    insert_visit(&mut *tx, &visit, context.zone, order.registered_at).await?;

    // Every item answered, except on about 2% of visits where one required
    // item was skipped (the omission rate has something to count).
    let skipped = rng
        .percent(2)
        .then(|| rng.below(context.template.items.len() - 1));
    for (index, item) in context.template.items.iter().enumerate() {
        if skipped == Some(index) && item.required {
            continue;
        }
        let answered = at((started + index as i64 * 2 * MINUTE_MS).min(finished));
        let answer = if !item.required && rng.percent(30) {
            ItemAnswer::NotApplicable {
                at: answered,
                reason: Note::parse("用户家中无其他本品牌产品")?,
            }
        } else {
            ItemAnswer::Done {
                at: answered,
                note: None,
                photo: None,
            }
        };
        upsert_checklist_result(&mut *tx, &visit.id, &item.key, &answer).await?;
    }

    let visit_day = context.zone.calendar_date(window.start())?;
    let in_warranty = appliance.warranty_end.is_some_and(|end| visit_day <= end);
    let fixed = outcome == VisitOutcome::Fixed;
    if fixed && rng.percent(30) {
        let (code, name, price) = people::part_for(appliance.category);
        let part = PartUsed {
            id: new_id(),
            code: PartCode::parse(code)?,
            name: PartName::parse(name)?,
            quantity: Quantity::new(1)?,
            unit_price: Money::from_fen("unit_price", if in_warranty { 0 } else { price })?,
            charge_reason: None,
        };
        insert_part(&mut *tx, &visit.id, &part, at(finished)).await?;
    }
    if !in_warranty {
        let codes: &[&str] = if fixed {
            &["VISIT", "LABOR-STD"]
        } else {
            &["VISIT"]
        };
        for code in codes {
            let charge: FeeCharge = context
                .schedule
                .charge(new_id(), FeeCode::parse(code)?, Quantity::new(1)?)
                .map_err(|e| DemoError::Invalid(e.to_string()))?;
            insert_fee(&mut *tx, &visit.id, &charge, at(finished)).await?;
        }
    }

    // Positions from their own numbers (see `home_point`): most check-ins
    // at the door, a few with no position, about one in a hundred from two
    // kilometres away, which the customer denies half the time.
    let mut spot = Rng(0xa5a5_5a5a_0f0f_f0f0 ^ arrived as u64);
    let home_at = home_point(home.index);
    let roll = spot.below(100);
    let check_in_fix = match roll {
        0 => Some(fix_near((home_at.0 + 0.02, home_at.1), 30, &mut spot)?),
        1 | 2 => None,
        _ => Some(fix_near(home_at, 30, &mut spot)?),
    };
    let far = roll == 0;
    let denied = far && spot.percent(50);
    let signed_at = fix_near(home_at, 20, &mut spot)?;

    // Rarely, the customer reports a breach of the four prohibitions.
    let breach = rng.per_mille(5);
    let score = |value| Score::new("rating", value);
    let sign_off = SignOff {
        signer: home.customer.name.clone(),
        signature: Signature::new(vec![vec![
            (12.0, 40.0),
            (48.0, 18.0),
            (90.0, 44.0),
            (130.0, 20.0),
            (170.0, 38.0),
        ]])?,
        customer_says_fixed: fixed,
        ratings: Ratings {
            skill: score(if fixed { 5 } else { 4 })?,
            attitude: score(if breach { 2 } else { 5 - rng.below(2) as u8 })?,
            timeliness: score(if late { 3 } else { 5 })?,
            parts_supply: score(if fixed { 5 } else { 3 })?,
            overall: score(if breach || late {
                3
            } else {
                5 - rng.below(2) as u8
            })?,
        },
        conduct: ConductConfirmations {
            no_arguing: true,
            no_eating_drinking_smoking: true,
            no_gifts: true,
            no_extra_charges: !breach,
        },
        comment: Some(Note::parse(if late {
            "师傅来晚了，但修得很认真"
        } else {
            "师傅很专业，鞋套三块布都做到了"
        })?),
        arrival_confirmed: Some(!denied),
        position: Some(signed_at),
    };
    insert_sign_off(&mut *tx, &visit.id, &sign_off, at(signed)).await?;
    app::store::arrivals::set_check_in_position(&mut *tx, visit.id.as_str(), check_in_fix).await?;
    app::store::arrivals::refresh_arrival_check(
        &mut *tx,
        visit.id.as_str(),
        app::domain::arrival::ArrivalRadius::DEFAULT,
    )
    .await?;
    // The last week's services still have their calls to make; older ones
    // were called long ago.
    if signed >= context.today_start - 7 * DAY_MS {
        app::store::follow_up_calls::schedule_follow_up_calls(
            &mut *tx,
            &visit.id,
            at(signed),
            app::store::follow_up_calls::Sampling::Drawn,
        )
        .await?;
    }

    // A breach, and about one late arrival in seven, comes back as a complaint.
    let complaint = if breach {
        Some((ComplaintSource::SignOff, "收费未按统一收费标准", signed))
    } else if late && rng.percent(15) {
        Some((
            ComplaintSource::Phone,
            "师傅迟到一个多小时，也没有提前打电话",
            signed + 3 * HOUR_MS,
        ))
    } else {
        None
    };
    if let Some((source, text, received)) = complaint {
        insert_complaint(
            &mut *tx,
            &Complaint {
                id: new_id(),
                work_order_id: order.id.clone(),
                visit_id: Some(visit.id.clone()),
                source,
                owner_id: None,
                received_at: at(received),
                description: Note::parse(text)?,
            },
        )
        .await?;
    }
    Ok(())
}
