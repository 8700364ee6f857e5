//! `/me/data`: a resident's own data, their consents and the records that may be theirs.

use super::*;
use crate::components::address_value;

/// `/my-data` (residents): what they agree to, changed whenever they like, and every decision
/// they have made. A plain form: it works without JavaScript.
#[component]
pub fn MyDataPage() -> impl IntoView {
    let locale = crate::language::page_locale();
    let save = ServerAction::<SaveMyConsents>::new();
    let answer = ServerAction::<AnswerLinkOffer>::new();
    // Both made here, not inside the Suspend (see pages::ideas::IdeasState).
    let data = Resource::new(move || (save.version().get(), answer.version().get()), |_| load_my_consents());
    let door_records = Resource::new(move || answer.version().get(), |_| load_link_offers());
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    // From the app's own call, or from the address a plain form post comes back to.
    let query = leptos_router::hooks::use_query_map();
    let saved =
        move || save.value().get().and_then(|r| r.ok()).or_else(|| address_value(query, "saved").and_then(|n| n.parse::<usize>().ok()));
    let answer_error = Signal::derive(move || answer.value().get().and_then(|r| r.err()));
    let answered = move || {
        answer.value().get().and_then(|r| r.ok()).or_else(|| match address_value(query, "same").as_deref() {
            Some("yes") => Some(true),
            Some("no") => Some(false),
            _ => None,
        })
    };
    view! {
        <Title text=td_string!(locale, my_data.page_title)/>
        <Suspense fallback=move || view! { <p class="body">{td_string!(locale, my_data.loading)}</p> }>
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
                                <SuccessBanner title=if yes { td_string!(locale, my_data.kept_title) } else { td_string!(locale, my_data.not_kept_title) }>
                                    <p>{if yes { td_string!(locale, my_data.kept_text) } else { td_string!(locale, my_data.not_kept_text) }}</p>
                                </SuccessBanner>
                            })}
                            {move || saved().map(|n| view! {
                                <SuccessBanner title=td_string!(locale, my_data.saved_title)>
                                    <p>{if n == 0 { td_string!(locale, my_data.nothing_changed).to_string() } else { td_string!(locale, my_data.changed, count = n) }}</p>
                                </SuccessBanner>
                            })}
                            <h1 class="heading-l">{td_string!(locale, my_data.heading)}</h1>
                            {door_records.map(|records| view! { <LinkOffers records answer/> })}
                            <p class="body">{td_string!(locale, my_data.intro)}</p>
                            <ActionForm action=save attr:novalidate=true attr:class="form" attr:aria-labelledby="consents-heading">
                                <h2 class="heading-m" id="consents-heading">{td_string!(locale, my_data.consents_heading)}</h2>
                                {mine.choices.into_iter().map(|c| {
                                    let hint = match (c.state.as_str(), &c.since) {
                                        ("yes", Some(on)) => td_string!(locale, my_data.said_yes_on, date = on.clone()),
                                        ("no", Some(on)) => td_string!(locale, my_data.said_no_on, date = on.clone()),
                                        _ => td_string!(locale, my_data.not_asked).to_string(),
                                    };
                                    use crate::domain::outreach::ConsentPurpose;
                                    let purpose = ConsentPurpose::ALL.into_iter().find(|p| p.as_str() == c.purpose).unwrap_or(ConsentPurpose::ContactAboutIssue);
                                    let (name, legend) = (purpose.as_str(), purpose.wording_in(crate::language::choice::code(locale)));
                                    view! {
                                        <Radios name legend hint errors checked=c.state.clone()
                                            choices=vec![("yes".to_string(), td_string!(locale, my_data.yes).to_string()), ("no".to_string(), td_string!(locale, my_data.no).to_string())]/>
                                    }
                                }).collect_view()}
                                <button type="submit" class="button" disabled=move || save.pending().get()>{td_string!(locale, my_data.save)}</button>
                            </ActionForm>
                            <h2 class="heading-m" id="history-heading">{td_string!(locale, my_data.history_heading)}</h2>
                            {if mine.history.is_empty() {
                                view! { <p class="body">{td_string!(locale, my_data.none_yet)}</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-wrap" tabindex="0" role="group" aria-labelledby="history-heading">
                                        <table class="table">
                                            <caption class="visually-hidden">{td_string!(locale, my_data.history_caption)}</caption>
                                            <thead><tr><th scope="col">{td_string!(locale, my_data.col_date)}</th><th scope="col">{td_string!(locale, my_data.col_about)}</th><th scope="col">{td_string!(locale, my_data.col_decision)}</th><th scope="col">{td_string!(locale, my_data.col_given)}</th></tr></thead>
                                            <tbody>
                                                {mine.history.into_iter().map(|h| view! {
                                                    <tr><td>{crate::language::names::long_date(locale, &h.on)}</td><td>{h.label}</td><td>{h.decision}</td><td>{h.how}</td></tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                }.into_any()
                            }}
                            <p class="body">{td_string!(locale, my_data.rights)}</p>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
