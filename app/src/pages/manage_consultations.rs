//! Admin pages: the organisation's consultations, creating one, adding its questions, opening
//! and closing it, and posting "you said, we did" updates. Real forms: they work without
//! JavaScript too.

use crate::api::consultations::{
    consultation_lists, get_consultation, manage_consultations, AddQuestion, CreateConsultation, PostOutcome, SetConsultationStage,
    UpdateConsultation,
};
use crate::api::invitations::{invitation_summary, InvitationCounts, SendInvitations};
use crate::api::Named;
use crate::components::address_value;
use crate::components::forms::{field_errors, Checkboxes, ErrorSummary, PostedField, Radios};
use crate::components::status::{PageProblem, SuccessBanner};
use crate::components::title::Title;
use crate::domain::consultation::{OutcomeStatus, QuestionKind, Stage};
use crate::error::AppError;
use crate::i18n::td_string;
use crate::language::names::{self, HasName};
use crate::pages::manage_welsh::{QuestionWelshEdit, WelshDetails, WelshOutcome, WelshQuestion, WelshSetting, WelshStatus};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ManageConsultationsPage() -> impl IntoView {
    let locale = crate::language::page_locale();
    let create = ServerAction::<CreateConsultation>::new();
    // Not refetched after a submission: a refused form keeps what was typed (a created
    // consultation takes the admin to its own page).
    let list = Resource::new(|| (), |_| manage_consultations());
    let lists = Resource::new(|| (), |_| consultation_lists());
    let error = Signal::derive(move || create.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    view! {
        <Title text=td_string!(locale, manage_consultations.manage_title)/>
        <Suspense fallback=move || view! { <p class="body">{td_string!(locale, manage_consultations.loading)}</p> }>
            {move || Suspend::new(async move {
                match (list.await, lists.await) {
                    (Err(error), _) | (_, Err(error)) => view! { <PageProblem error/> }.into_any(),
                    (Ok(items), Ok((areas, themes))) => view! {
                        <ErrorSummary error first_field="title"/>
                        <h1 class="heading-l">{td_string!(locale, manage_consultations.heading)}</h1>
                        <p class="body"><a class="link" href="/manage/moderation">{td_string!(locale, manage_consultations.moderation_link)}</a></p>
                        {if items.is_empty() {
                            view! { <p class="body">{td_string!(locale, manage_consultations.none_yet)}</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-wrap">
                                    <table class="table">
                                        <caption class="visually-hidden">{td_string!(locale, manage_consultations.table_caption)}</caption>
                                        <thead><tr>
                                            <th scope="col">{td_string!(locale, manage_consultations.col_title)}</th>
                                            <th scope="col">{td_string!(locale, manage_consultations.col_status)}</th>
                                            <th scope="col">{td_string!(locale, manage_consultations.col_closes)}</th>
                                        </tr></thead>
                                        <tbody>
                                            {items.into_iter().map(|c| view! {
                                                <tr>
                                                    <td><a class="link" href=format!("/manage/consultations/{}", c.id)>{c.title}</a></td>
                                                    <td>{c.stage.name(locale)}</td>
                                                    <td>{c.closes_on.map(|d| names::long_date(locale, &d)).unwrap_or_else(|| td_string!(locale, manage_consultations.no_date).to_string())}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }}
                        <h2 class="heading-m" id="new-heading">{td_string!(locale, manage_consultations.start_heading)}</h2>
                        <p class="body">{td_string!(locale, manage_consultations.start_text)}</p>
                        <ActionForm action=create attr:novalidate=true attr:class="form" attr:aria-labelledby="new-heading">
                            <PostedField form="form" name="title" label=td_string!(locale, manage_consultations.title_label) errors/>
                            <PostedField form="form" name="summary" label=td_string!(locale, manage_consultations.summary_label)
                                hint=td_string!(locale, manage_consultations.summary_hint) errors/>
                            <PostedField form="form" name="background" label=td_string!(locale, manage_consultations.background_label) multiline=true
                                hint=td_string!(locale, manage_consultations.background_hint) errors/>
                            <WelshDetails errors/>
                            <PostedField form="form" name="opens_on" label=td_string!(locale, manage_consultations.opens_label) input_type="date"
                                hint=td_string!(locale, manage_consultations.opens_hint) errors/>
                            <PostedField form="form" name="closes_on" label=td_string!(locale, manage_consultations.closes_label) input_type="date"
                                hint=td_string!(locale, manage_consultations.closes_hint) errors/>
                            <Checkboxes form="form" name="areas" legend=td_string!(locale, manage_consultations.areas_legend) choices=areas errors/>
                            <Checkboxes form="form" name="themes" legend=td_string!(locale, manage_consultations.themes_legend) choices=themes errors/>
                            <button type="submit" class="button" disabled=move || create.pending().get()>{td_string!(locale, manage_consultations.create_draft)}</button>
                        </ActionForm>
                        <WelshSetting/>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn ManageConsultationPage() -> impl IntoView {
    let locale = crate::language::page_locale();
    let params = use_params_map();
    let add = ServerAction::<AddQuestion>::new();
    let stage = ServerAction::<SetConsultationStage>::new();
    let outcome = ServerAction::<PostOutcome>::new();
    let update = ServerAction::<UpdateConsultation>::new();
    let id = move || address_value(params, "id").unwrap_or_default();
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
        <Suspense fallback=move || view! { <p class="body">{td_string!(locale, manage_consultations.loading)}</p> }>
            {move || Suspend::new(async move {
                match (page.await, lists.await, invitations.await) {
                    (Err(error), _, _) | (_, Err(error), _) => {
                        view! { <Title text=td_string!(locale, manage_consultations.consultation)/><PageProblem error/> }.into_any()
                    }
                    (Ok(view), _, _) if !view.can_manage => view! {
                        <Title text=td_string!(locale, manage_consultations.consultation)/><PageProblem error=AppError::Forbidden/>
                    }.into_any(),
                    (Ok(view), Ok((areas, themes)), summary) => {
                        let card = view.card.clone();
                        let welsh_values = (card.title_cy.clone(), card.summary_cy.clone(), view.background_cy.clone());
                        let whole = view.clone();
                        let cid = card.id.clone();
                        let (cid_add, cid_stage, cid_outcome, cid_update) = (cid.clone(), cid.clone(), cid.clone(), cid.clone());
                        let answerable: Vec<Named> = view.questions.iter()
                            .map(|q| Named {
                                id: format!("question:{}", q.id),
                                name: td_string!(locale, manage_consultations.question_item, prompt = q.prompt.clone()),
                            })
                            .chain(view.proposals.iter().map(|p| Named {
                                id: format!("proposal:{}", p.id),
                                name: td_string!(locale, manage_consultations.idea_item, title = p.name.clone()),
                            }))
                            .collect();
                        let tagged = |list: &[Named]| list.iter().map(|n| n.id.clone()).collect::<Vec<_>>();
                        let (area_ids, theme_ids) = (tagged(&card.areas), tagged(&card.themes));
                        view! {
                            <Title text=td_string!(locale, manage_consultations.manage_page_title, title = card.title.clone())/>
                            <ErrorSummary error=add_error first_field="prompt"/>
                            <ErrorSummary error=stage_error first_field="stage"/>
                            <ErrorSummary error=outcome_error first_field="status"/>
                            <ErrorSummary error=update_error first_field="title"/>
                            {move || outcome.value().get().and_then(|r| r.ok()).map(|_| view! {
                                <SuccessBanner title=td_string!(locale, manage_consultations.update_posted)><p>{td_string!(locale, manage_consultations.update_posted_text)}</p></SuccessBanner>
                            })}
                            {move || update.value().get().and_then(|r| r.ok()).map(|_| view! {
                                <SuccessBanner title=td_string!(locale, manage_consultations.details_saved)><p>{td_string!(locale, manage_consultations.details_saved_text)}</p></SuccessBanner>
                            })}
                            <p class="caption">{td_string!(locale, manage_consultations.caption)}</p>
                            <h1 class="heading-l">{card.title.clone()}</h1>
                            <p class="body"><strong class="tag">{card.stage.name(locale)}</strong> " " {td_string!(locale, manage_consultations.response_count, count = view.response_count)}</p>
                            <p class="body"><a class="link" href=format!("/consultations/{cid}")>{td_string!(locale, manage_consultations.see_as_residents)}</a>
                                " · " <a class="link" href=format!("/manage/consultations/{cid}/results")>{td_string!(locale, manage_consultations.results)}</a></p>

                            // Opened when a change is refused, so the error summary's links lead somewhere.
                            <details class="details" open=move || update.value().get().is_some_and(|r| r.is_err())>
                                <summary class="details__summary" id="details-heading">{td_string!(locale, manage_consultations.edit_details)}</summary>
                                <ActionForm action=update attr:novalidate=true attr:class="form" attr:aria-labelledby="details-heading">
                                    <input type="hidden" name="consultation_id" value=cid_update/>
                                    <PostedField form="form" name="title" label=td_string!(locale, manage_consultations.title_label) value=card.title.clone()
                                        errors=update_errors/>
                                    <PostedField form="form" name="summary" label=td_string!(locale, manage_consultations.summary_label) value=card.summary.clone()
                                        hint=td_string!(locale, manage_consultations.summary_hint) errors=update_errors/>
                                    <PostedField form="form" name="background" label=td_string!(locale, manage_consultations.background_label) multiline=true
                                        value=view.background.clone() hint=td_string!(locale, manage_consultations.background_hint) errors=update_errors/>
                                    <WelshDetails values=welsh_values.clone() errors=update_errors/>
                                    <PostedField form="form" name="opens_on" label=td_string!(locale, manage_consultations.opens_label) input_type="date"
                                        value=card.opens_on.clone().unwrap_or_default() hint=td_string!(locale, manage_consultations.opens_hint) errors=update_errors/>
                                    <PostedField form="form" name="closes_on" label=td_string!(locale, manage_consultations.closes_label) input_type="date"
                                        value=card.closes_on.clone().unwrap_or_default() hint=td_string!(locale, manage_consultations.closes_hint) errors=update_errors/>
                                    <Checkboxes form="form" name="areas" legend=td_string!(locale, manage_consultations.areas_legend) choices=areas checked=area_ids
                                        errors=update_errors/>
                                    <Checkboxes form="form" name="themes" legend=td_string!(locale, manage_consultations.themes_legend) choices=themes checked=theme_ids
                                        errors=update_errors/>
                                    <button type="submit" class="button button--secondary">{td_string!(locale, manage_consultations.save_details)}</button>
                                </ActionForm>
                            </details>

                            <h2 class="heading-m" id="questions-heading">{td_string!(locale, manage_consultations.questions)}</h2>
                            {if view.questions.is_empty() {
                                view! { <p class="body">{td_string!(locale, manage_consultations.no_questions)}</p> }.into_any()
                            } else {
                                view! {
                                    <ol class="list list--number" aria-labelledby="questions-heading">
                                        {view.questions.iter().enumerate().map(|(i, q)| view! {
                                            <li>{q.prompt.clone()} <span class="hint">{format!(
                                                " – {}{}",
                                                q.kind.name(locale),
                                                if q.required { format!(", {}", td_string!(locale, manage_consultations.required)) } else { String::new() },
                                            )}</span>
                                                {(!q.options.is_empty()).then(|| view! { <span class="hint">{format!(": {}", q.options.iter().map(|o| o.label.as_str()).collect::<Vec<_>>().join(" / "))}</span> })}
                                                <QuestionWelshEdit consultation_id=cid.clone() question=q.clone() position=i + 1 changes/>
                                            </li>
                                        }).collect_view()}
                                    </ol>
                                }.into_any()
                            }}
                            <h3 class="heading-s" id="add-heading">{td_string!(locale, manage_consultations.add_heading)}</h3>
                            <ActionForm action=add attr:novalidate=true attr:class="form" attr:aria-labelledby="add-heading">
                                <input type="hidden" name="consultation_id" value=cid_add/>
                                <PostedField name="prompt" label=td_string!(locale, manage_consultations.question_label) errors=add_errors/>
                                <PostedField name="hint" label=td_string!(locale, manage_consultations.hint_label) errors=add_errors/>
                                <Radios name="kind" legend=td_string!(locale, manage_consultations.kind_legend) errors=add_errors
                                    choices=QuestionKind::ALL.iter().map(|k| (k.as_str().to_string(), k.name(locale).to_string())).collect()/>
                                <PostedField name="options" label=td_string!(locale, manage_consultations.options_label) multiline=true
                                    hint=td_string!(locale, manage_consultations.options_hint) errors=add_errors/>
                                <WelshQuestion errors=add_errors/>
                                <div class="checkboxes form-group">
                                    <div class="radios__item">
                                        <input class="radios__input" type="checkbox" id="required" name="required" value="yes"/>
                                        <label class="radios__label" for="required">{td_string!(locale, manage_consultations.required_label)}</label>
                                    </div>
                                </div>
                                <button type="submit" class="button button--secondary">{td_string!(locale, manage_consultations.add_question)}</button>
                            </ActionForm>

                            <h2 class="heading-m" id="stage-heading">{td_string!(locale, manage_consultations.status_heading)}</h2>
                            <WelshStatus view=whole/>
                            <ActionForm action=stage attr:class="form" attr:aria-labelledby="stage-heading">
                                <input type="hidden" name="consultation_id" value=cid_stage/>
                                <div class="form-group">
                                    <label class="label" for="stage">{td_string!(locale, manage_consultations.move_to)}</label>
                                    <select class="select" id="stage" name="stage">
                                        {[Stage::Draft, Stage::OpenForIdeas, Stage::OpenForFeedback, Stage::Closed, Stage::Decided].into_iter().map(|s| view! {
                                            <option value=s.as_str() selected=s == card.stage>{s.name(locale)}</option>
                                        }).collect_view()}
                                    </select>
                                </div>
                                <button type="submit" class="button button--secondary">{td_string!(locale, manage_consultations.change_status)}</button>
                            </ActionForm>

                            <InviteResidents consultation_id=cid.clone() summary send/>

                            <h2 class="heading-m" id="outcome-heading">{td_string!(locale, manage_consultations.outcome_heading)}</h2>
                            <ActionForm action=outcome attr:novalidate=true attr:class="form" attr:aria-labelledby="outcome-heading">
                                <input type="hidden" name="consultation_id" value=cid_outcome/>
                                <Radios name="status" legend=td_string!(locale, manage_consultations.where_it_stands) errors=outcome_errors
                                    choices=OutcomeStatus::ALL.iter().map(|s| (s.as_str().to_string(), s.name(locale).to_string())).collect()/>
                                <PostedField name="reason" label=td_string!(locale, manage_consultations.reason_label) errors=outcome_errors/>
                                <PostedField name="progress" label=td_string!(locale, manage_consultations.progress_label) input_type="number"
                                    hint=td_string!(locale, manage_consultations.progress_hint) errors=outcome_errors/>
                                <PostedField name="body" label=td_string!(locale, manage_consultations.body_label) multiline=true errors=outcome_errors/>
                                <WelshOutcome errors=outcome_errors/>
                                <Checkboxes name="answers" legend=td_string!(locale, manage_consultations.answers_legend)
                                    choices=answerable errors=outcome_errors/>
                                <button type="submit" class="button">{td_string!(locale, manage_consultations.post_update)}</button>
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
    let locale = crate::language::page_locale();
    let send_error = Signal::derive(move || send.value().get().and_then(|r| r.err()));
    view! {
        <h2 class="heading-m" id="invite-heading">{td_string!(locale, manage_consultations.invite_heading)}</h2>
        <p class="body">{td_string!(locale, manage_consultations.invite_text)}</p>
        <ErrorSummary error=send_error first_field="invite"/>
        {move || send.value().get().and_then(|r| r.ok()).map(|sent| view! {
            <SuccessBanner title=td_string!(locale, manage_consultations.invitations_sent)>
                <p>{td_string!(locale, manage_consultations.will_get_email, who = sent)}</p>
            </SuccessBanner>
        })}
        {match summary {
            Err(error) => view! { <PageProblem error/> }.into_any(),
            Ok(s) => view! {
                <dl class="summary-list">
                    <div class="summary-list__row">
                        <dt class="summary-list__key">{td_string!(locale, manage_consultations.would_be_invited)}</dt>
                        <dd class="summary-list__value" id="invite-ready">{s.ready.clone()}</dd>
                    </div>
                    <div class="summary-list__row">
                        <dt class="summary-list__key">{td_string!(locale, manage_consultations.invited_already)}</dt>
                        <dd class="summary-list__value">{s.invited.clone()}</dd>
                    </div>
                </dl>
                {match (s.not_open.clone(), s.any_ready) {
                    (Some(why), _) => view! { <p class="body">{why}</p> }.into_any(),
                    (None, false) => view! { <p class="body">{td_string!(locale, manage_consultations.nobody_waiting)}</p> }.into_any(),
                    (None, true) => view! {
                        <ActionForm action=send attr:class="form" attr:aria-labelledby="invite-heading">
                            <input type="hidden" name="consultation_id" value=consultation_id/>
                            <button type="submit" class="button" id="invite" aria-describedby="invite-ready">{td_string!(locale, manage_consultations.send_invitations)}</button>
                        </ActionForm>
                    }.into_any(),
                }}
            }.into_any(),
        }}
    }
}
