use leptos::prelude::*;

use crate::api::error::AppError;
use crate::domain::admin::AuditEntry;

/// How many entries the page shows; the CSV export has them all.
pub const AUDIT_PAGE_ENTRIES: i64 = 200;

/// The newest admin changes, newest first; admins only.
#[server(prefix = "/api/admin", endpoint = "audit")]
pub async fn get_audit_log() -> Result<Vec<AuditEntry>, AppError> {
    use crate::context;
    use crate::domain::auth::Role;

    crate::auth::require_role(&[Role::Admin]).await?;
    Ok(context::store()?.audit_log(AUDIT_PAGE_ENTRIES).await?)
}
