//! The interaction form: used at the door and (shorter) at community events. Kept on the
//! device: every keystroke is saved as a draft, and "Save" puts the record in the outbox.

use super::commitments::{Commitments, GuidanceAtHand};
use super::draft::InteractionDraft;
use crate::api::{Named, ReferenceData};
use crate::components::forms::{BoundField, ChoiceGroup, ErrorSummary, SelectField, TextArea};
use crate::domain::outbox::Outbox;
use crate::domain::outreach::{ConsentPurpose, ContactOutcome, InteractionKind, InteractionRecord};
use crate::domain::sync::SyncKind;
use crate::error::AppError;
use crate::i18n::{td_string, Locale};
use crate::language::names::HasName;
use crate::offline::device::new_item;
use crate::offline::device::{new_id, Device};
use crate::offline::store::{self, keys};
use crate::offline::{clock, use_device};
use leptos::prelude::*;

fn options(list: Vec<Named>) -> Vec<(String, String)> {
    list.into_iter().map(|n| (n.id, n.name)).collect()
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

/// The draft's field `f` set from an input's value.
fn set(draft: RwSignal<InteractionDraft>, f: fn(&mut InteractionDraft, String)) -> Callback<String> {
    Callback::new(move |v: String| draft.update(|d| f(d, v)))
}

/// A box of a "select all that apply" group ticked or unticked in the draft's list `f`.
fn toggle_in(draft: RwSignal<InteractionDraft>, f: fn(&mut InteractionDraft) -> &mut Vec<String>) -> Callback<(String, bool)> {
    Callback::new(move |(v, on): (String, bool)| {
        draft.update(|d| {
            let list = f(d);
            list.retain(|x| x != &v);
            if on {
                list.push(v);
            }
        })
    })
}

/// A radio chosen: the draft's field `f` takes its value.
fn choose(draft: RwSignal<InteractionDraft>, f: fn(&mut InteractionDraft, String)) -> Callback<(String, bool)> {
    Callback::new(move |(v, on): (String, bool)| {
        if on {
            draft.update(|d| f(d, v))
        }
    })
}

/// One of the organisation's lists, as choices.
fn list(reference: Memo<Option<ReferenceData>>, pick: fn(&ReferenceData) -> Vec<Named>) -> Signal<Vec<(String, String)>> {
    Signal::derive(move || reference.get().map(|r| options(pick(&r))).unwrap_or_default())
}

/// The error of one field of the form.
fn field_error(errors: RwSignal<Option<AppError>>, name: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || errors.get().and_then(|e| e.field_errors().and_then(|f| f.text(name))))
}

/// The opportunities to put the resident forward for: only after a conversation with a named
/// resident who said yes to volunteering, only those ticked and still shown (a tick on a match
/// that went away when the worker changed what the resident said does not count), and not those
/// already waiting in the outbox for this resident (a record saved again).
fn to_put_forward(
    d: &InteractionDraft,
    record: &InteractionRecord,
    outcome: ContactOutcome,
    reference: &ReferenceData,
    outbox: &Outbox,
) -> Vec<String> {
    if outcome != ContactOutcome::Talked || record.resident.is_none() || d.consent(ConsentPurpose::VolunteeringOpportunities) != Some("yes")
    {
        return Vec::new();
    }
    let shown = super::draft::door_matches(d, &reference.opportunities, super::matches::SHOWN);
    let waiting = |opportunity: &str| {
        outbox.entries.iter().any(|e| {
            e.item.is(SyncKind::VolunteerInterest)
                && e.item.payload.get("opportunity_id").and_then(|v| v.as_str()) == Some(opportunity)
                && e.item.payload.get("resident_id").and_then(|v| v.as_str()) == Some(d.resident_id.as_str())
        })
    };
    d.register.iter().filter(|id| shown.iter().any(|m| &m.id == *id) && !waiting(id)).cloned().collect()
}

