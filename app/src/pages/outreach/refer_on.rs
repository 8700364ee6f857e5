//! Referring on after the visit: on a follow-up's card, the worker who stays the resident's point
//! of contact sends their issue to one of the organisation's services or to a partner
//! organisation (sync kind `referral_made`). Kept in the outbox like every record, shown on the
//! card as waiting until it syncs; offline too. Once stored it is chased and answered like any
//! referral, in "Referrals I made".

use super::commitments::{described, field_error};
use crate::api::FollowUpView;
use crate::components::forms::{field_errors, focus_when_shown, ErrorSummary, Radios};
use crate::domain::referral::{ReferralMade, MAX_ASKED_LEN};
use crate::domain::sync::SyncKind;
use crate::domain::FieldErrors;
use crate::error::AppError;
use crate::i18n::{td_string, Locale};
use crate::offline::device::{new_id, new_item};
use crate::offline::use_device;
use crate::types::Named;
use leptos::prelude::*;

/// Where a referral goes: one of the organisation's services, or a partner.
const SERVICE: &str = "service";
const PARTNER: &str = "partner";

/// The referrals from follow-up `id` waiting on the tablet or being sent, by whom they go to.
/// (One the server set aside is listed with the others that need attention.)
pub fn waiting_referrals(outbox: &crate::domain::outbox::Outbox, id: &str, reference: Option<&crate::api::ReferenceData>) -> Vec<String> {
    outbox
        .entries
        .iter()
        .filter(|e| e.item.is(SyncKind::ReferralMade) && !matches!(e.state, crate::domain::outbox::EntryState::NeedsAttention { .. }))
        .filter_map(|e| serde_json::from_value::<ReferralMade>(e.item.payload.clone()).ok())
        .filter(|r| r.follow_up_id == id)
        .map(|r| recipient_name(&r, reference))
        .collect()
}

/// The name of the service or partner a referral goes to, as the tablet's lists have it.
pub fn recipient_name(r: &ReferralMade, reference: Option<&crate::api::ReferenceData>) -> String {
    let find = |list: Option<&Vec<Named>>, id: &str| list.and_then(|l| l.iter().find(|n| n.id == id)).map(|n| n.name.clone());
    match (&r.service_id, &r.partner_id) {
        (Some(id), _) => find(reference.map(|x| &x.services), id),
        (_, Some(id)) => find(reference.map(|x| &x.partners), id),
        _ => None,
    }
    .unwrap_or_else(|| td_string!(crate::language::page_locale(), refer_on.a_service).to_string())
}

/// The card's own name for a field the domain names (`service_id` on card `x` is
/// `refer-x-service_id`).
fn on_card(card: &str, problems: FieldErrors) -> FieldErrors {
    let mut named = FieldErrors::new();
    for e in problems.iter() {
        named.add(&format!("refer-{card}-{}", e.field), e.message.clone());
    }
    named
}

/// The problems as the form asks: with nothing chosen, where it goes; with a service (or
/// partner) chosen but not which, the list left empty.
fn as_asked(problems: FieldErrors, chosen: Option<&str>, locale: Locale) -> FieldErrors {
    let mut out = FieldErrors::new();
    for e in problems.iter() {
        match (e.field.as_str(), chosen) {
            ("to" | "service_id" | "partner_id", None) => {
                if out.iter().all(|o| o.field != "to") {
                    out.add("to", td_string!(locale, refer_on.choose_where));
                }
            }
            ("to", Some(SERVICE)) => out.add("service_id", td_string!(locale, refer_on.select_service_error)),
            ("to", Some(_)) => out.add("partner_id", td_string!(locale, refer_on.select_partner_error)),
            _ => out.add(&e.field, e.message.clone()),
        }
    }
    out
}

