//! Group organiser pages: the group's opportunities, posting and changing one, opening and
//! closing it, its inbox of interest (with the 7-day flag) and suggested volunteers.

use crate::api::volunteering::{
    get_opportunity, manage_opportunities, opportunity_inbox, CreateOpportunity, OpportunityView, SetInterestStatus, SetOpportunityStatus,
    UpdateOpportunity,
};
use crate::api::Named;
use crate::components::forms::{field_errors, Checkboxes, ErrorSummary, PostedField, Radios};
use crate::components::status::{PageProblem, SuccessBanner};
use crate::components::title::Title;
use crate::components::week_grid::WeekGrid;
use crate::domain::calendar::long_date;
use crate::domain::volunteering::{InterestStatus, OpportunityStatus, MINIMUM_AGES};
use crate::domain::FieldErrors;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// Every field of an opportunity, empty or as it is now.
#[component]
fn OpportunityFields(
    areas: Vec<Named>,
    interests: Vec<Named>,
    #[prop(optional)] now: Option<OpportunityView>,
    errors: Memo<FieldErrors>,
) -> impl IntoView {
    let v = now.clone();
    let get = move |f: fn(&OpportunityView) -> String| v.as_ref().map(f).unwrap_or_default();
    let frequency = now.as_ref().map(|o| if o.regular { "regular".to_string() } else { "one_off".to_string() });
    let minimum_age = now.as_ref().map(|o| o.minimum_age.to_string());
    let dbs = now.as_ref().is_some_and(|o| o.dbs_required);
    view! {
        <PostedField form="form" name="title" label="Title" hint="What volunteers will do, in a few words: for example, Saturday garden crew." value=get(|o| o.card.title.clone()) errors/>
        <PostedField form="form" name="description" label="Description" multiline=true hint="What it involves, who it helps, and what you provide." value=get(|o| o.description.clone()) errors/>
        <Checkboxes form="form" name="interests" legend="Interests it suits" choices=interests checked=now.as_ref().map(|o| o.interest_ids.clone()).unwrap_or_default() errors/>
        <PostedField form="form" name="skills" label="Skills that help (optional)" hint="Separate them with commas, for example: cooking, driving." value=get(|o| o.skills_text.clone()) errors/>
        <Checkboxes form="form" name="areas" legend="Areas" hint="Leave them all unticked if it can be done from anywhere." choices=areas
            checked=now.as_ref().map(|o| o.area_ids.clone()).unwrap_or_default() errors/>
        <PostedField form="form" name="place" label="Place (optional)" hint="For example: Northside Community Garden, Elm Road." value=get(|o| o.card.place.clone()) errors/>
        <Radios form="form" name="frequency" legend="How often?" choices=vec![("regular".into(), "Regular".into()), ("one_off".into(), "A one-off".into())]
            checked=frequency.unwrap_or_else(|| "regular".into()) errors/>
        <PostedField form="form" name="on_date" label="Date of a one-off" input_type="date" hint="For example 2027-03-20. Leave it empty for a regular opportunity."
            value=get(|o| o.on_date.clone().unwrap_or_default()) errors/>
        <WeekGrid form="form" legend="When are volunteers needed?" hint="Leave it empty if any time suits." checked=now.as_ref().map(|o| o.slots.clone()).unwrap_or_default() errors/>
        <PostedField form="form" name="hours_per_week" label="Hours a week (optional)" input_type="text" value=get(|o| o.hours_per_week.map(|h| h.to_string()).unwrap_or_default()) errors/>
        <Radios form="form" name="minimum_age" legend="Minimum age" choices=MINIMUM_AGES.iter().map(|(a, l)| (a.to_string(), l.to_string())).collect()
            checked=minimum_age.unwrap_or_else(|| "0".into()) errors/>
        <div class="form-group">
            <div class="radios__item">
                <input class="radios__input" type="checkbox" id="dbs_required" name="form[dbs_required]" value="yes" checked=dbs/>
                <label class="radios__label" for="dbs_required">"Volunteers need a DBS check"</label>
            </div>
        </div>
        <PostedField form="form" name="capacity" label="How many volunteers? (optional)" value=get(|o| o.capacity.map(|c| c.to_string()).unwrap_or_default()) errors/>
        <PostedField form="form" name="accessibility" label="Accessibility (optional)" multiline=true hint="Step-free access, toilets, seating, anything else people may need to know."
            value=get(|o| o.accessibility.clone()) errors/>
        <PostedField form="form" name="contact" label="How residents can contact you (optional)" hint="Shown on the opportunity's page." value=get(|o| o.contact.clone()) errors/>
    }
}

