//! The intelligence dashboard: what the organisation's conversations say, filtered by date,
//! area, theme, worker and kind. Small counts leave the server only as "<5".

use crate::api::Named;
use crate::domain::intelligence::Filters;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One bar of a chart and one row of its table. `value` is `None` when the count is too small
/// to show (1 to 4): it never leaves the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bar {
    pub label: String,
    pub value: Option<i64>,
    pub shown: String,
}

/// One follow-up owner's figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OwnerRow {
    pub owner: String,
    pub open: String,
    pub overdue: String,
    pub resolved: String,
    /// Median days from conversation to resolved (only over 5 or more resolved).
    pub median_days: Option<f64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub filters: Filters,
    pub areas: Vec<Named>,
    pub themes: Vec<Named>,
    /// Empty for a worker, who sees their own figures.
    pub workers: Vec<Named>,
    pub issues_by_theme: Vec<Bar>,
    pub issues_by_area: Vec<Bar>,
    pub conversations_with_issues: String,
    pub resolved_on_the_spot: String,
    pub referred: String,
    /// Resolved on the spot, as a whole percentage (none when too few to show).
    pub resolution_rate: Option<i64>,
    pub repeats_30: String,
    pub repeats_90: String,
    pub felt_heard: Vec<Bar>,
    pub follow_ups: Vec<OwnerRow>,
}

/// The tables a dashboard can export, by name in the CSV's address.
pub const TABLES: [&str; 5] = ["themes", "areas", "felt-heard", "follow-ups", "resolution"];

