//! A commitment added to an open follow-up after the visit, sent by a tablet: stored once (by
//! the id the tablet gave it) after the follow-up's others, and counted with its conversation.

use super::*;
use crate::domain::commitment::{CommitmentAdded, MAX_COMMITMENTS};

pub(super) async fn apply_commitment_added(
    tx: &mut Transaction<'_, Any>,
    cx: &Context,
    item: &SyncItem,
    received_at: i64,
) -> sqlx::Result<ItemOutcome> {
    let org = cx.user.organisation_id.as_str();
    // Agreed when the tablet says, never after it reached the server.
    let at = crate::domain::outreach::bounded_device_time(item.created_on_device_at, received_at);
    let added: CommitmentAdded = match checked(item, |a: &CommitmentAdded| a.validate(at, &cx.reference)) {
        Ok(a) => a,
        Err(o) => return Ok(o),
    };
    let follow_up: Option<(String, String, i64)> = sqlx::query_as(
        "SELECT f.owner_id, f.status, CAST(COUNT(r.id) AS BIGINT) FROM follow_ups f JOIN interactions i ON i.id = f.id \
         LEFT JOIN residents r ON r.id = i.resident_id AND r.erased_at IS NOT NULL WHERE f.id = $1 AND f.organisation_id = $2 \
         GROUP BY f.owner_id, f.status",
    )
    .bind(&added.follow_up_id)
    .bind(org)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((owner, status, erased)) = follow_up else {
        return Ok(rejected("follow_up_id", Msg::FollowUpDoesNotExist));
    };
    if owner != cx.user.id && !cx.is_admin {
        return Ok(rejected("follow_up_id", Msg::OnlyOwnerAddsAgreed));
    }
    if status != "open" {
        return Ok(rejected("follow_up_id", Msg::FollowUpResolvedBeforeCommitment));
    }
    let (count, last): (i64, i64) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(MAX(position), 0) AS BIGINT) FROM commitments WHERE follow_up_id = $1",
    )
    .bind(&added.follow_up_id)
    .fetch_one(&mut **tx)
    .await?;
    if count >= MAX_COMMITMENTS as i64 {
        return Ok(rejected("commitment-1-text", Msg::TooManyCommitmentsAlready { count: MAX_COMMITMENTS as u64 }));
    }
    let c = &added.commitment;
    sqlx::query(
        "INSERT INTO commitments (id, organisation_id, follow_up_id, position, side, text, owner_id, due_on, service_id, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', $10)",
    )
    .bind(&item.id)
    .bind(org)
    .bind(&added.follow_up_id)
    .bind(last + 1)
    .bind(c.side.as_str())
    // About a resident erased since: kept and counted, without the words.
    .bind(if erased > 0 { "" } else { c.text.trim() })
    .bind(c.owner_id.as_deref())
    .bind(c.due_on.as_deref().map(str::trim).filter(|d| !d.is_empty()))
    .bind(c.service_id.as_deref())
    .bind(received_at)
    .execute(&mut **tx)
    .await?;
    // A resolution made without knowing of it (it would not settle it) is then a conflict: the
    // tablet reloads the follow-up and asks again.
    sqlx::query("UPDATE follow_ups SET version = version + 1 WHERE id = $1").bind(&added.follow_up_id).execute(&mut **tx).await?;
    crate::server::repo::intelligence::after_conversation_changed(tx, org, &added.follow_up_id).await?;
    Ok(ItemOutcome::Stored)
}
