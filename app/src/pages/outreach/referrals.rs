//! "Referrals you are chasing", on My follow-ups: each referral the worker made, where it stands
//! and every step since. The worker records each chase, and the answers of the organisation's own
//! services, on the tablet (sync kind `referral_step`), offline like everything else; a partner
//! organisation answers on its own page.

use crate::components::forms::{field_errors, ErrorSummary, Radios, TextArea};
use crate::domain::referral::{after, check_note, Recipient, ReferralStatus, Step, StepRecord, Taker};
use crate::domain::sync::SyncKind;
use crate::error::AppError;
use crate::i18n::td_string;
use crate::language::names::HasName;
use crate::offline::device::new_id;
use crate::offline::device::new_item;
use crate::offline::{clock, use_device};
use crate::pages::referrals::{status_tag, StepList};
use crate::types::referrals::ReferralView;
use leptos::prelude::*;

/// The worker's referrals, waiting ones first. `open` is the page's one open form.
#[component]
pub fn ReferralList(open: RwSignal<Option<String>>) -> impl IntoView {
    let locale = crate::language::page_locale();
    let device = use_device();
    view! {
        {move || {
            let list = device.referrals.get();
            (device.ready.get() && !list.is_empty()).then(|| view! {
                <h2 class="heading-m" id="referrals-heading">{td_string!(locale, outreach_referrals.heading)}</h2>
                <p class="body">{td_string!(locale, outreach_referrals.intro)}</p>
                <ul class="card-list" aria-labelledby="referrals-heading">
                    {list.into_iter().map(|r| view! { <ReferralCard referral=r open/> }).collect_view()}
                </ul>
            })
        }}
    }
}

