//! `/invite/:token`: a new member of staff chooses their password.

use crate::api::staff::{check_invitation, AcceptInvitation};
use crate::components::address_value;
use crate::components::forms::{field_errors, ErrorSummary, PasswordField};
use crate::components::status::PageProblem;
use crate::components::title::Title;
use crate::i18n::td_string;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn InvitePage() -> impl IntoView {
    let locale = crate::language::page_locale();
    let params = use_params_map();
    let token = move || address_value(params, "token").unwrap_or_default();
    let invitation = Resource::new(token, check_invitation);
    let accept = ServerAction::<AcceptInvitation>::new();
    let error = Signal::derive(move || accept.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));

    view! {
        <Title text=td_string!(locale, invite.page_title)/>
        <div class="narrow">
            <Suspense fallback=move || view! { <p class="body">{td_string!(locale, invite.loading)}</p> }>
                {move || Suspend::new(async move {
                    match invitation.await {
                        Err(error) => view! { <PageProblem error/> }.into_any(),
                        Ok(info) => view! {
                            <ErrorSummary error first_field="password"/>
                            <span class="caption">{info.organisation_name.clone()}</span>
                            <h1 class="heading-l">{td_string!(locale, invite.page_title)}</h1>
                            <p class="body">{td_string!(locale, invite.welcome, name = info.display_name.clone())} " " {td_string!(locale, invite.sign_in_as)} " "
                                <strong>{info.email.clone()}</strong> "."</p>
                            <ActionForm action=accept attr:novalidate=true attr:class="form">
                                <input type="hidden" name="token" value=token()/>
                                <PasswordField name="password" label=td_string!(locale, invite.password) autocomplete="new-password"
                                    hint=crate::components::forms::new_password_hint(locale)
                                    error=Signal::derive(move || errors.read().text("password"))/>
                                <PasswordField name="confirm_password" label=td_string!(locale, invite.confirm_password) autocomplete="new-password"
                                    error=Signal::derive(move || errors.read().text("confirm_password"))/>
                                <button type="submit" class="button" disabled=move || accept.pending().get()>{td_string!(locale, invite.submit)}</button>
                            </ActionForm>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
