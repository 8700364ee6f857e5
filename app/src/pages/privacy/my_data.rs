//! `/me/data`: a resident's own data, their consents and the records that may be theirs.

use super::*;

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
    // From the app's own call, or from the address a plain form post comes back to.
    let query = leptos_router::hooks::use_query_map();
    let saved = move || save.value().get().and_then(|r| r.ok()).or_else(|| query.read().get("saved").and_then(|n| n.parse::<usize>().ok()));
    let answer_error = Signal::derive(move || answer.value().get().and_then(|r| r.err()));
    let answered = move || {
        answer.value().get().and_then(|r| r.ok()).or_else(|| match query.read().get("same").as_deref() {
            Some("yes") => Some(true),
            Some("no") => Some(false),
            _ => None,
        })
    };
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
