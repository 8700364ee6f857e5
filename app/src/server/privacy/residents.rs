//! An admin's work on residents' data: finding them, their file, requests, erasure and the audit
//! log.

use crate::domain::Msg;
use crate::error::AppError;
use crate::server::auth::Caller;
use crate::types::privacy::*;

/// The longest search for a resident.
const MAX_QUERY: usize = 200;

/// The data protection page: residents found by name or contact details, and open requests.
pub async fn load_privacy_home(caller: &Caller, query: Option<String>) -> Result<PrivacyHome, AppError> {
    use crate::domain::calendar::uk_day;
    use crate::server::{auth, now, repo::privacy as repo};
    let (user, state) = crate::server::privacy::admin(caller)?;
    let query = query.unwrap_or_default().trim().to_string();
    // A name or an address, not an essay: SQLite refuses a LIKE pattern past 50,000 bytes.
    if query.chars().count() > MAX_QUERY {
        return Err(AppError::invalid("query", Msg::SearchTooLong { max: MAX_QUERY as i64 }));
    }
    let mut found = Vec::new();
    if query.chars().count() >= 2 {
        let mut tx = state.db.begin_write().await?;
        repo::ensure_account_residents(&mut tx, &user.organisation_id, now()).await?;
        // Someone known only by an email address left on a consultation response: a record
        // is made for them only by the app's own search (a POST), never by loading a page.
        if auth::is_post() {
            repo::ensure_email_resident(&mut tx, &user.organisation_id, &query, &user.id, now()).await?;
        }
        tx.commit().await?;
        found = repo::find_residents(&state.db, &user.organisation_id, &query, FIND_LIMIT + 1).await?;
    }
    let more = found.len() as i64 > FIND_LIMIT;
    found.truncate(FIND_LIMIT as usize);
    let today = crate::server::privacy::day_text(uk_day(now()));
    let requests = repo::requests(&state.db, &user.organisation_id, None)
        .await?
        .into_iter()
        .map(|r| crate::server::privacy::request_view(r, &today))
        .filter(|r| r.open)
        .collect();
    Ok(PrivacyHome { query, found: found.into_iter().map(crate::server::privacy::summary).collect(), more, requests })
}

/// Everything held about one resident. Viewing it is written to the audit log, so it is shown
/// only to a POST (the app's own call, or the page's "Show their records" button): for a GET,
/// `None`, and nothing is read or written.
pub async fn load_resident_file(caller: &Caller, resident_id: String) -> Result<Option<ResidentFile>, AppError> {
    use crate::domain::privacy::AuditAction;
    use crate::server::auth;
    let (user, state) = crate::server::privacy::admin(caller)?;
    if !auth::opened_by_post() {
        return Ok(None);
    }
    let file = crate::server::privacy::file(state, user, &resident_id).await?;
    crate::server::privacy::audit(state, user, AuditAction::Viewed, Some(&resident_id), "all records").await?;
    Ok(Some(file))
}

/// Logs a subject access or erasure request with the date it arrived; it is due one calendar
/// month later.
pub async fn log_request(caller: &Caller, resident_id: String, kind: Option<String>, received_on: String) -> Result<RequestView, AppError> {
    use crate::domain::calendar::{parse_date, uk_day};
    use crate::domain::privacy::{request_due, AuditAction, RequestKind};
    use crate::domain::FieldErrors;
    use crate::server::{now, repo::privacy as repo};
    let (user, state) = crate::server::privacy::admin(caller)?;
    let mut errors = FieldErrors::new();
    let kind = kind.as_deref().and_then(RequestKind::parse);
    if kind.is_none() {
        errors.add("kind", Msg::SelectWhatResidentAsked);
    }
    let today = uk_day(now());
    let received = parse_date(received_on.trim());
    match received {
        None => errors.add("received_on", Msg::EnterDateRequestArrivedExample),
        Some(d) if d > today => errors.add("received_on", Msg::DateRequestArrivedCannotFuture),
        _ => {}
    }
    errors.into_result().map_err(AppError::Invalid)?;
    let (kind, received) = (kind.unwrap(), received.unwrap());
    repo::resident(&state.db, &user.organisation_id, &resident_id).await?.ok_or(AppError::NotFound)?;
    let due = crate::server::privacy::day_text(request_due(received));
    let received_text = crate::server::privacy::day_text(received);
    let request = repo::NewRequest {
        organisation_id: &user.organisation_id,
        resident_id: &resident_id,
        kind,
        received_on: &received_text,
        due_on: &due,
        recorded_by: &user.id,
    };
    let id = repo::insert_request(&state.db, request, now()).await?;
    crate::server::privacy::audit(state, user, AuditAction::RequestLogged, Some(&resident_id), kind.as_str()).await?;
    let today_text = crate::server::privacy::day_text(today);
    Ok(crate::server::privacy::request_view(
        repo::RequestRow {
            id,
            resident_id,
            kind: kind.as_str().into(),
            received_on: received_text,
            due_on: due,
            status: "open".into(),
            completed_at: None,
        },
        &today_text,
    ))
}

/// Marks a request answered.
pub async fn close_request(caller: &Caller, request_id: String) -> Result<(), AppError> {
    use crate::domain::privacy::AuditAction;
    use crate::server::{now, repo::privacy as repo};
    let (user, state) = crate::server::privacy::admin(caller)?;
    let mut conn = state.db.acquire().await?;
    let resident = repo::close_request(&mut conn, &user.organisation_id, &request_id, &user.id, now()).await?.ok_or(AppError::NotFound)?;
    drop(conn);
    crate::server::privacy::audit(state, user, AuditAction::RequestClosed, Some(&resident), &request_id).await
}

