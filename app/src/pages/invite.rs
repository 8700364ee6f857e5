//! `/invite/:token`: a new member of staff chooses their password.

use crate::api::staff::{check_invitation, AcceptInvitation};
use crate::components::forms::{field_errors, ErrorSummary, PasswordField, NEW_PASSWORD_HINT};
use crate::components::status::PageProblem;
use crate::components::title::Title;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn InvitePage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let invitation = Resource::new(token, check_invitation);
    let accept = ServerAction::<AcceptInvitation>::new();
    let error = Signal::derive(move || accept.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));

    view! {
        <Title text="Choose your password"/>
        <div class="narrow">
            <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match invitation.await {
                        Err(error) => view! { <PageProblem error/> }.into_any(),
                        Ok(info) => view! {
                            <ErrorSummary error first_field="password"/>
                            <span class="caption">{info.organisation_name.clone()}</span>
                            <h1 class="heading-l">"Choose your password"</h1>
                            <p class="body">"Welcome, " {info.display_name.clone()} ". You will sign in as "
                                <strong>{info.email.clone()}</strong> "."</p>
                            <ActionForm action=accept attr:novalidate=true attr:class="form">
                                <input type="hidden" name="token" value=token()/>
                                <PasswordField name="password" label="Password" autocomplete="new-password"
                                    hint=NEW_PASSWORD_HINT
                                    error=Signal::derive(move || errors.read().text("password"))/>
                                <PasswordField name="confirm_password" label="Confirm password" autocomplete="new-password"
                                    error=Signal::derive(move || errors.read().text("confirm_password"))/>
                                <button type="submit" class="button" disabled=move || accept.pending().get()>"Set password and sign in"</button>
                            </ActionForm>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
