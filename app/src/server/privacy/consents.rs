//! A resident's own consents: what they agreed to, and changing it.

use crate::domain::Msg;
use crate::error::AppError;
use crate::server::auth::Caller;
use crate::types::privacy::*;

/// What the signed-in resident agrees to, and every decision they have made.
pub async fn load_my_consents(caller: &Caller) -> Result<MyConsents, AppError> {
    use crate::domain::calendar::uk_date;
    use crate::domain::outreach::ConsentPurpose;
    use crate::domain::privacy::ConsentState;
    use crate::server::repo::privacy as repo;
    let user = caller.require(|r| r.has_own_consents())?;
    let state = &caller.state;
    let resident = repo::find_account_resident(&state.db, &user.id).await?;
    let (ledger, history) = match &resident {
        Some(r) => (repo::consent_ledger(&state.db, r).await?, repo::consent_history(&state.db, r).await?),
        None => (Vec::new(), Vec::new()),
    };
    use crate::i18n::td_string;
    use crate::language::names::HasName;
    let locale = crate::language::page_locale();
    let label = |p: &str| ConsentPurpose::ALL.into_iter().find(|x| x.as_str() == p).map_or(p.to_string(), |x| x.name(locale).to_string());
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
                    label: p.name(locale).into(),
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
                decision: if granted == 1 { td_string!(locale, my_data.yes) } else { td_string!(locale, my_data.no) }.into(),
                how: match how.as_str() {
                    "online" => td_string!(locale, my_data.how_online),
                    "phone" => td_string!(locale, my_data.how_phone),
                    "email_link" => td_string!(locale, my_data.how_email_link),
                    _ => td_string!(locale, my_data.how_door),
                }
                .into(),
            })
            .collect(),
    })
}

/// Saves the signed-in resident's answers ("yes" / "no" per purpose; a purpose left out is not
/// changed). Only answers that differ from the current state are added to the ledger. Returns
/// how many changed.
pub async fn save_my_consents(
    caller: &Caller,
    contact_about_issue: Option<String>,
    consultation_invitations: Option<String>,
    volunteering_opportunities: Option<String>,
    share_with_referred_service: Option<String>,
) -> Result<usize, AppError> {
    use crate::domain::outreach::ConsentPurpose;
    use crate::domain::privacy::{consent_state, AuditAction, ConsentMethod, ConsentState};
    use crate::domain::FieldErrors;
    use crate::server::{now, repo::privacy as repo};
    let user = caller.require(|r| r.has_own_consents())?;
    let state = &caller.state;
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
            Some(_) => errors.add(purpose.as_str(), Msg::ChooseYesNo),
        }
    }
    errors.into_result().map_err(AppError::Invalid)?;
    let t = now();
    // The resident's own network address is not kept: the audit log can never be erased.
    let address = "";
    let mut tx = state.db.begin_write().await?;
    let resident = repo::account_resident(&mut tx, user, t).await?;
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
            .bind(purpose.wording_in(crate::language::choice::code(crate::language::page_locale())))
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
    // A plain form post (a resident's pages come without the app) comes back to say so.
    if crate::server::plain_pages::plain_form_post() {
        leptos_axum::redirect(&format!("/my-data?saved={}", changed.len()));
    }
    Ok(changed.len())
}
