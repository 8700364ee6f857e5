//! `/outreach`: the worker's starting point in the field, online or not.

pub mod add_commitment;
pub mod commitments;
pub mod consult;
pub mod draft;
pub mod events;
pub mod follow_ups;
pub mod form;
pub mod matches;
mod refer_on;
mod referrals;

use crate::api::outreach::my_interactions;
use crate::components::address_value;
use crate::components::title::Title;
use crate::domain::outbox::EntryState;
use crate::domain::outreach::InteractionKind;
use crate::i18n::{td_string, Locale};
use crate::offline::{clock, use_device};
use form::InteractionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The outreach pages are for staff who do outreach: anyone else (not signed in, a resident, a
/// group organiser) gets the same refusal as on other staff pages, with its status code. Offline,
/// the profile saved at the last check stands in (see `app::current_user`), so a worker's tablet
/// opens these pages with no signal.
#[component]
pub fn OutreachOnly(children: ChildrenFn) -> impl IntoView {
    use crate::components::status::PageProblem;
    use crate::error::AppError;
    let locale = crate::language::page_locale();
    let session = crate::session::use_session();
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=move || view! { <p class="body">{td_string!(locale, outreach.loading)}</p> }>
            {move || Suspend::new(async move {
                match session.user.await {
                    Ok(Some(user)) if user.role.can_do_outreach() => children.with_value(|c| c()).into_any(),
                    Ok(Some(_)) => view! { <Title text=td_string!(locale, outreach.title)/><PageProblem error=AppError::Forbidden/> }.into_any(),
                    Ok(None) => view! { <Title text=td_string!(locale, outreach.sign_in_title)/><PageProblem error=AppError::Unauthenticated/> }.into_any(),
                    Err(error) => view! { <Title text=td_string!(locale, outreach.title)/><PageProblem error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// "Offline — 3 interactions waiting to sync", and a button to sync now.
#[component]
pub fn SyncStatus() -> impl IntoView {
    let locale = crate::language::page_locale();
    let device = use_device();
    let text = move || {
        if !device.ready.get() {
            return td_string!(locale, outreach.checking_tablet).to_string();
        }
        let outbox = device.outbox.get();
        let waiting = outbox.pending() - outbox.needs_attention();
        let state = if device.online.get() { td_string!(locale, outreach.online) } else { td_string!(locale, outreach.offline) };
        match (waiting, outbox.needs_attention()) {
            (0, 0) => td_string!(locale, outreach.all_sent, state = state),
            (w, 0) => td_string!(locale, outreach.waiting, count = w, state = state),
            (w, a) => td_string!(
                locale,
                outreach.waiting_and_attention,
                waiting = td_string!(locale, outreach.waiting, count = w, state = state),
                attention = td_string!(locale, outreach.attention, count = a)
            ),
        }
    };
    view! {
        <div class="sync-status" class:sync-status--offline=move || !device.online.get()>
            <p class="sync-status__text" role="status" data-testid="sync-status">{text}</p>
            {move || device.last_sync.get().map(|t| view! { <p class="hint">{td_string!(locale, outreach.last_sent, time = clock::show(t))}</p> })}
            {move || device.problem.get().map(|p| view! { <p class="sync-status__problem">{p}</p> })}
            <button type="button" class="button button--secondary button--small"
                disabled=move || !device.ready.get() || device.syncing.get()
                on:click=move |_| device.sync_now()>
                {move || if device.syncing.get() { td_string!(locale, outreach.syncing) } else { td_string!(locale, outreach.sync_now) }}
            </button>
        </div>
    }
}

#[component]
pub fn OutreachPage() -> impl IntoView {
    let locale = crate::language::page_locale();
    let device = use_device();
    // What the server holds: fetched again after every sync that changed something.
    let mounted = RwSignal::new(false);
    Effect::new(move |_| mounted.set(true));
    let held = LocalResource::new(move || {
        device.last_sync.track();
        crate::offline::deadline::within(crate::offline::deadline::LISTS_MS, my_interactions())
    });
    view! {
        <Title text=td_string!(locale, outreach.title)/>
        <h1 class="heading-l">{td_string!(locale, outreach.title)}</h1>
        <SyncStatus/>
        <ul class="task-list">
            <li class="task-list__item"><a class="link task-list__link" href="/outreach/doorstep">{td_string!(locale, outreach.record_doorstep)}</a></li>
            <li class="task-list__item"><a class="link task-list__link" href="/outreach/conversation">{td_string!(locale, outreach.record_conversation)}</a></li>
            <li class="task-list__item"><a class="link task-list__link" href="/outreach/events">{td_string!(locale, outreach.community_events)}</a></li>
            <li class="task-list__item"><a class="link task-list__link" href="/outreach/follow-ups">{td_string!(locale, outreach.my_follow_ups)}</a></li>
            <li class="task-list__item"><a class="link task-list__link" href="/outreach/consultations">{td_string!(locale, outreach.take_part)}</a></li>
        </ul>
        <h2 class="heading-m">{td_string!(locale, outreach.on_this_tablet)}</h2>
        <PendingList/>
        <h2 class="heading-m">{td_string!(locale, outreach.sent)}</h2>
        // What the server holds is asked for by the browser only, once the page is running: the
        // server cannot know it while rendering, and the answer (an instant failure when offline)
        // must not arrive while the page is still being hydrated.
        {move || if !mounted.get() {
            view! { <p class="body">{td_string!(locale, outreach.checking_server)}</p> }.into_any()
        } else { view! {
        <Transition fallback=move || view! { <p class="body">{td_string!(locale, outreach.checking_server)}</p> }>
            {move || Suspend::new(async move {
                match held.await {
                    Ok(h) => view! {
                        <p class="body" data-testid="held-count">
                            {td_string!(locale, outreach.held, count = h.total)}
                        </p>
                    }.into_any(),
                    Err(_) => view! { <p class="body">{td_string!(locale, outreach.connect_to_see)}</p> }.into_any(),
                }
            })}
        </Transition>
        }.into_any() }}
    }
}

/// Every record still on the tablet, with its state; set-aside records can be corrected.
#[component]
fn PendingList() -> impl IntoView {
    let locale = crate::language::page_locale();
    let device = use_device();
    move || {
        let outbox = device.outbox.get();
        if !device.ready.get() {
            return view! { <p class="body">{td_string!(locale, outreach.loading)}</p> }.into_any();
        }
        if outbox.entries.is_empty() {
            return view! { <p class="body">{td_string!(locale, outreach.nothing_waiting)}</p> }.into_any();
        }
        let reference = device.reference.get().unwrap_or_default();
        view! {
            <div class="table-wrap">
                <table class="table">
                    <caption class="visually-hidden">{td_string!(locale, outreach.records_caption)}</caption>
                    <thead><tr>
                        <th scope="col">{td_string!(locale, outreach.col_record)}</th>
                        <th scope="col">{td_string!(locale, outreach.col_state)}</th>
                        <th scope="col"><span class="visually-hidden">{td_string!(locale, outreach.col_actions)}</span></th>
                    </tr></thead>
                    <tbody>
                        {outbox.entries.into_iter().map(|e| {
                            let what = describe(locale, &e.item, &reference);
                            let id = e.item.id.clone();
                            let (state, reason) = match &e.state {
                                EntryState::Waiting => (td_string!(locale, outreach.state_waiting), None),
                                EntryState::Sending => (td_string!(locale, outreach.state_sending), None),
                                EntryState::NeedsAttention { reason, .. } => (td_string!(locale, outreach.state_attention), Some(reason.clone())),
                            };
                            let attention = reason.is_some();
                            let editable = attention && e.item.is(crate::domain::sync::SyncKind::Interaction);
                            // A channel's record is corrected where it was made, with its channel's choices.
                            let page = match e.item.payload.get("kind").and_then(|k| k.as_str()).and_then(InteractionKind::parse) {
                                Some(k) if InteractionKind::CHANNELS.contains(&k) => "conversation",
                                _ => "doorstep",
                            };
                            view! {
                                <tr data-testid="pending-row">
                                    <td>{what}</td>
                                    <td>
                                        <strong class="tag" class:tag--red=attention>{state}</strong>
                                        {reason.map(|r| view! { <p class="error-message">{r}</p> })}
                                    </td>
                                    <td>
                                        {editable.then(|| view! { <a class="link" href=format!("/outreach/{page}?edit={id}")>{td_string!(locale, outreach.correct_it)}</a> " " })}
                                        {attention.then(|| {
                                            let id = id.clone();
                                            view! {
                                                <button type="button" class="button button--secondary button--small"
                                                    on:click=move |_| {
                                                        if window().confirm_with_message(td_string!(locale, outreach.delete_confirm)).unwrap_or(false) {
                                                            device.discard(&id);
                                                        }
                                                    }>{td_string!(locale, outreach.delete)}</button>
                                            }
                                        })}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }.into_any()
    }
}

fn describe(locale: Locale, item: &crate::domain::sync::SyncItem, reference: &crate::api::ReferenceData) -> String {
    let p = &item.payload;
    let text = |k: &str| p.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
    use crate::domain::sync::SyncKind;
    match item.sync_kind() {
        Some(SyncKind::Event) => td_string!(locale, outreach.event, name = text("name")),
        Some(SyncKind::FollowUpUpdate) => td_string!(locale, outreach.follow_up_resolved).to_string(),
        Some(SyncKind::CommitmentAdded) => {
            let side = p.pointer("/commitment/side").and_then(|v| v.as_str()).and_then(crate::domain::commitment::Side::parse);
            let what = p.pointer("/commitment/text").and_then(|v| v.as_str()).unwrap_or_default();
            td_string!(locale, outreach.added_to_follow_up, side = side.map_or("", crate::domain::commitment::Side::label), what = what)
        }
        Some(SyncKind::ReferralMade) => {
            let made: Option<crate::domain::referral::ReferralMade> = serde_json::from_value(p.clone()).ok();
            match made {
                Some(m) => td_string!(locale, outreach.referral_to, name = refer_on::recipient_name(&m, Some(reference))),
                None => td_string!(locale, outreach.referral_to_a_service).to_string(),
            }
        }
        Some(SyncKind::ReferralStep) => {
            let step = crate::domain::referral::Step::parse(&text("step"))
                .map_or(td_string!(locale, outreach.step), crate::domain::referral::Step::label);
            td_string!(locale, outreach.referral_step, step = step.to_lowercase())
        }
        Some(SyncKind::VolunteerInterest) => {
            let id = text("opportunity_id");
            let title = reference
                .opportunities
                .iter()
                .find(|o| o.id == id)
                .map(|o| o.title.clone())
                .unwrap_or_else(|| td_string!(locale, outreach.an_opportunity).into());
            td_string!(locale, outreach.put_forward_for, title = title)
        }
        Some(SyncKind::ConsultationResponse) => {
            let id = text("consultation_id");
            let title = reference
                .consultations
                .iter()
                .find(|c| c.id == id)
                .map(|c| c.title.clone())
                .unwrap_or_else(|| td_string!(locale, outreach.a_consultation).into());
            td_string!(locale, outreach.answers_to, title = title)
        }
        Some(SyncKind::Interaction | SyncKind::ConsentChange) | None => {
            let area = form::name_of(&reference.areas, &text("area_id"));
            let when = p.get("occurred_at").and_then(|v| v.as_i64()).map(clock::show).unwrap_or_default();
            let outcome = match text("outcome").as_str() {
                "no_one_home" => td_string!(locale, outreach.no_one_home),
                "declined_to_talk" => td_string!(locale, outreach.declined_to_talk),
                _ => InteractionKind::parse(&text("kind")).map_or(td_string!(locale, outreach.conversation), InteractionKind::record_name),
            };
            let place = [text("address"), area].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", ");
            format!("{outcome} · {place} · {when}")
        }
    }
}

/// Conversations that did not start with a knock on a street: at the counter, by phone, on a
/// home visit, by online message. The same form, which asks how first and adapts to it.
#[component]
pub fn ConversationPage() -> impl IntoView {
    let locale = crate::language::page_locale();
    view! { <RecordPage title=td_string!(locale, outreach.conversation_title) kind=InteractionKind::Counter choose_kind=true draft_name="conversation"/> }
}

#[component]
pub fn DoorstepPage() -> impl IntoView {
    let locale = crate::language::page_locale();
    view! { <RecordPage title=td_string!(locale, outreach.doorstep_title) kind=InteractionKind::Doorstep choose_kind=false draft_name="doorstep"/> }
}

/// A page recording one conversation (or correcting one the server set aside: `?edit=<id>`).
#[component]
fn RecordPage(title: &'static str, kind: InteractionKind, choose_kind: bool, draft_name: &'static str) -> impl IntoView {
    let locale = crate::language::page_locale();
    let query = use_query_map();
    let edit = move || address_value(query, "edit");
    view! {
        <Title text=title/>
        <a href="/outreach" class="back-link">{td_string!(locale, outreach.back)}</a>
        <h1 class="heading-l">{move || if edit().is_some() { td_string!(locale, outreach.correct_record) } else { title }}</h1>
        {move || match edit() {
            Some(id) => view! { <InteractionForm kind choose_kind draft_name=draft_name.to_string() edit_id=id/> }.into_any(),
            None => view! { <InteractionForm kind choose_kind draft_name=draft_name.to_string()/> }.into_any(),
        }}
    }
}
