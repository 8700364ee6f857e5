//! `/partners`: an administrator's partner groups and inviting a new one; a group's organiser
//! sees the group's organisers and invites a co-organiser. Real forms: they work without
//! JavaScript too.

use crate::api::partners::{
    load_partners, DecideJoinRequest, InviteCoOrganiser, InviteGroup, JoinRequest, Organiser, PartnerGroup, PartnersView, RequestToJoin,
};
use crate::api::INVITATION_DAYS;
use crate::components::address_value;
use crate::components::forms::{field_errors, ErrorSummary, PostedField, TextField};
use crate::components::status::{PageProblem, SuccessBanner};
use crate::components::title::Title;
use crate::i18n::td_string;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn PartnersPage() -> impl IntoView {
    let locale = crate::language::page_locale();
    let invite = ServerAction::<InviteGroup>::new();
    let co = ServerAction::<InviteCoOrganiser>::new();
    let decide = ServerAction::<DecideJoinRequest>::new();
    let data = Resource::new(move || (invite.version().get(), co.version().get(), decide.version().get()), |_| load_partners());
    view! {
        <Title text=td_string!(locale, partners.page_title)/>
        <Suspense fallback=move || view! { <p class="body">{td_string!(locale, partners.loading)}</p> }>
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
    let locale = crate::language::page_locale();
    view! {
        <SuccessBanner title=td_string!(locale, partners.invitation_sent)>
            <p>{td_string!(locale, partners.sent_before)}" " {display_name} " " {td_string!(locale, partners.sent_at)}" " <span class="break-all">{email}</span> " " {td_string!(locale, partners.sent_link, count = INVITATION_DAYS)}</p>
        </SuccessBanner>
    }
}

#[component]
fn OrganiserList(organisers: Vec<Organiser>) -> impl IntoView {
    let locale = crate::language::page_locale();
    view! {
        <ul class="list">
            {organisers.into_iter().map(|o| view! {
                <li>{o.display_name} " " <span class="break-all">{format!("({})", o.email)}</span>
                    {o.invited.then(|| view! { " " <strong class="tag tag--grey">{td_string!(locale, partners.invited)}</strong> })}</li>
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
    let locale = crate::language::page_locale();
    view! {
        <ErrorSummary error first_field="group_name"/>
        <ErrorSummary error=decide_error first_field="reason"/>
        {move || invite.value().get().and_then(|r| r.ok()).map(|sent| view! { <Sent display_name=sent.display_name email=sent.email/> })}
        {move || decide.value().get().and_then(|r| r.ok()).map(|words| view! { <SuccessBanner title=td_string!(locale, partners.request_answered)><p>{words}</p></SuccessBanner> })}
        <p class="body"><a class="link" href="/manage/opportunities">{td_string!(locale, partners.back_to_opportunities)}</a></p>
        <h1 class="heading-l">{td_string!(locale, partners.page_title)}</h1>
        <p class="body">{td_string!(locale, partners.host_lead)}</p>
        {if groups.is_empty() {
            view! { <p class="body">{td_string!(locale, partners.no_groups)}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap" tabindex="0" role="group" aria-labelledby="groups-caption">
                    <table class="table">
                        <caption class="visually-hidden" id="groups-caption">{td_string!(locale, partners.page_title)}</caption>
                        <thead><tr>
                            <th scope="col">{td_string!(locale, partners.group)}</th>
                            <th scope="col">{td_string!(locale, partners.organisers)}</th>
                            <th scope="col">{td_string!(locale, partners.open_opportunities)}</th>
                        </tr></thead>
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
        <h2 class="heading-m" id="requests-heading">{td_string!(locale, partners.requests_heading)}</h2>
        {if requests.is_empty() {
            view! { <p class="body">{td_string!(locale, partners.no_requests)}" " <a class="link" href="/partners/join">{td_string!(locale, partners.join_page_link)}</a>{td_string!(locale, partners.no_requests_after)}</p> }.into_any()
        } else {
            view! { <ul class="list">{requests.into_iter().map(|r| view! { <RequestCard request=r decide/> }).collect_view()}</ul> }.into_any()
        }}
        <h2 class="heading-m" id="invite-group-heading">{td_string!(locale, partners.invite_group_heading)}</h2>
        <ActionForm action=invite attr:novalidate=true attr:class="form" attr:aria-labelledby="invite-group-heading">
            <TextField name="group_name" label=td_string!(locale, partners.group_name) autocomplete="off" error=field("group_name")/>
            <TextField name="display_name" label=td_string!(locale, partners.organiser_name) autocomplete="off" error=field("display_name")/>
            <TextField name="email" label=td_string!(locale, partners.organiser_email) input_type="email" autocomplete="off" spellcheck_off=true
                hint=td_string!(locale, partners.email_hint) error=field("email")/>
            <button type="submit" class="button" disabled=move || invite.pending().get()>{td_string!(locale, partners.invite_group)}</button>
        </ActionForm>
    }
}

#[component]
fn GroupView(name: String, organisers: Vec<Organiser>, co: ServerAction<InviteCoOrganiser>) -> impl IntoView {
    let error = Signal::derive(move || co.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    let field = move |name: &'static str| Signal::derive(move || errors.read().text(name));
    let locale = crate::language::page_locale();
    view! {
        <ErrorSummary error first_field="display_name"/>
        {move || co.value().get().and_then(|r| r.ok()).map(|sent| view! { <Sent display_name=sent.display_name email=sent.email/> })}
        <p class="body"><a class="link" href="/manage/opportunities">{td_string!(locale, partners.back_to_opportunities)}</a></p>
        <p class="caption">{name}</p>
        <h1 class="heading-l">{td_string!(locale, partners.group_organisers)}</h1>
        <OrganiserList organisers/>
        <h2 class="heading-m" id="co-heading">{td_string!(locale, partners.invite_co_heading)}</h2>
        <ActionForm action=co attr:novalidate=true attr:class="form" attr:aria-labelledby="co-heading">
            <TextField name="display_name" label=td_string!(locale, partners.full_name) autocomplete="off" error=field("display_name")/>
            <TextField name="email" label=td_string!(locale, partners.email) input_type="email" autocomplete="off" spellcheck_off=true
                hint=td_string!(locale, partners.email_hint) error=field("email")/>
            <button type="submit" class="button" disabled=move || co.pending().get()>{td_string!(locale, partners.invite_them)}</button>
        </ActionForm>
    }
}

/// One group's request: what they said, approve, or decline with a reason.
#[component]
fn RequestCard(request: JoinRequest, decide: ServerAction<DecideJoinRequest>) -> impl IntoView {
    let locale = crate::language::page_locale();
    let heading = format!("request-{}", request.id);
    let reason_id = format!("reason-{}", request.id);
    let (heading_approve, heading_decline) = (heading.clone(), heading.clone());
    let (id_approve, id_decline) = (request.id.clone(), request.id.clone());
    let approve = td_string!(locale, partners.approve, group = request.group_name.clone());
    let decline = td_string!(locale, partners.decline, group = request.group_name.clone());
    view! {
        <li class="card">
            <h3 class="heading-s" id=heading>{request.group_name}</h3>
            <p class="body">{request.organiser_name} " " <span class="break-all">{format!("({})", request.organiser_email)}</span>
                ", " {td_string!(locale, partners.asked_on, date = request.made_on)}</p>
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
                    <label class="label" for=reason_id.clone()>{td_string!(locale, partners.decline_reason)}</label>
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
    let locale = crate::language::page_locale();
    let ask = ServerAction::<RequestToJoin>::new();
    let query = use_query_map();
    let sent = move || address_value(query, "sent").is_some();
    let error = Signal::derive(move || ask.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    view! {
        <Title text=td_string!(locale, partners.join_title)/>
        <div class="narrow">
            {move || if sent() {
                view! {
                    <SuccessBanner title=td_string!(locale, partners.request_sent)>
                        <p>{td_string!(locale, partners.request_sent_text)}</p>
                    </SuccessBanner>
                    <p class="body"><a class="link" href="/volunteer">{td_string!(locale, partners.back_to_volunteering)}</a></p>
                }.into_any()
            } else {
                view! {
                    <ErrorSummary error first_field="group_name"/>
                    <h1 class="heading-l">{td_string!(locale, partners.join_title)}</h1>
                    <p class="body">{td_string!(locale, partners.join_lead)}</p>
                    <ActionForm action=ask attr:novalidate=true attr:class="form">
                        <PostedField name="group_name" label=td_string!(locale, partners.your_group_name) autocomplete="organization" errors/>
                        <PostedField name="display_name" label=td_string!(locale, partners.your_name) autocomplete="name" errors/>
                        <PostedField name="email" label=td_string!(locale, partners.your_email) input_type="email" autocomplete="email"
                            hint=td_string!(locale, partners.your_email_hint) errors/>
                        <PostedField name="about" label=td_string!(locale, partners.about) multiline=true
                            hint=td_string!(locale, partners.about_hint) errors/>
                        <button type="submit" class="button" disabled=move || ask.pending().get()>{td_string!(locale, partners.send_request)}</button>
                    </ActionForm>
                }.into_any()
            }}
        </div>
    }
}
