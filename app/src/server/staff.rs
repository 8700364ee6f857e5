//! Staff accounts: invitations, roles, teams and deactivation.

use crate::domain::Msg;
use crate::error::AppError;
use crate::server::auth::Caller;
use crate::types::staff::*;
use crate::types::{CreatedInvitation, InvitationInfo, StaffMember};

/// A change of who may do what, kept as a security event.
pub async fn privilege_changed(state: &crate::server::AppState, admin_id: &str, detail: &str) {
    use crate::server::{auth, now, security_log};
    let address = auth::client_address(state);
    let event = security_log::Event { user_id: Some(admin_id), address: &address, detail, ..Default::default() };
    security_log::record(&state.db, security_log::Kind::PrivilegeChanged, event, now()).await;
}

async fn open_invitation(
    db: &crate::server::Db,
    token: &str,
) -> Result<(crate::server::repo::invitations::InvitationRow, crate::server::repo::users::UserRow), AppError> {
    use crate::server::{now, repo};
    let invitation = repo::invitations::find(db, &crate::server::tokens::token_hash(token)).await?.ok_or(AppError::NotFound)?;
    if invitation.used_at.is_some() {
        return Err(AppError::Conflict(Msg::InvitationLinkAlreadyBeenUsed));
    }
    if invitation.expires_at <= now() {
        return Err(AppError::Conflict(Msg::InvitationLinkExpiredAskAdministrator));
    }
    let user = repo::users::find_by_id(db, &invitation.user_id).await?.ok_or(AppError::NotFound)?;
    if user.active != 1 {
        return Err(AppError::Conflict(Msg::AccountBeenDeactivatedAskAdministrator));
    }
    Ok((invitation, user))
}

pub async fn list_staff(caller: &Caller) -> Result<Vec<StaffMember>, AppError> {
    use crate::server::repo;
    let admin = caller.require(|r| r.can_manage_staff())?;
    let state = &caller.state;
    let rows = repo::users::list_staff(&state.db, &admin.organisation_id).await?;
    Ok(rows
        .into_iter()
        .filter_map(|u| {
            Some(StaffMember {
                role: u.role()?,
                active: u.active == 1,
                invited: u.password_hash.is_none(),
                consultation_rights: u.consultation_rights == 1,
                team: u.team,
                id: u.id,
                display_name: u.display_name,
                email: u.email,
            })
        })
        .collect())
}

/// Deactivates (signs out everywhere and blocks sign-in) or reactivates a staff account.
pub async fn set_staff_active(caller: &Caller, user_id: String, active: bool) -> Result<(), AppError> {
    use crate::server::repo;
    let admin = caller.require(|r| r.can_manage_staff())?;
    if admin.id == user_id && !active {
        return Err(AppError::Conflict(Msg::CannotDeactivateOwnAccount));
    }
    let state = &caller.state;
    // Another organisation's account is indistinguishable from one that does not exist.
    let target = repo::users::find_in_organisation(&state.db, &admin.organisation_id, &user_id)
        .await?
        .filter(|u| u.role().is_some_and(|r| r.is_staff()))
        .ok_or(AppError::NotFound)?;
    repo::users::set_active(&state.db, &admin.organisation_id, &target.id, active).await?;
    tracing::info!(admin = %admin.id, user_id = %target.id, active, "staff account status changed");
    let detail = format!("account {} {} by {}", target.id, if active { "reactivated" } else { "deactivated" }, admin.id);
    crate::server::staff::privilege_changed(state, &admin.id, &detail).await;
    Ok(())
}

/// Lets an outreach worker run consultations (create, open, post outcomes, moderate, export),
/// or stops them. Admins always can; other roles cannot be given it.
pub async fn set_consultation_rights(caller: &Caller, user_id: String, granted: bool) -> Result<(), AppError> {
    use crate::server::repo;
    let admin = caller.require(|r| r.can_manage_staff())?;
    let state = &caller.state;
    let target = repo::users::find_in_organisation(&state.db, &admin.organisation_id, &user_id)
        .await?
        .filter(|u| u.role().is_some_and(|r| r.is_staff()))
        .ok_or(AppError::NotFound)?;
    if !target.role().is_some_and(|r| r.can_be_granted_consultations()) {
        return Err(AppError::Conflict(Msg::OnlyOutreachWorkersGivenAdmins));
    }
    repo::users::set_consultation_rights(&state.db, &admin.organisation_id, &target.id, granted).await?;
    tracing::info!(admin = %admin.id, user_id = %target.id, granted, "consultation rights changed");
    let detail = format!("consultation rights {} for {} by {}", if granted { "granted" } else { "withdrawn" }, target.id, admin.id);
    crate::server::staff::privilege_changed(state, &admin.id, &detail).await;
    Ok(())
}

