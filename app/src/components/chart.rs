//! An accessible bar chart: an SVG with a title and a plain-words summary (what a screen reader
//! hears), the same figures in a table beside it, and a link to them as CSV.

use crate::api::intelligence::{Bar, Table};
use crate::i18n::{td_string, Locale};
use leptos::prelude::*;

/// What a bar chart counts: its summary names it, in a sentence of its own in each language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counted {
    IssuesRaised,
    Answers,
    Conversations,
}

/// "Damp and mould has the most issues raised (42), then Housing repairs (30)." Small counts are
/// not named.
pub fn summary(locale: Locale, counted: Counted, bars: &[Bar]) -> String {
    use Counted::*;
    let shown: Vec<&Bar> = bars.iter().filter(|b| b.value.is_some_and(|v| v > 0)).collect();
    match shown.as_slice() {
        [] if bars.iter().all(|b| b.value == Some(0)) || bars.is_empty() => {
            let said = match counted {
                IssuesRaised => td_string!(locale, chart.issues_none),
                Answers => td_string!(locale, chart.answers_none),
                Conversations => td_string!(locale, chart.conversations_none),
            };
            said.to_string()
        }
        [] => {
            let said = match counted {
                IssuesRaised => td_string!(locale, chart.issues_small),
                Answers => td_string!(locale, chart.answers_small),
                Conversations => td_string!(locale, chart.conversations_small),
            };
            said.to_string()
        }
        [one] => {
            let (label, shown) = (one.label.clone(), one.shown.clone());
            match counted {
                IssuesRaised => td_string!(locale, chart.issues_first, label = label, shown = shown),
                Answers => td_string!(locale, chart.answers_first, label = label, shown = shown),
                Conversations => td_string!(locale, chart.conversations_first, label = label, shown = shown),
            }
        }
        [first, second, ..] => {
            let (label, shown) = (first.label.clone(), first.shown.clone());
            let (next, next_shown) = (second.label.clone(), second.shown.clone());
            match counted {
                IssuesRaised => {
                    td_string!(locale, chart.issues_first_then, label = label, shown = shown, next = next, next_shown = next_shown)
                }
                Answers => td_string!(locale, chart.answers_first_then, label = label, shown = shown, next = next, next_shown = next_shown),
                Conversations => {
                    td_string!(locale, chart.conversations_first_then, label = label, shown = shown, next = next, next_shown = next_shown)
                }
            }
        }
    }
}

const ROW: i64 = 34;
const LABEL_WIDTH: i64 = 230;
const BAR_SPACE: i64 = 300;

