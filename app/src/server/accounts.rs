//! Accounts made by invitation: a staff member, a group's organiser, a new organisation's first
//! administrator. The account exists without a password until its emailed link is used.
//!
//! Whoever asks is never told whether an address has an account somewhere else (email addresses
//! are unique across the whole installation): they get the same answer as for a new account, and
//! the holder of the address gets an email saying someone asked.

use super::db::{is_unique_violation, Db};
use super::mail::{queue, Outgoing};
use super::{letters, repo};
use crate::domain::Msg;
use crate::domain::{mail::MessageKind, Role};
use crate::server::tokens::{new_token, token_hash};

/// How long an invitation link works.
pub const INVITATION_DAYS: i64 = crate::types::INVITATION_DAYS;

pub struct Invite<'a> {
    pub organisation_id: &'a str,
    /// Normalised already.
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub created_by: Option<&'a str>,
}

#[derive(Debug)]
pub enum Invited {
    /// A new account, and its invitation queued: the link, for a command line to print.
    Created { user_id: String, link: String },
    /// The address has an account in this organisation already (the caller may say so: they
    /// can see their own organisation's accounts).
    InThisOrganisation,
    /// The address has an account elsewhere: the caller answers as for `Created`, and its holder
    /// has been told.
    Elsewhere,
}

/// Makes the account and queues its invitation, in one transaction.
pub async fn invite(db: &Db, base: &str, invite: Invite<'_>, now: i64) -> sqlx::Result<Invited> {
    let organisation = repo::organisations::get(db, invite.organisation_id).await?.map(|o| o.name).unwrap_or_default();
    let mut tx = db.begin_write().await?;
    match insert_invited(&mut tx, base, &organisation, &invite, now).await {
        Ok((user_id, link)) => {
            tx.commit().await?;
            Ok(Invited::Created { user_id, link })
        }
        Err(e) if is_unique_violation(&e) => {
            drop(tx);
            already_has_account(db, base, invite, now).await
        }
        Err(e) => Err(e),
    }
}

/// The account without a password, its link's hash, and the email with the link.
async fn insert_invited(
    conn: &mut sqlx::AnyConnection,
    base: &str,
    organisation: &str,
    invite: &Invite<'_>,
    now: i64,
) -> sqlx::Result<(String, String)> {
    let letter =
        |link: &str| letters::account_invitation(crate::language::page_locale(), organisation, invite.display_name, link, INVITATION_DAYS);
    insert_invited_with(conn, base, invite, now, &letter).await
}

/// As [`insert_invited`], with the words of the invitation given.
async fn insert_invited_with(
    conn: &mut sqlx::AnyConnection,
    base: &str,
    invite: &Invite<'_>,
    now: i64,
    letter: &(dyn Fn(&str) -> crate::domain::mail::Letter + Sync),
) -> sqlx::Result<(String, String)> {
    let new = repo::users::NewUser {
        organisation_id: invite.organisation_id,
        email: invite.email,
        display_name: invite.display_name,
        role: invite.role,
        password_hash: None,
        created_by: invite.created_by,
        // Proven when the invitation (sent to it) is used.
        email_verified: false,
    };
    let user_id = repo::users::insert(&mut *conn, new, now).await?;
    let token = new_token();
    repo::invitations::insert(&mut *conn, &token_hash(&token), &user_id, now, now + INVITATION_DAYS * 86400).await?;
    let link = format!("{base}/invite/{token}");
    let message = Outgoing {
        organisation_id: invite.organisation_id,
        kind: MessageKind::AccountInvitation,
        to_address: invite.email,
        to_name: invite.display_name,
        letter: letter(&link),
        lang: crate::language::choice::code(crate::language::page_locale()),
        consultation_id: None,
        consent: None,
    };
    queue(conn, base, message, now).await?;
    Ok((user_id, link))
}

/// A community group invited by its partner (the host), with its first organiser.
pub struct GroupInvite<'a> {
    pub host_id: &'a str,
    pub host_name: &'a str,
    /// One line already.
    pub group_name: &'a str,
    /// Normalised already.
    pub organiser_email: &'a str,
    pub organiser_name: &'a str,
    pub invited_by: &'a str,
}

