//! Resident pages: the list of consultations and one consultation with its response form and
//! its "you said, we did" timeline. Everything here is a plain server-rendered page with real
//! forms, so it works on a cheap phone with JavaScript off; the wasm only makes it smoother.

use crate::api::consultations::{
    get_consultation, list_consultations, ConsultationCard, ConsultationView, ForgetMe, OutcomeAnswer, OutcomeView, Respond,
};
use crate::api::Named;
use crate::components::filters::FilterSelect;
use crate::components::forms::{field_errors, ErrorSummary};
use crate::components::status::{PageProblem, SuccessBanner};
use crate::components::title::Title;
use crate::domain::consultation::{Question, QuestionKind, Stage};
use crate::domain::FieldErrors;
use crate::i18n::{td_string, Locale};
use crate::language::names::{self, HasName};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The language a consultation is shown in, and the `lang` its words are marked with.
fn content_language(card: &ConsultationCard) -> (&'static str, Option<&'static str>) {
    crate::language::content_shown(&card.title_cy)
}

use crate::components::address_value;
use crate::language::in_shown;

fn stage_tag(stage: Stage) -> impl IntoView {
    let class = match stage {
        Stage::OpenForIdeas | Stage::OpenForFeedback => "tag tag--green",
        Stage::Draft => "tag tag--grey",
        _ => "tag",
    };
    view! { <strong class=class>{stage.name(crate::language::page_locale())}</strong> }
}

fn dates(locale: Locale, card: &ConsultationCard) -> Option<String> {
    match (&card.opens_on, &card.closes_on) {
        (Some(o), Some(c)) => {
            Some(td_string!(locale, consultations.dates_from_to, from = names::long_date(locale, o), to = names::long_date(locale, c)))
        }
        (None, Some(c)) => Some(td_string!(locale, consultations.closes_on, date = names::long_date(locale, c))),
        (Some(o), None) => Some(td_string!(locale, consultations.opens_on, date = names::long_date(locale, o))),
        (None, None) => None,
    }
}

fn names(list: &[Named]) -> String {
    list.iter().map(|n| n.name.as_str()).collect::<Vec<_>>().join(", ")
}