/// Puts resident `resident_id` forward for each opportunity in the outbox; how many went in.
fn put_forward(device: Device, resident_id: &str, opportunities: &[String]) -> usize {
    let mut put = 0;
    for opportunity_id in opportunities {
        let interest = new_item(
            new_id(),
            SyncKind::VolunteerInterest,
            None,
            &serde_json::json!({ "opportunity_id": opportunity_id, "resident_id": resident_id }),
        );
        match device.enqueue(interest) {
            Ok(()) => put += 1,
            Err(message) => device.problem.set(Some(message)),
        }
    }
    put
}

/// What the banner says once a record is saved.
fn saved_message(locale: Locale, outcome: ContactOutcome, put_forward: usize) -> String {
    let what = match outcome {
        ContactOutcome::Talked => td_string!(locale, outreach_form.saved_talked),
        ContactOutcome::NoOneHome => td_string!(locale, outreach_form.saved_no_one_home),
        ContactOutcome::DeclinedToTalk => td_string!(locale, outreach_form.saved_declined),
    };
    let forward = match put_forward {
        0 => String::new(),
        n => format!(" {}", td_string!(locale, outreach_form.put_forward, count = n)),
    };
    format!("{what}{forward} {}", td_string!(locale, outreach_form.kept_until_sent))
}

