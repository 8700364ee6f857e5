//! `/sign-in/code`: the second step of signing in, for accounts with two-step verification.
//! A plain form: it works without JavaScript.

use crate::api::auth::SecondStep;
use crate::components::forms::{field_errors, ErrorSummary, TextField};
use crate::components::title::Title;
use leptos::prelude::*;

#[component]
pub fn SignInCodePage() -> impl IntoView {
    let step = ServerAction::<SecondStep>::new();
    let error = Signal::derive(move || step.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    crate::session::load_home_afresh_when(move || matches!(step.value().get(), Some(Ok(true))));
    view! {
        <Title text="Enter your code"/>
        <div class="narrow">
            <ErrorSummary error first_field="code"/>
            <h1 class="heading-l">"Enter the code from your authenticator app"</h1>
            <p class="body">"Your account uses two-step verification. Open the authenticator app on your phone and enter the code it shows for Mobilise."</p>
            <ActionForm action=step attr:novalidate=true attr:class="form">
                <TextField name="code" label="Code" autocomplete="one-time-code" spellcheck_off=true
                    hint="6 digits. Without your phone, enter one of your recovery codes instead: each works once."
                    error=Signal::derive(move || errors.read().text("code"))/>
                <button type="submit" class="button" disabled=move || step.pending().get()>"Continue"</button>
            </ActionForm>
            <p class="body"><a class="link" href="/sign-in">"Start again"</a></p>
        </div>
    }
}
