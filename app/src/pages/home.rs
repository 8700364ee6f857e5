//! `/`: what Mobilise is for visitors; each role's own starting point once signed in.

use crate::api::CurrentUser;
use crate::components::status::PageProblem;
use crate::components::title::Title;
use crate::domain::Role;
use crate::i18n::td_string;
use crate::language::names::HasName;
use crate::session::use_session;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let session = use_session();
    let locale = crate::language::page_locale();
    view! {
        <Suspense fallback=move || view! { <p class="body">{td_string!(locale, home.loading)}</p> }>
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
    let locale = crate::language::page_locale();
    view! {
        <Title text=""/>
        <h1 class="heading-xl">"Mobilise"</h1>
        <p class="lead">{td_string!(locale, home.lead)}</p>
        <p class="body">{td_string!(locale, home.about)}</p>
        <a href="/sign-in" class="button button--start" role="button">{td_string!(locale, home.sign_in)}</a>
        <p class="body">{td_string!(locale, home.live_in_area)} " " <a class="link" href="/register">{td_string!(locale, home.create_account)}</a>
            " " {td_string!(locale, home.create_account_after)}</p>
    }
}

#[component]
fn RoleHome(user: CurrentUser) -> impl IntoView {
    let locale = crate::language::page_locale();
    let first_name = user.display_name.split_whitespace().next().unwrap_or(&user.display_name).to_string();
    let (summary, next_steps): (&str, Vec<(&str, &str, &str)>) = match user.role {
        Role::Admin => (
            td_string!(locale, home.admin_summary),
            vec![
                ("/staff", td_string!(locale, home.staff_title), td_string!(locale, home.staff_text)),
                ("/manage/opportunities", td_string!(locale, home.opportunities_title), td_string!(locale, home.admin_opportunities_text)),
                ("/partners", td_string!(locale, home.partners_title), td_string!(locale, home.partners_text)),
            ],
        ),
        Role::OutreachWorker => (td_string!(locale, home.outreach_summary), vec![]),
        Role::GroupOrganiser => (
            td_string!(locale, home.organiser_summary),
            vec![
                (
                    "/manage/opportunities",
                    td_string!(locale, home.opportunities_title),
                    td_string!(locale, home.organiser_opportunities_text),
                ),
                ("/referrals", td_string!(locale, home.referrals_title), td_string!(locale, home.referrals_text)),
            ],
        ),
        Role::Resident => (
            td_string!(locale, home.resident_summary),
            vec![
                ("/consultations", td_string!(locale, home.consultations_title), td_string!(locale, home.consultations_text)),
                ("/volunteer", td_string!(locale, home.volunteer_title), td_string!(locale, home.volunteer_text)),
            ],
        ),
    };
    view! {
        <Title text=td_string!(locale, home.page_title)/>
        <span class="caption">{user.role.name(locale)} " · " {user.organisation_name.clone()}</span>
        <h1 class="heading-xl">{td_string!(locale, home.hello, name = first_name)}</h1>
        {user.second_factor_needed.then(|| view! {
            <div class="inset" role="note">
                <p class="body"><strong>{td_string!(locale, home.second_factor_first)}</strong>
                    " " {td_string!(locale, home.second_factor_why)}</p>
                <p class="body"><a class="link" href="/account">{td_string!(locale, home.second_factor_link)}</a></p>
            </div>
        })}
        <p class="lead">{summary}</p>
        <dl class="summary-list">
            <div class="summary-list__row">
                <dt class="summary-list__key">{td_string!(locale, home.name)}</dt>
                <dd class="summary-list__value">{user.display_name.clone()}</dd>
            </div>
            <div class="summary-list__row">
                <dt class="summary-list__key">{td_string!(locale, home.email)}</dt>
                <dd class="summary-list__value">{user.email.clone()}</dd>
            </div>
            <div class="summary-list__row">
                <dt class="summary-list__key">{td_string!(locale, home.organisation)}</dt>
                <dd class="summary-list__value">{user.organisation_name.clone()} " (" {user.organisation_kind.name(locale)} ")"</dd>
            </div>
            <div class="summary-list__row">
                <dt class="summary-list__key">{td_string!(locale, home.role)}</dt>
                <dd class="summary-list__value">{user.role.name(locale)}</dd>
            </div>
        </dl>
        <p class="body"><a class="link" href="/account">{td_string!(locale, home.account_link)}</a></p>
        {(!next_steps.is_empty()).then(|| view! {
            <h2 class="heading-m">{td_string!(locale, home.what_you_can_do)}</h2>
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
