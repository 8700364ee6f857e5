//! `/partners`: an administrator's partner groups and inviting a new one; a group's organiser
//! sees the group's organisers and invites a co-organiser. Real forms: they work without
//! JavaScript too.

use crate::api::partners::{load_partners, InviteCoOrganiser, InviteGroup, Organiser, PartnerGroup, PartnersView};
use crate::api::INVITATION_DAYS;
use crate::components::forms::{field_errors, ErrorSummary, TextField};
use crate::components::status::{PageProblem, SuccessBanner};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PartnersPage() -> impl IntoView {
    let invite = ServerAction::<InviteGroup>::new();
    let co = ServerAction::<InviteCoOrganiser>::new();
    let data = Resource::new(move || (invite.version().get(), co.version().get()), |_| load_partners());
    view! {
        <Title text="Partner groups"/>
        <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <PageProblem error/> }.into_any(),
                    Ok(PartnersView::Host { groups }) => view! { <HostView groups invite/> }.into_any(),
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
fn HostView(groups: Vec<PartnerGroup>, invite: ServerAction<InviteGroup>) -> impl IntoView {
    let error = Signal::derive(move || invite.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    let field = move |name: &'static str| Signal::derive(move || errors.read().get(name).map(str::to_string));
    view! {
        <ErrorSummary error first_field="group_name"/>
        {move || invite.value().get().and_then(|r| r.ok()).map(|sent| view! { <Sent display_name=sent.display_name email=sent.email/> })}
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
    let field = move |name: &'static str| Signal::derive(move || errors.read().get(name).map(str::to_string));
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
