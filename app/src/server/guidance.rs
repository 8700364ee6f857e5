//! "What you can do": admins keep each theme's guidance; tablets carry it (with the lists in
//! `server::outreach::load_reference_data`); residents read it.

use crate::domain::guidance::GuidanceForm;
use crate::domain::Msg;
use crate::error::AppError;
use crate::server::auth::Caller;
use crate::server::repo::guidance as repo;
use crate::types::guidance::{GuidancePage, ThemeGuidanceView};

/// Every active theme of the admin's organisation, with its guidance.
pub async fn manage_guidance(caller: &Caller) -> Result<Vec<ThemeGuidanceView>, AppError> {
    let admin = caller.require(|r| r.can_keep_guidance())?;
    let rows = repo::for_admin(&caller.state.db, &admin.organisation_id).await?;
    let locale = crate::language::page_locale();
    Ok(rows
        .into_iter()
        .map(|(mut view, at, by)| {
            view.updated = at.map(|at| {
                let day = crate::language::names::long_date(locale, &crate::domain::calendar::uk_date(at));
                by.map_or(day.clone(), |by| crate::i18n::td_string!(locale, guidance.updated_by, day = day.as_str(), who = by))
            });
            view
        })
        .collect())
}

/// Keeps one theme's guidance (empty removes it). Problems are named by the theme's own fields
/// (`steps-<theme>`, `help-<theme>`), as the page has one form per theme.
pub async fn save_guidance(caller: &Caller, form: GuidanceForm) -> Result<(), AppError> {
    let admin = caller.require(|r| r.can_keep_guidance())?;
    let db = &caller.state.db;
    if !crate::domain::validation::is_uuid(&form.theme_id) || !repo::is_own_theme(db, &admin.organisation_id, &form.theme_id).await? {
        return Err(AppError::invalid("theme_id", Msg::ChooseOneOrganisationsThemes));
    }
    let guidance = form.parse().map_err(|errors| {
        let mut named = crate::domain::FieldErrors::new();
        for e in errors.iter() {
            named.add(&format!("{}-{}", e.field, form.theme_id), e.message.clone());
        }
        AppError::Invalid(named)
    })?;
    repo::save(db, &admin.organisation_id, &guidance, &admin.id, crate::server::now()).await?;
    Ok(())
}

/// What residents read: every organisation's guidance, or on one theme. Reading it needs no
/// account; an id that names no theme with guidance shows them all.
pub async fn what_you_can_do(caller: &Caller, theme: Option<String>) -> Result<GuidancePage, AppError> {
    let db = &caller.state.db;
    let themes = repo::public_themes(db).await?;
    let theme = theme.filter(|t| themes.iter().any(|n| &n.id == t));
    let items = repo::public(db, theme.as_deref()).await?;
    Ok(GuidancePage { items, themes, theme })
}
