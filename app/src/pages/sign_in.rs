//! `/sign-in`: email and password. A plain form: it works without JavaScript.

use crate::api::auth::Login;
use crate::components::address_value;
use crate::components::forms::{field_errors, ErrorSummary, PasswordField, TextField};
use crate::components::status::SuccessBanner;
use crate::components::title::Title;
use crate::error::AppError;
use crate::i18n::td_string;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignInPage() -> impl IntoView {
    let locale = crate::language::page_locale();
    let login = ServerAction::<Login>::new();
    let query = use_query_map();
    let signed_out = move || address_value(query, "signed_out").is_some();
    let reset = move || address_value(query, "reset").is_some();
    let verified = move || address_value(query, "verified").is_some();
    let error = Signal::derive(move || login.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    // Read from the tablet's storage once the page is running (never while rendering).
    let unsent = RwSignal::new(0usize);
    Effect::new(move |_| unsent.set(crate::offline::device::unsent_for_last_user()));
    crate::session::load_home_afresh_when(move || matches!(login.value().get(), Some(Ok(true))));

    view! {
        <Title text=td_string!(locale, sign_in.page_title)/>
        <div class="narrow">
            {move || signed_out().then(|| view! {
                <SuccessBanner title=td_string!(locale, sign_in.signed_out_title)><p>{td_string!(locale, sign_in.signed_out_text)}</p></SuccessBanner>
            })}
            {move || verified().then(|| view! {
                <SuccessBanner title=td_string!(locale, sign_in.confirmed_title)><p>{td_string!(locale, sign_in.confirmed_text)}</p></SuccessBanner>
            })}
            {move || reset().then(|| view! {
                <SuccessBanner title=td_string!(locale, sign_in.reset_title)><p>{td_string!(locale, sign_in.reset_text)}</p></SuccessBanner>
            })}
            {move || (unsent.get() > 0).then(|| view! {
                <div class="inset" role="note">
                    <p class="body">{td_string!(locale, sign_in.unsent, count = unsent.get())}
                        " " {td_string!(locale, sign_in.unsent_kept)}</p>
                </div>
            })}
            <ErrorSummary error first_field="email"/>
            <h1 class="heading-l">{td_string!(locale, sign_in.heading)}</h1>
            <ActionForm action=login attr:novalidate=true attr:class="form">
                <TextField
                    name="email"
                    label=td_string!(locale, sign_in.email)
                    input_type="email"
                    autocomplete="username"
                    spellcheck_off=true
                    error=Signal::derive(move || errors.read().text("email"))
                />
                <PasswordField
                    name="password"
                    label=td_string!(locale, sign_in.password)
                    autocomplete="current-password"
                    error=Signal::derive(move || errors.read().text("password"))
                />
                <button type="submit" class="button" disabled=move || login.pending().get()>{td_string!(locale, sign_in.submit)}</button>
            </ActionForm>
            {move || matches!(error.get(), Some(AppError::EmailNotVerified)).then(|| view! {
                <p class="body"><a class="link" href="/verify-email">{td_string!(locale, sign_in.send_link_again)}</a></p>
            })}
            <p class="body"><a class="link" href="/forgot-password">{td_string!(locale, sign_in.forgotten_password)}</a></p>
            <p class="body">{td_string!(locale, sign_in.live_in_area)} " " <a class="link" href="/register">{td_string!(locale, sign_in.create_account)}</a></p>
            <p class="body">{td_string!(locale, sign_in.staff_accounts)}</p>
        </div>
    }
}
