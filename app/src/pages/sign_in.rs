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

    view! {
        <Title text="Sign in"/>
        <div class="narrow">
            {move || signed_out().then(|| view! {
                <SuccessBanner title="Signed out"><p>"You have been signed out."</p></SuccessBanner>
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
