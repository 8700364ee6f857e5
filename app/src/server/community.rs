//! Community responses: the clusters an organisation's conversations show, found by the rule
//! its admins set, and the responses opened on them.

use crate::domain::cluster::{clusters, Rule, Tally, Trend};
use crate::domain::community_response::ResponseForm;
use crate::domain::Msg;
use crate::error::AppError;
use crate::i18n::td_string;
use crate::language::names::{self as words, HasName};
use crate::server::auth::Caller;
use crate::server::repo::community::{self as repo, NewResponse, ResponseRow};
use crate::types::community::{ClusterView, ClustersView, LinkedOpportunity, OpeningView, ResponseView, UpdateView};
use crate::types::Named;

fn name(list: &[Named], id: &str) -> String {
    list.iter().find(|n| n.id == id).map(|n| n.name.clone()).unwrap_or_default()
}

/// The clusters now, largest first, with the rule they were found by, and the responses.
pub async fn community_page(caller: &Caller) -> Result<ClustersView, AppError> {
    let admin = caller.require(|r| r.can_answer_clusters())?;
    let db = &caller.state.db;
    let org = &admin.organisation_id;
    let (rule, today, tallies) = counted_now(db, org).await?;
    let labels = crate::server::repo::intelligence::labels(db, org).await?;
    let rows = repo::responses(db, org).await?;
    let open_on =
        |t: &Tally| rows.iter().find(|r| r.status == "open" && r.area_id == t.area_id && r.theme_id == t.theme_id).map(|r| r.id.clone());
    let locale = crate::language::page_locale();
    let clusters = clusters(&tallies, &rule)
        .into_iter()
        .map(|t| {
            let (theme, area) = (name(&labels.themes, &t.theme_id), name(&labels.areas, &t.area_id));
            ClusterView {
                title: format!("{theme}, {area}"),
                summary: words::cluster_summary(locale, &theme, &area, t.residents, rule.window_days),
                residents: t.residents,
                compared: words::compared(locale, t.residents, t.before),
                trend: Trend::of(t.residents, t.before).label().to_string(),
                response_id: open_on(&t),
                area_id: t.area_id,
                theme_id: t.theme_id,
            }
        })
        .collect();
    // Each response's cluster now: one count per period length (usually the rule's, counted above).
    let mut counted: std::collections::HashMap<i64, Vec<Tally>> = std::collections::HashMap::from([(rule.window_days, tallies)]);
    let mut responses = Vec::with_capacity(rows.len());
    for row in &rows {
        if let std::collections::hash_map::Entry::Vacant(slot) = counted.entry(counted_over(row)) {
            let over = Rule { threshold: 0, window_days: counted_over(row) };
            slot.insert(repo::tallies(db, org, &over, today).await?);
        }
        let now = counted.get(&counted_over(row)).map_or(0, |tallies| residents_in(tallies, row));
        responses.push(organisations_view(db, row, now).await?);
    }
    Ok(ClustersView { threshold: rule.threshold, window_days: rule.window_days, clusters, responses })
}

/// The days a response's cluster is counted over now: those it was opened with, at most the
/// longest window there is (a response opened over a year before windows were capped is
/// counted over the last 90 days, not a year and the year before).
fn counted_over(row: &ResponseRow) -> i64 {
    row.window_days.clamp(crate::domain::cluster::MIN_WINDOW_DAYS, crate::domain::cluster::MAX_WINDOW_DAYS)
}

/// How many residents the response's cluster has now, from tallies over the days it was opened
/// with.
fn residents_in(tallies: &[Tally], row: &ResponseRow) -> i64 {
    tallies.iter().find(|t| t.area_id == row.area_id && t.theme_id == row.theme_id).map_or(0, |t| t.residents)
}

/// How many residents the response's cluster has now, counted afresh.
async fn now_in(db: &crate::server::Db, row: &ResponseRow, today: i64) -> Result<i64, AppError> {
    let rule = Rule { threshold: 0, window_days: counted_over(row) };
    crate::server::repo::intelligence::refresh_dirty(db, Some(&row.organisation_id)).await?;
    Ok(residents_in(&repo::tallies(db, &row.organisation_id, &rule, today).await?, row))
}

/// A response as its organisation sees it: how its cluster has changed (`now`: residents in it
/// today), who was invited.
async fn organisations_view(db: &crate::server::Db, row: &ResponseRow, now: i64) -> Result<ResponseView, AppError> {
    let mut view = view_of(row, Some(now));
    let (invited, signed_up) = repo::invitation_counts(db, &row.id).await?;
    view.invitations =
        td_string!(crate::language::page_locale(), community.invited_signed_up, count = invited.max(0) as u64, signed_up = signed_up);
    Ok(view)
}

