//! The Welsh of a consultation, on the admin pages: its fields beside the English ones, the
//! organisation's rule that both are written before publishing, and what is still missing.

use crate::api::consultations::{welsh_required, ConsultationView, SetQuestionWelsh, SetWelshRequired};
use crate::components::forms::{field_errors, ErrorSummary, PostedField};
use crate::components::status::SuccessBanner;
use crate::domain::bilingual::{missing_welsh, Part, PartName};
use crate::domain::consultation::Question;
use crate::domain::FieldErrors;
use crate::i18n::td_string;
use leptos::prelude::*;

/// The title, summary and background in Welsh, posted with the details form (`form[title_cy]`…).
#[component]
pub fn WelshDetails(#[prop(optional)] values: (String, String, String), errors: Memo<FieldErrors>) -> impl IntoView {
    let locale = crate::language::page_locale();
    let (title, summary, background) = values;
    view! {
        <fieldset class="fieldset form-group">
            <legend class="fieldset__legend">{td_string!(locale, manage_consultations.welsh_legend)}</legend>
            <div class="hint">{td_string!(locale, manage_consultations.welsh_hint)}</div>
            <PostedField form="form" name="title_cy" label=td_string!(locale, manage_consultations.title_cy_label) value=title errors/>
            <PostedField form="form" name="summary_cy" label=td_string!(locale, manage_consultations.summary_cy_label) value=summary errors/>
            <PostedField form="form" name="background_cy" label=td_string!(locale, manage_consultations.background_cy_label) multiline=true
                value=background errors/>
        </fieldset>
    }
}

/// A question's prompt, hint and choices in Welsh, posted with the "Add a question" form.
#[component]
pub fn WelshQuestion(errors: Memo<FieldErrors>) -> impl IntoView {
    let locale = crate::language::page_locale();
    view! {
        <fieldset class="fieldset form-group">
            <legend class="fieldset__legend">{td_string!(locale, manage_consultations.welsh_legend)}</legend>
            <PostedField name="prompt_cy" label=td_string!(locale, manage_consultations.prompt_cy_label) errors/>
            <PostedField name="hint_cy" label=td_string!(locale, manage_consultations.hint_cy_label) errors/>
            <PostedField name="options_cy" label=td_string!(locale, manage_consultations.options_cy_label) multiline=true
                hint=td_string!(locale, manage_consultations.options_cy_hint) errors/>
        </fieldset>
    }
}

/// A question already added: its Welsh, added or changed (its own form, opened on demand).
/// `changes` is bumped once it is saved, so the page shows it.
#[component]
pub fn QuestionWelshEdit(consultation_id: String, question: Question, position: usize, changes: RwSignal<usize>) -> impl IntoView {
    let locale = crate::language::page_locale();
    let save = ServerAction::<SetQuestionWelsh>::new();
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(_))) {
            changes.update(|n| *n += 1);
        }
    });
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    let qid = question.id.clone();
    let choices = question.options.iter().map(|o| o.label_cy.as_str()).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n");
    let has_choices = !question.options.is_empty();
    view! {
        <details class="details" open=move || error.get().is_some()>
            <summary class="details__summary">{td_string!(locale, manage_consultations.question_welsh_summary, n = position)}</summary>
            <div class="details__text">
                <ErrorSummary error first_field=format!("prompt_cy-{qid}")/>
                <ActionForm action=save attr:novalidate=true attr:class="form">
                    <input type="hidden" name="consultation_id" value=consultation_id/>
                    <input type="hidden" name="question_id" value=qid.clone()/>
                    <PostedField name="prompt_cy" id=format!("prompt_cy-{qid}") label=td_string!(locale, manage_consultations.prompt_cy_label)
                        value=question.prompt_cy.clone() errors/>
                    <PostedField name="hint_cy" id=format!("hint_cy-{qid}") label=td_string!(locale, manage_consultations.hint_cy_label)
                        value=question.hint_cy.clone() errors/>
                    {has_choices.then(|| view! {
                        <PostedField name="options_cy" id=format!("options_cy-{qid}") label=td_string!(locale, manage_consultations.options_cy_label)
                            multiline=true hint=td_string!(locale, manage_consultations.options_cy_hint) value=choices errors/>
                    })}
                    <button type="submit" class="button button--secondary button--small">{td_string!(locale, manage_consultations.save_welsh)}</button>
                </ActionForm>
            </div>
        </details>
    }
}

