//! `/privacy/residents/{id}`: everything held about one resident, their requests, erasure and
//! the records that are the same person.

use super::*;

#[component]
pub(super) fn RecordSection(table: RecordTable) -> impl IntoView {
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

pub(super) fn basis_label(basis: &str) -> &'static str {
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
                                    error=Signal::derive(move || export_errors.read().text("export_password"))/>
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
                                        error=Signal::derive(move || erase_errors.read().text("password"))/>
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
