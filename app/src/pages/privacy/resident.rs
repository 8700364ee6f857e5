//! `/privacy/residents/{id}`: everything held about one resident, their requests, erasure and
//! the records that are the same person.

use super::*;
use crate::components::address_value;
use crate::i18n::Locale;
use crate::language::names::HasName;

#[component]
pub(super) fn RecordSection(table: RecordTable) -> impl IntoView {
    let locale = crate::language::page_locale();
    let heading = format!("records-{}", table.key);
    let labelled = heading.clone();
    view! {
        <section class="record-section" aria-labelledby=heading.clone()>
            <h2 class="heading-m" id=heading.clone()>{table.title.clone()}</h2>
            {table.lawful_basis.clone().map(|b| view! { <p class="hint">{td_string!(locale, resident_records.lawful_basis)} " " {basis_label(locale, &b)}</p> })}
            {table.retention.clone().map(|r| view! { <p class="hint">{td_string!(locale, resident_records.kept)} " " {r}</p> })}
            {if table.rows.is_empty() {
                view! { <p class="body">{td_string!(locale, resident_records.none_held)}</p> }.into_any()
            } else {
                let columns = table.columns.clone();
                view! {
                    <div class="table-wrap" tabindex="0" role="group" aria-labelledby=labelled>
                        <table class="table">
                            <caption class="visually-hidden">{table.title.clone()}</caption>
                            <thead><tr>{columns.iter().map(|c| view! { <th scope="col">{crate::language::names::record_column(locale, c)}</th> }).collect_view()}</tr></thead>
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

pub(super) fn basis_label(locale: Locale, basis: &str) -> &'static str {
    match basis {
        "consent" => td_string!(locale, resident_records.basis_consent),
        "public_task" => td_string!(locale, resident_records.basis_public_task),
        "legitimate_interests" => td_string!(locale, resident_records.basis_legitimate_interests),
        _ => td_string!(locale, resident_records.basis_legal_obligation),
    }
}

#[component]
pub fn ResidentRecordsPage() -> impl IntoView {
    let locale = crate::language::page_locale();
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
            (address_value(params, "id").unwrap_or_default(), versions)
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
        address_value(query, "export_password").map(|problem| {
            crate::error::AppError::invalid(
                "export_password",
                if problem == "wrong" {
                    td_string!(locale, resident_records.export_password_wrong)
                } else {
                    td_string!(locale, resident_records.export_password_needed)
                },
            )
        })
    });
    let export_errors = Memo::new(move |_| field_errors(&export_error.get()));
    view! {
        <Title text=td_string!(locale, resident_records.page_title)/>
        <Suspense fallback=move || view! { <p class="body">{td_string!(locale, resident_records.loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <PageProblem error/> }.into_any(),
                    Ok(None) => view! {
                        <ErrorSummary error=export_error first_field="export_password"/>
                        <p class="body"><a class="link" href="/privacy">{td_string!(locale, resident_records.back)}</a></p>
                        <OpenAudited heading=td_string!(locale, resident_records.page_title) button=td_string!(locale, resident_records.show_records)
                            what=td_string!(locale, resident_records.what_is_held)/>
                    }.into_any(),
                    Ok(Some(file)) => {
                        let ResidentFile { resident, same_person, tables, requests, today } = file;
                        let records_of_person = same_person.len();
                        let id = resident.id.clone();
                        let erase_id = id.clone();
                        let this_id = id.clone();
                        let erased = resident.erased_on.clone();
                        let name = if erased.is_some() { td_string!(locale, resident_records.erased_resident).to_string() } else { resident.name.clone() };
                        view! {
                            <ErrorSummary error=log_error first_field="kind"/>
                            <ErrorSummary error=erase_error first_field="confirm"/>
                            <ErrorSummary error=export_error first_field="export_password"/>
                            {move || close_error.get().map(|e| view! { <div class="error-summary" role="alert"><p>{e.to_string()}</p></div> })}
                            {move || erased_now().then(|| view! {
                                <SuccessBanner title=td_string!(locale, resident_records.erased_title)>
                                    <p>{td_string!(locale, resident_records.erased_text)}</p>
                                </SuccessBanner>
                            })}
                            <p class="body"><a class="link" href="/privacy">{td_string!(locale, resident_records.back)}</a></p>
                            <h1 class="heading-l">{td_string!(locale, resident_records.heading, name = name)}</h1>
                            <dl class="summary-list">
                                <div class="summary-list__row"><dt class="summary-list__key">{td_string!(locale, resident_records.record_id)}</dt><dd class="summary-list__value break-all">{id.clone()}</dd></div>
                                <div class="summary-list__row"><dt class="summary-list__key">{td_string!(locale, resident_records.first_recorded)}</dt><dd class="summary-list__value">{resident.recorded_on.clone()}</dd></div>
                                <div class="summary-list__row"><dt class="summary-list__key">{td_string!(locale, resident_records.last_conversation)}</dt><dd class="summary-list__value">{resident.last_seen_on.clone().unwrap_or_else(|| td_string!(locale, resident_records.none).into())}</dd></div>
                                {erased.clone().map(|on| view! {
                                    <div class="summary-list__row"><dt class="summary-list__key">{td_string!(locale, resident_records.erased)}</dt><dd class="summary-list__value">{on}</dd></div>
                                })}
                            </dl>

                            <h2 class="heading-m">{td_string!(locale, resident_records.subject_access)}</h2>
                            <p class="body">{td_string!(locale, resident_records.subject_access_text)}</p>
                            <form method="post" action=format!("/privacy/residents/{id}/export") class="form" novalidate>
                                <PasswordField name="export_password" label=td_string!(locale, resident_records.your_password) autocomplete="current-password"
                                    hint=td_string!(locale, resident_records.export_password_hint)
                                    error=Signal::derive(move || export_errors.read().text("export_password"))/>
                                <button type="submit" class="button">{td_string!(locale, resident_records.download)}</button>
                            </form>

                            <h2 class="heading-m" id="requests-heading">{td_string!(locale, resident_records.requests)}</h2>
                            {if requests.is_empty() {
                                view! { <p class="body">{td_string!(locale, resident_records.no_requests)}</p> }.into_any()
                            } else {
                                view! { <RequestsTable requests caption=td_string!(locale, resident_records.requests_caption) close=close/> }.into_any()
                            }}
                            <ActionForm action=log attr:novalidate=true attr:class="form" attr:aria-labelledby="log-heading">
                                <h3 class="heading-s" id="log-heading">{td_string!(locale, resident_records.log_heading)}</h3>
                                <input type="hidden" name="resident_id" value=id.clone()/>
                                <Radios name="kind" legend=td_string!(locale, resident_records.what_asked) errors=log_errors
                                    choices=[RequestKind::Access, RequestKind::Erasure].into_iter().map(|k| (k.as_str().to_string(), k.name(locale).to_string())).collect()/>
                                <div class="form-group" class:form-group--error=move || log_errors.read().get("received_on").is_some()>
                                    <label class="label" for="received_on">{td_string!(locale, resident_records.when_arrived)}</label>
                                    <p class="hint" id="received_on-hint">{td_string!(locale, resident_records.arrived_hint)}</p>
                                    {move || log_errors.read().get("received_on").map(|m| view! { <p class="error-message" id="received_on-error"><span class="visually-hidden">{td_string!(locale, resident_records.error)}" "</span>{m.to_string()}</p> })}
                                    <input class="input input--short" type="date" id="received_on" name="received_on" value=today.clone()
                                        aria-describedby=move || if log_errors.read().get("received_on").is_some() { "received_on-hint received_on-error" } else { "received_on-hint" }/>
                                </div>
                                <button type="submit" class="button button--secondary" disabled=move || log.pending().get()>{td_string!(locale, resident_records.log_button)}</button>
                            </ActionForm>

                            {erased.is_none().then(|| view! {
                                <h2 class="heading-m" id="erase-heading">{td_string!(locale, resident_records.erase_heading)}</h2>
                                <p class="body">{td_string!(locale, resident_records.erase_text)}</p>
                                {(records_of_person > 1).then(|| view! {
                                    <p class="body">{td_string!(locale, resident_records.erase_linked, count = records_of_person)}</p>
                                })}
                                <p class="warning-text"><strong>{td_string!(locale, resident_records.cannot_undo)}</strong></p>
                                <ActionForm action=erase attr:novalidate=true attr:class="form" attr:aria-labelledby="erase-heading">
                                    <input type="hidden" name="resident_id" value=erase_id.clone()/>
                                    <div class="form-group" class:form-group--error=move || erase_errors.read().get("confirm").is_some()>
                                        {move || erase_errors.read().get("confirm").map(|m| view! { <p class="error-message" id="confirm-error"><span class="visually-hidden">{td_string!(locale, resident_records.error)}" "</span>{m.to_string()}</p> })}
                                        <div class="radios__item">
                                            <input class="radios__input" type="checkbox" id="confirm" name="confirm" value="yes"
                                                aria-describedby=move || erase_errors.read().get("confirm").is_some().then_some("confirm-error")/>
                                            <label class="radios__label" for="confirm">{td_string!(locale, resident_records.confirm_erase)}</label>
                                        </div>
                                    </div>
                                    <PasswordField name="password" label=td_string!(locale, resident_records.your_password) autocomplete="current-password"
                                        hint=td_string!(locale, resident_records.erase_password_hint)
                                        error=Signal::derive(move || erase_errors.read().text("password"))/>
                                    <button type="submit" class="button button--warning" disabled=move || erase.pending().get()>{td_string!(locale, resident_records.erase_button)}</button>
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