#[component]
pub fn ManageOpportunitiesPage() -> impl IntoView {
    let create = ServerAction::<CreateOpportunity>::new();
    let list = Resource::new(|| (), |_| manage_opportunities());
    let error = Signal::derive(move || create.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    view! {
        <Title text="Volunteering opportunities"/>
        <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(error) => view! { <PageProblem error/> }.into_any(),
                    Ok(list) => view! {
                        <ErrorSummary error first_field="title"/>
                        <h1 class="heading-l">"Volunteering opportunities"</h1>
                        {if list.is_group {
                            view! { <p class="body"><a class="link" href="/partners">"Your group's organisers"</a>": invite someone to run the group with you."</p> }.into_any()
                        } else {
                            view! { <p class="body"><a class="link" href="/partners">"Partner groups"</a>": invite the community groups you work with to post their own opportunities."</p> }.into_any()
                        }}
                        {if list.opportunities.is_empty() {
                            view! { <p class="body">"You have not posted an opportunity yet."</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-wrap">
                                    <table class="table">
                                        <caption class="visually-hidden">"Your opportunities"</caption>
                                        <thead><tr><th scope="col">"Opportunity"</th><th scope="col">"Status"</th><th scope="col">"Interest"</th></tr></thead>
                                        <tbody>
                                            {list.opportunities.into_iter().map(|o| view! {
                                                <tr>
                                                    <td><a class="link" href=format!("/manage/opportunities/{}", o.id)>{o.title}</a></td>
                                                    <td>{o.status.label()}</td>
                                                    <td>
                                                        {format!("{} new of {}", o.new_interest, o.all_interest)}
                                                        {(o.waiting > 0).then(|| view! {
                                                            " " <strong class="tag tag--red">{format!("{} waiting 7 days or more", o.waiting)}</strong>
                                                        })}
                                                    </td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }}
                        <h2 class="heading-m" id="new-heading">"Post an opportunity"</h2>
                        <ActionForm action=create attr:novalidate=true attr:class="form" attr:aria-labelledby="new-heading">
                            <OpportunityFields areas=list.areas interests=list.interests errors/>
                            <div class="button-group">
                                <button type="submit" class="button" name="publish" value="yes" disabled=move || create.pending().get()>"Post it now"</button>
                                <button type="submit" class="button button--secondary" disabled=move || create.pending().get()>"Save as a draft"</button>
                            </div>
                        </ActionForm>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn ManageOpportunityPage() -> impl IntoView {
    let params = use_params_map();
    let update = ServerAction::<UpdateOpportunity>::new();
    let status = ServerAction::<SetOpportunityStatus>::new();
    let interest = ServerAction::<SetInterestStatus>::new();
    let id = move || params.read().get("id").unwrap_or_default();
    let lists = Resource::new(|| (), |_| manage_opportunities());
    // Refetched after each successful change only, so a refused form keeps what was typed.
    let changes = RwSignal::new(0usize);
    // One effect per action, each looking at its own result only: a refused edit after an
    // earlier status change must not reload (and so wipe) the form.
    let bump = move || changes.update(|n| *n += 1);
    Effect::new(move |_| {
        if matches!(update.value().get(), Some(Ok(_))) {
            bump()
        }
    });
    Effect::new(move |_| {
        if matches!(status.value().get(), Some(Ok(_))) {
            bump()
        }
    });
    Effect::new(move |_| {
        if matches!(interest.value().get(), Some(Ok(_))) {
            bump()
        }
    });
    let page = Resource::new(move || (id(), changes.get()), |(id, _)| get_opportunity(id));
    let inbox = Resource::new(move || (id(), changes.get()), |(id, _)| opportunity_inbox(id));
    let update_error = Signal::derive(move || update.value().get().and_then(|r| r.err()));
    let update_errors = Memo::new(move |_| field_errors(&update_error.get()));
    let status_error =
        Signal::derive(move || status.value().get().and_then(|r| r.err()).or_else(|| interest.value().get().and_then(|r| r.err())));
    view! {
        <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match (page.await, lists.await, inbox.await) {
                    (Err(error), ..) | (_, Err(error), _) | (.., Err(error)) => view! { <Title text="Opportunity"/><PageProblem error/> }.into_any(),
                    (Ok(view), ..) if !view.can_manage => view! { <Title text="Opportunity"/><PageProblem error=AppError::Forbidden/> }.into_any(),
                    (Ok(view), Ok(list), Ok(inbox)) => {
                        let card = view.card.clone();
                        let (oid, oid_status) = (card.id.clone(), card.id.clone());
                        let next: Vec<OpportunityStatus> = OpportunityStatus::ALL.into_iter().filter(|s| *s != card.status).collect();
                        view! {
                            <Title text=format!("Manage: {}", card.title)/>
                            <ErrorSummary error=update_error first_field="title"/>
                            <ErrorSummary error=status_error first_field="status"/>
                            {move || update.value().get().and_then(|r| r.ok()).map(|_| view! {
                                <SuccessBanner title="Details saved"><p>"Residents see the new details straight away."</p></SuccessBanner>
                            })}
                            <p class="caption">"Manage opportunity"</p>
                            <h1 class="heading-l">{card.title.clone()}</h1>
                            <p class="body"><strong class="tag">{card.status.label()}</strong></p>
                            <p class="body"><a class="link" href=format!("/volunteer/{}", card.id)>"See it as residents do"</a></p>
                            <ActionForm action=status attr:class="inline-form">
                                <input type="hidden" name="opportunity_id" value=oid_status/>
                                <p class="body">
                                    {next.into_iter().enumerate().map(|(i, s)| {
                                        let label = match s {
                                            OpportunityStatus::Draft => "Take it back to draft",
                                            OpportunityStatus::Open => "Open it to volunteers",
                                            OpportunityStatus::Filled => "Mark it filled",
                                            OpportunityStatus::Closed => "Close it",
                                        };
                                        view! { <button type="submit" class="button button--secondary button--small" id=(i == 0).then_some("status") name="status" value=s.as_str()>{label}</button> " " }
                                    }).collect_view()}
                                </p>
                            </ActionForm>
                            <section aria-labelledby="inbox-heading">
                                <h2 class="heading-m" id="inbox-heading">"People interested"</h2>
                                {if inbox.entries.is_empty() {
                                    view! { <p class="body">"Nobody has said they are interested yet."</p> }.into_any()
                                } else {
                                    view! {
                                        <div class="table-wrap">
                                            <table class="table">
                                                <caption class="visually-hidden">"Expressions of interest, oldest first"</caption>
                                                <thead><tr><th scope="col">"Who"</th><th scope="col">"Received"</th><th scope="col">"Their message"</th><th scope="col">"Status"</th></tr></thead>
                                                <tbody>
                                                    {inbox.entries.into_iter().enumerate().map(|(i, e)| {
                                                        let who = match (&e.name, &e.contact) {
                                                            (Some(n), Some(c)) => view! { <strong>{n.clone()}</strong><br/>{c.clone()} }.into_any(),
                                                            _ => view! { <span>"Did not share contact details"</span> }.into_any(),
                                                        };
                                                        let select_id = format!("interest-status-{i}");
                                                        view! {
                                                            <tr>
                                                                <td>{who}{e.at_the_door.then(|| view! { <br/><span class="hint">"Registered at the door"</span> })}</td>
                                                                <td>
                                                                    {long_date(&e.received_on)}
                                                                    {e.waiting_days.map(|d| view! { <br/><strong class="tag tag--red">{format!("Not contacted for {d} days")}</strong> })}
                                                                </td>
                                                                <td>{if e.message.is_empty() { "—".to_string() } else { e.message.clone() }}</td>
                                                                <td>
                                                                    <ActionForm action=interest attr:class="inline-form">
                                                                        <input type="hidden" name="interest_id" value=e.id.clone()/>
                                                                        <label class="label" for=select_id.clone()>
                                                                            <span class="visually-hidden">{format!("Status of {}", e.name.clone().unwrap_or_else(|| "this resident".into()))}</span>
                                                                        </label>
                                                                        <select class="select" id=select_id name="status">
                                                                            {InterestStatus::ALL.into_iter().map(|s| view! {
                                                                                <option value=s.as_str() selected=s == e.status>{s.label()}</option>
                                                                            }).collect_view()}
                                                                        </select>
                                                                        <button type="submit" class="button button--secondary button--small">"Update"</button>
                                                                    </ActionForm>
                                                                </td>
                                                            </tr>
                                                        }
                                                    }).collect_view()}
                                                </tbody>
                                            </table>
                                        </div>
                                    }.into_any()
                                }}
                            </section>
                            <section aria-labelledby="suggested-heading">
                                <h2 class="heading-m" id="suggested-heading">"Suggested volunteers"</h2>
                                <p class="body">"Residents who agreed that groups may suggest them, and whose profile fits, best first."</p>
                                {if inbox.suggestions.is_empty() {
                                    view! { <p class="body">"Nobody to suggest just now."</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="card-list">
                                            {inbox.suggestions.into_iter().map(|s| view! {
                                                <li class="card">
                                                    <h3 class="heading-s card__title">{s.name}</h3>
                                                    <p class="body">{s.contact}</p>
                                                    <p class="match-reason"><strong>"Why: "</strong>{s.reason}</p>
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            </section>
                            <section aria-labelledby="edit-heading">
                                <h2 class="heading-m" id="edit-heading">"Change the details"</h2>
                                <ActionForm action=update attr:novalidate=true attr:class="form" attr:aria-labelledby="edit-heading">
                                    <input type="hidden" name="opportunity_id" value=oid/>
                                    <OpportunityFields areas=list.areas interests=list.interests now=view errors=update_errors/>
                                    <button type="submit" class="button" disabled=move || update.pending().get()>"Save the details"</button>
                                </ActionForm>
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
