//! `/intelligence`: what the front line is hearing, for admins (the whole organisation) and
//! outreach workers (their own conversations). Filters are a plain GET form and every chart has
//! its table and a CSV, so it all works without JavaScript and with a screen reader.

use crate::api::intelligence::{load_dashboard, Dashboard};
use crate::api::Named;
use crate::components::chart::BarChart;
use crate::components::status::PageProblem;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
fn Choose(name: &'static str, label: &'static str, all: &'static str, choices: Vec<Named>, chosen: Option<String>) -> impl IntoView {
    view! {
        <div class="form-group form-group--inline">
            <label class="label" for=name>{label}</label>
            <select class="select" id=name name=name>
                <option value="">{all}</option>
                {choices.into_iter().map(|n| {
                    let selected = chosen.as_deref() == Some(n.id.as_str());
                    view! { <option value=n.id selected=selected>{n.name}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// The filters as a query string for the CSV links.
fn query(d: &Dashboard) -> String {
    let f = &d.filters;
    let pairs = [("from", &f.from), ("to", &f.to), ("area", &f.area), ("theme", &f.theme), ("worker", &f.worker), ("kind", &f.kind)];
    let encoded: Vec<String> = pairs
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={}", v.bytes().map(|b| if b.is_ascii_alphanumeric() || b == b'-' { (b as char).to_string() } else { format!("%{b:02X}") }).collect::<String>())))
        .collect();
    if encoded.is_empty() { String::new() } else { format!("?{}", encoded.join("&")) }
}

#[component]
pub fn IntelligencePage() -> impl IntoView {
    let q = use_query_map();
    let filters = move || {
        let q = q.get();
        let get = |k: &str| q.get(k).filter(|v| !v.is_empty());
        (get("from"), get("to"), get("area"), get("theme"), get("worker"), get("kind"))
    };
    let data = Resource::new(filters, |(from, to, area, theme, worker, kind)| load_dashboard(from, to, area, theme, worker, kind));
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
                        view! {
                            <h1 class="heading-l">"What the front line is hearing"</h1>
                            {own.then(|| view! { <p class="body">"These are the figures for your own conversations."</p> })}
                            <p class="hint">"Counts from 1 to 4 are shown as “<5”, so nobody can be picked out of a filtered view."</p>
                            <form method="get" action="/intelligence" class="filters" aria-labelledby="filters-heading">
                                <h2 class="heading-s" id="filters-heading">"Filter"</h2>
                                <div class="form-group form-group--inline">
                                    <label class="label" for="from">"From"</label>
                                    <input class="input" type="date" id="from" name="from" value=f.from.clone()/>
                                </div>
                                <div class="form-group form-group--inline">
                                    <label class="label" for="to">"To"</label>
                                    <input class="input" type="date" id="to" name="to" value=f.to.clone()/>
                                </div>
                                <Choose name="area" label="Area" all="All areas" choices=d.areas.clone() chosen=f.area.clone()/>
                                <Choose name="theme" label="Theme" all="All themes" choices=d.themes.clone() chosen=f.theme.clone()/>
                                {(!own).then(|| view! { <Choose name="worker" label="Worker" all="Everyone" choices=d.workers.clone() chosen=f.worker.clone()/> })}
                                <Choose name="kind" label="Where" all="Doorstep and events"
                                    choices=vec![Named { id: "doorstep".into(), name: "Doorstep".into() }, Named { id: "event".into(), name: "Community events".into() }]
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

                            <BarChart id="themes" title="Issues raised, by theme".to_string() what="issues raised" label_heading="Theme" bars=d.issues_by_theme.clone() csv=csv("themes")/>
                            <BarChart id="areas" title="Issues raised, by area".to_string() what="issues raised" label_heading="Area" bars=d.issues_by_area.clone() csv=csv("areas")/>
                            <BarChart id="felt-heard" title="Did residents feel heard?".to_string() what="answers" label_heading="Answer" bars=d.felt_heard.clone() csv=csv("felt-heard")/>

                            <section aria-labelledby="follow-ups-heading">
                                <h2 class="heading-m" id="follow-ups-heading">"Follow-ups, by owner"</h2>
                                {if d.follow_ups.is_empty() {
                                    view! { <p class="body">"No follow-ups in this view."</p> }.into_any()
                                } else {
                                    view! {
                                        <div class="table-wrap">
                                            <table class="table">
                                                <caption class="visually-hidden">"Follow-ups, by owner"</caption>
                                                <thead><tr><th scope="col">"Owner"</th><th scope="col" class="numeric">"Open"</th><th scope="col" class="numeric">"Overdue"</th>
                                                    <th scope="col" class="numeric">"Resolved"</th><th scope="col" class="numeric">"Median days to resolve"</th></tr></thead>
                                                <tbody>
                                                    {d.follow_ups.iter().map(|o| view! {
                                                        <tr>
                                                            <th scope="row">{o.owner.clone()}</th>
                                                            <td class="numeric">{o.open.clone()}</td>
                                                            <td class="numeric">{o.overdue.clone()}</td>
                                                            <td class="numeric">{o.resolved.clone()}</td>
                                                            <td class="numeric">{o.median_days.map(|m| m.to_string()).unwrap_or_else(|| "–".into())}</td>
                                                        </tr>
                                                    }).collect_view()}
                                                </tbody>
                                            </table>
                                        </div>
                                    }.into_any()
                                }}
                                <p class="body"><a class="link" href=csv("follow-ups") download="">"Download “Follow-ups, by owner” as CSV"</a></p>
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
