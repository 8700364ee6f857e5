//! The outgoing-message table's drain. No mail transport is built in yet: each message is
//! written to the log (address masked: logs are not the place for personal data) and marked
//! as handled, so the same drain can hand them to a real transport later.

use crate::domain::validation::mask_email;
use sqlx::AnyPool;

/// Handles up to `limit` waiting messages; returns how many.
pub async fn drain(pool: &AnyPool, now: i64, limit: i64) -> sqlx::Result<u64> {
    let waiting: Vec<(String, String, String)> =
        sqlx::query_as("SELECT id, to_address, subject FROM outgoing_messages WHERE sent_at IS NULL ORDER BY created_at, id LIMIT $1")
            .bind(limit)
            .fetch_all(pool)
            .await?;
    let mut handled = 0;
    for (id, to, subject) in waiting {
        // Whatever was queued, a header value never carries a line break to the transport.
        let subject = crate::domain::validation::one_line(&subject, 200);
        tracing::info!(message = %id, to = %mask_email(&to), %subject, "outgoing message (no mail transport configured: logged, not sent)");
        handled += sqlx::query("UPDATE outgoing_messages SET sent_at = $1, sent_by = 'log' WHERE id = $2 AND sent_at IS NULL")
            .bind(now)
            .bind(&id)
            .execute(pool)
            .await?
            .rows_affected();
    }
    Ok(handled)
}
