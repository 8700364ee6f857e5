//! One resident, not two: the resident's "is this you?" about records made at the door, and the
//! admin's "same person" section of a resident's records. Plain forms: they work without
//! JavaScript.

use crate::api::people::{AnswerLinkOffer, LinkRecords, MyDoorRecords, PersonRecord, UnlinkRecord};
use crate::components::forms::{field_errors, ErrorSummary, TextField};
use crate::i18n::td_string;
use leptos::prelude::*;

/// On "Your data": each record made at the door that holds the resident's verified address,
/// with "yes, that was me" and "no". Shows nothing when there is none.
#[component]
pub fn LinkOffers(records: MyDoorRecords, answer: ServerAction<AnswerLinkOffer>) -> impl IntoView {
    let locale = crate::language::page_locale();
    let MyDoorRecords { email, offers } = records;
    if offers.is_empty() {
        return ().into_any();
    }
    view! {
        <section class="inset" aria-labelledby="same-person-heading" id="same-person">
            <h2 class="heading-m" id="same-person-heading">{td_string!(locale, people.is_this_you)}</h2>
            {offers.into_iter().map(|offer| {
                let when = match &offer.met {
                    Some((on, how)) => td_string!(locale, people.met_gave_email, how = how.clone(), date = on.clone()),
                    None => td_string!(locale, people.someone_gave_email).to_string(),
                };
                let end = if offer.met.is_some() { td_string!(locale, people.met_end) } else { td_string!(locale, people.someone_end) };
                // A long address breaks anywhere rather than widen a phone's page.
                let address = email.clone();
                let (yes_id, no_id) = (offer.resident_id.clone(), offer.resident_id);
                view! {
                    <p class="body">{when}" "<span class="break-all">{address}</span>{end}</p>
                    <p class="body">{td_string!(locale, people.if_you)}</p>
                    <div class="button-group">
                        <ActionForm action=answer attr:class="inline-form">
                            <input type="hidden" name="resident_id" value=yes_id/>
                            <input type="hidden" name="answer" value="yes"/>
                            <button type="submit" class="button">{td_string!(locale, people.yes_me)}</button>
                        </ActionForm>
                        <ActionForm action=answer attr:class="inline-form">
                            <input type="hidden" name="resident_id" value=no_id/>
                            <input type="hidden" name="answer" value="no"/>
                            <button type="submit" class="button button--secondary">{td_string!(locale, people.not_me)}</button>
                        </ActionForm>
                    </div>
                }
            }).collect_view()}
        </section>
    }
    .into_any()
}

/// On an admin's view of a resident's records: the records that are this person, with unlink,
/// and a form to link another.
#[component]
pub fn SamePerson(
    this_id: String,
    records: Vec<PersonRecord>,
    erased: bool,
    link: ServerAction<LinkRecords>,
    unlink: ServerAction<UnlinkRecord>,
) -> impl IntoView {
    let locale = crate::language::page_locale();
    let link_error = Signal::derive(move || link.value().get().and_then(|r| r.err()));
    let link_errors = Memo::new(move |_| field_errors(&link_error.get()));
    let unlink_error = Signal::derive(move || unlink.value().get().and_then(|r| r.err()));
    let this_is_account = records.iter().any(|r| r.id == this_id && r.account);
    let others: Vec<PersonRecord> = records.into_iter().filter(|r| r.id != this_id).collect();
    let hint = if this_is_account { td_string!(locale, people.hint_account) } else { td_string!(locale, people.hint_door) };
    view! {
        <h2 class="heading-m" id="same-person-heading">{td_string!(locale, people.heading)}</h2>
        <ErrorSummary error=link_error first_field="other"/>
        <ErrorSummary error=unlink_error first_field="same-person-heading"/>
        {if others.is_empty() {
            view! { <p class="body">{td_string!(locale, people.none_linked)}</p> }.into_any()
        } else {
            view! {
                <p class="body">{td_string!(locale, people.linked_intro)}</p>
                <ul class="list">
                    {others.into_iter().map(|r| {
                        let label = if r.account { td_string!(locale, people.online_account) } else { td_string!(locale, people.made_at_door) };
                        let linked = r.linked_on.clone().map(|on| td_string!(locale, people.linked_on, date = on)).unwrap_or_default();
                        // Unlinking always acts on the door record of the pair.
                        let door = if r.account { this_id.clone() } else { r.id.clone() };
                        let href = format!("/privacy/residents/{}", r.id);
                        let name = if r.name.trim().is_empty() { td_string!(locale, people.no_name).to_string() } else { r.name.clone() };
                        view! {
                            <li>
                                <a class="link" href=href>{name.clone()}</a>
                                " (" {label} {linked} ")"
                                <ActionForm action=unlink attr:class="inline-form">
                                    <input type="hidden" name="resident_id" value=door/>
                                    <button type="submit" class="button button--secondary">{td_string!(locale, people.unlink)} <span class="visually-hidden">{format!(" {name}")}</span></button>
                                </ActionForm>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        {(!erased).then(|| view! {
            <ActionForm action=link attr:novalidate=true attr:class="form" attr:aria-labelledby="link-heading">
                <h3 class="heading-s" id="link-heading">{td_string!(locale, people.link_heading)}</h3>
                <input type="hidden" name="resident_id" value=this_id.clone()/>
                <TextField name="other" label=td_string!(locale, people.other_record) hint spellcheck_off=true
                    error=Signal::derive(move || link_errors.read().text("other"))/>
                <button type="submit" class="button button--secondary" disabled=move || link.pending().get()>{td_string!(locale, people.link_button)}</button>
            </ActionForm>
        })}
    }
}
