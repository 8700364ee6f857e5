//! `/privacy/audit`: the audit log, searched by date, resident, person and action.

use super::*;

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let q = use_query_map();
    let filters = move || {
        let q = q.get();
        let get = |k: &str| q.get(k).filter(|v| !v.is_empty());
        (get("resident"), get("who"), get("action"), get("from"), get("to"))
    };
    let data = Resource::new(filters, |(resident, who, action, from, to)| audit_log(resident, who, action, from, to));
    view! {
        <Title text="Audit log"/>
        <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let (resident, who, action, from, to) = filters();
                match data.await {
                    Err(error) => view! { <PageProblem error/> }.into_any(),
                    Ok(page) => {
                        let problems = page.problems.clone();
                        let problem = move |field: &str| problems.iter().find(|p| p.field == field).cloned();
                        let actions: Vec<Named> = AuditAction::ALL.into_iter().map(|a| Named { id: a.as_str().into(), name: a.label().into() }).collect();
                        view! {
                            <p class="body"><a class="link" href="/privacy">"Back to data protection"</a></p>
                            <h1 class="heading-l">"Audit log"</h1>
                            <p class="body">"Who viewed, exported, changed or erased residents' data, from where and when. Nobody can edit or delete it."</p>
                            <ProblemSummary problems=page.problems.clone() id="audit"/>
                            <form method="get" action="/privacy/audit" class="filters" aria-labelledby="audit-filters-heading">
                                <h2 class="heading-s" id="audit-filters-heading">"Filter"</h2>
                                <div class="form-group form-group--inline">
                                    <label class="label" for="resident">"Resident record id"</label>
                                    <input class="input" type="text" id="resident" name="resident" value=resident spellcheck="false" autocomplete="off"/>
                                </div>
                                <FilterSelect name="who" label="Who" all="Anyone" choices=page.staff.clone() chosen=who/>
                                <FilterSelect name="action" label="What" all="Everything" choices=actions chosen=action/>
                                <DateFilter name="from" label="From" value=from problem=problem("from")/>
                                <DateFilter name="to" label="To" value=to problem=problem("to")/>
                                <button type="submit" class="button">"Show"</button>
                            </form>
                            {page.more.then(|| view! { <p class="hint">{format!("Showing the newest {AUDIT_LIMIT}. Narrow the filter to see older entries.")}</p> })}
                            {if page.entries.is_empty() {
                                view! { <p class="body">"No entries match."</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-wrap" tabindex="0" role="group" aria-label="Audit entries">
                                        <table class="table">
                                            <caption class="visually-hidden">"Audit entries, newest first"</caption>
                                            <thead><tr>
                                                <th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"What"</th>
                                                <th scope="col">"Resident"</th><th scope="col">"Detail"</th><th scope="col">"From"</th>
                                            </tr></thead>
                                            <tbody>
                                                {page.entries.into_iter().map(|e| view! {
                                                    <tr>
                                                        <td>{e.at}</td>
                                                        <td>{e.who}</td>
                                                        <td>{e.action}</td>
                                                        <td>{e.resident_id.map(|r| view! { <a class="link break-all" href=resident_link(&r)>{r.clone()}</a> })}</td>
                                                        <td class="break-all">{e.detail}</td>
                                                        <td>{e.address}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                }.into_any()
                            }}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
