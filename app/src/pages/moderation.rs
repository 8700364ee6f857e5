//! `/manage/moderation` (admins): ideas and comments that were auto-flagged or reported, with
//! one decision for everything ticked: hide, restore or dismiss.

use crate::api::participation::{moderation_queue, Moderate};
use crate::components::forms::{field_errors, ErrorSummary, Radios};
use crate::components::status::{PageProblem, SuccessBanner};
use crate::components::title::Title;
use crate::i18n::td_string;
use leptos::prelude::*;

#[component]
pub fn ModerationPage() -> impl IntoView {
    let locale = crate::language::page_locale();
    let decide = ServerAction::<Moderate>::new();
    let queue = Resource::new(move || decide.version().get(), |_| moderation_queue());
    let error = Signal::derive(move || decide.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    view! {
        <Title text=td_string!(locale, moderation.title)/>
        <Suspense fallback=move || view! { <p class="body">{td_string!(locale, moderation.loading)}</p> }>
            {move || Suspend::new(async move {
                match queue.await {
                    Err(error) => view! { <PageProblem error/> }.into_any(),
                    Ok(items) => view! {
                        <ErrorSummary error first_field="items"/>
                        {move || decide.value().get().and_then(|r| r.ok()).map(|n| view! {
                            <SuccessBanner title=td_string!(locale, moderation.done)><p>{td_string!(locale, moderation.updated, count = n)}</p></SuccessBanner>
                        })}
                        <h1 class="heading-l">{td_string!(locale, moderation.title)}</h1>
                        <p class="body">{td_string!(locale, moderation.intro)}</p>
                        {if items.is_empty() {
                            view! { <p class="inset">{td_string!(locale, moderation.nothing_waiting)}</p> }.into_any()
                        } else {
                            let items_error = move || errors.read().text("items");
                            view! {
                                <ActionForm action=decide attr:novalidate=true attr:class="form" attr:aria-label=td_string!(locale, moderation.decisions_label)>
                                    <div class="form-group" class:form-group--error=move || items_error().is_some()>
                                        {move || items_error().map(|m| view! {
                                            <p class="error-message" id="items-error"><span class="visually-hidden">{td_string!(locale, moderation.error)} " "</span>{m}</p>
                                        })}
                                        <div class="table-wrap">
                                            <table class="table">
                                                <caption class="visually-hidden">{td_string!(locale, moderation.caption)}</caption>
                                                <thead><tr>
                                                    <th scope="col"><span class="visually-hidden">{td_string!(locale, moderation.select)}</span></th>
                                                    <th scope="col">{td_string!(locale, moderation.contribution)}</th>
                                                    <th scope="col">{td_string!(locale, moderation.why_here)}</th>
                                                    <th scope="col">{td_string!(locale, moderation.status)}</th>
                                                </tr></thead>
                                                <tbody>
                                                    {items.into_iter().enumerate().map(|(i, item)| {
                                                        let id = if i == 0 { "items".to_string() } else { format!("items-{i}") };
                                                        let why = [
                                                            (!item.flag.is_empty()).then(|| item.flag.clone()),
                                                            (item.reports > 0).then(|| format!("{}{}", td_string!(locale, moderation.reported, count = item.reports),
                                                                if item.reason.is_empty() { String::new() } else { format!(": “{}”", item.reason) })),
                                                        ].into_iter().flatten().collect::<Vec<_>>().join(". ");
                                                        let is_idea = item.kind == "proposal";
                                                        let kind = if is_idea { td_string!(locale, moderation.idea) } else { td_string!(locale, moderation.comment) };
                                                        let select = if is_idea {
                                                            td_string!(locale, moderation.select_idea, author = item.author.clone())
                                                        } else {
                                                            td_string!(locale, moderation.select_comment, author = item.author.clone())
                                                        };
                                                        view! {
                                                            <tr>
                                                                <td><div class="radios__item">
                                                                    <input class="radios__input" type="checkbox" id=id.clone() name="items[]" value=format!("{}:{}", item.kind, item.id)/>
                                                                    <label class="radios__label" for=id><span class="visually-hidden">{select}</span></label>
                                                                </div></td>
                                                                <td><strong>{kind}</strong>" "{td_string!(locale, moderation.by_on, author = item.author.clone(), consultation = item.consultation_title.clone())}<br/>{item.text.clone()}</td>
                                                                <td>{why}</td>
                                                                <td>{match item.status.as_str() {
                                                                    "held" => td_string!(locale, moderation.held),
                                                                    "hidden" => td_string!(locale, moderation.hidden),
                                                                    _ => td_string!(locale, moderation.shown),
                                                                }}</td>
                                                            </tr>
                                                        }
                                                    }).collect_view()}
                                                </tbody>
                                            </table>
                                        </div>
                                    </div>
                                    <Radios name="action" legend=td_string!(locale, moderation.what_to_do) errors
                                        choices=[
                                            ("hide", td_string!(locale, moderation.hide)),
                                            ("restore", td_string!(locale, moderation.restore)),
                                            ("dismiss", td_string!(locale, moderation.dismiss)),
                                        ]
                                            .into_iter().map(|(value, label)| (value.to_string(), label.to_string())).collect()/>
                                    <button type="submit" class="button">{td_string!(locale, moderation.apply)}</button>
                                </ActionForm>
                            }.into_any()
                        }}
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
