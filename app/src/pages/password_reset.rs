//! `/forgot-password` and `/reset-password/:token`: choosing a new password from an emailed link.
//! Plain forms: they work without JavaScript.

use crate::api::password_reset::{check_reset, ForgotPassword, ResetPassword, RESET_MINUTES};
use crate::components::forms::{field_errors, ErrorSummary, PasswordField, TextField, NEW_PASSWORD_HINT};
use crate::components::status::{PageProblem, SuccessBanner};
use crate::components::title::Title;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let ask = ServerAction::<ForgotPassword>::new();
    let query = use_query_map();
    let sent = move || query.read().get("sent").is_some();
    let error = Signal::derive(move || ask.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    view! {
        <Title text="Forgotten your password"/>
        <div class="narrow">
            {move || sent().then(|| view! {
                <SuccessBanner title="Check your email">
                    <p>"If there is a Mobilise account for that address, we have sent it a link to choose a new password. "
                       "The link works once, for " {RESET_MINUTES} " minutes."</p>
                    <p>"Nothing after a few minutes? Check your spam or junk folder, or ask again."</p>
                </SuccessBanner>
            })}
            <ErrorSummary error first_field="email"/>
            <h1 class="heading-l">"Forgotten your password"</h1>
            <p class="body">"Enter the email address you sign in with. We will send you a link to choose a new password."</p>
            <ActionForm action=ask attr:novalidate=true attr:class="form">
                <TextField name="email" label="Email address" input_type="email" autocomplete="email" spellcheck_off=true
                    error=Signal::derive(move || errors.read().text("email"))/>
                <button type="submit" class="button" disabled=move || ask.pending().get()>"Send the link"</button>
            </ActionForm>
            <p class="body"><a class="link" href="/sign-in">"Back to sign in"</a></p>
        </div>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let link = Resource::new(token, check_reset);
    let reset = ServerAction::<ResetPassword>::new();
    let error = Signal::derive(move || reset.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    view! {
        <Title text="Choose a new password"/>
        <div class="narrow">
            <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match link.await {
                        Err(error) => view! {
                            <PageProblem error/>
                            <p class="body"><a class="link" href="/forgot-password">"Ask for a new link"</a></p>
                        }.into_any(),
                        Ok(info) => view! {
                            <ErrorSummary error first_field="password"/>
                            <h1 class="heading-l">"Choose a new password"</h1>
                            <p class="body">"For the account " <strong>{info.email.clone()}</strong>
                                ". Choosing it signs you out everywhere else."</p>
                            <ActionForm action=reset attr:novalidate=true attr:class="form">
                                <input type="hidden" name="token" value=token()/>
                                <PasswordField name="password" label="New password" autocomplete="new-password"
                                    hint=NEW_PASSWORD_HINT
                                    error=Signal::derive(move || errors.read().text("password"))/>
                                <PasswordField name="confirm_password" label="Confirm new password" autocomplete="new-password"
                                    error=Signal::derive(move || errors.read().text("confirm_password"))/>
                                <button type="submit" class="button" disabled=move || reset.pending().get()>"Change password"</button>
                            </ActionForm>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
