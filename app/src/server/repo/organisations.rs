use crate::domain::OrganisationKind;
use crate::server::Db;

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct OrganisationRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub created_at: i64,
}

impl OrganisationRow {
    pub fn kind(&self) -> Option<OrganisationKind> {
        OrganisationKind::parse(&self.kind)
    }
}

pub async fn insert<'e>(
    exec: impl sqlx::Executor<'e, Database = sqlx::Any>,
    name: &str,
    kind: OrganisationKind,
    now: i64,
) -> sqlx::Result<String> {
    let id = uuid::Uuid::new_v4().to_string();
    sqlx::query("INSERT INTO organisations (id, name, kind, created_at) VALUES ($1, $2, $3, $4)")
        .bind(&id)
        .bind(name)
        .bind(kind.as_str())
        .bind(now)
        .execute(exec)
        .await?;
    Ok(id)
}

pub async fn get(db: &Db, id: &str) -> sqlx::Result<Option<OrganisationRow>> {
    sqlx::query_as("SELECT id, name, kind, created_at FROM organisations WHERE id = $1").bind(id).fetch_optional(db).await
}

pub async fn count(db: &Db) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM organisations").fetch_one(db).await
}

/// The organisation whose site this is, which residents join by making an account: the first
/// organisation made that is not a community group (groups join through their partner).
pub async fn site_host(db: &Db) -> sqlx::Result<Option<OrganisationRow>> {
    sqlx::query_as("SELECT id, name, kind, created_at FROM organisations WHERE kind <> 'community_group' ORDER BY created_at, id LIMIT 1")
        .fetch_optional(db)
        .await
}
