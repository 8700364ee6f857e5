//! `/`: what Mobilise is for visitors; each role's own starting point once signed in.

use crate::api::CurrentUser;
use crate::components::status::PageProblem;
use crate::components::title::Title;
use crate::domain::Role;
use crate::session::use_session;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let session = use_session();
    view! {
        <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match session.user.await {
                    Ok(Some(user)) => view! { <RoleHome user/> }.into_any(),
                    Ok(None) => view! { <Landing/> }.into_any(),
                    Err(error) => view! { <PageProblem error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Landing() -> impl IntoView {
    view! {
        <Title text=""/>
        <h1 class="heading-xl">"Mobilise"</h1>
        <p class="lead">
            "Every conversation with a resident is a chance to sort out what matters to them "
            "and to ask them to get involved."
        </p>
        <p class="body">
            "Outreach workers record doorstep and community-event conversations, even with no signal. "
            "One person stays the point of contact until an issue is resolved, and residents are invited "
            "to shape services and to volunteer, on their own terms and with their consent."
        </p>
        <a href="/sign-in" class="button button--start" role="button">"Sign in"</a>
        <p class="body">"Live in the area? " <a class="link" href="/register">"Create an account"</a>
            " to take part in consultations, volunteer with local groups and see what is held about you."</p>
    }
}

#[component]
fn RoleHome(user: CurrentUser) -> impl IntoView {
    let first_name = user.display_name.split_whitespace().next().unwrap_or(&user.display_name).to_string();
    let (summary, next_steps): (&str, Vec<(&str, &str, &str)>) = match user.role {
        Role::Admin => (
            "You manage your organisation's Mobilise accounts.",
            vec![
                (
                    "/staff",
                    "Staff accounts",
                    "Invite outreach workers, organisers and other admins, and deactivate accounts that are no longer needed.",
                ),
                (
                    "/manage/opportunities",
                    "Volunteering opportunities",
                    "Post your organisation's own opportunities and answer the people interested in them.",
                ),
                (
                    "/partners",
                    "Partner groups",
                    "Invite the community groups you work with, so they post their own opportunities for your residents.",
                ),
            ],
        ),
        Role::OutreachWorker => ("You record conversations with residents and follow up the issues they raise.", vec![]),
        Role::GroupOrganiser => (
            "You run your group's volunteering opportunities and follow up people who want to help.",
            vec![
                (
                    "/manage/opportunities",
                    "Volunteering opportunities",
                    "Post opportunities, answer the people interested in them, and see who could be suggested.",
                ),
                ("/referrals", "Referrals", "Residents referred to your group: accept them, and say what you did."),
            ],
        ),
        Role::Resident => (
            "You can take part in your area's consultations and find ways to volunteer.",
            vec![
                ("/consultations", "Consultations", "Have your say on plans for your area, and see what was done with what people said."),
                ("/volunteer", "Volunteer", "Find something that suits you, and tell the group you are interested."),
            ],
        ),
    };
    view! {
        <Title text="Home"/>
        <span class="caption">{user.role.label()} " · " {user.organisation_name.clone()}</span>
        <h1 class="heading-xl">"Hello, " {first_name}</h1>
        {user.second_factor_needed.then(|| view! {
            <div class="inset" role="note">
                <p class="body"><strong>"Set up two-step verification before anything else."</strong>
                    " Administrators reach every resident's records, so a password alone is not enough."</p>
                <p class="body"><a class="link" href="/account">"Set up two-step verification"</a></p>
            </div>
        })}
        <p class="lead">{summary}</p>
        <dl class="summary-list">
            <div class="summary-list__row">
                <dt class="summary-list__key">"Name"</dt>
                <dd class="summary-list__value">{user.display_name.clone()}</dd>
            </div>
            <div class="summary-list__row">
                <dt class="summary-list__key">"Email"</dt>
                <dd class="summary-list__value">{user.email.clone()}</dd>
            </div>
            <div class="summary-list__row">
                <dt class="summary-list__key">"Organisation"</dt>
                <dd class="summary-list__value">{user.organisation_name.clone()} " (" {user.organisation_kind.label()} ")"</dd>
            </div>
            <div class="summary-list__row">
                <dt class="summary-list__key">"Role"</dt>
                <dd class="summary-list__value">{user.role.label()}</dd>
            </div>
        </dl>
        <p class="body"><a class="link" href="/account">"Your account: password and two-step verification"</a></p>
        {(!next_steps.is_empty()).then(|| view! {
            <h2 class="heading-m">"What you can do"</h2>
            <ul class="task-list">
                {next_steps.into_iter().map(|(href, title, text)| view! {
                    <li class="task-list__item">
                        <a href=href class="link task-list__link">{title}</a>
                        <p class="hint">{text}</p>
                    </li>
                }).collect_view()}
            </ul>
        })}
    }
}