#[component]
pub fn InteractionForm(
    kind: InteractionKind,
    /// Asks how the conversation happened (a channel of `InteractionKind::CHANNELS`) instead of
    /// taking `kind`.
    #[prop(optional)]
    choose_kind: bool,
    #[prop(optional)] event_id: Option<String>,
    /// Which draft this form keeps ("doorstep", or one per event).
    draft_name: String,
    /// Correcting a record from the outbox instead of starting a new one.
    #[prop(optional)]
    edit_id: Option<String>,
) -> impl IntoView {
    let locale = crate::language::page_locale();
    let device = use_device();
    let draft = RwSignal::new(InteractionDraft::default());
    let loaded = RwSignal::new(false);
    let errors = RwSignal::new(None::<AppError>);
    let saved = RwSignal::new(None::<String>);
    let editing = edit_id.is_some();
    let edit_id = StoredValue::new(edit_id);
    let (kind_s, event_s) = (StoredValue::new(kind), StoredValue::new(event_id.clone()));

    let fresh = move |keep_area: Option<(String, String)>| {
        let user = device.user_id.get_untracked().unwrap_or_default();
        let (area_id, address) = keep_area.unwrap_or_default();
        InteractionDraft {
            id: new_id(),
            area_id,
            address,
            occurred_at: clock::now_local(),
            action: "no_action".into(),
            owner_id: user,
            due_on: clock::date_in_days(7),
            resident_id: new_id(),
            lawful_basis: "consent".into(),
            ..Default::default()
        }
    };

    // Load once the device knows who is signed in: the record being corrected, the saved
    // draft, or a fresh form.
    let draft_name = StoredValue::new(draft_name);
    let draft_key = move || device.user_id.get().map(|u| keys::draft(&u, &draft_name.read_value()));
    let key_for_effect = draft_key;
    Effect::new(move |_| {
        if loaded.get_untracked() || !device.ready.get() {
            return;
        }
        let Some(key) = key_for_effect() else { return };
        let from_outbox = edit_id.get_value().and_then(|id| {
            device.outbox.get_untracked().entries.into_iter().find(|e| e.item.id == id).and_then(|e| {
                let record: InteractionRecord = serde_json::from_value(e.item.payload).ok()?;
                kind_s.set_value(record.kind);
                event_s.set_value(record.event_id.clone());
                Some(InteractionDraft::from_record(&id, &record, clock::now_local()))
            })
        });
        let d = from_outbox.or_else(|| if editing { None } else { store::load::<InteractionDraft>(&key) }).unwrap_or_else(|| fresh(None));
        draft.set(d);
        loaded.set(true);
    });
    // Autosave: every change is on the device at once.
    Effect::new(move |_| {
        let d = draft.get();
        if !loaded.get_untracked() || editing {
            return;
        }
        if let Some(key) = draft_key() {
            if let Err(e) = store::save(&key, &d) {
                device.problem.set(Some(e.to_string()));
            }
        }
    });

    let reference = Memo::new(move |_| device.reference.get());
    let field = move |name: &'static str| field_error(errors, name);

    let save = move |outcome: ContactOutcome| {
        saved.set(None);
        let d = draft.get_untracked();
        let Some(reference) = reference.get_untracked() else { return };
        let occurred_at = clock::local_to_epoch(&d.occurred_at);
        let kind = if choose_kind {
            match InteractionKind::parse(&d.kind).filter(|k| InteractionKind::CHANNELS.contains(k)) {
                Some(k) => k,
                None => {
                    errors.set(Some(AppError::invalid("kind", td_string!(locale, outreach_form.choose_how))));
                    return;
                }
            }
        } else {
            kind_s.get_value()
        };
        let result = d.to_record(locale, kind, event_s.get_value(), occurred_at, outcome).and_then(|record| {
            record.validate(&reference, |id| reference.events.iter().any(|e| e.id == id) || device.is_local_event(id))?;
            Ok(record)
        });
        match result {
            Err(e) => errors.set(Some(AppError::Invalid(e))),
            Ok(record) => {
                let register = to_put_forward(&d, &record, outcome, &reference, &device.outbox.get_untracked());
                let item = new_item(d.id.clone(), SyncKind::Interaction, None, &record);
                match device.enqueue(item) {
                    Err(message) => errors.set(Some(AppError::invalid("form", message))),
                    Ok(()) => {
                        errors.set(None);
                        // After the conversation in the outbox, so the server knows the resident first.
                        let forwarded = put_forward(device, &d.resident_id, &register);
                        saved.set(Some(saved_message(locale, outcome, forwarded)));
                        if editing {
                            return;
                        }
                        if let Some(key) = draft_key() {
                            store::delete(&key);
                        }
                        draft.set(fresh(Some((d.area_id.clone(), String::new()))));
                    }
                }
            }
        }
    };

    let action = move || draft.read().action.clone();
    let is_event = kind == InteractionKind::Event;
    // The channel as chosen so far: a knock can find no one home; a call or a counter cannot.
    let knocks =
        move || if choose_kind { InteractionKind::parse(&draft.read().kind).is_some_and(InteractionKind::knocks) } else { kind.knocks() };
    let channels = InteractionKind::CHANNELS.iter().map(|k| (k.as_str().to_string(), k.name(locale).to_string())).collect::<Vec<_>>();

    view! {
        <noscript><p class="warning-text">{td_string!(locale, outreach_form.noscript)}</p></noscript>
        {move || (device.ready.get() && reference.get().is_none()).then(|| view! {
            <div class="warning-text" role="alert">
                {td_string!(locale, outreach_form.no_lists)}
            </div>
        })}
        {move || saved.get().map(|message| view! {
            <div class="banner banner--success" role="status" tabindex="-1">
                <h2 class="banner__title">{td_string!(locale, outreach_form.saved_title)}</h2>
                <div class="banner__content"><p>{message}</p></div>
            </div>
        })}
        <ErrorSummary error=errors first_field=if choose_kind { "kind" } else { "area_id" }/>
        <form class="form" novalidate on:submit=move |ev| { ev.prevent_default(); save(ContactOutcome::Talked); }>
            <fieldset class="fieldset" disabled=move || !loaded.get() || reference.get().is_none()>
                {choose_kind.then(|| view! {
                    <ChoiceGroup name="kind" legend=td_string!(locale, outreach_form.how_did_you_talk) error=field("kind")
                        options=Signal::derive(move || channels.clone())
                        chosen=Signal::derive(move || vec![draft.read().kind.clone()]) on_toggle=choose(draft, |d, v| d.kind = v)/>
                })}
                <SelectField name="area_id" label=td_string!(locale, outreach_form.area) error=field("area_id")
                    options=list(reference, |r| r.areas.clone()) value=Signal::derive(move || draft.read().area_id.clone())
                    on_change=set(draft, |d, v| d.area_id = v) prompt=td_string!(locale, outreach_form.select_area)/>
                <BoundField name="address"
                    label=if is_event {
                        td_string!(locale, outreach_form.street_optional)
                    } else if choose_kind {
                        td_string!(locale, outreach_form.their_address_optional)
                    } else {
                        td_string!(locale, outreach_form.address_or_street_optional)
                    }
                    autocomplete="off" error=field("address")
                    value=Signal::derive(move || draft.read().address.clone()) on_input=set(draft, |d, v| d.address = v)/>
                <BoundField name="occurred_at" label=td_string!(locale, outreach_form.date_and_time) input_type="datetime-local" width_class="input--medium"
                    error=field("occurred_at")
                    value=Signal::derive(move || draft.read().occurred_at.clone()) on_input=set(draft, |d, v| d.occurred_at = v)/>

                <Show when=knocks>
                    <div class="one-tap">
                        <p class="body">{td_string!(locale, outreach_form.one_tap)}</p>
                        <button type="button" class="button button--secondary" on:click=move |_| save(ContactOutcome::NoOneHome)>
                            {td_string!(locale, outreach_form.no_one_home)}
                        </button>
                        " "
                        <button type="button" class="button button--secondary" on:click=move |_| save(ContactOutcome::DeclinedToTalk)>
                            {td_string!(locale, outreach_form.declined_to_talk)}
                        </button>
                    </div>
                </Show>

                <ChoiceGroup name="issues" legend=td_string!(locale, outreach_form.issues_raised) hint=td_string!(locale, outreach_form.select_all) multiple=true error=field("issues")
                    options=list(reference, |r| r.themes.clone()) chosen=Signal::derive(move || draft.read().issues.clone())
                    on_toggle=toggle_in(draft, |d| &mut d.issues)/>
                <GuidanceAtHand draft reference/>
                <ChoiceGroup name="action" legend=td_string!(locale, outreach_form.what_was_done) error=field("action")
                    options=Signal::derive(move || {
                        // A partner organisation is offered when the organisation has some.
                        let partners = reference.read().as_ref().is_some_and(|r| !r.partners.is_empty());
                        let mut choices = vec![
                            ("no_action", td_string!(locale, outreach_form.action_none)),
                            ("resolved_on_the_spot", td_string!(locale, outreach_form.action_resolved)),
                            ("referred_to_service", td_string!(locale, outreach_form.action_service)),
                        ];
                        if partners {
                            choices.push(("referred_to_partner", td_string!(locale, outreach_form.action_partner)));
                        }
                        choices.push(("follow_up", td_string!(locale, outreach_form.action_follow_up)));
                        pairs(&choices)
                    })
                    chosen=Signal::derive(move || vec![draft.read().action.clone()]) on_toggle=choose(draft, |d, v| d.action = v)/>
                <Show when=move || action() == "referred_to_service">
                    <SelectField name="service_id" label=td_string!(locale, outreach_form.service_referred) error=field("service_id")
                        options=list(reference, |r| r.services.clone()) value=Signal::derive(move || draft.read().service_id.clone())
                        on_change=set(draft, |d, v| d.service_id = v) prompt=td_string!(locale, outreach_form.select_service)/>
                </Show>
                <Show when=move || action() == "referred_to_partner">
                    <SelectField name="partner_id" label=td_string!(locale, outreach_form.partner_referred) error=field("partner_id")
                        options=list(reference, |r| r.partners.clone()) value=Signal::derive(move || draft.read().partner_id.clone())
                        on_change=set(draft, |d, v| d.partner_id = v) prompt=td_string!(locale, outreach_form.select_partner)/>
                </Show>
                <Show when=move || action().starts_with("referred_to_")>
                    <TextArea name="asked" label=td_string!(locale, outreach_form.asked)
                        hint=td_string!(locale, outreach_form.asked_hint)
                        error=field("asked") value=Signal::derive(move || draft.read().asked.clone()) on_input=set(draft, |d, v| d.asked = v)/>
                </Show>
                <Show when=move || action() == "follow_up">
                    <SelectField name="owner_id" label=td_string!(locale, outreach_form.owner) hint=td_string!(locale, outreach_form.owner_hint)
                        error=field("owner_id") options=list(reference, |r| r.colleagues.clone())
                        value=Signal::derive(move || draft.read().owner_id.clone()) on_change=set(draft, |d, v| d.owner_id = v) prompt=td_string!(locale, outreach_form.select_colleague)/>
                    <BoundField name="due_on" label=td_string!(locale, outreach_form.follow_up_by) input_type="date" width_class="input--medium" error=field("due_on")
                        value=Signal::derive(move || draft.read().due_on.clone()) on_input=set(draft, |d, v| d.due_on = v)/>
                    <Commitments draft errors reference/>
                </Show>
                <ChoiceGroup name="felt_heard" legend=td_string!(locale, outreach_form.felt_heard) hint=td_string!(locale, outreach_form.felt_heard_hint)
                    inline=true error=field("felt_heard")
                    options=Signal::derive(move || {
                        pairs(&[("1", "1"), ("2", "2"), ("3", "3"), ("4", "4"), ("5", "5"), ("", td_string!(locale, outreach_form.not_asked))])
                    })
                    chosen=Signal::derive(move || vec![draft.read().felt_heard.clone()]) on_toggle=choose(draft, |d, v| d.felt_heard = v)/>
                <ChoiceGroup name="conversation_language" legend=td_string!(locale, outreach_form.conversation_language)
                    hint=td_string!(locale, outreach_form.conversation_language_hint) inline=true error=field("conversation_language")
                    options=Signal::derive(move || {
                        pairs(&[
                            ("en", td_string!(locale, outreach_form.spoken_english)),
                            ("cy", td_string!(locale, outreach_form.spoken_welsh)),
                            ("other", td_string!(locale, outreach_form.spoken_another)),
                            ("", td_string!(locale, outreach_form.not_recorded)),
                        ])
                    })
                    chosen=Signal::derive(move || vec![draft.read().conversation_language.clone()])
                    on_toggle=choose(draft, |d, v| d.conversation_language = v)/>
                <TextArea name="notes" label=td_string!(locale, outreach_form.notes) hint=td_string!(locale, outreach_form.notes_hint)
                    error=field("notes") value=Signal::derive(move || draft.read().notes.clone()) on_input=set(draft, |d, v| d.notes = v)/>

                <ResidentDetails draft errors/>
                <GettingInvolved draft errors reference/>

                <button type="submit" class="button">
                    {if editing {
                        td_string!(locale, outreach_form.save_corrected)
                    } else if is_event {
                        td_string!(locale, outreach_form.save_contact)
                    } else {
                        td_string!(locale, outreach_form.save_conversation)
                    }}
                </button>
            </fieldset>
        </form>
    }
}

