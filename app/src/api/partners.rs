//! Partner groups: an organisation's administrators invite the community groups they work with.
//! Each group gets its own organisation, partnered with the host (its opportunities reach the
//! host's residents), and its first organiser an emailed invitation to choose a password.
//! A group's organiser can invite a co-organiser.

use super::CreatedInvitation;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Longest group name kept.
pub const GROUP_NAME_MAX: usize = 100;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organiser {
    pub display_name: String,
    pub email: String,
    /// Invited but has not chosen a password yet.
    pub invited: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerGroup {
    pub id: String,
    pub name: String,
    pub organisers: Vec<Organiser>,
    /// Opportunities open to volunteers now.
    pub open_opportunities: i64,
}

/// What `/partners` shows: a host's partner groups, or a group's own organisers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PartnersView {
    Host { groups: Vec<PartnerGroup> },
    Group { name: String, organisers: Vec<Organiser> },
}

/// For an administrator, their organisation's partner groups by name; for a group's organiser,
/// the group's organisers.
#[server(prefix = "/api", endpoint = "partners/list")]
pub async fn load_partners() -> Result<PartnersView, AppError> {
    use crate::domain::Role;
    use crate::server::{auth, repo};
    auth::with_status(
        async {
            let user = auth::require(|r| r.can_manage_staff() || r == Role::GroupOrganiser).await?;
            let state = auth::state()?;
            let pool = &state.db.pool;
            let organiser = |(name, email, hash): (String, String, Option<String>)| Organiser { display_name: name, email, invited: hash.is_none() };
            if user.role() == Some(Role::GroupOrganiser) {
                let group = repo::organisations::get(pool, &user.organisation_id).await?.ok_or(AppError::NotFound)?;
                let people: Vec<(String, String, Option<String>)> = sqlx::query_as(
                    "SELECT display_name, email, password_hash FROM users WHERE organisation_id = $1 AND role = 'group_organiser' AND active = 1 \
                     ORDER BY display_name, email",
                )
                .bind(&user.organisation_id)
                .fetch_all(pool)
                .await?;
                return Ok(PartnersView::Group { name: group.name, organisers: people.into_iter().map(organiser).collect() });
            }
            let groups: Vec<(String, String)> =
                sqlx::query_as("SELECT id, name FROM organisations WHERE host_id = $1 AND kind = 'community_group' ORDER BY name, id")
                    .bind(&user.organisation_id)
                    .fetch_all(pool)
                    .await?;
            let people: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
                "SELECT u.organisation_id, u.display_name, u.email, u.password_hash FROM users u JOIN organisations o ON o.id = u.organisation_id \
                 WHERE o.host_id = $1 AND u.role = 'group_organiser' AND u.active = 1 ORDER BY u.display_name, u.email",
            )
            .bind(&user.organisation_id)
            .fetch_all(pool)
            .await?;
            let open: Vec<(String, i64)> = sqlx::query_as(
                "SELECT p.organisation_id, COUNT(*) FROM opportunities p JOIN organisations o ON o.id = p.organisation_id \
                 WHERE o.host_id = $1 AND p.status = 'open' GROUP BY p.organisation_id",
            )
            .bind(&user.organisation_id)
            .fetch_all(pool)
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
            Ok(PartnersView::Host { groups })
        }
        .await,
    )
}

/// Invites a community group: its name, and its organiser's name and email address.
#[server(prefix = "/api", endpoint = "partners/invite")]
pub async fn invite_group(group_name: String, display_name: String, email: String) -> Result<CreatedInvitation, AppError> {
    use crate::domain::{validation, FieldErrors};
    use crate::server::{accounts, auth, now, repo};
    auth::with_status(
        async {
            let admin = auth::require(|r| r.can_manage_staff()).await?;
            let state = auth::state()?;
            let host = repo::organisations::get(&state.db.pool, &admin.organisation_id).await?.ok_or(AppError::NotFound)?;
            if host.kind() == Some(crate::domain::OrganisationKind::CommunityGroup) {
                return Err(AppError::Forbidden);
            }
            let mut errors = FieldErrors::new();
            let group_name = validation::one_line(&group_name, GROUP_NAME_MAX + 1);
            if group_name.is_empty() {
                errors.add("group_name", "Enter the group's name");
            } else if group_name.chars().count() > GROUP_NAME_MAX {
                errors.add("group_name", format!("The group's name must be {GROUP_NAME_MAX} characters or fewer"));
            }
            validation::check_name(&mut errors, "display_name", &display_name, "the organiser's full name");
            validation::check_email(&mut errors, "email", &email);
            errors.into_result().map_err(AppError::Invalid)?;
            let (email, display_name) = (validation::normalise_email(&email), display_name.trim().to_string());
            let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM organisations WHERE host_id = $1 AND LOWER(name) = LOWER($2)")
                .bind(&admin.organisation_id)
                .bind(&group_name)
                .fetch_one(&state.db.pool)
                .await?;
            if taken > 0 {
                return Err(AppError::invalid("group_name", "A partner group with this name already exists"));
            }
            let invite = accounts::GroupInvite {
                host_id: &host.id,
                host_name: &host.name,
                group_name: &group_name,
                organiser_email: &email,
                organiser_name: &display_name,
                invited_by: &admin.id,
            };
            if let accounts::Invited::Created { user_id, .. } = accounts::invite_group(&state.db, &state.link_base(), invite, now()).await? {
                tracing::info!(admin = %admin.id, user_id = %user_id, "partner group invited");
                let detail = format!("partner group “{group_name}” invited with organiser {user_id} by {}", admin.id);
                crate::api::staff::ssr::privilege_changed(&state, &admin.id, &detail).await;
            }
            state.mail.now();
            Ok(CreatedInvitation { display_name, email })
        }
        .await,
    )
}

/// A group's organiser invites another organiser into their own group.
#[server(prefix = "/api", endpoint = "partners/co-organiser")]
pub async fn invite_co_organiser(display_name: String, email: String) -> Result<CreatedInvitation, AppError> {
    use crate::domain::{validation, FieldErrors, Role};
    use crate::server::{accounts, auth, now};
    auth::with_status(
        async {
            let organiser = auth::require(|r| r == Role::GroupOrganiser).await?;
            let state = auth::state()?;
            let mut errors = FieldErrors::new();
            validation::check_name(&mut errors, "display_name", &display_name, "their full name");
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
                    crate::api::staff::ssr::privilege_changed(&state, &organiser.id, &detail).await;
                }
                accounts::Invited::InThisOrganisation => {
                    return Err(AppError::invalid("email", "This person is already an organiser of your group"));
                }
                accounts::Invited::Elsewhere => {}
            }
            state.mail.now();
            Ok(CreatedInvitation { display_name, email })
        }
        .await,
    )
}
