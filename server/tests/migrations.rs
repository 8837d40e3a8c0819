//! Migrations that carry data forward, run on a database that holds what
//! the schema before them allowed.

use app::domain::charges::{FeeSchedule, FeeScheduleItem, Money};
use app::domain::validation::FeeCode;
use app::domain::work_order::ApplianceCategory;
use sqlx::Row;

use crate::common::{self, TestDb};

/// The first migration of the versioned fee schedule.
const FEE_VERSIONS: i64 = 20261127000015;

/// Runs the migrations before `version` only: a database as an older
/// release left it.
async fn migrate_before(db: &TestDb, version: i64) {
    let all = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let older = std::env::temp_dir().join(common::unique_name());
    std::fs::create_dir_all(&older).unwrap();
    for entry in std::fs::read_dir(&all).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let number: i64 = name.split('_').next().unwrap().parse().unwrap();
        if number < version {
            std::fs::copy(&path, older.join(&name)).unwrap();
        }
    }
    sqlx::migrate::Migrator::new(older.as_path())
        .await
        .unwrap()
        .run(db.store.pool())
        .await
        .unwrap();
    std::fs::remove_dir_all(older).unwrap();
}

async fn a_flat_fee_list_becomes_version_one_of_every_category(db: &TestDb) {
    migrate_before(db, FEE_VERSIONS).await;
    for (code, zh, en, fen, active) in [
        ("VISIT", "上门费", "Call-out fee", 2_500, 1),
        ("LABOR", "维修工时费", "Repair labour", 7_000, 1),
        ("OLD", "旧收费项", "Retired fee", 100, 0),
    ] {
        sqlx::query(
            "INSERT INTO fee_schedule (code, name_zh, name_en, amount_fen, active) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(code)
        .bind(zh)
        .bind(en)
        .bind(fen as i64)
        .bind(active)
        .execute(db.store.pool())
        .await
        .unwrap();
    }
    // The first start wrote checklist version 1; the schedule's version 1
    // takes its date.
    sqlx::query("UPDATE checklist_templates SET created_at_ms = 1700000000000")
        .execute(db.store.pool())
        .await
        .unwrap();

    server::db::migrate(db.store.pool()).await.unwrap();

    let store = &db.store;
    assert_eq!(store.current_fee_schedule_version().await.unwrap(), 1);
    let versions = store.fee_schedule_versions().await.unwrap();
    assert_eq!(versions.len(), 1, "the start writes no default over it");
    assert_eq!(versions[0].1.unix_millis(), 1_700_000_000_000);
    let item = |code: &str, zh: &str, en: &str, fen: i64| FeeScheduleItem {
        code: FeeCode::parse(code).unwrap(),
        name_zh: zh.into(),
        name_en: en.into(),
        amount: Money::from_fen("amount", fen).unwrap(),
    };
    for &category in ApplianceCategory::ALL {
        assert_eq!(
            store.fee_schedule(1, category).await.unwrap(),
            FeeSchedule {
                version: 1,
                category,
                // The active items, by code; the retired one is not offered.
                items: vec![
                    item("LABOR", "维修工时费", "Repair labour", 7_000),
                    item("VISIT", "上门费", "Call-out fee", 2_500),
                ],
            },
            "{category:?}"
        );
    }
    // Every code stays in the register the charges on visits refer to.
    let codes: Vec<String> = sqlx::query("SELECT code FROM fee_codes ORDER BY code")
        .fetch_all(store.pool())
        .await
        .unwrap()
        .iter()
        .map(|row| row.get("code"))
        .collect();
    assert_eq!(codes, ["LABOR", "OLD", "VISIT"]);
}

mod a_flat_fee_list_becomes_version_one_of_every_category {
    #[tokio::test]
    async fn sqlite() {
        let db = super::common::empty_sqlite().await;
        super::a_flat_fee_list_becomes_version_one_of_every_category(&db).await;
        db.close().await;
    }

    #[tokio::test]
    async fn postgres() {
        let db = super::common::empty_postgres().await;
        super::a_flat_fee_list_becomes_version_one_of_every_category(&db).await;
        db.close().await;
    }
}
