//! `/privacy` (admins): residents' data rights. Find a resident, see everything held about them,
//! export it, log and answer their requests, erase them; search the audit log. Plain forms, so
//! it all works without JavaScript.

mod audit;
mod my_data;
pub mod people;
mod resident;
mod retention;
pub use audit::*;
pub use my_data::*;
pub use resident::*;
pub use retention::*;

use crate::api::people::{load_link_offers, AnswerLinkOffer, LinkRecords, UnlinkRecord};
use crate::api::privacy::{
    audit_log, load_my_consents, load_privacy_home, load_resident_file, load_retention, CloseRequest, EraseResident, LogRequest,
    RecordTable, RequestView, ResidentFile, RunRetention, SaveMyConsents, SaveRetention, AUDIT_LIMIT, FIND_LIMIT,
};
use crate::api::Named;
use crate::components::address_value;
use crate::components::filters::FilterSelect;
use crate::components::filters::{DateFilter, ProblemSummary};
use crate::components::forms::{field_errors, ErrorSummary, PasswordField, Radios};
use crate::components::status::{OpenAudited, PageProblem, SuccessBanner};
use crate::components::title::Title;
use crate::domain::privacy::{AuditAction, RequestKind};
use crate::i18n::td_string;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use people::{LinkOffers, SamePerson};

fn resident_link(id: &str) -> String {
    format!("/privacy/residents/{id}")
}

