//! `/register` (a resident makes an account), `/verify-email/:token` (the emailed link) and
//! `/verify-email` (send the link again). Plain forms: they work without JavaScript.

use crate::api::register::{check_verification, Register, ResendVerification, VerifyEmail, VERIFY_HOURS};
use crate::components::forms::{field_errors, ErrorSummary, PasswordField, TextField, NEW_PASSWORD_HINT};
use crate::components::status::{PageProblem, SuccessBanner};
use crate::components::title::Title;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn RegisterPage() -> impl IntoView {
    let register = ServerAction::<Register>::new();
    let query = use_query_map();
    let sent = move || query.read().get("sent").is_some();
    let error = Signal::derive(move || register.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    let field = move |name: &'static str| Signal::derive(move || errors.read().text(name));
    view! {
        <Title text="Create an account"/>
        <div class="narrow">
            {move || if sent() {
                view! {
                    <SuccessBanner title="Check your email">
                        <p>"We have sent a link to the address you gave. Open it to confirm the address, then sign in. "
                           "The link works for " {VERIFY_HOURS} " hours."</p>
                        <p>"Nothing after a few minutes? Check your spam or junk folder, or "
                           <a class="link" href="/verify-email">"ask for the link again"</a> "."</p>
                    </SuccessBanner>
                }.into_any()
            } else {
                view! {
                    <ErrorSummary error first_field="display_name"/>
                    <h1 class="heading-l">"Create an account"</h1>
                    <p class="body">"With an account you can keep a volunteering profile, follow what happens to your responses, "
                        "and see and download what is held about you."</p>
                    <ActionForm action=register attr:novalidate=true attr:class="form">
                        <TextField name="display_name" label="Your name" autocomplete="name" error=field("display_name")/>
                        <TextField name="email" label="Email address" input_type="email" autocomplete="email" spellcheck_off=true
                            hint="We will send a link to this address to check it is yours." error=field("email")/>
                        <PasswordField name="password" label="Password" autocomplete="new-password"
                            hint=NEW_PASSWORD_HINT
                            error=field("password")/>
                        <PasswordField name="confirm_password" label="Confirm password" autocomplete="new-password" error=field("confirm_password")/>
                        <button type="submit" class="button" disabled=move || register.pending().get()>"Create account"</button>
                    </ActionForm>
                    <p class="body">"Already have an account? " <a class="link" href="/sign-in">"Sign in"</a></p>
                }.into_any()
            }}
        </div>
    }
}

#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let link = Resource::new(token, check_verification);
    let verify = ServerAction::<VerifyEmail>::new();
    let error = Signal::derive(move || verify.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    view! {
        <Title text="Confirm your email address"/>
        <div class="narrow">
            <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match link.await {
                        Err(error) => view! {
                            <PageProblem error/>
                            <p class="body"><a class="link" href="/verify-email">"Ask for the link again"</a></p>
                        }.into_any(),
                        Ok(email) => view! {
                            <ErrorSummary error first_field="password"/>
                            <h1 class="heading-l">"Confirm your email address"</h1>
                            <p class="body">"Confirm that " <strong>{email}</strong> " is your address to finish making your account. "
                                "Enter the password you chose: that shows it was you who made it."</p>
                            <p class="body">"Did not make an account? You do not need to do anything: it is deleted after a week."</p>
                            <ActionForm action=verify attr:novalidate=true attr:class="form">
                                <input type="hidden" name="token" value=token()/>
                                <PasswordField name="password" label="Your password" autocomplete="current-password"
                                    hint="The one you chose when you made the account."
                                    error=Signal::derive(move || errors.read().text("password"))/>
                                <button type="submit" class="button" disabled=move || verify.pending().get()>"Confirm my email address"</button>
                            </ActionForm>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
pub fn ResendVerificationPage() -> impl IntoView {
    let resend = ServerAction::<ResendVerification>::new();
    let error = Signal::derive(move || resend.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    view! {
        <Title text="Get a new confirmation link"/>
        <div class="narrow">
            <ErrorSummary error first_field="email"/>
            <h1 class="heading-l">"Get a new confirmation link"</h1>
            <p class="body">"Enter the address you used to create your account. If it still needs confirming, we will send a new link."</p>
            <ActionForm action=resend attr:novalidate=true attr:class="form">
                <TextField name="email" label="Email address" input_type="email" autocomplete="email" spellcheck_off=true
                    error=Signal::derive(move || errors.read().text("email"))/>
                <button type="submit" class="button" disabled=move || resend.pending().get()>"Send the link again"</button>
            </ActionForm>
        </div>
    }
}
