//! `/intelligence`: what the front line is hearing, for admins (the whole organisation) and
//! outreach workers (their own conversations). Filters are a plain GET form and every chart has
//! its table and a CSV, so it all works without JavaScript and with a screen reader.

use crate::api::intelligence::{load_dashboard, Dashboard, Table};
use crate::api::Named;
use crate::components::chart::{BarChart, FigureTable};
use crate::components::filters::FilterSelect;
use crate::components::filters::{DateFilter, ProblemSummary};
use crate::components::status::PageProblem;
use crate::components::title::Title;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Follow-ups by owner, as a table of figures.
fn follow_ups_table(d: &Dashboard) -> Table {
    Table {
        columns: ["Owner", "Open", "Overdue", "Resolved", "Median days to resolve"].map(String::from).to_vec(),
        rows: d
            .follow_ups
            .iter()
            .map(|o| {
                vec![
                    o.owner.clone(),
                    o.open.clone(),
                    o.overdue.clone(),
                    o.resolved.clone(),
                    o.median_days.map_or_else(|| "–".into(), |m| m.to_string()),
                ]
            })
            .collect(),
    }
}

/// The filters as a query string for the CSV links.
fn query(d: &Dashboard) -> String {
    let f = &d.filters;
    let pairs = [
        ("from", &f.from),
        ("to", &f.to),
        ("area", &f.area),
        ("theme", &f.theme),
        ("worker", &f.worker),
        ("kind", &f.kind),
        ("team", &f.team),
    ];
    let encoded: Vec<String> = pairs
        .iter()
        .filter_map(|(k, v)| {
            v.as_ref().map(|v| {
                format!(
                    "{k}={}",
                    v.bytes()
                        .map(|b| if b.is_ascii_alphanumeric() || b == b'-' { (b as char).to_string() } else { format!("%{b:02X}") })
                        .collect::<String>()
                )
            })
        })
        .collect();
    if encoded.is_empty() {
        String::new()
    } else {
        format!("?{}", encoded.join("&"))
    }
}

