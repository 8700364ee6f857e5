//! Adding to what was agreed after the visit: on a follow-up's card, a "we will…" or "you
//! can…" agreed later (on the phone, at a second visit). Kept in the outbox like every record,
//! shown on the card as waiting until it syncs; offline too.

use super::commitments::{described, field_error, ServiceChoice};
use crate::api::FollowUpView;
use crate::components::forms::{field_errors, focus_when_shown, ErrorSummary, Radios};
use crate::domain::commitment::{Commitment, CommitmentAdded, Side};
use crate::domain::sync::SyncKind;
use crate::domain::FieldErrors;
use crate::error::AppError;
use crate::i18n::td_string;
use crate::language::names::HasName;
use crate::offline::device::new_item;
use crate::offline::device::{device_now, new_id};
use crate::offline::use_device;
use leptos::prelude::*;

/// The additions to follow-up `id` waiting on the tablet or being sent: ("We will", what). (One
/// the server set aside is listed with the others that need attention.)
pub fn waiting_additions(outbox: &crate::domain::outbox::Outbox, id: &str) -> Vec<(&'static str, String)> {
    outbox
        .entries
        .iter()
        .filter(|e| e.item.is(SyncKind::CommitmentAdded) && !matches!(e.state, crate::domain::outbox::EntryState::NeedsAttention { .. }))
        .filter_map(|e| serde_json::from_value::<CommitmentAdded>(e.item.payload.clone()).ok())
        .filter(|a| a.follow_up_id == id)
        .map(|a| (a.commitment.side.name(crate::language::page_locale()), a.commitment.text))
        .collect()
}

/// The card's own name for a problem the domain names as a conversation's first commitment's
/// (`commitment-1-text` on card `x` is `add-x-text`).
fn on_card(card: &str, problems: FieldErrors) -> FieldErrors {
    let mut named = FieldErrors::new();
    for e in problems.iter() {
        let part = e.field.strip_prefix("commitment-1-").unwrap_or(&e.field);
        named.add(&format!("add-{card}-{part}"), e.message.clone());
    }
    named
}

