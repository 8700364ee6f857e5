//! `/community`: the clusters an organisation's conversations show (one issue raised by many
//! residents in one area), and what makes a cluster. Admins only. A real form: it works without
//! JavaScript too.

use crate::api::community::{
    community_page, community_response, response_opening, ClusterView, LinkCommunityOpportunity, OpenCommunityResponse,
    PostCommunityUpdate, ResponseView, SaveClusterRule, SignUpForMeeting, UnlinkCommunityOpportunity,
};
use crate::components::address_value;
use crate::components::forms::{field_errors, ErrorSummary, PostedField};
use crate::components::status::{PageProblem, SuccessBanner};
use crate::components::title::Title;
use crate::i18n::td_string;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn CommunityResponsesPage() -> impl IntoView {
    let locale = crate::language::page_locale();
    let save = ServerAction::<SaveClusterRule>::new();
    let data = Resource::new(move || save.version().get(), |_| community_page());
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    view! {
        <Title text=td_string!(locale, community.page_title)/>
        <ErrorSummary error first_field="threshold"/>
        {move || save.value().get().and_then(|r| r.ok()).map(|_| view! {
            <SuccessBanner title=td_string!(locale, community.saved)><p>{td_string!(locale, community.rule_saved)}</p></SuccessBanner>
        })}
        <h1 class="heading-l">{td_string!(locale, community.page_title)}</h1>
        <p class="body">{td_string!(locale, community.lead)}</p>
        <Suspense fallback=move || view! { <p class="body">{td_string!(locale, community.loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <PageProblem error/> }.into_any(),
                    Ok(page) => view! {
                        <h2 class="heading-m" id="clusters-heading">{td_string!(locale, community.clusters_heading)}</h2>
                        {if page.clusters.is_empty() {
                            view! { <p class="body">{td_string!(
                                locale, community.no_clusters, residents = page.threshold, days = page.window_days
                            )}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="card-list" aria-labelledby="clusters-heading">
                                    {page.clusters.into_iter().map(|c| view! { <ClusterCard cluster=c/> }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        <h2 class="heading-m" id="responses-heading">{td_string!(locale, community.responses_heading)}</h2>
                        {if page.responses.is_empty() {
                            view! { <p class="body">{td_string!(locale, community.no_responses)}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="card-list" aria-labelledby="responses-heading">
                                    {page.responses.into_iter().map(|r| view! {
                                        <li class="card">
                                            <h3 class="heading-s"><a class="link" href=format!("/together/{}", r.id)>{r.title}</a></h3>
                                            <p class="body">{r.about} " · " {td_string!(locale, community.opened_lower, date = r.opened_on)}
                                                {(!r.open).then(|| view! { " · " <strong class="tag tag--grey">{td_string!(locale, community.closed)}</strong> })}</p>
                                            <p class="body">{r.progress}</p>
                                            <p class="body">{r.invitations}</p>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        <h2 class="heading-m" id="rule-heading">{td_string!(locale, community.rule_heading)}</h2>
                        <ActionForm action=save attr:novalidate=true attr:class="form" attr:aria-labelledby="rule-heading">
                            <PostedField name="threshold" label=td_string!(locale, community.threshold) input_type="number"
                                hint=td_string!(locale, community.threshold_hint)
                                value=page.threshold.to_string() errors/>
                            <PostedField name="window_days" label=td_string!(locale, community.window) input_type="number"
                                hint=td_string!(locale, community.window_hint)
                                value=page.window_days.to_string() errors/>
                            <button type="submit" class="button button--secondary" disabled=move || save.pending().get()>{td_string!(locale, community.save)}</button>
                        </ActionForm>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ClusterCard(cluster: ClusterView) -> impl IntoView {
    let locale = crate::language::page_locale();
    let heading = format!("cluster-{}-{}", cluster.area_id, cluster.theme_id);
    let labelled_by = heading.clone();
    use crate::domain::cluster::Trend;
    use crate::language::names::HasName;
    let (tag, trend) = match cluster.trend.as_str() {
        "Shrinking" => ("tag tag--green", Trend::Shrinking),
        "Growing" => ("tag tag--red", Trend::Growing),
        "New" => ("tag tag--red", Trend::New),
        _ => ("tag tag--grey", Trend::Steady),
    };
    view! {
        <li class="card" aria-labelledby=labelled_by>
            <h3 class="heading-s" id=heading>{cluster.title.clone()}</h3>
            <p class="body"><strong class=tag>{trend.name(locale)}</strong> " " {cluster.summary} " (" {cluster.compared} ")"</p>
            {match cluster.response_id {
                Some(id) => view! { <p class="body"><a class="link" href=format!("/together/{id}")>{td_string!(locale, community.see_response)}</a></p> }.into_any(),
                None => view! {
                    <p class="body"><a class="link" href=format!("/community/open?area={}&theme={}", cluster.area_id, cluster.theme_id)>
                        {td_string!(locale, community.open_response)}<span class="visually-hidden">" " {td_string!(locale, community.on_cluster, title = cluster.title.clone())}</span></a></p>
                }.into_any(),
            }}
        </li>
    }
}

/// `/community/open?area=…&theme=…`: an admin opens a response on one cluster.
#[component]
pub fn OpenResponsePage() -> impl IntoView {
    let locale = crate::language::page_locale();
    let query = use_query_map();
    let open = ServerAction::<OpenCommunityResponse>::new();
    let wanted = move || (address_value(query, "area").unwrap_or_default(), address_value(query, "theme").unwrap_or_default());
    let data = Resource::new(wanted, |(area, theme)| response_opening(area, theme));
    let error = Signal::derive(move || open.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    view! {
        <Title text=td_string!(locale, community.open_response)/>
        <a href="/community" class="back-link">{td_string!(locale, community.back)}</a>
        <ErrorSummary error first_field="title"/>
        <h1 class="heading-l">{td_string!(locale, community.open_response)}</h1>
        <Suspense fallback=move || view! { <p class="body">{td_string!(locale, community.loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <PageProblem error/> }.into_any(),
                    Ok(o) => view! {
                        <p class="lead">{o.summary}</p>
                        <p class="body">{td_string!(locale, community.open_lead)}</p>
                        <ActionForm action=open attr:novalidate=true attr:class="form">
                            <input type="hidden" name="form[area_id]" value=o.area_id/>
                            <input type="hidden" name="form[theme_id]" value=o.theme_id/>
                            <PostedField name="title" form="form" label=td_string!(locale, community.title) value=o.title errors/>
                            <PostedField name="we_will" form="form" label=td_string!(locale, community.we_will) multiline=true
                                hint=td_string!(locale, community.we_will_hint) errors/>
                            <PostedField name="you_can" form="form" label=td_string!(locale, community.you_can_label) multiline=true errors/>
                            <h2 class="heading-m">{td_string!(locale, community.meeting_heading)}</h2>
                            <PostedField name="event_name" form="form" label=td_string!(locale, community.event_name) hint=td_string!(locale, community.event_name_hint) errors/>
                            <PostedField name="event_place" form="form" label=td_string!(locale, community.event_place) errors/>
                            <PostedField name="event_on" form="form" label=td_string!(locale, community.event_on) input_type="date" errors/>
                            <button type="submit" class="button" disabled=move || open.pending().get()>{td_string!(locale, community.open_button)}</button>
                        </ActionForm>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/together/{id}`: a community response as residents read it. A plain page for residents;
/// its own organisation's admins also post its updates and link opportunities to it here.
#[component]
pub fn TogetherPage() -> impl IntoView {
    let locale = crate::language::page_locale();
    let params = use_params_map();
    let query = use_query_map();
    let actions = TogetherActions {
        sign_up: ServerAction::<SignUpForMeeting>::new(),
        update: ServerAction::<PostCommunityUpdate>::new(),
        link: ServerAction::<LinkCommunityOpportunity>::new(),
        unlink: ServerAction::<UnlinkCommunityOpportunity>::new(),
    };
    let wanted = move || {
        (
            address_value(params, "id").unwrap_or_default(),
            address_value(query, "invite"),
            actions.update.version().get(),
            actions.link.version().get(),
            actions.unlink.version().get(),
        )
    };
    let data = Resource::new(wanted, |(id, invite, _, _, _)| community_response(id, invite));
    view! {
        <Suspense fallback=move || view! { <p class="body">{td_string!(locale, community.loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <Title text=td_string!(locale, community.response_title)/><PageProblem error/> }.into_any(),
                    Ok(r) => {
                        let invite = query.try_with_untracked(|q| q.get("invite")).flatten().unwrap_or_default();
                        view! { <Together response=r invite actions/> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// What can be done on a response's page.
#[derive(Clone, Copy)]
struct TogetherActions {
    sign_up: ServerAction<SignUpForMeeting>,
    update: ServerAction<PostCommunityUpdate>,
    link: ServerAction<LinkCommunityOpportunity>,
    unlink: ServerAction<UnlinkCommunityOpportunity>,
}

#[component]
fn Together(response: ResponseView, invite: String, actions: TogetherActions) -> impl IntoView {
    let locale = crate::language::page_locale();
    let TogetherActions { sign_up, update, link, unlink } = actions;
    // What the last form sent says, and nothing older: sending one forgets the others' answers.
    Effect::new(move |_| {
        if update.pending().get() {
            link.value().set(None);
            unlink.value().set(None);
            sign_up.value().set(None);
        }
    });
    Effect::new(move |_| {
        if link.pending().get() || unlink.pending().get() {
            update.value().set(None);
            sign_up.value().set(None);
        }
        if link.pending().get() {
            unlink.value().set(None);
        }
        if unlink.pending().get() {
            link.value().set(None);
        }
    });
    let failed = |v: Option<Result<(), crate::error::AppError>>| v.and_then(|r| r.err());
    let (update_error, link_error, unlink_error, sign_up_error) = (
        Signal::derive(move || failed(update.value().get())),
        Signal::derive(move || failed(link.value().get())),
        Signal::derive(move || failed(unlink.value().get())),
        Signal::derive(move || failed(sign_up.value().get())),
    );
    let errors = Memo::new(move |_| field_errors(&update_error.get().or_else(|| link_error.get()).or_else(|| sign_up_error.get())));
    let linked = response.opportunities.clone();
    let id = response.id.clone();
    let manage_id = response.id.clone();
    let open = response.open;
    view! {
        // Each form's problems link to its own first field.
        <ErrorSummary error=update_error first_field="update"/>
        <ErrorSummary error=link_error first_field="opportunity_id"/>
        <ErrorSummary error=unlink_error first_field="response-title"/>
        <ErrorSummary error=sign_up_error first_field="sign-up"/>
        {move || update.value().get().and_then(|r| r.ok()).map(|_| view! {
            <SuccessBanner title=td_string!(locale, community.update_posted)><p>{td_string!(locale, community.update_posted_text)}</p></SuccessBanner>
        })}
        {move || unlink.value().get().and_then(|r| r.ok()).map(|_| view! {
            <SuccessBanner title=td_string!(locale, community.unlinked)><p>{td_string!(locale, community.unlinked_text)}</p></SuccessBanner>
        })}
        <Title text=response.title.clone()/>
        <span class="caption">{response.organisation} " · " {response.about}</span>
        <h1 class="heading-l" id="response-title" tabindex="-1">{response.title}</h1>
        {response.closed_on.map(|on| view! { <p class="inset"><strong class="tag tag--grey">{td_string!(locale, community.closed)}</strong> " " {td_string!(locale, community.closed_on, date = on)}</p> })}
        {(!response.progress.is_empty()).then(|| view! { <p class="inset">{response.progress}</p> })}
        <h2 class="heading-m">{td_string!(locale, community.we_will)}</h2>
        <p class="body prewrap">{response.we_will}</p>
        {(!response.you_can.is_empty()).then(|| view! {
            <h2 class="heading-m">{td_string!(locale, community.you_can)}</h2>
            <p class="body prewrap">{response.you_can}</p>
        })}
        {(!response.opportunities.is_empty()).then(|| view! {
            <h2 class="heading-m" id="volunteer-heading">{td_string!(locale, community.volunteer_heading)}</h2>
            <ul class="list" aria-labelledby="volunteer-heading">
                {response.opportunities.into_iter().map(|o| {
                    let (title, lang, dir) = crate::language::in_shown(crate::language::content_shown(&o.title_cy).0, &o.title, &o.title_cy);
                    view! { <li><a class="link" href=format!("/volunteer/{}", o.id) lang=lang dir=dir>{title}</a> " · " {o.by}</li> }
                }).collect_view()}
            </ul>
        })}
        {response.meeting.map(|(what, place, on)| view! {
            <h2 class="heading-m">{td_string!(locale, community.meet_us)}</h2>
            <p class="body">{what} {(!place.is_empty()).then(|| format!(", {place}"))} ", " {on.clone()}</p>
            {match response.signed_up {
                Some(true) => view! {
                    <SuccessBanner title=td_string!(locale, community.signed_up)><p>{td_string!(locale, community.see_you, date = on.clone())}</p></SuccessBanner>
                }.into_any(),
                Some(false) if open => view! {
                    <ActionForm action=sign_up attr:class="form">
                        <input type="hidden" name="id" value=id.clone()/>
                        <input type="hidden" name="invite" value=invite.clone()/>
                        <button type="submit" class="button" id="sign-up">{td_string!(locale, community.sign_up)}</button>
                    </ActionForm>
                }.into_any(),
                _ if !open => view! { <p class="hint">{td_string!(locale, community.response_closed)}</p> }.into_any(),
                _ => view! { <p class="hint">{td_string!(locale, community.link_sent)}</p> }.into_any(),
            }}
        })}
        {(!response.updates.is_empty()).then(|| view! {
            <h2 class="heading-m" id="updates-heading">{td_string!(locale, community.updates_heading)}</h2>
            <ul class="card-list" aria-labelledby="updates-heading">
                {response.updates.into_iter().map(|u| view! {
                    <li class="card">
                        <h3 class="heading-s">{u.on} {u.closing.then(|| format!(" · {}", td_string!(locale, community.last_update)))}</h3>
                        <p class="body prewrap">{u.body}</p>
                        {(!u.sent.is_empty()).then(|| view! { <p class="hint">{u.sent}</p> })}
                    </li>
                }).collect_view()}
            </ul>
        })}
        {(response.manage && open).then(|| view! {
            <ManageResponse id=manage_id linkable=response.linkable linked update link unlink errors/>
        })}
        <p class="hint">{td_string!(locale, community.opened, date = response.opened_on)}</p>
    }
}

/// An admin's forms on their organisation's open response: a progress update, and linking a
/// volunteering opportunity.
#[component]
fn ManageResponse(
    id: String,
    linkable: Vec<crate::types::Named>,
    linked: Vec<crate::types::community::LinkedOpportunity>,
    update: ServerAction<PostCommunityUpdate>,
    link: ServerAction<LinkCommunityOpportunity>,
    unlink: ServerAction<UnlinkCommunityOpportunity>,
    errors: Memo<crate::domain::validation::FieldErrors>,
) -> impl IntoView {
    let unlink_id = id.clone();
    let update_id = id.clone();
    let close_error = move || errors.read().text("close");
    let link_error = move || errors.read().text("opportunity_id");
    let locale = crate::language::page_locale();
    view! {
        <h2 class="heading-m" id="update-heading">{td_string!(locale, community.post_update_heading)}</h2>
        <ActionForm action=update attr:novalidate=true attr:class="form" attr:aria-labelledby="update-heading">
            <input type="hidden" name="id" value=update_id/>
            <PostedField name="update" label=td_string!(locale, community.update_label) multiline=true
                hint=td_string!(locale, community.update_hint) errors/>
            <div class="form-group" class:form-group--error=move || close_error().is_some()>
                {move || close_error().map(|m| view! { <p class="error-message" id="close-error"><span class="visually-hidden">{td_string!(locale, community.error_prefix)}" "</span>{m}</p> })}
                <div class="checkboxes">
                    <div class="radios__item">
                        <input class="radios__input" type="checkbox" id="close" name="close" value="yes"
                            aria-describedby=move || close_error().map(|_| "close-error")/>
                        <label class="radios__label" for="close">{td_string!(locale, community.close_label)}</label>
                    </div>
                </div>
            </div>
            <button type="submit" class="button" disabled=move || update.pending().get()>{td_string!(locale, community.post_update)}</button>
        </ActionForm>
        <h2 class="heading-m" id="link-heading" tabindex="-1">{td_string!(locale, community.link_heading)}</h2>
        {(!linked.is_empty()).then(|| view! {
            <p class="body">{td_string!(locale, community.linked_now)}</p>
            <ul class="list">
                {linked.into_iter().map(|o| (o, unlink_id.clone())).map(|(o, response)| view! {
                    <li>
                        <ActionForm action=unlink attr:class="inline-form">
                            <input type="hidden" name="id" value=response/>
                            <input type="hidden" name="opportunity_id" value=o.id/>
                            {o.title.clone()} " "
                            <button type="submit" class="button button--secondary button--small" disabled=move || unlink.pending().get()>
                                {td_string!(locale, community.take_off)}<span class="visually-hidden">{format!(" “{}”", o.title)}</span>
                            </button>
                        </ActionForm>
                    </li>
                }).collect_view()}
            </ul>
        })}
        {if linkable.is_empty() {
            view! { <p class="body">{td_string!(locale, community.nothing_to_link)}" "
                <a class="link" href="/manage/opportunities">{td_string!(locale, community.post_link)}</a></p> }.into_any()
        } else {
            view! {
                <ActionForm action=link attr:novalidate=true attr:class="form" attr:aria-labelledby="link-heading">
                    <input type="hidden" name="id" value=id/>
                    <div class="form-group" class:form-group--error=move || link_error().is_some()>
                        <label class="label" for="opportunity_id">{td_string!(locale, community.opportunity_label)}</label>
                        {move || link_error().map(|m| view! { <p class="error-message" id="opportunity_id-error"><span class="visually-hidden">{td_string!(locale, community.error_prefix)}" "</span>{m}</p> })}
                        <select class="select" class:input--error=move || link_error().is_some() id="opportunity_id" name="opportunity_id"
                            aria-describedby=move || link_error().map(|_| "opportunity_id-error")>
                            {linkable.into_iter().map(|o| view! { <option value=o.id>{o.name}</option> }).collect_view()}
                        </select>
                    </div>
                    <button type="submit" class="button button--secondary" disabled=move || link.pending().get()>{td_string!(locale, community.link_button)}</button>
                </ActionForm>
            }.into_any()
        }}
    }
}
