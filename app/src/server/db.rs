//! One pool, two backends: SQLite (embedded default) and PostgreSQL, through sqlx's `Any` driver
//! with runtime queries. Each backend has its own migrations.

use futures::future::BoxFuture;
use futures::stream::BoxStream;
use sqlx::any::{install_default_drivers, AnyPoolOptions, AnyQueryResult, AnyRow, AnyStatement, AnyTypeInfo};
use sqlx::AnyPool;
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The `n`th bind placeholder (from 1). SQLite gets anonymous `?`: for numbered ones, binding
    /// looks each name up in a list, which makes a statement with hundreds of parameters quadratic
    /// (measured: a 100-row batch insert took 2.8 times as long with `$n` as with `?`).
    pub fn placeholder(self, n: usize) -> String {
        match self {
            Backend::Sqlite => "?".to_string(),
            Backend::Postgres => format!("${n}"),
        }
    }

    /// On PostgreSQL, takes the lock that lets one transaction at a time rebuild organisation
    /// `org`'s counts: a day rebuilt while another transaction adds to it would miss that one's
    /// conversations. Take it before the transaction writes anything else, so that every writer
    /// takes its locks in the same order. (Not FOR UPDATE: every insert that refers to the
    /// organisation holds a key-share lock on its row, which FOR UPDATE waits for, and two such
    /// transactions would deadlock.) SQLite has one writer at a time already.
    pub async fn lock_counts(self, conn: &mut sqlx::AnyConnection, org: &str) -> sqlx::Result<()> {
        if self == Backend::Postgres {
            sqlx::query("SELECT id FROM organisations WHERE id = $1 FOR NO KEY UPDATE").bind(org).fetch_optional(&mut *conn).await?;
        }
        Ok(())
    }

    /// `INSERT INTO table (cols) VALUES (...), (...)` for `rows` rows.
    pub fn multi_insert(self, table: &str, columns: &[&str], rows: usize) -> String {
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let mut n = 0;
        for r in 0..rows {
            if r > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for c in 0..columns.len() {
                n += 1;
                if c > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&self.placeholder(n));
            }
            sql.push(')');
        }
        sql
    }
}

/// The database handle kept in the application state.
#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported database URL (use sqlite:// or postgres://)")]
    UnsupportedUrl,
    #[error("could not create the database folder {0}: {1}")]
    Folder(String, std::io::Error),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl Db {
    /// Connects, applies the backend's migrations and, for SQLite, switches the file to WAL. What
    /// runs beside the requests starts from [`super::startup`].
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        Self::connect_with(url, None).await
    }

    /// [`Db::connect`] with at most `pool_size` connections (None: 8 for SQLite, 16 for
    /// PostgreSQL; always 1 for SQLite in memory).
    pub async fn connect_with(url: &str, pool_size: Option<u32>) -> Result<Db, DbError> {
        install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(DbError::UnsupportedUrl);
        };
        if backend == Backend::Sqlite {
            ensure_sqlite_folder(url)?;
        }
        let in_memory = url.contains(":memory:");
        let pool = AnyPoolOptions::new()
            // Every connection to `sqlite::memory:` is its own empty database.
            .max_connections(match (in_memory, pool_size, backend) {
                (true, _, _) => 1,
                (false, Some(n), _) => n.max(1),
                (false, None, Backend::Sqlite) => 8,
                (false, None, Backend::Postgres) => 16,
            })
            .acquire_timeout(Duration::from_secs(10))
            // A SQLite connection is a file handle that cannot drop away; pinging it before each
            // use costs a round trip to its worker thread for nothing. A PostgreSQL connection can
            // be cut by the network or the server, so it is checked.
            .test_before_acquire(backend == Backend::Postgres)
            // A connection whose COMMIT failed (a full disk: SQLite has already rolled back, so
            // sqlx's ROLLBACK fails too) still counts itself inside a transaction, and every
            // transaction begun on it would fail. By the time a connection is handed out again,
            // any rollback it owed has run: one that still counts a transaction is dropped.
            .before_acquire(|conn, _| Box::pin(async move { Ok(!sqlx::Connection::is_in_transaction(conn)) }))
            .connect(url)
            .await?;
        if backend == Backend::Sqlite && !in_memory {
            // WAL lets readers carry on while a sync batch writes; the setting is kept in the file.
            sqlx::query("PRAGMA journal_mode = WAL").execute(&pool).await?;
        }
        let db = Db { pool, backend };
        db.migrate().await?;
        Ok(db)
    }

    /// Several instances starting at once: on PostgreSQL sqlx holds an advisory lock while it
    /// migrates, so one applies the migrations and the others wait, then find them applied.
    async fn migrate(&self) -> Result<(), DbError> {
        match self.backend {
            Backend::Sqlite => sqlx::migrate!("../migrations/sqlite").run(&self.pool).await?,
            Backend::Postgres => sqlx::migrate!("../migrations/postgres").run(&self.pool).await?,
        }
        Ok(())
    }

    /// Used by `/healthz`.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }
}

