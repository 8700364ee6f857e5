//! `/sign-in`: email and password. A plain form: it works without JavaScript.

use crate::api::auth::Login;
use crate::components::forms::{field_errors, ErrorSummary, PasswordField, TextField};
use crate::components::status::SuccessBanner;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignInPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let query = use_query_map();
    let signed_out = move || query.read().get("signed_out").is_some();
    let error = Signal::derive(move || login.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    // Read from the tablet's storage once the page is running (never while rendering).
    let unsent = RwSignal::new(0usize);
    Effect::new(move |_| unsent.set(crate::offline::device::unsent_for_last_user()));

    view! {
        <Title text="Sign in"/>
        <div class="narrow">
            {move || signed_out().then(|| view! {
                <SuccessBanner title="Signed out"><p>"You have been signed out."</p></SuccessBanner>
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
                    error=Signal::derive(move || errors.read().get("email").map(str::to_string))
                />
                <PasswordField
                    name="password"
                    label="Password"
                    autocomplete="current-password"
                    error=Signal::derive(move || errors.read().get("password").map(str::to_string))
                />
                <button type="submit" class="button" disabled=move || login.pending().get()>"Sign in"</button>
            </ActionForm>
            <p class="body">"Forgotten your password, or need an account? Ask your organisation's Mobilise administrator."</p>
        </div>
    }
}