#[component]
pub fn ReferOn(follow_up: FollowUpView) -> impl IntoView {
    let locale = crate::language::page_locale();
    let device = use_device();
    let card = StoredValue::new(follow_up.id.clone());
    let resident = StoredValue::new(follow_up.resident_id.clone());
    // What the follow-up is about, for the button's name (every card has one).
    let about = StoredValue::new(if follow_up.issues.is_empty() {
        td_string!(locale, refer_on.follow_up).to_string()
    } else {
        follow_up.issues.join(", ")
    });
    let open = RwSignal::new(false);
    let to = RwSignal::new(None::<String>);
    let service = RwSignal::new(String::new());
    let partner = RwSignal::new(String::new());
    let asked = RwSignal::new(String::new());
    let errors = RwSignal::new(None::<AppError>);
    let all_errors = Memo::new(move |_| field_errors(&errors.get()));
    let error = move |part: &'static str| Signal::derive(move || all_errors.read().text(&format!("refer-{}-{part}", card.read_value())));
    let waiting = Memo::new(move |_| waiting_referrals(&device.outbox.read(), &card.read_value(), device.reference.read().as_ref()));
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = card.get_value();
        let chosen = to.get_untracked();
        let pick = |which: &str, value: RwSignal<String>| {
            Some(value.get_untracked()).filter(|v| chosen.as_deref() == Some(which) && !v.is_empty())
        };
        let made = ReferralMade {
            follow_up_id: id.clone(),
            service_id: pick(SERVICE, service),
            partner_id: pick(PARTNER, partner),
            asked: asked.get_untracked().trim().to_string(),
            resident_id: resident.get_value(),
        };
        let reference = device.reference.get_untracked().unwrap_or_default();
        if let Err(problems) = made.validate(&reference) {
            errors.set(Some(AppError::Invalid(on_card(&id, as_asked(problems, chosen.as_deref(), locale)))));
            return;
        }
        let item = new_item(new_id(), SyncKind::ReferralMade, None, &made);
        match device.enqueue(item) {
            Ok(()) => {
                errors.set(None);
                open.set(false);
                focus_when_shown(format!("refer-{id}-open"));
                to.set(None);
                service.set(String::new());
                partner.set(String::new());
                asked.set(String::new());
            }
            Err(message) => errors.set(Some(AppError::invalid(&format!("refer-{id}-asked"), message))),
        }
    };
    let list = move |of: fn(&crate::api::ReferenceData) -> Vec<Named>| {
        Signal::derive(move || device.reference.read().as_ref().map(of).unwrap_or_default())
    };
    let (services, partners) = (list(|r| r.services.clone()), list(|r| r.partners.clone()));
    // Whether there is anyone to refer to: changes only when a list empties or fills, so a
    // refreshed list does not rebuild an open form under the worker's fingers.
    let (has_services, has_partners) = (Memo::new(move |_| !services.read().is_empty()), Memo::new(move |_| !partners.read().is_empty()));
    let opener = move || format!("refer-{}-open", card.read_value());
    view! {
        {move || {
            let w = waiting.get();
            (!w.is_empty()).then(|| view! {
                <ul class="commitment-list">
                    {w.into_iter().map(|name| view! {
                        <li><strong class="tag">{td_string!(locale, refer_on.waiting)}</strong> " " {td_string!(locale, refer_on.referral_to, name = name)}</li>
                    }).collect_view()}
                </ul>
            })
        }}
        {move || if open.get() {
            let c = card.get_value();
            let to_name = format!("refer-{c}-to");
            let mut choices = Vec::new();
            if has_services.get() {
                choices.push((SERVICE.to_string(), td_string!(locale, refer_on.to_service).to_string()));
            }
            if has_partners.get() {
                choices.push((PARTNER.to_string(), td_string!(locale, refer_on.to_partner).to_string()));
            }
            let asked_id = format!("refer-{c}-asked");
            let (service_id, partner_id) = (format!("refer-{c}-service_id"), format!("refer-{c}-partner_id"));
            let asked_error = error("asked");
            view! {
                <ErrorSummary error=errors first_field=to_name.clone()/>
                <form class="form" novalidate on:submit=send>
                    <Radios name=to_name legend=td_string!(locale, refer_on.legend) errors=all_errors bind=to choices/>
                    <Show when=move || to.get().as_deref() == Some(SERVICE)>
                        <Recipient id=service_id.clone() label=td_string!(locale, refer_on.which_service) prompt=td_string!(locale, refer_on.select_service)
                            error=error("service_id") options=services chosen=service/>
                    </Show>
                    <Show when=move || to.get().as_deref() == Some(PARTNER)>
                        <Recipient id=partner_id.clone() label=td_string!(locale, refer_on.which_partner) prompt=td_string!(locale, refer_on.select_partner)
                            error=error("partner_id") options=partners chosen=partner/>
                    </Show>
                    <div class="form-group" class:form-group--error=move || asked_error.get().is_some()>
                        <label class="label" for=asked_id.clone()>{td_string!(locale, refer_on.asked)}</label>
                        <div class="hint" id=format!("{asked_id}-hint")>
                            {td_string!(locale, refer_on.asked_hint, limit = MAX_ASKED_LEN)}
                        </div>
                        {field_error(asked_id.clone(), asked_error)}
                        <textarea class="textarea" class:input--error=move || asked_error.get().is_some() id=asked_id.clone() name=asked_id.clone()
                            rows="3" aria-describedby={
                                let (hint, error_id) = (format!("{asked_id}-hint"), described(&asked_id, asked_error));
                                move || [Some(hint.clone()), error_id()].into_iter().flatten().collect::<Vec<_>>().join(" ")
                            }
                            prop:value=move || asked.get() on:input=move |ev| asked.set(event_target_value(&ev))></textarea>
                    </div>
                    <button type="submit" class="button">{td_string!(locale, refer_on.send)}</button>
                    " "
                    <button type="button" class="button button--secondary" on:click=move |_| {
                        open.set(false);
                        focus_when_shown(opener());
                    }>{td_string!(locale, refer_on.cancel)}</button>
                </form>
            }.into_any()
        } else if !has_services.get() && !has_partners.get() {
            view! { <p class="hint">{td_string!(locale, refer_on.nobody_to_refer_to)}</p> }.into_any()
        } else {
            view! {
                <button type="button" class="button button--secondary" id=opener() on:click=move |_| {
                    open.set(true);
                    focus_when_shown(format!("refer-{}-to", card.read_value()));
                }>
                    {td_string!(locale, refer_on.open)}<span class="visually-hidden">{format!(": {}", about.get_value())}</span>
                </button>
            }.into_any()
        }}
    }
}

/// The service (or partner) a referral goes to.
#[component]
fn Recipient(
    id: String,
    label: &'static str,
    prompt: &'static str,
    error: Signal<Option<String>>,
    options: Signal<Vec<Named>>,
    chosen: RwSignal<String>,
) -> impl IntoView {
    view! {
        <div class="form-group" class:form-group--error=move || error.get().is_some()>
            <label class="label" for=id.clone()>{label}</label>
            {field_error(id.clone(), error)}
            <select class="select" class:input--error=move || error.get().is_some() id=id.clone() name=id.clone()
                aria-describedby=described(&id, error) prop:value=move || chosen.get() on:change=move |ev| chosen.set(event_target_value(&ev))>
                <option value="">{prompt}</option>
                {move || options.get().into_iter().map(|n| {
                    let selected = chosen.get_untracked() == n.id;
                    view! { <option value=n.id selected=selected>{n.name}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}