impl Db {
    /// Appended to a `SELECT` that claims rows for work: on PostgreSQL, rows another instance is
    /// claiming are passed over rather than waited for (or taken twice); SQLite has one writer,
    /// so its claim is atomic without it.
    pub fn skip_locked(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        }
    }

    /// Locks the rows a read inside a write transaction finds, of the table named `alias` in it,
    /// until the transaction ends: PostgreSQL says so (`FOR UPDATE OF`); on SQLite the
    /// transaction holds the write lock already (`begin_write`).
    pub fn for_update_of(&self, alias: &'static str) -> String {
        match self.backend {
            Backend::Sqlite => String::new(),
            Backend::Postgres => format!(" FOR UPDATE OF {alias}"),
        }
    }

    /// A connection of its own, for work that reads several times without a transaction.
    pub async fn acquire(&self) -> sqlx::Result<sqlx::pool::PoolConnection<sqlx::Any>> {
        self.pool.acquire().await
    }

    /// A transaction that will write. On SQLite it takes the write lock up front: a deferred
    /// transaction that reads first fails at once (SQLITE_BUSY_SNAPSHOT) if another writer
    /// commits between its read and its write.
    pub async fn begin_write(&self) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Any>> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }
}

/// A repository takes `&Db` (or, inside a transaction, the transaction's connection) and
/// hands it to sqlx as it would the pool: each query borrows a connection for its length.
impl<'p> sqlx::Executor<'p> for &'p Db {
    type Database = sqlx::Any;

    fn fetch_many<'e, 'q: 'e, E>(self, query: E) -> BoxStream<'e, sqlx::Result<sqlx::Either<AnyQueryResult, AnyRow>>>
    where
        'p: 'e,
        E: 'q + sqlx::Execute<'q, sqlx::Any>,
    {
        (&self.pool).fetch_many(query)
    }

    fn fetch_optional<'e, 'q: 'e, E>(self, query: E) -> BoxFuture<'e, sqlx::Result<Option<AnyRow>>>
    where
        'p: 'e,
        E: 'q + sqlx::Execute<'q, sqlx::Any>,
    {
        (&self.pool).fetch_optional(query)
    }

    fn prepare_with<'e, 'q: 'e>(self, sql: &'q str, parameters: &'e [AnyTypeInfo]) -> BoxFuture<'e, sqlx::Result<AnyStatement<'q>>>
    where
        'p: 'e,
    {
        (&self.pool).prepare_with(sql, parameters)
    }

    fn describe<'e, 'q: 'e>(self, sql: &'q str) -> BoxFuture<'e, sqlx::Result<sqlx::Describe<sqlx::Any>>>
    where
        'p: 'e,
    {
        (&self.pool).describe(sql)
    }
}

/// `sqlite://data/mobilise.db?mode=rwc` → make sure `data/` exists.
fn ensure_sqlite_folder(url: &str) -> Result<(), DbError> {
    let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or("");
    if path.is_empty() || path.contains(":memory:") {
        return Ok(());
    }
    if let Some(parent) = std::path::Path::new(path).parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent).map_err(|e| DbError::Folder(parent.display().to_string(), e))?;
        }
    }
    Ok(())
}

/// True when the error is a unique-constraint violation (same meaning on both backends).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => db.is_unique_violation(),
        _ => false,
    }
}
