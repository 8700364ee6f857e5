//! "What each side will do", in the conversation form with its follow-up: rows of "we will…"
//! (who, by when) and "you can…" (what the resident agreed to try), added and removed one at a
//! time. Kept on the tablet in the draft, as every other field.

use super::draft::{DraftCommitment, InteractionDraft};
use crate::api::ReferenceData;
use crate::components::forms::{field_errors, Radios};
use crate::domain::commitment::{field, settle_field, Side, MAX_COMMITMENTS};
use crate::error::AppError;
use crate::i18n::td_string;
use crate::language::names::{self, HasName};
use crate::offline::device::new_id;
use crate::types::CommitmentView;
use leptos::prelude::*;

/// The error of a field named at run time (`commitment-2-text`).
fn error_of(errors: RwSignal<Option<AppError>>, name: String) -> Signal<Option<String>> {
    Signal::derive(move || errors.get().and_then(|e| e.field_errors().and_then(|f| f.text(&name))))
}

/// Changes one part of the row `key`.
fn edit(draft: RwSignal<InteractionDraft>, key: &str, f: fn(&mut DraftCommitment, String)) -> impl Fn(leptos::ev::Event) + 'static {
    let key = key.to_string();
    move |ev| {
        let value = event_target_value(&ev);
        draft.update(|d| {
            if let Some(c) = d.commitments.iter_mut().find(|c| c.key == key) {
                f(c, value)
            }
        })
    }
}

#[component]
pub fn Commitments(
    draft: RwSignal<InteractionDraft>,
    errors: RwSignal<Option<AppError>>,
    reference: Memo<Option<ReferenceData>>,
) -> impl IntoView {
    let locale = crate::language::page_locale();
    let add = move |side: Side| {
        draft.update(|d| {
            if d.commitments.len() < MAX_COMMITMENTS {
                // "We will" starts as the follow-up's: its owner, by its date.
                let (owner_id, due_on) = if side == Side::We { (d.owner_id.clone(), d.due_on.clone()) } else { Default::default() };
                d.commitments.push(DraftCommitment {
                    key: new_id(),
                    side: side.as_str().to_string(),
                    owner_id,
                    due_on,
                    ..Default::default()
                });
            }
        })
    };
    let full = move || draft.read().commitments.len() >= MAX_COMMITMENTS;
    let list_error = error_of(errors, "commitments".to_string());
    // Each row by its key and place: typing changes neither, so a row is never rebuilt (and its
    // box never loses focus) while someone types in it.
    let rows = move || draft.read().commitments.iter().enumerate().map(|(n, c)| (n, c.key.clone(), c.side.clone())).collect::<Vec<_>>();
    view! {
        <fieldset class="fieldset commitments" aria-describedby="commitments-hint">
            <legend class="fieldset__legend">{td_string!(locale, commitments.legend)}</legend>
            <div class="hint" id="commitments-hint">
                {td_string!(locale, commitments.hint)}
            </div>
            {move || list_error.get().map(|message| view! {
                <p class="error-message"><span class="visually-hidden">{td_string!(locale, commitments.error)}" "</span>{message}</p>
            })}
            <For each=rows key=|row| row.clone() children=move |(n, key, side)| view! { <CommitmentRow n key side draft errors reference/> }/>
            <div class="commitments__add">
                <button type="button" id="commitments" class="button button--secondary" disabled=full on:click=move |_| add(Side::We)>
                    {td_string!(locale, commitments.add_we_will)}
                </button>
                " "
                <button type="button" class="button button--secondary" disabled=full on:click=move |_| add(Side::You)>
                    {td_string!(locale, commitments.add_you_can)}
                </button>
            </div>
        </fieldset>
    }
}