/// Erases a resident's personal data everywhere (see `repo::privacy::erase`) and answers their
/// open erasure requests. `confirm` must be ticked: it cannot be undone.
pub async fn erase_resident(
    caller: &Caller,
    resident_id: String,
    confirm: Option<String>,
    password: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::privacy::AuditAction;
    use crate::server::{auth, now, repo::privacy as repo};
    let (user, state) = crate::server::privacy::admin(caller)?;
    if confirm.as_deref() != Some("yes") {
        return Err(AppError::invalid("confirm", Msg::TickBoxConfirmErasureCannot));
    }
    // It cannot be undone: the admin proves it is them, unless they did so a moment ago.
    auth::confirm_recent(state, &caller.session, user, password, "password").await?;
    let t = now();
    let address = auth::client_address(state);
    let mut tx = state.db.begin_write().await?;
    // The person, with every record linked as them.
    let records = repo::erase(&mut tx, &user.organisation_id, &resident_id, t).await?;
    if records.is_empty() {
        return Err(AppError::NotFound);
    }
    for record in &records {
        sqlx::query(
            "UPDATE privacy_requests SET status = 'done', completed_at = $3, completed_by = $4 \
                 WHERE resident_id = $1 AND organisation_id = $2 AND kind = 'erasure' AND status = 'open'",
        )
        .bind(record)
        .bind(&user.organisation_id)
        .bind(t)
        .bind(&user.id)
        .execute(&mut *tx)
        .await?;
        let detail = if *record == resident_id {
            "personal data erased".to_string()
        } else {
            format!("personal data erased, as the same person as {resident_id}")
        };
        repo::audit(
            &mut tx,
            crate::server::repo::privacy::AuditEntry {
                organisation_id: &user.organisation_id,
                actor: Some(&user.id),
                action: AuditAction::Erased,
                resident_id: Some(record),
                detail: &detail,
                address: &address,
                at: t,
            },
        )
        .await?;
    }
    tx.commit().await?;
    tracing::info!(admin = %user.id, resident = %resident_id, records = records.len(), "resident erased");
    Ok(())
}

/// The audit log, newest first, filtered by resident id, member of staff, action and dates.
pub async fn audit_log(
    caller: &Caller,
    resident: Option<String>,
    who: Option<String>,
    action: Option<String>,
    from: Option<String>,
    to: Option<String>,
) -> Result<AuditPage, AppError> {
    use crate::domain::calendar::{parse_date, uk_day_start};
    use crate::domain::privacy::AuditAction;
    use crate::server::repo;
    use crate::types::intelligence::Problem;
    let (user, state) = crate::server::privacy::admin(caller)?;
    let mut problems = Vec::new();
    let mut date = |field: &str, value: &Option<String>, plus: i64| -> Option<i64> {
        let v = value.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
        match parse_date(v) {
            Some(d) => Some(uk_day_start(d + plus)),
            None => {
                problems.push(Problem {
                    field: field.to_string(),
                    message: crate::domain::Msg::NotADate { given: v.to_string() }.to_string(),
                    given: v.to_string(),
                });
                None
            }
        }
    };
    let query = repo::privacy::AuditQuery {
        resident_id: resident.map(|r| r.trim().to_string()).filter(|r| !r.is_empty()),
        actor_id: who.filter(|w| !w.is_empty()),
        action: action.as_deref().and_then(AuditAction::parse),
        from: date("from", &from, 0),
        until: date("to", &to, 1),
    };
    let mut rows = repo::privacy::search_audit(&state.db, &user.organisation_id, &query, AUDIT_LIMIT + 1).await?;
    let more = rows.len() as i64 > AUDIT_LIMIT;
    rows.truncate(AUDIT_LIMIT as usize);
    let staff = repo::users::list_staff(&state.db, &user.organisation_id)
        .await?
        .into_iter()
        .map(|u| crate::types::Named { id: u.id, name: u.display_name })
        .collect();
    let locale = crate::language::page_locale();
    let entries = rows
        .into_iter()
        .map(|r| AuditEntry {
            at: crate::domain::calendar::uk_date_time(r.at),
            who: r.actor_name.unwrap_or_else(|| crate::language::names::scheduled(locale).to_string()),
            action: AuditAction::parse(&r.action)
                .map_or(r.action.clone(), |a| crate::language::names::HasName::name(a, locale).to_string()),
            resident_id: r.resident_id,
            detail: r.detail,
            address: r.address,
        })
        .collect();
    Ok(AuditPage { entries, more, staff, problems })
}

/// Which of the residents a tablet holds have been erased since it got them: it drops their
/// personal details from its outbox and drafts. The endpoint is fixed (cached tablets call it).
pub async fn erased_residents(caller: &Caller, ids: Vec<String>) -> Result<Vec<String>, AppError> {
    use crate::server::repo;
    let user = caller.require(|r| r.can_do_outreach())?;
    let state = &caller.state;
    if ids.len() > 5_000 {
        return Err(AppError::invalid("ids", Msg::TooManyResidentsOneRequest));
    }
    // An id with a control character in it is no resident's (and PostgreSQL cannot compare a
    // null character): it is simply not among the erased.
    let ids: Vec<String> = ids.into_iter().filter(|id| !id.chars().any(char::is_control)).collect();
    repo::privacy::erased_among(&state.db, &user.organisation_id, &ids).await.map_err(AppError::from)
}
