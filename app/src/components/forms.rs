//! Form pieces that follow the GOV.UK Design System: an error summary at the top that links to
//! each field, and inline messages on the fields themselves.

use crate::api::Named;
use crate::domain::FieldErrors;
use crate::error::AppError;
use crate::i18n::{td_string, Locale};
use leptos::html;
use leptos::prelude::*;

pub use super::focus::{focus_on_click, focus_when_shown};

/// Field errors of a failed submission, or an empty set.
pub fn field_errors(error: &Option<AppError>) -> FieldErrors {
    error.as_ref().and_then(|e| e.field_errors().cloned()).unwrap_or_default()
}

/// "There is a problem" box. Each field error links to its field; any other error is listed
/// as text, linked to `first_field` so keyboard users can go straight back to the form.
/// Takes focus when it appears, so screen readers announce it.
#[component]
pub fn ErrorSummary(#[prop(into)] error: Signal<Option<AppError>>, #[prop(into)] first_field: String) -> impl IntoView {
    let locale = crate::language::page_locale();
    let summary = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        if error.get().is_some() {
            if let Some(el) = summary.get() {
                let _ = el.focus();
            }
        }
    });
    move || {
        let first_field = first_field.clone();
        error.get().map(move |error| {
            let items: Vec<(String, String)> = match &error {
                AppError::Invalid(errors) => errors.iter().map(|e| (e.field.clone(), e.message.to_string())).collect(),
                other => vec![(first_field.clone(), other.to_string())],
            };
            view! {
                // A page may hold several forms, each with its summary: ids stay unique.
                <div class="error-summary" role="alert" aria-labelledby=format!("error-summary-title-{first_field}") tabindex="-1" autofocus=true node_ref=summary>
                    <h2 class="error-summary__title" id=format!("error-summary-title-{first_field}")>{td_string!(locale, forms.problem_title)}</h2>
                    <ul class="error-summary__list">
                        {items.into_iter().map(|(field, message)| view! {
                            <li><a href=format!("#{field}") on:click=focus_on_click(field.clone())>{message}</a></li>
                        }).collect_view()}
                    </ul>
                </div>
            }
        })
    }
}

/// The `aria-describedby` of a field's control: its hint and, when shown, its error message.
fn described_by(
    id: impl Into<String>,
    has_hint: bool,
    error: Signal<Option<String>>,
) -> impl Fn() -> Option<String> + Send + Sync + 'static {
    let id: String = id.into();
    move || described(&id, has_hint, error.get().is_some())
}

/// The frame every field shares: label, hint, inline error, then the control itself. `id` is
/// the control's (its name, unless a page holds several fields of one name).
#[component]
fn FieldFrame(
    #[prop(into)] id: String,
    label: &'static str,
    hint: Option<&'static str>,
    error: Signal<Option<String>>,
    children: Children,
) -> impl IntoView {
    let locale = crate::language::page_locale();
    let error_id = format!("{id}-error");
    view! {
        <div class="form-group" class:form-group--error=move || error.get().is_some()>
            <label class="label" for=id.clone()>{label}</label>
            {hint.map(|h| view! { <div class="hint" id=format!("{id}-hint")>{h}</div> })}
            {move || error.get().map(|message| view! {
                <p class="error-message" id=error_id.clone()><span class="visually-hidden">{td_string!(locale, forms.error)}" "</span>{message}</p>
            })}
            {children()}
        </div>
    }
}

/// A labelled text input with optional hint and inline error.
#[component]
pub fn TextField(
    name: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(into, optional)] error: Signal<Option<String>>,
    #[prop(optional)] spellcheck_off: bool,
) -> impl IntoView {
    view! {
        <FieldFrame id=name label hint error>
            <input
                class="input"
                class:input--error=move || error.get().is_some()
                id=name
                name=name
                type=input_type
                autocomplete=autocomplete
                spellcheck=spellcheck_off.then_some("false")
                aria-describedby=described_by(name, hint.is_some(), error)
            />
        </FieldFrame>
    }
}

