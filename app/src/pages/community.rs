//! `/community`: the clusters an organisation's conversations show (one issue raised by many
//! residents in one area), and what makes a cluster. Admins only. A real form: it works without
//! JavaScript too.

use crate::api::community::{
    community_page, community_response, response_opening, ClusterView, LinkCommunityOpportunity, OpenCommunityResponse,
    PostCommunityUpdate, ResponseView, SaveClusterRule, SignUpForMeeting, UnlinkCommunityOpportunity,
};
use crate::components::forms::{field_errors, ErrorSummary, PostedField};
use crate::components::status::{PageProblem, SuccessBanner};
use crate::components::title::Title;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn CommunityResponsesPage() -> impl IntoView {
    let save = ServerAction::<SaveClusterRule>::new();
    let data = Resource::new(move || save.version().get(), |_| community_page());
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    view! {
        <Title text="Community responses"/>
        <ErrorSummary error first_field="threshold"/>
        {move || save.value().get().and_then(|r| r.ok()).map(|_| view! {
            <SuccessBanner title="Saved"><p>"Clusters are now found by the new rule."</p></SuccessBanner>
        })}
        <h1 class="heading-l">"Community responses"</h1>
        <p class="body">"When many residents raise the same issue in one area, it can be answered together: what we will do, "
            "what residents can do, and a time to meet."</p>
        <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <PageProblem error/> }.into_any(),
                    Ok(page) => view! {
                        <h2 class="heading-m" id="clusters-heading">"Clusters now"</h2>
                        {if page.clusters.is_empty() {
                            view! { <p class="body">{format!(
                                "No issue has been raised by {} or more residents in one area in the last {} days.",
                                page.threshold, page.window_days
                            )}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="card-list" aria-labelledby="clusters-heading">
                                    {page.clusters.into_iter().map(|c| view! { <ClusterCard cluster=c/> }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        <h2 class="heading-m" id="responses-heading">"Responses"</h2>
                        {if page.responses.is_empty() {
                            view! { <p class="body">"None yet. Open one on a cluster above."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="card-list" aria-labelledby="responses-heading">
                                    {page.responses.into_iter().map(|r| view! {
                                        <li class="card">
                                            <h3 class="heading-s"><a class="link" href=format!("/together/{}", r.id)>{r.title}</a></h3>
                                            <p class="body">{r.about} " · opened " {r.opened_on}
                                                {(!r.open).then(|| view! { " · " <strong class="tag tag--grey">"Closed"</strong> })}</p>
                                            <p class="body">{r.progress}</p>
                                            <p class="body">{r.invitations}</p>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        <h2 class="heading-m" id="rule-heading">"What makes a cluster"</h2>
                        <ActionForm action=save attr:novalidate=true attr:class="form" attr:aria-labelledby="rule-heading">
                            <PostedField name="threshold" label="How many residents" input_type="number"
                                hint="Raising the same issue in one area. At least 5, so nobody can be picked out."
                                value=page.threshold.to_string() errors/>
                            <PostedField name="window_days" label="Within how many days" input_type="number"
                                hint="From 7 to 90. Each cluster is compared with the same number of days before."
                                value=page.window_days.to_string() errors/>
                            <button type="submit" class="button button--secondary" disabled=move || save.pending().get()>"Save"</button>
                        </ActionForm>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ClusterCard(cluster: ClusterView) -> impl IntoView {
    let heading = format!("cluster-{}-{}", cluster.area_id, cluster.theme_id);
    let labelled_by = heading.clone();
    let tag = match cluster.trend.as_str() {
        "Shrinking" => "tag tag--green",
        "Growing" | "New" => "tag tag--red",
        _ => "tag tag--grey",
    };
    view! {
        <li class="card" aria-labelledby=labelled_by>
            <h3 class="heading-s" id=heading>{cluster.title.clone()}</h3>
            <p class="body"><strong class=tag>{cluster.trend}</strong> " " {cluster.summary} " (" {cluster.compared} ")"</p>
            {match cluster.response_id {
                Some(id) => view! { <p class="body"><a class="link" href=format!("/together/{id}")>"See the community response"</a></p> }.into_any(),
                None => view! {
                    <p class="body"><a class="link" href=format!("/community/open?area={}&theme={}", cluster.area_id, cluster.theme_id)>
                        "Open a community response"<span class="visually-hidden">{format!(" on {}", cluster.title)}</span></a></p>
                }.into_any(),
            }}
        </li>
    }
}

/// `/community/open?area=…&theme=…`: an admin opens a response on one cluster.
#[component]
pub fn OpenResponsePage() -> impl IntoView {
    let query = use_query_map();
    let open = ServerAction::<OpenCommunityResponse>::new();
    let wanted = move || (query.read().get("area").unwrap_or_default(), query.read().get("theme").unwrap_or_default());
    let data = Resource::new(wanted, |(area, theme)| response_opening(area, theme));
    let error = Signal::derive(move || open.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    view! {
        <Title text="Open a community response"/>
        <a href="/community" class="back-link">"Back to community responses"</a>
        <ErrorSummary error first_field="title"/>
        <h1 class="heading-l">"Open a community response"</h1>
        <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <PageProblem error/> }.into_any(),
                    Ok(o) => view! {
                        <p class="lead">{o.summary}</p>
                        <p class="body">"Say what the organisation will do and what residents can do. Residents can read it; "
                            "a meeting, if you name one, is where you meet them."</p>
                        <ActionForm action=open attr:novalidate=true attr:class="form">
                            <input type="hidden" name="form[area_id]" value=o.area_id/>
                            <input type="hidden" name="form[theme_id]" value=o.theme_id/>
                            <PostedField name="title" form="form" label="Title" value=o.title errors/>
                            <PostedField name="we_will" form="form" label="What we will do" multiline=true
                                hint="Plainly, with dates where you can. Up to 2,000 characters." errors/>
                            <PostedField name="you_can" form="form" label="What residents can do (optional)" multiline=true errors/>
                            <h2 class="heading-m">"A meeting (optional)"</h2>
                            <PostedField name="event_name" form="form" label="What the meeting is" hint="For example: street meeting with the ward officer." errors/>
                            <PostedField name="event_place" form="form" label="Where" errors/>
                            <PostedField name="event_on" form="form" label="Date" input_type="date" errors/>
                            <button type="submit" class="button" disabled=move || open.pending().get()>"Open the community response"</button>
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
            params.read().get("id").unwrap_or_default(),
            query.read().get("invite"),
            actions.update.version().get(),
            actions.link.version().get(),
            actions.unlink.version().get(),
        )
    };
    let data = Resource::new(wanted, |(id, invite, _, _, _)| community_response(id, invite));
    view! {
        <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <Title text="Community response"/><PageProblem error/> }.into_any(),
                    Ok(r) => {
                        let invite = query.read_untracked().get("invite").unwrap_or_default();
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
            <SuccessBanner title="Update posted"><p>"It was emailed to the invited residents who still agree to hear about their issue."</p></SuccessBanner>
        })}
        {move || unlink.value().get().and_then(|r| r.ok()).map(|_| view! {
            <SuccessBanner title="Taken off this response"><p>"Residents no longer see it under “Volunteer to help”."</p></SuccessBanner>
        })}
        <Title text=response.title.clone()/>
        <span class="caption">{response.organisation} " · " {response.about}</span>
        <h1 class="heading-l" id="response-title" tabindex="-1">{response.title}</h1>
        {response.closed_on.map(|on| view! { <p class="inset"><strong class="tag tag--grey">"Closed"</strong> " on " {on}</p> })}
        {(!response.progress.is_empty()).then(|| view! { <p class="inset">{response.progress}</p> })}
        <h2 class="heading-m">"What we will do"</h2>
        <p class="body prewrap">{response.we_will}</p>
        {(!response.you_can.is_empty()).then(|| view! {
            <h2 class="heading-m">"What you can do"</h2>
            <p class="body prewrap">{response.you_can}</p>
        })}
        {(!response.opportunities.is_empty()).then(|| view! {
            <h2 class="heading-m" id="volunteer-heading">"Volunteer to help"</h2>
            <ul class="list" aria-labelledby="volunteer-heading">
                {response.opportunities.into_iter().map(|o| view! {
                    <li><a class="link" href=format!("/volunteer/{}", o.id)>{o.title}</a> " · " {o.by}</li>
                }).collect_view()}
            </ul>
        })}
        {response.meeting.map(|(what, place, on)| view! {
            <h2 class="heading-m">"Meet us"</h2>
            <p class="body">{what} {(!place.is_empty()).then(|| format!(", {place}"))} ", " {on.clone()}</p>
            {match response.signed_up {
                Some(true) => view! {
                    <SuccessBanner title="You have signed up"><p>{format!("See you on {on}. If you cannot come after all, reply to the email.")}</p></SuccessBanner>
                }.into_any(),
                Some(false) if open => view! {
                    <ActionForm action=sign_up attr:class="form">
                        <input type="hidden" name="id" value=id.clone()/>
                        <input type="hidden" name="invite" value=invite.clone()/>
                        <button type="submit" class="button" id="sign-up">"Sign up for the meeting"</button>
                    </ActionForm>
                }.into_any(),
                _ if !open => view! { <p class="hint">"This response is closed."</p> }.into_any(),
                _ => view! { <p class="hint">"Residents who raised this were sent a link to sign up."</p> }.into_any(),
            }}
        })}
        {(!response.updates.is_empty()).then(|| view! {
            <h2 class="heading-m" id="updates-heading">"You said, we did"</h2>
            <ul class="card-list" aria-labelledby="updates-heading">
                {response.updates.into_iter().map(|u| view! {
                    <li class="card">
                        <h3 class="heading-s">{u.on} {u.closing.then_some(" · last update")}</h3>
                        <p class="body prewrap">{u.body}</p>
                        {(!u.sent.is_empty()).then(|| view! { <p class="hint">{u.sent}</p> })}
                    </li>
                }).collect_view()}
            </ul>
        })}
        {(response.manage && open).then(|| view! {
            <ManageResponse id=manage_id linkable=response.linkable linked update link unlink errors/>
        })}
        <p class="hint">"Opened " {response.opened_on}</p>
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
    view! {
        <h2 class="heading-m" id="update-heading">"Post a progress update"</h2>
        <ActionForm action=update attr:novalidate=true attr:class="form" attr:aria-labelledby="update-heading">
            <input type="hidden" name="id" value=update_id/>
            <PostedField name="update" label="What has been done since" multiline=true
                hint="Emailed to the invited residents who still agree to hear about their issue, and shown here. Up to 2,000 characters." errors/>
            <div class="form-group" class:form-group--error=move || close_error().is_some()>
                {move || close_error().map(|m| view! { <p class="error-message" id="close-error"><span class="visually-hidden">"Error: "</span>{m}</p> })}
                <div class="checkboxes">
                    <div class="radios__item">
                        <input class="radios__input" type="checkbox" id="close" name="close" value="yes"
                            aria-describedby=move || close_error().map(|_| "close-error")/>
                        <label class="radios__label" for="close">"This is the last update: close the response"</label>
                    </div>
                </div>
            </div>
            <button type="submit" class="button" disabled=move || update.pending().get()>"Post the update"</button>
        </ActionForm>
        <h2 class="heading-m" id="link-heading" tabindex="-1">"Volunteering that helps"</h2>
        {(!linked.is_empty()).then(|| view! {
            <p class="body">"Linked to this response now:"</p>
            <ul class="list">
                {linked.into_iter().map(|o| (o, unlink_id.clone())).map(|(o, response)| view! {
                    <li>
                        <ActionForm action=unlink attr:class="inline-form">
                            <input type="hidden" name="id" value=response/>
                            <input type="hidden" name="opportunity_id" value=o.id/>
                            {o.title.clone()} " "
                            <button type="submit" class="button button--secondary button--small" disabled=move || unlink.pending().get()>
                                "Take off"<span class="visually-hidden">{format!(" “{}”", o.title)}</span>
                            </button>
                        </ActionForm>
                    </li>
                }).collect_view()}
            </ul>
        })}
        {if linkable.is_empty() {
            view! { <p class="body">"No other open volunteering opportunities to link. "
                <a class="link" href="/manage/opportunities">"Post one"</a></p> }.into_any()
        } else {
            view! {
                <ActionForm action=link attr:novalidate=true attr:class="form" attr:aria-labelledby="link-heading">
                    <input type="hidden" name="id" value=id/>
                    <div class="form-group" class:form-group--error=move || link_error().is_some()>
                        <label class="label" for="opportunity_id">"Volunteering opportunity"</label>
                        {move || link_error().map(|m| view! { <p class="error-message" id="opportunity_id-error"><span class="visually-hidden">"Error: "</span>{m}</p> })}
                        <select class="select" class:input--error=move || link_error().is_some() id="opportunity_id" name="opportunity_id"
                            aria-describedby=move || link_error().map(|_| "opportunity_id-error")>
                            {linkable.into_iter().map(|o| view! { <option value=o.id>{o.name}</option> }).collect_view()}
                        </select>
                    </div>
                    <button type="submit" class="button button--secondary" disabled=move || link.pending().get()>"Link it to this response"</button>
                </ActionForm>
            }.into_any()
        }}
    }
}
