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

    /// Rows per multi-row INSERT when many rows are written at once.
    /// Binding slows with the square of a statement's parameters on SQLite
    /// through sqlx (measured: a month of 3,037 dashboard slices took 864 ms
    /// in statements of 400 rows, 91 ms of 40, 52 ms of 10), so statements
    /// stay small there; PostgreSQL pays a round trip per statement instead
    /// (a million visits' history took 83 s to count and keep at 10 rows a
    /// statement, most of it in the statements that keep it).
    pub fn rows_per_insert(self) -> usize {
        match self {
            Engine::Sqlite => 10,
            Engine::Postgres => 100,
        }
    }

    /// Whether other processes learn of changes through the database
    /// (LISTEN/NOTIFY). SQLite serves from one process: its announcements
    /// stay in that process.
    pub fn notifies_through_database(self) -> bool {
        self == Engine::Postgres
    }
}

/// The column list and placeholders (`", a, b"`, `", $6, $7"`) that an
/// INSERT adds for floating-point values that may be absent: all of them
/// when `present`, none otherwise, so those columns default to NULL.
///
/// A float is never bound as NULL. sqlx 0.8's Any driver declares a NULL
/// f64 to PostgreSQL as float4, and the connection's statement cache keeps
/// that declaration for the statement's text: the same statement run later
/// on that connection with a real f64 is refused ("incorrect binary data
/// format in bind parameter"). A statement that names a float column
/// therefore always carries a value for it.
pub fn optional_float_columns(present: bool, columns: &[&str], first: usize) -> (String, String) {
    if !present {
        return (String::new(), String::new());
    }
    let names = columns.iter().map(|c| format!(", {c}")).collect();
    let placeholders = (first..first + columns.len())
        .map(|n| format!(", ${n}"))
        .collect();
    (names, placeholders)
}

#[cfg(test)]
mod tests {
    use super::optional_float_columns;

    #[test]
    fn optional_float_columns_are_named_only_when_present() {
        assert_eq!(
            optional_float_columns(true, &["latitude", "longitude"], 6),
            (", latitude, longitude".to_string(), ", $6, $7".to_string())
        );
        assert_eq!(
            optional_float_columns(false, &["latitude", "longitude"], 6),
            (String::new(), String::new())
        );
    }
}
