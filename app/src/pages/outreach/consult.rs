//! `/outreach/consultations`: a resident answers an open consultation at the door, on the
//! worker's tablet, online or not. The answers go into the outbox like any other record and
//! are stored as an "assisted" response when they reach the server.

use crate::api::OpenConsultation;
use crate::components::forms::ErrorSummary;
use crate::components::status::SuccessBanner;
use crate::components::title::Title;
use crate::domain::consultation::{check_answers, QuestionKind};

use crate::error::AppError;
use crate::i18n::td_string;
use crate::language::names;
use crate::offline::device::new_id;
use crate::offline::device::new_item;
use crate::offline::use_device;
use leptos::prelude::*;
use std::collections::BTreeMap;

#[component]
pub fn ConsultPage() -> impl IntoView {
    let locale = crate::language::page_locale();
    let device = use_device();
    let chosen = RwSignal::new(String::new());
    let answers = RwSignal::new(BTreeMap::<String, Vec<String>>::new());
    let area = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let saved = RwSignal::new(false);
    let consultations = Memo::new(move |_| device.reference.get().map(|r| r.consultations).unwrap_or_default());
    let current = Memo::new(move |_| consultations.get().into_iter().find(|c| c.id == chosen.get()));
    let first_field =
        Signal::derive(move || current.get().and_then(|c| c.questions.first().map(|q| q.field())).unwrap_or_else(|| "consultation".into()));
    // The language the questions are asked in: the worker's choice, else the page's where the
    // consultation is written in it (`domain::bilingual`), else English.
    let page = crate::language::choice::code(locale);
    let asked_choice = RwSignal::new(None::<&'static str>);
    let asked = Memo::new(move |_| {
        asked_choice.get().or_else(|| current.get().map(|c| crate::domain::bilingual::shown_in(page, &c.title_cy))).unwrap_or("en")
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let Some(c) = current.get_untracked() else {
            error.set(Some(AppError::invalid("consultation", td_string!(locale, outreach_consult.choose_consultation))));
            return;
        };
        // Named in the words the resident was asked in.
        let asked_in: Vec<_> = c.questions.iter().map(|q| q.in_language(asked.get_untracked())).collect();
        if let Err(errors) = check_answers(&asked_in, &answers.get_untracked()) {
            error.set(Some(AppError::Invalid(errors)));
            return;
        }
        let payload = serde_json::json!({
            "consultation_id": c.id,
            "answers": answers.get_untracked(),
            "area_id": area.get_untracked(),
            "language": asked.get_untracked(),
        });
        let item = new_item(new_id(), crate::domain::sync::SyncKind::ConsultationResponse, None, &payload);
        match device.enqueue(item) {
            Ok(()) => {
                error.set(None);
                answers.set(BTreeMap::new());
                area.set(String::new());
                saved.set(true);
            }
            Err(message) => error.set(Some(AppError::invalid("consultation", message))),
        }
    };

    view! {
        <Title text=td_string!(locale, outreach_consult.title)/>
        <a href="/outreach" class="back-link">{td_string!(locale, outreach_consult.back)}</a>
        <h1 class="heading-l">{td_string!(locale, outreach_consult.title)}</h1>
        <p class="body">{td_string!(locale, outreach_consult.intro)}</p>
        <Show when=move || saved.get()>
            <SuccessBanner title=td_string!(locale, outreach_consult.saved_title)><p>{td_string!(locale, outreach_consult.saved_text)}</p></SuccessBanner>
        </Show>
        {move || {
            let first = first_field.get();
            view! { <ErrorSummary error=Signal::derive(move || error.get()) first_field=first/> }
        }}
        {move || {
            if !device.ready.get() {
                return view! { <p class="body">{td_string!(locale, outreach_consult.loading)}</p> }.into_any();
            }
            let list = consultations.get();
            if list.is_empty() {
                return view! { <p class="inset">{td_string!(locale, outreach_consult.none_open)}</p> }.into_any();
            }
            view! {
                <form class="form" novalidate on:submit=submit aria-labelledby="consult-heading">
                    <h2 class="visually-hidden" id="consult-heading">{td_string!(locale, outreach_consult.answers_heading)}</h2>
                    <div class="form-group">
                        <label class="label" for="consultation">{td_string!(locale, outreach_consult.consultation)}</label>
                        <select class="select" id="consultation" name="consultation"
                            on:change=move |ev| {
                                chosen.set(event_target_value(&ev));
                                answers.set(BTreeMap::new());
                                area.set(String::new());
                                asked_choice.set(None);
                                error.set(None);
                            }>
                            <option value="">{td_string!(locale, outreach_consult.choose_prompt)}</option>
                            {list.into_iter().map(|c| {
                                let (title, lang, dir) = crate::language::in_shown(crate::language::content_shown(&c.title_cy).0, &c.title, &c.title_cy);
                                view! { <option value=c.id.clone() selected=c.id == chosen.get_untracked() lang=lang dir=dir>{title}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    // Only the questions follow the language asked in: the choice itself and the area
                    // keep their state (and the worker's focus) when it changes.
                    {move || current.get().map(|c| {
                        let asked_c = c.clone();
                        view! {
                            <AskIn c=c.clone() asked asked_choice/>
                            {move || view! { <Questions c=asked_c.clone() asked=asked.get() answers error/> }}
                            <AreaChoice c area/>
                        }
                    })}
                    <button type="submit" class="button">{td_string!(locale, outreach_consult.save_answers)}</button>
                </form>
            }.into_any()
        }}
    }
}

#[component]
fn AreaChoice(c: OpenConsultation, area: RwSignal<String>) -> impl IntoView {
    let locale = crate::language::page_locale();
    (!c.areas.is_empty()).then(|| {
        view! {
            <div class="form-group">
                <label class="label" for="area_id">{td_string!(locale, outreach_consult.which_area)}</label>
                <select class="select" id="area_id" prop:value=move || area.get() on:change=move |ev| area.set(event_target_value(&ev))>
                    <option value="">{td_string!(locale, outreach_consult.not_given)}</option>
                    {c.areas.into_iter().map(|a| view! { <option value=a.id>{a.name}</option> }).collect_view()}
                </select>
            </div>
        }
    })
}

/// Which language to ask in, where the consultation is written in Welsh too.
#[component]
fn AskIn(c: OpenConsultation, asked: Memo<&'static str>, asked_choice: RwSignal<Option<&'static str>>) -> impl IntoView {
    let locale = crate::language::page_locale();
    let page = crate::language::choice::code(locale);
    (!c.title_cy.trim().is_empty()).then(|| {
        let choice = move |code: &'static str, id: &'static str, name: &'static str| {
            // Each language named in itself, marked as such (and left to right on an Urdu page).
            let (lang, dir) = crate::domain::bilingual::marks(page, code);
            view! {
                <div class="radios__item">
                    <input class="radios__input" type="radio" id=id name="asked_in" value=code
                        prop:checked=move || asked.get() == code on:change=move |_| asked_choice.set(Some(code))/>
                    <label class="radios__label" for=id lang=lang dir=dir>{name}</label>
                </div>
            }
        };
        view! {
            <div class="form-group">
                <fieldset class="fieldset">
                    <legend class="fieldset__legend">{td_string!(locale, outreach_consult.ask_in)}</legend>
                    <div class="radios">
                        {choice("en", "asked-en", "English")}
                        {choice("cy", "asked-cy", "Cymraeg")}
                    </div>
                </fieldset>
            </div>
        }
    })
}

/// The questions, in the language they are asked in (`asked`: "en" or "cy") where written in it
/// and in English where not, each text marked with its own language where that is not the page's.
#[component]
fn Questions(
    c: OpenConsultation,
    asked: &'static str,
    answers: RwSignal<BTreeMap<String, Vec<String>>>,
    error: RwSignal<Option<AppError>>,
) -> impl IntoView {
    use crate::domain::bilingual::{marks, pick};
    let locale = crate::language::page_locale();
    let page = crate::language::choice::code(locale);
    c.questions
        .into_iter()
        .map(|q| {
            let (prompt, shown) = pick(asked, &q.prompt, &q.prompt_cy);
            let (mark, dir) = marks(page, shown);
            let shown_locale = if shown == "cy" { crate::i18n::Locale::cy } else { crate::i18n::Locale::en };
            let prompt = prompt.to_string();
            let field = q.field();
            let qid = q.id.clone();
            let message = {
                let field = field.clone();
                move || error.get().and_then(|e| e.field_errors().and_then(|f| f.text(&field)))
            };
            let legend = if q.required { prompt } else { format!("{prompt} {}", td_string!(shown_locale, outreach_consult.optional)) };
            let error_id = format!("{field}-error");
            let has_error = {
                let message = message.clone();
                move || message().is_some()
            };
            let described = {
                let (message, error_id) = (message.clone(), error_id.clone());
                move || message().map(|_| error_id.clone())
            };
            let message_view = {
                let error_id = error_id.clone();
                move || {
                    message().map(|m| {
                        view! {
                            <p class="error-message" id=error_id.clone()>
                                <span class="visually-hidden">{td_string!(locale, outreach_consult.error)}" "</span>
                                {m}
                            </p>
                        }
                    })
                }
            };
            if q.kind == QuestionKind::FreeText {
                let qid2 = qid.clone();
                view! {
                    <div class="form-group" class:form-group--error=has_error>
                        <label class="label label--bold" for=field.clone() lang=mark dir=dir>{legend}</label>
                        {message_view}
                        <textarea class="textarea" id=field.clone() rows="4" aria-describedby=described
                            prop:value=move || answers.with(|a| a.get(&qid).and_then(|v| v.first().cloned()).unwrap_or_default())
                            on:input=move |ev| { let v = event_target_value(&ev); answers.update(|a| { a.insert(qid2.clone(), vec![v]); }); }></textarea>
                    </div>
                }
                .into_any()
            } else {
                let multiple = q.kind == QuestionKind::MultipleChoice;
                let choices: Vec<(String, String, &'static str)> = match q.kind {
                    QuestionKind::Scale => (1..=5).map(|i| (i.to_string(), names::scale_point(shown_locale, i).to_string(), shown)).collect(),
                    _ => q
                        .options
                        .iter()
                        .map(|o| {
                            let (label, language) = pick(asked, &o.label, &o.label_cy);
                            (o.id.clone(), label.to_string(), language)
                        })
                        .collect(),
                };
                view! {
                    <div class="form-group" class:form-group--error=has_error>
                        <fieldset class="fieldset" aria-describedby=described>
                            <legend class="fieldset__legend fieldset__legend--bold" lang=mark dir=dir>{legend}</legend>
                            {message_view}
                            <div class=if multiple { "checkboxes" } else { "radios" }>
                                {choices.into_iter().enumerate().map(|(i, (value, label, language))| {
                                    let id = if i == 0 { field.clone() } else { format!("{field}-{i}") };
                                    let (lang, dir) = marks(page, language);
                                    let (qid_c, qid_t, v_c, v_t) = (qid.clone(), qid.clone(), value.clone(), value.clone());
                                    view! {
                                        <div class="radios__item">
                                            <input class="radios__input" type=if multiple { "checkbox" } else { "radio" } id=id.clone() name=field.clone() value=value
                                                prop:checked=move || answers.with(|a| a.get(&qid_c).is_some_and(|v| v.contains(&v_c)))
                                                on:change=move |ev| {
                                                    let on = event_target_checked(&ev);
                                                    answers.update(|a| {
                                                        let entry = a.entry(qid_t.clone()).or_default();
                                                        if !multiple {
                                                            entry.clear();
                                                        }
                                                        entry.retain(|x| x != &v_t);
                                                        if on {
                                                            entry.push(v_t.clone());
                                                        }
                                                    });
                                                }/>
                                            <label class="radios__label" for=id lang=lang dir=dir>{label}</label>
                                        </div>
                                    }
                                }).collect_view()}
                            </div>
                        </fieldset>
                    </div>
                }
                .into_any()
            }
        })
        .collect_view()
}
