//! The weekly availability grid, shared by a resident's volunteer profile and a group's
//! opportunity form.

use crate::domain::matching::{DAYS, PARTS};
use crate::domain::FieldErrors;
use leptos::prelude::*;

/// The weekly availability grid: a checkbox for each morning, afternoon and evening, posting
/// `times[]` (or `form[times][]`) as `day-part`.
#[component]
pub fn WeekGrid(
    legend: &'static str,
    hint: &'static str,
    checked: Vec<String>,
    /// The form struct argument it belongs to: posted as `form[times][]`.
    #[prop(optional)]
    form: Option<&'static str>,
    errors: Memo<FieldErrors>,
) -> impl IntoView {
    let error = move || errors.read().text("times");
    let posted = format!("{}[]", crate::components::forms::posted_name(form, "times"));
    view! {
        <div class="form-group" class:form-group--error=move || error().is_some()>
            <fieldset class="fieldset" aria-describedby=move || if error().is_some() { "times-hint times-error" } else { "times-hint" }>
                <legend class="fieldset__legend">{legend}</legend>
                <p class="hint" id="times-hint">{hint}</p>
                {move || error().map(|m| view! { <p class="error-message" id="times-error"><span class="visually-hidden">"Error: "</span>{m}</p> })}
                <table class="week-grid">
                    <thead><tr><td></td>{PARTS.iter().map(|p| view! { <th scope="col">{capitalise(p)}</th> }).collect_view()}</tr></thead>
                    <tbody>
                        {DAYS.iter().enumerate().map(|(d, day)| view! {
                            <tr>
                                // Phones show "Wed": the full name stays for screen readers.
                                <th scope="row"><span class="week-grid__short" aria-hidden="true">{&day[..3]}</span><span class="week-grid__long">{*day}</span></th>
                                {PARTS.iter().enumerate().map(|(p, part)| {
                                    let value = format!("{d}-{p}");
                                    let id = if d == 0 && p == 0 { "times".to_string() } else { format!("times-{d}-{p}") };
                                    view! {
                                        <td>
                                            // The whole cell is the label: a 44 px target however small the box.
                                            <label class="week-grid__label">
                                                <input class="week-grid__input" type="checkbox" id=id name=posted.clone() value=value.clone() checked=checked.contains(&value)/>
                                                <span class="visually-hidden">{format!("{day} {part}")}</span>
                                            </label>
                                        </td>
                                    }
                                }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </fieldset>
        </div>
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}