/// A text input bound to a signal (forms kept on the device rather than posted).
#[component]
pub fn BoundField(
    name: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(into, optional)] error: Signal<Option<String>>,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] on_input: Callback<String>,
    #[prop(default = "")] width_class: &'static str,
) -> impl IntoView {
    view! {
        <FieldFrame id=name label hint error>
            <input
                class=format!("input {width_class}")
                class:input--error=move || error.get().is_some()
                id=name
                name=name
                type=input_type
                autocomplete=autocomplete
                aria-describedby=described_by(name, hint.is_some(), error)
                prop:value=move || value.get()
                on:input=move |ev| on_input.run(event_target_value(&ev))
            />
        </FieldFrame>
    }
}

/// A multi-line text box bound to a signal.
#[component]
pub fn TextArea(
    name: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(into, optional)] error: Signal<Option<String>>,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] on_input: Callback<String>,
    /// The control's id where a page has several boxes of one name; `name` otherwise.
    #[prop(optional, into)]
    id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| name.to_string());
    let control = id.clone();
    let describe = described_by(id.clone(), hint.is_some(), error);
    view! {
        <FieldFrame id label hint error>
            <textarea
                class="textarea"
                class:input--error=move || error.get().is_some()
                id=control
                name=name
                rows="4"
                aria-describedby=describe
                prop:value=move || value.get()
                on:input=move |ev| on_input.run(event_target_value(&ev))
            ></textarea>
        </FieldFrame>
    }
}

/// A labelled drop-down bound to a signal. The first option is a "Select …" prompt.
#[component]
pub fn SelectField(
    name: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(into, optional)] error: Signal<Option<String>>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] on_change: Callback<String>,
    /// The first option's words; "Select one" unless given.
    #[prop(optional)]
    prompt: Option<&'static str>,
) -> impl IntoView {
    let locale = crate::language::page_locale();
    let prompt = prompt.unwrap_or_else(|| td_string!(locale, forms.select_prompt));
    view! {
        <FieldFrame id=name label hint error>
            <select
                class="select"
                class:input--error=move || error.get().is_some()
                id=name
                name=name
                aria-describedby=described_by(name, hint.is_some(), error)
                prop:value=move || value.get()
                on:change=move |ev| on_change.run(event_target_value(&ev))
            >
                <option value="">{prompt}</option>
                {move || options.get().into_iter().map(|(id, text)| {
                    let selected = value.get_untracked() == id;
                    view! { <option value=id selected=selected>{text}</option> }
                }).collect_view()}
            </select>
        </FieldFrame>
    }
}

