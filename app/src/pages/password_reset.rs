//! `/forgot-password` and `/reset-password/:token`: choosing a new password from an emailed link.
//! Plain forms: they work without JavaScript.

use crate::api::password_reset::{check_reset, ForgotPassword, ResetPassword, RESET_MINUTES};
use crate::components::address_value;
use crate::components::forms::{field_errors, ErrorSummary, PasswordField, TextField};
use crate::components::status::{PageProblem, SuccessBanner};
use crate::components::title::Title;
use crate::i18n::td_string;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let locale = crate::language::page_locale();
    let ask = ServerAction::<ForgotPassword>::new();
    let query = use_query_map();
    let sent = move || address_value(query, "sent").is_some();
    let error = Signal::derive(move || ask.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    view! {
        <Title text=td_string!(locale, password_reset.forgot_title)/>
        <div class="narrow">
            {move || sent().then(|| view! {
                <SuccessBanner title=td_string!(locale, password_reset.check_email)>
                    <p>{td_string!(locale, password_reset.sent_text)} " "
                       {td_string!(locale, password_reset.link_minutes, count = RESET_MINUTES)}</p>
                    <p>{td_string!(locale, password_reset.nothing_yet)}</p>
                </SuccessBanner>
            })}
            <ErrorSummary error first_field="email"/>
            <h1 class="heading-l">{td_string!(locale, password_reset.forgot_title)}</h1>
            <p class="body">{td_string!(locale, password_reset.forgot_intro)}</p>
            <ActionForm action=ask attr:novalidate=true attr:class="form">
                <TextField name="email" label=td_string!(locale, password_reset.email) input_type="email" autocomplete="email" spellcheck_off=true
                    error=Signal::derive(move || errors.read().text("email"))/>
                <button type="submit" class="button" disabled=move || ask.pending().get()>{td_string!(locale, password_reset.send_link)}</button>
            </ActionForm>
            <p class="body"><a class="link" href="/sign-in">{td_string!(locale, password_reset.back_to_sign_in)}</a></p>
        </div>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let locale = crate::language::page_locale();
    let params = use_params_map();
    let token = move || address_value(params, "token").unwrap_or_default();
    let link = Resource::new(token, check_reset);
    let reset = ServerAction::<ResetPassword>::new();
    let error = Signal::derive(move || reset.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    view! {
        <Title text=td_string!(locale, password_reset.reset_title)/>
        <div class="narrow">
            <Suspense fallback=move || view! { <p class="body">{td_string!(locale, password_reset.loading)}</p> }>
                {move || Suspend::new(async move {
                    match link.await {
                        Err(error) => view! {
                            <PageProblem error/>
                            <p class="body"><a class="link" href="/forgot-password">{td_string!(locale, password_reset.ask_new_link)}</a></p>
                        }.into_any(),
                        Ok(info) => view! {
                            <ErrorSummary error first_field="password"/>
                            <h1 class="heading-l">{td_string!(locale, password_reset.reset_title)}</h1>
                            <p class="body">{td_string!(locale, password_reset.for_account)} " " <strong>{info.email.clone()}</strong>
                                ". " {td_string!(locale, password_reset.signs_you_out)}</p>
                            <ActionForm action=reset attr:novalidate=true attr:class="form">
                                <input type="hidden" name="token" value=token()/>
                                <PasswordField name="password" label=td_string!(locale, password_reset.new_password) autocomplete="new-password"
                                    hint=crate::components::forms::new_password_hint(locale)
                                    error=Signal::derive(move || errors.read().text("password"))/>
                                <PasswordField name="confirm_password" label=td_string!(locale, password_reset.confirm_new_password) autocomplete="new-password"
                                    error=Signal::derive(move || errors.read().text("confirm_password"))/>
                                <button type="submit" class="button" disabled=move || reset.pending().get()>{td_string!(locale, password_reset.change_password)}</button>
                            </ActionForm>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
