//! `/sign-in/code`: the second step of signing in, for accounts with two-step verification.
//! A plain form: it works without JavaScript.

use crate::api::auth::SecondStep;
use crate::components::forms::{field_errors, ErrorSummary, TextField};
use crate::components::title::Title;
use crate::i18n::td_string;
use leptos::prelude::*;

#[component]
pub fn SignInCodePage() -> impl IntoView {
    let locale = crate::language::page_locale();
    let step = ServerAction::<SecondStep>::new();
    let error = Signal::derive(move || step.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    crate::session::load_home_afresh_when(move || matches!(step.value().get(), Some(Ok(true))));
    view! {
        <Title text=td_string!(locale, sign_in_code.page_title)/>
        <div class="narrow">
            <ErrorSummary error first_field="code"/>
            <h1 class="heading-l">{td_string!(locale, sign_in_code.heading)}</h1>
            <p class="body">{td_string!(locale, sign_in_code.intro)}</p>
            <ActionForm action=step attr:novalidate=true attr:class="form">
                <TextField name="code" label=td_string!(locale, sign_in_code.code) autocomplete="one-time-code" spellcheck_off=true
                    hint=td_string!(locale, sign_in_code.code_hint)
                    error=Signal::derive(move || errors.read().text("code"))/>
                <button type="submit" class="button" disabled=move || step.pending().get()>{td_string!(locale, sign_in_code.continue_button)}</button>
            </ActionForm>
            <p class="body"><a class="link" href="/sign-in">{td_string!(locale, sign_in_code.start_again)}</a></p>
        </div>
    }
}