/// Who the resident is and what they agree to (optional: details are kept only with an answer).
#[component]
fn ResidentDetails(draft: RwSignal<InteractionDraft>, errors: RwSignal<Option<AppError>>) -> impl IntoView {
    let locale = crate::language::page_locale();
    let field = move |name: &'static str| field_error(errors, name);
    view! {
        <details class="details" open=move || draft.read().has_resident()>
            <summary class="details__summary">{td_string!(locale, outreach_form.resident_details)}</summary>
            <div class="details__text">
                <BoundField name="resident_name" label=td_string!(locale, outreach_form.name) autocomplete="off" error=field("resident_name")
                    value=Signal::derive(move || draft.read().resident_name.clone()) on_input=set(draft, |d, v| d.resident_name = v)/>
                <BoundField name="resident_contact" label=td_string!(locale, outreach_form.phone_or_email) autocomplete="off" error=field("resident_contact")
                    value=Signal::derive(move || draft.read().resident_contact.clone()) on_input=set(draft, |d, v| d.resident_contact = v)/>
                <BoundField name="resident_language" label=td_string!(locale, outreach_form.preferred_language) hint=td_string!(locale, outreach_form.language_hint)
                    autocomplete="off" width_class="input--medium" error=field("resident_language")
                    value=Signal::derive(move || draft.read().resident_language.clone()) on_input=set(draft, |d, v| d.resident_language = v)/>
                <h2 class="heading-s" id="consents">{td_string!(locale, outreach_form.consent)}</h2>
                {move || field("consents").get().map(|m| view! {
                    <p class="error-message"><span class="visually-hidden">{td_string!(locale, outreach_form.error)}" "</span>{m}</p>
                })}
                <p class="hint">{td_string!(locale, outreach_form.consent_hint)}</p>
                {ConsentPurpose::ALL.into_iter().map(|purpose| {
                    let name: &'static str = match purpose {
                        ConsentPurpose::ContactAboutIssue => "consent_contact_about_issue",
                        ConsentPurpose::ConsultationInvitations => "consent_consultation_invitations",
                        ConsentPurpose::VolunteeringOpportunities => "consent_volunteering_opportunities",
                        ConsentPurpose::ShareWithReferredService => "consent_share_with_referred_service",
                    };
                    view! {
                        <ChoiceGroup name=name legend=purpose.wording_in(crate::language::choice::code(locale)) inline=true
                            options=Signal::derive(move || pairs(&[("yes", td_string!(locale, outreach_form.yes)), ("no", td_string!(locale, outreach_form.no))]))
                            chosen=Signal::derive(move || draft.read().consent(purpose).map(|a| vec![a.to_string()]).unwrap_or_default())
                            on_toggle=Callback::new(move |(v, on): (String, bool)| if on { draft.update(|d| d.set_consent(purpose, &v)) })/>
                    }
                }).collect_view()}
                <SelectField name="lawful_basis" label=td_string!(locale, outreach_form.lawful_basis) hint=td_string!(locale, outreach_form.lawful_basis_hint)
                    options=Signal::derive(move || {
                        pairs(&[
                            ("consent", td_string!(locale, outreach_form.basis_consent)),
                            ("public_task", td_string!(locale, outreach_form.basis_public_task)),
                            ("legitimate_interests", td_string!(locale, outreach_form.basis_legitimate_interests)),
                        ])
                    })
                    value=Signal::derive(move || draft.read().lawful_basis.clone()) on_change=set(draft, |d, v| d.lawful_basis = v)
                    prompt=td_string!(locale, outreach_form.select_lawful_basis)/>
            </div>
        </details>
    }
}

