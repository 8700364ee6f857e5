//! `/staff` (admins): the organisation's staff accounts, inviting new ones, deactivating.

use crate::api::staff::{list_staff, CreateStaff, SetConsultationRights, SetStaffActive, SetStaffTeam, TEAM_NAME_MAX};
use crate::api::{StaffMember, INVITATION_DAYS};
use crate::components::forms::{field_errors, ErrorSummary, Radios, TextField};
use crate::components::status::{PageProblem, SuccessBanner};
use crate::components::title::Title;
use crate::domain::Role;
use crate::i18n::td_string;
use crate::language::names::HasName;
use leptos::prelude::*;

#[component]
pub fn StaffPage() -> impl IntoView {
    let locale = crate::language::page_locale();
    let create = ServerAction::<CreateStaff>::new();
    let set_active = ServerAction::<SetStaffActive>::new();
    let set_rights = ServerAction::<SetConsultationRights>::new();
    let set_team = ServerAction::<SetStaffTeam>::new();
    let staff = Resource::new(
        move || (create.version().get(), set_active.version().get(), set_rights.version().get(), set_team.version().get()),
        |_| list_staff(),
    );

    let create_error = Signal::derive(move || create.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&create_error.get()));
    let created = move || create.value().get().and_then(|r| r.ok());
    let status_error = Signal::derive(move || {
        set_active
            .value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| set_rights.value().get().and_then(|r| r.err()))
            .or_else(|| set_team.value().get().and_then(|r| r.err()))
    });

    view! {
        <Title text=td_string!(locale, staff.page_title)/>
        <Suspense fallback=move || view! { <p class="body">{td_string!(locale, staff.loading)}</p> }>
            {move || Suspend::new(async move {
                match staff.await {
                    Err(error) => view! { <PageProblem error/> }.into_any(),
                    Ok(members) => view! {
                        <ErrorSummary error=create_error first_field="email"/>
                        {move || status_error.get().map(|e| view! {
                            <div class="error-summary" role="alert"><p>{e.to_string()}</p></div>
                        })}
                        {move || created().map(|inv| view! {
                            <SuccessBanner title=td_string!(locale, staff.invitation_sent)>
                                <p>{td_string!(locale, staff.invited_before, name = inv.display_name.clone())} " " <span class="break-all">{inv.email.clone()}</span> " " {td_string!(locale, staff.invited_after)} " "
                                   {td_string!(locale, staff.invitation_lasts, count = INVITATION_DAYS)} " "
                                   {td_string!(locale, staff.mail_before)} " "<a class="link" href="/privacy/mail">{td_string!(locale, staff.mail_link)}</a>" " {td_string!(locale, staff.mail_after)}</p>
                            </SuccessBanner>
                        })}
                        <h1 class="heading-l">{td_string!(locale, staff.heading)}</h1>
                        <StaffTable members set_active set_rights set_team/>
                        <h2 class="heading-m" id="invite-heading">{td_string!(locale, staff.invite_heading)}</h2>
                        <ActionForm action=create attr:novalidate=true attr:class="form" attr:aria-labelledby="invite-heading">
                            <TextField name="display_name" label=td_string!(locale, staff.full_name) autocomplete="off"
                                error=Signal::derive(move || errors.read().text("display_name"))/>
                            <TextField name="email" label=td_string!(locale, staff.email_address) input_type="email" autocomplete="off" spellcheck_off=true
                                hint=td_string!(locale, staff.email_hint)
                                error=Signal::derive(move || errors.read().text("email"))/>
                            <Radios name="role" legend=td_string!(locale, staff.role) errors
                                choices=Role::STAFF.into_iter().map(|role| (role.as_str().to_string(), role.name(locale).to_string())).collect()/>
                            <button type="submit" class="button" disabled=move || create.pending().get()>{td_string!(locale, staff.create_account)}</button>
                        </ActionForm>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StaffTable(
    members: Vec<StaffMember>,
    set_active: ServerAction<SetStaffActive>,
    set_rights: ServerAction<SetConsultationRights>,
    set_team: ServerAction<SetStaffTeam>,
) -> impl IntoView {
    let locale = crate::language::page_locale();
    view! {
        <div class="table-wrap">
            <table class="table">
                <caption class="visually-hidden">{td_string!(locale, staff.caption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{td_string!(locale, staff.col_name)}</th>
                        <th scope="col">{td_string!(locale, staff.col_email)}</th>
                        <th scope="col">{td_string!(locale, staff.col_role)}</th>
                        <th scope="col">{td_string!(locale, staff.col_status)}</th>
                        <th scope="col">{td_string!(locale, staff.col_consultations)}</th>
                        <th scope="col">{td_string!(locale, staff.col_team)}</th>
                        <th scope="col"><span class="visually-hidden">{td_string!(locale, staff.col_actions)}</span></th>
                    </tr>
                </thead>
                <tbody>
                    {members.into_iter().map(|m| {
                        let status = if !m.active {
                            td_string!(locale, staff.deactivated)
                        } else if m.invited {
                            td_string!(locale, staff.invited)
                        } else {
                            td_string!(locale, staff.active)
                        };
                        let (label, next) = if m.active { (td_string!(locale, staff.deactivate), "false") } else { (td_string!(locale, staff.reactivate), "true") };
                        let (team_id, team_label, team_button) = (
                            format!("team-{}", m.id),
                            td_string!(locale, staff.team_for, name = m.display_name.clone()),
                            td_string!(locale, staff.save_team_for, name = m.display_name.clone()),
                        );
                        let (team_user, team_value) = (m.id.clone(), m.team.clone());
                        view! {
                            <tr>
                                <td>{m.display_name.clone()}</td>
                                <td class="break-all">{m.email.clone()}</td>
                                <td>{m.role.name(locale)}</td>
                                <td><strong class="tag" class:tag--grey=!m.active>{status}</strong></td>
                                <td>
                                    {if m.role.may_manage_consultations(m.consultation_rights) { td_string!(locale, staff.yes) } else { td_string!(locale, staff.no) }}
                                    {m.role.can_be_granted_consultations().then(|| {
                                        let (id, name) = (m.id.clone(), m.display_name.clone());
                                        let (label, hidden, next) = if m.consultation_rights {
                                            (td_string!(locale, staff.stop), td_string!(locale, staff.stop_hidden, name = name), "false")
                                        } else {
                                            (td_string!(locale, staff.allow), td_string!(locale, staff.allow_hidden, name = name), "true")
                                        };
                                        view! {
                                            " "
                                            <ActionForm action=set_rights attr:class="inline-form">
                                                <input type="hidden" name="user_id" value=id/>
                                                <input type="hidden" name="granted" value=next/>
                                                <button type="submit" class="button button--secondary button--small">
                                                    {label}<span class="visually-hidden">" " {hidden}</span>
                                                </button>
                                            </ActionForm>
                                        }
                                    })}
                                </td>
                                <td>
                                    <ActionForm action=set_team attr:class="inline-form">
                                        <input type="hidden" name="user_id" value=team_user/>
                                        <label class="visually-hidden" for=team_id.clone()>{team_label}</label>
                                        <input class="input input--short" type="text" id=team_id name="team" value=team_value
                                            maxlength=TEAM_NAME_MAX.to_string() autocomplete="off"/>
                                        <button type="submit" class="button button--secondary button--small">
                                            {td_string!(locale, staff.save)}<span class="visually-hidden">" " {team_button}</span>
                                        </button>
                                    </ActionForm>
                                </td>
                                <td>
                                    <ActionForm action=set_active attr:class="inline-form">
                                        <input type="hidden" name="user_id" value=m.id.clone()/>
                                        <input type="hidden" name="active" value=next/>
                                        <button type="submit" class="button button--secondary button--small">
                                            {label}<span class="visually-hidden">" " {m.display_name.clone()}</span>
                                        </button>
                                    </ActionForm>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
