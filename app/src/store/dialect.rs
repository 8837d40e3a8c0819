//! Where the two engines differ in how the store talks to them (not in
//! SQL, which stays portable): how a writing transaction begins, and how a
//! committed change reaches the other server processes.

use sqlx::AnyPool;

/// The channel committed visit changes are announced on (PostgreSQL).
pub const VISIT_CHANGES_CHANNEL: &str = "doorstep_visit_changes";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    /// The engine behind a pool, from the URL it was opened with.
    pub fn of(pool: &AnyPool) -> Engine {
        match pool.connect_options().database_url.scheme() {
            "postgres" | "postgresql" => Engine::Postgres,
            _ => Engine::Sqlite,
        }
    }

    /// How a transaction that may write begins. SQLite's default (DEFERRED)
    /// starts as a reader and upgrades at its first write; in WAL mode that
    /// upgrade fails at once with SQLITE_BUSY when another connection wrote
    /// since the read began, and the busy timeout cannot help. IMMEDIATE
    /// takes the one write lock up front, so writers queue on the busy
    /// timeout instead. PostgreSQL's row locks need nothing of the sort.
    pub fn begin_statement(self) -> &'static str {
        match self {
            Engine::Sqlite => "BEGIN IMMEDIATE",
            Engine::Postgres => "BEGIN",
        }
    }

    /// Whether other processes learn of changes through the database
    /// (LISTEN/NOTIFY). SQLite serves from one process: its announcements
    /// stay in that process.
    pub fn notifies_through_database(self) -> bool {
        self == Engine::Postgres
    }
}
