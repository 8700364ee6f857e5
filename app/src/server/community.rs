//! Community responses: the clusters an organisation's conversations show, found by the rule
//! its admins set.

use crate::domain::cluster::{clusters, compared, describe, Rule, Trend};
use crate::error::AppError;
use crate::server::auth::Caller;
use crate::server::repo::community as repo;
use crate::types::community::{ClusterView, ClustersView};

/// The clusters now, largest first, with the rule they were found by.
pub async fn community_page(caller: &Caller) -> Result<ClustersView, AppError> {
    let admin = caller.require(|r| r.can_answer_clusters())?;
    let db = &caller.state.db;
    let org = &admin.organisation_id;
    let rule = repo::rule(db, org).await?;
    let today = crate::domain::calendar::uk_day(crate::server::now());
    let tallies = repo::tallies(db, org, &rule, today).await?;
    let labels = crate::server::repo::intelligence::labels(db, org).await?;
    let name = |list: &[crate::types::Named], id: &str| list.iter().find(|n| n.id == id).map(|n| n.name.clone()).unwrap_or_default();
    let clusters = clusters(&tallies, &rule)
        .into_iter()
        .map(|t| {
            let (theme, area) = (name(&labels.themes, &t.theme_id), name(&labels.areas, &t.area_id));
            ClusterView {
                title: format!("{theme}, {area}"),
                summary: describe(&theme, &area, t.residents, rule.window_days),
                residents: t.residents,
                compared: compared(t.residents, t.before),
                trend: Trend::of(t.residents, t.before).label().to_string(),
                area_id: t.area_id,
                theme_id: t.theme_id,
            }
        })
        .collect();
    Ok(ClustersView { threshold: rule.threshold, window_days: rule.window_days, clusters })
}

/// Saves what makes a cluster: how many residents, over how many days.
pub async fn save_rule(caller: &Caller, threshold: String, window_days: String) -> Result<(), AppError> {
    let admin = caller.require(|r| r.can_answer_clusters())?;
    let rule = Rule::parse(&threshold, &window_days).map_err(AppError::Invalid)?;
    repo::save_rule(&caller.state.db, &admin.organisation_id, &rule).await?;
    Ok(())
}
