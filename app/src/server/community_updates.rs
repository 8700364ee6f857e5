//! Carrying a community response through: progress updates to the residents invited to it
//! ("you said, we did"), the last of which may close it, and the volunteering opportunities that
//! help with it. Its own organisation's admins only.

use crate::domain::community_response::parse_update;
use crate::domain::Msg;
use crate::error::AppError;
use crate::server::auth::Caller;
use crate::server::repo::community::{self as repo, NewUpdate, ResponseRow};
use crate::server::repo::users::UserRow;

/// The response `id` of the caller's organisation, for one of its admins; anything else is not
/// found (another organisation's response is not theirs to see here).
async fn own_response<'c>(caller: &'c Caller, id: &str) -> Result<(&'c UserRow, ResponseRow), AppError> {
    let admin = caller.require(|r| r.can_answer_clusters())?;
    if !crate::domain::validation::is_uuid(id) {
        return Err(AppError::NotFound);
    }
    let row =
        repo::response(&caller.state.db, id).await?.filter(|r| r.organisation_id == admin.organisation_id).ok_or(AppError::NotFound)?;
    Ok((admin, row))
}

fn closed() -> AppError {
    AppError::Conflict(Msg::CommunityResponseClosedOpenNew)
}

/// Posts a progress update on an open response and emails it to each invited resident who still
/// agrees to hear about their issue; `close` (`yes`) makes it the last, closing the response.
pub async fn post_update(caller: &Caller, id: String, update: String, close: Option<String>) -> Result<(), AppError> {
    use crate::domain::mail::MessageKind;
    use crate::domain::outreach::ConsentPurpose;
    use crate::server::{letters, mail, now};
    let (admin, row) = own_response(caller, &id).await?;
    let update = parse_update(&update, close.as_deref()).map_err(AppError::Invalid)?;
    if row.status != "open" {
        return Err(closed());
    }
    let state = &caller.state;
    let org = admin.organisation_id.as_str();
    let base = state.link_base();
    let link = format!("{base}/together/{}", row.id);
    let t = now();
    let mut tx = state.db.begin_write().await?;
    let mut sent_to = 0;
    for person in repo::invited(&mut tx, &row.id).await? {
        let Some(who) = repo::reachable(&mut tx, org, &person).await? else { continue };
        let locale = who.writes_in();
        let about =
            crate::i18n::td_string!(locale, community.issue_in_area, theme = row.theme_name.to_lowercase(), area = row.area_name.as_str());
        let letter = letters::community_update(locale, &row.organisation_name, &who.name, &about, &update.body, update.closes, &link);
        let message = mail::Outgoing {
            organisation_id: org,
            kind: MessageKind::CommunityUpdate,
            to_address: &who.email,
            to_name: &who.name,
            letter,
            lang: crate::language::choice::code(locale),
            consultation_id: None,
            consent: Some((&who.resident_id, ConsentPurpose::ContactAboutIssue)),
        };
        mail::queue(&mut tx, &base, message, t).await?;
        sent_to += 1;
    }
    let new = NewUpdate { organisation_id: org, response_id: &row.id, update: &update, sent_to, posted_by: &admin.id };
    if !repo::post_update(&mut tx, &new, t).await? {
        // Closed by someone else a moment ago: nothing is stored or sent.
        return Err(closed());
    }
    tx.commit().await?;
    tracing::info!(user = %admin.id, response = %row.id, sent_to, closes = update.closes, "community response update posted");
    state.mail.now();
    Ok(())
}

/// Links one of the open volunteering opportunities offered to the organisation's residents to
/// an open response.
pub async fn link_opportunity(caller: &Caller, id: String, opportunity_id: String) -> Result<(), AppError> {
    let (admin, row) = own_response(caller, &id).await?;
    if row.status != "open" {
        return Err(closed());
    }
    let pair = (row.id.as_str(), opportunity_id.trim());
    if !repo::link_opportunity(&caller.state.db, &admin.organisation_id, pair, &admin.id, crate::server::now()).await? {
        return Err(AppError::invalid("opportunity_id", Msg::ChooseOneOpenVolunteeringOpportunities));
    }
    Ok(())
}

/// Takes a linked opportunity off an open response (one that no longer helps). Taking off one
/// that is not linked changes nothing, so a second press of the button is no error.
pub async fn unlink_opportunity(caller: &Caller, id: String, opportunity_id: String) -> Result<(), AppError> {
    let (admin, row) = own_response(caller, &id).await?;
    if row.status != "open" {
        return Err(closed());
    }
    match repo::unlink_opportunity(&caller.state.db, &row.id, opportunity_id.trim()).await? {
        Some(true) => tracing::info!(user = %admin.id, response = %row.id, "opportunity unlinked from a community response"),
        Some(false) => {}
        // Closed by someone else a moment ago: it stays as it was.
        None => return Err(closed()),
    }
    Ok(())
}