/// Puts a member of staff in a team, named by the admin ("" for none). Their team's figures are
/// then on their dashboard, and admins can filter by it.
pub async fn set_staff_team(caller: &Caller, user_id: String, team: String) -> Result<(), AppError> {
    let admin = caller.require(|r| r.can_manage_staff())?;
    let state = &caller.state;
    let team = team.split_whitespace().collect::<Vec<_>>().join(" ");
    if team.chars().count() > TEAM_NAME_MAX {
        return Err(AppError::invalid("team", Msg::TooLong { what: crate::domain::Label::TeamName, max: TEAM_NAME_MAX as i64 }));
    }
    if !put_in_team(&state.db, &admin.organisation_id, &user_id, &team).await? {
        return Err(AppError::NotFound);
    }
    tracing::info!(admin = %admin.id, user_id = %user_id, "team changed");
    Ok(())
}

/// Puts member of staff `user_id` in `team` ("" for none) and moves their dashboard rows from
/// the team they left to the one they joined, in one transaction under the counts lock. False
/// if there is no such member of staff.
pub async fn put_in_team(db: &crate::server::Db, org: &str, user_id: &str, team: &str) -> sqlx::Result<bool> {
    use crate::server::repo;
    let mut tx = db.begin_write().await?;
    db.backend.lock_counts(&mut tx, org).await?;
    let Some(old) = repo::users::team_of(&mut tx, org, user_id).await? else {
        return Ok(false);
    };
    if !repo::users::set_team(&mut tx, org, user_id, team).await? {
        return Ok(false);
    }
    repo::intelligence::move_between_teams(&mut tx, org, user_id, &old, team).await?;
    tx.commit().await?;
    Ok(true)
}

pub async fn check_invitation(caller: &Caller, token: String) -> Result<InvitationInfo, AppError> {
    use crate::server::repo;
    let (_, user) = open_invitation(&caller.state.db, &token).await?;
    let state = &caller.state;
    let org = repo::organisations::get(&state.db, &user.organisation_id).await?.ok_or(AppError::NotFound)?;
    Ok(InvitationInfo { display_name: user.display_name, email: user.email, organisation_name: org.name })
}

/// Sets the invited person's password, uses up the link and signs them in.
pub async fn accept_invitation(caller: &Caller, token: String, password: String, confirm_password: String) -> Result<(), AppError> {
    use crate::domain::{validation, FieldErrors};
    use crate::server::{auth, now, repo};
    let (invitation, user) = open_invitation(&caller.state.db, &token).await?;
    let mut errors = FieldErrors::new();
    validation::check_new_password_twice(&mut errors, "password", &password, &confirm_password, &user.email);
    errors.into_result().map_err(AppError::Invalid)?;

    let hash = auth::hash_password(password).await?;
    let state = &caller.state;
    let mut tx = state.db.begin_write().await?;
    if !repo::invitations::mark_used(&mut *tx, &invitation.token_hash, now()).await? {
        return Err(AppError::Conflict(Msg::InvitationLinkAlreadyBeenUsed));
    }
    repo::users::set_password_hash(&mut *tx, &user.id, &hash).await?;
    // The link came by email: the address is theirs.
    repo::users::mark_email_verified(&mut tx, &user.id, now()).await?;
    tx.commit().await?;
    auth::start_session(&caller.session, &user, false).await?;
    // Invitations are for staff: their device is marked as a staff member's (server::plain_pages).
    crate::server::plain_pages::mark_staff_device(&caller.state);
    leptos_axum::redirect("/");
    Ok(())
}

/// Creates a staff account in the admin's own organisation and emails its invitation link.
/// `role` is optional because an unticked radio group sends nothing; that is a field error, not a
/// malformed request.
pub async fn create_staff(
    caller: &Caller,
    email: String,
    display_name: String,
    role: Option<String>,
) -> Result<CreatedInvitation, AppError> {
    use crate::domain::{validation, FieldErrors, Role};
    use crate::server::{accounts, now};
    let admin = caller.require(|r| r.can_manage_staff())?;
    let state = &caller.state;
    let mut errors = FieldErrors::new();
    validation::check_email(&mut errors, "email", &email);
    validation::check_name(&mut errors, "display_name", &display_name, crate::domain::Label::TheirFullName);
    let role = role.as_deref().and_then(Role::parse).filter(|r| r.is_staff());
    if role.is_none() {
        errors.add("role", Msg::SelectAccountsRole);
    }
    errors.into_result().map_err(AppError::Invalid)?;
    let (email, display_name, role) = (validation::normalise_email(&email), display_name.trim().to_string(), role.unwrap());

    let invite = accounts::Invite {
        organisation_id: &admin.organisation_id,
        email: &email,
        display_name: &display_name,
        role,
        created_by: Some(&admin.id),
    };
    match accounts::invite(&state.db, &state.link_base(), invite, now()).await? {
        accounts::Invited::Created { user_id, .. } => {
            tracing::info!(admin = %admin.id, user_id = %user_id, "staff account created");
            let detail = format!("account {user_id} created with role {} by {}", role.as_str(), admin.id);
            crate::server::staff::privilege_changed(state, &admin.id, &detail).await;
        }
        accounts::Invited::InThisOrganisation => {
            return Err(AppError::invalid("email", Msg::AccountEmailAddressAlreadyExists));
        }
        // Held in another organisation: answered as if new (whether an address has an
        // account anywhere is nobody else's business); its holder has been told.
        accounts::Invited::Elsewhere => {}
    }
    state.mail.now();
    Ok(CreatedInvitation { display_name, email })
}
