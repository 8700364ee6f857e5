//! Partner groups: invitations, joining requests and organisers.

use crate::domain::Msg;
use crate::error::AppError;
use crate::server::auth::Caller;
use crate::types::partners::*;
use crate::types::CreatedInvitation;

fn check_group_name(errors: &mut crate::domain::FieldErrors, raw: &str) -> String {
    let name = crate::domain::validation::one_line(raw, GROUP_NAME_MAX + 1);
    if name.is_empty() {
        errors.add("group_name", Msg::EnterGroupsName);
    } else if name.chars().count() > GROUP_NAME_MAX {
        errors.add("group_name", Msg::TooLong { what: crate::domain::Label::GroupName, max: GROUP_NAME_MAX as i64 });
    }
    name
}

/// For an administrator, their organisation's partner groups by name; for a group's organiser,
/// the group's organisers.
pub async fn load_partners(caller: &Caller) -> Result<PartnersView, AppError> {
    use crate::domain::Role;
    use crate::server::repo;
    let user = caller.require(|r| r.can_manage_staff() || r == Role::GroupOrganiser)?;
    let state = &caller.state;
    let db = &state.db;
    let organiser =
        |(name, email, hash): (String, String, Option<String>)| Organiser { display_name: name, email, invited: hash.is_none() };
    if user.role() == Some(Role::GroupOrganiser) {
        let group = repo::organisations::get(db, &user.organisation_id).await?.ok_or(AppError::NotFound)?;
        let people: Vec<(String, String, Option<String>)> = sqlx::query_as(
            "SELECT display_name, email, password_hash FROM users WHERE organisation_id = $1 AND role = 'group_organiser' AND active = 1 \
                 ORDER BY display_name, email",
        )
        .bind(&user.organisation_id)
        .fetch_all(db)
        .await?;
        return Ok(PartnersView::Group { name: group.name, organisers: people.into_iter().map(organiser).collect() });
    }
    let groups: Vec<(String, String)> =
        sqlx::query_as("SELECT id, name FROM organisations WHERE host_id = $1 AND kind = 'community_group' ORDER BY name, id")
            .bind(&user.organisation_id)
            .fetch_all(db)
            .await?;
    let people: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT u.organisation_id, u.display_name, u.email, u.password_hash FROM users u JOIN organisations o ON o.id = u.organisation_id \
             WHERE o.host_id = $1 AND u.role = 'group_organiser' AND u.active = 1 ORDER BY u.display_name, u.email",
    )
    .bind(&user.organisation_id)
    .fetch_all(db)
    .await?;
    let open: Vec<(String, i64)> = sqlx::query_as(
        "SELECT p.organisation_id, COUNT(*) FROM opportunities p JOIN organisations o ON o.id = p.organisation_id \
             WHERE o.host_id = $1 AND p.status = 'open' GROUP BY p.organisation_id",
    )
    .bind(&user.organisation_id)
    .fetch_all(db)
    .await?;
    let groups = groups
        .into_iter()
        .map(|(id, name)| PartnerGroup {
            organisers: people.iter().filter(|p| p.0 == id).map(|p| organiser((p.1.clone(), p.2.clone(), p.3.clone()))).collect(),
            open_opportunities: open.iter().find(|o| o.0 == id).map_or(0, |o| o.1),
            id,
            name,
        })
        .collect();
    let requests = repo::partners::waiting(db, &user.organisation_id)
        .await?
        .into_iter()
        .map(|r| JoinRequest {
            id: r.id,
            group_name: r.group_name,
            organiser_name: r.organiser_name,
            organiser_email: r.organiser_email,
            about: r.about,
            made_on: crate::domain::calendar::uk_date(r.created_at),
        })
        .collect();
    Ok(PartnersView::Host { groups, requests })
}

