//! The weekly availability grid, shared by a resident's volunteer profile and a group's
//! opportunity form.

use crate::domain::FieldErrors;
use crate::i18n::{td_string, Locale};
use crate::language::matching::{day, slot};
use leptos::prelude::*;

/// The column heading of each part of the day (as `domain::matching::PARTS`).
fn parts(locale: Locale) -> [&'static str; 3] {
    [td_string!(locale, week_grid.mornings), td_string!(locale, week_grid.afternoons), td_string!(locale, week_grid.evenings)]
}

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
    let locale = crate::language::page_locale();
    let (day_names, part_names) = ((0..7).map(|d| day(locale, d)), parts(locale));
    let error = move || errors.read().text("times");
    let posted = format!("{}[]", crate::components::forms::posted_name(form, "times"));
    view! {
        <div class="form-group" class:form-group--error=move || error().is_some()>
            <fieldset class="fieldset" aria-describedby=move || if error().is_some() { "times-hint times-error" } else { "times-hint" }>
                <legend class="fieldset__legend">{legend}</legend>
                <p class="hint" id="times-hint">{hint}</p>
                {move || error().map(|m| view! { <p class="error-message" id="times-error"><span class="visually-hidden">{td_string!(locale, week_grid.error)}" "</span>{m}</p> })}
                <table class="week-grid">
                    <thead><tr><td></td>{part_names.iter().map(|p| view! { <th scope="col">{*p}</th> }).collect_view()}</tr></thead>
                    <tbody>
                        {day_names.into_iter().enumerate().map(|(d, (day, short))| view! {
                            <tr>
                                // Phones show "Wed": the full name stays for screen readers.
                                <th scope="row"><span class="week-grid__short" aria-hidden="true">{short}</span><span class="week-grid__long">{day}</span></th>
                                {(0..part_names.len()).map(|p| {
                                    let value = format!("{d}-{p}");
                                    let id = if d == 0 && p == 0 { "times".to_string() } else { format!("times-{d}-{p}") };
                                    view! {
                                        <td>
                                            // The whole cell is the label: a 44 px target however small the box.
                                            <label class="week-grid__label">
                                                <input class="week-grid__input" type="checkbox" id=id name=posted.clone() value=value.clone() checked=checked.contains(&value)/>
                                                <span class="visually-hidden">{slot(locale, d, p)}</span>
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
