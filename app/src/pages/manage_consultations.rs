//! Admin pages: the organisation's consultations, creating one, adding its questions, opening
//! and closing it, and posting "you said, we did" updates. Real forms: they work without
//! JavaScript too.

use crate::api::consultations::{
    consultation_lists, get_consultation, manage_consultations, AddQuestion, CreateConsultation, PostOutcome, SetConsultationStage,
    UpdateConsultation,
};
use crate::api::invitations::{invitation_summary, InvitationCounts, SendInvitations};
use crate::api::Named;
use crate::components::forms::{field_errors, Checkboxes, ErrorSummary, PostedField, Radios};
use crate::components::status::{PageProblem, SuccessBanner};
use crate::components::title::Title;
use crate::domain::calendar::long_date;
use crate::domain::consultation::{OutcomeStatus, QuestionKind, Stage};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ManageConsultationsPage() -> impl IntoView {
    let create = ServerAction::<CreateConsultation>::new();
    // Not refetched after a submission: a refused form keeps what was typed (a created
    // consultation takes the admin to its own page).
    let list = Resource::new(|| (), |_| manage_consultations());
    let lists = Resource::new(|| (), |_| consultation_lists());
    let error = Signal::derive(move || create.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    view! {
        <Title text="Manage consultations"/>
        <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match (list.await, lists.await) {
                    (Err(error), _) | (_, Err(error)) => view! { <PageProblem error/> }.into_any(),
                    (Ok(items), Ok((areas, themes))) => view! {
                        <ErrorSummary error first_field="title"/>
                        <h1 class="heading-l">"Consultations"</h1>
                        <p class="body"><a class="link" href="/manage/moderation">"Moderation: ideas and comments waiting for a decision"</a></p>
                        {if items.is_empty() {
                            view! { <p class="body">"Your organisation has no consultations yet."</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-wrap">
                                    <table class="table">
                                        <caption class="visually-hidden">"Your organisation's consultations"</caption>
                                        <thead><tr><th scope="col">"Title"</th><th scope="col">"Status"</th><th scope="col">"Closes"</th></tr></thead>
                                        <tbody>
                                            {items.into_iter().map(|c| view! {
                                                <tr>
                                                    <td><a class="link" href=format!("/manage/consultations/{}", c.id)>{c.title}</a></td>
                                                    <td>{c.stage.label()}</td>
                                                    <td>{c.closes_on.map(|d| long_date(&d)).unwrap_or_else(|| "No date".into())}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }}
                        <h2 class="heading-m" id="new-heading">"Start a consultation"</h2>
                        <p class="body">"It starts as a draft that residents cannot see. Add its questions, then open it."</p>
                        <ActionForm action=create attr:novalidate=true attr:class="form" attr:aria-labelledby="new-heading">
                            <PostedField form="form" name="title" label="Title" errors/>
                            <PostedField form="form" name="summary" label="Summary" hint="One or two plain sentences: what is being decided, and why it matters." errors/>
                            <PostedField form="form" name="background" label="Background (optional)" multiline=true
                                hint="You can use Markdown: ## for a heading, **bold**, - for a list, [words](https://link) for a link." errors/>
                            <PostedField form="form" name="opens_on" label="Opening date (optional)" input_type="date" hint="For example 2026-12-01" errors/>
                            <PostedField form="form" name="closes_on" label="Closing date (optional)" input_type="date" hint="For example 2027-01-31" errors/>
                            <Checkboxes form="form" name="areas" legend="Areas it concerns" choices=areas errors/>
                            <Checkboxes form="form" name="themes" legend="Themes it concerns" choices=themes errors/>
                            <button type="submit" class="button" disabled=move || create.pending().get()>"Create draft"</button>
                        </ActionForm>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn ManageConsultationPage() -> impl IntoView {
    let params = use_params_map();
    let add = ServerAction::<AddQuestion>::new();
    let stage = ServerAction::<SetConsultationStage>::new();
    let outcome = ServerAction::<PostOutcome>::new();
    let update = ServerAction::<UpdateConsultation>::new();
    let id = move || params.read().get("id").unwrap_or_default();
    let lists = Resource::new(|| (), |_| consultation_lists());
    // Refetched after each successful change only, so a refused form keeps what was typed.
    let changes = RwSignal::new(0usize);
    // One effect per action, each looking at its own result only: a refused form after an
    // earlier success elsewhere on the page must not reload (and so wipe) what was typed.
    let bump = move || changes.update(|n| *n += 1);
    Effect::new(move |_| {
        if matches!(add.value().get(), Some(Ok(_))) {
            bump()
        }
    });
    Effect::new(move |_| {
        if matches!(stage.value().get(), Some(Ok(_))) {
            bump()
        }
    });
    Effect::new(move |_| {
        if matches!(outcome.value().get(), Some(Ok(_))) {
            bump()
        }
    });
    Effect::new(move |_| {
        if matches!(update.value().get(), Some(Ok(_))) {
            bump()
        }
    });
    let page = Resource::new(move || (id(), changes.get()), |(id, _)| get_consultation(id));
    // Loaded with the page (not after it), so the page is whole when it first shows; counted
    // again after each change and each sending.
    let send = ServerAction::<SendInvitations>::new();
    let invitations = Resource::new(move || (id(), changes.get(), send.version().get()), |(id, _, _)| invitation_summary(id));
    let add_error = Signal::derive(move || add.value().get().and_then(|r| r.err()));
    let add_errors = Memo::new(move |_| field_errors(&add_error.get()));
    let stage_error = Signal::derive(move || stage.value().get().and_then(|r| r.err()));
    let outcome_error = Signal::derive(move || outcome.value().get().and_then(|r| r.err()));
    let outcome_errors = Memo::new(move |_| field_errors(&outcome_error.get()));
    let update_error = Signal::derive(move || update.value().get().and_then(|r| r.err()));
    let update_errors = Memo::new(move |_| field_errors(&update_error.get()));
    view! {
        <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match (page.await, lists.await, invitations.await) {
                    (Err(error), _, _) | (_, Err(error), _) => view! { <Title text="Consultation"/><PageProblem error/> }.into_any(),
                    (Ok(view), _, _) if !view.can_manage => view! { <Title text="Consultation"/><PageProblem error=AppError::Forbidden/> }.into_any(),
                    (Ok(view), Ok((areas, themes)), summary) => {
                        let card = view.card.clone();
                        let cid = card.id.clone();
                        let (cid_add, cid_stage, cid_outcome, cid_update) = (cid.clone(), cid.clone(), cid.clone(), cid.clone());
                        let answerable: Vec<Named> = view.questions.iter()
                            .map(|q| Named { id: format!("question:{}", q.id), name: format!("Question: {}", q.prompt) })
                            .chain(view.proposals.iter().map(|p| Named { id: format!("proposal:{}", p.id), name: format!("Idea: {}", p.name) }))
                            .collect();
                        let tagged = |list: &[Named]| list.iter().map(|n| n.id.clone()).collect::<Vec<_>>();
                        let (area_ids, theme_ids) = (tagged(&card.areas), tagged(&card.themes));
                        view! {
                            <Title text=format!("Manage: {}", card.title)/>
                            <ErrorSummary error=add_error first_field="prompt"/>
                            <ErrorSummary error=stage_error first_field="stage"/>
                            <ErrorSummary error=outcome_error first_field="status"/>
                            <ErrorSummary error=update_error first_field="title"/>
                            {move || outcome.value().get().and_then(|r| r.ok()).map(|_| view! {
                                <SuccessBanner title="Update posted"><p>"Residents can see it on the consultation's page."</p></SuccessBanner>
                            })}
                            {move || update.value().get().and_then(|r| r.ok()).map(|_| view! {
                                <SuccessBanner title="Details saved"><p>"Residents see the new details straight away."</p></SuccessBanner>
                            })}
                            <p class="caption">"Manage consultation"</p>
                            <h1 class="heading-l">{card.title.clone()}</h1>
                            <p class="body"><strong class="tag">{card.stage.label()}</strong> " " {format!("{} responses", view.response_count)}</p>
                            <p class="body"><a class="link" href=format!("/consultations/{cid}")>"See it as residents do"</a>
                                " · " <a class="link" href=format!("/manage/consultations/{cid}/results")>"Results"</a></p>

                            // Opened when a change is refused, so the error summary's links lead somewhere.
                            <details class="details" open=move || update.value().get().is_some_and(|r| r.is_err())>
                                <summary class="details__summary" id="details-heading">"Edit title, summary, background, dates, areas and themes"</summary>
                                <ActionForm action=update attr:novalidate=true attr:class="form" attr:aria-labelledby="details-heading">
                                    <input type="hidden" name="consultation_id" value=cid_update/>
                                    <PostedField form="form" name="title" label="Title" value=card.title.clone() errors=update_errors/>
                                    <PostedField form="form" name="summary" label="Summary" value=card.summary.clone()
                                        hint="One or two plain sentences: what is being decided, and why it matters." errors=update_errors/>
                                    <PostedField form="form" name="background" label="Background (optional)" multiline=true value=view.background.clone()
                                        hint="You can use Markdown: ## for a heading, **bold**, - for a list, [words](https://link) for a link." errors=update_errors/>
                                    <PostedField form="form" name="opens_on" label="Opening date (optional)" input_type="date" value=card.opens_on.clone().unwrap_or_default()
                                        hint="For example 2026-12-01" errors=update_errors/>
                                    <PostedField form="form" name="closes_on" label="Closing date (optional)" input_type="date" value=card.closes_on.clone().unwrap_or_default()
                                        hint="For example 2027-01-31" errors=update_errors/>
                                    <Checkboxes form="form" name="areas" legend="Areas it concerns" choices=areas checked=area_ids errors=update_errors/>
                                    <Checkboxes form="form" name="themes" legend="Themes it concerns" choices=themes checked=theme_ids errors=update_errors/>
                                    <button type="submit" class="button button--secondary">"Save details"</button>
                                </ActionForm>
                            </details>

                            <h2 class="heading-m" id="questions-heading">"Questions"</h2>
                            {if view.questions.is_empty() {
                                view! { <p class="body">"No questions yet."</p> }.into_any()
                            } else {
                                view! {
                                    <ol class="list list--number" aria-labelledby="questions-heading">
                                        {view.questions.iter().map(|q| view! {
                                            <li>{q.prompt.clone()} <span class="hint">{format!(" – {}{}", q.kind.label(), if q.required { ", required" } else { "" })}</span>
                                                {(!q.options.is_empty()).then(|| view! { <span class="hint">{format!(": {}", q.options.iter().map(|o| o.label.as_str()).collect::<Vec<_>>().join(" / "))}</span> })}
                                            </li>
                                        }).collect_view()}
                                    </ol>
                                }.into_any()
                            }}
                            <h3 class="heading-s" id="add-heading">"Add a question"</h3>
                            <ActionForm action=add attr:novalidate=true attr:class="form" attr:aria-labelledby="add-heading">
                                <input type="hidden" name="consultation_id" value=cid_add/>
                                <PostedField name="prompt" label="Question" errors=add_errors/>
                                <PostedField name="hint" label="Hint (optional)" errors=add_errors/>
                                <Radios name="kind" legend="Kind of answer" errors=add_errors
                                    choices=QuestionKind::ALL.iter().map(|k| (k.as_str().to_string(), k.label().to_string())).collect()/>
                                <PostedField name="options" label="Choices (for choose one / choose any)" multiline=true hint="One per line." errors=add_errors/>
                                <div class="checkboxes form-group">
                                    <div class="radios__item">
                                        <input class="radios__input" type="checkbox" id="required" name="required" value="yes"/>
                                        <label class="radios__label" for="required">"An answer is required"</label>
                                    </div>
                                </div>
                                <button type="submit" class="button button--secondary">"Add question"</button>
                            </ActionForm>

                            <h2 class="heading-m" id="stage-heading">"Status"</h2>
                            <ActionForm action=stage attr:class="form" attr:aria-labelledby="stage-heading">
                                <input type="hidden" name="consultation_id" value=cid_stage/>
                                <div class="form-group">
                                    <label class="label" for="stage">"Move it to"</label>
                                    <select class="select" id="stage" name="stage">
                                        {[Stage::Draft, Stage::OpenForIdeas, Stage::OpenForFeedback, Stage::Closed, Stage::Decided].into_iter().map(|s| view! {
                                            <option value=s.as_str() selected=s == card.stage>{s.label()}</option>
                                        }).collect_view()}
                                    </select>
                                </div>
                                <button type="submit" class="button button--secondary">"Change status"</button>
                            </ActionForm>

                            <InviteResidents consultation_id=cid.clone() summary send/>

                            <h2 class="heading-m" id="outcome-heading">"Post a \"you said, we did\" update"</h2>
                            <ActionForm action=outcome attr:novalidate=true attr:class="form" attr:aria-labelledby="outcome-heading">
                                <input type="hidden" name="consultation_id" value=cid_outcome/>
                                <Radios name="status" legend="Where it stands" errors=outcome_errors
                                    choices=OutcomeStatus::ALL.iter().map(|s| (s.as_str().to_string(), s.label().to_string())).collect()/>
                                <PostedField name="reason" label="Why, if it is not being taken forward" errors=outcome_errors/>
                                <PostedField name="progress" label="Progress (%)" input_type="number" hint="A whole number from 0 to 100." errors=outcome_errors/>
                                <PostedField name="body" label="What was done or decided" multiline=true errors=outcome_errors/>
                                <Checkboxes name="answers" legend="What it answers (optional): the questions and residents' ideas it responds to"
                                    choices=answerable errors=outcome_errors/>
                                <button type="submit" class="button">"Post update"</button>
                            </ActionForm>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// Inviting the residents who agreed to be asked: how many first, then one button.
#[component]
fn InviteResidents(
    consultation_id: String,
    summary: Result<InvitationCounts, AppError>,
    send: ServerAction<SendInvitations>,
) -> impl IntoView {
    let send_error = Signal::derive(move || send.value().get().and_then(|r| r.err()));
    view! {
        <h2 class="heading-m" id="invite-heading">"Invite residents"</h2>
        <p class="body">"Residents who agreed to be invited to have their say, and whom workers met in this consultation's areas or about its themes, "
            "each get one email with a link to it. Nobody is invited twice to the same consultation, and anyone who withdraws "
            "before their email goes is not sent it."</p>
        <ErrorSummary error=send_error first_field="invite"/>
        {move || send.value().get().and_then(|r| r.ok()).map(|sent| view! {
            <SuccessBanner title="Invitations sent"><p>{format!("{sent} will get an email over the next few minutes.")}</p></SuccessBanner>
        })}
        {match summary {
            Err(error) => view! { <PageProblem error/> }.into_any(),
            Ok(s) => view! {
                <dl class="summary-list">
                    <div class="summary-list__row">
                        <dt class="summary-list__key">"Would be invited now"</dt>
                        <dd class="summary-list__value" id="invite-ready">{s.ready.clone()}</dd>
                    </div>
                    <div class="summary-list__row">
                        <dt class="summary-list__key">"Invited already"</dt>
                        <dd class="summary-list__value">{s.invited.clone()}</dd>
                    </div>
                </dl>
                {match (s.not_open.clone(), s.any_ready) {
                    (Some(why), _) => view! { <p class="body">{why}</p> }.into_any(),
                    (None, false) => view! { <p class="body">"Nobody is waiting to be invited."</p> }.into_any(),
                    (None, true) => view! {
                        <ActionForm action=send attr:class="form" attr:aria-labelledby="invite-heading">
                            <input type="hidden" name="consultation_id" value=consultation_id/>
                            <button type="submit" class="button" id="invite" aria-describedby="invite-ready">"Send the invitations"</button>
                        </ActionForm>
                    }.into_any(),
                }}
            }.into_any(),
        }}
    }
}
