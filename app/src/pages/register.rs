//! `/register` (a resident makes an account), `/verify-email/:token` (the emailed link) and
//! `/verify-email` (send the link again). Plain forms: they work without JavaScript.

use crate::api::register::{check_verification, Register, ResendVerification, VerifyEmail, VERIFY_HOURS};
use crate::components::address_value;
use crate::components::forms::{field_errors, ErrorSummary, PasswordField, TextField};
use crate::components::status::{PageProblem, SuccessBanner};
use crate::components::title::Title;
use crate::i18n::td_string;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn RegisterPage() -> impl IntoView {
    let locale = crate::language::page_locale();
    let register = ServerAction::<Register>::new();
    let query = use_query_map();
    let sent = move || address_value(query, "sent").is_some();
    let error = Signal::derive(move || register.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    let field = move |name: &'static str| Signal::derive(move || errors.read().text(name));
    view! {
        <Title text=td_string!(locale, register.page_title)/>
        <div class="narrow">
            {move || if sent() {
                view! {
                    <SuccessBanner title=td_string!(locale, register.check_email)>
                        <p>{td_string!(locale, register.sent_text)} " "
                           {td_string!(locale, register.link_hours, count = VERIFY_HOURS)}</p>
                        <p>{td_string!(locale, register.nothing_yet)} " "
                           <a class="link" href="/verify-email">{td_string!(locale, register.ask_again_link)}</a> "."</p>
                    </SuccessBanner>
                }.into_any()
            } else {
                view! {
                    <ErrorSummary error first_field="display_name"/>
                    <h1 class="heading-l">{td_string!(locale, register.heading)}</h1>
                    <p class="body">{td_string!(locale, register.intro)}</p>
                    <ActionForm action=register attr:novalidate=true attr:class="form">
                        <TextField name="display_name" label=td_string!(locale, register.your_name) autocomplete="name" error=field("display_name")/>
                        <TextField name="email" label=td_string!(locale, register.email) input_type="email" autocomplete="email" spellcheck_off=true
                            hint=td_string!(locale, register.email_hint) error=field("email")/>
                        <PasswordField name="password" label=td_string!(locale, register.password) autocomplete="new-password"
                            hint=crate::components::forms::new_password_hint(locale)
                            error=field("password")/>
                        <PasswordField name="confirm_password" label=td_string!(locale, register.confirm_password) autocomplete="new-password" error=field("confirm_password")/>
                        <button type="submit" class="button" disabled=move || register.pending().get()>{td_string!(locale, register.create_account)}</button>
                    </ActionForm>
                    <p class="body">{td_string!(locale, register.already)} " " <a class="link" href="/sign-in">{td_string!(locale, register.sign_in)}</a></p>
                }.into_any()
            }}
        </div>
    }
}

#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let locale = crate::language::page_locale();
    let params = use_params_map();
    let token = move || address_value(params, "token").unwrap_or_default();
    let link = Resource::new(token, check_verification);
    let verify = ServerAction::<VerifyEmail>::new();
    let error = Signal::derive(move || verify.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    view! {
        <Title text=td_string!(locale, register.verify_title)/>
        <div class="narrow">
            <Suspense fallback=move || view! { <p class="body">{td_string!(locale, register.loading)}</p> }>
                {move || Suspend::new(async move {
                    match link.await {
                        Err(error) => view! {
                            <PageProblem error/>
                            <p class="body"><a class="link" href="/verify-email">{td_string!(locale, register.ask_again)}</a></p>
                        }.into_any(),
                        Ok(email) => view! {
                            <ErrorSummary error first_field="password"/>
                            <h1 class="heading-l">{td_string!(locale, register.verify_title)}</h1>
                            <p class="body">{td_string!(locale, register.verify_before)} " " <strong>{email}</strong> " " {td_string!(locale, register.verify_after)} " "
                                {td_string!(locale, register.verify_password_note)}</p>
                            <p class="body">{td_string!(locale, register.not_you)}</p>
                            <ActionForm action=verify attr:novalidate=true attr:class="form">
                                <input type="hidden" name="token" value=token()/>
                                <PasswordField name="password" label=td_string!(locale, register.your_password) autocomplete="current-password"
                                    hint=td_string!(locale, register.your_password_hint)
                                    error=Signal::derive(move || errors.read().text("password"))/>
                                <button type="submit" class="button" disabled=move || verify.pending().get()>{td_string!(locale, register.verify_button)}</button>
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
    let locale = crate::language::page_locale();
    let resend = ServerAction::<ResendVerification>::new();
    let error = Signal::derive(move || resend.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    view! {
        <Title text=td_string!(locale, register.resend_title)/>
        <div class="narrow">
            <ErrorSummary error first_field="email"/>
            <h1 class="heading-l">{td_string!(locale, register.resend_title)}</h1>
            <p class="body">{td_string!(locale, register.resend_intro)}</p>
            <ActionForm action=resend attr:novalidate=true attr:class="form">
                <TextField name="email" label=td_string!(locale, register.email) input_type="email" autocomplete="email" spellcheck_off=true
                    error=Signal::derive(move || errors.read().text("email"))/>
                <button type="submit" class="button" disabled=move || resend.pending().get()>{td_string!(locale, register.resend_button)}</button>
            </ActionForm>
        </div>
    }
}
