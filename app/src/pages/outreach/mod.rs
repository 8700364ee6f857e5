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
use crate::components::title::Title;
use crate::domain::outbox::EntryState;
use crate::domain::outreach::InteractionKind;
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
    let session = crate::session::use_session();
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match session.user.await {
                    Ok(Some(user)) if user.role.can_do_outreach() => children.with_value(|c| c()).into_any(),
                    Ok(Some(_)) => view! { <Title text="Outreach"/><PageProblem error=AppError::Forbidden/> }.into_any(),
                    Ok(None) => view! { <Title text="Sign in"/><PageProblem error=AppError::Unauthenticated/> }.into_any(),
                    Err(error) => view! { <Title text="Outreach"/><PageProblem error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// "Offline — 3 interactions waiting to sync", and a button to sync now.
#[component]
pub fn SyncStatus() -> impl IntoView {
    let device = use_device();
    let text = move || {
        if !device.ready.get() {
            return "Checking what is waiting on this tablet…".to_string();
        }
        let outbox = device.outbox.get();
        let waiting = outbox.pending() - outbox.needs_attention();
        let records = |n: usize| if n == 1 { "1 record".to_string() } else { format!("{n} records") };
        let state = if device.online.get() { "Online" } else { "Offline" };
        match (waiting, outbox.needs_attention()) {
            (0, 0) => format!("{state} — everything on this tablet has been sent"),
            (w, 0) => format!("{state} — {} waiting to sync", records(w)),
            (w, a) => {
                format!("{state} — {} waiting to sync, {} {} your attention", records(w), records(a), if a == 1 { "needs" } else { "need" })
            }
        }
    };
    view! {
        <div class="sync-status" class:sync-status--offline=move || !device.online.get()>
            <p class="sync-status__text" role="status" data-testid="sync-status">{text}</p>
            {move || device.last_sync.get().map(|t| view! { <p class="hint">"Last sent: " {clock::show(t)}</p> })}
            {move || device.problem.get().map(|p| view! { <p class="sync-status__problem">{p}</p> })}
            <button type="button" class="button button--secondary button--small"
                disabled=move || !device.ready.get() || device.syncing.get()
                on:click=move |_| device.sync_now()>
                {move || if device.syncing.get() { "Syncing…" } else { "Sync now" }}
            </button>
        </div>
    }
}

#[component]
pub fn OutreachPage() -> impl IntoView {
    let device = use_device();
    // What the server holds: fetched again after every sync that changed something.
    let mounted = RwSignal::new(false);
    Effect::new(move |_| mounted.set(true));
    let held = LocalResource::new(move || {
        device.last_sync.track();
        crate::offline::deadline::within(crate::offline::deadline::LISTS_MS, my_interactions())
    });
    view! {
        <Title text="Outreach"/>
        <h1 class="heading-l">"Outreach"</h1>
        <SyncStatus/>
        <ul class="task-list">
            <li class="task-list__item"><a class="link task-list__link" href="/outreach/doorstep">"Record a doorstep conversation"</a></li>
            <li class="task-list__item"><a class="link task-list__link" href="/outreach/conversation">"Record a conversation at the counter, by phone, on a home visit or online"</a></li>
            <li class="task-list__item"><a class="link task-list__link" href="/outreach/events">"Community events"</a></li>
            <li class="task-list__item"><a class="link task-list__link" href="/outreach/follow-ups">"My follow-ups"</a></li>
            <li class="task-list__item"><a class="link task-list__link" href="/outreach/consultations">"Take part in a consultation"</a></li>
        </ul>
        <h2 class="heading-m">"On this tablet"</h2>
        <PendingList/>
        <h2 class="heading-m">"Sent"</h2>
        // What the server holds is asked for by the browser only, once the page is running: the
        // server cannot know it while rendering, and the answer (an instant failure when offline)
        // must not arrive while the page is still being hydrated.
        {move || if !mounted.get() {
            view! { <p class="body">"Checking the server…"</p> }.into_any()
        } else { view! {
        <Transition fallback=|| view! { <p class="body">"Checking the server…"</p> }>
            {move || Suspend::new(async move {
                match held.await {
                    Ok(h) => view! {
                        <p class="body" data-testid="held-count">
                            {match h.total { 1 => "The server holds 1 of your records.".to_string(), n => format!("The server holds {n} of your records.") }}
                        </p>
                    }.into_any(),
                    Err(_) => view! { <p class="body">"Connect to see what the server holds."</p> }.into_any(),
                }
            })}
        </Transition>
        }.into_any() }}
    }
}

/// Every record still on the tablet, with its state; set-aside records can be corrected.
#[component]
fn PendingList() -> impl IntoView {
    let device = use_device();
    move || {
        let outbox = device.outbox.get();
        if !device.ready.get() {
            return view! { <p class="body">"Loading…"</p> }.into_any();
        }
        if outbox.entries.is_empty() {
            return view! { <p class="body">"Nothing is waiting on this tablet."</p> }.into_any();
        }
        let reference = device.reference.get().unwrap_or_default();
        view! {
            <div class="table-wrap">
                <table class="table">
                    <caption class="visually-hidden">"Records waiting on this tablet"</caption>
                    <thead><tr><th scope="col">"Record"</th><th scope="col">"State"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                    <tbody>
                        {outbox.entries.into_iter().map(|e| {
                            let what = describe(&e.item, &reference);
                            let id = e.item.id.clone();
                            let (state, reason) = match &e.state {
                                EntryState::Waiting => ("Waiting", None),
                                EntryState::Sending => ("Sending", None),
                                EntryState::NeedsAttention { reason, .. } => ("Needs attention", Some(reason.clone())),
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
                                        {editable.then(|| view! { <a class="link" href=format!("/outreach/{page}?edit={id}")>"Correct it"</a> " " })}
                                        {attention.then(|| {
                                            let id = id.clone();
                                            view! {
                                                <button type="button" class="button button--secondary button--small"
                                                    on:click=move |_| {
                                                        if window().confirm_with_message("Delete this record from the tablet? It has not reached the server, so it will be lost.").unwrap_or(false) {
                                                            device.discard(&id);
                                                        }
                                                    }>"Delete"</button>
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

fn describe(item: &crate::domain::sync::SyncItem, reference: &crate::api::ReferenceData) -> String {
    let p = &item.payload;
    let text = |k: &str| p.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
    use crate::domain::sync::SyncKind;
    match item.sync_kind() {
        Some(SyncKind::Event) => format!("Event: {}", text("name")),
        Some(SyncKind::FollowUpUpdate) => "Follow-up resolved".to_string(),
        Some(SyncKind::CommitmentAdded) => {
            let side = p.pointer("/commitment/side").and_then(|v| v.as_str()).and_then(crate::domain::commitment::Side::parse);
            let what = p.pointer("/commitment/text").and_then(|v| v.as_str()).unwrap_or_default();
            format!("Added to a follow-up: {} {what}", side.map_or("", crate::domain::commitment::Side::label))
        }
        Some(SyncKind::ReferralMade) => {
            let made: Option<crate::domain::referral::ReferralMade> = serde_json::from_value(p.clone()).ok();
            format!("Referral to {}", made.map_or_else(|| "a service".to_string(), |m| refer_on::recipient_name(&m, Some(reference))))
        }
        Some(SyncKind::ReferralStep) => {
            let step = crate::domain::referral::Step::parse(&text("step")).map_or("Step", crate::domain::referral::Step::label);
            format!("Referral: {}", step.to_lowercase())
        }
        Some(SyncKind::VolunteerInterest) => {
            let id = text("opportunity_id");
            let title =
                reference.opportunities.iter().find(|o| o.id == id).map(|o| o.title.clone()).unwrap_or_else(|| "an opportunity".into());
            format!("Put forward for “{title}”")
        }
        Some(SyncKind::ConsultationResponse) => {
            let id = text("consultation_id");
            let title =
                reference.consultations.iter().find(|c| c.id == id).map(|c| c.title.clone()).unwrap_or_else(|| "a consultation".into());
            format!("Answers to “{title}”")
        }
        Some(SyncKind::Interaction | SyncKind::ConsentChange) | None => {
            let area = form::name_of(&reference.areas, &text("area_id"));
            let when = p.get("occurred_at").and_then(|v| v.as_i64()).map(clock::show).unwrap_or_default();
            let outcome = match text("outcome").as_str() {
                "no_one_home" => "No one home",
                "declined_to_talk" => "Declined to talk",
                _ => InteractionKind::parse(&text("kind")).map_or("Conversation", InteractionKind::record_name),
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
    view! { <RecordPage title="Record a conversation" kind=InteractionKind::Counter choose_kind=true draft_name="conversation"/> }
}

#[component]
pub fn DoorstepPage() -> impl IntoView {
    view! { <RecordPage title="Doorstep conversation" kind=InteractionKind::Doorstep choose_kind=false draft_name="doorstep"/> }
}

/// A page recording one conversation (or correcting one the server set aside: `?edit=<id>`).
#[component]
fn RecordPage(title: &'static str, kind: InteractionKind, choose_kind: bool, draft_name: &'static str) -> impl IntoView {
    let query = use_query_map();
    let edit = move || query.read().get("edit");
    view! {
        <Title text=title/>
        <a href="/outreach" class="back-link">"Back to outreach"</a>
        <h1 class="heading-l">{move || if edit().is_some() { "Correct a record" } else { title }}</h1>
        {move || match edit() {
            Some(id) => view! { <InteractionForm kind choose_kind draft_name=draft_name.to_string() edit_id=id/> }.into_any(),
            None => view! { <InteractionForm kind choose_kind draft_name=draft_name.to_string()/> }.into_any(),
        }}
    }
}