pub const FELT_HEARD_LABELS: [&str; 5] = ["1 – not at all", "2", "3", "4", "5 – completely"];

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::*;
    use crate::domain::intelligence::{median, percent, shown};
    use crate::domain::Role;
    use crate::server::repo::intelligence as q;
    use crate::server::repo::users::UserRow;

    fn db(e: sqlx::Error) -> AppError {
        crate::server::auth::internal("intelligence", e)
    }

    fn bars(rows: Vec<(String, i64)>) -> Vec<Bar> {
        rows.into_iter().map(|(label, n)| Bar { label, value: (n == 0 || n >= 5).then_some(n), shown: shown(n) }).collect()
    }

    /// Everything on the dashboard for `user` (an admin: the whole organisation; an outreach
    /// worker: their own conversations).
    pub async fn build(pool: &sqlx::AnyPool, user: &UserRow, mut filters: Filters) -> Result<Dashboard, AppError> {
        let role = user.role().ok_or(AppError::Forbidden)?;
        if !role.can_see_intelligence() {
            return Err(AppError::Forbidden);
        }
        let nonempty = |v: &mut Option<String>| {
            if v.as_deref().is_some_and(|s| s.trim().is_empty()) {
                *v = None;
            }
        };
        for f in [&mut filters.from, &mut filters.to, &mut filters.area, &mut filters.theme, &mut filters.worker, &mut filters.kind] {
            nonempty(f);
        }
        if role != Role::Admin {
            filters.worker = Some(user.id.clone());
        }
        let org = &user.organisation_id;
        let reference = crate::server::repo::outreach::reference_data(pool, org, "9999-12-31").await.map_err(db)?;
        let scope = q::Scope::new(org, &filters);
        let (with_issues, resolved, referred) = q::resolution(pool, &scope).await.map_err(db)?;
        let heard = q::felt_heard(pool, &scope).await.map_err(db)?;
        let felt_heard = (1..=5)
            .map(|n| {
                let count = heard.iter().find(|(k, _)| *k == n).map(|(_, c)| *c).unwrap_or(0);
                Bar { label: FELT_HEARD_LABELS[(n - 1) as usize].to_string(), value: (count == 0 || count >= 5).then_some(count), shown: shown(count) }
            })
            .collect();
        let today = crate::server::uk_today();
        let mut owners: Vec<(String, i64, i64, Vec<i64>)> = Vec::new();
        for (owner, status, due_on, took) in q::follow_ups(pool, &scope).await.map_err(db)? {
            if owners.last().map(|o| &o.0) != Some(&owner) {
                owners.push((owner, 0, 0, Vec::new()));
            }
            let o = owners.last_mut().expect("just pushed");
            if status == "open" {
                o.1 += 1;
                if due_on < today {
                    o.2 += 1;
                }
            } else if let Some(secs) = took {
                o.3.push(secs);
            }
        }
        let follow_ups = owners
            .into_iter()
            .map(|(owner, open, overdue, mut took)| OwnerRow {
                owner,
                open: shown(open),
                overdue: shown(overdue),
                resolved: shown(took.len() as i64),
                median_days: if took.len() >= 5 { median(&mut took).map(|s| (s / 86_400.0 * 10.0).round() / 10.0) } else { None },
            })
            .collect();
        Ok(Dashboard {
            issues_by_theme: bars(q::issues_by_theme(pool, &scope).await.map_err(db)?),
            issues_by_area: bars(q::issues_by_area(pool, &scope).await.map_err(db)?),
            conversations_with_issues: shown(with_issues),
            resolved_on_the_spot: shown(resolved),
            referred: shown(referred),
            resolution_rate: percent(resolved, with_issues),
            repeats_30: shown(q::repeat_contacts(pool, &scope, 30).await.map_err(db)?),
            repeats_90: shown(q::repeat_contacts(pool, &scope, 90).await.map_err(db)?),
            felt_heard,
            follow_ups,
            workers: if role == Role::Admin { reference.colleagues.clone() } else { Vec::new() },
            areas: reference.areas,
            themes: reference.themes,
            filters,
        })
    }

    /// One table of the dashboard as CSV rows (heading first).
    pub fn table(d: &Dashboard, name: &str) -> Option<Vec<Vec<String>>> {
        let counts = |heading: &str, bars: &[Bar]| {
            std::iter::once(vec![heading.to_string(), "count".to_string()]).chain(bars.iter().map(|b| vec![b.label.clone(), b.shown.clone()])).collect()
        };
        Some(match name {
            "themes" => counts("theme", &d.issues_by_theme),
            "areas" => counts("area", &d.issues_by_area),
            "felt-heard" => counts("felt heard", &d.felt_heard),
            "follow-ups" => std::iter::once(["owner", "open", "overdue", "resolved", "median days to resolve"].map(String::from).to_vec())
                .chain(d.follow_ups.iter().map(|o| {
                    vec![o.owner.clone(), o.open.clone(), o.overdue.clone(), o.resolved.clone(), o.median_days.map(|m| m.to_string()).unwrap_or_default()]
                }))
                .collect(),
            "resolution" => vec![
                vec!["measure".into(), "value".into()],
                vec!["conversations that raised an issue".into(), d.conversations_with_issues.clone()],
                vec!["resolved on the spot".into(), d.resolved_on_the_spot.clone()],
                vec!["first-contact resolution (%)".into(), d.resolution_rate.map(|r| r.to_string()).unwrap_or_else(|| "too few to show".into())],
                vec!["referred to a service".into(), d.referred.clone()],
                vec!["repeat contacts within 30 days".into(), d.repeats_30.clone()],
                vec!["repeat contacts within 90 days".into(), d.repeats_90.clone()],
            ],
            _ => return None,
        })
    }
}

/// The dashboard for the signed-in admin or outreach worker.
#[server(prefix = "/api", endpoint = "intelligence/dashboard")]
pub async fn load_dashboard(
    from: Option<String>,
    to: Option<String>,
    area: Option<String>,
    theme: Option<String>,
    worker: Option<String>,
    kind: Option<String>,
) -> Result<Dashboard, AppError> {
    use crate::server::auth;
    auth::with_status(
        async {
            let user = auth::require_user().await?;
            let state = auth::state()?;
            ssr::build(&state.db.pool, &user, Filters { from, to, area, theme, worker, kind }).await
        }
        .await,
    )
}