#[component]
pub fn ConsultationsPage() -> impl IntoView {
    let locale = crate::language::page_locale();
    let query = use_query_map();
    let filters = move || {
        let q = query.try_get().unwrap_or_default();
        let get = |k: &str| q.get(k).filter(|v| !v.is_empty());
        (get("area"), get("theme"), get("stage"))
    };
    let list = Resource::new(filters, |(area, theme, stage)| list_consultations(area, theme, stage));
    view! {
        <Title text=td_string!(locale, consultations.title)/>
        <h1 class="heading-l">{td_string!(locale, consultations.title)}</h1>
        <p class="body">{td_string!(locale, consultations.intro)}</p>
        <Suspense fallback=move || view! { <p class="body">{td_string!(locale, consultations.loading)}</p> }>
            {move || Suspend::new(async move {
                let (area, theme, stage) = filters();
                match list.await {
                    Err(error) => view! { <PageProblem error/> }.into_any(),
                    Ok(list) => {
                        let count = list.items.len();
                        view! {
                            // A plain GET form: filtering works without JavaScript and the address can be shared.
                            <form method="get" action="/consultations" class="filters" aria-labelledby="filters-heading">
                                <h2 class="heading-s" id="filters-heading">{td_string!(locale, consultations.filter)}</h2>
                                <FilterSelect name="area" label=td_string!(locale, consultations.area) all=td_string!(locale, consultations.all_areas)
                                    choices=list.areas.clone() chosen=area.clone()/>
                                <FilterSelect name="theme" label=td_string!(locale, consultations.theme) all=td_string!(locale, consultations.all_themes)
                                    choices=list.themes.clone() chosen=theme.clone()/>
                                <FilterSelect name="stage" label=td_string!(locale, consultations.status) all=td_string!(locale, consultations.any_status)
                                    choices=Stage::PUBLIC.iter().map(|s| Named { id: s.as_str().into(), name: s.name(locale).into() }).collect()
                                    chosen=stage.clone()/>
                                <button type="submit" class="button button--secondary">{td_string!(locale, consultations.apply_filters)}</button>
                            </form>
                            <p class="body" role="status">{match count {
                                0 => td_string!(locale, consultations.none_match).to_string(),
                                n => td_string!(locale, consultations.found, count = n),
                            }}</p>
                            <ul class="card-list">
                                {list.items.into_iter().map(|c| view! { <ConsultationCardView card=c/> }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn ConsultationCardView(card: ConsultationCard) -> impl IntoView {
    let locale = crate::language::page_locale();
    let when = dates(locale, &card);
    let about = [names(&card.areas), names(&card.themes)].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" · ");
    let shown = content_language(&card).0;
    let (title, title_lang, title_dir) = in_shown(shown, &card.title, &card.title_cy);
    let (summary, summary_lang, summary_dir) = in_shown(shown, &card.summary, &card.summary_cy);
    view! {
        <li class="card">
            <h2 class="heading-m card__title"><a class="link" lang=title_lang dir=title_dir href=format!("/consultations/{}", card.id)>{title}</a></h2>
            <p class="card__meta">{stage_tag(card.stage)} " " {card.organisation_name.clone()} {when.map(|w| format!(" · {w}"))}</p>
            <p class="body" lang=summary_lang dir=summary_dir>{summary}</p>
            {(!about.is_empty()).then(|| view! { <p class="hint">{about}</p> })}
        </li>
    }
}

#[component]
pub fn ConsultationPage() -> impl IntoView {
    let locale = crate::language::page_locale();
    let params = use_params_map();
    let respond = ServerAction::<Respond>::new();
    let forget = ServerAction::<ForgetMe>::new();
    let id = move || address_value(params, "id").unwrap_or_default();
    let page = Resource::new(move || (id(), respond.version().get(), forget.version().get()), |(id, ..)| get_consultation(id));
    let ideas = crate::pages::ideas::IdeasState::new(id);
    view! {
        <Suspense fallback=move || view! { <p class="body">{td_string!(locale, consultations.loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <Title text=td_string!(locale, consultations.consultation)/><PageProblem error/> }.into_any(),
                    Ok(view) => view! { <ConsultationBody view respond forget ideas/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ConsultationBody(
    view: ConsultationView,
    respond: ServerAction<Respond>,
    forget: ServerAction<ForgetMe>,
    ideas: crate::pages::ideas::IdeasState,
) -> impl IntoView {
    let locale = crate::language::page_locale();
    let card = view.card.clone();
    let when = dates(locale, &card);
    let about = [names(&card.areas), names(&card.themes)].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" · ");
    let (shown, lang) = content_language(&card);
    let (title, title_lang, title_dir) = in_shown(shown, &card.title, &card.title_cy);
    let (summary, summary_lang, summary_dir) = in_shown(shown, &card.summary, &card.summary_cy);
    let (background_html, background_lang, background_dir) = in_shown(shown, &view.background_html, &view.background_cy_html);
    let has_background = !background_html.trim().is_empty();
    let outcomes = view.outcomes.clone();
    view! {
        <Title text=title.clone()/>
        <p class="caption">{card.organisation_name.clone()}</p>
        <h1 class="heading-l" lang=title_lang dir=title_dir>{title}</h1>
        <p class="card__meta">{stage_tag(card.stage)} {when.map(|w| format!(" {w}"))}</p>
        // Not written in the reader's language: said so, in their language.
        {lang.map(|_| view! { <p class="inset" id="language-note">{td_string!(locale, consultations.not_in_your_language)}</p> })}
        {(!about.is_empty()).then(|| view! { <p class="hint">{td_string!(locale, consultations.about)} " " {about}</p> })}
        <p class="lead" lang=summary_lang dir=summary_dir>{summary}</p>
        {view.can_manage.then(|| view! {
            <p class="body"><a class="link" href=format!("/manage/consultations/{}", card.id)>{td_string!(locale, consultations.manage_link)}</a></p>
        })}
        {has_background.then(|| view! {
            <section aria-labelledby="background-heading">
                <h2 class="heading-m" id="background-heading">{td_string!(locale, consultations.background)}</h2>
                // Rendered from Markdown and sanitised on the server (see server::markdown).
                <div class="prose" lang=background_lang dir=background_dir inner_html=background_html.clone()></div>
            </section>
        })}
        <Outcomes outcomes consultation_id=view.card.id.clone()/>
        <crate::pages::ideas::Ideas consultation_id=card.id.clone() stage=card.stage open=view.closed_reason.is_none() state=ideas/>
        {(!view.questions.is_empty()).then(|| view! { <ResponseSection view respond forget/> })}
    }
}

/// "In answer to": the questions and ideas an update answers, ideas linked to their pages.
#[component]
fn OutcomeAnswers(answers: Vec<OutcomeAnswer>, consultation_id: String) -> impl IntoView {
    let locale = crate::language::page_locale();
    (!answers.is_empty()).then(|| {
        view! {
            <div class="body">
                <p class="body"><strong>{td_string!(locale, consultations.in_answer_to)}</strong></p>
                <ul class="list list--bullet">
                    {answers.into_iter().map(|a| {
                        if a.kind == "proposal" {
                            view! { <li>{td_string!(locale, consultations.idea)} " " <a class="link" href=format!("/consultations/{consultation_id}/ideas/{}", a.id)>{a.title}</a></li> }.into_any()
                        } else {
                            view! { <li>{td_string!(locale, consultations.question)} " " {a.title}</li> }.into_any()
                        }
                    }).collect_view()}
                </ul>
            </div>
        }
    })
}

#[component]
fn Outcomes(outcomes: Vec<OutcomeView>, consultation_id: String) -> impl IntoView {
    let locale = crate::language::page_locale();
    // Each update in the reader's language where it was written in it (as its email is), marked
    // when it is not the page's.
    let pick = move |english: &str, welsh: &str| in_shown(crate::language::choice::code(locale), english, welsh);
    (!outcomes.is_empty()).then(|| {
        view! {
            <section aria-labelledby="outcomes-heading">
                <h2 class="heading-m" id="outcomes-heading">{td_string!(locale, consultations.you_said_we_did)}</h2>
                <ol class="timeline">
                    {outcomes.into_iter().enumerate().map(|(i, o)| view! {
                        <li class="timeline__item">
                            <h3 class="heading-s">{o.status.name(locale)}</h3>
                            <p class="hint"><time datetime=o.published_on.clone()>{names::long_date(locale, &o.published_on)}</time></p>
                            {let (body, lang, dir) = pick(&o.body, &o.body_cy); view! { <p class="body" lang=lang dir=dir>{body}</p> }}
                            {let (reason, lang, dir) = pick(&o.reason, &o.reason_cy); (!reason.is_empty()).then(|| view! {
                                <p class="body"><strong>{td_string!(locale, consultations.why)} " "</strong><span lang=lang dir=dir>{reason}</span></p>
                            })}
                            <OutcomeAnswers answers=o.answers.clone() consultation_id=consultation_id.clone()/>
                            <p class="body">
                                <label class="progress-label" for=format!("progress-{i}")>{td_string!(locale, consultations.progress, percent = o.progress)}</label>
                                " "
                                <progress id=format!("progress-{i}") max="100" value=o.progress>{o.progress} "%"</progress>
                            </p>
                        </li>
                    }).collect_view()}
                </ol>
            </section>
        }
    })
}

#[component]
fn ResponseSection(view: ConsultationView, respond: ServerAction<Respond>, forget: ServerAction<ForgetMe>) -> impl IntoView {
    let locale = crate::language::page_locale();
    let error = Signal::derive(move || respond.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    let saved = move || respond.value().get().and_then(|r| r.ok());
    let first_field = view.questions.first().map(|q| q.field()).unwrap_or_else(|| "email".into());
    if let Some(reason) = view.closed_reason.clone() {
        return view! {
            <section aria-labelledby="respond-heading">
                <h2 class="heading-m" id="respond-heading">{td_string!(locale, consultations.responses)}</h2>
                <p class="inset">{reason}</p>
                <p class="body">{td_string!(locale, consultations.people_responded, count = view.response_count)}</p>
            </section>
        }
        .into_any();
    }
    let closes = view.card.closes_on.clone().map(|c| names::long_date(locale, &c));
    let areas = view.card.areas.clone();
    let consultation_id = view.card.id.clone();
    view! {
        <section aria-labelledby="respond-heading">
            <h2 class="heading-m" id="respond-heading">{td_string!(locale, consultations.have_your_say)}</h2>
            {move || saved().map(|s| view! {
                <SuccessBanner title=td_string!(locale, consultations.thank_you)>
                    <p>{if s.replaced { td_string!(locale, consultations.changes_saved) } else { td_string!(locale, consultations.response_saved) }}</p>
                    {s.confirm_address.map(|a| view! { <p>{confirm_words(locale, &a, s.link_sent)}</p> })}
                </SuccessBanner>
            })}
            {if view.draft {
                Some(view! { <p class="inset">{td_string!(locale, consultations.draft_not_saved)}</p> }.into_any())
            } else if view.responded {
                Some(view! {
                    <p class="inset">{match closes.clone() {
                        Some(c) => td_string!(locale, consultations.saved_change_until, date = c),
                        None => td_string!(locale, consultations.saved_change_while_open).to_string(),
                    }}</p>
                    {view.email_unconfirmed.then(|| view! {
                        <p class="inset" id="confirm-address">{confirm_words(
                            locale,
                            view.saved_email.as_deref().unwrap_or(td_string!(locale, consultations.your_address)),
                            false,
                        )}</p>
                    })}
                }.into_any())
            } else {
                None
            }}
            {(view.responded || view.draft).then(|| view! {
                <ActionForm action=forget attr:class="inline-form">
                    <p class="body">{td_string!(locale, consultations.not_you)} " "
                        <button type="submit" class="button button--secondary button--small">{td_string!(locale, consultations.start_afresh)}</button>
                    </p>
                </ActionForm>
            })}
            <ErrorSummary error first_field/>
            <ActionForm action=respond attr:novalidate=true attr:class="form" attr:aria-labelledby="respond-heading">
                <input type="hidden" name="consultation_id" value=consultation_id/>
                // In the consultation's language, like the rest of it.
                <div lang=content_language(&view.card).1 dir=content_language(&view.card).1.and(crate::domain::bilingual::marks(crate::language::choice::code(locale), "en").1)>
                    {view.questions.iter().map(|q| {
                        let chosen = view.answers.get(&q.id).cloned().unwrap_or_default();
                        view! { <QuestionField question=q.in_language(content_language(&view.card).0) chosen errors/> }
                    }).collect_view()}
                </div>
                {(!areas.is_empty()).then(|| {
                    let area_error = move || errors.read().text("area_id");
                    let current = view.area_id.clone();
                    view! {
                        <div class="form-group" class:form-group--error=move || area_error().is_some()>
                            <label class="label" for="area_id">{td_string!(locale, consultations.which_area)}</label>
                            <div class="hint" id="area_id-hint">{td_string!(locale, consultations.which_area_hint)}</div>
                            {move || area_error().map(|m| view! {
                                <p class="error-message" id="area_id-error"><span class="visually-hidden">{td_string!(locale, consultations.error)} " "</span>{m}</p>
                            })}
                            <select class="select" id="area_id" name="area_id"
                                aria-describedby=move || if area_error().is_some() { "area_id-hint area_id-error" } else { "area_id-hint" }>
                                <option value="">{td_string!(locale, consultations.prefer_not_to_say)}</option>
                                {areas.into_iter().map(|a| {
                                    let selected = current.as_deref() == Some(a.id.as_str());
                                    view! { <option value=a.id selected=selected>{a.name}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                    }
                })}
                <NotifyFields email=view.email.clone() saved=view.saved_email.clone() notify=view.notify errors/>
                <button type="submit" class="button" disabled=move || respond.pending().get()>
                    {if view.responded { td_string!(locale, consultations.save_changes) } else { td_string!(locale, consultations.send_response) }}
                </button>
            </ActionForm>
        </section>
    }
    .into_any()
}

/// What a resident is told while the address they left waits for its emailed link.
fn confirm_words(locale: Locale, address: &str, just_sent: bool) -> String {
    if just_sent {
        td_string!(locale, consultations.link_sent, address = address)
    } else {
        td_string!(locale, consultations.awaiting_confirmation, address = address)
    }
}

#[component]
fn NotifyFields(email: String, saved: Option<String>, notify: bool, errors: Memo<FieldErrors>) -> impl IntoView {
    let locale = crate::language::page_locale();
    let email_error = move || errors.read().text("email");
    view! {
        <div class="form-group" class:form-group--error=move || email_error().is_some()>
            <fieldset class="fieldset">
                <legend class="fieldset__legend">{td_string!(locale, consultations.hear_what_happens)}</legend>
                <div class="checkboxes">
                    <div class="radios__item">
                        <input class="radios__input" type="checkbox" id="notify" name="notify" value="yes" checked=notify/>
                        <label class="radios__label" for="notify">{td_string!(locale, consultations.email_me)}</label>
                    </div>
                </div>
                <label class="label" for="email">{td_string!(locale, consultations.email_address)}</label>
                <div class="hint" id="email-hint">{td_string!(locale, consultations.email_hint)}
                    {saved.map(|s| format!(" {}", td_string!(locale, consultations.email_saved_hint, address = s)))}</div>
                {move || email_error().map(|m| view! {
                    <p class="error-message" id="email-error"><span class="visually-hidden">{td_string!(locale, consultations.error)} " "</span>{m}</p>
                })}
                <input class="input" class:input--error=move || email_error().is_some() type="email" id="email" name="email" value=email
                    autocomplete="email" spellcheck="false"
                    aria-describedby=move || if email_error().is_some() { "email-hint email-error" } else { "email-hint" }/>
            </fieldset>
        </div>
    }
}

/// One question as a form field. Every control posts as `answers[q-<question id>][]`, so one
/// choice, several choices and text all arrive the same way.
#[component]
fn QuestionField(question: Question, chosen: Vec<String>, errors: Memo<FieldErrors>) -> impl IntoView {
    let locale = crate::language::page_locale();
    let field = question.field();
    let name = format!("answers[{field}][]");
    let error_field = field.clone();
    let error = move || errors.read().text(&error_field);
    let error_id = format!("{field}-error");
    let hint_id = format!("{field}-hint");
    let has_hint = !question.hint.is_empty();
    let all_id = (question.kind == QuestionKind::MultipleChoice).then(|| format!("{field}-all"));
    let described = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        let error = error.clone();
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            ids.extend(all_id.clone());
            if error().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let legend = if question.required {
        question.prompt.clone()
    } else {
        format!("{} {}", question.prompt, td_string!(locale, consultations.optional))
    };
    let hint = has_hint.then(|| view! { <div class="hint" id=hint_id.clone()>{question.hint.clone()}</div> });
    let message = {
        let error = error.clone();
        let error_id = error_id.clone();
        move || {
            error().map(|m| {
                view! { <p class="error-message" id=error_id.clone()><span class="visually-hidden">{td_string!(locale, consultations.error)} " "</span>{m}</p> }
            })
        }
    };
    let group_class = {
        let error = error.clone();
        move || if error().is_some() { "form-group form-group--error" } else { "form-group" }
    };
    match question.kind {
        QuestionKind::FreeText => {
            let text = chosen.first().cloned().unwrap_or_default();
            view! {
                <div class=group_class>
                    <label class="label label--bold" for=field.clone()>{legend}</label>
                    {hint}
                    {message}
                    <textarea class="textarea" id=field.clone() name=name rows="5" aria-describedby=described>{text}</textarea>
                </div>
            }
            .into_any()
        }
        kind => {
            let multiple = kind == QuestionKind::MultipleChoice;
            let choices: Vec<(String, String)> = match kind {
                QuestionKind::Scale => (1..=5).map(|i| (i.to_string(), names::scale_point(locale, i).to_string())).collect(),
                _ => question.options.iter().map(|o| (o.id.clone(), o.label.clone())).collect(),
            };
            view! {
                <div class=group_class>
                    <fieldset class="fieldset" aria-describedby=described>
                        <legend class="fieldset__legend fieldset__legend--bold">{legend}</legend>
                        {hint}
                        {multiple.then(|| view! { <div class="hint" id=format!("{field}-all")>{td_string!(locale, consultations.choose_all)}</div> })}
                        {message}
                        <div class=if multiple { "checkboxes" } else { "radios" }>
                            {choices.into_iter().enumerate().map(|(i, (value, label))| {
                                let id = if i == 0 { field.clone() } else { format!("{field}-{i}") };
                                let checked = chosen.contains(&value);
                                view! {
                                    <div class="radios__item">
                                        <input class="radios__input" type=if multiple { "checkbox" } else { "radio" } id=id.clone()
                                            name=name.clone() value=value checked=checked/>
                                        <label class="radios__label" for=id>{label}</label>
                                    </div>
                                }
                            }).collect_view()}
                        </div>
                    </fieldset>
                </div>
            }
            .into_any()
        }
    }
}
