//! Proposals, support and comments, and their moderation.

use crate::error::AppError;
use crate::server::auth::Caller;
use crate::server::Db;
use crate::types::participation::*;

use crate::domain::consultation::{accepts_input, Stage};
use crate::domain::participation::shown_author;
use crate::domain::Msg;
use crate::server::repo::{consultations::ConsultationRow, participation::ProposalRow};

pub fn card(p: ProposalRow) -> ProposalCard {
    ProposalCard {
        held: p.status != "visible" && p.mine == 1,
        reported: p.reported > 0,
        supported: p.mine_supported > 0,
        author: shown_author(&p.author_name),
        id: p.id,
        consultation_id: p.consultation_id,
        title: p.title,
        body: p.body,
        supporters: p.supporters,
        comments: p.comments,
    }
}

/// Refuses input when the consultation is not open (or, for `ideas_only`, not open for ideas).
pub fn check_open(row: &ConsultationRow, ideas_only: bool) -> Result<(), AppError> {
    let stage = row.stage;
    let today = crate::server::uk_today();
    accepts_input(stage, row.opens_on.as_deref(), row.closes_on.as_deref(), &today).map_err(AppError::Conflict)?;
    if ideas_only && stage != Stage::OpenForIdeas {
        return Err(AppError::Conflict(Msg::ConsultationAskingFeedbackQuestionsNow));
    }
    Ok(())
}

/// The proposal, if it exists and the asker may see it (visible, or their own), with its consultation.
pub async fn visible_proposal(db: &Db, id: &str, participant: &str) -> Result<(ProposalRow, ConsultationRow), AppError> {
    use crate::server::repo;
    let p = repo::participation::find_proposal(db, id, participant).await?.ok_or(AppError::NotFound)?;
    if p.status != "visible" && p.mine != 1 {
        return Err(AppError::NotFound);
    }
    let c = repo::consultations::find(db, &p.consultation_id).await?.ok_or(AppError::NotFound)?;
    if c.stage == Stage::Draft {
        return Err(AppError::NotFound);
    }
    Ok((p, c))
}

/// A consultation's ideas, most supported first.
pub async fn list_proposals(caller: &Caller, consultation_id: String) -> Result<Vec<ProposalCard>, AppError> {
    use crate::server::{participant, repo};
    let state = &caller.state;
    let key = participant::current(caller).unwrap_or_default();
    let rows = repo::participation::proposals_of(&state.db, &consultation_id, &key).await?;
    Ok(rows.into_iter().map(crate::server::participation::card).collect())
}

/// Shares an idea. One with a link, or repeating the author's earlier text, waits for a moderator.
pub async fn propose(
    caller: &Caller,
    consultation_id: String,
    title: String,
    body: String,
    author_name: String,
) -> Result<String, AppError> {
    use crate::domain::participation::{auto_flag, check_proposal, MAX_PROPOSALS_PER_WINDOW, RATE_WINDOW_SECS};
    use crate::server::{now, participant, repo};
    let state = &caller.state;
    let db = &state.db;
    let user = caller.privileged().cloned();
    let row = repo::consultations::find(db, &consultation_id).await?.ok_or(AppError::NotFound)?;
    if row.stage == Stage::Draft && user.as_ref().is_none_or(|u| u.organisation_id != row.organisation_id) {
        return Err(AppError::NotFound);
    }
    crate::server::participation::check_open(&row, true)?;
    check_proposal(&title, &body, &author_name).map_err(AppError::Invalid)?;
    crate::server::auth::address_allowance("proposal").await?;
    let key = participant::current_or_new(caller);
    let t = now();
    if repo::participation::recent_count(db, "proposals", &key, t - RATE_WINDOW_SECS, Some(&consultation_id)).await?
        >= MAX_PROPOSALS_PER_WINDOW
    {
        return Err(AppError::RateLimited { retry_after_secs: RATE_WINDOW_SECS });
    }
    let earlier = repo::participation::earlier_texts(db, "proposals", &key).await?;
    let flag = auto_flag(&format!("{} {}", title, body), []).or_else(|| auto_flag(&body, earlier.iter().map(String::as_str))).unwrap_or("");
    let new = repo::participation::NewProposal {
        organisation_id: &row.organisation_id,
        consultation_id: &consultation_id,
        participant: &key,
        author_name: author_name.trim(),
        title: title.trim(),
        body: body.trim(),
        flag,
    };
    repo::participation::insert_proposal(db, &new, t).await.map_err(AppError::from)
}

/// Supports an idea, once per participant.
pub async fn support_proposal(caller: &Caller, proposal_id: String) -> Result<bool, AppError> {
    use crate::domain::participation::{SUPPORTS_PER_ADDRESS_PER_IDEA, SUPPORT_WINDOW_SECS};
    use crate::server::{now, participant, repo};
    let state = &caller.state;
    let db = &state.db;
    let key = participant::current_or_new(caller);
    let (proposal, consultation) = crate::server::participation::visible_proposal(db, &proposal_id, &key).await?;
    crate::server::participation::check_open(&consultation, false)?;
    if proposal.mine_supported > 0 {
        return Ok(false);
    }
    // Support decides what rises to the top, so it is bounded like any post: per address
    // overall, and, for people who are not signed in (a new cookie is free), a few times
    // per idea per day from one address (a household, a library).
    crate::server::auth::address_allowance("support").await?;
    if !participant::is_account(&key) {
        crate::server::auth::address_allowance_within(
            &format!("support:{proposal_id}"),
            SUPPORTS_PER_ADDRESS_PER_IDEA,
            SUPPORT_WINDOW_SECS,
        )
        .await?;
    }
    repo::participation::support(db, &proposal_id, &key, now()).await.map_err(AppError::from)
}

