//! `/sign-in`: email and password. A plain form: it works without JavaScript.

use crate::api::auth::Login;
use crate::components::forms::{field_errors, ErrorSummary, PasswordField, TextField};
use crate::components::status::SuccessBanner;
use crate::components::title::Title;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignInPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let query = use_query_map();
    let signed_out = move || query.read().get("signed_out").is_some();
    let reset = move || query.read().get("reset").is_some();
    let verified = move || query.read().get("verified").is_some();
    let error = Signal::derive(move || login.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    // Read from the tablet's storage once the page is running (never while rendering).
    let unsent = RwSignal::new(0usize);
    Effect::new(move |_| unsent.set(crate::offline::device::unsent_for_last_user()));
    crate::session::load_home_afresh_when(move || matches!(login.value().get(), Some(Ok(true))));

    view! {
        <Title text="Sign in"/>
        <div class="narrow">
            {move || signed_out().then(|| view! {
                <SuccessBanner title="Signed out"><p>"You have been signed out."</p></SuccessBanner>
            })}
            {move || verified().then(|| view! {
                <SuccessBanner title="Account confirmed"><p>"Your email address is confirmed. Sign in to continue."</p></SuccessBanner>
            })}
            {move || reset().then(|| view! {
                <SuccessBanner title="Password changed"><p>"Sign in with your new password. You have been signed out everywhere else."</p></SuccessBanner>
            })}
            {move || (unsent.get() > 0).then(|| view! {
                <div class="inset" role="note">
                    <p class="body">{match unsent.get() { 1 => "1 record made on this tablet has not been sent yet.".to_string(), n => format!("{n} records made on this tablet have not been sent yet.") }}
                        " They are kept on this tablet for the person who made them, and sent when they sign in again. Nobody else can see them."</p>
                </div>
            })}
            <ErrorSummary error first_field="email"/>
            <h1 class="heading-l">"Sign in to Mobilise"</h1>
            <ActionForm action=login attr:novalidate=true attr:class="form">
                <TextField
                    name="email"
                    label="Email address"
                    input_type="email"
                    autocomplete="username"
                    spellcheck_off=true
                    error=Signal::derive(move || errors.read().text("email"))
                />
                <PasswordField
                    name="password"
                    label="Password"
                    autocomplete="current-password"
                    error=Signal::derive(move || errors.read().text("password"))
                />
                <button type="submit" class="button" disabled=move || login.pending().get()>"Sign in"</button>
            </ActionForm>
            {move || matches!(error.get(), Some(AppError::EmailNotVerified)).then(|| view! {
                <p class="body"><a class="link" href="/verify-email">"Send the link again"</a></p>
            })}
            <p class="body"><a class="link" href="/forgot-password">"Forgotten your password?"</a></p>
            <p class="body">"Live in the area and want to take part? " <a class="link" href="/register">"Create an account"</a></p>
            <p class="body">"Staff accounts are made by your organisation's Mobilise administrator."</p>
        </div>
    }
}