/// An outcome update's reason and text in Welsh.
#[component]
pub fn WelshOutcome(errors: Memo<FieldErrors>) -> impl IntoView {
    let locale = crate::language::page_locale();
    view! {
        <fieldset class="fieldset form-group">
            <legend class="fieldset__legend">{td_string!(locale, manage_consultations.welsh_legend)}</legend>
            <PostedField name="reason_cy" label=td_string!(locale, manage_consultations.reason_cy_label) errors/>
            <PostedField name="body_cy" label=td_string!(locale, manage_consultations.body_cy_label) multiline=true errors/>
        </fieldset>
    }
}

/// What residents would read that is not written in Welsh yet, in the order they would read it.
pub fn missing(view: &ConsultationView) -> Vec<PartName> {
    let card = &view.card;
    let mut parts = vec![
        Part { name: PartName::Title, english: &card.title, welsh: &card.title_cy },
        Part { name: PartName::Summary, english: &card.summary, welsh: &card.summary_cy },
        Part { name: PartName::Background, english: &view.background, welsh: &view.background_cy },
    ];
    for (i, q) in view.questions.iter().enumerate() {
        parts.extend(q.parts(i + 1));
    }
    missing_welsh(&parts)
}

/// Beside the "Change status" form: whether it can be published under the organisation's rule.
#[component]
pub fn WelshStatus(view: ConsultationView) -> impl IntoView {
    let locale = crate::language::page_locale();
    let missing = missing(&view);
    view.welsh_required.then(|| {
        if missing.is_empty() {
            view! { <p class="inset" id="welsh-status">{td_string!(locale, manage_consultations.welsh_complete)}</p> }.into_any()
        } else {
            view! {
                <div class="inset" id="welsh-status">
                    <p class="body">{td_string!(locale, manage_consultations.welsh_missing)}</p>
                    <ul class="list list--bullet">
                        {missing.into_iter().map(|p| view! { <li>{crate::language::names::part_name(locale, p)}</li> }).collect_view()}
                    </ul>
                </div>
            }
            .into_any()
        }
    })
}

/// The organisation's rule: consultations are published only when written in Welsh and English.
#[component]
pub fn WelshSetting() -> impl IntoView {
    let locale = crate::language::page_locale();
    let set = ServerAction::<SetWelshRequired>::new();
    let current = Resource::new(move || set.version().get(), |_| welsh_required());
    let error = Signal::derive(move || set.value().get().and_then(|r| r.err()));
    view! {
        <h2 class="heading-m" id="welsh-heading">{td_string!(locale, manage_consultations.welsh_setting_heading)}</h2>
        <ErrorSummary error first_field="welsh_required"/>
        {move || set.value().get().and_then(|r| r.ok()).map(|_| view! {
            <SuccessBanner title=td_string!(locale, manage_consultations.welsh_setting_saved)><p>{td_string!(locale, manage_consultations.welsh_setting_saved_text)}</p></SuccessBanner>
        })}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let rule = current.await.unwrap_or_default();
                let on = rule.on;
                if !rule.may_change {
                    // Set by an administrator: others are told what it is.
                    return on.then(|| view! { <p class="body">{td_string!(locale, manage_consultations.welsh_setting_on)}</p> }).into_any();
                }
                view! {
                    <ActionForm action=set attr:class="form" attr:aria-labelledby="welsh-heading">
                        <div class="checkboxes form-group">
                            <div class="radios__item">
                                <input class="radios__input" type="checkbox" id="welsh_required" name="required" value="yes" checked=on/>
                                <label class="radios__label" for="welsh_required">{td_string!(locale, manage_consultations.welsh_setting_label)}</label>
                            </div>
                        </div>
                        <button type="submit" class="button button--secondary">{td_string!(locale, manage_consultations.welsh_setting_save)}</button>
                    </ActionForm>
                }
                .into_any()
            })}
        </Suspense>
    }
}