/// An idea with its comments.
pub async fn get_proposal(caller: &Caller, proposal_id: String) -> Result<ProposalPage, AppError> {
    use crate::server::{participant, repo};
    let state = &caller.state;
    let db = &state.db;
    let key = participant::current(caller).unwrap_or_default();
    let (p, c) = crate::server::participation::visible_proposal(db, &proposal_id, &key).await?;
    let comments = repo::participation::comments_of(db, &proposal_id, &key)
        .await?
        .into_iter()
        .map(|m| CommentView {
            id: m.id,
            author: crate::domain::participation::shown_author(&m.author_name),
            body: m.body,
            held: m.status != "visible",
            reported: m.reported > 0,
        })
        .collect();
    let open = crate::server::participation::check_open(&c, false).is_ok();
    Ok(ProposalPage { proposal: crate::server::participation::card(p), consultation_title: c.title, comments, open })
}

pub async fn comment_on(caller: &Caller, proposal_id: String, comment: String, author_name: String) -> Result<(), AppError> {
    use crate::domain::participation::{auto_flag, check_comment, MAX_COMMENTS_PER_WINDOW, RATE_WINDOW_SECS};
    use crate::server::{now, participant, repo};
    let state = &caller.state;
    let db = &state.db;
    check_comment(&comment, &author_name).map_err(AppError::Invalid)?;
    let key = participant::current_or_new(caller);
    let (p, c) = crate::server::participation::visible_proposal(db, &proposal_id, &key).await?;
    crate::server::participation::check_open(&c, false)?;
    crate::server::auth::address_allowance("comment").await?;
    let t = now();
    if repo::participation::recent_count(db, "comments", &key, t - RATE_WINDOW_SECS, None).await? >= MAX_COMMENTS_PER_WINDOW {
        return Err(AppError::RateLimited { retry_after_secs: RATE_WINDOW_SECS });
    }
    let earlier = repo::participation::earlier_texts(db, "comments", &key).await?;
    let flag = auto_flag(&comment, earlier.iter().map(String::as_str)).unwrap_or("");
    let new = repo::participation::NewComment {
        organisation_id: &p.organisation_id,
        proposal_id: &proposal_id,
        participant: &key,
        author_name: author_name.trim(),
        body: comment.trim(),
        flag,
    };
    repo::participation::insert_comment(db, &new, t).await.map_err(AppError::from)
}

/// Reports an idea or a comment to the organisation's moderators.
pub async fn report_contribution(caller: &Caller, kind: String, target_id: String, reason: String) -> Result<bool, AppError> {
    use crate::domain::participation::MAX_REPORT_REASON_LEN;
    use crate::server::{now, participant, repo};
    let state = &caller.state;
    let db = &state.db;
    if reason.chars().count() > MAX_REPORT_REASON_LEN {
        return Err(AppError::invalid("reason", Msg::TooLong { what: crate::domain::Label::Reason, max: MAX_REPORT_REASON_LEN as i64 }));
    }
    let key = participant::current_or_new(caller);
    let proposal_id = match kind.as_str() {
        "proposal" => target_id.clone(),
        "comment" => repo::participation::comment_owner(db, &target_id).await?.ok_or(AppError::NotFound)?.1,
        _ => return Err(AppError::invalid("kind", Msg::ChooseWhatReport)),
    };
    crate::server::participation::visible_proposal(db, &proposal_id, &key).await?;
    crate::server::auth::address_allowance("report").await?;
    let identity = participant::reporter_identity(caller);
    let who = repo::participation::Reporter { participant: &key, identity: &identity };
    repo::participation::report(db, &kind, &target_id, &who, reason.trim(), now()).await.map_err(AppError::from)
}

/// Contributions waiting for a moderator's decision in the admin's organisation.
pub async fn moderation_queue(caller: &Caller) -> Result<Vec<QueuedItem>, AppError> {
    use crate::server::repo;
    let admin = caller.consultation_manager()?;
    let state = &caller.state;
    let rows = repo::participation::queue(&state.db, &admin.organisation_id).await?;
    Ok(rows
        .into_iter()
        .map(|r| QueuedItem {
            author: crate::domain::participation::shown_author(&r.author_name),
            kind: r.kind,
            id: r.id,
            consultation_title: r.consultation_title,
            text: r.text,
            status: r.status,
            flag: r.flag,
            reports: r.report_count,
            reason: r.reasons.unwrap_or_default(),
        })
        .collect())
}

/// One decision for every ticked item: `items` holds "proposal:<id>" / "comment:<id>".
pub async fn moderate(caller: &Caller, items: Option<Vec<String>>, action: Option<String>) -> Result<u64, AppError> {
    use crate::domain::participation::Moderation;
    use crate::server::{now, repo};
    let admin = caller.consultation_manager()?;
    let state = &caller.state;
    let items: Vec<(String, String)> = items
        .unwrap_or_default()
        .iter()
        .filter_map(|i| i.split_once(':'))
        .filter(|(k, _)| *k == "proposal" || *k == "comment")
        .map(|(k, id)| (k.to_string(), id.to_string()))
        .collect();
    let mut errors = crate::domain::FieldErrors::new();
    if items.is_empty() {
        errors.add("items", Msg::TickAtLeastOneItem);
    }
    let action = action.as_deref().and_then(Moderation::parse);
    if action.is_none() {
        errors.add("action", Msg::ChooseWhatDoTickedItems);
    }
    errors.into_result().map_err(AppError::Invalid)?;
    let status = if action.is_some_and(Moderation::visible_after) { "visible" } else { "hidden" };
    repo::participation::moderate(&state.db, &admin.organisation_id, &items, status, now()).await.map_err(AppError::from)
}
