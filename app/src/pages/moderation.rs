//! `/manage/moderation` (admins): ideas and comments that were auto-flagged or reported, with
//! one decision for everything ticked: hide, restore or dismiss.

use crate::api::participation::{moderation_queue, Moderate};
use crate::components::forms::{field_errors, ErrorSummary, Radios};
use crate::components::status::{PageProblem, SuccessBanner};
use crate::components::title::Title;
use leptos::prelude::*;

#[component]
pub fn ModerationPage() -> impl IntoView {
    let decide = ServerAction::<Moderate>::new();
    let queue = Resource::new(move || decide.version().get(), |_| moderation_queue());
    let error = Signal::derive(move || decide.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    view! {
        <Title text="Moderation"/>
        <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match queue.await {
                    Err(error) => view! { <PageProblem error/> }.into_any(),
                    Ok(items) => view! {
                        <ErrorSummary error first_field="items"/>
                        {move || decide.value().get().and_then(|r| r.ok()).map(|n| view! {
                            <SuccessBanner title="Done"><p>{format!("{n} item(s) updated.")}</p></SuccessBanner>
                        })}
                        <h1 class="heading-l">"Moderation"</h1>
                        <p class="body">"Ideas and comments that contain a link, repeat their author's earlier post, or were reported. "
                            "Held items are not shown to the public until you restore or dismiss them."</p>
                        {if items.is_empty() {
                            view! { <p class="inset">"Nothing is waiting for a decision."</p> }.into_any()
                        } else {
                            let items_error = move || errors.read().text("items");
                            view! {
                                <ActionForm action=decide attr:novalidate=true attr:class="form" attr:aria-label="Moderation decisions">
                                    <div class="form-group" class:form-group--error=move || items_error().is_some()>
                                        {move || items_error().map(|m| view! { <p class="error-message" id="items-error"><span class="visually-hidden">"Error: "</span>{m}</p> })}
                                        <div class="table-wrap">
                                            <table class="table">
                                                <caption class="visually-hidden">"Items waiting for a decision"</caption>
                                                <thead><tr>
                                                    <th scope="col"><span class="visually-hidden">"Select"</span></th>
                                                    <th scope="col">"Contribution"</th>
                                                    <th scope="col">"Why it is here"</th>
                                                    <th scope="col">"Status"</th>
                                                </tr></thead>
                                                <tbody>
                                                    {items.into_iter().enumerate().map(|(i, item)| {
                                                        let id = if i == 0 { "items".to_string() } else { format!("items-{i}") };
                                                        let why = [
                                                            (!item.flag.is_empty()).then(|| item.flag.clone()),
                                                            (item.reports > 0).then(|| format!("Reported {} time(s){}", item.reports,
                                                                if item.reason.is_empty() { String::new() } else { format!(": “{}”", item.reason) })),
                                                        ].into_iter().flatten().collect::<Vec<_>>().join(". ");
                                                        let kind = if item.kind == "proposal" { "Idea" } else { "Comment" };
                                                        view! {
                                                            <tr>
                                                                <td><div class="radios__item">
                                                                    <input class="radios__input" type="checkbox" id=id.clone() name="items[]" value=format!("{}:{}", item.kind, item.id)/>
                                                                    <label class="radios__label" for=id><span class="visually-hidden">{format!("Select {} by {}", kind.to_lowercase(), item.author)}</span></label>
                                                                </div></td>
                                                                <td><strong>{kind}</strong>{format!(" by {} on “{}”", item.author, item.consultation_title)}<br/>{item.text.clone()}</td>
                                                                <td>{why}</td>
                                                                <td>{match item.status.as_str() { "held" => "Held", "hidden" => "Hidden", _ => "Shown" }}</td>
                                                            </tr>
                                                        }
                                                    }).collect_view()}
                                                </tbody>
                                            </table>
                                        </div>
                                    </div>
                                    <Radios name="action" legend="What to do with the ticked items" errors
                                        choices=[("hide", "Hide them"), ("restore", "Show them again"), ("dismiss", "Dismiss the reports (show them)")]
                                            .into_iter().map(|(value, label)| (value.to_string(), label.to_string())).collect()/>
                                    <button type="submit" class="button">"Apply to ticked items"</button>
                                </ActionForm>
                            }.into_any()
                        }}
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