/// What the resident would like to help with, and the opportunities that match it.
#[component]
fn GettingInvolved(
    draft: RwSignal<InteractionDraft>,
    errors: RwSignal<Option<AppError>>,
    reference: Memo<Option<ReferenceData>>,
) -> impl IntoView {
    let locale = crate::language::page_locale();
    let field = move |name: &'static str| field_error(errors, name);
    view! {
        <details class="details" open=move || !draft.read().interests.is_empty()>
            <summary class="details__summary">{td_string!(locale, outreach_form.getting_involved)}</summary>
            <div class="details__text">
                <ChoiceGroup name="interests" legend=td_string!(locale, outreach_form.interests) hint=td_string!(locale, outreach_form.interests_hint) multiple=true error=field("interests")
                    options=list(reference, |r| r.interests.clone()) chosen=Signal::derive(move || draft.read().interests.clone())
                    on_toggle=toggle_in(draft, |d| &mut d.interests)/>
                <BoundField name="skills" label=td_string!(locale, outreach_form.skills) autocomplete="off" error=field("skills")
                    value=Signal::derive(move || draft.read().skills.clone()) on_input=set(draft, |d, v| d.skills = v)/>
                <BoundField name="availability" label=td_string!(locale, outreach_form.availability) hint=td_string!(locale, outreach_form.availability_hint)
                    autocomplete="off" error=field("availability")
                    value=Signal::derive(move || draft.read().availability.clone()) on_input=set(draft, |d, v| d.availability = v)/>
                <SelectField name="channel" label=td_string!(locale, outreach_form.best_way)
                    options=Signal::derive(move || {
                        pairs(&[
                            ("phone", td_string!(locale, outreach_form.channel_phone)),
                            ("text", td_string!(locale, outreach_form.channel_text)),
                            ("email", td_string!(locale, outreach_form.channel_email)),
                            ("post", td_string!(locale, outreach_form.channel_post)),
                            ("in_person", td_string!(locale, outreach_form.channel_in_person)),
                        ])
                    })
                    value=Signal::derive(move || draft.read().channel.clone()) on_change=set(draft, |d, v| d.channel = v)
                    prompt=td_string!(locale, outreach_form.not_said)/>
                <super::matches::DoorMatches draft reference/>
            </div>
        </details>
    }
}

/// The name for an id in one of the organisation's lists.
pub fn name_of(list: &[Named], id: &str) -> String {
    list.iter().find(|n| n.id == id).map(|n| n.name.clone()).unwrap_or_default()
}