#[component]
fn CommitmentRow(
    n: usize,
    key: String,
    side: String,
    draft: RwSignal<InteractionDraft>,
    errors: RwSignal<Option<AppError>>,
    reference: Memo<Option<ReferenceData>>,
) -> impl IntoView {
    let locale = crate::language::page_locale();
    let we = side == Side::We.as_str();
    let label = if we { Side::We.name(locale) } else { Side::You.name(locale) };
    let number = n + 1;
    let (text_id, owner_id, due_id, service_id) = (field(n, "text"), field(n, "owner_id"), field(n, "due_on"), field(n, "service_id"));
    let (text_error, owner_error, due_error, service_error) = (
        error_of(errors, text_id.clone()),
        error_of(errors, owner_id.clone()),
        error_of(errors, due_id.clone()),
        error_of(errors, service_id.clone()),
    );
    let value = {
        let key = key.clone();
        move |f: fn(&DraftCommitment) -> String| {
            let key = key.clone();
            move || draft.read().commitments.iter().find(|c| c.key == key).map(f).unwrap_or_default()
        }
    };
    let remove = {
        let key = key.clone();
        move |_| draft.update(|d| d.commitments.retain(|c| c.key != key))
    };
    let colleagues = move || reference.get().map(|r| r.colleagues).unwrap_or_default();
    let services = Signal::derive(move || reference.get().map(|r| r.services).unwrap_or_default());
    let chosen_service = Signal::derive(value(|c| c.service_id.clone()));
    let set_service = {
        let key = key.clone();
        Callback::new(move |v: String| {
            draft.update(|d| d.commitments.iter_mut().filter(|c| c.key == key).for_each(|c| c.service_id = v.clone()))
        })
    };
    let chosen_owner = value(|c| c.owner_id.clone());
    let owner_for_options = chosen_owner.clone();
    view! {
        <div class="commitment">
            <div class="form-group" class:form-group--error=move || text_error.get().is_some()>
                <label class="label" for=text_id.clone()>{format!("{label}… ({number})")}</label>
                {field_error(text_id.clone(), text_error)}
                <input class="input" class:input--error=move || text_error.get().is_some() id=text_id.clone() name=text_id.clone()
                    autocomplete="off" aria-describedby=described(&text_id, text_error)
                    prop:value=value(|c| c.text.clone()) on:input=edit(draft, &key, |c, v| c.text = v)/>
            </div>
            {we.then(|| view! {
                <div class="form-group" class:form-group--error=move || owner_error.get().is_some()>
                    <label class="label" for=owner_id.clone()>{td_string!(locale, commitments.who)}</label>
                    {field_error(owner_id.clone(), owner_error)}
                    <select class="select" class:input--error=move || owner_error.get().is_some() id=owner_id.clone() name=owner_id.clone()
                        aria-describedby=described(&owner_id, owner_error)
                        prop:value=chosen_owner.clone() on:change=edit(draft, &key, |c, v| c.owner_id = v)>
                        <option value="">{td_string!(locale, commitments.select_colleague)}</option>
                        {move || colleagues().into_iter().map(|n| {
                            let selected = owner_for_options() == n.id;
                            view! { <option value=n.id selected=selected>{n.name}</option> }
                        }).collect_view()}
                    </select>
                </div>
            })}
            <div class="form-group" class:form-group--error=move || due_error.get().is_some()>
                <label class="label" for=due_id.clone()>{if we { td_string!(locale, commitments.by_when) } else { td_string!(locale, commitments.by_when_optional) }}</label>
                {field_error(due_id.clone(), due_error)}
                <input class="input input--medium" class:input--error=move || due_error.get().is_some() type="date" id=due_id.clone()
                    name=due_id.clone() aria-describedby=described(&due_id, due_error)
                    prop:value=value(|c| c.due_on.clone()) on:input=edit(draft, &key, |c, v| c.due_on = v)/>
            </div>
            <ServiceChoice id=service_id we error=service_error services chosen=chosen_service set=set_service/>
            <button type="button" class="button button--secondary" on:click=remove>
                {td_string!(locale, commitments.remove)}<span class="visually-hidden">{format!(" “{label}” ({number})")}</span>
            </button>
        </div>
    }
}

