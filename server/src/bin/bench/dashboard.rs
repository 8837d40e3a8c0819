//! The dashboard at scale: generated histories of 100k and 1M visits on
//! SQLite and PostgreSQL, the time the dashboard takes for one month next
//! to a bare full scan of the visits table in the same run.
//!
//! The history is written by SQL (`INSERT … SELECT` over a counter), the
//! same statements on both engines, so generating a million visits takes
//! seconds to minutes rather than hours.

use std::time::{Duration, Instant};

use app::api::auth::CurrentUser;
use app::api::dashboard::DashboardQuery;
use app::domain::auth::Role;
use app::domain::time::{local_midnight, Timestamp, UtcOffset};
use app::serverfns::dashboard::load_dashboard;
use app::store::Store;
use app::zone::ServiceZone;
use server::config::DatabaseUrl;
use server::dashboard_history::count_history;
use sqlx::{Connection, Executor, Row};

const DAY_MS: i64 = 86_400_000;
const REGIONS: i64 = 4;
const TECHNICIANS_PER_REGION: i64 = 50;
/// The history spans two years and ends where the measured month ends.
const SPAN_DAYS: i64 = 730;
const RUNS: usize = 7;

pub struct Engine {
    pub name: &'static str,
    pub postgres_admin_url: Option<String>,
}

pub async fn run(
    visit_counts: &[i64],
    engines: &[Engine],
) -> Result<(), Box<dyn std::error::Error>> {
    println!(
        "dashboard at scale: one month (October 2026, {RUNS} runs after a warm-up, median and slowest), \
         admin over all {REGIONS} regions and a dispatcher of one; {} technicians; \
         \"start-up count\" is the server's count of the history written by SQL, \
         \"first month\" the first request after it",
        REGIONS * TECHNICIANS_PER_REGION
    );
    println!(
        "{:<11} {:>9} {:>10} {:>12} {:>16} {:>14} {:>14} {:>14} {:>14}",
        "engine",
        "visits",
        "generate s",
        "full scan ms",
        "start-up count s",
        "first month ms",
        "admin month ms",
        "(slowest)",
        "region month ms"
    );
    for engine in engines {
        for &visits in visit_counts {
            let (store, _, cleanup) = fresh_database(engine).await?;
            let generating = Instant::now();
            generate(&store, visits).await?;
            let generated = generating.elapsed();
            let scan = median(time_runs(|| full_scan(&store)).await?);
            // What the server does at start on a history it has not
            // counted; the first request then reads what was kept.
            let count = count_history(&store, ServiceZone::DEFAULT, span_end()).await?;
            let first = Instant::now();
            month(&store, None).await?;
            let first = first.elapsed();
            let admin = time_runs(|| month(&store, None)).await?;
            let region = time_runs(|| month(&store, Some("r0"))).await?;
            println!(
                "{:<11} {:>9} {:>10.1} {:>12.1} {:>16.1} {:>14.1} {:>14.1} {:>14.1} {:>14.1}",
                engine.name,
                visits,
                generated.as_secs_f64(),
                ms(scan),
                count.took.as_secs_f64(),
                ms(first),
                ms(median(admin.clone())),
                ms(*admin.iter().max().unwrap_or(&Duration::ZERO)),
                ms(median(region)),
            );
            println!(
                "dashboard_month_ms{{engine={},visits={visits}}}={:.1}",
                engine.name,
                ms(median(admin))
            );
            println!(
                "dashboard_startup_count_s{{engine={},visits={visits}}}={:.1} ({} days of {} quarters)",
                engine.name,
                count.took.as_secs_f64(),
                count.days,
                count.quarters
            );
            println!(
                "dashboard_first_month_ms{{engine={},visits={visits}}}={:.1}",
                engine.name,
                ms(first)
            );
            breakdown(&store).await?;
            store.pool().close().await;
            cleanup.run().await;
        }
    }
    Ok(())
}

/// Where the admin's month goes: each store call alone, median of the runs;
/// the counts both through the kept days and straight from the visits.
async fn breakdown(store: &Store) -> Result<(), Box<dyn std::error::Error>> {
    use app::domain::metrics::{Grace, RecallWindow};
    use app::store::dashboard::Buckets;
    use app::store::dashboard::MetricScope;
    let scope = MetricScope {
        from: local_midnight(2026, 10, 1, UtcOffset::CHINA),
        until: span_end(),
        region: None,
        technician: None,
    };
    let buckets = Buckets {
        origin: scope.from,
        width_ms: DAY_MS,
    };
    let (grace, recall) = (Grace::NONE, RecallWindow::DEFAULT);
    let kept = median(
        time_runs(|| async {
            store
                .dashboard_counts(&scope, buckets, grace, recall, span_end())
                .await?;
            Ok(())
        })
        .await?,
    );
    let from_visits = median(
        time_runs(|| async {
            store
                .dashboard_counts_from_visits(&scope, buckets, grace, recall, span_end())
                .await?;
            Ok(())
        })
        .await?,
    );
    let insights = median(
        time_runs(|| async {
            store.insight_report(&scope, 500).await?;
            Ok(())
        })
        .await?,
    );
    println!(
        "  of which: counts {:.1} ms (counted from the visits instead: {:.1} ms), insight report {:.1} ms",
        ms(kept),
        ms(from_visits),
        ms(insights)
    );
    Ok(())
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs.get(runs.len() / 2).copied().unwrap_or_default()
}

