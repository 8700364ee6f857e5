//! `/privacy` (admins): residents' data rights. Find a resident, see everything held about them,
//! export it, log and answer their requests, erase them; search the audit log. Plain forms, so
//! it all works without JavaScript.

use crate::api::people::{load_link_offers, AnswerLinkOffer, LinkRecords, UnlinkRecord};
use crate::api::privacy::{
    audit_log, load_my_consents, load_privacy_home, load_resident_file, load_retention, CloseRequest, EraseResident, LogRequest,
    RecordTable, RequestView, ResidentFile, RunRetention, SaveMyConsents, SaveRetention, AUDIT_LIMIT, FIND_LIMIT,
};
use crate::api::Named;
use crate::components::forms::{field_errors, ErrorSummary, FilterSelect, PasswordField, Radios};
use crate::components::status::{OpenAudited, PageProblem, SuccessBanner};
use crate::domain::privacy::{AuditAction, RequestKind};
use crate::pages::intelligence::{DateFilter, ProblemSummary};
use crate::pages::people::{LinkOffers, SamePerson};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

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

#[component]
fn RecordSection(table: RecordTable) -> impl IntoView {
    let heading = format!("records-{}", table.key);
    let labelled = heading.clone();
    view! {
        <section class="record-section" aria-labelledby=heading.clone()>
            <h2 class="heading-m" id=heading.clone()>{table.title.clone()}</h2>
            {table.lawful_basis.clone().map(|b| view! { <p class="hint">"Lawful basis: " {basis_label(&b)}</p> })}
            {table.retention.clone().map(|r| view! { <p class="hint">"Kept: " {r}</p> })}
            {if table.rows.is_empty() {
                view! { <p class="body">"None held."</p> }.into_any()
            } else {
                let columns = table.columns.clone();
                view! {
                    <div class="table-wrap" tabindex="0" role="group" aria-labelledby=labelled>
                        <table class="table">
                            <caption class="visually-hidden">{table.title.clone()}</caption>
                            <thead><tr>{columns.iter().map(|c| view! { <th scope="col">{c.replace('_', " ")}</th> }).collect_view()}</tr></thead>
                            <tbody>
                                {table.rows.iter().map(|row| view! {
                                    <tr>{row.iter().map(|cell| view! { <td class="break-all">{cell.clone()}</td> }).collect_view()}</tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

fn basis_label(basis: &str) -> &'static str {
    match basis {
        "consent" => "consent",
        "public_task" => "public task",
        "legitimate_interests" => "legitimate interests",
        _ => "legal obligation (a record of how their data was handled)",
    }
}

#[component]
pub fn ResidentRecordsPage() -> impl IntoView {
    let params = use_params_map();
    let log = ServerAction::<LogRequest>::new();
    let close = ServerAction::<CloseRequest>::new();
    let erase = ServerAction::<EraseResident>::new();
    let link = ServerAction::<LinkRecords>::new();
    let unlink = ServerAction::<UnlinkRecord>::new();
    let data = Resource::new(
        move || {
            let versions =
                (log.version().get(), close.version().get(), erase.version().get(), link.version().get(), unlink.version().get());
            (params.get().get("id").unwrap_or_default(), versions)
        },
        |(id, _)| load_resident_file(id),
    );
    let log_error = Signal::derive(move || log.value().get().and_then(|r| r.err()));
    let log_errors = Memo::new(move |_| field_errors(&log_error.get()));
    let erase_error = Signal::derive(move || erase.value().get().and_then(|r| r.err()));
    let erase_errors = Memo::new(move |_| field_errors(&erase_error.get()));
    let erased_now = move || erase.value().get().is_some_and(|r| r.is_ok());
    let close_error = Signal::derive(move || close.value().get().and_then(|r| r.err()));
    // The download is a plain form post; when the password is needed it comes back here saying so.
    let query = use_query_map();
    let export_error = Signal::derive(move || {
        query.read().get("export_password").map(|problem| {
            crate::error::AppError::invalid(
                "export_password",
                if problem == "wrong" {
                    "That password is not right. Enter your password to download"
                } else {
                    "Enter your password to download"
                },
            )
        })
    });
    let export_errors = Memo::new(move |_| field_errors(&export_error.get()));
    view! {
        <Title text="A resident's records"/>
        <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <PageProblem error/> }.into_any(),
                    Ok(None) => view! {
                        <ErrorSummary error=export_error first_field="export_password"/>
                        <p class="body"><a class="link" href="/privacy">"Back to data protection"</a></p>
                        <OpenAudited heading="A resident's records" button="Show their records"
                            what="Everything held about this resident: their record, conversations, consents, requests and more."/>
                    }.into_any(),
                    Ok(Some(file)) => {
                        let ResidentFile { resident, same_person, tables, requests, today } = file;
                        let records_of_person = same_person.len();
                        let id = resident.id.clone();
                        let erase_id = id.clone();
                        let this_id = id.clone();
                        let erased = resident.erased_on.clone();
                        let name = if erased.is_some() { "an erased resident".to_string() } else { resident.name.clone() };
                        view! {
                            <ErrorSummary error=log_error first_field="kind"/>
                            <ErrorSummary error=erase_error first_field="confirm"/>
                            <ErrorSummary error=export_error first_field="export_password"/>
                            {move || close_error.get().map(|e| view! { <div class="error-summary" role="alert"><p>{e.to_string()}</p></div> })}
                            {move || erased_now().then(|| view! {
                                <SuccessBanner title="Personal data erased">
                                    <p>"Their name, contact details, addresses, notes and volunteer profile are gone. Tablets that still hold them drop them at their next sync."</p>
                                </SuccessBanner>
                            })}
                            <p class="body"><a class="link" href="/privacy">"Back to data protection"</a></p>
                            <h1 class="heading-l">"Records held about " {name}</h1>
                            <dl class="summary-list">
                                <div class="summary-list__row"><dt class="summary-list__key">"Record id"</dt><dd class="summary-list__value break-all">{id.clone()}</dd></div>
                                <div class="summary-list__row"><dt class="summary-list__key">"First recorded"</dt><dd class="summary-list__value">{resident.recorded_on.clone()}</dd></div>
                                <div class="summary-list__row"><dt class="summary-list__key">"Last conversation"</dt><dd class="summary-list__value">{resident.last_seen_on.clone().unwrap_or_else(|| "None".into())}</dd></div>
                                {erased.clone().map(|on| view! {
                                    <div class="summary-list__row"><dt class="summary-list__key">"Erased"</dt><dd class="summary-list__value">{on}</dd></div>
                                })}
                            </dl>

                            <h2 class="heading-m">"Subject access"</h2>
                            <p class="body">"One file with everything below: the records as JSON, and the same as a spreadsheet (CSV) per kind of record. The download is written to the audit log."</p>
                            <form method="post" action=format!("/privacy/residents/{id}/export") class="form" novalidate>
                                <PasswordField name="export_password" label="Your password" autocomplete="current-password"
                                    hint="Asked again before a download if you signed in more than 15 minutes ago."
                                    error=Signal::derive(move || export_errors.read().get("export_password").map(str::to_string))/>
                                <button type="submit" class="button">"Download everything (JSON and CSV)"</button>
                            </form>

                            <h2 class="heading-m" id="requests-heading">"Requests"</h2>
                            {if requests.is_empty() {
                                view! { <p class="body">"No requests logged."</p> }.into_any()
                            } else {
                                view! { <RequestsTable requests caption="Requests from this resident" close=close/> }.into_any()
                            }}
                            <ActionForm action=log attr:novalidate=true attr:class="form" attr:aria-labelledby="log-heading">
                                <h3 class="heading-s" id="log-heading">"Log a request"</h3>
                                <input type="hidden" name="resident_id" value=id.clone()/>
                                <Radios name="kind" legend="What did they ask for?" errors=log_errors
                                    choices=[RequestKind::Access, RequestKind::Erasure].into_iter().map(|k| (k.as_str().to_string(), k.label().to_string())).collect()/>
                                <div class="form-group" class:form-group--error=move || log_errors.read().get("received_on").is_some()>
                                    <label class="label" for="received_on">"When did it arrive?"</label>
                                    <p class="hint" id="received_on-hint">"It must be answered within one calendar month of this date."</p>
                                    {move || log_errors.read().get("received_on").map(|m| view! { <p class="error-message" id="received_on-error"><span class="visually-hidden">"Error: "</span>{m.to_string()}</p> })}
                                    <input class="input input--short" type="date" id="received_on" name="received_on" value=today.clone()
                                        aria-describedby=move || if log_errors.read().get("received_on").is_some() { "received_on-hint received_on-error" } else { "received_on-hint" }/>
                                </div>
                                <button type="submit" class="button button--secondary" disabled=move || log.pending().get()>"Log the request"</button>
                            </ActionForm>

                            {erased.is_none().then(|| view! {
                                <h2 class="heading-m" id="erase-heading">"Erase"</h2>
                                <p class="body">"Removes their name, contact details, language, the addresses and notes in their conversations and follow-ups, "
                                    "their volunteer profile and their messages to groups. Their conversations stay, anonymous, so the figures stay true; "
                                    "their requests and the audit log are kept, as the law requires."</p>
                                {(records_of_person > 1).then(|| view! {
                                    <p class="body">{format!("They are one person with the other records linked below: all {records_of_person} records are erased together, and an online account among them is closed.")}</p>
                                })}
                                <p class="warning-text"><strong>"This cannot be undone."</strong></p>
                                <ActionForm action=erase attr:novalidate=true attr:class="form" attr:aria-labelledby="erase-heading">
                                    <input type="hidden" name="resident_id" value=erase_id.clone()/>
                                    <div class="form-group" class:form-group--error=move || erase_errors.read().get("confirm").is_some()>
                                        {move || erase_errors.read().get("confirm").map(|m| view! { <p class="error-message" id="confirm-error"><span class="visually-hidden">"Error: "</span>{m.to_string()}</p> })}
                                        <div class="radios__item">
                                            <input class="radios__input" type="checkbox" id="confirm" name="confirm" value="yes"
                                                aria-describedby=move || erase_errors.read().get("confirm").is_some().then_some("confirm-error")/>
                                            <label class="radios__label" for="confirm">"I have checked this is the right resident and they asked to be erased"</label>
                                        </div>
                                    </div>
                                    <PasswordField name="password" label="Your password" autocomplete="current-password"
                                        hint="Asked again before erasing if you signed in more than 15 minutes ago."
                                        error=Signal::derive(move || erase_errors.read().get("password").map(str::to_string))/>
                                    <button type="submit" class="button button--warning" disabled=move || erase.pending().get()>"Erase their personal data"</button>
                                </ActionForm>
                            })}

                            <SamePerson this_id records=same_person erased=erased.is_some() link unlink/>

                            {tables.into_iter().map(|table| view! { <RecordSection table/> }).collect_view()}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

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

/// One class of record: its period and lawful basis, saved on their own.
#[component]
fn PolicyRow(policy: crate::api::privacy::PolicyView) -> impl IntoView {
    let save = ServerAction::<SaveRetention>::new();
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    let saved = move || save.value().get().is_some_and(|r| r.is_ok());
    let (months_id, basis_id, heading) =
        (format!("months-{}", policy.class), format!("basis-{}", policy.class), format!("class-{}", policy.class));
    let (m_err, b_err) = (StoredValue::new(months_id.clone()), StoredValue::new(basis_id.clone()));
    let months_error = move || errors.read().get(&m_err.read_value()).map(str::to_string);
    let basis_error = move || errors.read().get(&b_err.read_value()).map(str::to_string);
    let form_label = heading.clone();
    let bases = [("public_task", "Public task"), ("legitimate_interests", "Legitimate interests"), ("consent", "Consent")];
    view! {
        <section class="card" aria-labelledby=heading.clone()>
            <h2 class="heading-s" id=heading.clone()>{policy.label.clone()}</h2>
            <p class="hint">{policy.effect.clone()}</p>
            <ErrorSummary error first_field=months_id.clone()/>
            {move || saved().then(|| view! { <p class="body" role="status"><strong class="tag tag--green">"Saved"</strong></p> })}
            <ActionForm action=save attr:novalidate=true attr:class="form" attr:aria-labelledby=form_label>
                <input type="hidden" name="class" value=policy.class.clone()/>
                <div class="form-group form-group--inline" class:form-group--error=move || months_error().is_some()>
                    <label class="label" for=months_id.clone()>"Kept for (months)"</label>
                    {move || months_error().map(|m| view! { <p class="error-message" id=format!("{}-error", m_err.read_value())><span class="visually-hidden">"Error: "</span>{m}</p> })}
                    <input class="input input--short" type="text" inputmode="numeric" id=months_id.clone() name="months" value=policy.months.to_string()
                        aria-describedby=move || months_error().map(|_| format!("{}-error", m_err.read_value()))/>
                </div>
                <div class="form-group form-group--inline" class:form-group--error=move || basis_error().is_some()>
                    <label class="label" for=basis_id.clone()>"Lawful basis"</label>
                    {move || basis_error().map(|m| view! { <p class="error-message" id=format!("{}-error", b_err.read_value())><span class="visually-hidden">"Error: "</span>{m}</p> })}
                    <select class="select" id=basis_id.clone() name="lawful_basis" aria-describedby=move || basis_error().map(|_| format!("{}-error", b_err.read_value()))>
                        {bases.into_iter().map(|(value, label)| view! { <option value=value selected=policy.lawful_basis == value>{label}</option> }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="button button--secondary">"Save"<span class="visually-hidden">{format!(": {}", policy.label)}</span></button>
            </ActionForm>
        </section>
    }
}

#[component]
fn RunTable(run: crate::api::privacy::RunView, caption: String) -> impl IntoView {
    view! {
        <div class="table-wrap" tabindex="0" role="group" aria-label=caption.clone()>
            <table class="table">
                <caption class="visually-hidden">{caption.clone()}</caption>
                <thead><tr><th scope="col">"Kind of record"</th><th scope="col">"Kept for"</th><th scope="col">"Due if last touched before"</th><th scope="col">{if run.dry_run { "Would change" } else { "Changed" }}</th></tr></thead>
                <tbody>
                    {run.counts.into_iter().map(|c| view! {
                        <tr><td>{c.label}</td><td>{format!("{} months", c.months)}</td><td>{c.kept_from}</td><td>{c.records}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn RetentionPage() -> impl IntoView {
    let run = ServerAction::<RunRetention>::new();
    let data = Resource::new(move || run.version().get(), |_| load_retention());
    let run_error = Signal::derive(move || run.value().get().and_then(|r| r.err()));
    let run_errors = Memo::new(move |_| field_errors(&run_error.get()));
    view! {
        <Title text="Retention"/>
        <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <PageProblem error/> }.into_any(),
                    Ok(view_data) => view! {
                        <p class="body"><a class="link" href="/privacy">"Back to data protection"</a></p>
                        <h1 class="heading-l">"How long records are kept"</h1>
                        <p class="body">"Mobilise anonymises records once their period is over, every night. The figures on the intelligence dashboard stay true: only what identifies someone is removed."</p>
                        {view_data.policies.into_iter().map(|policy| view! { <PolicyRow policy/> }).collect_view()}
                        <h2 class="heading-m" id="run-heading">"Run it now"</h2>
                        <p class="body">"Check first: a dry run changes nothing and shows what a real run would."</p>
                        <ErrorSummary error=run_error first_field="confirm"/>
                        <ActionForm action=run attr:class="form">
                            <input type="hidden" name="dry_run" value="yes"/>
                            <button type="submit" class="button">"Check what would change"</button>
                        </ActionForm>
                        <ActionForm action=run attr:novalidate=true attr:class="form" attr:aria-labelledby="run-heading">
                            <input type="hidden" name="dry_run" value="no"/>
                            <div class="form-group" class:form-group--error=move || run_errors.read().get("confirm").is_some()>
                                {move || run_errors.read().get("confirm").map(|m| view! { <p class="error-message" id="confirm-error"><span class="visually-hidden">"Error: "</span>{m.to_string()}</p> })}
                                <div class="radios__item">
                                    <input class="radios__input" type="checkbox" id="confirm" name="confirm" value="yes"
                                        aria-describedby=move || run_errors.read().get("confirm").is_some().then_some("confirm-error")/>
                                    <label class="radios__label" for="confirm">"I have checked what it will change"</label>
                                </div>
                            </div>
                            <PasswordField name="password" label="Your password" autocomplete="current-password"
                                hint="Asked again before a real run if you signed in more than 15 minutes ago."
                                error=Signal::derive(move || run_errors.read().get("password").map(str::to_string))/>
                            <button type="submit" class="button button--warning">"Anonymise what is due now"</button>
                        </ActionForm>
                        <h2 class="heading-m">"Recent runs"</h2>
                        {if view_data.runs.is_empty() {
                            view! { <p class="body">"It has not run yet."</p> }.into_any()
                        } else {
                            view_data.runs.into_iter().map(|r| {
                                let caption = format!("{} on {} by {}", if r.dry_run { "Dry run" } else { "Run" }, r.at, r.by);
                                view! { <h3 class="heading-s">{caption.clone()}</h3> <RunTable run=r caption/> }
                            }).collect_view().into_any()
                        }}
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/my-data` (residents): what they agree to, changed whenever they like, and every decision
/// they have made. A plain form: it works without JavaScript.
#[component]
pub fn MyDataPage() -> impl IntoView {
    let save = ServerAction::<SaveMyConsents>::new();
    let answer = ServerAction::<AnswerLinkOffer>::new();
    // Both made here, not inside the Suspend (see pages::ideas::IdeasState).
    let data = Resource::new(move || (save.version().get(), answer.version().get()), |_| load_my_consents());
    let door_records = Resource::new(move || answer.version().get(), |_| load_link_offers());
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    let saved = move || save.value().get().and_then(|r| r.ok());
    let answer_error = Signal::derive(move || answer.value().get().and_then(|r| r.err()));
    let answered = move || answer.value().get().and_then(|r| r.ok());
    view! {
        <Title text="Your data"/>
        <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <PageProblem error/> }.into_any(),
                    Ok(mine) => {
                        let first = mine.choices.first().map(|c| c.purpose.clone()).unwrap_or_default();
                        // Staff have none to answer; a failure to load them hides only the question.
                        let door_records = door_records.await.ok();
                        view! {
                            <ErrorSummary error first_field=first/>
                            <ErrorSummary error=answer_error first_field="same-person"/>
                            {move || answered().map(|yes| view! {
                                <SuccessBanner title=if yes { "We keep that record with your account" } else { "We will not ask you about that record again" }>
                                    <p>{if yes {
                                        "What you agreed to when we spoke is below, with your other choices. Everything we hold about you is now treated as one person's."
                                    } else {
                                        "It stays apart from your account."
                                    }}</p>
                                </SuccessBanner>
                            })}
                            {move || saved().map(|n| view! {
                                <SuccessBanner title="Your choices are saved">
                                    <p>{if n == 0 { "Nothing changed.".to_string() } else if n == 1 { "1 choice changed. It applies straight away.".to_string() } else { format!("{n} choices changed. They apply straight away.") }}</p>
                                </SuccessBanner>
                            })}
                            <h1 class="heading-l">"Your data and what you agree to"</h1>
                            {door_records.map(|records| view! { <LinkOffers records answer/> })}
                            <p class="body">"You can change these whenever you like. Saying no stops us using your details for that from now on."</p>
                            <ActionForm action=save attr:novalidate=true attr:class="form" attr:aria-labelledby="consents-heading">
                                <h2 class="heading-m" id="consents-heading">"What you agree to"</h2>
                                {mine.choices.into_iter().map(|c| {
                                    let hint = match (c.state.as_str(), &c.since) {
                                        ("yes", Some(on)) => format!("You said yes on {on}."),
                                        ("no", Some(on)) => format!("You said no on {on}."),
                                        _ => "You have not been asked yet.".to_string(),
                                    };
                                    use crate::domain::outreach::ConsentPurpose;
                                    let purpose = ConsentPurpose::ALL.into_iter().find(|p| p.as_str() == c.purpose).unwrap_or(ConsentPurpose::ContactAboutIssue);
                                    let (name, legend) = (purpose.as_str(), purpose.wording());
                                    view! {
                                        <Radios name legend hint errors checked=c.state.clone()
                                            choices=vec![("yes".to_string(), "Yes".to_string()), ("no".to_string(), "No".to_string())]/>
                                    }
                                }).collect_view()}
                                <button type="submit" class="button" disabled=move || save.pending().get()>"Save my choices"</button>
                            </ActionForm>
                            <h2 class="heading-m" id="history-heading">"Your decisions so far"</h2>
                            {if mine.history.is_empty() {
                                view! { <p class="body">"None yet."</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-wrap" tabindex="0" role="group" aria-labelledby="history-heading">
                                        <table class="table">
                                            <caption class="visually-hidden">"Your decisions so far, newest first"</caption>
                                            <thead><tr><th scope="col">"Date"</th><th scope="col">"About"</th><th scope="col">"Decision"</th><th scope="col">"Given"</th></tr></thead>
                                            <tbody>
                                                {mine.history.into_iter().map(|h| view! {
                                                    <tr><td>{h.on}</td><td>{h.label}</td><td>{h.decision}</td><td>{h.how}</td></tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                }.into_any()
                            }}
                            <p class="body">"To get a copy of everything we hold about you, or to have it erased, contact your council: they must answer within one calendar month."</p>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
