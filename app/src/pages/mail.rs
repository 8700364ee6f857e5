//! `/privacy/mail` (admins): the organisation's outgoing mail — sent, waiting, failed and why —
//! with addresses masked. Links and a table, so it works without JavaScript.

use crate::api::mail::{load_mail, MailPage, MAIL_LIMIT};
use crate::components::address_value;
use crate::components::status::{OpenAudited, PageProblem};
use crate::components::title::Title;
use crate::i18n::td_string;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn status_link(status: Option<&str>) -> String {
    match status {
        Some(s) => format!("/privacy/mail?status={s}"),
        None => "/privacy/mail".to_string(),
    }
}

#[component]
pub fn MailLogPage() -> impl IntoView {
    let locale = crate::language::page_locale();
    let q = use_query_map();
    let data = Resource::new(move || address_value(q, "status").filter(|s| !s.is_empty()), load_mail);
    view! {
        <Title text=td_string!(locale, mail_page.page_title)/>
        <Suspense fallback=move || view! { <p class="body">{td_string!(locale, mail_page.loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! {
                        <p class="body"><a class="link" href="/privacy">{td_string!(locale, mail_page.back)}</a></p>
                        <PageProblem error/>
                    }.into_any(),
                    Ok(Some(page)) => view! { <MailLog page/> }.into_any(),
                    Ok(None) => view! {
                        <p class="body"><a class="link" href="/privacy">{td_string!(locale, mail_page.back)}</a></p>
                        <OpenAudited heading=td_string!(locale, mail_page.page_title) button=td_string!(locale, mail_page.show_button)
                            what=td_string!(locale, mail_page.open_what)/>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MailLog(page: MailPage) -> impl IntoView {
    let locale = crate::language::page_locale();
    let total: i64 = page.counts.iter().map(|c| c.count).sum();
    let chosen = page.status.clone();
    let shown = match &chosen {
        None => td_string!(locale, mail_page.all_messages).to_string(),
        Some(s) => page.counts.iter().find(|c| &c.status == s).map_or_else(String::new, |c| c.label.clone()),
    };
    view! {
        <p class="body"><a class="link" href="/privacy">{td_string!(locale, mail_page.back)}</a></p>
        <h1 class="heading-l">{td_string!(locale, mail_page.page_title)}</h1>
        <p class="body">{td_string!(locale, mail_page.intro)} " "
            {td_string!(locale, mail_page.audit_before)} " " <a class="link" href="/privacy/audit">{td_string!(locale, mail_page.audit_log)}</a> "."</p>
        <p class="body">{page.goes_to.clone()}</p>
        <nav class="tabs" aria-label=td_string!(locale, mail_page.tabs_label)>
            <ul class="tabs__list">
                <li>
                    <a class="tabs__tab link" href=status_link(None) aria-current=chosen.is_none().then_some("page")>
                        {td_string!(locale, mail_page.all_count, total = total)}
                    </a>
                </li>
                {page.counts.iter().map(|c| {
                    let current = (chosen.as_deref() == Some(c.status.as_str())).then_some("page");
                    view! {
                        <li>
                            <a class="tabs__tab link" href=status_link(Some(&c.status)) aria-current=current>{format!("{} ({})", c.label, c.count)}</a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </nav>
        <h2 class="heading-m" id="mail-heading">{shown.clone()}</h2>
        {page.more.then(|| view! { <p class="hint">{td_string!(locale, mail_page.showing_newest, limit = MAIL_LIMIT)}</p> })}
        {if page.entries.is_empty() {
            view! { <p class="body">{td_string!(locale, mail_page.no_messages)}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap" tabindex="0" role="group" aria-labelledby="mail-heading">
                    <table class="table">
                        <caption class="visually-hidden">{td_string!(locale, mail_page.caption, shown = &shown)}</caption>
                        <thead><tr>
                            <th scope="col">{td_string!(locale, mail_page.col_queued)}</th><th scope="col">{td_string!(locale, mail_page.col_to)}</th><th scope="col">{td_string!(locale, mail_page.col_what)}</th>
                            <th scope="col">{td_string!(locale, mail_page.col_subject)}</th><th scope="col">{td_string!(locale, mail_page.col_state)}</th><th scope="col">{td_string!(locale, mail_page.col_tries)}</th>
                            <th scope="col">{td_string!(locale, mail_page.col_when)}</th><th scope="col">{td_string!(locale, mail_page.col_why_not_sent)}</th>
                        </tr></thead>
                        <tbody>
                            {page.entries.into_iter().map(|m| {
                                let failed = m.status == "failed";
                                view! {
                                    <tr id=format!("message-{}", m.id)>
                                        <td>{m.queued}</td>
                                        <td class="break-all">{m.to}</td>
                                        <td>{m.kind}</td>
                                        <td>{m.subject}</td>
                                        <td><span class="tag" class:tag--red=failed>{m.status_label}</span></td>
                                        <td>{m.attempts}</td>
                                        <td>{m.when}</td>
                                        <td class="break-all">{m.problem}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}