/// A response as shown; `now` (residents in its cluster today) for the organisation only.
fn view_of(row: &ResponseRow, now: Option<i64>) -> ResponseView {
    let locale = crate::language::page_locale();
    let date = |iso: &str| words::long_date(locale, iso);
    ResponseView {
        id: row.id.clone(),
        organisation: row.organisation_name.clone(),
        title: row.title.clone(),
        about: format!("{}, {}", row.theme_name, row.area_name),
        we_will: row.we_will.clone(),
        you_can: row.you_can.clone(),
        meeting: row.event_on.as_deref().map(|on| (row.event_name.clone(), row.event_place.clone(), date(on))),
        opened_on: date(&crate::domain::calendar::uk_date(row.opened_at)),
        open: row.status == "open",
        closed_on: row.closed_at.map(|at| date(&crate::domain::calendar::uk_date(at))),
        progress: now
            .map(|now| {
                let (locale, then) = (crate::language::page_locale(), row.residents_at_opening);
                td_string!(
                    locale,
                    community.progress,
                    then = words::residents(locale, then),
                    days = row.window_days,
                    now = crate::domain::intelligence::shown(now),
                    trend = Trend::of(now, then).name(locale).to_lowercase()
                )
            })
            .unwrap_or_default(),
        invitations: String::new(),
        signed_up: None,
        ..ResponseView::default()
    }
}

/// What a response's own page adds: its updates, its opportunities, and for its own
/// organisation's admins (`own`) how many each update reached and what they can link.
async fn with_details(db: &crate::server::Db, row: &ResponseRow, mut view: ResponseView, own: bool) -> Result<ResponseView, AppError> {
    let locale = crate::language::page_locale();
    let date = |at: i64| words::long_date(locale, &crate::domain::calendar::uk_date(at));
    view.updates = repo::updates(db, &row.id)
        .await?
        .into_iter()
        .map(|(body, closing, sent_to, at)| UpdateView {
            on: date(at),
            body,
            closing: closing == 1,
            sent: match (own, sent_to) {
                (false, _) => String::new(),
                (true, n) => td_string!(crate::language::page_locale(), community.sent_to, count = n.max(0) as u64),
            },
        })
        .collect();
    view.opportunities = repo::linked_opportunities(db, &row.id)
        .await?
        .into_iter()
        .map(|(id, title, title_cy, by)| LinkedOpportunity { id, title, title_cy, by })
        .collect();
    view.manage = own;
    if own && row.status == "open" {
        view.linkable = repo::linkable(db, &row.organisation_id, &row.id).await?.into_iter().map(|(id, name)| Named { id, name }).collect();
    }
    Ok(view)
}

/// Saves what makes a cluster: how many residents, over how many days.
pub async fn save_rule(caller: &Caller, threshold: String, window_days: String) -> Result<(), AppError> {
    let admin = caller.require(|r| r.can_answer_clusters())?;
    let rule = Rule::parse(&threshold, &window_days).map_err(AppError::Invalid)?;
    repo::save_rule(&caller.state.db, &admin.organisation_id, &rule).await?;
    Ok(())
}

/// The organisation's rule, today (a UK day) and each theme's residents by area under it now.
async fn counted_now(db: &crate::server::Db, org: &str) -> Result<(Rule, i64, Vec<Tally>), AppError> {
    let rule = repo::rule(db, org).await?;
    let today = crate::domain::calendar::uk_day(crate::server::now());
    crate::server::repo::intelligence::refresh_dirty(db, Some(org)).await?;
    let tallies = repo::tallies(db, org, &rule, today).await?;
    Ok((rule, today, tallies))
}

/// The cluster a new response would answer: one the conversations show now.
async fn cluster_now(caller: &Caller, area_id: &str, theme_id: &str) -> Result<(Rule, Tally, String, String), AppError> {
    let admin = caller.require(|r| r.can_answer_clusters())?;
    let db = &caller.state.db;
    let org = &admin.organisation_id;
    let (rule, _, tallies) = counted_now(db, org).await?;
    let found = clusters(&tallies, &rule).into_iter().find(|t| t.area_id == area_id && t.theme_id == theme_id);
    let Some(tally) = found else {
        return Err(AppError::invalid("title", Msg::NotClusterNowGoBack));
    };
    let labels = crate::server::repo::intelligence::labels(db, org).await?;
    Ok((rule, tally, name(&labels.themes, theme_id), name(&labels.areas, area_id)))
}

/// What the form for a new response on one cluster shows.
pub async fn opening(caller: &Caller, area_id: String, theme_id: String) -> Result<OpeningView, AppError> {
    let (rule, tally, theme, area) = cluster_now(caller, &area_id, &theme_id).await?;
    let locale = crate::language::page_locale();
    Ok(OpeningView {
        summary: words::cluster_summary(locale, &theme, &area, tally.residents, rule.window_days),
        title: td_string!(locale, community.suggested_title, theme = theme.as_str(), area = area.as_str()),
        area_id,
        theme_id,
    })
}

