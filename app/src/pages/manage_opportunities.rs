//! Group organiser pages: the group's opportunities, posting and changing one, opening and
//! closing it, its inbox of interest (with the 7-day flag) and suggested volunteers.

use crate::api::volunteering::{
    get_opportunity, manage_opportunities, opportunity_inbox, CreateOpportunity, OpportunityView, SetInterestStatus, SetOpportunityStatus,
    UpdateOpportunity,
};
use crate::api::Named;
use crate::components::address_value;
use crate::components::forms::{field_errors, Checkboxes, ErrorSummary, PostedField, Radios};
use crate::components::status::{PageProblem, SuccessBanner};
use crate::components::title::Title;
use crate::components::week_grid::WeekGrid;
use crate::domain::volunteering::{InterestStatus, OpportunityStatus, MINIMUM_AGES};
use crate::domain::FieldErrors;
use crate::error::AppError;
use crate::i18n::td_string;
use crate::language::names::{self, HasName};
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
    let locale = crate::language::page_locale();
    let v = now.clone();
    let get = move |f: fn(&OpportunityView) -> String| v.as_ref().map(f).unwrap_or_default();
    let frequency = now.as_ref().map(|o| if o.regular { "regular".to_string() } else { "one_off".to_string() });
    let minimum_age = now.as_ref().map(|o| o.minimum_age.to_string());
    let dbs = now.as_ref().is_some_and(|o| o.dbs_required);
    view! {
        <PostedField form="form" name="title" label=td_string!(locale, manage_opportunities.title) hint=td_string!(locale, manage_opportunities.title_hint) value=get(|o| o.card.title.clone()) errors/>
        <PostedField form="form" name="description" label=td_string!(locale, manage_opportunities.description) multiline=true hint=td_string!(locale, manage_opportunities.description_hint) value=get(|o| o.description.clone()) errors/>
        <PostedField form="form" name="title_cy" label=td_string!(locale, manage_opportunities.title_cy) hint=td_string!(locale, manage_opportunities.title_cy_hint) value=get(|o| o.card.title_cy.clone()) errors/>
        <PostedField form="form" name="description_cy" label=td_string!(locale, manage_opportunities.description_cy) multiline=true value=get(|o| o.description_cy.clone()) errors/>
        <Checkboxes form="form" name="interests" legend=td_string!(locale, manage_opportunities.interests) choices=interests checked=now.as_ref().map(|o| o.interest_ids.clone()).unwrap_or_default() errors/>
        <PostedField form="form" name="skills" label=td_string!(locale, manage_opportunities.skills) hint=td_string!(locale, manage_opportunities.skills_hint) value=get(|o| o.skills_text.clone()) errors/>
        <Checkboxes form="form" name="areas" legend=td_string!(locale, manage_opportunities.areas) hint=td_string!(locale, manage_opportunities.areas_hint) choices=areas
            checked=now.as_ref().map(|o| o.area_ids.clone()).unwrap_or_default() errors/>
        <PostedField form="form" name="place" label=td_string!(locale, manage_opportunities.place) hint=td_string!(locale, manage_opportunities.place_hint) value=get(|o| o.card.place.clone()) errors/>
        <Radios form="form" name="frequency" legend=td_string!(locale, manage_opportunities.how_often) choices=vec![("regular".into(), td_string!(locale, manage_opportunities.regular).into()), ("one_off".into(), td_string!(locale, manage_opportunities.one_off).into())]
            checked=frequency.unwrap_or_else(|| "regular".into()) errors/>
        <PostedField form="form" name="on_date" label=td_string!(locale, manage_opportunities.on_date) input_type="date" hint=td_string!(locale, manage_opportunities.on_date_hint)
            value=get(|o| o.on_date.clone().unwrap_or_default()) errors/>
        <WeekGrid form="form" legend=td_string!(locale, manage_opportunities.times) hint=td_string!(locale, manage_opportunities.times_hint) checked=now.as_ref().map(|o| o.slots.clone()).unwrap_or_default() errors/>
        <PostedField form="form" name="hours_per_week" label=td_string!(locale, manage_opportunities.hours) input_type="text" value=get(|o| o.hours_per_week.map(|h| h.to_string()).unwrap_or_default()) errors/>
        <Radios form="form" name="minimum_age" legend=td_string!(locale, manage_opportunities.minimum_age) choices=MINIMUM_AGES.iter().map(|(a, _)| (a.to_string(), names::minimum_age(locale, *a).to_string())).collect()
            checked=minimum_age.unwrap_or_else(|| "0".into()) errors/>
        <div class="form-group">
            <div class="radios__item">
                <input class="radios__input" type="checkbox" id="dbs_required" name="form[dbs_required]" value="yes" checked=dbs/>
                <label class="radios__label" for="dbs_required">{td_string!(locale, manage_opportunities.dbs)}</label>
            </div>
        </div>
        <PostedField form="form" name="capacity" label=td_string!(locale, manage_opportunities.capacity) value=get(|o| o.capacity.map(|c| c.to_string()).unwrap_or_default()) errors/>
        <PostedField form="form" name="accessibility" label=td_string!(locale, manage_opportunities.accessibility) multiline=true hint=td_string!(locale, manage_opportunities.accessibility_hint)
            value=get(|o| o.accessibility.clone()) errors/>
        <PostedField form="form" name="contact" label=td_string!(locale, manage_opportunities.contact) hint=td_string!(locale, manage_opportunities.contact_hint) value=get(|o| o.contact.clone()) errors/>
    }
}