#[component]
pub fn AddCommitment(follow_up: FollowUpView) -> impl IntoView {
    let locale = crate::language::page_locale();
    let device = use_device();
    let card = StoredValue::new(follow_up.id.clone());
    let resident = StoredValue::new(follow_up.resident_id.clone());
    let open = RwSignal::new(false);
    let side = RwSignal::new(None::<String>);
    let text = RwSignal::new(String::new());
    // "We will" starts as the follow-up's: its owner, by its date.
    let (owner_start, due_start) = (follow_up.owner_id.clone(), follow_up.due_on.clone());
    let owner = RwSignal::new(owner_start.clone());
    let due = RwSignal::new(due_start.clone());
    let service = RwSignal::new(String::new());
    let errors = RwSignal::new(None::<AppError>);
    let all_errors = Memo::new(move |_| field_errors(&errors.get()));
    let error = move |part: &'static str| Signal::derive(move || all_errors.read().text(&format!("add-{}-{part}", card.read_value())));
    let waiting = Memo::new(move |_| waiting_additions(&device.outbox.read(), &card.read_value()));
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = card.get_value();
        let Some(chosen) = side.get_untracked().as_deref().and_then(Side::parse) else {
            let mut problems = FieldErrors::new();
            problems.add(&format!("add-{id}-side"), td_string!(locale, add_commitment.select_side));
            errors.set(Some(AppError::Invalid(problems)));
            return;
        };
        let we = chosen == Side::We;
        let added = CommitmentAdded {
            follow_up_id: id.clone(),
            commitment: Commitment {
                side: chosen,
                text: text.get_untracked().trim().to_string(),
                owner_id: we.then(|| owner.get_untracked()).filter(|o| !o.is_empty()),
                due_on: Some(due.get_untracked().trim().to_string()).filter(|d| !d.is_empty() && we),
                service_id: Some(service.get_untracked()).filter(|s| !s.is_empty()),
            },
            resident_id: resident.get_value(),
        };
        let reference = device.reference.get_untracked().unwrap_or_default();
        if let Err(problems) = added.validate(device_now(), &reference) {
            errors.set(Some(AppError::Invalid(on_card(&id, problems))));
            return;
        }
        let item = new_item(new_id(), SyncKind::CommitmentAdded, None, &added);
        match device.enqueue(item) {
            Ok(()) => {
                errors.set(None);
                open.set(false);
                focus_when_shown(format!("add-{id}-open"));
                side.set(None);
                text.set(String::new());
                owner.set(owner_start.clone());
                due.set(due_start.clone());
                service.set(String::new());
            }
            Err(message) => errors.set(Some(AppError::invalid(&format!("add-{id}-text"), message))),
        }
    };
    let colleagues = move || device.reference.get().map(|r| r.colleagues).unwrap_or_default();
    let services = Signal::derive(move || device.reference.get().map(|r| r.services).unwrap_or_default());
    view! {
        {move || {
            let w = waiting.get();
            (!w.is_empty()).then(|| view! {
                <ul class="commitment-list">
                    {w.into_iter().map(|(label, what)| view! {
                        <li><strong class="tag">{td_string!(locale, add_commitment.waiting)}</strong> " " <strong>{label}</strong> " " {what}</li>
                    }).collect_view()}
                </ul>
            })
        }}
        {move || if open.get() {
            let c = card.get_value();
            let (side_name, text_id, owner_id, due_id) = (format!("add-{c}-side"), format!("add-{c}-text"), format!("add-{c}-owner_id"), format!("add-{c}-due_on"));
            let (text_error, owner_error, due_error, service_error) = (error("text"), error("owner_id"), error("due_on"), error("service_id"));
            let service_id = format!("add-{c}-service_id");
            let we = move || side.get().as_deref() == Some(Side::We.as_str());
            view! {
                <ErrorSummary error=errors first_field=side_name.clone()/>
                <form class="form" novalidate on:submit=save.clone()>
                    <Radios name=side_name legend=td_string!(locale, add_commitment.legend) errors=all_errors bind=side
                        choices=vec![
                            (Side::We.as_str().to_string(), td_string!(locale, add_commitment.we_will).to_string()),
                            (Side::You.as_str().to_string(), td_string!(locale, add_commitment.you_can).to_string()),
                        ]/>
                    <div class="form-group" class:form-group--error=move || text_error.get().is_some()>
                        <label class="label" for=text_id.clone()>{td_string!(locale, add_commitment.what)}</label>
                        {field_error(text_id.clone(), text_error)}
                        <input class="input" class:input--error=move || text_error.get().is_some() id=text_id.clone() name=text_id.clone()
                            autocomplete="off" aria-describedby=described(&text_id, text_error)
                            prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))/>
                    </div>
                    <Show when=we>
                        <div class="form-group" class:form-group--error=move || owner_error.get().is_some()>
                            <label class="label" for=owner_id.clone()>{td_string!(locale, add_commitment.who)}</label>
                            {field_error(owner_id.clone(), owner_error)}
                            <select class="select" class:input--error=move || owner_error.get().is_some() id=owner_id.clone() name=owner_id.clone()
                                aria-describedby=described(&owner_id, owner_error) prop:value=move || owner.get()
                                on:change=move |ev| owner.set(event_target_value(&ev))>
                                <option value="">{td_string!(locale, add_commitment.select_colleague)}</option>
                                {move || colleagues().into_iter().map(|n| {
                                    let selected = owner.get_untracked() == n.id;
                                    view! { <option value=n.id selected=selected>{n.name}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="form-group" class:form-group--error=move || due_error.get().is_some()>
                            <label class="label" for=due_id.clone()>{td_string!(locale, add_commitment.by_when)}</label>
                            {field_error(due_id.clone(), due_error)}
                            <input class="input input--medium" class:input--error=move || due_error.get().is_some() type="date" id=due_id.clone()
                                name=due_id.clone() aria-describedby=described(&due_id, due_error)
                                prop:value=move || due.get() on:input=move |ev| due.set(event_target_value(&ev))/>
                        </div>
                    </Show>
                    {move || view! {
                        <ServiceChoice id=service_id.clone() we=we() error=service_error services chosen=service.into() set=Callback::new(move |v| service.set(v))/>
                    }}
                    <button type="submit" class="button">{td_string!(locale, add_commitment.add)}</button>
                    " "
                    <button type="button" class="button button--secondary" on:click=move |_| {
                        open.set(false);
                        focus_when_shown(format!("add-{}-open", card.read_value()));
                    }>{td_string!(locale, add_commitment.cancel)}</button>
                </form>
            }.into_any()
        } else {
            view! {
                <button type="button" class="button button--secondary" id=format!("add-{}-open", card.read_value()) on:click=move |_| {
                    // By the follow-up's date, or today if that has passed.
                    let today = crate::offline::clock::date_in_days(0);
                    if due.get_untracked() < today {
                        due.set(today);
                    }
                    open.set(true);
                    focus_when_shown(format!("add-{}-side", card.read_value()));
                }>
                    {td_string!(locale, add_commitment.open)}
                </button>
            }.into_any()
        }}
    }
}