#[component]
fn ReferralCard(referral: ReferralView, open: RwSignal<Option<String>>) -> impl IntoView {
    let locale = crate::language::page_locale();
    let device = use_device();
    let key = format!("referral:{}", referral.id);
    let r = StoredValue::new(referral.clone());
    let step = RwSignal::new(None::<String>);
    let note = RwSignal::new(String::new());
    let errors = RwSignal::new(None::<AppError>);
    let field_errors_of = Memo::new(move |_| field_errors(&errors.get()));
    // Steps recorded on this tablet that have not reached the server yet.
    let waiting = Memo::new(move |_| {
        device
            .outbox
            .get()
            .entries
            .iter()
            .filter(|e| e.item.is(SyncKind::ReferralStep))
            .filter_map(|e| serde_json::from_value::<StepRecord>(e.item.payload.clone()).ok())
            .filter(|s| s.referral_id == r.read_value().id)
            .map(|s| s.step.name(locale).to_lowercase())
            .collect::<Vec<_>>()
    });
    let recipient = if referral.to_partner { Recipient::Partner } else { Recipient::Service };
    // The steps the worker can record now: a chase always; for our own services, what they said.
    let choices: Vec<(String, String)> = Step::ALL
        .into_iter()
        .filter(|s| after(referral.status, *s, Taker::Owner, recipient).is_ok())
        .map(|s| {
            let label = match s {
                Step::Chased => td_string!(locale, outreach_referrals.i_chased).to_string(),
                Step::Accepted => td_string!(locale, outreach_referrals.they_accepted, name = referral.to_name.clone()),
                Step::Answered => td_string!(locale, outreach_referrals.they_answered, name = referral.to_name.clone()),
                Step::Declined => td_string!(locale, outreach_referrals.they_declined, name = referral.to_name.clone()),
            };
            (s.as_str().to_string(), label)
        })
        .collect();
    let (step_field, note_field) = (format!("step-{}", referral.id), format!("note-{}", referral.id));
    let save = {
        let (step_field, note_field) = (step_field.clone(), note_field.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let mut problems = crate::domain::FieldErrors::new();
            let chosen = step.get_untracked().as_deref().and_then(Step::parse);
            let Some(chosen) = chosen else {
                problems.add(&step_field, td_string!(locale, outreach_referrals.select_step));
                errors.set(Some(AppError::Invalid(problems)));
                return;
            };
            let text = note.get_untracked().trim().to_string();
            let mut note_problems = crate::domain::FieldErrors::new();
            check_note(chosen, &text, &mut note_problems);
            if let Some(p) = note_problems.iter().next() {
                problems.add(&note_field, p.message.clone());
                errors.set(Some(AppError::Invalid(problems)));
                return;
            }
            let record = StepRecord { referral_id: r.read_value().id.clone(), step: chosen, note: text };
            let item = new_item(new_id(), SyncKind::ReferralStep, None, &record);
            match device.enqueue(item) {
                Ok(()) => {
                    errors.set(None);
                    open.set(None);
                    step.set(None);
                    note.set(String::new());
                }
                Err(message) => errors.set(Some(AppError::invalid(&step_field, message))),
            }
        }
    };
    let heading = format!("ref-{}", referral.id);
    let about =
        if referral.issues.is_empty() { td_string!(locale, outreach_referrals.referral).to_string() } else { referral.issues.join(", ") };
    let title = td_string!(locale, outreach_referrals.card_title, about = about, name = referral.to_name.clone());
    let closed = referral.status.is_closed();
    let choices = StoredValue::new(choices);
    let (key, form_step, form_note) = (StoredValue::new(key), StoredValue::new(step_field), StoredValue::new(note_field));
    view! {
        <li class="card" aria-labelledby=heading.clone()>
            <h3 class="heading-s" id=heading.clone()>{title}</h3>
            <p class="body"><strong class=status_tag(referral.status)>{referral.status.name(locale)}</strong>
                " " {td_string!(locale, outreach_referrals.sent, date = clock::show(referral.sent_at))} " · " {referral.area_name.clone()}</p>
            {referral.resident_name.clone().map(|n| view! { <p class="body">{td_string!(locale, outreach_referrals.resident)} " " {n}</p> })}
            {(!referral.asked.is_empty()).then(|| view! { <p class="body prewrap">{td_string!(locale, outreach_referrals.asked)} " " {referral.asked.clone()}</p> })}
            {(!referral.answer.is_empty()).then(|| {
                let what = if referral.status == ReferralStatus::Declined {
                    td_string!(locale, outreach_referrals.why_declined)
                } else {
                    td_string!(locale, outreach_referrals.answer)
                };
                view! { <p class="body prewrap"><strong>{what}" "</strong>{referral.answer.clone()}</p> }
            })}
            <StepList steps=referral.steps.clone()/>
            {referral.to_partner.then(|| view! {
                <p class="hint">{td_string!(locale, outreach_referrals.partner_answers, name = referral.to_name.clone())}</p>
            })}
            {move || {
                let w = waiting.get();
                (!w.is_empty()).then(|| view! { <p class="body"><strong class="tag">{td_string!(locale, outreach_referrals.waiting)}</strong> " " {w.join("; ")}</p> })
            }}
            {move || {
                if closed {
                    return ().into_any();
                }
                if open.get().as_deref() == Some(key.read_value().as_str()) {
                    let (step_name, note_name) = (form_step.get_value(), form_note.get_value());
                    view! {
                        <ErrorSummary error=errors first_field=step_name.clone()/>
                        <form class="form" novalidate on:submit=save.clone()>
                            <Radios name=step_name legend=td_string!(locale, outreach_referrals.legend) errors=field_errors_of bind=step choices=choices.get_value()/>
                            {move || {
                                let chosen = step.get().as_deref().and_then(Step::parse).unwrap_or(Step::Chased);
                                let name = note_name.clone();
                                let error = Signal::derive(move || field_errors_of.read().text(&name));
                                view! {
                                    <TextArea name="note" id=note_name.clone() label=chosen.note_label() error
                                        value=note on_input=Callback::new(move |v| note.set(v))/>
                                }
                            }}
                            <button type="submit" class="button">{td_string!(locale, outreach_referrals.save)}</button>
                            " "
                            <button type="button" class="button button--secondary" on:click=move |_| open.set(None)>{td_string!(locale, outreach_referrals.cancel)}</button>
                        </form>
                    }.into_any()
                } else {
                    view! {
                        <button type="button" class="button button--secondary" on:click=move |_| open.set(Some(key.get_value()))>
                            {td_string!(locale, outreach_referrals.record_step)}<span class="visually-hidden">{format!(": {}", r.read_value().to_name)}</span>
                        </button>
                    }.into_any()
                }
            }}
        </li>
    }
}