async fn time_runs<F, Fut>(mut job: F) -> Result<Vec<Duration>, Box<dyn std::error::Error>>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<(), Box<dyn std::error::Error>>>,
{
    job().await?;
    let mut runs = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        job().await?;
        runs.push(started.elapsed());
    }
    Ok(runs)
}

/// Reads every row of the visits table: the floor any whole-table report
/// would stand on.
async fn full_scan(store: &Store) -> Result<(), Box<dyn std::error::Error>> {
    let row = sqlx::query("SELECT COUNT(*) AS n, MAX(arrived_at_ms) AS latest FROM visits")
        .fetch_one(store.pool())
        .await?;
    let visits: i64 = row.try_get("n")?;
    if visits == 0 {
        return Err("the visits table is empty".into());
    }
    Ok(())
}

fn span_end() -> Timestamp {
    local_midnight(2026, 11, 1, UtcOffset::CHINA)
}

/// The dashboard exactly as the page asks for it, October 2026.
async fn month(store: &Store, region: Option<&str>) -> Result<(), Box<dyn std::error::Error>> {
    let user = CurrentUser {
        id: "bench".into(),
        login: "bench".into(),
        display_name: "bench".into(),
        role: if region.is_some() {
            Role::Dispatcher
        } else {
            Role::Admin
        },
        region_id: region.map(region_id),
    };
    let query = DashboardQuery {
        period: "month".into(),
        date: "2026-10-15".into(),
        ..DashboardQuery::default()
    };
    let dashboard = load_dashboard(store, &user, query, ServiceZone::DEFAULT, span_end()).await?;
    if dashboard.total.visits_due == 0 {
        return Err("the measured month has no visits".into());
    }
    Ok(())
}

/// Ids are UUID-shaped, as the app makes them: `prefix` picks the table.
fn region_id(short: &str) -> String {
    let number: i64 = short.trim_start_matches('r').parse().unwrap_or(0);
    format!("00000000-0000-7000-8000-{number:012}")
}

/// The SQL text of an id: a UUID whose first group names the table and
/// whose last holds the number.
fn id_sql(table_tag: &str, number_sql: &str) -> String {
    format!(
        "'{table_tag}-0000-7000-8000-' || substr('000000000000' || CAST({number_sql} AS TEXT), \
         length(CAST({number_sql} AS TEXT)) + 1, 12)"
    )
}

