//! `/intelligence`: what the front line is hearing, for admins (the whole organisation) and
//! outreach workers (their own conversations). Filters are a plain GET form and every chart has
//! its table and a CSV, so it all works without JavaScript and with a screen reader.

use crate::api::intelligence::{load_dashboard, Dashboard, Table};
use crate::api::Named;
use crate::components::chart::{BarChart, Counted, FigureTable};
use crate::components::filters::FilterSelect;
use crate::components::filters::{DateFilter, ProblemSummary};
use crate::components::status::PageProblem;
use crate::components::title::Title;
use crate::i18n::{td_string, Locale};
use crate::language::names::HasName;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Follow-ups by owner, as a table of figures.
fn follow_ups_table(locale: Locale, d: &Dashboard) -> Table {
    Table {
        columns: [
            td_string!(locale, intelligence.col_owner),
            td_string!(locale, intelligence.col_open),
            td_string!(locale, intelligence.col_overdue),
            td_string!(locale, intelligence.col_resolved),
            td_string!(locale, intelligence.col_median_days),
        ]
        .map(String::from)
        .to_vec(),
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
    let locale = crate::language::page_locale();
    let q = use_query_map();
    let filters = move || {
        let q = q.try_get().unwrap_or_default();
        let get = |k: &str| q.get(k).filter(|v| !v.is_empty());
        (get("from"), get("to"), get("area"), get("theme"), get("worker"), get("kind"), get("team"))
    };
    let data =
        Resource::new(filters, |(from, to, area, theme, worker, kind, team)| load_dashboard(from, to, area, theme, worker, kind, team));
    view! {
        <Title text=td_string!(locale, intelligence.page_title)/>
        <Suspense fallback=move || view! { <p class="body">{td_string!(locale, intelligence.loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <PageProblem error/> }.into_any(),
                    Ok(d) => {
                        let qs = query(&d);
                        let csv = move |table: &str| format!("/intelligence/export/{table}{qs}");
                        let f = d.filters.clone();
                        let own = d.workers.is_empty();
                        // The server counts by week or by month, as the dates chosen suit.
                        let (over_time_title, over_time_heading) = if d.period == "week" {
                            (td_string!(locale, intelligence.by_week_title), td_string!(locale, intelligence.week))
                        } else {
                            (td_string!(locale, intelligence.by_month_title), td_string!(locale, intelligence.month))
                        };
                        let problems = d.problems.clone();
                        let problem = move |field: &str| problems.iter().find(|p| p.field == field).cloned();
                        view! {
                            <h1 class="heading-l">{td_string!(locale, intelligence.heading)}</h1>
                            {own.then(|| view! {
                                <p class="body">{match &f.team {
                                    Some(team) => td_string!(locale, intelligence.own_team, team = team.clone()),
                                    None => td_string!(locale, intelligence.own_conversations).to_string(),
                                }}</p>
                            })}
                            <p class="hint">{td_string!(locale, intelligence.small_counts)}</p>
                            <ProblemSummary problems=d.problems.clone() id="filters"/>
                            <form method="get" action="/intelligence" class="filters" aria-labelledby="filters-heading">
                                <h2 class="heading-s" id="filters-heading">{td_string!(locale, intelligence.filter)}</h2>
                                <DateFilter name="from" label=td_string!(locale, intelligence.from) value=f.from.clone() problem=problem("from")/>
                                <DateFilter name="to" label=td_string!(locale, intelligence.to) value=f.to.clone() problem=problem("to")/>
                                <FilterSelect name="area" label=td_string!(locale, intelligence.area) all=td_string!(locale, intelligence.all_areas) choices=d.areas.clone() chosen=f.area.clone()/>
                                <FilterSelect name="theme" label=td_string!(locale, intelligence.theme) all=td_string!(locale, intelligence.all_themes) choices=d.themes.clone() chosen=f.theme.clone()/>
                                {(!own).then(|| view! { <FilterSelect name="worker" label=td_string!(locale, intelligence.worker) all=td_string!(locale, intelligence.everyone) choices=d.workers.clone() chosen=f.worker.clone()/> })}
                                {match (own, d.teams.first()) {
                                    (false, Some(_)) => Some(view! { <FilterSelect name="team" label=td_string!(locale, intelligence.team) all=td_string!(locale, intelligence.all_teams) choices=d.teams.clone() chosen=f.team.clone()/> }.into_any()),
                                    (true, Some(team)) => Some(view! {
                                        <FilterSelect name="team" label=td_string!(locale, intelligence.whose_figures) all=td_string!(locale, intelligence.my_own)
                                            choices=vec![Named { id: team.id.clone(), name: td_string!(locale, intelligence.my_team, team = team.name.clone()) }] chosen=f.team.clone()/>
                                    }.into_any()),
                                    _ => None,
                                }}
                                <FilterSelect name="kind" label=td_string!(locale, intelligence.channel) all=td_string!(locale, intelligence.every_channel)
                                    choices=crate::domain::outreach::InteractionKind::ALL.iter().map(|k| Named { id: k.as_str().into(), name: k.name(locale).into() }).collect()
                                    chosen=f.kind.clone()/>
                                <button type="submit" class="button button--secondary">{td_string!(locale, intelligence.apply_filters)}</button>
                            </form>

                            <section aria-labelledby="resolution-heading">
                                <h2 class="heading-m" id="resolution-heading">{td_string!(locale, intelligence.resolution_heading)}</h2>
                                <dl class="summary-list">
                                    <div class="summary-list__row"><dt class="summary-list__key">{td_string!(locale, intelligence.with_issues)}</dt><dd class="summary-list__value">{d.conversations_with_issues.clone()}</dd></div>
                                    <div class="summary-list__row"><dt class="summary-list__key">{td_string!(locale, intelligence.resolved_on_the_spot)}</dt>
                                        <dd class="summary-list__value">{d.resolved_on_the_spot.clone()} {d.resolution_rate.map(|r| format!(" ({r}%)"))}</dd></div>
                                    <div class="summary-list__row"><dt class="summary-list__key">{td_string!(locale, intelligence.referred)}</dt><dd class="summary-list__value">{d.referred.clone()}</dd></div>
                                    <div class="summary-list__row"><dt class="summary-list__key">{td_string!(locale, intelligence.repeats_30)}</dt><dd class="summary-list__value">{d.repeats_30.clone()}</dd></div>
                                    <div class="summary-list__row"><dt class="summary-list__key">{td_string!(locale, intelligence.repeats_90)}</dt><dd class="summary-list__value">{d.repeats_90.clone()}</dd></div>
                                </dl>
                                <p class="hint">{td_string!(locale, intelligence.repeat_hint)}</p>
                                <p class="body"><a class="link" href=csv("resolution") download="">{td_string!(locale, intelligence.resolution_csv)}</a></p>
                            </section>

                            <FigureTable id="referrals" title=td_string!(locale, intelligence.referrals_title) table=d.referrals.clone() csv=csv("referrals")
                                note=td_string!(locale, intelligence.referrals_note)
                                empty=td_string!(locale, intelligence.referrals_empty)/>

                            <BarChart id="themes" title=td_string!(locale, intelligence.by_theme_title).to_string() counted=Counted::IssuesRaised label_heading=td_string!(locale, intelligence.theme) bars=d.issues_by_theme.clone() csv=csv("themes")/>
                            <BarChart id="areas" title=td_string!(locale, intelligence.by_area_title).to_string() counted=Counted::IssuesRaised label_heading=td_string!(locale, intelligence.area) bars=d.issues_by_area.clone() csv=csv("areas")/>
                            <FigureTable id="top-themes" title=td_string!(locale, intelligence.top_themes_title) table=d.top_themes.clone() csv=csv("top-themes")
                                empty=td_string!(locale, intelligence.issues_empty)/>
                            <BarChart id="over-time" title=over_time_title.to_string() counted=Counted::IssuesRaised
                                label_heading=over_time_heading bars=d.issues_over_time.clone() csv=csv("over-time")/>

                            <BarChart id="felt-heard" title=td_string!(locale, intelligence.felt_heard_title).to_string() counted=Counted::Answers label_heading=td_string!(locale, intelligence.answer) bars=d.felt_heard.clone() csv=csv("felt-heard")/>
                            <FigureTable id="heard-over-time" title=td_string!(locale, intelligence.heard_over_time_title) table=d.heard_over_time.clone() csv=csv("heard-over-time")
                                empty=td_string!(locale, intelligence.answers_empty)/>
                            <FigureTable id="heard-by-area" title=td_string!(locale, intelligence.heard_by_area_title) table=d.heard_by_area.clone() csv=csv("heard-by-area")
                                empty=td_string!(locale, intelligence.answers_empty)/>
                            <FigureTable id="heard-by-service" title=td_string!(locale, intelligence.heard_by_service_title) table=d.heard_by_service.clone() csv=csv("heard-by-service")
                                empty=td_string!(locale, intelligence.referred_answers_empty)/>

                            <BarChart id="funnel" title=td_string!(locale, intelligence.funnel_title).to_string() counted=Counted::Conversations label_heading=td_string!(locale, intelligence.step) bars=d.funnel.clone() csv=csv("funnel")
                                note=td_string!(locale, intelligence.funnel_note)/>
                            <FigureTable id="funnel-by-area" title=td_string!(locale, intelligence.funnel_by_area_title) table=d.funnel_by_area.clone() csv=csv("funnel-by-area")
                                empty=td_string!(locale, intelligence.conversations_empty)/>
                            <FigureTable id="funnel-by-theme" title=td_string!(locale, intelligence.funnel_by_theme_title) table=d.funnel_by_theme.clone() csv=csv("funnel-by-theme")
                                empty=td_string!(locale, intelligence.issues_empty)/>

                            // Responses are the whole organisation's: not shown for one worker or team.
                            {(!own && f.worker.is_none() && f.team.is_none()).then(|| view! {
                                <FigureTable id="influence" title=td_string!(locale, intelligence.influence_title) table=d.influence.clone()
                                    csv=csv("influence")
                                    note=td_string!(locale, intelligence.influence_note)
                                    empty=td_string!(locale, intelligence.influence_empty)/>
                            })}

                            <FigureTable id="follow-ups" title=td_string!(locale, intelligence.follow_ups_title) table=follow_ups_table(locale, &d) csv=csv("follow-ups")
                                empty=td_string!(locale, intelligence.follow_ups_empty)/>
                            <FigureTable id="commitments" title=td_string!(locale, intelligence.commitments_title) table=d.commitments.clone() csv=csv("commitments")
                                note=td_string!(locale, intelligence.commitments_note)
                                empty=td_string!(locale, intelligence.commitments_empty)/>
                            <FigureTable id="commitments-by-theme" title=td_string!(locale, intelligence.commitments_by_theme_title) table=d.commitments_by_theme.clone() csv=csv("commitments-by-theme")
                                note=td_string!(locale, intelligence.commitments_by_theme_note)
                                empty=td_string!(locale, intelligence.commitments_empty)/>
                            <FigureTable id="commitments-by-service" title=td_string!(locale, intelligence.commitments_by_service_title) table=d.commitments_by_service.clone() csv=csv("commitments-by-service")
                                note=td_string!(locale, intelligence.commitments_by_service_note)
                                empty=td_string!(locale, intelligence.commitments_empty)/>
                            <FigureTable id="welsh-by-area" title=td_string!(locale, intelligence.welsh_title) table=d.welsh_by_area.clone() csv=csv("welsh-by-area")
                                note=td_string!(locale, intelligence.welsh_note)
                                empty=td_string!(locale, intelligence.conversations_empty)/>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
