//! One resident, not two: the resident's "is this you?" about records made at the door, and the
//! admin's "same person" section of a resident's records. Plain forms: they work without
//! JavaScript.

use crate::api::people::{AnswerLinkOffer, LinkRecords, MyDoorRecords, PersonRecord, UnlinkRecord};
use crate::components::forms::{field_errors, ErrorSummary, TextField};
use leptos::prelude::*;

/// On "Your data": each record made at the door that holds the resident's verified address,
/// with "yes, that was me" and "no". Shows nothing when there is none.
#[component]
pub fn LinkOffers(records: MyDoorRecords, answer: ServerAction<AnswerLinkOffer>) -> impl IntoView {
    let MyDoorRecords { email, offers } = records;
    if offers.is_empty() {
        return ().into_any();
    }
    view! {
        <section class="inset" aria-labelledby="same-person-heading" id="same-person">
            <h2 class="heading-m" id="same-person-heading">"Is this you?"</h2>
            {offers.into_iter().map(|offer| {
                let when = match &offer.met {
                    Some((on, how)) => format!("When we spoke to someone {how} on {on}, they gave your email address, "),
                    None => "Someone gave us your email address, ".to_string(),
                };
                let end = if offer.met.is_some() { "." } else { ", to be contacted at." };
                // A long address breaks anywhere rather than widen a phone's page.
                let address = email.clone();
                let (yes_id, no_id) = (offer.resident_id.clone(), offer.resident_id);
                view! {
                    <p class="body">{when}<span class="break-all">{address}</span>{end}</p>
                    <p class="body">"If that was you, we keep that record with your account: you see what you agreed to then on this page, "
                        "and everything we hold about you is treated as one person's."</p>
                    <div class="button-group">
                        <ActionForm action=answer attr:class="inline-form">
                            <input type="hidden" name="resident_id" value=yes_id/>
                            <input type="hidden" name="answer" value="yes"/>
                            <button type="submit" class="button">"Yes, that was me"</button>
                        </ActionForm>
                        <ActionForm action=answer attr:class="inline-form">
                            <input type="hidden" name="resident_id" value=no_id/>
                            <input type="hidden" name="answer" value="no"/>
                            <button type="submit" class="button button--secondary">"No, that was not me"</button>
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
    let link_error = Signal::derive(move || link.value().get().and_then(|r| r.err()));
    let link_errors = Memo::new(move |_| field_errors(&link_error.get()));
    let unlink_error = Signal::derive(move || unlink.value().get().and_then(|r| r.err()));
    let this_is_account = records.iter().any(|r| r.id == this_id && r.account);
    let others: Vec<PersonRecord> = records.into_iter().filter(|r| r.id != this_id).collect();
    let hint = if this_is_account {
        "The id of a record made at the door (shown on its page), for the same person as this account."
    } else {
        "The id of the online account's record, or the email address the account signs in with."
    };
    view! {
        <h2 class="heading-m" id="same-person-heading">"The same person"</h2>
        <ErrorSummary error=link_error first_field="other"/>
        <ErrorSummary error=unlink_error first_field="same-person-heading"/>
        {if others.is_empty() {
            view! { <p class="body">"No other record is linked to this one."</p> }.into_any()
        } else {
            view! {
                <p class="body">"These records are the same person as this one. What is held about them is shown, exported and erased together."</p>
                <ul class="list">
                    {others.into_iter().map(|r| {
                        let label = if r.account { "Online account" } else { "Made at the door" };
                        let linked = r.linked_on.clone().map(|on| format!(", linked on {on}")).unwrap_or_default();
                        // Unlinking always acts on the door record of the pair.
                        let door = if r.account { this_id.clone() } else { r.id.clone() };
                        let href = format!("/privacy/residents/{}", r.id);
                        let name = if r.name.trim().is_empty() { "A record with no name".to_string() } else { r.name.clone() };
                        view! {
                            <li>
                                <a class="link" href=href>{name.clone()}</a>
                                " (" {label} {linked} ")"
                                <ActionForm action=unlink attr:class="inline-form">
                                    <input type="hidden" name="resident_id" value=door/>
                                    <button type="submit" class="button button--secondary">"Unlink" <span class="visually-hidden">{format!(" {name}")}</span></button>
                                </ActionForm>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        {(!erased).then(|| view! {
            <ActionForm action=link attr:novalidate=true attr:class="form" attr:aria-labelledby="link-heading">
                <h3 class="heading-s" id="link-heading">"Link another record as this person"</h3>
                <input type="hidden" name="resident_id" value=this_id.clone()/>
                <TextField name="other" label="The other record" hint spellcheck_off=true
                    error=Signal::derive(move || link_errors.read().text("other"))/>
                <button type="submit" class="button button--secondary" disabled=move || link.pending().get()>"Link as the same person"</button>
            </ActionForm>
        })}
    }
}
