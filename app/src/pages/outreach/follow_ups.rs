//! "My follow-ups": open and overdue follow-ups the worker owns, resolvable offline.

use super::add_commitment::{waiting_additions, AddCommitment};
use super::commitments::{CommitmentList, SettleCommitments, SettleState};
use super::refer_on::ReferOn;
use super::referrals::ReferralList;
use crate::api::CommitmentView;
use crate::api::FollowUpView;
use crate::components::forms::{field_errors, ErrorSummary, Radios, TextArea};
use crate::components::title::Title;
use crate::domain::commitment::{check_settlements, CommitmentStatus, Settlement};
use crate::domain::outreach::FollowUpResolution;

use crate::error::AppError;
use crate::i18n::td_string;
use crate::language::names::HasName;
use crate::offline::device::new_item;
use crate::offline::device::{device_now, new_id};
use crate::offline::{clock, use_device};
use crate::pages::referrals::{status_tag, StepList};
use leptos::prelude::*;

#[component]
pub fn FollowUpsPage() -> impl IntoView {
    let locale = crate::language::page_locale();
    let device = use_device();
    // Follow-ups resolved on this tablet whose resolution has not reached the server yet.
    let resolving = Memo::new(move |_| {
        device
            .outbox
            .get()
            .entries
            .iter()
            .filter(|e| e.item.is(crate::domain::sync::SyncKind::FollowUpUpdate))
            .filter_map(|e| e.item.payload.get("follow_up_id").and_then(|v| v.as_str()).map(str::to_string))
            .collect::<Vec<_>>()
    });
    let today = Memo::new(move |_| if device.ready.get() { clock::date_in_days(0) } else { String::new() });
    // One resolution form open at a time.
    let open = RwSignal::new(None::<String>);
    view! {
        <Title text=td_string!(locale, follow_ups.title)/>
        <a href="/outreach" class="back-link">{td_string!(locale, follow_ups.back)}</a>
        <h1 class="heading-l">{td_string!(locale, follow_ups.title)}</h1>
        <p class="body">{td_string!(locale, follow_ups.intro)}</p>
        <noscript><p class="warning-text">{td_string!(locale, follow_ups.needs_javascript)}</p></noscript>
        {move || {
            let list = device.follow_ups.get();
            if !device.ready.get() {
                return view! { <p class="body">{td_string!(locale, follow_ups.loading)}</p> }.into_any();
            }
            if list.is_empty() {
                return view! { <p class="body">{td_string!(locale, follow_ups.none_open)}</p> }.into_any();
            }
            view! {
                <ul class="card-list">
                    {list.into_iter().map(|f| {
                        let pending = resolving.get().contains(&f.id);
                        let overdue = !today.get().is_empty() && f.due_on < today.get();
                        view! { <FollowUpCard follow_up=f pending overdue open/> }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <ReferralList open/>
    }
}

#[component]
fn FollowUpCard(follow_up: FollowUpView, pending: bool, overdue: bool, open: RwSignal<Option<String>>) -> impl IntoView {
    let locale = crate::language::page_locale();
    let device = use_device();
    let note = RwSignal::new(String::new());
    let errors = RwSignal::new(None::<AppError>);
    let f = StoredValue::new(follow_up.clone());
    // How each commitment ended, chosen in the resolve form.
    let unsettled: Vec<CommitmentView> = follow_up.commitments.iter().filter(|c| c.status == CommitmentStatus::Open).cloned().collect();
    let settle: Vec<SettleState> = unsettled.iter().map(|c| (c.position, RwSignal::new(None), RwSignal::new(String::new()))).collect();
    let (unsettled, settle) = (StoredValue::new(unsettled), StoredValue::new(settle));
    let resolve = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let fu = f.get_value();
        let settlements: Vec<Settlement> = settle
            .get_value()
            .iter()
            .map(|(position, status, reason)| {
                let status = status.get_untracked().as_deref().and_then(CommitmentStatus::parse).unwrap_or(CommitmentStatus::Open);
                // The reason is asked for (and shown) only for "not kept": one typed before the
                // choice changed is not sent, nor checked where nobody can see it.
                let reason = if status == CommitmentStatus::NotKept { reason.get_untracked().trim().to_string() } else { String::new() };
                Settlement { position: *position, status, reason }
            })
            .collect();
        let resolution =
            FollowUpResolution { follow_up_id: fu.id.clone(), note: note.get_untracked().trim().to_string(), commitments: settlements };
        // In the form's order: the commitments, then the note.
        let mut problems = crate::domain::FieldErrors::new();
        let positions: Vec<u32> = unsettled.read_value().iter().map(|c| c.position).collect();
        check_settlements(&resolution.commitments, &positions, &mut problems);
        for e in resolution.validate().err().unwrap_or_default().iter() {
            problems.add(&e.field, e.message.clone());
        }
        if !problems.is_empty() {
            errors.set(Some(AppError::Invalid(problems)));
            return;
        }
        let item = new_item(new_id(), crate::domain::sync::SyncKind::FollowUpUpdate, Some(fu.version), &resolution);
        match device.enqueue(item) {
            Ok(()) => {
                errors.set(None);
                open.set(None);
            }
            Err(message) => errors.set(Some(AppError::invalid("note", message))),
        }
    };
    let adding = Memo::new(move |_| !waiting_additions(&device.outbox.read(), &f.read_value().id).is_empty());
    let title =
        if follow_up.issues.is_empty() { td_string!(locale, follow_ups.follow_up).to_string() } else { follow_up.issues.join(", ") };
    let heading_id = format!("fu-{}", follow_up.id);
    view! {
        <li class="card" aria-labelledby=heading_id.clone()>
            <h2 class="heading-s" id=heading_id.clone()>{title}</h2>
            <p class="body">
                {overdue.then(|| view! { <strong class="tag tag--red">{td_string!(locale, follow_ups.overdue)}</strong> " " })}
                {td_string!(locale, follow_ups.due, date = follow_up.due_on.clone())} " · " {follow_up.area_name.clone()}
                {(!follow_up.address.is_empty()).then(|| format!(" · {}", follow_up.address))}
            </p>
            {follow_up.resident_name.clone().map(|n| view! { <p class="body">{td_string!(locale, follow_ups.resident)} " " {n}</p> })}
            {follow_up.resident_id.clone().map(|rid| view! { <History resident_id=rid/> })}
            {follow_up.resident_id.clone().filter(|_| follow_up.resident_name.is_some()).map(|rid| view! { <ConsentChangeForm resident_id=rid card=follow_up.id.clone()/> })}
            {(!follow_up.notes.is_empty()).then(|| view! { <p class="body notes">{follow_up.notes.clone()}</p> })}
            {(!follow_up.commitments.is_empty()).then(|| view! { <CommitmentList commitments=follow_up.commitments.clone()/> })}
            {(!pending).then(|| view! { <AddCommitment follow_up=follow_up.clone()/> " " <ReferOn follow_up=follow_up.clone()/> })}
            {move || {
                let id = f.get_value().id;
                if pending {
                    view! { <p class="body"><strong class="tag">{td_string!(locale, follow_ups.resolved_waiting)}</strong></p> }.into_any()
                } else if adding.get() {
                    // Its settlement must name what was added, which only the server numbers.
                    view! { <p class="hint">{td_string!(locale, follow_ups.sync_additions_first)}</p> }.into_any()
                } else if open.get().as_deref() == Some(id.as_str()) {
                    view! {
                        <ErrorSummary error=errors first_field="note"/>
                        <form class="form" novalidate on:submit=resolve>
                            <SettleCommitments commitments=unsettled.get_value() settle=settle.get_value() errors/>
                            <TextArea name="note" label=td_string!(locale, follow_ups.how_resolved)
                                error=Signal::derive(move || errors.get().and_then(|e| e.field_errors().and_then(|f| f.text("note"))))
                                value=note on_input=Callback::new(move |v| note.set(v))/>
                            <button type="submit" class="button">{td_string!(locale, follow_ups.save_resolved)}</button>
                            " "
                            <button type="button" class="button button--secondary" on:click=move |_| open.set(None)>{td_string!(locale, follow_ups.cancel)}</button>
                        </form>
                    }.into_any()
                } else {
                    view! {
                        <button type="button" class="button button--secondary" on:click=move |_| open.set(Some(id.clone()))>
                            {td_string!(locale, follow_ups.mark_resolved)}<span class="visually-hidden">": " {f.get_value().issues.join(", ")}</span>
                        </button>
                    }.into_any()
                }
            }}
        </li>
    }
}

/// "Earlier conversations": fetched from the server when opened (it is not kept on the tablet).
#[component]
fn History(resident_id: String) -> impl IntoView {
    let locale = crate::language::page_locale();
    let history = RwSignal::new(None::<Result<Vec<crate::api::InteractionSummary>, AppError>>);
    let rid = StoredValue::new(resident_id);
    let load = move |_| {
        // Once, and only for a known resident.
        let wanted = history.get_untracked().is_none() && !rid.read_value().is_empty();
        #[cfg(feature = "hydrate")]
        if wanted {
            leptos::task::spawn_local(async move {
                history.set(Some(crate::api::outreach::resident_history(rid.get_value()).await));
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = wanted;
    };
    view! {
        <details class="details" on:toggle=load>
            <summary class="details__summary">{td_string!(locale, follow_ups.earlier_conversations)}</summary>
            <div class="details__text">
                {move || match history.get() {
                    None => view! { <p class="body">{td_string!(locale, follow_ups.loading)}</p> }.into_any(),
                    Some(Err(_)) => view! { <p class="body">{td_string!(locale, follow_ups.history_needs_connection)}</p> }.into_any(),
                    Some(Ok(list)) => view! {
                        <ul class="history">
                            {list.into_iter().map(|i| view! {
                                <li>
                                    <strong>{clock::show(i.occurred_at)}</strong> " · " {i.worker_name} " · " {i.area_name}
                                    {(!i.notes.is_empty()).then(|| view! { <p class="body notes">{i.notes}</p> })}
                                    {i.referral.into_iter().map(|r| (r, false)).chain(i.referred_since.into_iter().map(|r| (r, true))).map(|(r, later)| view! {
                                        <p class="body">
                                            {if later {
                                                td_string!(locale, follow_ups.referred_to_on, name = r.to_name.clone(), date = clock::show(r.sent_at))
                                            } else {
                                                td_string!(locale, follow_ups.referred_to, name = r.to_name.clone())
                                            }}
                                            " "
                                            <strong class=status_tag(r.status)>{r.status.name(locale)}</strong></p>
                                        {(!r.answer.is_empty()).then(|| view! { <p class="body prewrap">{r.answer.clone()}</p> })}
                                        <StepList steps=r.steps/>
                                    }).collect_view()}
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }}
            </div>
        </details>
    }
}

/// A resident changes their mind about one purpose (usually says no to something at the door):
/// kept in the outbox like any record and sent at the next sync.
#[component]
fn ConsentChangeForm(resident_id: String, card: String) -> impl IntoView {
    use crate::domain::outreach::ConsentPurpose;
    use crate::domain::privacy::{ConsentChange, ConsentMethod};
    let locale = crate::language::page_locale();
    let device = use_device();
    let open = RwSignal::new(false);
    // The values of the chosen radios: a purpose's `as_str`, and "yes" or "no".
    let purpose = RwSignal::new(None::<String>);
    let granted = RwSignal::new(None::<String>);
    let errors = RwSignal::new(None::<AppError>);
    let field_errors_of = Memo::new(move |_| field_errors(&errors.get()));
    let rid = StoredValue::new(resident_id);
    let card = StoredValue::new(card);
    // Changes for this resident still on the tablet.
    let waiting = Memo::new(move |_| {
        device
            .outbox
            .get()
            .entries
            .iter()
            .filter(|e| {
                e.item.is(crate::domain::sync::SyncKind::ConsentChange)
                    && e.item.payload.get("resident_id").and_then(|v| v.as_str()) == Some(rid.read_value().as_str())
            })
            .filter_map(|e| serde_json::from_value::<ConsentChange>(e.item.payload.clone()).ok())
            .map(|c| {
                format!(
                    "{}: {}",
                    c.purpose.name(locale),
                    if c.granted { td_string!(locale, follow_ups.said_yes) } else { td_string!(locale, follow_ups.said_no) }
                )
            })
            .collect::<Vec<_>>()
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let card = card.get_value();
        let mut problems = crate::domain::FieldErrors::new();
        if purpose.get_untracked().is_none() {
            problems.add(&format!("purpose-{card}"), td_string!(locale, follow_ups.select_purpose));
        }
        if granted.get_untracked().is_none() {
            problems.add(&format!("granted-{card}"), td_string!(locale, follow_ups.select_answer));
        }
        let chosen = purpose.get_untracked().and_then(|v| ConsentPurpose::ALL.into_iter().find(|p| p.as_str() == v));
        let (Some(p), Some(g)) = (chosen, granted.get_untracked().map(|v| v == "yes")) else {
            errors.set(Some(AppError::Invalid(problems)));
            return;
        };
        let change = ConsentChange {
            resident_id: rid.get_value(),
            purpose: p,
            granted: g,
            occurred_at: device_now(),
            wording: Some(p.wording_in(crate::language::choice::code(locale)).to_string()),
            method: ConsentMethod::Doorstep,
        };
        let item = new_item(new_id(), crate::domain::sync::SyncKind::ConsentChange, None, &change);
        match device.enqueue(item) {
            Ok(()) => {
                errors.set(None);
                open.set(false);
                purpose.set(None);
                granted.set(None);
            }
            Err(message) => errors.set(Some(AppError::invalid(&format!("purpose-{card}"), message))),
        }
    };
    view! {
        {move || {
            let w = waiting.get();
            (!w.is_empty()).then(|| view! {
                <p class="body"><strong class="tag">{td_string!(locale, follow_ups.consent_change_waiting)}</strong> " " {w.join("; ")}</p>
            })
        }}
        {move || if open.get() {
            let c = card.get_value();
            let (purpose_name, granted_name) = (format!("purpose-{c}"), format!("granted-{c}"));
            view! {
                <ErrorSummary error=errors first_field=purpose_name.clone()/>
                <form class="form" novalidate on:submit=save>
                    <Radios name=purpose_name legend=td_string!(locale, follow_ups.purpose_legend) errors=field_errors_of bind=purpose
                        choices=ConsentPurpose::ALL.into_iter().map(|p| (p.as_str().to_string(), p.name(locale).to_string())).collect()/>
                    <Radios name=granted_name legend=td_string!(locale, follow_ups.answer_legend) errors=field_errors_of bind=granted
                        choices=vec![
                            ("no".to_string(), td_string!(locale, follow_ups.answer_no).to_string()),
                            ("yes".to_string(), td_string!(locale, follow_ups.answer_yes).to_string()),
                        ]/>
                    <button type="submit" class="button">{td_string!(locale, follow_ups.save_answer)}</button>
                    " "
                    <button type="button" class="button button--secondary" on:click=move |_| open.set(false)>{td_string!(locale, follow_ups.cancel)}</button>
                </form>
            }.into_any()
        } else {
            view! {
                <button type="button" class="button button--secondary" on:click=move |_| open.set(true)>
                    {td_string!(locale, follow_ups.change_consent)}
                </button>
            }.into_any()
        }}
    }
}