/// Creates the group's organisation and its partnership with the host, and the organiser's
/// account with its emailed invitation, all or nothing. An address that already has an account
/// anywhere makes nothing: its holder is told, and the caller answers as if it had worked (see
/// [`Invited::Elsewhere`]).
/// `None`: a partner group of the host has this name already.
pub async fn invite_group(db: &Db, base: &str, g: GroupInvite<'_>, now: i64) -> sqlx::Result<Option<Invited>> {
    Ok(Some(match make_group(db, base, &g, None, now).await? {
        Made::Created { user_id, link } => Invited::Created { user_id, link },
        Made::Decided => unreachable!("no request to decide"),
        Made::NameTaken => return Ok(None),
        // A new group cannot already hold the address.
        Made::AddressHeld(Invited::InThisOrganisation) | Made::AddressHeld(Invited::Elsewhere) => Invited::Elsewhere,
        Made::AddressHeld(created) => created,
    }))
}

/// What approving a group's request to join did.
pub enum Approval {
    Created {
        user_id: String,
    },
    /// Someone decided it first.
    Decided,
    /// The organiser's address has an account already, so nothing was made; its holder was told.
    AddressHeld,
    /// A partner group of the host has this name already (made a moment before).
    NameTaken,
}

/// Approves a waiting request to join: the group, its partnership and its organiser's account
/// are made and the invitation queued in the same transaction as the request is marked.
pub async fn approve_group_request(db: &Db, base: &str, g: GroupInvite<'_>, request_id: &str, now: i64) -> sqlx::Result<Approval> {
    Ok(match make_group(db, base, &g, Some(request_id), now).await? {
        Made::Created { user_id, .. } => Approval::Created { user_id },
        Made::Decided => Approval::Decided,
        Made::AddressHeld(_) => Approval::AddressHeld,
        Made::NameTaken => Approval::NameTaken,
    })
}

enum Made {
    Created {
        user_id: String,
        link: String,
    },
    Decided,
    AddressHeld(Invited),
    /// The unique index on a host's group names (callers check first; this is the race).
    NameTaken,
}

async fn make_group(db: &Db, base: &str, g: &GroupInvite<'_>, request_id: Option<&str>, now: i64) -> sqlx::Result<Made> {
    let mut tx = db.begin_write().await?;
    let group_id = repo::organisations::insert(&mut *tx, g.group_name, crate::domain::OrganisationKind::CommunityGroup, now).await?;
    match sqlx::query("UPDATE organisations SET host_id = $2 WHERE id = $1").bind(&group_id).bind(g.host_id).execute(&mut *tx).await {
        Err(e) if is_unique_violation(&e) => return Ok(Made::NameTaken),
        done => done?,
    };
    if let Some(request_id) = request_id {
        let marked = sqlx::query(
            "UPDATE partner_requests SET status = 'approved', group_id = $1, decided_by = $2, decided_at = $3 \
             WHERE id = $4 AND host_id = $5 AND status = 'waiting'",
        )
        .bind(&group_id)
        .bind(g.invited_by)
        .bind(now)
        .bind(request_id)
        .bind(g.host_id)
        .execute(&mut *tx)
        .await?;
        if marked.rows_affected() != 1 {
            return Ok(Made::Decided);
        }
    }
    let invite = Invite {
        organisation_id: &group_id,
        email: g.organiser_email,
        display_name: g.organiser_name,
        role: Role::GroupOrganiser,
        created_by: Some(g.invited_by),
    };
    let letter = |link: &str| match request_id {
        Some(_) => letters::group_request_approved(
            crate::language::page_locale(),
            g.host_name,
            g.group_name,
            g.organiser_name,
            link,
            INVITATION_DAYS,
        ),
        None => {
            letters::group_invitation(crate::language::page_locale(), g.host_name, g.group_name, g.organiser_name, link, INVITATION_DAYS)
        }
    };
    match insert_invited_with(&mut tx, base, &invite, now, &letter).await {
        Ok((user_id, link)) => {
            tx.commit().await?;
            Ok(Made::Created { user_id, link })
        }
        Err(e) if is_unique_violation(&e) => {
            drop(tx);
            Ok(Made::AddressHeld(already_has_account(db, base, invite, now).await?))
        }
        Err(e) => Err(e),
    }
}

