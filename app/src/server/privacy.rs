//! Data protection: files, requests, erasure, audit, retention and consent.

use crate::error::AppError;
use crate::types::privacy::*;

use crate::domain::calendar::{civil_from_days, uk_date, uk_day};
use crate::domain::privacy::{AuditAction, RequestKind};
use crate::server::{auth, now, repo::privacy as repo, repo::users::UserRow, state::AppState};

pub fn day_text(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

pub fn summary(r: repo::ResidentRow) -> ResidentSummary {
    ResidentSummary {
        id: r.id,
        name: r.name,
        contact: r.contact,
        recorded_on: uk_date(r.created_at),
        last_seen_on: r.last_seen.map(uk_date),
        erased_on: r.erased_at.map(uk_date),
    }
}

pub fn request_view(r: repo::RequestRow, today: &str) -> RequestView {
    let kind = RequestKind::parse(&r.kind);
    RequestView {
        kind_label: kind.map_or(r.kind.clone(), |k| k.label().to_string()),
        open: r.status == "open",
        overdue: r.status == "open" && r.due_on.as_str() < today,
        id: r.id,
        resident_id: r.resident_id,
        kind: r.kind,
        received_on: r.received_on,
        due_on: r.due_on,
    }
}

/// An admin of the caller's organisation: only admins handle residents' data rights.
pub async fn admin() -> Result<(UserRow, AppState), AppError> {
    let user = auth::require(|r| r.can_handle_data_protection()).await?;
    Ok((user, auth::state()?))
}

/// Writes an audit entry for `user`, from the caller's address.
pub async fn audit(state: &AppState, user: &UserRow, action: AuditAction, resident_id: Option<&str>, detail: &str) -> Result<(), AppError> {
    let mut conn = state.db.pool.acquire().await?;
    let address = auth::client_address(state);
    repo::audit(
        &mut conn,
        crate::server::repo::privacy::AuditEntry {
            organisation_id: &user.organisation_id,
            actor: Some(&user.id),
            action,
            resident_id,
            detail,
            address: &address,
            at: now(),
        },
    )
    .await
    .map_err(AppError::from)
}

/// Everything held about a resident of `user`'s organisation, for viewing or export.
pub async fn file(state: &AppState, user: &UserRow, resident_id: &str) -> Result<ResidentFile, AppError> {
    let row = repo::resident(&state.db.pool, &user.organisation_id, resident_id).await?.ok_or(AppError::NotFound)?;
    let members = {
        let mut conn = state.db.pool.acquire().await?;
        crate::server::repo::people::members(&mut conn, &user.organisation_id, resident_id).await?
    };
    let same_person = members
        .into_iter()
        .map(|m| crate::types::people::PersonRecord {
            id: m.id,
            name: m.name,
            contact: m.contact,
            account: m.user_id.is_some(),
            linked_on: m.linked_at.map(uk_date),
        })
        .collect();
    let tables = repo::subject_access(&state.db.pool, &user.organisation_id, resident_id).await?.ok_or(AppError::NotFound)?;
    let today = day_text(uk_day(now()));
    let requests = repo::requests(&state.db.pool, &user.organisation_id, Some(resident_id))
        .await?
        .into_iter()
        .map(|r| request_view(r, &today))
        .collect();
    Ok(ResidentFile { resident: summary(row), same_person, tables, requests, today })
}

fn run_view(at: i64, dry_run: bool, by: Option<String>, counts: Vec<crate::server::repo::privacy::RetentionCount>) -> RunView {
    RunView {
        at: crate::domain::calendar::uk_date_time(at),
        dry_run,
        by: by.unwrap_or_else(|| "Mobilise (scheduled)".to_string()),
        counts: counts
            .into_iter()
            .map(|c| RunCountView { label: c.class.label().to_string(), months: c.months, kept_from: c.kept_from, records: c.records })
            .collect(),
    }
}

/// The data protection page: residents found by name or contact details, and open requests.
pub async fn load_privacy_home(query: Option<String>) -> Result<PrivacyHome, AppError> {
    use crate::domain::calendar::uk_day;
    use crate::server::{auth, now, repo::privacy as repo};
    let (user, state) = crate::server::privacy::admin().await?;
    let query = query.unwrap_or_default().trim().to_string();
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
        found = repo::find_residents(&state.db.pool, &user.organisation_id, &query, FIND_LIMIT + 1).await?;
    }
    let more = found.len() as i64 > FIND_LIMIT;
    found.truncate(FIND_LIMIT as usize);
    let today = crate::server::privacy::day_text(uk_day(now()));
    let requests = repo::requests(&state.db.pool, &user.organisation_id, None)
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
pub async fn load_resident_file(resident_id: String) -> Result<Option<ResidentFile>, AppError> {
    use crate::domain::privacy::AuditAction;
    use crate::server::auth;
    let (user, state) = crate::server::privacy::admin().await?;
    if !auth::opened_by_post() {
        return Ok(None);
    }
    let file = crate::server::privacy::file(&state, &user, &resident_id).await?;
    crate::server::privacy::audit(&state, &user, AuditAction::Viewed, Some(&resident_id), "all records").await?;
    Ok(Some(file))
}

/// Logs a subject access or erasure request with the date it arrived; it is due one calendar
/// month later.
pub async fn log_request(resident_id: String, kind: Option<String>, received_on: String) -> Result<RequestView, AppError> {
    use crate::domain::calendar::{parse_date, uk_day};
    use crate::domain::privacy::{request_due, AuditAction, RequestKind};
    use crate::domain::FieldErrors;
    use crate::server::{now, repo::privacy as repo};
    let (user, state) = crate::server::privacy::admin().await?;
    let mut errors = FieldErrors::new();
    let kind = kind.as_deref().and_then(RequestKind::parse);
    if kind.is_none() {
        errors.add("kind", "Select what the resident asked for");
    }
    let today = uk_day(now());
    let received = parse_date(received_on.trim());
    match received {
        None => errors.add("received_on", "Enter the date the request arrived, for example 2026-11-27"),
        Some(d) if d > today => errors.add("received_on", "The date the request arrived cannot be in the future"),
        _ => {}
    }
    errors.into_result().map_err(AppError::Invalid)?;
    let (kind, received) = (kind.unwrap(), received.unwrap());
    repo::resident(&state.db.pool, &user.organisation_id, &resident_id).await?.ok_or(AppError::NotFound)?;
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
    let id = repo::insert_request(&state.db.pool, request, now()).await?;
    crate::server::privacy::audit(&state, &user, AuditAction::RequestLogged, Some(&resident_id), kind.as_str()).await?;
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
pub async fn close_request(request_id: String) -> Result<(), AppError> {
    use crate::domain::privacy::AuditAction;
    use crate::server::{now, repo::privacy as repo};
    let (user, state) = crate::server::privacy::admin().await?;
    let mut conn = state.db.pool.acquire().await?;
    let resident = repo::close_request(&mut conn, &user.organisation_id, &request_id, &user.id, now()).await?.ok_or(AppError::NotFound)?;
    drop(conn);
    crate::server::privacy::audit(&state, &user, AuditAction::RequestClosed, Some(&resident), &request_id).await
}

/// Erases a resident's personal data everywhere (see `repo::privacy::erase`) and answers their
/// open erasure requests. `confirm` must be ticked: it cannot be undone.
pub async fn erase_resident(resident_id: String, confirm: Option<String>, password: Option<String>) -> Result<(), AppError> {
    use crate::domain::privacy::AuditAction;
    use crate::server::{auth, now, repo::privacy as repo};
    let (user, state) = crate::server::privacy::admin().await?;
    if confirm.as_deref() != Some("yes") {
        return Err(AppError::invalid("confirm", "Tick the box to confirm: erasure cannot be undone"));
    }
    // It cannot be undone: the admin proves it is them, unless they did so a moment ago.
    auth::confirm_recent(&state, &auth::session().await?, &user, password, "password").await?;
    let t = now();
    let address = auth::client_address(&state);
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
    let (user, state) = crate::server::privacy::admin().await?;
    let mut problems = Vec::new();
    let mut date = |field: &str, value: &Option<String>, plus: i64| -> Option<i64> {
        let v = value.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
        match parse_date(v) {
            Some(d) => Some(uk_day_start(d + plus)),
            None => {
                problems.push(Problem {
                    field: field.to_string(),
                    message: format!("“{v}” is not a date. Enter a date like 2026-11-27."),
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
    let mut rows = repo::privacy::search_audit(&state.db.pool, &user.organisation_id, &query, AUDIT_LIMIT + 1).await?;
    let more = rows.len() as i64 > AUDIT_LIMIT;
    rows.truncate(AUDIT_LIMIT as usize);
    let staff = repo::users::list_staff(&state.db.pool, &user.organisation_id)
        .await?
        .into_iter()
        .map(|u| crate::types::Named { id: u.id, name: u.display_name })
        .collect();
    let entries = rows
        .into_iter()
        .map(|r| AuditEntry {
            at: crate::domain::calendar::uk_date_time(r.at),
            who: r.actor_name.unwrap_or_else(|| "Mobilise (scheduled)".to_string()),
            action: AuditAction::parse(&r.action).map_or(r.action.clone(), |a| a.label().to_string()),
            resident_id: r.resident_id,
            detail: r.detail,
            address: r.address,
        })
        .collect();
    Ok(AuditPage { entries, more, staff, problems })
}

/// Which of the residents a tablet holds have been erased since it got them: it drops their
/// personal details from its outbox and drafts. The endpoint is fixed (cached tablets call it).
pub async fn erased_residents(ids: Vec<String>) -> Result<Vec<String>, AppError> {
    use crate::server::{auth, repo};
    let user = auth::require(|r| r.can_do_outreach()).await?;
    let state = auth::state()?;
    if ids.len() > 5_000 {
        return Err(AppError::invalid("ids", "Too many residents in one request"));
    }
    repo::privacy::erased_among(&state.db.pool, &user.organisation_id, &ids).await.map_err(AppError::from)
}

/// The organisation's retention settings and its recent runs.
pub async fn load_retention() -> Result<RetentionView, AppError> {
    use crate::server::repo::privacy as repo;
    let (user, state) = crate::server::privacy::admin().await?;
    let policies = repo::policies(&state.db.pool, &user.organisation_id)
        .await?
        .into_iter()
        .map(|p| PolicyView {
            class: p.class.as_str().to_string(),
            label: p.class.label().to_string(),
            effect: p.class.effect().to_string(),
            lawful_basis: p.lawful_basis.as_str().to_string(),
            months: p.months,
        })
        .collect();
    let runs = repo::retention_runs(&state.db.pool, &user.organisation_id, 10)
        .await?
        .into_iter()
        .map(|r| run_view(r.started_at, r.dry_run == 1, r.run_by, serde_json::from_str(&r.summary).unwrap_or_default()))
        .collect();
    Ok(RetentionView { policies, runs })
}

/// Sets how long one class of record is kept (whole months, up to 10 years) and its lawful basis.
pub async fn save_retention(class: String, months: String, lawful_basis: Option<String>) -> Result<(), AppError> {
    use crate::domain::privacy::{AuditAction, RetentionClass, RetentionPolicy, MAX_RETENTION_MONTHS};
    use crate::domain::FieldErrors;
    use crate::server::{now, repo::privacy as repo};
    let (user, state) = crate::server::privacy::admin().await?;
    let class = RetentionClass::parse(&class).ok_or_else(|| AppError::invalid("class", "Choose a kind of record"))?;
    let mut errors = FieldErrors::new();
    let months_field = format!("months-{}", class.as_str());
    let parsed = months.trim().parse::<u32>().ok().filter(|m| (1..=MAX_RETENTION_MONTHS).contains(m));
    if parsed.is_none() {
        errors.add(&months_field, format!("Enter a whole number of months from 1 to {MAX_RETENTION_MONTHS}"));
    }
    let basis = lawful_basis.as_deref().and_then(repo::parse_basis);
    if basis.is_none() {
        errors.add(&format!("basis-{}", class.as_str()), "Select the lawful basis");
    }
    errors.into_result().map_err(AppError::Invalid)?;
    let policy = RetentionPolicy { class, lawful_basis: basis.unwrap(), months: parsed.unwrap() };
    repo::save_policy(&state.db.pool, &user.organisation_id, policy, &user.id, now()).await?;
    let detail = format!("{}: {} months, {}", class.as_str(), policy.months, policy.lawful_basis.as_str());
    crate::server::privacy::audit(&state, &user, AuditAction::PolicyChanged, None, &detail).await
}

/// Runs the retention policy now; `dry_run` = "yes" only reports what would change.
pub async fn run_retention(dry_run: Option<String>, confirm: Option<String>, password: Option<String>) -> Result<RunView, AppError> {
    use crate::domain::calendar::uk_day;
    use crate::server::{auth, now, repo::privacy as repo};
    let (user, state) = crate::server::privacy::admin().await?;
    let dry = dry_run.as_deref() == Some("yes");
    if !dry && confirm.as_deref() != Some("yes") {
        return Err(AppError::invalid("confirm", "Tick the box to confirm: what is anonymised cannot be brought back"));
    }
    if !dry {
        auth::confirm_recent(&state, &auth::session().await?, &user, password, "password").await?;
    }
    let address = auth::client_address(&state);
    let t = now();
    let counts = repo::run_retention(&state.db, &user.organisation_id, uk_day(t), dry, Some(&user.id), &address).await?;
    Ok(run_view(t, dry, Some(user.display_name.clone()), counts))
}

/// What the signed-in resident agrees to, and every decision they have made.
pub async fn load_my_consents() -> Result<MyConsents, AppError> {
    use crate::domain::calendar::uk_date;
    use crate::domain::outreach::ConsentPurpose;
    use crate::domain::privacy::ConsentState;
    use crate::server::{auth, repo::privacy as repo};
    let user = auth::require(|r| r.has_own_consents()).await?;
    let state = auth::state()?;
    let resident = repo::find_account_resident(&state.db.pool, &user.id).await?;
    let (ledger, history) = match &resident {
        Some(r) => (repo::consent_ledger(&state.db.pool, r).await?, repo::consent_history(&state.db.pool, r).await?),
        None => (Vec::new(), Vec::new()),
    };
    let label = |p: &str| ConsentPurpose::ALL.into_iter().find(|x| x.as_str() == p).map_or(p.to_string(), |x| x.label().to_string());
    Ok(MyConsents {
        choices: repo::current_consents(&ledger)
            .into_iter()
            .map(|(p, s)| {
                let (state, since) = match s {
                    ConsentState::NotAsked => ("", None),
                    ConsentState::Granted { since } => ("yes", Some(uk_date(since))),
                    ConsentState::Withdrawn { since } => ("no", Some(uk_date(since))),
                };
                ConsentChoice {
                    purpose: p.as_str().into(),
                    label: p.label().into(),
                    wording: p.wording().into(),
                    state: state.into(),
                    since,
                }
            })
            .collect(),
        history: history
            .into_iter()
            .map(|(p, granted, how, at)| ConsentHistoryEntry {
                on: uk_date(at),
                label: label(&p),
                decision: if granted == 1 { "Yes".into() } else { "No".into() },
                how: match how.as_str() {
                    "online" => "You, online".into(),
                    "phone" => "By phone".into(),
                    "email_link" => "By the unsubscribe link in an email".into(),
                    _ => "At the door".into(),
                },
            })
            .collect(),
    })
}

/// Saves the signed-in resident's answers ("yes" / "no" per purpose; a purpose left out is not
/// changed). Only answers that differ from the current state are added to the ledger. Returns
/// how many changed.
pub async fn save_my_consents(
    contact_about_issue: Option<String>,
    consultation_invitations: Option<String>,
    volunteering_opportunities: Option<String>,
    share_with_referred_service: Option<String>,
) -> Result<usize, AppError> {
    use crate::domain::outreach::ConsentPurpose;
    use crate::domain::privacy::{consent_state, AuditAction, ConsentMethod, ConsentState};
    use crate::domain::FieldErrors;
    use crate::server::{auth, now, repo::privacy as repo};
    let user = auth::require(|r| r.has_own_consents()).await?;
    let state = auth::state()?;
    let given = [
        (ConsentPurpose::ContactAboutIssue, contact_about_issue),
        (ConsentPurpose::ConsultationInvitations, consultation_invitations),
        (ConsentPurpose::VolunteeringOpportunities, volunteering_opportunities),
        (ConsentPurpose::ShareWithReferredService, share_with_referred_service),
    ];
    let mut errors = FieldErrors::new();
    let mut answers = Vec::new();
    for (purpose, value) in given {
        match value.as_deref() {
            None | Some("") => {}
            Some("yes") => answers.push((purpose, true)),
            Some("no") => answers.push((purpose, false)),
            Some(_) => errors.add(purpose.as_str(), "Choose yes or no"),
        }
    }
    errors.into_result().map_err(AppError::Invalid)?;
    let t = now();
    // The resident's own network address is not kept: the audit log can never be erased.
    let address = "";
    let mut tx = state.db.begin_write().await?;
    let resident = repo::account_resident(&mut tx, &user, t).await?;
    let ledger = repo::consent_ledger(&mut *tx, &resident).await?;
    let mut changed = Vec::new();
    for (purpose, granted) in answers {
        let same = match consent_state(&ledger, purpose) {
            ConsentState::Granted { .. } => granted,
            ConsentState::Withdrawn { .. } => !granted,
            ConsentState::NotAsked => false,
        };
        if same {
            continue;
        }
        let id = uuid::Uuid::new_v4().to_string();
        sqlx::query(
                "INSERT INTO consents (id, organisation_id, resident_id, purpose, granted, lawful_basis, wording, method, recorded_by, source_item_id, occurred_at, received_at) \
                 VALUES ($1, $2, $3, $4, $5, 'consent', $6, $7, $8, $1, $9, $9)",
            )
            .bind(&id)
            .bind(&user.organisation_id)
            .bind(&resident)
            .bind(purpose.as_str())
            .bind(i64::from(granted))
            .bind(purpose.wording())
            .bind(ConsentMethod::Online.as_str())
            .bind(&user.id)
            .bind(t)
            .execute(&mut *tx)
            .await?;
        if purpose == ConsentPurpose::VolunteeringOpportunities && !granted {
            // Groups stop suggesting them and seeing how to reach them. A "yes" changes
            // nothing there: being suggested stays their own choice on their profile.
            repo::withdraw_volunteering(&mut tx, &resident).await?;
        }
        changed.push(format!("{}: {}", purpose.as_str(), if granted { "yes" } else { "no" }));
    }
    if !changed.is_empty() {
        repo::audit(
            &mut tx,
            crate::server::repo::privacy::AuditEntry {
                organisation_id: &user.organisation_id,
                actor: Some(&user.id),
                action: AuditAction::Changed,
                resident_id: Some(&resident),
                detail: &format!("consent {}", changed.join(", ")),
                address,
                at: t,
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(changed.len())
}
