//! Community events: start one (offline too), then record quick contacts against it.

use super::form::InteractionForm;
use crate::api::Named;
use crate::components::forms::{BoundField, ErrorSummary, SelectField};
use crate::components::title::Title;
use crate::domain::outreach::{EventRecord, InteractionKind};

use crate::components::address_value;
use crate::error::AppError;
use crate::i18n::td_string;
use crate::offline::device::new_id;
use crate::offline::device::new_item;
use crate::offline::store::{self, keys};
use crate::offline::{clock, use_device, Device};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

/// Every event the worker can pick: the organisation's (cached) and this tablet's own.
fn all_events(device: &Device) -> Vec<Named> {
    let mut list: Vec<Named> = device.reference.get().map(|r| r.events).unwrap_or_default();
    for (id, e) in device.local_events() {
        if !list.iter().any(|n| n.id == id) {
            list.push(Named { id, name: format!("{} ({})", e.name, e.held_on) });
        }
    }
    list
}

#[component]
pub fn EventsPage() -> impl IntoView {
    let locale = crate::language::page_locale();
    let device = use_device();
    let name = RwSignal::new(String::new());
    let place = RwSignal::new(String::new());
    let held_on = RwSignal::new(String::new());
    let area_id = RwSignal::new(String::new());
    let errors = RwSignal::new(None::<AppError>);
    let navigate = use_navigate();
    Effect::new(move |_| {
        if device.ready.get() && held_on.get_untracked().is_empty() {
            held_on.set(clock::date_in_days(0));
        }
    });
    let events = Memo::new(move |_| {
        device.outbox.track();
        if device.ready.get() {
            all_events(&device)
        } else {
            vec![]
        }
    });
    let field = move |n: &'static str| Signal::derive(move || errors.get().and_then(|e| e.field_errors().and_then(|f| f.text(n))));
    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(reference) = device.reference.get_untracked() else { return };
        let record = EventRecord {
            name: name.get_untracked().trim().to_string(),
            place: place.get_untracked().trim().to_string(),
            area_id: Some(area_id.get_untracked()).filter(|a| !a.is_empty()),
            held_on: held_on.get_untracked(),
        };
        if let Err(e) = record.validate(&reference) {
            errors.set(Some(AppError::Invalid(e)));
            return;
        }
        let id = new_id();
        let Some(user) = device.user_id.get_untracked() else { return };
        let mut mine = device.local_events();
        mine.push((id.clone(), record.clone()));
        if let Err(e) = store::save(&keys::local_events(&user), &mine) {
            errors.set(Some(AppError::invalid("event_name", e.to_string())));
            return;
        }
        let item = new_item(id.clone(), crate::domain::sync::SyncKind::Event, None, &record);
        match device.enqueue(item) {
            Ok(()) => navigate(&format!("/outreach/events/{id}"), Default::default()),
            Err(message) => errors.set(Some(AppError::invalid("event_name", message))),
        }
    };
    view! {
        <Title text=td_string!(locale, events.title)/>
        <a href="/outreach" class="back-link">{td_string!(locale, events.back)}</a>
        <h1 class="heading-l">{td_string!(locale, events.title)}</h1>
        <noscript><p class="warning-text">{td_string!(locale, events.needs_javascript)}</p></noscript>
        <h2 class="heading-m">{td_string!(locale, events.choose)}</h2>
        {move || {
            let list = events.get();
            if list.is_empty() {
                view! { <p class="body">{td_string!(locale, events.none_yet)}</p> }.into_any()
            } else {
                view! {
                    <ul class="task-list">
                        {list.into_iter().map(|e| view! {
                            <li class="task-list__item"><a class="link task-list__link" href=format!("/outreach/events/{}", e.id)>{e.name}</a></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }
        }}
        <h2 class="heading-m">{td_string!(locale, events.start_heading)}</h2>
        <ErrorSummary error=errors first_field="event_name"/>
        <form class="form" novalidate on:submit=start>
            <fieldset class="fieldset" disabled=move || !device.ready.get() || device.reference.get().is_none()>
                <BoundField name="event_name" label=td_string!(locale, events.event_name) autocomplete="off" error=field("event_name")
                    value=name on_input=Callback::new(move |v| name.set(v))/>
                <BoundField name="place" label=td_string!(locale, events.place) autocomplete="off" error=field("place")
                    value=place on_input=Callback::new(move |v| place.set(v))/>
                <BoundField name="held_on" label=td_string!(locale, events.date) input_type="date" width_class="input--medium" error=field("held_on")
                    value=held_on on_input=Callback::new(move |v| held_on.set(v))/>
                <SelectField name="area_id" label=td_string!(locale, events.area) error=field("area_id")
                    options=Signal::derive(move || device.reference.get().map(|r| r.areas.into_iter().map(|n| (n.id, n.name)).collect()).unwrap_or_default())
                    value=area_id on_change=Callback::new(move |v| area_id.set(v)) prompt=td_string!(locale, events.no_area)/>
                <button type="submit" class="button">{td_string!(locale, events.start)}</button>
            </fieldset>
        </form>
    }
}

#[component]
pub fn EventPage() -> impl IntoView {
    let locale = crate::language::page_locale();
    let device = use_device();
    let params = use_params_map();
    let id = move || address_value(params, "id").unwrap_or_default();
    let title = Memo::new(move |_| {
        let id = id();
        device.outbox.track();
        if !device.ready.get() {
            return String::new();
        }
        all_events(&device).into_iter().find(|e| e.id == id).map(|e| e.name).unwrap_or_else(|| td_string!(locale, events.event).into())
    });
    let recorded_here = Memo::new(move |_| {
        let id = id();
        device
            .outbox
            .get()
            .entries
            .iter()
            .filter(|e| {
                e.item.is(crate::domain::sync::SyncKind::Interaction)
                    && e.item.payload.get("event_id").and_then(|v| v.as_str()) == Some(id.as_str())
            })
            .count()
    });
    view! {
        <Title text=td_string!(locale, events.contacts_title)/>
        <a href="/outreach/events" class="back-link">{td_string!(locale, events.all)}</a>
        <span class="caption">{td_string!(locale, events.caption)}</span>
        <h1 class="heading-l">{move || title.get()}</h1>
        <p class="body" role="status">{move || match recorded_here.get() {
            0 => td_string!(locale, events.none_waiting).to_string(),
            n => td_string!(locale, events.waiting, count = n),
        }}</p>
        {move || {
            let id = id();
            view! { <InteractionForm kind=InteractionKind::Event event_id=id.clone() draft_name=format!("event-{id}")/> }
        }}
    }
}