/// "Which service": the organisation's service a commitment concerns, if any. For "we will",
/// the service that acts; for "you can", the one the resident will use.
#[component]
pub(super) fn ServiceChoice(
    id: String,
    we: bool,
    error: Signal<Option<String>>,
    services: Signal<Vec<crate::types::Named>>,
    chosen: Signal<String>,
    set: Callback<String>,
) -> impl IntoView {
    let locale = crate::language::page_locale();
    let hint = format!("{id}-hint");
    let described_by = {
        let (hint, error_id) = (hint.clone(), format!("{id}-error"));
        move || if error.get().is_some() { format!("{hint} {error_id}") } else { hint.clone() }
    };
    view! {
        <div class="form-group" class:form-group--error=move || error.get().is_some()>
            <label class="label" for=id.clone()>{td_string!(locale, commitments.service)}</label>
            <div class="hint" id=hint>
                {if we { td_string!(locale, commitments.service_hint_we) } else { td_string!(locale, commitments.service_hint_you) }}
            </div>
            {field_error(id.clone(), error)}
            <select class="select" class:input--error=move || error.get().is_some() id=id.clone() name=id.clone()
                aria-describedby=described_by prop:value=move || chosen.get() on:change=move |ev| set.run(event_target_value(&ev))>
                <option value="">{td_string!(locale, commitments.no_service)}</option>
                {move || services.get().into_iter().map(|n| {
                    let selected = chosen.get_untracked() == n.id;
                    view! { <option value=n.id selected=selected>{n.name}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// The inline message of a field, when it has one.
pub(super) fn field_error(id: String, error: Signal<Option<String>>) -> impl IntoView {
    let locale = crate::language::page_locale();
    let said = td_string!(locale, commitments.error);
    move || {
        error.get().map(|message| {
            view! { <p class="error-message" id=format!("{id}-error")><span class="visually-hidden">{said}" "</span>{message}</p> }
        })
    }
}

/// `aria-describedby` of a control: its error message, when shown.
pub(super) fn described(id: &str, error: Signal<Option<String>>) -> impl Fn() -> Option<String> + Send + Sync + 'static {
    let id = format!("{id}-error");
    move || error.get().map(|_| id.clone())
}

/// A follow-up's commitments, as its card shows them: "We will chase the repair – Sam, Housing
/// Repairs, by 10 December 2026".
#[component]
pub fn CommitmentList(commitments: Vec<CommitmentView>) -> impl IntoView {
    let locale = crate::language::page_locale();
    view! {
        <h3 class="heading-s">{td_string!(locale, commitments.each_side)}</h3>
        <ul class="commitment-list">
            {commitments.into_iter().map(move |c| {
                let by = c.due_on.as_deref().map(|d| td_string!(locale, commitments.by_date, date = names::long_date(locale, d)));
                let who = [c.owner_name.clone(), c.service_name.clone(), by].into_iter().flatten().collect::<Vec<_>>().join(", ");
                view! {
                    <li>
                        <strong>{c.side.name(locale)}</strong>" " {c.text}
                        {(!who.is_empty()).then(|| format!(" – {who}"))}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// One commitment's settlement as the resolve form holds it: its position, the choice
/// (`kept` | `not_kept` | `not_needed`) and the reason.
pub type SettleState = (u32, RwSignal<Option<String>>, RwSignal<String>);

/// In the form that resolves a follow-up: how each of its commitments ended. For the resident's
/// side the choices speak of them ("They did it").
#[component]
pub fn SettleCommitments(commitments: Vec<CommitmentView>, settle: Vec<SettleState>, errors: RwSignal<Option<AppError>>) -> impl IntoView {
    let locale = crate::language::page_locale();
    let all_errors = Memo::new(move |_| field_errors(&errors.get()));
    commitments
        .into_iter()
        .zip(settle)
        .map(move |(c, (position, status, reason))| {
            let [kept, not_kept] = match c.side {
                Side::We => [td_string!(locale, commitments.kept), td_string!(locale, commitments.not_kept)],
                Side::You => [td_string!(locale, commitments.they_did), td_string!(locale, commitments.they_did_not)],
            };
            let choices = [("kept", kept), ("not_kept", not_kept), ("not_needed", td_string!(locale, commitments.not_needed))]
                .into_iter()
                .map(|(value, label)| (value.to_string(), label.to_string()))
                .collect();
            let reason_id = settle_field(position, "reason");
            let reason_error = error_of(errors, reason_id.clone());
            view! {
                <div class="commitment">
                    <Radios name=settle_field(position, "status") legend=format!("{} {}", c.side.name(locale), c.text) choices errors=all_errors bind=status/>
                    <Show when=move || status.get().as_deref() == Some("not_kept")>
                        <div class="form-group" class:form-group--error=move || reason_error.get().is_some()>
                            <label class="label" for=reason_id.clone()>{td_string!(locale, commitments.why_not)}</label>
                            {field_error(reason_id.clone(), reason_error)}
                            <input class="input" class:input--error=move || reason_error.get().is_some() id=reason_id.clone() name=reason_id.clone()
                                autocomplete="off" aria-describedby=described(&reason_id, reason_error)
                                prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                        </div>
                    </Show>
                </div>
            }
        })
        .collect_view()
}

/// "What they can do" about each issue chosen that has guidance: read out at the door (it comes
/// with the tablet's lists, so offline too), and with a follow-up each step goes into "you can…"
/// in one tap.
#[component]
pub fn GuidanceAtHand(draft: RwSignal<InteractionDraft>, reference: Memo<Option<ReferenceData>>) -> impl IntoView {
    let locale = crate::language::page_locale();
    let shown = move || {
        let Some(r) = reference.get() else { return Vec::new() };
        let chosen = draft.read().issues.clone();
        r.guidance
            .iter()
            .filter(|g| chosen.contains(&g.theme_id))
            .map(|g| (r.themes.iter().find(|t| t.id == g.theme_id).map(|t| t.name.clone()).unwrap_or_default(), g.clone()))
            .collect::<Vec<_>>()
    };
    let following_up = move || draft.read().action == "follow_up";
    let is_added = move |text: &str| draft.read().commitments.iter().any(|c| c.side == Side::You.as_str() && c.text.trim() == text);
    let add = move |text: String| {
        draft.update(|d| {
            if d.commitments.len() < MAX_COMMITMENTS && !d.commitments.iter().any(|c| c.side == Side::You.as_str() && c.text.trim() == text)
            {
                d.commitments.push(DraftCommitment { key: new_id(), side: Side::You.as_str().to_string(), text, ..Default::default() });
            }
        })
    };
    move || {
        shown()
            .into_iter()
            .map(|(theme, g)| {
                view! {
                    <div class="inset guidance">
                        <h2 class="heading-s">{td_string!(locale, commitments.what_they_can_do, theme = theme)}</h2>
                        <ul class="bullets">
                            {g.steps.into_iter().map(|step| {
                                let text = StoredValue::new(step.clone());
                                let added = move || is_added(&text.read_value());
                                let full = move || !added() && draft.read().commitments.len() >= MAX_COMMITMENTS;
                                let says = move || {
                                    if added() {
                                        td_string!(locale, commitments.added_to_you_can)
                                    } else if full() {
                                        td_string!(locale, commitments.list_full)
                                    } else {
                                        td_string!(locale, commitments.add_to_you_can)
                                    }
                                };
                                view! {
                                    <li>
                                        {step.clone()}
                                        <Show when=following_up>
                                            " "
                                            <button type="button" class="button button--secondary button--small" aria-disabled=move || (added() || full()).then_some("true")
                                                aria-label=move || format!("{}: {}", says(), text.read_value()) on:click=move |_| add(text.get_value())>
                                                {says}
                                            </button>
                                        </Show>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        {(!g.help.is_empty()).then(|| view! { <p class="body prewrap"><strong>{td_string!(locale, commitments.who_can_help)}" "</strong>{g.help.clone()}</p> })}
                        <Show when=move || !following_up()>
                            <p class="hint">{td_string!(locale, commitments.choose_follow_up)}</p>
                        </Show>
                    </div>
                }
            })
            .collect_view()
    }
}
