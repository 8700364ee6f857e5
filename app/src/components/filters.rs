//! Pieces of GET filter forms (the dashboard, the audit log): a date filter and the summary of
//! the filters that could not be read.

use crate::i18n::td_string;
use crate::types::intelligence::Problem;
use leptos::prelude::*;

/// A date filter, with its problem (if it could not be read) said beside it.
#[component]
pub fn DateFilter(name: &'static str, label: &'static str, value: Option<String>, problem: Option<Problem>) -> impl IntoView {
    let locale = crate::language::page_locale();
    let error_id = format!("{name}-error");
    // A date box cannot hold what is not a date (browsers blank it), so it starts empty and the
    // message quotes what was given.
    let value = if problem.is_some() { None } else { value };
    view! {
        <div class="form-group form-group--inline" class:form-group--error=problem.is_some()>
            <label class="label" for=name>{label}</label>
            {problem.clone().map(|p| view! {
                <p class="error-message" id=error_id.clone()><span class="visually-hidden">{td_string!(locale, filters.error)}" "</span>{p.message}</p>
            })}
            <input class="input" class:input--error=problem.is_some() type="date" id=name name=name value=value
                aria-invalid=problem.is_some().then_some("true") aria-describedby=problem.is_some().then(|| error_id.clone())/>
        </div>
    }
}

/// "There is a problem" above a GET filter form: each filter that could not be read, linked to
/// its field (the rest of the view still works). Nothing when all is well.
#[component]
pub fn ProblemSummary(problems: Vec<Problem>, id: &'static str) -> impl IntoView {
    let locale = crate::language::page_locale();
    (!problems.is_empty()).then(|| {
        view! {
            <div class="error-summary" role="alert" aria-labelledby=format!("error-summary-title-{id}") tabindex="-1">
                <h2 class="error-summary__title" id=format!("error-summary-title-{id}")>{td_string!(locale, filters.problem_title)}</h2>
                <ul class="error-summary__list">
                    {problems.into_iter().map(|p| view! { <li><a href=format!("#{}", p.field)>{p.message}</a></li> }).collect_view()}
                </ul>
            </div>
        }
    })
}

/// A `<select>` in a GET filter form: "all" first, the chosen one selected.
#[component]
pub fn FilterSelect(
    name: &'static str,
    label: &'static str,
    all: &'static str,
    choices: Vec<crate::api::Named>,
    chosen: Option<String>,
) -> impl IntoView {
    view! {
        <div class="form-group form-group--inline">
            <label class="label" for=name>{label}</label>
            <select class="select" id=name name=name>
                <option value="">{all}</option>
                {choices.into_iter().map(|n| {
                    let selected = chosen.as_deref() == Some(n.id.as_str());
                    view! { <option value=n.id selected=selected>{n.name}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}
