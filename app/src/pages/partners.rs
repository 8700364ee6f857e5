//! `/partners`: an administrator's partner groups and inviting a new one; a group's organiser
//! sees the group's organisers and invites a co-organiser. Real forms: they work without
//! JavaScript too.

use crate::api::partners::{
    load_partners, DecideJoinRequest, InviteCoOrganiser, InviteGroup, JoinRequest, Organiser, PartnerGroup, PartnersView, RequestToJoin,
};
use crate::api::INVITATION_DAYS;
use crate::components::forms::{field_errors, ErrorSummary, PostedField, TextField};
use crate::components::status::{PageProblem, SuccessBanner};
use crate::components::title::Title;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn PartnersPage() -> impl IntoView {
    let invite = ServerAction::<InviteGroup>::new();
    let co = ServerAction::<InviteCoOrganiser>::new();
    let decide = ServerAction::<DecideJoinRequest>::new();
    let data = Resource::new(move || (invite.version().get(), co.version().get(), decide.version().get()), |_| load_partners());
    view! {
        <Title text="Partner groups"/>
        <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <PageProblem error/> }.into_any(),
                    Ok(PartnersView::Host { groups, requests }) => view! { <HostView groups requests invite decide/> }.into_any(),
                    Ok(PartnersView::Group { name, organisers }) => view! { <GroupView name organisers co/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Sent(display_name: String, email: String) -> impl IntoView {
    view! {
        <SuccessBanner title="Invitation sent">
            <p>"We have emailed " {display_name} " at " <span class="break-all">{email}</span> " a link to choose a password. It works once, for " {INVITATION_DAYS} " days."</p>
        </SuccessBanner>
    }
}

#[component]
fn OrganiserList(organisers: Vec<Organiser>) -> impl IntoView {
    view! {
        <ul class="list">
            {organisers.into_iter().map(|o| view! {
                <li>{o.display_name} " " <span class="break-all">{format!("({})", o.email)}</span>
                    {o.invited.then(|| view! { " " <strong class="tag tag--grey">"Invited"</strong> })}</li>
            }).collect_view()}
        </ul>
    }
}

#[component]
fn HostView(
    groups: Vec<PartnerGroup>,
    requests: Vec<JoinRequest>,
    invite: ServerAction<InviteGroup>,
    decide: ServerAction<DecideJoinRequest>,
) -> impl IntoView {
    let error = Signal::derive(move || invite.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    let field = move |name: &'static str| Signal::derive(move || errors.read().text(name));
    let decide_error = Signal::derive(move || decide.value().get().and_then(|r| r.err()));
    view! {
        <ErrorSummary error first_field="group_name"/>
        <ErrorSummary error=decide_error first_field="reason"/>
        {move || invite.value().get().and_then(|r| r.ok()).map(|sent| view! { <Sent display_name=sent.display_name email=sent.email/> })}
        {move || decide.value().get().and_then(|r| r.ok()).map(|words| view! { <SuccessBanner title="Request answered"><p>{words}</p></SuccessBanner> })}
        <p class="body"><a class="link" href="/manage/opportunities">"Back to volunteering opportunities"</a></p>
        <h1 class="heading-l">"Partner groups"</h1>
        <p class="body">"Community groups you work with post their own volunteering opportunities, which your residents see and answer. "
            "Each has its own organisers, who see only their group's opportunities and the people interested in them."</p>
        {if groups.is_empty() {
            view! { <p class="body">"No partner groups yet."</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap" tabindex="0" role="group" aria-labelledby="groups-caption">
                    <table class="table">
                        <caption class="visually-hidden" id="groups-caption">"Partner groups"</caption>
                        <thead><tr><th scope="col">"Group"</th><th scope="col">"Organisers"</th><th scope="col">"Open opportunities"</th></tr></thead>
                        <tbody>
                            {groups.into_iter().map(|g| view! {
                                <tr>
                                    <td>{g.name}</td>
                                    <td><OrganiserList organisers=g.organisers/></td>
                                    <td>{g.open_opportunities}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        <h2 class="heading-m" id="requests-heading">"Groups asking to join"</h2>
        {if requests.is_empty() {
            view! { <p class="body">"No requests waiting. Groups ask from " <a class="link" href="/partners/join">"the page for groups"</a> ", linked from the volunteering page."</p> }.into_any()
        } else {
            view! { <ul class="list">{requests.into_iter().map(|r| view! { <RequestCard request=r decide/> }).collect_view()}</ul> }.into_any()
        }}
        <h2 class="heading-m" id="invite-group-heading">"Invite a community group"</h2>
        <ActionForm action=invite attr:novalidate=true attr:class="form" attr:aria-labelledby="invite-group-heading">
            <TextField name="group_name" label="Group's name" autocomplete="off" error=field("group_name")/>
            <TextField name="display_name" label="Organiser's full name" autocomplete="off" error=field("display_name")/>
            <TextField name="email" label="Organiser's email address" input_type="email" autocomplete="off" spellcheck_off=true
                hint="We email them a link to choose a password." error=field("email")/>
            <button type="submit" class="button" disabled=move || invite.pending().get()>"Invite the group"</button>
        </ActionForm>
    }
}

#[component]
fn GroupView(name: String, organisers: Vec<Organiser>, co: ServerAction<InviteCoOrganiser>) -> impl IntoView {
    let error = Signal::derive(move || co.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    let field = move |name: &'static str| Signal::derive(move || errors.read().text(name));
    view! {
        <ErrorSummary error first_field="display_name"/>
        {move || co.value().get().and_then(|r| r.ok()).map(|sent| view! { <Sent display_name=sent.display_name email=sent.email/> })}
        <p class="body"><a class="link" href="/manage/opportunities">"Back to volunteering opportunities"</a></p>
        <p class="caption">{name}</p>
        <h1 class="heading-l">"Your group's organisers"</h1>
        <OrganiserList organisers/>
        <h2 class="heading-m" id="co-heading">"Invite a co-organiser"</h2>
        <ActionForm action=co attr:novalidate=true attr:class="form" attr:aria-labelledby="co-heading">
            <TextField name="display_name" label="Full name" autocomplete="off" error=field("display_name")/>
            <TextField name="email" label="Email address" input_type="email" autocomplete="off" spellcheck_off=true
                hint="We email them a link to choose a password." error=field("email")/>
            <button type="submit" class="button" disabled=move || co.pending().get()>"Invite them"</button>
        </ActionForm>
    }
}

/// One group's request: what they said, approve, or decline with a reason.
#[component]
fn RequestCard(request: JoinRequest, decide: ServerAction<DecideJoinRequest>) -> impl IntoView {
    let heading = format!("request-{}", request.id);
    let reason_id = format!("reason-{}", request.id);
    let (heading_approve, heading_decline) = (heading.clone(), heading.clone());
    let (id_approve, id_decline) = (request.id.clone(), request.id.clone());
    let approve = format!("Approve {}", request.group_name);
    let decline = format!("Decline {}", request.group_name);
    view! {
        <li class="card">
            <h3 class="heading-s" id=heading>{request.group_name}</h3>
            <p class="body">{request.organiser_name} " " <span class="break-all">{format!("({})", request.organiser_email)}</span>
                ", asked on " {request.made_on}</p>
            <p class="body prewrap">{request.about}</p>
            <ActionForm action=decide attr:class="form">
                <input type="hidden" name="request_id" value=id_approve/>
                <input type="hidden" name="decision" value="approve"/>
                <input type="hidden" name="reason" value=""/>
                <button type="submit" class="button" aria-describedby=heading_approve>{approve}</button>
            </ActionForm>
            <ActionForm action=decide attr:class="form">
                <input type="hidden" name="request_id" value=id_decline/>
                <input type="hidden" name="decision" value="decline"/>
                <div class="form-group">
                    <label class="label" for=reason_id.clone()>"Reason for declining (optional, sent to them)"</label>
                    <input class="input" type="text" id=reason_id name="reason" maxlength="500" autocomplete="off"/>
                </div>
                <button type="submit" class="button button--secondary" aria-describedby=heading_decline>{decline}</button>
            </ActionForm>
        </li>
    }
}

/// `/partners/join`: a community group asks the site's organisation to become a partner.
/// Public, and a plain form: it works without JavaScript.
#[component]
pub fn JoinPartnersPage() -> impl IntoView {
    let ask = ServerAction::<RequestToJoin>::new();
    let query = use_query_map();
    let sent = move || query.read().get("sent").is_some();
    let error = Signal::derive(move || ask.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    view! {
        <Title text="Ask to join as a community group"/>
        <div class="narrow">
            {move || if sent() {
                view! {
                    <SuccessBanner title="Request sent">
                        <p>"Thank you. An administrator will look at your request and we will email you either way. "
                           "If it is approved, the email has a link to choose your password."</p>
                    </SuccessBanner>
                    <p class="body"><a class="link" href="/volunteer">"Back to volunteering"</a></p>
                }.into_any()
            } else {
                view! {
                    <ErrorSummary error first_field="group_name"/>
                    <h1 class="heading-l">"Ask to join as a community group"</h1>
                    <p class="body">"Groups that join post their own volunteering opportunities, which residents see and answer. "
                        "An administrator looks at each request, and we email you when they have decided."</p>
                    <ActionForm action=ask attr:novalidate=true attr:class="form">
                        <PostedField name="group_name" label="Your group's name" autocomplete="organization" errors/>
                        <PostedField name="display_name" label="Your full name" autocomplete="name" errors/>
                        <PostedField name="email" label="Your email address" input_type="email" autocomplete="email"
                            hint="We email our answer here. If your group is approved, you sign in with it." errors/>
                        <PostedField name="about" label="What does your group do?" multiline=true
                            hint="A sentence or two: where you work and with whom. Up to 1,000 characters." errors/>
                        <button type="submit" class="button" disabled=move || ask.pending().get()>"Send the request"</button>
                    </ActionForm>
                }.into_any()
            }}
        </div>
    }
}