#[component]
pub fn BarChart(
    /// Unique on the page: ids of the title, summary and table hang off it.
    id: &'static str,
    title: String,
    /// What is counted, named in the summary ("issues raised").
    counted: Counted,
    bars: Vec<Bar>,
    /// Column heading for the labels ("Theme").
    label_heading: &'static str,
    csv: String,
    /// What the figures mean, under the heading.
    #[prop(optional)]
    note: Option<&'static str>,
) -> impl IntoView {
    let locale = crate::language::page_locale();
    let said = summary(locale, counted, &bars);
    let max = bars.iter().filter_map(|b| b.value).max().unwrap_or(0).max(1);
    let height = (bars.len() as i64).max(1) * ROW;
    let (title_id, desc_id) = (format!("{id}-title"), format!("{id}-desc"));
    view! {
        <section class="chart-block" aria-labelledby=format!("{id}-heading")>
            <h2 class="heading-m" id=format!("{id}-heading")>{title.clone()}</h2>
            {note.map(|n| view! { <p class="hint">{n}</p> })}
            <p class="body" id=desc_id.clone()>{said.clone()}</p>
            {(!bars.is_empty()).then(|| view! {
                <svg class="chart__svg" viewBox=format!("0 0 {} {height}", LABEL_WIDTH + BAR_SPACE + 70) role="img"
                    aria-labelledby=format!("{title_id} {desc_id}") focusable="false">
                    <title id=title_id.clone()>{title.clone()}</title>
                    {bars.iter().enumerate().map(|(i, b)| {
                        let y = i as i64 * ROW;
                        let width = b.value.map(|v| (v * BAR_SPACE) / max).unwrap_or(0);
                        view! {
                            <g>
                                <text class="chart__label" x=LABEL_WIDTH - 8 y=y + 22 text-anchor="end">{b.label.clone()}</text>
                                <rect class=if b.value.is_some() { "chart__bar" } else { "chart__bar chart__bar--hidden" }
                                    x=LABEL_WIDTH y=y + 6 width=width.max(2) height=ROW - 12/>
                                <text class="chart__value" x=LABEL_WIDTH + width.max(2) + 6 y=y + 22>{b.shown.clone()}</text>
                            </g>
                        }
                    }).collect_view()}
                </svg>
                // A table wider than the screen scrolls in its box, which keyboard users can reach.
                <div class="table-wrap" tabindex="0" role="group" aria-label=td_string!(locale, chart.table_label, title = title.clone())>
                    <table class="table">
                        <caption class="visually-hidden">{title.clone()}</caption>
                        <thead><tr><th scope="col">{label_heading}</th><th scope="col" class="numeric">{td_string!(locale, chart.count)}</th></tr></thead>
                        <tbody>
                            {bars.iter().map(|b| view! {
                                <tr><th scope="row">{b.label.clone()}</th><td class="numeric">{b.shown.clone()}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
            <p class="body"><a class="link" href=csv download="">{td_string!(locale, chart.download_csv, title = title.clone())}</a></p>
        </section>
    }
}

/// A table of figures with its heading, an optional note and its CSV link. The first cell of
/// each row names the row.
#[component]
pub fn FigureTable(
    id: &'static str,
    title: &'static str,
    #[prop(optional)] note: Option<&'static str>,
    table: Table,
    /// Said instead of the table when it has no rows ("No referrals in this view.").
    empty: &'static str,
    csv: String,
) -> impl IntoView {
    let locale = crate::language::page_locale();
    view! {
        <section class="chart-block" aria-labelledby=format!("{id}-heading")>
            <h2 class="heading-m" id=format!("{id}-heading")>{title}</h2>
            {note.map(|n| view! { <p class="hint">{n}</p> })}
            {if table.rows.is_empty() {
                view! { <p class="body">{empty}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0" role="group" aria-label=td_string!(locale, chart.table_label, title = title)>
                        <table class="table">
                            <caption class="visually-hidden">{title}</caption>
                            <thead><tr>
                                {table.columns.iter().enumerate().map(|(i, c)| view! {
                                    <th scope="col" class=(i > 0).then_some("numeric")>{c.clone()}</th>
                                }).collect_view()}
                            </tr></thead>
                            <tbody>
                                {table.rows.iter().map(|row| view! {
                                    <tr>
                                        {row.iter().enumerate().map(|(i, cell)| if i == 0 {
                                            view! { <th scope="row">{cell.clone()}</th> }.into_any()
                                        } else {
                                            view! { <td class="numeric">{cell.clone()}</td> }.into_any()
                                        }).collect_view()}
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <p class="body"><a class="link" href=csv download="">{td_string!(locale, chart.download_csv, title = title)}</a></p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, n: i64) -> Bar {
        Bar { label: label.into(), value: (n == 0 || n >= 5).then_some(n), shown: crate::domain::intelligence::shown(n) }
    }

    #[test]
    fn the_summary_names_the_largest_and_never_a_small_count() {
        let say = |bars: &[Bar]| summary(Locale::en, Counted::IssuesRaised, bars);
        assert_eq!(say(&[]), "No issues raised in this view.");
        assert_eq!(say(&[bar("Damp", 42), bar("Bins", 30), bar("Noise", 3)]), "Damp has the most issues raised (42), then Bins (30).");
        assert_eq!(say(&[bar("Damp", 42), bar("Noise", 3)]), "Damp has the most issues raised (42).");
        assert_eq!(say(&[bar("Noise", 3)]), "Every issues raised count in this view is under 5, so none is shown exactly.");
    }

    #[test]
    fn the_summary_is_said_in_welsh_too() {
        let say = |bars: &[Bar]| summary(Locale::cy, Counted::Answers, bars);
        assert_eq!(say(&[]), "Does dim atebion yn yr olwg hon.");
        assert!(say(&[bar("Ydw", 42), bar("Nac ydw", 30)]).starts_with("Ydw sydd"));
    }
}
