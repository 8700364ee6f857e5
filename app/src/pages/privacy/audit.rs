//! `/privacy/audit`: the audit log, searched by date, resident, person and action.

use super::*;
use crate::language::names::HasName;

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let locale = crate::language::page_locale();
    let q = use_query_map();
    let filters = move || {
        let q = q.try_get().unwrap_or_default();
        let get = |k: &str| q.get(k).filter(|v| !v.is_empty());
        (get("resident"), get("who"), get("action"), get("from"), get("to"))
    };
    let data = Resource::new(filters, |(resident, who, action, from, to)| audit_log(resident, who, action, from, to));
    view! {
        <Title text=td_string!(locale, audit.page_title)/>
        <Suspense fallback=move || view! { <p class="body">{td_string!(locale, audit.loading)}</p> }>
            {move || Suspend::new(async move {
                let (resident, who, action, from, to) = filters();
                match data.await {
                    Err(error) => view! { <PageProblem error/> }.into_any(),
                    Ok(page) => {
                        let problems = page.problems.clone();
                        let problem = move |field: &str| problems.iter().find(|p| p.field == field).cloned();
                        let actions: Vec<Named> = AuditAction::ALL.into_iter().map(|a| Named { id: a.as_str().into(), name: a.name(locale).into() }).collect();
                        view! {
                            <p class="body"><a class="link" href="/privacy">{td_string!(locale, audit.back)}</a></p>
                            <h1 class="heading-l">{td_string!(locale, audit.heading)}</h1>
                            <p class="body">{td_string!(locale, audit.intro)}</p>
                            <ProblemSummary problems=page.problems.clone() id="audit"/>
                            <form method="get" action="/privacy/audit" class="filters" aria-labelledby="audit-filters-heading">
                                <h2 class="heading-s" id="audit-filters-heading">{td_string!(locale, audit.filter)}</h2>
                                <div class="form-group form-group--inline">
                                    <label class="label" for="resident">{td_string!(locale, audit.resident_id)}</label>
                                    <input class="input" type="text" id="resident" name="resident" value=resident spellcheck="false" autocomplete="off"/>
                                </div>
                                <FilterSelect name="who" label=td_string!(locale, audit.who) all=td_string!(locale, audit.anyone) choices=page.staff.clone() chosen=who/>
                                <FilterSelect name="action" label=td_string!(locale, audit.what) all=td_string!(locale, audit.everything) choices=actions chosen=action/>
                                <DateFilter name="from" label=td_string!(locale, audit.from) value=from problem=problem("from")/>
                                <DateFilter name="to" label=td_string!(locale, audit.to) value=to problem=problem("to")/>
                                <button type="submit" class="button">{td_string!(locale, audit.show)}</button>
                            </form>
                            {page.more.then(|| view! { <p class="hint">{td_string!(locale, audit.newest_only, limit = AUDIT_LIMIT)}</p> })}
                            {if page.entries.is_empty() {
                                view! { <p class="body">{td_string!(locale, audit.no_entries)}</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-wrap" tabindex="0" role="group" aria-label=td_string!(locale, audit.entries_label)>
                                        <table class="table">
                                            <caption class="visually-hidden">{td_string!(locale, audit.entries_caption)}</caption>
                                            <thead><tr>
                                                <th scope="col">{td_string!(locale, audit.col_when)}</th><th scope="col">{td_string!(locale, audit.who)}</th><th scope="col">{td_string!(locale, audit.what)}</th>
                                                <th scope="col">{td_string!(locale, audit.col_resident)}</th><th scope="col">{td_string!(locale, audit.col_detail)}</th><th scope="col">{td_string!(locale, audit.col_from)}</th>
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