/// A group of radios (one choice) or checkboxes (several) in a fieldset, bound to signals.
/// The first control carries the group's name as its id so the error summary can link to it.
#[component]
pub fn ChoiceGroup(
    name: &'static str,
    legend: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(into, optional)] error: Signal<Option<String>>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    /// The chosen values (one at most for radios).
    #[prop(into)]
    chosen: Signal<Vec<String>>,
    /// Called with (value, now chosen?).
    #[prop(into)]
    on_toggle: Callback<(String, bool)>,
    #[prop(optional)] multiple: bool,
    #[prop(optional)] inline: bool,
) -> impl IntoView {
    let locale = crate::language::page_locale();
    let describe = described_by(name, hint.is_some(), error);
    view! {
        <div class="form-group" class:form-group--error=move || error.get().is_some()>
            <fieldset class="fieldset" aria-describedby=describe>
                <legend class="fieldset__legend">{legend}</legend>
                {hint.map(|h| view! { <div class="hint" id=format!("{name}-hint")>{h}</div> })}
                {move || error.get().map(|message| view! {
                    <p class="error-message" id=format!("{name}-error")><span class="visually-hidden">{td_string!(locale, forms.error)}" "</span>{message}</p>
                })}
                <div class=if multiple { "checkboxes" } else { "radios" } class:choices--inline=inline>
                    {move || options.get().into_iter().enumerate().map(|(i, (value, text))| {
                        let id = if i == 0 { name.to_string() } else { format!("{name}-{i}") };
                        let v = value.clone();
                        let checked = move || chosen.get().contains(&v);
                        let v2 = value.clone();
                        view! {
                            <div class="radios__item">
                                <input
                                    class="radios__input"
                                    type=if multiple { "checkbox" } else { "radio" }
                                    id=id.clone()
                                    name=name
                                    value=value.clone()
                                    prop:checked=checked
                                    on:change=move |ev| on_toggle.run((v2.clone(), event_target_checked(&ev)))
                                />
                                <label class="radios__label" for=id>{text}</label>
                            </div>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
        </div>
    }
}

/// The hint under every field where someone chooses a password (the rules are in
/// `domain::validation::check_new_password`), in the page's language.
pub fn new_password_hint(locale: Locale) -> &'static str {
    td_string!(locale, forms.new_password_hint)
}

/// A password input with a "Show" button that appears once the page is interactive.
#[component]
pub fn PasswordField(
    name: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    autocomplete: &'static str,
    #[prop(into, optional)] error: Signal<Option<String>>,
) -> impl IntoView {
    let locale = crate::language::page_locale();
    let shown = RwSignal::new(false);
    let toggled = RwSignal::new(false);
    let interactive = RwSignal::new(false);
    Effect::new(move |_| interactive.set(true));
    view! {
        <FieldFrame id=name label hint error>
            <div class="password-input">
                <input
                    class="input password-input__input"
                    class:input--error=move || error.get().is_some()
                    id=name
                    name=name
                    type=move || if shown.get() { "text" } else { "password" }
                    autocomplete=autocomplete
                    spellcheck="false"
                    autocapitalize="none"
                    aria-describedby=described_by(name, hint.is_some(), error)
                />
                <button
                    type="button"
                    class="button button--secondary password-input__toggle"
                    aria-controls=name
                    hidden=move || !interactive.get()
                    on:click=move |_| {
                        shown.update(|s| *s = !*s);
                        toggled.set(true);
                    }
                >
                    {move || if shown.get() { td_string!(locale, forms.hide) } else { td_string!(locale, forms.show) }}
                    <span class="visually-hidden">" " {td_string!(locale, forms.password_word)}</span>
                </button>
            </div>
            <span class="visually-hidden" aria-live="polite">
                {move || if !toggled.get() { "" } else if shown.get() { td_string!(locale, forms.password_visible) } else { td_string!(locale, forms.password_hidden) }}
            </span>
        </FieldFrame>
    }
}

/// A plain labelled input or textarea that posts `name` with its form (no signal: forms that
/// must work without JavaScript), with hint and inline error from `errors`.
#[component]
pub fn PostedField(
    name: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] multiline: bool,
    #[prop(optional)] autocomplete: Option<&'static str>,
    /// What the field starts with (editing something that exists).
    #[prop(optional, into)]
    value: Option<String>,
    /// The server function's form struct argument this field belongs to: posted as `form[name]`.
    #[prop(optional)]
    form: Option<&'static str>,
    /// The control's id, and the name its problems are reported by, where a page has several
    /// fields of one name (one form per card); `name` otherwise.
    #[prop(optional, into)]
    id: Option<String>,
    errors: Memo<FieldErrors>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| name.to_string());
    let key = id.clone();
    let error = Signal::derive(move || errors.read().text(&key));
    let describe = described_by(id.clone(), hint.is_some(), error);
    let posted = posted_name(form, name);
    let control = id.clone();
    view! {
        <FieldFrame id label hint error>
            {if multiline {
                view! { <textarea class="textarea" id=control name=posted rows="5" aria-describedby=describe>{value}</textarea> }.into_any()
            } else {
                view! { <input class="input" id=control name=posted type=input_type autocomplete=autocomplete value=value aria-describedby=describe/> }.into_any()
            }}
        </FieldFrame>
    }
}

/// Checkboxes posting `name[]`, or nothing when the list is empty; `checked` are ticked.
#[component]
pub fn Checkboxes(
    name: &'static str,
    legend: &'static str,
    choices: Vec<Named>,
    #[prop(optional)] checked: Vec<String>,
    #[prop(optional)] hint: Option<&'static str>,
    /// The form struct argument it belongs to: posted as `form[name][]`.
    #[prop(optional)]
    form: Option<&'static str>,
    errors: Memo<FieldErrors>,
) -> impl IntoView {
    let locale = crate::language::page_locale();
    let error = move || errors.read().text(name);
    let posted = format!("{}[]", posted_name(form, name));
    (!choices.is_empty()).then(|| {
        view! {
            <div class="form-group" class:form-group--error=move || error().is_some()>
                <fieldset class="fieldset" aria-describedby=move || described(name, hint.is_some(), error().is_some())>
                    <legend class="fieldset__legend">{legend}</legend>
                    {hint.map(|h| view! { <p class="hint" id=format!("{name}-hint")>{h}</p> })}
                    {move || error().map(|m| view! { <p class="error-message" id=format!("{name}-error")><span class="visually-hidden">{td_string!(locale, forms.error)}" "</span>{m}</p> })}
                    <div class="checkboxes">
                        {choices.into_iter().enumerate().map(|(i, n)| {
                            let id = if i == 0 { name.to_string() } else { format!("{name}-{i}") };
                            view! {
                                <div class="radios__item">
                                    <input class="radios__input" type="checkbox" id=id.clone() name=posted.clone() checked=checked.contains(&n.id) value=n.id/>
                                    <label class="radios__label" for=id>{n.name}</label>
                                </div>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
            </div>
        }
    })
}

/// A group of radios (GOV.UK pattern) posting `name`, the first carrying the field's id so the
/// error summary can link to it. A form the page sends itself keeps the choice in `bind`.
#[component]
pub fn Radios(
    #[prop(into)] name: String,
    #[prop(into)] legend: String,
    /// (value, label) for each radio, in order.
    choices: Vec<(String, String)>,
    /// The value chosen before (editing something that exists).
    #[prop(optional)]
    checked: Option<String>,
    #[prop(optional, into)] hint: Option<String>,
    /// The form struct argument it belongs to: posted as `form[name]`.
    #[prop(optional)]
    form: Option<&'static str>,
    errors: Memo<FieldErrors>,
    /// Holds the value as it is chosen, for a form sent by the page's own code.
    #[prop(optional)]
    bind: Option<RwSignal<Option<String>>>,
) -> impl IntoView {
    let locale = crate::language::page_locale();
    let error = Signal::derive({
        let name = name.clone();
        move || errors.read().text(&name)
    });
    let has_hint = hint.is_some();
    let posted = posted_name(form, &name);
    let (hint_id, error_id) = (format!("{name}-hint"), format!("{name}-error"));
    let described_by = {
        let name = name.clone();
        move || described(&name, has_hint, error.get().is_some())
    };
    view! {
        <div class="form-group" class:form-group--error=move || error.get().is_some()>
            <fieldset class="fieldset" aria-describedby=described_by>
                <legend class="fieldset__legend">{legend}</legend>
                {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
                {move || error.get().map(|m| view! { <p class="error-message" id=error_id.clone()><span class="visually-hidden">{td_string!(locale, forms.error)}" "</span>{m}</p> })}
                <div class="radios">
                    {choices.into_iter().enumerate().map(|(i, (value, label))| {
                        let id = if i == 0 { name.clone() } else { format!("{name}-{i}") };
                        let input = match bind {
                            Some(bind) => {
                                let (shown, chosen) = (value.clone(), value.clone());
                                view! {
                                    <input class="radios__input" type="radio" id=id.clone() name=posted.clone() value=value
                                        prop:checked=move || bind.read().as_deref() == Some(shown.as_str())
                                        on:change=move |_| bind.set(Some(chosen.clone()))/>
                                }.into_any()
                            }
                            None => {
                                let was_checked = checked.as_deref() == Some(value.as_str());
                                view! { <input class="radios__input" type="radio" id=id.clone() name=posted.clone() checked=was_checked value=value/> }.into_any()
                            }
                        };
                        view! {
                            <div class="radios__item">
                                {input}
                                <label class="radios__label" for=id>{label}</label>
                            </div>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
        </div>
    }
}

/// The name a field posts: `name`, or `form[name]` inside a server function's form struct
/// argument (the field's id, and the key of its errors, stay `name`).
pub fn posted_name(form: Option<&str>, name: &str) -> String {
    match form {
        Some(form) => format!("{form}[{name}]"),
        None => name.to_string(),
    }
}

/// The ids a fieldset is described by: its hint and its error, when it has them.
fn described(name: &str, hint: bool, error: bool) -> Option<String> {
    let ids: Vec<String> = [hint.then(|| format!("{name}-hint")), error.then(|| format!("{name}-error"))].into_iter().flatten().collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}
