//! An accessible bar chart: an SVG with a title and a plain-words summary (what a screen reader
//! hears), the same figures in a table beside it, and a link to them as CSV.

use crate::api::intelligence::{Bar, Table};
use leptos::prelude::*;

/// "Damp and mould came up most (42), then Housing repairs (30)." Small counts are not named.
pub fn summary(what: &str, bars: &[Bar]) -> String {
    let shown: Vec<&Bar> = bars.iter().filter(|b| b.value.is_some_and(|v| v > 0)).collect();
    match shown.as_slice() {
        [] if bars.iter().all(|b| b.value == Some(0)) || bars.is_empty() => format!("No {what} in this view."),
        [] => format!("Every {what} count in this view is under 5, so none is shown exactly."),
        [one] => format!("{} has the most {what} ({}).", one.label, one.shown),
        [first, second, ..] => format!("{} has the most {what} ({}), then {} ({}).", first.label, first.shown, second.label, second.shown),
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
    /// What is counted, in the plural ("issues raised").
    what: &'static str,
    bars: Vec<Bar>,
    /// Column heading for the labels ("Theme").
    label_heading: &'static str,
    csv: String,
    /// What the figures mean, under the heading.
    #[prop(optional)]
    note: Option<&'static str>,
) -> impl IntoView {
    let said = summary(what, &bars);
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
                <div class="table-wrap" tabindex="0" role="group" aria-label=format!("{title} (table)")>
                    <table class="table">
                        <caption class="visually-hidden">{title.clone()}</caption>
                        <thead><tr><th scope="col">{label_heading}</th><th scope="col" class="numeric">"Count"</th></tr></thead>
                        <tbody>
                            {bars.iter().map(|b| view! {
                                <tr><th scope="row">{b.label.clone()}</th><td class="numeric">{b.shown.clone()}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
            <p class="body"><a class="link" href=csv download="">{format!("Download “{title}” as CSV")}</a></p>
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
    view! {
        <section class="chart-block" aria-labelledby=format!("{id}-heading")>
            <h2 class="heading-m" id=format!("{id}-heading")>{title}</h2>
            {note.map(|n| view! { <p class="hint">{n}</p> })}
            {if table.rows.is_empty() {
                view! { <p class="body">{empty}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0" role="group" aria-label=format!("{title} (table)")>
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
            <p class="body"><a class="link" href=csv download="">{format!("Download “{title}” as CSV")}</a></p>
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
        assert_eq!(summary("issues", &[]), "No issues in this view.");
        assert_eq!(
            summary("issues", &[bar("Damp", 42), bar("Bins", 30), bar("Noise", 3)]),
            "Damp has the most issues (42), then Bins (30)."
        );
        assert_eq!(summary("issues", &[bar("Damp", 42), bar("Noise", 3)]), "Damp has the most issues (42).");
        assert_eq!(summary("issues", &[bar("Noise", 3)]), "Every issues count in this view is under 5, so none is shown exactly.");
    }
}
