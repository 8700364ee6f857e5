//! "What you can do": `/manage/guidance`, where admins keep each theme's self-help guidance, and
//! `/what-you-can-do`, where residents read it (a plain page: no JavaScript needed).

use crate::api::guidance::{manage_guidance, what_you_can_do, SaveGuidance, ThemeGuidanceView};
use crate::components::address_value;
use crate::components::filters::FilterSelect;
use crate::components::forms::{field_errors, ErrorSummary};
use crate::components::status::PageProblem;
use crate::components::title::Title;
use crate::domain::guidance::{MAX_HELP_LEN, MAX_STEPS, MAX_STEP_LEN};
use crate::i18n::td_string;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// One theme's guidance, saved on its own.
#[component]
fn ThemeGuidance(theme: ThemeGuidanceView) -> impl IntoView {
    let locale = crate::language::page_locale();
    let save = ServerAction::<SaveGuidance>::new();
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    let saved = move || save.value().get().is_some_and(|r| r.is_ok());
    let (steps_id, help_id, heading) =
        (format!("steps-{}", theme.theme_id), format!("help-{}", theme.theme_id), format!("theme-{}", theme.theme_id));
    let ids = StoredValue::new((steps_id.clone(), help_id.clone()));
    let steps_error = move || errors.read().text(&ids.read_value().0);
    let help_error = move || errors.read().text(&ids.read_value().1);
    let described = move |id: &str, error: Option<String>, hint: &str| {
        Some([Some(format!("{id}-{hint}")), error.map(|_| format!("{id}-error"))].into_iter().flatten().collect::<Vec<_>>().join(" "))
    };
    let form_label = heading.clone();
    view! {
        <section class="card" aria-labelledby=heading.clone()>
            <h2 class="heading-m" id=heading.clone()>{theme.theme_name.clone()}</h2>
            {theme.updated.clone().map(|u| view! { <p class="hint">{td_string!(locale, guidance.last_changed, date = u)}</p> })}
            <ErrorSummary error first_field=steps_id.clone()/>
            {move || saved().then(|| view! { <p class="body" role="status"><strong class="tag tag--green">{td_string!(locale, guidance.saved)}</strong></p> })}
            <ActionForm action=save attr:novalidate=true attr:class="form" attr:aria-labelledby=form_label>
                <input type="hidden" name="form[theme_id]" value=theme.theme_id.clone()/>
                <div class="form-group" class:form-group--error=move || steps_error().is_some()>
                    <label class="label" for=steps_id.clone()>{td_string!(locale, guidance.steps_label)}</label>
                    <div class="hint" id=format!("{steps_id}-hint")>{td_string!(locale, guidance.steps_hint, steps = MAX_STEPS, length = MAX_STEP_LEN)}</div>
                    {let id = steps_id.clone(); move || steps_error().map(|m| view! { <p class="error-message" id=format!("{id}-error")><span class="visually-hidden">{td_string!(locale, guidance.error_prefix)}" "</span>{m}</p> })}
                    <textarea class="textarea" id=steps_id.clone() name="form[steps]" rows="6"
                        aria-describedby={let id = steps_id.clone(); move || described(&id, steps_error(), "hint")}>{theme.steps.clone()}</textarea>
                </div>
                <div class="form-group" class:form-group--error=move || help_error().is_some()>
                    <label class="label" for=help_id.clone()>{td_string!(locale, guidance.help_label)}</label>
                    <div class="hint" id=format!("{help_id}-hint")>{td_string!(locale, guidance.help_hint, length = MAX_HELP_LEN)}</div>
                    {let id = help_id.clone(); move || help_error().map(|m| view! { <p class="error-message" id=format!("{id}-error")><span class="visually-hidden">{td_string!(locale, guidance.error_prefix)}" "</span>{m}</p> })}
                    <textarea class="textarea" id=help_id.clone() name="form[help]" rows="3"
                        aria-describedby={let id = help_id.clone(); move || described(&id, help_error(), "hint")}>{theme.help.clone()}</textarea>
                </div>
                <button type="submit" class="button button--secondary">{td_string!(locale, guidance.save)}<span class="visually-hidden">" " {td_string!(locale, guidance.save_which, theme = theme.theme_name.clone())}</span></button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn ManageGuidancePage() -> impl IntoView {
    let locale = crate::language::page_locale();
    let themes = Resource::new(|| (), |_| manage_guidance());
    view! {
        <Title text=td_string!(locale, guidance.manage_title)/>
        <h1 class="heading-l">{td_string!(locale, guidance.manage_title)}</h1>
        <p class="body">{td_string!(locale, guidance.manage_lead)}" "
            <a class="link" href="/what-you-can-do">{td_string!(locale, guidance.what_you_can_do)}</a>{td_string!(locale, guidance.manage_lead_after)}</p>
        <Suspense fallback=move || view! { <p class="body">{td_string!(locale, guidance.loading)}</p> }>
            {move || Suspend::new(async move {
                match themes.await {
                    Err(error) => view! { <PageProblem error/> }.into_any(),
                    Ok(list) => list.into_iter().map(|theme| view! { <ThemeGuidance theme/> }).collect_view().into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn WhatYouCanDoPage() -> impl IntoView {
    let locale = crate::language::page_locale();
    let query = use_query_map();
    let theme = move || address_value(query, "theme").filter(|t| !t.is_empty());
    let data = Resource::new(theme, what_you_can_do);
    view! {
        <Title text=td_string!(locale, guidance.what_you_can_do)/>
        <h1 class="heading-l">{td_string!(locale, guidance.what_you_can_do)}</h1>
        <p class="body">{td_string!(locale, guidance.lead)}</p>
        <Suspense fallback=move || view! { <p class="body">{td_string!(locale, guidance.loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <PageProblem error/> }.into_any(),
                    Ok(page) => view! {
                        <form method="get" action="/what-you-can-do" class="filters" aria-labelledby="filters-heading">
                            <h2 class="heading-s" id="filters-heading">{td_string!(locale, guidance.filter)}</h2>
                            <FilterSelect name="theme" label=td_string!(locale, guidance.issue) all=td_string!(locale, guidance.all_issues) choices=page.themes.clone() chosen=page.theme.clone()/>
                            <button type="submit" class="button button--secondary">{td_string!(locale, guidance.show)}</button>
                        </form>
                        {page.items.is_empty().then(|| view! { <p class="body">{td_string!(locale, guidance.nothing_yet)}</p> })}
                        <ul class="card-list">
                            {page.items.into_iter().map(|g| view! {
                                <li class="card">
                                    <h2 class="heading-m card__title">{g.theme.clone()}</h2>
                                    <p class="card__meta">{g.organisation.clone()}</p>
                                    {(!g.steps.is_empty()).then(|| view! {
                                        <h3 class="heading-s">{td_string!(locale, guidance.what_you_can_do)}</h3>
                                        <ul class="bullets">{g.steps.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
                                    })}
                                    {(!g.help.is_empty()).then(|| view! {
                                        <h3 class="heading-s">{td_string!(locale, guidance.who_can_help)}</h3>
                                        <p class="body prewrap">{g.help.clone()}</p>
                                    })}
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