async fn generate(store: &Store, visits: i64) -> Result<(), Box<dyn std::error::Error>> {
    let pool = store.pool();
    let orders = visits - visits / 5;
    let appliances = (visits / 4).max(1);
    let end = span_end().unix_millis();
    let start = end - SPAN_DAYS * DAY_MS;
    let technicians = REGIONS * TECHNICIANS_PER_REGION;
    let counter = |n: i64| {
        format!(
            "WITH RECURSIVE n(i) AS (SELECT CAST(0 AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i < {}) ",
            n - 1
        )
    };
    let mut tx = pool.begin().await?;
    for r in 0..REGIONS {
        sqlx::query("INSERT INTO regions (id, name, time_zone, created_at_ms) VALUES ($1, $2, 'Asia/Shanghai', 0)")
            .bind(region_id(&format!("r{r}")))
            .bind(format!("服务区 {r}"))
            .execute(&mut *tx)
            .await?;
    }
    let technician = id_sql("11111111", "i");
    tx.execute(
        format!(
            "{}INSERT INTO users (id, login, display_name, role, password_hash, active, region_id, created_at_ms) \
             SELECT {technician}, 'tech.' || CAST(i AS TEXT), '技师 ' || CAST(i AS TEXT), 'technician', \
             'x', 1, '00000000-0000-7000-8000-' || substr('000000000000' || CAST(i / {TECHNICIANS_PER_REGION} AS TEXT), \
             length(CAST(i / {TECHNICIANS_PER_REGION} AS TEXT)) + 1, 12), 0 FROM n",
            counter(technicians)
        )
        .as_str(),
    )
    .await?;
    let customer = id_sql("22222222", "i");
    tx.execute(
        format!(
            "{}INSERT INTO customers (id, name, phone, address, created_at_ms) \
             SELECT {customer}, '客户 ' || CAST(i AS TEXT), '13800000000', '上海市浦东新区', 0 FROM n",
            counter(appliances)
        )
        .as_str(),
    )
    .await?;
    let appliance = id_sql("33333333", "i");
    tx.execute(
        format!(
            "{}INSERT INTO appliances (id, customer_id, brand, category, model, serial_number) \
             SELECT {appliance}, {customer}, '海尔', \
             CASE i % 3 WHEN 0 THEN 'washing_machine' WHEN 1 THEN 'refrigerator' ELSE 'air_conditioner' END, \
             'M' || CAST(i % 20 AS TEXT), 'SN' || CAST(i AS TEXT) FROM n",
            counter(appliances)
        )
        .as_str(),
    )
    .await?;
    // Order i: registered evenly over the span, for appliance i mod A (so
    // each appliance is called about three times), in region i mod 4.
    let order = id_sql("44444444", "i");
    // Every 25th order calls again for the previous order's appliance and
    // fault, hours later: a repeat call.
    let repeat = "(CASE WHEN i % 25 = 1 THEN i - 1 ELSE i END)";
    let order_appliance = id_sql("33333333", &format!("({repeat} % {appliances})"));
    let order_customer = id_sql("22222222", &format!("({repeat} % {appliances})"));
    let order_region = id_sql("00000000", &format!("(i % {REGIONS})"));
    let registered = format!("({start} + i * {} )", SPAN_DAYS * DAY_MS / orders);
    tx.execute(
        format!(
            "{}INSERT INTO work_orders (id, customer_id, appliance_id, reported_fault, fault_category, \
             channel, priority, registered_at_ms, appointment_start_ms, appointment_end_ms, time_zone, \
             status, region_id) \
             SELECT {order}, {order_customer}, {order_appliance}, '不工作', \
             CASE ({repeat} * 7) % 3 WHEN 0 THEN 'noise' WHEN 1 THEN 'leak' ELSE 'drainage' END, \
             'phone', 'normal', {registered}, {registered} + 72000000, {registered} + 79200000, \
             'Asia/Shanghai', 'closed', {order_region} FROM n",
            counter(orders)
        )
        .as_str(),
    )
    .await?;
    // Visit i < orders is order i's first; the rest are second visits to
    // every fourth order, two days later. A technician of the order's region.
    let visit = id_sql("55555555", "i");
    let order_of = format!("(CASE WHEN i < {orders} THEN i ELSE (i - {orders}) * 4 END)");
    let visit_order = id_sql("44444444", order_of.as_str());
    let visit_technician = id_sql(
        "11111111",
        &format!(
            "(({order_of} % {REGIONS}) * {TECHNICIANS_PER_REGION} + ({order_of} * 13) % {TECHNICIANS_PER_REGION})"
        ),
    );
    let window_start = format!(
        "({start} + {order_of} * {} + 72000000 + (CASE WHEN i < {orders} THEN 0 ELSE {} END))",
        SPAN_DAYS * DAY_MS / orders,
        2 * DAY_MS
    );
    // Check-in from 30 min early to 2.5 h late; about 3 % cancelled, 2 %
    // never came, the rest signed (5 % only finished), 10 % not fixed.
    let status = "(CASE WHEN i % 33 = 0 THEN 'cancelled' WHEN i % 50 = 1 THEN 'dispatched' \
         WHEN i % 20 = 2 THEN 'work_finished' ELSE 'signed' END)";
    tx.execute(
        format!(
            "{}INSERT INTO visits (id, work_order_id, technician_id, window_start_ms, window_end_ms, \
             time_zone, checklist_version, status, created_at_ms, arrived_at_ms, work_finished_at_ms, \
             signed_at_ms, cancelled_at_ms, outcome, not_fixed_reason) \
             SELECT {visit}, {visit_order}, {visit_technician}, {window_start}, {window_start} + 7200000, \
             'Asia/Shanghai', 1, {status}, {window_start} - 43200000, \
             CASE WHEN {status} IN ('signed', 'work_finished') THEN {window_start} - 1800000 + ((i * 37) % 181) * 60000 END, \
             CASE WHEN {status} IN ('signed', 'work_finished') THEN {window_start} + 3600000 + ((i * 37) % 181) * 60000 END, \
             CASE WHEN {status} = 'signed' THEN {window_start} + 4000000 + ((i * 37) % 181) * 60000 END, \
             CASE WHEN {status} = 'cancelled' THEN {window_start} - 3600000 END, \
             CASE WHEN {status} IN ('signed', 'work_finished') THEN \
                 (CASE WHEN i % 10 = 3 THEN 'not_fixed' ELSE 'fixed' END) END, \
             CASE WHEN {status} IN ('signed', 'work_finished') AND i % 10 = 3 THEN 'parts_unavailable' END \
             FROM n",
            counter(visits)
        )
        .as_str(),
    )
    .await?;
    // Ten required items per finished visit; about one in 97 skipped.
    tx.execute(
        "INSERT INTO checklist_results (visit_id, item_key, answer, answered_at_ms) \
         SELECT v.id, t.item_key, 'done', v.window_start_ms FROM visits v \
         JOIN checklist_template_items t ON t.version = v.checklist_version AND t.required = 1 \
         WHERE v.status IN ('work_finished', 'signed') \
         AND (v.window_start_ms / 60000 + t.position) % 97 <> 0",
    )
    .await?;
    tx.execute(
        "INSERT INTO sign_offs (visit_id, signer_name, signature, customer_says_fixed, rating_skill, \
         rating_attitude, rating_timeliness, rating_parts_supply, rating_overall, no_arguing, \
         no_eating_drinking_smoking, no_gifts, no_extra_charges, signed_at_ms) \
         SELECT id, '客户', '{\"strokes\":[]}', 1, 5 - (window_start_ms / 60000) % 2, \
         5 - (window_start_ms / 60000) % 3, 5 - (window_start_ms / 60000) % 4, \
         4 + (window_start_ms / 60000) % 2, 5 - (window_start_ms / 60000) % 5, 1, 1, 1, 1, signed_at_ms \
         FROM visits WHERE status = 'signed'",
    )
    .await?;
    tx.execute(
        "INSERT INTO complaints (id, work_order_id, visit_id, source, received_at_ms, description) \
         SELECT 'c' || id, work_order_id, id, 'callback', signed_at_ms + 86400000, '回访不满意' \
         FROM visits WHERE status = 'signed' AND (window_start_ms / 60000) % 499 = 0",
    )
    .await?;
    tx.execute(
        "INSERT INTO field_insights (id, visit_id, category, note, written_by, written_at_ms) \
         SELECT 'f' || id, id, CASE WHEN (window_start_ms / 60000) % 2 = 0 THEN 'product_defect' \
         ELSE 'user_suggestion' END, '门封条容易脱落', technician_id, window_end_ms \
         FROM visits WHERE status = 'signed' AND (window_start_ms / 60000) % 211 = 0",
    )
    .await?;
    tx.commit().await?;
    pool.execute("ANALYZE").await?;
    let count: i64 = sqlx::query("SELECT COUNT(*) AS n FROM visits")
        .fetch_one(pool)
        .await?
        .try_get("n")?;
    if count != visits {
        return Err(format!("generated {count} visits, wanted {visits}").into());
    }
    Ok(())
}

