//! `/staff` (admins): the organisation's staff accounts, inviting new ones, deactivating.

use crate::api::staff::{list_staff, CreateStaff, SetConsultationRights, SetStaffActive, SetStaffTeam, TEAM_NAME_MAX};
use crate::api::{StaffMember, INVITATION_DAYS};
use crate::components::forms::{field_errors, ErrorSummary, Radios, TextField};
use crate::components::status::{PageProblem, SuccessBanner};
use crate::components::title::Title;
use crate::domain::Role;
use leptos::prelude::*;

#[component]
pub fn StaffPage() -> impl IntoView {
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
        <Title text="Staff accounts"/>
        <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match staff.await {
                    Err(error) => view! { <PageProblem error/> }.into_any(),
                    Ok(members) => view! {
                        <ErrorSummary error=create_error first_field="email"/>
                        {move || status_error.get().map(|e| view! {
                            <div class="error-summary" role="alert"><p>{e.to_string()}</p></div>
                        })}
                        {move || created().map(|inv| view! {
                            <SuccessBanner title="Invitation sent">
                                <p>"We have emailed " {inv.display_name.clone()} " at " <span class="break-all">{inv.email.clone()}</span> " a link to choose a password. "
                                   "It works once, for " {INVITATION_DAYS} " days. "
                                   "Whether it has gone is in the "<a class="link" href="/privacy/mail">"outgoing mail"</a>" log."</p>
                            </SuccessBanner>
                        })}
                        <h1 class="heading-l">"Staff accounts"</h1>
                        <StaffTable members set_active set_rights set_team/>
                        <h2 class="heading-m" id="invite-heading">"Invite someone"</h2>
                        <ActionForm action=create attr:novalidate=true attr:class="form" attr:aria-labelledby="invite-heading">
                            <TextField name="display_name" label="Full name" autocomplete="off"
                                error=Signal::derive(move || errors.read().text("display_name"))/>
                            <TextField name="email" label="Email address" input_type="email" autocomplete="off" spellcheck_off=true
                                hint="They will use this to sign in."
                                error=Signal::derive(move || errors.read().text("email"))/>
                            <Radios name="role" legend="Role" errors
                                choices=Role::STAFF.into_iter().map(|role| (role.as_str().to_string(), role.label().to_string())).collect()/>
                            <button type="submit" class="button" disabled=move || create.pending().get()>"Create account"</button>
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
    view! {
        <div class="table-wrap">
            <table class="table">
                <caption class="visually-hidden">"Staff accounts in your organisation"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Email"</th>
                        <th scope="col">"Role"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Runs consultations"</th>
                        <th scope="col">"Team"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {members.into_iter().map(|m| {
                        let status = if !m.active { "Deactivated" } else if m.invited { "Invited" } else { "Active" };
                        let (label, next) = if m.active { ("Deactivate", "false") } else { ("Reactivate", "true") };
                        let (team_id, team_label, team_button) = (format!("team-{}", m.id), format!("Team for {}", m.display_name), format!(" team for {}", m.display_name));
                        let (team_user, team_value) = (m.id.clone(), m.team.clone());
                        view! {
                            <tr>
                                <td>{m.display_name.clone()}</td>
                                <td class="break-all">{m.email.clone()}</td>
                                <td>{m.role.label()}</td>
                                <td><strong class="tag" class:tag--grey=!m.active>{status}</strong></td>
                                <td>
                                    {if m.role.may_manage_consultations(m.consultation_rights) { "Yes" } else { "No" }}
                                    {m.role.can_be_granted_consultations().then(|| {
                                        let (id, name) = (m.id.clone(), m.display_name.clone());
                                        let (label, next) = if m.consultation_rights { ("Stop", "false") } else { ("Allow", "true") };
                                        view! {
                                            " "
                                            <ActionForm action=set_rights attr:class="inline-form">
                                                <input type="hidden" name="user_id" value=id/>
                                                <input type="hidden" name="granted" value=next/>
                                                <button type="submit" class="button button--secondary button--small">
                                                    {label}<span class="visually-hidden">{format!(" {name} running consultations")}</span>
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
                                            "Save"<span class="visually-hidden">{team_button}</span>
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
