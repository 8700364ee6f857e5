//! `/manage/consultations/:id/results` (admins): each question's answers as a bar chart drawn
//! in SVG with a title and a text summary, the same figures in a table beside it (what screen
//! readers use), free-text answers, participation by area, and the CSV download.

use crate::api::consultations::{load_results, ConsultationResults};
use crate::components::address_value;
use crate::components::status::PageProblem;
use crate::components::title::Title;
use crate::domain::consultation::QuestionResult;
use crate::i18n::td_string;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ResultsPage() -> impl IntoView {
    let locale = crate::language::page_locale();
    let params = use_params_map();
    let results = Resource::new(move || address_value(params, "id").unwrap_or_default(), load_results);
    view! {
        <Suspense fallback=move || view! { <p class="body">{td_string!(locale, results.loading)}</p> }>
            {move || Suspend::new(async move {
                match results.await {
                    Err(error) => view! { <Title text=td_string!(locale, results.results)/><PageProblem error/> }.into_any(),
                    Ok(r) => view! { <Results r/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Results(r: ConsultationResults) -> impl IntoView {
    let locale = crate::language::page_locale();
    let at_door = td_string!(locale, results.taken_at_door);
    let csv = format!("/manage/consultations/{}/responses.csv", r.id);
    let back = format!("/manage/consultations/{}", r.id);
    view! {
        <Title text=td_string!(locale, results.page_title, title = r.title.clone())/>
        <p class="body"><a class="link" href=back>{td_string!(locale, results.back)}</a></p>
        <p class="caption">{td_string!(locale, results.results)}</p>
        <h1 class="heading-l">{r.title.clone()}</h1>
        <p class="lead">{td_string!(locale, results.responses_lead, count = r.responses, assisted = r.assisted)}</p>
        // A plain link: the browser downloads the file.
        <p class="body"><a class="link" href=csv rel="external" download="responses.csv">{td_string!(locale, results.download)}</a></p>
        {r.questions.into_iter().enumerate().map(|(i, q)| view! { <QuestionChart q index=i/> }).collect_view()}
        {r.free_text.into_iter().map(|f| view! {
            <section class="result" aria-label=f.prompt.clone()>
                <h2 class="heading-m">{f.prompt.clone()}</h2>
                <p class="body">{td_string!(locale, results.written_answers, count = f.answers.len())}</p>
                <ul class="list">
                    {f.answers.into_iter().map(|(text, assisted)| view! {
                        <li>{text}{assisted.then(|| format!(" {}", td_string!(locale, results.taken_at_door_note)))}</li>
                    }).collect_view()}
                </ul>
            </section>
        }).collect_view()}
        <section class="result" aria-labelledby="areas-heading">
            <h2 class="heading-m" id="areas-heading">{td_string!(locale, results.by_area_heading)}</h2>
            <div class="table-wrap">
                <table class="table">
                    <caption class="visually-hidden">{td_string!(locale, results.by_area_caption)}</caption>
                    <thead><tr>
                        <th scope="col">{td_string!(locale, results.area)}</th>
                        <th scope="col" class="numeric">{td_string!(locale, results.responses)}</th>
                        <th scope="col" class="numeric">{at_door}</th>
                    </tr></thead>
                    <tbody>
                        {r.by_area.into_iter().map(|(area, n, assisted)| view! {
                            <tr>
                                <th scope="row">{if area.is_empty() { td_string!(locale, results.not_given).to_string() } else { area }}</th>
                                <td class="numeric">{n}</td>
                                <td class="numeric">{assisted}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        {(!r.assisted_by.is_empty()).then(|| view! {
            <section class="result" aria-labelledby="assisted-heading">
                <h2 class="heading-m" id="assisted-heading">{td_string!(locale, results.by_staff_heading)}</h2>
                <div class="table-wrap">
                    <table class="table">
                        <caption class="visually-hidden">{td_string!(locale, results.by_staff_caption)}</caption>
                        <thead><tr>
                            <th scope="col">{td_string!(locale, results.member_of_staff)}</th>
                            <th scope="col" class="numeric">{td_string!(locale, results.responses_taken)}</th>
                        </tr></thead>
                        <tbody>
                            {r.assisted_by.into_iter().map(|(who, n)| view! {
                                <tr>
                                    <th scope="row">{if who.is_empty() { td_string!(locale, results.unknown).to_string() } else { who }}</th>
                                    <td class="numeric">{n}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
        })}
    }
}

/// Horizontal bars, one per choice. The chart is an image with a title and a one-line
/// description for screen readers; the table after it has every figure.
#[component]
fn QuestionChart(q: QuestionResult, index: usize) -> impl IntoView {
    let locale = crate::language::page_locale();
    const ROW: usize = 34;
    let height = q.choices.len() * ROW + 10;
    let top = q.choices.iter().max_by_key(|c| c.count).filter(|c| c.count > 0);
    let summary = match top {
        Some(c) => {
            td_string!(locale, results.chart_summary, count = q.answered, choice = c.label.clone(), chosen = c.count, percent = c.percent)
        }
        None => td_string!(locale, results.nobody_answered).to_string(),
    };
    let (title_id, desc_id) = (format!("chart-{index}-title"), format!("chart-{index}-desc"));
    view! {
        <section class="result" aria-labelledby=format!("question-{index}")>
            <h2 class="heading-m" id=format!("question-{index}")>{q.prompt.clone()}</h2>
            <p class="body" id=desc_id.clone()>{summary.clone()}</p>
            <figure class="chart">
                <svg viewBox=format!("0 0 600 {height}") width="100%" role="img" aria-labelledby=format!("{title_id} {desc_id}") preserveAspectRatio="xMinYMin meet">
                    <title id=title_id.clone()>{td_string!(locale, results.bar_chart, prompt = q.prompt.clone())}</title>
                    {q.choices.iter().enumerate().map(|(i, c)| {
                        let y = i * ROW + 4;
                        // 100% is 280 units: room is left for the label after the bar.
                        let width = 2.8 * f64::from(c.percent);
                        view! {
                            <g>
                                <rect x="0" y=y.to_string() width=format!("{width:.1}") height="22" class="chart__bar"></rect>
                                <text x=format!("{:.1}", width + 6.0) y=(y + 16).to_string() class="chart__text">{format!("{}% {}", c.percent, c.label)}</text>
                            </g>
                        }
                    }).collect_view()}
                </svg>
            </figure>
            <div class="table-wrap">
                <table class="table">
                    <caption class="visually-hidden">{td_string!(locale, results.answers_to, prompt = q.prompt.clone())}</caption>
                    <thead><tr>
                        <th scope="col">{td_string!(locale, results.answer)}</th>
                        <th scope="col" class="numeric">{td_string!(locale, results.people)}</th>
                        <th scope="col" class="numeric">{td_string!(locale, results.per_cent)}</th>
                        <th scope="col" class="numeric">{td_string!(locale, results.taken_at_door)}</th>
                    </tr></thead>
                    <tbody>
                        {q.choices.into_iter().map(|c| view! {
                            <tr>
                                <th scope="row">{c.label}</th>
                                <td class="numeric">{c.count}</td>
                                <td class="numeric">{format!("{}%", c.percent)}</td>
                                <td class="numeric">{c.assisted}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