#[component]
fn RequestsTable(
    requests: Vec<RequestView>,
    caption: &'static str,
    #[prop(optional)] with_resident: bool,
    #[prop(optional)] close: Option<ServerAction<CloseRequest>>,
) -> impl IntoView {
    let locale = crate::language::page_locale();
    view! {
        <div class="table-wrap" tabindex="0" role="group" aria-label=caption>
            <table class="table">
                <caption class="visually-hidden">{caption}</caption>
                <thead>
                    <tr>
                        {with_resident.then(|| view! { <th scope="col">{td_string!(locale, privacy.col_resident)}</th> })}
                        <th scope="col">{td_string!(locale, privacy.col_request)}</th>
                        <th scope="col">{td_string!(locale, privacy.col_received)}</th>
                        <th scope="col">{td_string!(locale, privacy.col_answer_by)}</th>
                        <th scope="col">{td_string!(locale, privacy.col_status)}</th>
                        {close.map(|_| view! { <th scope="col"><span class="visually-hidden">{td_string!(locale, privacy.col_actions)}</span></th> })}
                    </tr>
                </thead>
                <tbody>
                    {requests.into_iter().map(|r| {
                        let status = if !r.open {
                            td_string!(locale, privacy.answered)
                        } else if r.overdue {
                            td_string!(locale, privacy.overdue)
                        } else {
                            td_string!(locale, privacy.open)
                        };
                        let id = r.id.clone();
                        view! {
                            <tr>
                                {with_resident.then(|| view! { <td><a class="link" href=resident_link(&r.resident_id)>{td_string!(locale, privacy.records)}<span class="visually-hidden">" " {td_string!(locale, privacy.records_hidden, kind = r.kind_label.clone(), received = r.received_on.clone())}</span></a></td> })}
                                <td>{r.kind_label.clone()}</td>
                                <td>{r.received_on.clone()}</td>
                                <td>{r.due_on.clone()}</td>
                                <td><strong class="tag" class:tag--red=r.overdue class:tag--grey=!r.open>{status}</strong></td>
                                {close.map(|action| view! {
                                    <td>{r.open.then(|| view! {
                                        <ActionForm action attr:class="inline-form">
                                            <input type="hidden" name="request_id" value=id.clone()/>
                                            <button type="submit" class="button button--secondary button--small">
                                                {td_string!(locale, privacy.mark_answered)}<span class="visually-hidden">{td_string!(locale, privacy.mark_answered_hidden, kind = r.kind_label.clone(), received = r.received_on.clone())}</span>
                                            </button>
                                        </ActionForm>
                                    })}</td>
                                })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn PrivacyPage() -> impl IntoView {
    let locale = crate::language::page_locale();
    let q = use_query_map();
    let data = Resource::new(move || address_value(q, "q"), load_privacy_home);
    view! {
        <Title text=td_string!(locale, privacy.page_title)/>
        <Suspense fallback=move || view! { <p class="body">{td_string!(locale, privacy.loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <PageProblem error/> }.into_any(),
                    Ok(home) => view! {
                        <h1 class="heading-l">{td_string!(locale, privacy.heading)}</h1>
                        <p class="body">{td_string!(locale, privacy.intro)} " "
                            {td_string!(locale, privacy.audit_before)} " "<a class="link" href="/privacy/audit">{td_string!(locale, privacy.audit_link)}</a>{td_string!(locale, privacy.audit_after)} " "
                            <a class="link" href="/privacy/retention">{td_string!(locale, privacy.retention_link)}</a>" " {td_string!(locale, privacy.retention_after)} " "
                            {td_string!(locale, privacy.mail_before)} " "<a class="link" href="/privacy/mail">{td_string!(locale, privacy.mail_link)}</a>" " {td_string!(locale, privacy.mail_after)}</p>
                        <form method="get" action="/privacy" class="form" role="search" aria-label=td_string!(locale, privacy.search_label)>
                            <div class="form-group">
                                <label class="label" for="q">{td_string!(locale, privacy.find_label)}</label>
                                <p class="hint" id="q-hint">{td_string!(locale, privacy.find_hint)}</p>
                                <input class="input" type="search" id="q" name="q" value=home.query.clone() aria-describedby="q-hint" autocomplete="off" spellcheck="false"/>
                            </div>
                            <button type="submit" class="button">{td_string!(locale, privacy.search)}</button>
                        </form>
                        {(!home.query.is_empty()).then(|| {
                            let found = home.found.clone();
                            view! {
                                <h2 class="heading-m" id="found-heading">{td_string!(locale, privacy.found)}</h2>
                                {if found.is_empty() {
                                    view! { <p class="body">{if home.query.chars().count() < 2 {
                                        td_string!(locale, privacy.too_short).to_string()
                                    } else {
                                        td_string!(locale, privacy.no_match, query = home.query.clone())
                                    }}</p> }.into_any()
                                } else {
                                    view! {
                                        {home.more.then(|| view! { <p class="hint">{td_string!(locale, privacy.first_only, limit = FIND_LIMIT)}</p> })}
                                        <div class="table-wrap" tabindex="0" role="group" aria-labelledby="found-heading">
                                            <table class="table">
                                                <caption class="visually-hidden">{td_string!(locale, privacy.found)}</caption>
                                                <thead><tr>
                                                    <th scope="col">{td_string!(locale, privacy.col_name)}</th><th scope="col">{td_string!(locale, privacy.col_contact)}</th>
                                                    <th scope="col">{td_string!(locale, privacy.col_first_recorded)}</th><th scope="col">{td_string!(locale, privacy.col_last_conversation)}</th>
                                                </tr></thead>
                                                <tbody>
                                                    {found.into_iter().map(|r| view! {
                                                        <tr>
                                                            <td><a class="link" href=resident_link(&r.id)>{r.name.clone()}</a></td>
                                                            <td class="break-all">{r.contact.clone()}</td>
                                                            <td>{r.recorded_on.clone()}</td>
                                                            <td>{r.last_seen_on.clone().unwrap_or_else(|| td_string!(locale, privacy.none).into())}</td>
                                                        </tr>
                                                    }).collect_view()}
                                                </tbody>
                                            </table>
                                        </div>
                                    }.into_any()
                                }}
                            }
                        })}
                        <h2 class="heading-m">{td_string!(locale, privacy.open_requests)}</h2>
                        <p class="hint">{td_string!(locale, privacy.requests_hint)}</p>
                        {if home.requests.is_empty() {
                            view! { <p class="body">{td_string!(locale, privacy.no_requests)}</p> }.into_any()
                        } else {
                            view! { <RequestsTable requests=home.requests.clone() caption=td_string!(locale, privacy.open_requests) with_resident=true/> }.into_any()
                        }}
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
