//! Retention settings and runs.

use crate::domain::Msg;
use crate::error::AppError;
use crate::language::names::HasName;
use crate::server::auth::Caller;
use crate::types::privacy::*;

pub(super) fn run_view(at: i64, dry_run: bool, by: Option<String>, counts: Vec<crate::server::repo::privacy::RetentionCount>) -> RunView {
    let locale = crate::language::page_locale();
    RunView {
        at: crate::domain::calendar::uk_date_time(at),
        dry_run,
        by: by.unwrap_or_else(|| crate::language::names::scheduled(locale).to_string()),
        counts: counts
            .into_iter()
            .map(|c| RunCountView { label: c.class.name(locale).to_string(), months: c.months, kept_from: c.kept_from, records: c.records })
            .collect(),
    }
}

/// The organisation's retention settings and its recent runs.
pub async fn load_retention(caller: &Caller) -> Result<RetentionView, AppError> {
    use crate::server::repo::privacy as repo;
    let (user, state) = crate::server::privacy::admin(caller)?;
    let policies = repo::policies(&state.db, &user.organisation_id)
        .await?
        .into_iter()
        .map(|p| PolicyView {
            class: p.class.as_str().to_string(),
            label: p.class.name(crate::language::page_locale()).to_string(),
            effect: crate::language::names::retention_effect(crate::language::page_locale(), p.class).to_string(),
            lawful_basis: p.lawful_basis.as_str().to_string(),
            months: p.months,
        })
        .collect();
    let runs = repo::retention_runs(&state.db, &user.organisation_id, 10)
        .await?
        .into_iter()
        .map(|r| run_view(r.started_at, r.dry_run == 1, r.run_by, serde_json::from_str(&r.summary).unwrap_or_default()))
        .collect();
    Ok(RetentionView { policies, runs })
}

/// Sets how long one class of record is kept (whole months, up to 10 years) and its lawful basis.
pub async fn save_retention(caller: &Caller, class: String, months: String, lawful_basis: Option<String>) -> Result<(), AppError> {
    use crate::domain::privacy::{AuditAction, RetentionClass, RetentionPolicy, MAX_RETENTION_MONTHS};
    use crate::domain::FieldErrors;
    use crate::server::{now, repo::privacy as repo};
    let (user, state) = crate::server::privacy::admin(caller)?;
    let class = RetentionClass::parse(&class).ok_or_else(|| AppError::invalid("class", Msg::ChooseKindRecord))?;
    let mut errors = FieldErrors::new();
    let months_field = format!("months-{}", class.as_str());
    let parsed = months.trim().parse::<u32>().ok().filter(|m| (1..=MAX_RETENTION_MONTHS).contains(m));
    if parsed.is_none() {
        errors.add(&months_field, Msg::EnterWholeMonthsUpTo { max: i64::from(MAX_RETENTION_MONTHS) });
    }
    let basis = lawful_basis.as_deref().and_then(repo::parse_basis);
    if basis.is_none() {
        errors.add(&format!("basis-{}", class.as_str()), Msg::SelectLawfulBasis);
    }
    errors.into_result().map_err(AppError::Invalid)?;
    let policy = RetentionPolicy { class, lawful_basis: basis.unwrap(), months: parsed.unwrap() };
    repo::save_policy(&state.db, &user.organisation_id, policy, &user.id, now()).await?;
    let detail = format!("{}: {} months, {}", class.as_str(), policy.months, policy.lawful_basis.as_str());
    crate::server::privacy::audit(state, user, AuditAction::PolicyChanged, None, &detail).await
}

/// Runs the retention policy now; `dry_run` = "yes" only reports what would change.
pub async fn run_retention(
    caller: &Caller,
    dry_run: Option<String>,
    confirm: Option<String>,
    password: Option<String>,
) -> Result<RunView, AppError> {
    use crate::domain::calendar::uk_day;
    use crate::server::{auth, now, repo::privacy as repo};
    let (user, state) = crate::server::privacy::admin(caller)?;
    let dry = dry_run.as_deref() == Some("yes");
    if !dry && confirm.as_deref() != Some("yes") {
        return Err(AppError::invalid("confirm", Msg::TickBoxConfirmWhatAnonymised));
    }
    if !dry {
        auth::confirm_recent(state, &caller.session, user, password, "password").await?;
    }
    let address = auth::client_address(state);
    let t = now();
    let counts = repo::run_retention(&state.db, &user.organisation_id, uk_day(t), dry, Some(&user.id), &address).await?;
    Ok(run_view(t, dry, Some(user.display_name.clone()), counts))
}