/// A new organisation and its first administrator, as `server create-organisation` asks.
pub struct NewOrganisation<'a> {
    pub name: &'a str,
    pub kind: &'a str,
    pub admin_email: &'a str,
    pub admin_name: &'a str,
}

#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// Each problem names its argument.
    #[error("{}", .0.iter().map(|(field, message)| format!("--{field}: {message}")).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<(String, String)>),
    #[error("--admin-email: an account with this email address already exists")]
    EmailTaken,
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

#[derive(Debug)]
pub struct CreatedOrganisation {
    pub organisation_id: String,
    pub admin_id: String,
    /// The administrator's invitation link (also emailed).
    pub link: String,
}

/// Creates the organisation and its administrator and queues the invitation, all or nothing.
pub async fn create_organisation(db: &Db, base: &str, new: NewOrganisation<'_>, now: i64) -> Result<CreatedOrganisation, SetupError> {
    use crate::domain::{validation, FieldErrors, OrganisationKind};
    let mut errors = FieldErrors::new();
    validation::check_name(&mut errors, "name", new.name, crate::domain::Label::OrganisationName);
    let kind = OrganisationKind::parse(new.kind.trim()).filter(|k| *k != OrganisationKind::CommunityGroup);
    if kind.is_none() {
        errors.add("kind", Msg::MustCouncilHousingAssociationCharity);
    }
    validation::check_email(&mut errors, "admin-email", new.admin_email);
    validation::check_name(&mut errors, "admin-name", new.admin_name, crate::domain::Label::AdministratorsFullName);
    if let Err(errors) = errors.into_result() {
        return Err(SetupError::Invalid(errors.0.into_iter().map(|e| (e.field, e.message.to_string())).collect()));
    }
    let email = validation::normalise_email(new.admin_email);
    let (name, admin_name) = (crate::domain::validation::one_line(new.name, 200), new.admin_name.trim());
    let mut tx = db.begin_write().await?;
    let organisation_id = repo::organisations::insert(&mut *tx, &name, kind.unwrap(), now).await?;
    let invite = Invite { organisation_id: &organisation_id, email: &email, display_name: admin_name, role: Role::Admin, created_by: None };
    match insert_invited(&mut tx, base, &name, &invite, now).await {
        Ok((admin_id, link)) => {
            tx.commit().await?;
            Ok(CreatedOrganisation { organisation_id, admin_id, link })
        }
        Err(e) if is_unique_violation(&e) => Err(SetupError::EmailTaken),
        Err(e) => Err(e.into()),
    }
}

async fn already_has_account(db: &Db, base: &str, invite: Invite<'_>, now: i64) -> sqlx::Result<Invited> {
    let Some(holder) = repo::users::find_by_email(db, invite.email).await? else {
        // Gone between the insert and now: nothing to tell anyone.
        return Ok(Invited::Elsewhere);
    };
    if holder.organisation_id == invite.organisation_id {
        return Ok(Invited::InThisOrganisation);
    }
    let mut tx = db.begin_write().await?;
    repo::users::lock(&mut tx, &holder.id).await?;
    if super::mail::recent_to(&mut tx, &holder.email, MessageKind::AccountExists, now - 3600).await? >= 3 {
        // Told a few times this hour already: asking again is not a way to flood their inbox.
        return Ok(Invited::Elsewhere);
    }
    let message = Outgoing {
        organisation_id: &holder.organisation_id,
        kind: MessageKind::AccountExists,
        to_address: &holder.email,
        to_name: &holder.display_name,
        letter: letters::account_exists(crate::language::page_locale(), &format!("{base}/sign-in"), &format!("{base}/forgot-password")),
        lang: crate::language::choice::code(crate::language::page_locale()),
        consultation_id: None,
        consent: None,
    };
    queue(&mut tx, base, message, now).await?;
    tx.commit().await?;
    Ok(Invited::Elsewhere)
}