/// Opens a response on a cluster the conversations show now, and invites the residents behind
/// it who agreed to be contacted about their issue (each with a link of their own). Returns its
/// id.
pub async fn open_response(caller: &Caller, form: ResponseForm) -> Result<String, AppError> {
    use crate::domain::mail::MessageKind;
    use crate::domain::outreach::ConsentPurpose;
    use crate::server::{letters, mail, now, tokens};
    let admin = caller.require(|r| r.can_answer_clusters())?;
    let today = crate::domain::calendar::uk_day(now());
    let response = form.parse(today).map_err(AppError::Invalid)?;
    let (rule, tally, theme, area) = cluster_now(caller, &form.area_id, &form.theme_id).await?;
    let state = &caller.state;
    let org = admin.organisation_id.as_str();
    let new = NewResponse {
        organisation_id: org,
        area_id: &form.area_id,
        theme_id: &form.theme_id,
        response: &response,
        window_days: rule.window_days,
        residents: tally.residents,
        opened_by: &admin.id,
    };
    let t = now();
    let mut tx = state.db.begin_write().await?;
    let Some(id) = repo::open_response(&mut tx, &new, t).await? else {
        return Err(AppError::Conflict(Msg::CommunityResponseAlreadyOpenFind));
    };
    let (first, last) = rule.window(today);
    let window = (crate::domain::calendar::uk_day_start(first), crate::domain::calendar::uk_day_start(last + 1));
    let invitees = repo::invitees(&mut tx, org, (&form.area_id, &form.theme_id), window).await?;
    let organisation = crate::server::repo::organisations::get(&state.db, org).await?.map(|o| o.name).unwrap_or_default();
    let base = state.link_base();
    let meeting = response.meeting.as_ref().map(|m| (m.name.as_str(), m.place.as_str(), m.on.as_str()));
    for who in &invitees {
        let token = tokens::new_token();
        if !repo::record_invitation(&mut tx, (org, &id, &who.resident_id), &tokens::token_hash(&token), t).await? {
            continue;
        }
        let link = format!("{base}/together/{id}?invite={token}");
        let locale = who.writes_in();
        let about = td_string!(locale, community.issue_in_area, theme = theme.to_lowercase(), area = area.as_str());
        let letter =
            letters::community_invitation(locale, &organisation, &who.name, &about, &response.we_will, &response.you_can, meeting, &link);
        let message = mail::Outgoing {
            organisation_id: org,
            kind: MessageKind::CommunityInvitation,
            to_address: &who.email,
            to_name: &who.name,
            letter,
            lang: crate::language::choice::code(locale),
            consultation_id: None,
            consent: Some((&who.resident_id, ConsentPurpose::ContactAboutIssue)),
        };
        mail::queue(&mut tx, &base, message, t).await?;
    }
    tx.commit().await?;
    tracing::info!(user = %admin.id, response = %id, invited = invitees.len(), "community response opened");
    state.mail.now();
    leptos_axum::redirect(&format!("/together/{id}"));
    Ok(id)
}

/// One response as residents read it (anyone may: it is public), without the organisation's
/// figures. With the resident's own invitation link (`invite`), whether they have signed up for
/// its meeting. An id that names none is not found.
pub async fn public_response(caller: &Caller, id: String, invite: Option<String>) -> Result<ResponseView, AppError> {
    if !crate::domain::validation::is_uuid(&id) {
        return Err(AppError::NotFound);
    }
    let db = &caller.state.db;
    let row = repo::response(db, &id).await?.ok_or(AppError::NotFound)?;
    // Its own organisation's admins see how the cluster has changed since, and who was invited.
    let own =
        caller.user().ok().is_some_and(|u| u.organisation_id == row.organisation_id && u.role().is_some_and(|r| r.can_answer_clusters()));
    let view = if own {
        organisations_view(db, &row, now_in(db, &row, crate::domain::calendar::uk_day(crate::server::now())).await?).await?
    } else {
        view_of(&row, None)
    };
    let mut view = with_details(db, &row, view, own).await?;
    if let Some(token) = invite.filter(|t| is_token(t)) {
        view.signed_up = repo::invitation(db, &id, &crate::server::tokens::token_hash(&token)).await?;
    }
    Ok(view)
}

/// The invited resident signs up for the response's meeting with their own link. A link that is
/// not this response's, or a response with no meeting (or one closed), is refused; signing up
/// twice changes nothing.
pub async fn sign_up(caller: &Caller, id: String, invite: String) -> Result<(), AppError> {
    if !crate::domain::validation::is_uuid(&id) {
        return Err(AppError::NotFound);
    }
    let db = &caller.state.db;
    let row = repo::response(db, &id).await?.ok_or(AppError::NotFound)?;
    if row.event_on.is_none() || row.status != "open" {
        return Err(AppError::Conflict(Msg::ThereNoMeetingSignUp));
    }
    let not_this = || AppError::invalid("invite", Msg::LinkNotInvitationMeetingUse);
    if !is_token(&invite) {
        return Err(not_this());
    }
    let hash = crate::server::tokens::token_hash(&invite);
    match repo::invitation(db, &id, &hash).await? {
        None => return Err(not_this()),
        Some(true) => {}
        Some(false) => {
            repo::sign_up(db, &id, &hash, crate::server::now()).await?;
        }
    }
    // Both checked above: an id and a secret of hex digits, nothing else reaches the header.
    leptos_axum::redirect(&format!("/together/{id}?invite={invite}"));
    Ok(())
}

/// Whether a link's secret has the shape `tokens::new_token` makes (64 hex digits).
pub(crate) fn is_token(t: &str) -> bool {
    t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit())
}