pub enum Cleanup {
    SqliteDir(std::path::PathBuf),
    Postgres { admin_url: String, name: String },
}

impl Cleanup {
    pub async fn run(self) {
        match self {
            // DOORSTEP_BENCH_KEEP keeps the database, to study its plans.
            Cleanup::SqliteDir(dir) if std::env::var_os("DOORSTEP_BENCH_KEEP").is_some() => {
                println!("kept {}", dir.display());
            }
            Cleanup::Postgres { name, .. } if std::env::var_os("DOORSTEP_BENCH_KEEP").is_some() => {
                println!("kept the PostgreSQL database {name}");
            }
            Cleanup::SqliteDir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Postgres { admin_url, name } => {
                if let Ok(mut admin) = sqlx::PgConnection::connect(&admin_url).await {
                    let _ = admin
                        .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                        .await;
                    let _ = admin.close().await;
                }
            }
        }
    }
}

/// A new, migrated database on the engine, with what removes it.
pub async fn fresh_database(
    engine: &Engine,
) -> Result<(Store, DatabaseUrl, Cleanup), Box<dyn std::error::Error>> {
    let name = format!(
        "doorstep_bench_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_millis()
    );
    let (database, cleanup) = match &engine.postgres_admin_url {
        None => {
            let dir = std::env::temp_dir().join(&name);
            (
                DatabaseUrl::parse(&format!("sqlite://{}/bench.db", dir.display()))?,
                Cleanup::SqliteDir(dir),
            )
        }
        Some(admin_url) => {
            let mut admin = sqlx::PgConnection::connect(admin_url).await?;
            admin
                .execute(format!("CREATE DATABASE {name}").as_str())
                .await?;
            admin.close().await?;
            let (base, _) = admin_url
                .rsplit_once('/')
                .ok_or("the PostgreSQL URL names no database")?;
            (
                DatabaseUrl::parse(&format!("{base}/{name}"))?,
                Cleanup::Postgres {
                    admin_url: admin_url.clone(),
                    name,
                },
            )
        }
    };
    let pool = server::db::connect(&database).await?;
    server::db::migrate(&pool).await?;
    Ok((Store::new(pool), database, cleanup))
}