#[component]
pub fn ManageOpportunitiesPage() -> impl IntoView {
    let locale = crate::language::page_locale();
    let create = ServerAction::<CreateOpportunity>::new();
    let list = Resource::new(|| (), |_| manage_opportunities());
    let error = Signal::derive(move || create.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    view! {
        <Title text=td_string!(locale, manage_opportunities.page_title)/>
        <Suspense fallback=move || view! { <p class="body">{td_string!(locale, manage_opportunities.loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(error) => view! { <PageProblem error/> }.into_any(),
                    Ok(list) => view! {
                        <ErrorSummary error first_field="title"/>
                        <h1 class="heading-l">{td_string!(locale, manage_opportunities.page_title)}</h1>
                        {if list.is_group {
                            view! { <p class="body"><a class="link" href="/partners">{td_string!(locale, manage_opportunities.organisers_link)}</a>{td_string!(locale, manage_opportunities.organisers_after)}</p> }.into_any()
                        } else {
                            view! { <p class="body"><a class="link" href="/partners">{td_string!(locale, manage_opportunities.partners_link)}</a>{td_string!(locale, manage_opportunities.partners_after)}</p> }.into_any()
                        }}
                        {if list.opportunities.is_empty() {
                            view! { <p class="body">{td_string!(locale, manage_opportunities.none_posted)}</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-wrap">
                                    <table class="table">
                                        <caption class="visually-hidden">{td_string!(locale, manage_opportunities.list_caption)}</caption>
                                        <thead><tr>
                                            <th scope="col">{td_string!(locale, manage_opportunities.opportunity)}</th>
                                            <th scope="col">{td_string!(locale, manage_opportunities.status)}</th>
                                            <th scope="col">{td_string!(locale, manage_opportunities.interest)}</th>
                                        </tr></thead>
                                        <tbody>
                                            {list.opportunities.into_iter().map(|o| view! {
                                                <tr>
                                                    <td><a class="link" href=format!("/manage/opportunities/{}", o.id)>{o.title}</a></td>
                                                    <td>{o.status.name(locale)}</td>
                                                    <td>
                                                        {td_string!(locale, manage_opportunities.new_of, fresh = o.new_interest, total = o.all_interest)}
                                                        {(o.waiting > 0).then(|| view! {
                                                            " " <strong class="tag tag--red">{td_string!(locale, manage_opportunities.waiting_week, n = o.waiting)}</strong>
                                                        })}
                                                    </td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }}
                        <h2 class="heading-m" id="new-heading">{td_string!(locale, manage_opportunities.post_heading)}</h2>
                        <ActionForm action=create attr:novalidate=true attr:class="form" attr:aria-labelledby="new-heading">
                            <OpportunityFields areas=list.areas interests=list.interests errors/>
                            <div class="button-group">
                                <button type="submit" class="button" name="publish" value="yes" disabled=move || create.pending().get()>{td_string!(locale, manage_opportunities.post_now)}</button>
                                <button type="submit" class="button button--secondary" disabled=move || create.pending().get()>{td_string!(locale, manage_opportunities.save_draft)}</button>
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
    let locale = crate::language::page_locale();
    let params = use_params_map();
    let update = ServerAction::<UpdateOpportunity>::new();
    let status = ServerAction::<SetOpportunityStatus>::new();
    let interest = ServerAction::<SetInterestStatus>::new();
    let id = move || address_value(params, "id").unwrap_or_default();
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
        <Suspense fallback=move || view! { <p class="body">{td_string!(locale, manage_opportunities.loading)}</p> }>
            {move || Suspend::new(async move {
                match (page.await, lists.await, inbox.await) {
                    (Err(error), ..) | (_, Err(error), _) | (.., Err(error)) => view! { <Title text=td_string!(locale, manage_opportunities.opportunity)/><PageProblem error/> }.into_any(),
                    (Ok(view), ..) if !view.can_manage => view! { <Title text=td_string!(locale, manage_opportunities.opportunity)/><PageProblem error=AppError::Forbidden/> }.into_any(),
                    (Ok(view), Ok(list), Ok(inbox)) => {
                        let card = view.card.clone();
                        let (oid, oid_status) = (card.id.clone(), card.id.clone());
                        let next: Vec<OpportunityStatus> = OpportunityStatus::ALL.into_iter().filter(|s| *s != card.status).collect();
                        view! {
                            <Title text=td_string!(locale, manage_opportunities.manage_title, title = card.title.clone())/>
                            <ErrorSummary error=update_error first_field="title"/>
                            <ErrorSummary error=status_error first_field="status"/>
                            {move || update.value().get().and_then(|r| r.ok()).map(|_| view! {
                                <SuccessBanner title=td_string!(locale, manage_opportunities.details_saved)><p>{td_string!(locale, manage_opportunities.details_saved_text)}</p></SuccessBanner>
                            })}
                            <p class="caption">{td_string!(locale, manage_opportunities.manage_caption)}</p>
                            <h1 class="heading-l">{card.title.clone()}</h1>
                            <p class="body"><strong class="tag">{card.status.name(locale)}</strong></p>
                            <p class="body"><a class="link" href=format!("/volunteer/{}", card.id)>{td_string!(locale, manage_opportunities.see_as_resident)}</a></p>
                            <ActionForm action=status attr:class="inline-form">
                                <input type="hidden" name="opportunity_id" value=oid_status/>
                                <p class="body">
                                    {next.into_iter().enumerate().map(|(i, s)| {
                                        let label = match s {
                                            OpportunityStatus::Draft => td_string!(locale, manage_opportunities.to_draft),
                                            OpportunityStatus::Open => td_string!(locale, manage_opportunities.to_open),
                                            OpportunityStatus::Filled => td_string!(locale, manage_opportunities.to_filled),
                                            OpportunityStatus::Closed => td_string!(locale, manage_opportunities.to_closed),
                                        };
                                        view! { <button type="submit" class="button button--secondary button--small" id=(i == 0).then_some("status") name="status" value=s.as_str()>{label}</button> " " }
                                    }).collect_view()}
                                </p>
                            </ActionForm>
                            <section aria-labelledby="inbox-heading">
                                <h2 class="heading-m" id="inbox-heading">{td_string!(locale, manage_opportunities.inbox_heading)}</h2>
                                {if inbox.entries.is_empty() {
                                    view! { <p class="body">{td_string!(locale, manage_opportunities.inbox_empty)}</p> }.into_any()
                                } else {
                                    view! {
                                        <div class="table-wrap">
                                            <table class="table">
                                                <caption class="visually-hidden">{td_string!(locale, manage_opportunities.inbox_caption)}</caption>
                                                <thead><tr>
                                                    <th scope="col">{td_string!(locale, manage_opportunities.who)}</th>
                                                    <th scope="col">{td_string!(locale, manage_opportunities.received)}</th>
                                                    <th scope="col">{td_string!(locale, manage_opportunities.their_message)}</th>
                                                    <th scope="col">{td_string!(locale, manage_opportunities.status)}</th>
                                                </tr></thead>
                                                <tbody>
                                                    {inbox.entries.into_iter().enumerate().map(|(i, e)| {
                                                        let who = match (&e.name, &e.contact) {
                                                            (Some(n), Some(c)) => view! { <strong>{n.clone()}</strong><br/>{c.clone()} }.into_any(),
                                                            _ => view! { <span>{td_string!(locale, manage_opportunities.not_shared)}</span> }.into_any(),
                                                        };
                                                        let select_id = format!("interest-status-{i}");
                                                        view! {
                                                            <tr>
                                                                <td>{who}{e.at_the_door.then(|| view! { <br/><span class="hint">{td_string!(locale, manage_opportunities.at_the_door)}</span> })}</td>
                                                                <td>
                                                                    {names::long_date(locale, &e.received_on)}
                                                                    {e.waiting_days.map(|d| view! { <br/><strong class="tag tag--red">{td_string!(locale, manage_opportunities.not_contacted, days = d)}</strong> })}
                                                                </td>
                                                                <td>{if e.message.is_empty() { "—".to_string() } else { e.message.clone() }}</td>
                                                                <td>
                                                                    <ActionForm action=interest attr:class="inline-form">
                                                                        <input type="hidden" name="interest_id" value=e.id.clone()/>
                                                                        <label class="label" for=select_id.clone()>
                                                                            <span class="visually-hidden">{td_string!(locale, manage_opportunities.status_of, name = e.name.clone().unwrap_or_else(|| td_string!(locale, manage_opportunities.this_resident).to_string()))}</span>
                                                                        </label>
                                                                        <select class="select" id=select_id name="status">
                                                                            {InterestStatus::ALL.into_iter().map(|s| view! {
                                                                                <option value=s.as_str() selected=s == e.status>{s.name(locale)}</option>
                                                                            }).collect_view()}
                                                                        </select>
                                                                        <button type="submit" class="button button--secondary button--small">{td_string!(locale, manage_opportunities.update)}</button>
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
                                <h2 class="heading-m" id="suggested-heading">{td_string!(locale, manage_opportunities.suggested_heading)}</h2>
                                <p class="body">{td_string!(locale, manage_opportunities.suggested_lead)}</p>
                                {if inbox.suggestions.is_empty() {
                                    view! { <p class="body">{td_string!(locale, manage_opportunities.suggested_empty)}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="card-list">
                                            {inbox.suggestions.into_iter().map(|s| view! {
                                                <li class="card">
                                                    <h3 class="heading-s card__title">{s.name}</h3>
                                                    <p class="body">{s.contact}</p>
                                                    <p class="match-reason"><strong>{td_string!(locale, manage_opportunities.why)}" "</strong>{s.reason}</p>
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            </section>
                            <section aria-labelledby="edit-heading">
                                <h2 class="heading-m" id="edit-heading">{td_string!(locale, manage_opportunities.edit_heading)}</h2>
                                <ActionForm action=update attr:novalidate=true attr:class="form" attr:aria-labelledby="edit-heading">
                                    <input type="hidden" name="opportunity_id" value=oid/>
                                    <OpportunityFields areas=list.areas interests=list.interests now=view errors=update_errors/>
                                    <button type="submit" class="button" disabled=move || update.pending().get()>{td_string!(locale, manage_opportunities.save_details)}</button>
                                </ActionForm>
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