#[component]
pub fn IntelligencePage() -> impl IntoView {
    let q = use_query_map();
    let filters = move || {
        let q = q.get();
        let get = |k: &str| q.get(k).filter(|v| !v.is_empty());
        (get("from"), get("to"), get("area"), get("theme"), get("worker"), get("kind"), get("team"))
    };
    let data =
        Resource::new(filters, |(from, to, area, theme, worker, kind, team)| load_dashboard(from, to, area, theme, worker, kind, team));
    view! {
        <Title text="Intelligence"/>
        <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <PageProblem error/> }.into_any(),
                    Ok(d) => {
                        let qs = query(&d);
                        let csv = move |table: &str| format!("/intelligence/export/{table}{qs}");
                        let f = d.filters.clone();
                        let own = d.workers.is_empty();
                        let problems = d.problems.clone();
                        let problem = move |field: &str| problems.iter().find(|p| p.field == field).cloned();
                        view! {
                            <h1 class="heading-l">"What the front line is hearing"</h1>
                            {own.then(|| view! {
                                <p class="body">{match &f.team {
                                    Some(team) => format!("These are the figures for your team, {team}."),
                                    None => "These are the figures for your own conversations.".to_string(),
                                }}</p>
                            })}
                            <p class="hint">"Counts from 1 to 4 are shown as “<5”, so nobody can be picked out of a filtered view."</p>
                            <ProblemSummary problems=d.problems.clone() id="filters"/>
                            <form method="get" action="/intelligence" class="filters" aria-labelledby="filters-heading">
                                <h2 class="heading-s" id="filters-heading">"Filter"</h2>
                                <DateFilter name="from" label="From" value=f.from.clone() problem=problem("from")/>
                                <DateFilter name="to" label="To" value=f.to.clone() problem=problem("to")/>
                                <FilterSelect name="area" label="Area" all="All areas" choices=d.areas.clone() chosen=f.area.clone()/>
                                <FilterSelect name="theme" label="Theme" all="All themes" choices=d.themes.clone() chosen=f.theme.clone()/>
                                {(!own).then(|| view! { <FilterSelect name="worker" label="Worker" all="Everyone" choices=d.workers.clone() chosen=f.worker.clone()/> })}
                                {match (own, d.teams.first()) {
                                    (false, Some(_)) => Some(view! { <FilterSelect name="team" label="Team" all="All teams" choices=d.teams.clone() chosen=f.team.clone()/> }.into_any()),
                                    (true, Some(team)) => Some(view! {
                                        <FilterSelect name="team" label="Whose figures" all="My own"
                                            choices=vec![Named { id: team.id.clone(), name: format!("My team ({})", team.name) }] chosen=f.team.clone()/>
                                    }.into_any()),
                                    _ => None,
                                }}
                                <FilterSelect name="kind" label="Channel" all="Every channel"
                                    choices=crate::domain::outreach::InteractionKind::ALL.iter().map(|k| Named { id: k.as_str().into(), name: k.label().into() }).collect()
                                    chosen=f.kind.clone()/>
                                <button type="submit" class="button button--secondary">"Apply filters"</button>
                            </form>

                            <section aria-labelledby="resolution-heading">
                                <h2 class="heading-m" id="resolution-heading">"Resolution and repeat contact"</h2>
                                <dl class="summary-list">
                                    <div class="summary-list__row"><dt class="summary-list__key">"Conversations that raised an issue"</dt><dd class="summary-list__value">{d.conversations_with_issues.clone()}</dd></div>
                                    <div class="summary-list__row"><dt class="summary-list__key">"Resolved on the spot (first-contact resolution)"</dt>
                                        <dd class="summary-list__value">{d.resolved_on_the_spot.clone()} {d.resolution_rate.map(|r| format!(" ({r}%)"))}</dd></div>
                                    <div class="summary-list__row"><dt class="summary-list__key">"Referred to a service"</dt><dd class="summary-list__value">{d.referred.clone()}</dd></div>
                                    <div class="summary-list__row"><dt class="summary-list__key">"Repeat contacts within 30 days"</dt><dd class="summary-list__value">{d.repeats_30.clone()}</dd></div>
                                    <div class="summary-list__row"><dt class="summary-list__key">"Repeat contacts within 90 days"</dt><dd class="summary-list__value">{d.repeats_90.clone()}</dd></div>
                                </dl>
                                <p class="hint">"A repeat contact is an issue raised again by the same resident, about the same theme, within the period after an earlier one."</p>
                                <p class="body"><a class="link" href=csv("resolution") download="">"Download “Resolution and repeat contact” as CSV"</a></p>
                            </section>

                            <FigureTable id="referrals" title="Referrals, by service or partner" table=d.referrals.clone() csv=csv("referrals")
                                note="Came back: the same resident raised the same theme again within the period after being referred."
                                empty="No referrals in this view."/>

                            <BarChart id="themes" title="Issues raised, by theme".to_string() what="issues raised" label_heading="Theme" bars=d.issues_by_theme.clone() csv=csv("themes")/>
                            <BarChart id="areas" title="Issues raised, by area".to_string() what="issues raised" label_heading="Area" bars=d.issues_by_area.clone() csv=csv("areas")/>
                            <FigureTable id="top-themes" title="Most raised themes in each area" table=d.top_themes.clone() csv=csv("top-themes")
                                empty="No issues raised in this view."/>
                            <BarChart id="over-time" title=format!("Issues raised, by {}", d.period) what="issues raised"
                                label_heading=if d.period == "week" { "Week" } else { "Month" } bars=d.issues_over_time.clone() csv=csv("over-time")/>

                            <BarChart id="felt-heard" title="Did residents feel heard?".to_string() what="answers" label_heading="Answer" bars=d.felt_heard.clone() csv=csv("felt-heard")/>
                            <FigureTable id="heard-over-time" title="Feeling heard over time" table=d.heard_over_time.clone() csv=csv("heard-over-time")
                                empty="No answers in this view."/>
                            <FigureTable id="heard-by-area" title="Feeling heard, by area" table=d.heard_by_area.clone() csv=csv("heard-by-area")
                                empty="No answers in this view."/>
                            <FigureTable id="heard-by-service" title="Feeling heard, by service referred to" table=d.heard_by_service.clone() csv=csv("heard-by-service")
                                empty="No answers from referred residents in this view."/>

                            <BarChart id="funnel" title="Getting involved".to_string() what="conversations" label_heading="Step" bars=d.funnel.clone() csv=csv("funnel")
                                note="Each step counts conversations: where preferences were shared, where the resident said yes, and whose resident has been put forward for a volunteering opportunity at the door and placed."/>
                            <FigureTable id="funnel-by-area" title="Getting involved, by area" table=d.funnel_by_area.clone() csv=csv("funnel-by-area")
                                empty="No conversations in this view."/>
                            <FigureTable id="funnel-by-theme" title="Getting involved, by theme raised" table=d.funnel_by_theme.clone() csv=csv("funnel-by-theme")
                                empty="No issues raised in this view."/>

                            // Responses are the whole organisation's: not shown for one worker or team.
                            {(!own && f.worker.is_none() && f.team.is_none()).then(|| view! {
                                <FigureTable id="influence" title="Who is heard: consultation responses against conversations, by area" table=d.influence.clone()
                                    csv=csv("influence")
                                    note="Areas the organisation talks to most but hears least from in its consultations come first. Responses are counted by the area residents gave, for the dates chosen; the theme, worker and kind filters do not apply to them."
                                    empty="No conversations or consultation responses in this view."/>
                            })}

                            <FigureTable id="follow-ups" title="Follow-ups, by owner" table=follow_ups_table(&d) csv=csv("follow-ups")
                                empty="No follow-ups in this view."/>
                            <FigureTable id="commitments" title="Commitments kept, by area" table=d.commitments.clone() csv=csv("commitments")
                                note="What was agreed with residents at the door, settled when each follow-up is resolved: “we will” is the organisation’s side, “you can” what residents took on."
                                empty="No commitments in this view."/>
                            <FigureTable id="commitments-by-theme" title="Commitments kept, by theme" table=d.commitments_by_theme.clone() csv=csv("commitments-by-theme")
                                note="The same commitments by what the conversation was about: one made about two themes counts for each."
                                empty="No commitments in this view."/>
                            <FigureTable id="commitments-by-service" title="Commitments kept, by service" table=d.commitments_by_service.clone() csv=csv("commitments-by-service")
                                note="The same commitments by the service each one named: for “we will”, the service that acts, chased by its owner; for “you can”, the service the resident will use."
                                empty="No commitments in this view."/>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
