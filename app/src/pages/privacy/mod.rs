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
use crate::components::filters::FilterSelect;
use crate::components::filters::{DateFilter, ProblemSummary};
use crate::components::forms::{field_errors, ErrorSummary, PasswordField, Radios};
use crate::components::status::{OpenAudited, PageProblem, SuccessBanner};
use crate::components::title::Title;
use crate::domain::privacy::{AuditAction, RequestKind};
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
    view! {
        <div class="table-wrap" tabindex="0" role="group" aria-label=caption>
            <table class="table">
                <caption class="visually-hidden">{caption}</caption>
                <thead>
                    <tr>
                        {with_resident.then(|| view! { <th scope="col">"Resident"</th> })}
                        <th scope="col">"Request"</th>
                        <th scope="col">"Received"</th>
                        <th scope="col">"Answer by"</th>
                        <th scope="col">"Status"</th>
                        {close.map(|_| view! { <th scope="col"><span class="visually-hidden">"Actions"</span></th> })}
                    </tr>
                </thead>
                <tbody>
                    {requests.into_iter().map(|r| {
                        let status = if !r.open { "Answered" } else if r.overdue { "Overdue" } else { "Open" };
                        let id = r.id.clone();
                        view! {
                            <tr>
                                {with_resident.then(|| view! { <td><a class="link" href=resident_link(&r.resident_id)>"Records"<span class="visually-hidden">{format!(" for the {} received {}", r.kind_label, r.received_on)}</span></a></td> })}
                                <td>{r.kind_label.clone()}</td>
                                <td>{r.received_on.clone()}</td>
                                <td>{r.due_on.clone()}</td>
                                <td><strong class="tag" class:tag--red=r.overdue class:tag--grey=!r.open>{status}</strong></td>
                                {close.map(|action| view! {
                                    <td>{r.open.then(|| view! {
                                        <ActionForm action attr:class="inline-form">
                                            <input type="hidden" name="request_id" value=id.clone()/>
                                            <button type="submit" class="button button--secondary button--small">
                                                "Mark answered"<span class="visually-hidden">{format!(": {} received {}", r.kind_label, r.received_on)}</span>
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
    let q = use_query_map();
    let data = Resource::new(move || q.get().get("q"), load_privacy_home);
    view! {
        <Title text="Data protection"/>
        <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <PageProblem error/> }.into_any(),
                    Ok(home) => view! {
                        <h1 class="heading-l">"Data protection"</h1>
                        <p class="body">"Find a resident to see everything held about them, export it for a subject access request, or erase it. "
                            "Every view, export and erasure is written to the "<a class="link" href="/privacy/audit">"audit log"</a>". "
                            <a class="link" href="/privacy/retention">"How long records are kept"</a>" is set for each kind of record. "
                            "The "<a class="link" href="/privacy/mail">"outgoing mail"</a>" log shows what was sent to whom, what is waiting and what failed."</p>
                        <form method="get" action="/privacy" class="form" role="search" aria-label="Search residents">
                            <div class="form-group">
                                <label class="label" for="q">"Find a resident"</label>
                                <p class="hint" id="q-hint">"Part of their name or contact details (2 characters or more), or their record id."</p>
                                <input class="input" type="search" id="q" name="q" value=home.query.clone() aria-describedby="q-hint" autocomplete="off" spellcheck="false"/>
                            </div>
                            <button type="submit" class="button">"Search"</button>
                        </form>
                        {(!home.query.is_empty()).then(|| {
                            let found = home.found.clone();
                            view! {
                                <h2 class="heading-m" id="found-heading">"Residents found"</h2>
                                {if found.is_empty() {
                                    view! { <p class="body">{if home.query.chars().count() < 2 { "Enter at least 2 characters.".to_string() } else { format!("No resident matches “{}”.", home.query) }}</p> }.into_any()
                                } else {
                                    view! {
                                        {home.more.then(|| view! { <p class="hint">{format!("Showing the first {FIND_LIMIT}. Search for more of the name to narrow it down.")}</p> })}
                                        <div class="table-wrap" tabindex="0" role="group" aria-labelledby="found-heading">
                                            <table class="table">
                                                <caption class="visually-hidden">"Residents found"</caption>
                                                <thead><tr>
                                                    <th scope="col">"Name"</th><th scope="col">"Contact"</th>
                                                    <th scope="col">"First recorded"</th><th scope="col">"Last conversation"</th>
                                                </tr></thead>
                                                <tbody>
                                                    {found.into_iter().map(|r| view! {
                                                        <tr>
                                                            <td><a class="link" href=resident_link(&r.id)>{r.name.clone()}</a></td>
                                                            <td class="break-all">{r.contact.clone()}</td>
                                                            <td>{r.recorded_on.clone()}</td>
                                                            <td>{r.last_seen_on.clone().unwrap_or_else(|| "None".into())}</td>
                                                        </tr>
                                                    }).collect_view()}
                                                </tbody>
                                            </table>
                                        </div>
                                    }.into_any()
                                }}
                            }
                        })}
                        <h2 class="heading-m">"Open requests"</h2>
                        <p class="hint">"Subject access and erasure requests must be answered within one calendar month of arriving."</p>
                        {if home.requests.is_empty() {
                            view! { <p class="body">"No requests are waiting."</p> }.into_any()
                        } else {
                            view! { <RequestsTable requests=home.requests.clone() caption="Open requests" with_resident=true/> }.into_any()
                        }}
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