/// Invites a community group: its name, and its organiser's name and email address.
pub async fn invite_group(caller: &Caller, group_name: String, display_name: String, email: String) -> Result<CreatedInvitation, AppError> {
    use crate::domain::{validation, FieldErrors};
    use crate::server::{accounts, now, repo};
    let admin = caller.require(|r| r.can_manage_staff())?;
    let state = &caller.state;
    let host = repo::organisations::get(&state.db, &admin.organisation_id).await?.ok_or(AppError::NotFound)?;
    if host.kind() == Some(crate::domain::OrganisationKind::CommunityGroup) {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::new();
    let group_name = check_group_name(&mut errors, &group_name);
    validation::check_name(&mut errors, "display_name", &display_name, crate::domain::Label::OrganisersFullName);
    validation::check_email(&mut errors, "email", &email);
    errors.into_result().map_err(AppError::Invalid)?;
    let (email, display_name) = (validation::normalise_email(&email), display_name.trim().to_string());
    if repo::partners::group_name_taken(&state.db, &admin.organisation_id, &group_name).await? {
        return Err(AppError::invalid("group_name", Msg::PartnerGroupNameAlreadyExists));
    }
    let invite = accounts::GroupInvite {
        host_id: &host.id,
        host_name: &host.name,
        group_name: &group_name,
        organiser_email: &email,
        organiser_name: &display_name,
        invited_by: &admin.id,
    };
    let Some(invited) = accounts::invite_group(&state.db, &state.link_base(), invite, now()).await? else {
        return Err(AppError::invalid("group_name", Msg::PartnerGroupNameAlreadyExists));
    };
    if let accounts::Invited::Created { user_id, .. } = invited {
        tracing::info!(admin = %admin.id, user_id = %user_id, "partner group invited");
        let detail = format!("partner group “{group_name}” invited with organiser {user_id} by {}", admin.id);
        crate::server::staff::privilege_changed(state, &admin.id, &detail).await;
    }
    state.mail.now();
    Ok(CreatedInvitation { display_name, email })
}

/// A group's organiser invites another organiser into their own group.
pub async fn invite_co_organiser(caller: &Caller, display_name: String, email: String) -> Result<CreatedInvitation, AppError> {
    use crate::domain::{validation, FieldErrors, Role};
    use crate::server::{accounts, now};
    let organiser = caller.require(|r| r == Role::GroupOrganiser)?;
    let state = &caller.state;
    let mut errors = FieldErrors::new();
    validation::check_name(&mut errors, "display_name", &display_name, crate::domain::Label::TheirFullName);
    validation::check_email(&mut errors, "email", &email);
    errors.into_result().map_err(AppError::Invalid)?;
    let (email, display_name) = (validation::normalise_email(&email), display_name.trim().to_string());
    let invite = accounts::Invite {
        organisation_id: &organiser.organisation_id,
        email: &email,
        display_name: &display_name,
        role: Role::GroupOrganiser,
        created_by: Some(&organiser.id),
    };
    match accounts::invite(&state.db, &state.link_base(), invite, now()).await? {
        accounts::Invited::Created { user_id, .. } => {
            let detail = format!("co-organiser {user_id} invited by {}", organiser.id);
            crate::server::staff::privilege_changed(state, &organiser.id, &detail).await;
        }
        accounts::Invited::InThisOrganisation => {
            return Err(AppError::invalid("email", Msg::PersonAlreadyOrganiserGroup));
        }
        accounts::Invited::Elsewhere => {}
    }
    state.mail.now();
    Ok(CreatedInvitation { display_name, email })
}

/// A community group asks to join (public: `/partners/join`, no JavaScript needed). The same
/// answer whether or not a request from that address is already waiting.
pub async fn request_to_join(
    caller: &Caller,
    group_name: String,
    display_name: String,
    email: String,
    about: String,
) -> Result<(), AppError> {
    use crate::domain::{validation, FieldErrors};
    use crate::server::{now, repo};
    let state = &caller.state;
    let mut errors = FieldErrors::new();
    let group_name = check_group_name(&mut errors, &group_name);
    validation::check_name(&mut errors, "display_name", &display_name, crate::domain::Label::YourFullName);
    validation::check_email(&mut errors, "email", &email);
    if about.trim().chars().count() > ABOUT_MAX {
        errors.add("about", Msg::SayWhatGroupDoesIn { max: ABOUT_MAX as i64 });
    } else if about.trim().is_empty() {
        errors.add("about", Msg::SaySentenceTwoWhatGroup);
    }
    errors.into_result().map_err(AppError::Invalid)?;
    let Some(host) = repo::organisations::site_host(&state.db).await? else {
        return Err(AppError::Conflict(Msg::MobiliseSiteNotSetUp));
    };
    if repo::partners::group_name_taken(&state.db, &host.id, &group_name).await? {
        return Err(AppError::invalid("group_name", Msg::GroupAlreadyPartnerOf { group: group_name.clone(), host: host.name.clone() }));
    }
    // A few an hour from one network address, so the host's list cannot be flooded.
    crate::server::auth::address_allowance_within("partner_request", 5, 3600).await?;
    let about = about.trim().chars().take(ABOUT_MAX).collect::<String>();
    let request = repo::partners::NewRequest {
        host_id: &host.id,
        group_name: &group_name,
        organiser_name: &validation::one_line(&display_name, validation::MAX_NAME_LEN),
        organiser_email: &validation::normalise_email(&email),
        about: &about,
    };
    if repo::partners::insert_request(&state.db, &request, now()).await? {
        tracing::info!(host = %host.id, "a community group asked to join");
    }
    leptos_axum::redirect("/partners/join?sent=1");
    Ok(())
}

/// An administrator of the host approves a group's request (the group, partnership and
/// organiser's account are made and the invitation emailed) or declines it (the group is told,
/// with the reason if one is given).
pub async fn decide_join_request(caller: &Caller, request_id: String, decision: String, reason: String) -> Result<String, AppError> {
    use crate::domain::mail::MessageKind;
    use crate::domain::validation;
    use crate::server::{accounts, letters, mail, now, repo};
    let admin = caller.require(|r| r.can_manage_staff())?;
    let state = &caller.state;
    let db = &state.db;
    let host = repo::organisations::get(db, &admin.organisation_id).await?.ok_or(AppError::NotFound)?;
    let request = repo::partners::get(db, &host.id, &request_id).await?.ok_or(AppError::NotFound)?;
    let decided = || AppError::Conflict(Msg::RequestAnsweredAlready { group: request.group_name.clone() });
    if request.status != "waiting" {
        return Err(decided());
    }
    let reason = validation::one_line(&reason, REASON_MAX + 1);
    if reason.chars().count() > REASON_MAX {
        return Err(AppError::invalid("reason", Msg::TooLong { what: crate::domain::Label::Reason, max: REASON_MAX as i64 }));
    }
    let t = now();
    let answer = match decision.as_str() {
        "approve" => {
            let name_taken = || AppError::Conflict(Msg::PartnerGroupExistsAlready { group: request.group_name.clone() });
            if repo::partners::group_name_taken(db, &host.id, &request.group_name).await? {
                return Err(name_taken());
            }
            let invite = accounts::GroupInvite {
                host_id: &host.id,
                host_name: &host.name,
                group_name: &request.group_name,
                organiser_email: &request.organiser_email,
                organiser_name: &request.organiser_name,
                invited_by: &admin.id,
            };
            match accounts::approve_group_request(&state.db, &state.link_base(), invite, &request.id, t).await? {
                accounts::Approval::Created { user_id } => {
                    let detail = format!("partner group “{}” approved with organiser {user_id} by {}", request.group_name, admin.id);
                    crate::server::staff::privilege_changed(state, &admin.id, &detail).await;
                    Msg::GroupNowPartnerEmailed { group: request.group_name.clone(), name: request.organiser_name.clone() }.to_string()
                }
                accounts::Approval::Decided => return Err(decided()),
                accounts::Approval::NameTaken => return Err(name_taken()),
                accounts::Approval::AddressHeld => return Err(AppError::Conflict(Msg::OrganisersEmailAddressAlreadyAccount)),
            }
        }
        "decline" => {
            let mut tx = state.db.begin_write().await?;
            if !repo::partners::decline(&mut tx, &host.id, &request.id, &admin.id, &reason, t).await? {
                return Err(decided());
            }
            let message = mail::Outgoing {
                organisation_id: &host.id,
                kind: MessageKind::GroupDecision,
                to_address: &request.organiser_email,
                to_name: &request.organiser_name,
                letter: letters::group_request_declined(
                    crate::language::page_locale(),
                    &host.name,
                    &request.group_name,
                    &request.organiser_name,
                    &reason,
                ),
                lang: crate::language::choice::code(crate::language::page_locale()),
                consultation_id: None,
                consent: None,
            };
            mail::queue(&mut tx, &state.link_base(), message, t).await?;
            tx.commit().await?;
            tracing::info!(admin = %admin.id, request = %request.id, "a group's request to join was declined");
            Msg::RequestDeclinedEmailed { group: request.group_name.clone(), name: request.organiser_name.clone() }.to_string()
        }
        _ => return Err(AppError::invalid("decision", Msg::ChooseApproveDecline)),
    };
    state.mail.now();
    Ok(answer)
}
